use qapi::Qapi;

// QEMU: 'base' requires a struct type, built-in type 'int' isn't
// A union lists its base members as fields; the rule for a named base
// is the one for a struct's `#[qapi(base)]`.
#[derive(Qapi)]
#[qapi(struct)]
struct TestStruct {
    #[qapi(base)]
    base: i64,
    more: i64,
}

fn main() {}
