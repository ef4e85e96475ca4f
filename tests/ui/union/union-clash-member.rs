use qapi::Qapi;

// QEMU: member 'name' of type 'Branch1' collides with member 'name' of type 'Base'
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum TestEnum {
    Value1,
    Value2,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Branch1 {
    name: String,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Branch2 {
    value: i64,
}

#[derive(Qapi)]
#[qapi(branches(tag = TestEnum))]
enum TestBranch {
    Value1(Branch1),
    Value2(Branch2),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "enum1")]
struct TestUnion {
    enum1: TestBranch,
    name: Option<String>,
}

fn main() {}
