use qapi::Qapi;

// QEMU: discriminator 'type_tag' is not a member of 'base'
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
#[qapi(union, discriminator = "type_tag")]
struct TestUnion {
    enum1: TestBranch,
}

fn main() {}
