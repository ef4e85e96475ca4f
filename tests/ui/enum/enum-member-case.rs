use qapi::Qapi;

// QEMU: name of 'data' member 'Value' must not use uppercase or '_'
// `#[qapi(name_exception)]` is QEMU's pragma 'member-name-exceptions'.
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum, name_exception)]
enum UuidInfo {
    #[qapi(name = "Value")]
    Value,
}

#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum NoWayThisWillGetWhitelisted {
    #[qapi(name = "Value")]
    Value,
}

fn main() {}
