use qapi::Qapi;

// QEMU: 'data' member 'has-a' uses reserved name
#[derive(Qapi)]
#[qapi(command = "oops")]
struct Oops {
    a: Option<String>,
    has_a: String,
}

fn main() {}
