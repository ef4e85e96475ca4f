use qapi::Qapi;

// QEMU: command's 'data' uses unknown type 'NoSuchType'
#[derive(Qapi)]
#[qapi(command = "oops")]
struct Oops(NoSuchType);

fn main() {}
