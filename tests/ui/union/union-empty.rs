use qapi::Qapi;

// QEMU: union has no branches
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Empty {}

#[derive(Qapi)]
#[qapi(branches(tag = Empty))]
enum UnionBranch {}

#[derive(Qapi)]
#[qapi(union, discriminator = "type")]
struct Union {
    r#type: UnionBranch,
}

fn main() {}
