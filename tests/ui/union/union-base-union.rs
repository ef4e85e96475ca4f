use qapi::Qapi;

// QEMU: 'base' requires a struct type, union type 'UnionBase' isn't
// A union lists its base members as fields; the rule for a named base
// is the one for a struct's `#[qapi(base)]`.
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Enum {
    Kind1,
    Kind2,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestTypeA {
    string: String,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestTypeB {
    integer: i64,
}

#[derive(Qapi)]
#[qapi(branches(tag = Enum))]
enum UnionBaseBranch {
    Kind1(TestTypeA),
    Kind2(TestTypeB),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "type")]
struct UnionBase {
    r#type: UnionBaseBranch,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestStruct {
    #[qapi(base)]
    base: UnionBase,
    more: i64,
}

fn main() {}
