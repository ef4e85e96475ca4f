use qapi::Qapi;

// QEMU: 'data' member has unknown key 'bad-key'
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum MyEnum {
    #[qapi(bad_key = "str")]
    Foo,
}

fn main() {}
