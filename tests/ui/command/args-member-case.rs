use qapi::Qapi;

// QEMU: name of 'data' member 'Arg' must not use uppercase or '_'
// QEMU's 'member-name-exceptions' never covers command arguments.
#[derive(Qapi)]
#[qapi(command = "no-way-this-will-get-whitelisted")]
struct NoWay {
    #[qapi(name = "Arg")]
    arg: i64,
}

fn main() {}
