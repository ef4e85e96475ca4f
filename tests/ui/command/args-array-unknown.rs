use qapi::Qapi;

// QEMU: command uses unknown type 'NoSuchType'
#[derive(Qapi)]
#[qapi(command = "oops")]
struct Oops {
    array: Vec<NoSuchType>,
}

fn main() {}
