use qapi::Qapi;

// QEMU: flag 'allow-oob' may only use true value
#[derive(Qapi)]
#[qapi(command = "oob-command-1", allow_oob = "some-string")]
struct OobCommand1 {}

fn main() {}
