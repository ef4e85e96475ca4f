use qapi::Qapi;

// QEMU: branch 'value1' cannot use built-in type 'int'
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
    Value1(i64),
    Value2(TestTypeB),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "enum1")]
struct TestUnion {
    enum1: TestBranch,
}

fn main() {}
