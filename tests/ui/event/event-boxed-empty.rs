use qapi::Qapi;

// QEMU: 'boxed': true requires 'data'
#[derive(Qapi)]
#[qapi(event = "FOO", boxed)]
struct Foo;

fn main() {}
