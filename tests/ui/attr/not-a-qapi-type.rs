use qapi::Qapi;

struct Plain;

#[derive(Qapi)]
#[qapi(struct)]
struct S {
    a: i64,
    b: Plain,
}

fn main() {}
