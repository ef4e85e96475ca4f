use qapi::Qapi;

// QEMU: command's 'returns' cannot take array type ['int']
#[derive(Qapi)]
#[qapi(command = "oops", returns = Vec<i64>)]
struct Oops {}

fn main() {}
