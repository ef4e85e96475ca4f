use qapi::Qapi;

// QEMU: 'prefix' must be a string
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum, prefix = ["fish"])]
enum MyEnum {
    One,
}

fn main() {}
