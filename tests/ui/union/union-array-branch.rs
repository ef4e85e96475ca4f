use qapi::Qapi;

// QEMU: 'data' member 'value1' should be a type name
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum TestEnum {
    Value1,
    Value2,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestTypeB {
    integer: i64,
}

#[derive(Qapi)]
#[qapi(branches(tag = TestEnum))]
enum TestBranch {
    Value1(Vec<TestTypeB>),
    Value2(TestTypeB),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "enum1")]
struct TestUnion {
    enum1: TestBranch,
}

fn main() {}
