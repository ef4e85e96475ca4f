use qapi::Qapi;

// QEMU: 'data' must be an object
// An alternate's branches are the variants of an enum.
#[derive(Qapi)]
#[qapi(alternate)]
struct Alt {
    rubbish: i64,
    nonsense: i64,
}

fn main() {}
