use qapi::Qapi;

#[derive(Qapi)]
#[qapi(struct, alternate)]
struct S {
    a: i64,
}

fn main() {}
