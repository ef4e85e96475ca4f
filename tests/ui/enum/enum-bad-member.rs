use qapi::Qapi;

// QEMU: 'data' member requires a string name
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum MyEnum {
    #[qapi(name = [])]
    Value,
}

fn main() {}
