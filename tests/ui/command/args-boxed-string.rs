use qapi::Qapi;

// QEMU: command's 'data' cannot take built-in type 'str'
#[derive(Qapi)]
#[qapi(command = "foo", boxed)]
struct Foo(String);

fn main() {}
