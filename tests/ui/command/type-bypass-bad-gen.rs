use qapi::Qapi;

// QEMU: flag 'gen' may only use false value
#[derive(Qapi)]
#[qapi(command = "foo", gen = "whatever")]
struct Foo {}

fn main() {}
