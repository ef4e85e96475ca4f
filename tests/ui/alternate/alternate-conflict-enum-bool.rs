use qapi::Qapi;

// QEMU: branch 'two' can't be distinguished from 'one'
// An enum with a value `on` or `off` also takes booleans.
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Enum {
    Aus,
    Off,
}

#[derive(Qapi)]
#[qapi(alternate)]
enum Alt {
    One(Enum),
    Two(bool),
}

fn main() {}
