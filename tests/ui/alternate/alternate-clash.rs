use qapi::Qapi;

// QEMU: name of 'data' member 'a_b' must not use uppercase or '_'
// QEMU lists `Alt1` in 'member-name-exceptions', which never covers
// alternate branches: the case rule fails before the clash.
#[derive(Qapi)]
#[qapi(alternate)]
enum Alt1 {
    #[qapi(name = "a-b")]
    First(bool),
    #[qapi(name = "a_b")]
    Second(i64),
}

fn main() {}
