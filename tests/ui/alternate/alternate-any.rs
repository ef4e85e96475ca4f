use qapi::Qapi;

// QEMU: branch 'one' cannot use built-in type 'any'
#[derive(Qapi)]
#[qapi(alternate)]
enum Alt {
    One(serde_json::Value),
    Two(i64),
}

fn main() {}
