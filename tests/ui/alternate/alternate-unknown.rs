use qapi::Qapi;

// QEMU: branch 'unknown' uses unknown type 'MissingType'
#[derive(Qapi)]
#[qapi(alternate)]
enum Alt {
    Unknown(MissingType),
    I(i64),
}

fn main() {}
