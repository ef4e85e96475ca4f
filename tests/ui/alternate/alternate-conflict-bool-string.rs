use qapi::Qapi;

// QEMU: branch 'two' can't be distinguished from 'one'
#[derive(Qapi)]
#[qapi(alternate)]
enum Alt {
    One(bool),
    Two(String),
}

fn main() {}
