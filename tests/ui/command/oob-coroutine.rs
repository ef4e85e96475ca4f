use qapi::Qapi;

// QEMU: flags 'allow-oob' and 'coroutine' are incompatible
#[derive(Qapi)]
#[qapi(command = "oob-command-1", allow_oob, coroutine)]
struct OobCommand1 {}

fn main() {}
