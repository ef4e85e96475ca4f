use qapi::Qapi;

// QEMU: name of 'features' member 'Fast_Path' must not use uppercase or '_'
#[derive(Qapi)]
#[qapi(struct)]
struct S {
    #[qapi(feature = "Fast_Path")]
    a: i64,
}

fn main() {}
