use qapi::Qapi;

#[derive(Qapi)]
#[qapi(struct, prefix = "X")]
struct S {
    a: i64,
}

fn main() {}
