use qapi::Qapi;

// QEMU: discriminator 'type' is not a member of 'base'
#[derive(Qapi)]
#[qapi(union, discriminator = "type")]
struct Union {}

fn main() {}
