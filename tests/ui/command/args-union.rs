use qapi::Qapi;

// QEMU: command's 'data' can take union type 'Uni' only with 'boxed': true
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Enum {
    Case1,
    Case2,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Case1 {
    data: i64,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Case2 {
    data: String,
}

#[derive(Qapi)]
#[qapi(branches(tag = Enum))]
enum UniBranch {
    Case1(Case1),
    Case2(Case2),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "type")]
struct Uni {
    r#type: UniBranch,
}

#[derive(Qapi)]
#[qapi(command = "oops")]
struct Oops(Uni);

fn main() {}
