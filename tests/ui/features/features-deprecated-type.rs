use qapi::Qapi;

#[derive(Qapi)]
#[qapi(struct, feature = "deprecated")]
struct S {
    a: i64,
}

fn main() {}
