use qapi::Qapi;

// QEMU: command's 'returns' cannot take alternate type 'Alt'
#[derive(Qapi)]
#[qapi(alternate)]
enum Alt {
    A(i64),
    B(bool),
}

#[derive(Qapi)]
#[qapi(command = "oops", returns = Alt)]
struct Oops {}

fn main() {}
