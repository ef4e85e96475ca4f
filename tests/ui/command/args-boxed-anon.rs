use qapi::Qapi;

// QEMU: 'data' should be a type name
#[derive(Qapi)]
#[qapi(command = "foo", boxed)]
struct Foo {
    string: String,
}

fn main() {}
