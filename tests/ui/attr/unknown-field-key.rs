use qapi::Qapi;

#[derive(Qapi)]
#[qapi(struct)]
struct S {
    #[qapi(nmae = "x")]
    a: i64,
}

fn main() {}
