use qapi::Qapi;

// QEMU: command's 'data' cannot take built-in type 'int'
#[derive(Qapi)]
#[qapi(command = "oops")]
struct Oops(i64);

fn main() {}
