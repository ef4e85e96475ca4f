use qapi::Qapi;

// QEMU: 'data' member '_oops' has an invalid name
#[derive(Qapi)]
#[qapi(struct)]
struct Oops {
    #[qapi(name = "_oops")]
    oops: String,
}

fn main() {}
