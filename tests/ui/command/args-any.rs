use qapi::Qapi;

// QEMU: command's 'data' cannot take built-in type 'any'
#[derive(Qapi)]
#[qapi(command = "oops")]
struct Oops(serde_json::Value);

fn main() {}
