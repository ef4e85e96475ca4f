use qapi::Qapi;

// QEMU: 'data' member '*u' uses reserved name
#[derive(Qapi)]
#[qapi(struct)]
struct Oops {
    u: Option<String>,
}

fn main() {}
