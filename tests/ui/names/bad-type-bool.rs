use qapi::Qapi;

// QEMU: 'struct' requires a string name
#[derive(Qapi)]
#[qapi(struct, name = true)]
struct Oops {}

fn main() {}
