use qapi::Qapi;

// QEMU: built-in type 'int' is already defined
#[derive(Qapi)]
#[qapi(command = "int")]
struct Int {
    character: String,
}

fn main() {}
