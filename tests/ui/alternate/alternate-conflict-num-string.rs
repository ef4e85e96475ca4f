use qapi::Qapi;

// QEMU: branch 'two' can't be distinguished from 'one'
#[derive(Qapi)]
#[qapi(alternate)]
enum Alt {
    One(f64),
    Two(String),
}

fn main() {}
