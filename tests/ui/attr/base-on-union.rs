use qapi::Qapi;

#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Kind {
    A,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Base {
    a: i64,
}

#[derive(Qapi)]
#[qapi(branches(tag = Kind))]
enum UBranch {
    A(Base),
}

// A union's base members are its own fields.
#[derive(Qapi)]
#[qapi(union, discriminator = "kind")]
struct U {
    #[qapi(base)]
    base: Base,
    kind: UBranch,
}

fn main() {}
