use qapi::Qapi;

// QEMU: 'data' member 'q-unix' has an invalid name
#[derive(Qapi)]
#[qapi(struct)]
struct Foo {
    unix: i64,
    q_unix: bool,
}

fn main() {}
