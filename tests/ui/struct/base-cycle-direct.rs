use qapi::Qapi;

// QEMU: object Loopy contains itself
#[derive(Qapi)]
#[qapi(struct)]
struct Loopy {
    #[qapi(base)]
    base: Loopy,
}

fn main() {}
