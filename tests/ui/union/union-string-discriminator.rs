use qapi::Qapi;

// QEMU: discriminator member 'kind' of base type 'TestBase' must be of enum type
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum TestEnum {
    Value1,
    Value2,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestTypeA {
    string: String,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestTypeB {
    integer: i64,
}


#[derive(Qapi)]
#[qapi(union, discriminator = "kind")]
struct TestUnion {
    enum1: TestEnum,
    kind: String,
}

fn main() {}
