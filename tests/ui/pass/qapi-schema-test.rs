//! Legal constructs of QEMU's `qapi-schema-test.json` that sit next to
//! a rule: each must compile.
#![allow(dead_code)]

use qapi::Qapi;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum EnumOne {
    Value1,
    Value2,
    Value3,
    Value4,
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(struct)]
struct TestStruct {
    integer: i64,
    boolean: bool,
    string: String,
}

// An enum without `on`/`off` and without a value starting with a digit
// occupies only strings: it goes with bool and number branches.
#[derive(Debug, PartialEq, Qapi)]
#[qapi(alternate)]
enum AltEnumBool {
    E(EnumOne),
    B(bool),
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(alternate)]
enum AltEnumNum {
    E(EnumOne),
    N(f64),
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(alternate)]
enum AltNumEnum {
    N(f64),
    E(EnumOne),
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(alternate)]
enum AltEnumInt {
    E(EnumOne),
    I(i64),
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(alternate)]
enum AltListInt {
    L(Vec<i64>),
    I(i64),
}

// A `str` branch goes with an object branch.
#[derive(Debug, PartialEq, Qapi)]
#[qapi(alternate)]
enum AltStrObj {
    S(String),
    O(TestStruct),
}

// A boxed branch is its type.
#[derive(Debug, PartialEq, Qapi)]
#[qapi(alternate)]
enum AltBoxed {
    O(Box<TestStruct>),
    N(qapi::Null),
}

// Union branches whose members match across branches (only one branch
// is present at a time), with `_` allowed by QEMU's pragma for UserDefA.
#[derive(Debug, PartialEq, Qapi)]
#[qapi(struct)]
struct UserDefA {
    boolean: bool,
    #[qapi(name = "a_b")]
    a_b: Option<i64>,
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(struct)]
struct UserDefB {
    intb: i64,
    #[qapi(name = "a-b")]
    a_b: Option<bool>,
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(branches(tag = EnumOne))]
enum UserDefFlatUnion2Branch {
    Value1(UserDefA),
    Value2(UserDefB),
    Value3,
    Value4,
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(union, discriminator = "enum1")]
struct UserDefFlatUnion2 {
    integer: Option<i64>,
    string: String,
    enum1: UserDefFlatUnion2Branch,
}

// A union as a union branch, its own members not clashing.
#[derive(Debug, PartialEq, Qapi)]
#[qapi(branches(tag = EnumOne))]
enum OuterBranch {
    Value1(UserDefFlatUnion2),
    Value2(TestStruct),
    Value3,
    Value4,
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(union, discriminator = "kind")]
struct Outer {
    kind: OuterBranch,
}

// A base chain.
#[derive(Debug, PartialEq, Qapi)]
#[qapi(struct)]
struct UserDefZero {
    integer: i64,
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(struct)]
struct UserDefOne {
    #[qapi(base)]
    base: UserDefZero,
    string: String,
    enum1: Option<EnumOne>,
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(struct)]
struct UserDefTwo {
    #[qapi(base)]
    base: UserDefOne,
    extra: Option<bool>,
}

// Downstream and experimental names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum, name = "__org.qemu_x-Enum")]
enum OrgQemuXEnum {
    #[qapi(name = "__org.qemu_x-value")]
    Value,
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(struct, name = "__org.qemu_x-Base")]
struct OrgQemuXBase {
    #[qapi(name = "__org.qemu_x-member1")]
    member1: OrgQemuXEnum,
    x_experimental: Option<bool>,
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(event = "__ORG.QEMU_X-EVENT")]
struct OrgQemuXEvent(OrgQemuXBase);

#[derive(Debug, PartialEq, Qapi)]
#[qapi(command = "__org.qemu_x-command")]
struct OrgQemuXCommand {
    b: OrgQemuXBase,
}

// Enum values may start with a digit and use `_`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Speed {
    #[qapi(name = "144")]
    S144,
    #[qapi(name = "io_uring")]
    IoUring,
}

// QEMU's own exceptions, and the attribute that makes more.
#[derive(Debug, PartialEq, Qapi)]
#[qapi(command = "qmp_capabilities")]
struct QmpCapabilities {}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(command = "my_legacy_command", name_exception)]
struct MyLegacyCommand {}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(struct, name_exception)]
struct LegacyInfo {
    #[qapi(name = "CPU")]
    cpu: i64,
    #[qapi(name = "tray_open")]
    tray_open: bool,
}

// A union and conditional members as command arguments, with `boxed`.
#[derive(Debug, PartialEq, Qapi)]
#[qapi(command = "boxed-union", boxed)]
struct BoxedUnion(UserDefFlatUnion2);

#[derive(Debug, PartialEq, Qapi)]
#[qapi(struct)]
struct TestIfStruct {
    foo: i64,
    #[cfg(debug_assertions)]
    bar: i64,
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(command = "test-if-cmd", boxed)]
struct TestIfCmd(TestIfStruct);

#[derive(Debug, PartialEq, Qapi)]
#[qapi(event = "TEST_IF_EVENT", boxed)]
struct TestIfEvent(TestIfStruct);

// An empty enum is acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum MyEnum {}

fn main() {
    let s = qapi::schema_of::<Outer>();
    assert!(s.get("UserDefFlatUnion2").is_some());
    assert_eq!(qapi::from_str::<AltListInt>("[1]").unwrap(), AltListInt::L(vec![1]));
    assert!(qapi::from_str::<MyEnum>(r#""x""#).is_err());
    assert!(qapi::schema_of::<MyEnum>().get("MyEnum").is_some());
}
