use qapi::Qapi;

// QEMU: member 'string' of type 'TestTypeA' collides with base member 'string'
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
#[qapi(branches(tag = TestEnum))]
enum TestBranch {
    Value1(TestTypeA),
    Value2(TestTypeB),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "enum1")]
struct TestUnion {
    enum1: TestBranch,
    string: String,
}

fn main() {}
