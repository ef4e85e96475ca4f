use qapi::Qapi;

// QEMU: 'base' requires a struct type, union type 'Union' isn't
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Enum {
    A,
    B,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Int {
    data: i64,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Str {
    data: String,
}

#[derive(Qapi)]
#[qapi(branches(tag = Enum))]
enum UnionBranch {
    A(Int),
    B(Str),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "type")]
struct Union {
    r#type: UnionBranch,
}

#[derive(Qapi)]
#[qapi(struct)]
struct MyType {
    #[qapi(base)]
    base: Union,
    c: i64,
}

fn main() {}
