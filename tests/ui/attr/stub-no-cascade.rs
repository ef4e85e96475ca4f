use qapi::Qapi;

// The enum's derive fails; its stub impls keep every use of it below
// from adding errors of their own: one error in all.
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Kind {
    OneTwo,
    #[qapi(name = "one_two")]
    Other,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Data {
    first: Kind,
    all: Vec<Kind>,
}

#[derive(Qapi)]
#[qapi(branches(tag = Kind))]
enum UBranch {
    OneTwo(Data),
    Other,
}

#[derive(Qapi)]
#[qapi(union, discriminator = "kind")]
struct U {
    kind: UBranch,
}

#[derive(Qapi)]
#[qapi(command = "use-kind", returns = Data)]
struct UseKind {
    kind: Kind,
}

fn main() {}
