use qapi::Qapi;

// QEMU: command's 'returns' uses unknown type 'NoSuchType'
#[derive(Qapi)]
#[qapi(command = "oops", returns = NoSuchType)]
struct Oops {}

fn main() {}
