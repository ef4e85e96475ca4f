use qapi::Qapi;

// QEMU: 'data' member 'not\possible' has an invalid name
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum MyEnum {
    #[qapi(name = "not\\possible")]
    NotPossible,
}

fn main() {}
