use qapi::Qapi;

// QEMU: branch 'nested' cannot use alternate type 'Alt1'
#[derive(Qapi)]
#[qapi(alternate)]
enum Alt1 {
    Name(bool),
    Value(i64),
}

#[derive(Qapi)]
#[qapi(alternate)]
enum Alt2 {
    Nested(Alt1),
    B(bool),
}

fn main() {}
