use qapi::Qapi;

#[derive(Qapi)]
#[qapi(struct, name = "Abc", name = "Def")]
struct S {
    a: i64,
}

fn main() {}
