use qapi::Qapi;

// QEMU: feature 'deprecated' is not supported for types
#[derive(Qapi)]
#[qapi(struct, feature = "deprecated")]
struct Foo {}

fn main() {}
