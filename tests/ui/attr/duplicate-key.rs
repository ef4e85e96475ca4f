use qapi::Qapi;

#[derive(Qapi)]
#[qapi(struct, name = "A", name = "B")]
struct S {
    a: i64,
}

fn main() {}
