use qapi::Qapi;

// QEMU's 'member-name-exceptions' never covers alternate branches.
#[derive(Qapi)]
#[qapi(alternate, name_exception)]
enum Alt {
    A(i64),
    B(String),
}

fn main() {}
