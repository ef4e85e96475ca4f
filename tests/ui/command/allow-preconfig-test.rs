use qapi::Qapi;

// QEMU: flag 'allow-preconfig' may only use true value
#[derive(Qapi)]
#[qapi(command = "allow-preconfig-test", allow_preconfig = "some-string")]
struct AllowPreconfigTest {}

fn main() {}
