use qapi::Qapi;

// QEMU: enum type 'QType' is already defined
#[derive(Qapi)]
#[qapi(struct)]
struct QType {
    myint: qapi::Size,
}

fn main() {}
