use qapi::Qapi;

// QEMU: name of struct must use CamelCase
#[derive(Qapi)]
#[qapi(struct, name = "not-a-camel")]
struct NotACamel {}

fn main() {}
