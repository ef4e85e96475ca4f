use qapi::Qapi;

#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Kind {
    A,
}

#[derive(Qapi)]
#[qapi(struct)]
struct A {
    x: i64,
}

#[derive(Qapi)]
#[qapi(branches(tag = Kind))]
enum UBranch {
    A(A),
}

// QEMU: name of 'base' member 'nodeName' must not use uppercase or '_'
#[derive(Qapi)]
#[qapi(union, discriminator = "kind")]
struct U {
    kind: UBranch,
    #[qapi(name = "nodeName")]
    node_name: String,
}

fn main() {}
