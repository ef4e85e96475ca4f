use qapi::Qapi;

// QEMU: discriminator member 'switch' of base type 'Base' must not be optional
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
#[qapi(union, discriminator = "switch")]
struct MyUnion {
    switch: Option<MyBranch>,
}

fn main() {}
