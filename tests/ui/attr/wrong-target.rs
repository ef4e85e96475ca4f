use qapi::Qapi;

#[derive(Qapi)]
#[qapi(enum)]
struct S {
    a: i64,
}

fn main() {}
