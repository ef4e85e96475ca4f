use qapi::Qapi;

// QEMU: branch 'unknown' uses unknown type 'MissingType'
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Enum {
    Unknown,
}

#[derive(Qapi)]
#[qapi(branches(tag = Enum))]
enum UnionBranch {
    Unknown(MissingType),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "type")]
struct Union {
    r#type: UnionBranch,
}

fn main() {}
