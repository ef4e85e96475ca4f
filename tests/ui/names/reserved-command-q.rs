use qapi::Qapi;

// QEMU: command has an invalid name
#[derive(Qapi)]
#[qapi(command = "unix")]
struct Unix {}

#[derive(Qapi)]
#[qapi(command = "q-unix")]
struct QUnix {}

fn main() {}
