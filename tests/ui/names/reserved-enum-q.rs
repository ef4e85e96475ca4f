use qapi::Qapi;

// QEMU: 'data' member 'q-Unix' has an invalid name
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Foo {
    Unix,
    #[qapi(name = "q-Unix")]
    QUnix,
}

fn main() {}
