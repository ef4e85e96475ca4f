use qapi::Qapi;

// QEMU: alternate has unknown key 'base'
#[derive(Qapi)]
#[qapi(struct)]
struct Base {
    string: String,
}

#[derive(Qapi)]
#[qapi(alternate, base = Base)]
enum Alt {
    Number(i64),
}

fn main() {}
