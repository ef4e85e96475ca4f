use qapi::Qapi;

// QEMU: flag 'boxed' may only use true value
#[derive(Qapi)]
#[qapi(command = "foo", boxed = false)]
struct Foo {}

fn main() {}
