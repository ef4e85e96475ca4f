use qapi::Qapi;

// QEMU: branch 'two' can't be distinguished from 'one'
// An enum with a value that starts with a digit also takes numbers.
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Enum {
    #[qapi(name = "1")]
    V1,
    #[qapi(name = "2")]
    V2,
    #[qapi(name = "3")]
    V3,
}

#[derive(Qapi)]
#[qapi(alternate)]
enum Alt {
    One(Enum),
    Two(i64),
}

fn main() {}
