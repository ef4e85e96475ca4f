use qapi::Qapi;

// QEMU: object Base1 contains itself
#[derive(Qapi)]
#[qapi(struct)]
struct Base1 {
    #[qapi(base)]
    base: Base2,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Base2 {
    #[qapi(base)]
    base: Base1,
}

fn main() {}
