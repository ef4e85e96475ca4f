use qapi::Qapi;

// QEMU: member 'name' collides with member 'name' of type 'Base'
#[derive(Qapi)]
#[qapi(struct)]
struct Base {
    name: String,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Sub {
    #[qapi(base)]
    base: Base,
    name: String,
}

fn main() {}
