use qapi::Qapi;

// QEMU: expression must have exactly one key 'enum', 'struct', 'union', 'alternate', 'command', 'event'
#[derive(Qapi)]
#[qapi(command = "foo", struct)]
struct Bar {}

fn main() {}
