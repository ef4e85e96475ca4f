use qapi::Qapi;

// QEMU: name of command must not use uppercase or '_' (QEMU's schema lists
// its exceptions in the pragma 'command-name-exceptions';
// `#[qapi(name_exception)]` is the Rust form).
#[derive(Qapi)]
#[qapi(command = "query_things")]
struct QueryThings {}

fn main() {}
