use qapi::Qapi;

// QEMU: 'data' must not be empty
#[derive(Qapi)]
#[qapi(alternate)]
enum Alt {}

fn main() {}
