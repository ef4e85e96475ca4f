use qapi::Qapi;

// QEMU: 'data' must be an array
// An enum's values are the variants of an enum.
#[derive(Qapi)]
#[qapi(enum)]
struct MyEnum {
    value: String,
}

fn main() {}
