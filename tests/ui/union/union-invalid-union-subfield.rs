use qapi::Qapi;

// QEMU: member 'teeth' of type 'TestTypeFish' collides with base member 'teeth'
#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum TestEnum {
    Animals,
    Plants,
}

#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum TestAnimals {
    Fish,
    Birds,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestTypeFish {
    scales: i64,
    teeth: i64,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestTypeBirds {
    feathers: i64,
}

#[derive(Qapi)]
#[qapi(branches(tag = TestAnimals))]
enum TestTypeAnimalsBranch {
    Fish(TestTypeFish),
    Birds(TestTypeBirds),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "atype")]
struct TestTypeAnimals {
    atype: TestTypeAnimalsBranch,
}

#[derive(Qapi)]
#[qapi(struct)]
struct TestTypePlants {
    integer: i64,
}

#[derive(Qapi)]
#[qapi(branches(tag = TestEnum))]
enum TestUnionBranch {
    Animals(TestTypeAnimals),
    Plants(TestTypePlants),
}

#[derive(Qapi)]
#[qapi(union, discriminator = "type")]
struct TestUnion {
    r#type: TestUnionBranch,
    teeth: i64,
}

fn main() {}
