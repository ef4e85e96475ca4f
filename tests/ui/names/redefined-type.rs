use qapi::Qapi;

// QEMU: 'Foo' is already defined
#[derive(Qapi)]
#[qapi(struct)]
struct Foo {
    one: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Foo {
    Two,
}

fn main() {}
