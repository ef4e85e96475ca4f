use qapi::Qapi;

// QEMU: branch 'value_wrong' is not a value of enum type 'TestEnum'
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

// The branches are the variants of `TestEnum`, by name.
#[derive(Qapi)]
#[qapi(branches(tag = TestEnum))]
enum TestBranch {
    ValueWrong(TestTypeA),
    Value2(TestTypeB),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "enum1")]
struct TestUnion {
    enum1: TestBranch,
}

fn main() {}
