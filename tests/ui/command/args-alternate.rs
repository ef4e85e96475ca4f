use qapi::Qapi;

// QEMU: command's 'data' cannot take alternate type 'Alt'
#[derive(Qapi)]
#[qapi(alternate)]
enum Alt {
    Case1(i64),
    Case2(bool),
}

#[derive(Qapi)]
#[qapi(command = "oops")]
struct Oops(Alt);

fn main() {}
