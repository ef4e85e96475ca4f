use qapi::Qapi;

#[derive(Qapi)]
#[qapi(union)]
struct U {
    a: i64,
}

fn main() {}
