use qapi::Qapi;

// QEMU: value 'one_two' collides with value 'one-two'
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum MyEnum {
    OneTwo,
    #[qapi(name = "one_two")]
    Other,
}

fn main() {}
