use qapi::Qapi;

// QEMU: 'command' requires a string name
#[derive(Qapi)]
#[qapi(command = {})]
struct Oops {}

fn main() {}
