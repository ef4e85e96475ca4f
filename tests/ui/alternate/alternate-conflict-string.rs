use qapi::Qapi;

// QEMU: branch 'two' can't be distinguished from 'one'
// A `str` branch also takes numbers and booleans (QEMU's command-line
// input is all strings).
#[derive(Qapi)]
#[qapi(alternate)]
enum Alt {
    One(String),
    Two(i64),
}

fn main() {}
