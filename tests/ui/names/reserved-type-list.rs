use qapi::Qapi;

// QEMU: struct name should not end in 'List'
#[derive(Qapi)]
#[qapi(struct)]
struct FooList {
    s: String,
}

fn main() {}
