use qapi::Qapi;

// QEMU: parameter 'member' uses unknown type 'NoSuchType'
#[derive(Qapi)]
#[qapi(command = "oops")]
struct Oops {
    member: NoSuchType,
}

fn main() {}
