use qapi::Qapi;

// QEMU: discriminator '*switch' is not a member of 'base'
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Enum {
    One,
    Two,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Branch {
    name: String,
}

#[derive(Qapi)]
#[qapi(branches(tag = Enum))]
enum MyBranch {
    One(Branch),
    Two(Branch),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "*switch")]
struct MyUnion {
    switch: MyBranch,
}

fn main() {}
