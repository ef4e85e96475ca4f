use qapi::Qapi;

// QEMU: name of event must not use lowercase or '-'
#[derive(Qapi)]
#[qapi(event = "oops")]
struct Oops;

fn main() {}
