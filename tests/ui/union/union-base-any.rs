use qapi::Qapi;

// QEMU: 'base' requires a struct type, built-in type 'any' isn't
// A union lists its base members as fields; the rule for a named base
// is the one for a struct's `#[qapi(base)]`.
#[derive(Qapi)]
#[qapi(struct)]
struct TestStruct {
    #[qapi(base)]
    base: serde_json::Value,
    integer: i64,
}

fn main() {}
