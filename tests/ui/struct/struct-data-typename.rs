use qapi::Qapi;

// QEMU: 'data' should be an object or type name
#[derive(Qapi)]
#[qapi(struct)]
struct Stru1 {}

// A struct's members are named fields, not another type.
#[derive(Qapi)]
#[qapi(struct)]
struct Stru2(Stru1);

fn main() {}
