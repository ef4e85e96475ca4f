use qapi::Qapi;

#[derive(Qapi)]
#[qapi(struct, discrimnator = "x")]
struct S {
    a: i64,
}

fn main() {}
