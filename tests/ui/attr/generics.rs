use qapi::Qapi;

#[derive(Qapi)]
#[qapi(struct)]
struct S<T> {
    a: T,
}

fn main() {}
