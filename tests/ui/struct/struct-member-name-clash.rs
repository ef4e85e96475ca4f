use qapi::Qapi;

#[derive(Qapi)]
#[qapi(struct)]
struct S {
    #[qapi(name = "a_b")]
    first: i64,
    // `a-b` and `a_b` are the same name once `-` is mapped to `_`.
    a_b: i64,
}

fn main() {}
