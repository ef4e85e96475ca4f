use qapi::Qapi;

// QEMU: member 'a_b' collides with member 'a-b'
// `#[qapi(name_exception)]` is QEMU's pragma 'member-name-exceptions'.
#[derive(Qapi)]
#[qapi(struct, name_exception)]
struct Oops {
    a_b: String,
    #[qapi(name = "a_b")]
    other: String,
}

fn main() {}
