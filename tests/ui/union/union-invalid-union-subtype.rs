use qapi::Qapi;

// QEMU: base member 'type' of type 'TestTypeA' collides with base member 'type'
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum TestEnum {
    ValueA,
    ValueB,
}

#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum TestEnumA {
    ValueA1,
    ValueA2,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestTypeA1 {
    integer: i64,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestTypeA2 {
    integer: i64,
}

#[derive(Qapi)]
#[qapi(branches(tag = TestEnumA))]
enum TestTypeABranch {
    ValueA1(TestTypeA1),
    ValueA2(TestTypeA2),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "type")]
struct TestTypeA {
    r#type: TestTypeABranch,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestTypeB {
    integer: i64,
}

#[derive(Qapi)]
#[qapi(branches(tag = TestEnum))]
enum TestUnionBranch {
    ValueA(TestTypeA),
    ValueB(TestTypeB),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "type")]
struct TestUnion {
    r#type: TestUnionBranch,
}

fn main() {}
