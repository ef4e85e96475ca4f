use qapi::Qapi;

// QEMU: struct has an invalid name
#[derive(Qapi)]
#[qapi(struct, name = "*oops")]
struct Oops {
    i: i64,
}

fn main() {}
