//! QEMU's kitchen-sink QAPI test schema, `tests/qapi-schema/qapi-schema-test.json`
//! (QEMU 10.0.2), written by hand with `#[derive(Qapi)]`.
//!
//! Every definition of the schema is here, in the schema's order; the
//! modules [`sub_module`] and [`sub_sub_module`] hold what the schema
//! includes (`include/sub-module.json`, which includes
//! `sub-sub-module.json`). Each QAPI `if` is the same `#[cfg]` (the build
//! script sets every condition name, so all of them hold); features,
//! names and flags are as in the schema. The conditions of whole
//! definitions are also listed in [`with_item_conditions`], because the
//! derive does not record them.
//!
//! [`schema`] describes every command and event in definition order,
//! which is what QEMU's introspection starts from; `tests/oracle.rs`
//! compares its introspection with QEMU's generator output.
//!
//! Where the derive cannot say what the schema says, the port uses the
//! closest construct with the same wire format and introspection, and
//! says so at the definition (search for "Port note").
//!
//! The schema's pragmas have no Rust counterpart except through names:
//! `member-name-exceptions: ['UserDefA']` is `UserDefA`'s member
//! `#[qapi(name = "a_b")]`; `command-returns-exceptions` for
//! `guest-get-time` and `guest-sync` is `returns_exception` on those
//! commands.
#![forbid(unsafe_code)]

pub mod sub_module;
pub mod sub_sub_module;

use qapi::schema::{Cond, Schema};
use qapi::{Command, Event, Null, Qapi, SchemaBuilder, Size};

pub use sub_module::*;
pub use sub_sub_module::*;

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct TestStruct {
    pub integer: i64,
    pub boolean: bool,
    pub string: String,
}

// for testing enums
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct NestedEnumsOne {
    /// Intentional forward reference.
    pub enum1: EnumOne,
    pub enum2: Option<EnumOne>,
    pub enum3: EnumOne,
    pub enum4: Option<EnumOne>,
}

/// An empty enum, although unusual, is currently acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum MyEnum {}

/// Likewise for an empty struct, including an empty base.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct Empty1 {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct Empty2 {
    #[qapi(base)]
    pub base: Empty1,
}

/// Likewise for an empty union: every value of `EnumOne` is an implicit
/// empty branch.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = EnumOne))]
pub enum UnionBranch {
    Value1,
    Value2,
    Value3,
    Value4,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "type")]
pub struct Union {
    pub r#type: UnionBranch,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "user-def-cmd0", returns = Empty2)]
pub struct UserDefCmd0(pub Empty2);

/// For testing override of default naming heuristic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum, prefix = "QENUM_TWO")]
pub enum QEnumTwo {
    Value1,
    Value2,
}

// for testing nested structs
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UserDefOne {
    /// Intentional forward reference.
    #[qapi(base)]
    pub base: UserDefZero,
    pub string: String,
    /// Intentional forward reference.
    pub enum1: Option<EnumOne>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum EnumOne {
    Value1,
    Value2,
    Value3,
    Value4,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UserDefZero {
    pub integer: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UserDefTwoDictDict {
    pub userdef: UserDefOne,
    pub string: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UserDefTwoDict {
    pub string1: String,
    pub dict2: UserDefTwoDictDict,
    pub dict3: Option<UserDefTwoDictDict>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UserDefTwo {
    pub string0: String,
    pub dict1: UserDefTwoDict,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UserDefThree {
    pub string0: String,
}

/// Dummy struct to force generation of array types not otherwise
/// mentioned.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct ForceArrays {
    pub unused1: Vec<UserDefOne>,
    pub unused2: Vec<UserDefTwo>,
    pub unused3: Vec<TestStruct>,
}

// for testing unions
// Among other things, test that a name collision between branches does
// not cause any problems (since only one branch can be in use at a time),
// by intentionally using two branches that both have a C member 'a_b'
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UserDefA {
    pub boolean: bool,
    /// Allowed by the pragma `member-name-exceptions`.
    #[qapi(name = "a_b")]
    pub a_b: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UserDefB {
    pub intb: i64,
    pub a_b: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = EnumOne))]
pub enum UserDefFlatUnionBranch {
    Value1(UserDefA),
    Value2(UserDefB),
    Value3(UserDefB),
    /// 'value4' defaults to empty.
    Value4,
}

/// Port note: QEMU writes `'base': 'UserDefUnionBase'` (a named base,
/// itself based on `UserDefZero`). The derive accepts no named base on a
/// union (`#[qapi(base)]` is for structs only), so the base chain's
/// members are listed here directly, in base-chain order. Wire format
/// and introspection are the same (a union's introspection lists its
/// flattened members and never references its base type); only the
/// schema model differs (`UnionBase::Inline` instead of
/// `UnionBase::Named("UserDefUnionBase")`).
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "enum1")]
pub struct UserDefFlatUnion {
    // from UserDefZero, UserDefUnionBase's base
    pub integer: i64,
    // from UserDefUnionBase
    pub string: String,
    pub enum1: UserDefFlatUnionBranch,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UserDefUnionBase {
    #[qapi(base)]
    pub base: UserDefZero,
    pub string: String,
    pub enum1: EnumOne,
}

// this variant of UserDefFlatUnion defaults to a union that uses members with
// allocated types to test corner cases in the cleanup/dealloc visitor
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = QEnumTwo))]
pub enum UserDefFlatUnion2Branch {
    /// Intentional forward reference.
    Value1(UserDefC),
    Value2(UserDefB),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "enum1")]
pub struct UserDefFlatUnion2 {
    pub integer: Option<i64>,
    pub string: String,
    pub enum1: UserDefFlatUnion2Branch,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct WrapAlternate {
    pub alt: UserDefAlternate,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum UserDefAlternate {
    Udfu(UserDefFlatUnion),
    E(EnumOne),
    I(i64),
    N(Null),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UserDefC {
    pub string1: String,
    pub string2: String,
}

// this tests that unions can contain other unions in their branches
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum TestUnionEnum {
    ValueA,
    ValueB,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum TestUnionEnumA {
    ValueA1,
    ValueA2,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct TestUnionTypeA1 {
    pub integer: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct TestUnionTypeA2 {
    pub integer: i64,
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = TestUnionEnumA))]
pub enum TestUnionTypeABranch {
    ValueA1(TestUnionTypeA1),
    ValueA2(TestUnionTypeA2),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "type-a")]
pub struct TestUnionTypeA {
    pub type_a: TestUnionTypeABranch,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct TestUnionTypeB {
    pub integer: i64,
    pub onoff: bool,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = TestUnionEnum))]
pub enum TestUnionInUnionBranch {
    ValueA(TestUnionTypeA),
    ValueB(TestUnionTypeB),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "type")]
pub struct TestUnionInUnion {
    pub r#type: TestUnionInUnionBranch,
}

// for testing use of 'number' within alternates
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum AltEnumBool {
    E(EnumOne),
    B(bool),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum AltEnumNum {
    E(EnumOne),
    N(f64),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum AltNumEnum {
    N(f64),
    E(EnumOne),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum AltEnumInt {
    E(EnumOne),
    I(i64),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum AltListInt {
    L(Vec<i64>),
    I(i64),
}

// for testing use of 'str' within alternates
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum AltStrObj {
    S(String),
    O(TestStruct),
}

/// Port note: `'s64': ['int64']` is written `Vec<i64>`, which the derive
/// describes as `['int']` (`i64` is QAPI `int`; there is no separate Rust
/// spelling of `int64`). Both are `int` in introspection and on the wire.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct ArrayStruct {
    pub integer: Vec<i64>,
    pub s8: Vec<i8>,
    pub s16: Vec<i16>,
    pub s32: Vec<i32>,
    pub s64: Vec<i64>,
    pub u8: Vec<u8>,
    pub u16: Vec<u16>,
    pub u32: Vec<u32>,
    pub u64: Vec<u64>,
    pub number: Vec<f64>,
    pub boolean: Vec<bool>,
    pub string: Vec<String>,
    pub sz: Option<Vec<Size>>,
    pub any: Option<Vec<serde_json::Value>>,
    /// Intentional forward reference to the sub-module.
    pub user: Option<Vec<Status>>,
}

// for testing sub-modules: { 'include': 'include/sub-module.json' }
// (see `sub_module`)

// testing commands
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "user-def-cmd")]
pub struct UserDefCmd {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "user-def-cmd1")]
pub struct UserDefCmd1 {
    pub ud1a: UserDefOne,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "user-def-cmd2", returns = UserDefTwo)]
pub struct UserDefCmd2 {
    pub ud1a: UserDefOne,
    pub ud1b: Option<UserDefOne>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "cmd-success-response", success_response = false)]
pub struct CmdSuccessResponse {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "coroutine-cmd", coroutine)]
pub struct CoroutineCmd {}

/// Returning a non-dictionary requires a name from the whitelist.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "guest-get-time", returns = i64, returns_exception)]
pub struct GuestGetTime {
    pub a: i64,
    pub b: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "guest-sync", returns = serde_json::Value, returns_exception)]
pub struct GuestSync {
    pub arg: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "boxed-struct", boxed)]
pub struct BoxedStruct(pub UserDefZero);

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "boxed-union", boxed)]
pub struct BoxedUnion(pub UserDefFlatUnion);

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "boxed-empty", boxed)]
pub struct BoxedEmpty(pub Empty1);

/// Smoke test on out-of-band and allow-preconfig-test.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "test-flags-command", allow_oob, allow_preconfig)]
pub struct TestFlagsCommand {}

/// For testing integer range flattening in opts-visitor.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UserDefOptions {
    pub i64: Option<Vec<i64>>,
    pub u64: Option<Vec<u64>>,
    pub u16: Option<Vec<u16>>,
    pub i64x: Option<i64>,
    pub u64x: Option<u64>,
}

// testing event
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct EventStructOne {
    pub struct1: UserDefOne,
    pub string: String,
    pub enum2: Option<EnumOne>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "EVENT_A")]
pub struct EventA {}

/// `'data': { }`: the same as no data.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "EVENT_B")]
pub struct EventB {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "EVENT_C")]
pub struct EventC {
    pub a: Option<i64>,
    pub b: Option<UserDefOne>,
    pub c: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "EVENT_D")]
pub struct EventD {
    pub a: EventStructOne,
    pub b: String,
    pub c: Option<String>,
    pub enum3: Option<EnumOne>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "EVENT_E", boxed)]
pub struct EventE(pub UserDefZero);

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "EVENT_F", boxed)]
pub struct EventF(pub UserDefFlatUnion);

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "EVENT_G", boxed)]
pub struct EventG(pub Empty1);

// test that we correctly compile downstream extensions, as well as munge
// ticklish names
// also test union and alternate with just one branch
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum, name = "__org.qemu_x-Enum")]
pub enum OrgQemuXEnum {
    #[qapi(name = "__org.qemu_x-value")]
    OrgQemuXValue,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct, name = "__org.qemu_x-Base")]
pub struct OrgQemuXBase {
    #[qapi(name = "__org.qemu_x-member1")]
    pub member1: OrgQemuXEnum,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct, name = "__org.qemu_x-Struct")]
pub struct OrgQemuXStruct {
    #[qapi(base)]
    pub base: OrgQemuXBase,
    #[qapi(name = "__org.qemu_x-member2")]
    pub member2: String,
    pub wchar_t: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate, name = "__org.qemu_x-Alt1")]
pub enum OrgQemuXAlt1 {
    #[qapi(name = "__org.qemu_x-branch")]
    Branch(String),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct, name = "__org.qemu_x-Struct2")]
pub struct OrgQemuXStruct2 {
    pub array: Vec<OrgQemuXUnion>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = OrgQemuXEnum))]
pub enum OrgQemuXUnionBranch {
    OrgQemuXValue(OrgQemuXStruct2),
}

/// Port note: QEMU writes `'base': '__org.qemu_x-Base'`; as for
/// [`UserDefFlatUnion`], the base's one member is listed directly.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(
    union,
    name = "__org.qemu_x-Union",
    discriminator = "__org.qemu_x-member1"
)]
pub struct OrgQemuXUnion {
    #[qapi(name = "__org.qemu_x-member1")]
    pub member1: OrgQemuXUnionBranch,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate, name = "__org.qemu_x-Alt")]
pub enum OrgQemuXAlt {
    #[qapi(name = "__org.qemu_x-branch")]
    Branch(OrgQemuXBase),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "__ORG.QEMU_X-EVENT")]
pub struct OrgQemuXEvent(pub OrgQemuXStruct);

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "__org.qemu_x-command")]
pub struct OrgQemuXCommand {
    pub a: Vec<OrgQemuXEnum>,
    pub b: Vec<OrgQemuXStruct>,
    pub c: OrgQemuXUnion,
    pub d: OrgQemuXAlt,
}

// test 'if' condition handling

#[cfg(TEST_IF_STRUCT)]
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct TestIfStruct {
    pub foo: i64,
    #[cfg(TEST_IF_STRUCT_MEMBER)]
    pub bar: i64,
    #[cfg(TEST_IF_STRUCT_MEMBER)]
    pub baz: Option<String>,
}

#[cfg(TEST_IF_UNION)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum TestIfEnum {
    Foo,
    #[cfg(TEST_IF_ENUM_MEMBER)]
    Bar,
}

#[cfg(all(TEST_IF_UNION, TEST_IF_STRUCT))]
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = TestIfEnum))]
pub enum TestIfUnionBranch {
    Foo(TestStruct),
    #[cfg(TEST_IF_ENUM_MEMBER)]
    Bar(UserDefZero),
}

#[cfg(all(TEST_IF_UNION, TEST_IF_STRUCT))]
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "type")]
pub struct TestIfUnion {
    pub r#type: TestIfUnionBranch,
}

#[cfg(all(TEST_IF_UNION, TEST_IF_STRUCT))]
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "test-if-union-cmd")]
pub struct TestIfUnionCmd {
    pub union_cmd_arg: TestIfUnion,
}

#[cfg(all(TEST_IF_ALT, TEST_IF_STRUCT))]
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum TestIfAlternate {
    Foo(i64),
    #[cfg(TEST_IF_ALT_MEMBER)]
    Bar(TestStruct),
}

#[cfg(all(TEST_IF_ALT, TEST_IF_STRUCT))]
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "test-if-alternate-cmd")]
pub struct TestIfAlternateCmd {
    pub alt_cmd_arg: TestIfAlternate,
}

#[cfg(all(TEST_IF_CMD, TEST_IF_STRUCT))]
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "test-if-cmd", boxed, returns = UserDefThree)]
pub struct TestIfCmd(pub TestIfStruct);

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "test-cmd-return-def-three", returns = UserDefThree)]
pub struct TestCmdReturnDefThree {}

#[cfg(all(TEST_IF_EVT, TEST_IF_STRUCT))]
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "TEST_IF_EVENT", boxed)]
pub struct TestIfEvent(pub TestIfStruct);

#[cfg(not(any(not(TEST_IF_EVT), not(TEST_IF_STRUCT))))]
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "TEST_IF_EVENT2")]
pub struct TestIfEvent2 {}

// test 'features'

/// `'features': []`.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct FeatureStruct0 {
    pub foo: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct, feature = "feature1")]
pub struct FeatureStruct1 {
    #[qapi(feature = "deprecated")]
    pub foo: i64,
}

/// `'features': [ { 'name': 'feature1' } ]`.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct, feature = "feature1")]
pub struct FeatureStruct2 {
    #[qapi(feature = "unstable")]
    pub foo: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct, feature = "feature1", feature = "feature2")]
pub struct FeatureStruct3 {
    pub foo: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(
    struct,
    feature = "namespace-test",
    feature = "int",
    feature = "name",
    feature = "if"
)]
pub struct FeatureStruct4 {
    pub namespace_test: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct, feature("feature1", cfg(TEST_IF_FEATURE_1)))]
pub struct CondFeatureStruct1 {
    pub foo: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(
    struct,
    feature("feature1", cfg(TEST_IF_FEATURE_1)),
    feature("feature2", cfg(TEST_IF_FEATURE_2))
)]
pub struct CondFeatureStruct2 {
    pub foo: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct, feature("feature1", cfg(all(TEST_IF_COND_1, TEST_IF_COND_2))))]
pub struct CondFeatureStruct3 {
    pub foo: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct, feature("feature1", cfg(any(TEST_IF_COND_1, TEST_IF_COND_2))))]
pub struct CondFeatureStruct4 {
    pub foo: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum, feature = "feature1")]
pub enum FeatureEnum1 {
    Eins,
    Zwei,
    #[qapi(feature = "deprecated")]
    Drei,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = FeatureEnum1))]
pub enum FeatureUnion1Branch {
    Eins(FeatureStruct1),
    Zwei,
    Drei,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "tag", feature = "feature1")]
pub struct FeatureUnion1 {
    pub tag: FeatureUnion1Branch,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate, feature = "feature1")]
pub enum FeatureAlternate1 {
    Eins(FeatureStruct1),
}

/// `'features': []`.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "test-features0", returns = FeatureStruct1)]
pub struct TestFeatures0 {
    pub fs0: Option<FeatureStruct0>,
    pub fs1: Option<FeatureStruct1>,
    pub fs2: Option<FeatureStruct2>,
    pub fs3: Option<FeatureStruct3>,
    pub fs4: Option<FeatureStruct4>,
    pub cfs1: Option<CondFeatureStruct1>,
    pub cfs2: Option<CondFeatureStruct2>,
    pub cfs3: Option<CondFeatureStruct3>,
    pub cfs4: Option<CondFeatureStruct4>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "test-command-features1", feature = "deprecated")]
pub struct TestCommandFeatures1 {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(
    command = "test-command-features3",
    feature = "unstable",
    feature = "feature1",
    feature = "feature2"
)]
pub struct TestCommandFeatures3 {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(
    command = "test-command-cond-features1",
    feature("feature1", cfg(TEST_IF_FEATURE_1))
)]
pub struct TestCommandCondFeatures1 {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(
    command = "test-command-cond-features2",
    feature("feature1", cfg(TEST_IF_FEATURE_1)),
    feature("feature2", cfg(TEST_IF_FEATURE_2))
)]
pub struct TestCommandCondFeatures2 {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(
    command = "test-command-cond-features3",
    feature("feature1", cfg(all(TEST_IF_COND_1, TEST_IF_COND_2)))
)]
pub struct TestCommandCondFeatures3 {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "TEST_EVENT_FEATURES0")]
pub struct TestEventFeatures0(pub FeatureStruct1);

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "TEST_EVENT_FEATURES1", feature = "deprecated")]
pub struct TestEventFeatures1 {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "TEST_EVENT_FEATURES2", feature = "unstable")]
pub struct TestEventFeatures2 {}

/// The schema: every command and event of qapi-schema-test.json, in
/// definition order (all of them are in the main file; the included
/// modules define types only), and through them every type they use.
///
/// The `if` conditions of whole definitions are added by
/// [`with_item_conditions`]: the derive cannot see them (see there).
pub fn schema() -> Schema {
    with_item_conditions(derived_schema())
}

/// [`schema`] exactly as the derives describe it, without
/// [`with_item_conditions`].
pub fn derived_schema() -> Schema {
    let mut b = SchemaBuilder::new();
    describe_entry_points(&mut b);
    assert!(
        b.conflicts().is_empty(),
        "QAPI name conflicts: {:?}",
        b.conflicts()
    );
    b.finish()
}

/// A `cfg` predicate as a QAPI condition, the way the derive records
/// the `#[cfg]`s of members, values and branches: `NAME`, `all(...)`,
/// `any(...)`, `not(...)`.
macro_rules! cond {
    (all($($n:ident $(($($a:tt)*))?),* $(,)?)) => {
        Cond::All(vec![$(cond!($n $(($($a)*))?)),*])
    };
    (any($($n:ident $(($($a:tt)*))?),* $(,)?)) => {
        Cond::Any(vec![$(cond!($n $(($($a)*))?)),*])
    };
    (not($($a:tt)*)) => {
        Cond::Not(Box::new(cond!($($a)*)))
    };
    ($n:ident) => {
        Cond::name(stringify!($n))
    };
}

/// The condition of every conditional definition, each row written
/// once as `PRED => "QAPI name"` and expanding to a row present only
/// when `#[cfg(PRED)]` holds, with the condition recorded from the same
/// tokens.
macro_rules! conditional {
    ($($($pred:ident)? $(($($p:tt)*))? => $name:literal),* $(,)?) => {{
        let mut rows: Vec<(&'static str, Cond)> = Vec::new();
        $(
            #[cfg($($pred)? $(($($p)*))?)]
            rows.push(($name, cond!($($pred)? $(($($p)*))?)));
        )*
        rows
    }};
}

/// Port note: the derive records the `#[cfg]` of members, enum values,
/// branches and features, but never the `#[cfg]` of the item itself:
/// rustc evaluates an item's own `#[cfg]` (wherever it is written
/// relative to `#[derive]`) and removes it before the derive sees the
/// item, so every definition comes out unconditional. The entity
/// conditions of QEMU's output (`tests/data/*.conditions.json`,
/// "entities") are therefore added here, after describing: the same
/// predicates as the items' `#[cfg]`s above, in schema order.
#[allow(clippy::vec_init_then_push)] // `conditional!`: each push has its own #[cfg]
pub fn with_item_conditions(schema: Schema) -> Schema {
    let rows = conditional![
        TEST_IF_STRUCT => "TestIfStruct",
        TEST_IF_UNION => "TestIfEnum",
        all(TEST_IF_UNION, TEST_IF_STRUCT) => "TestIfUnion",
        all(TEST_IF_UNION, TEST_IF_STRUCT) => "test-if-union-cmd",
        all(TEST_IF_ALT, TEST_IF_STRUCT) => "TestIfAlternate",
        all(TEST_IF_ALT, TEST_IF_STRUCT) => "test-if-alternate-cmd",
        all(TEST_IF_CMD, TEST_IF_STRUCT) => "test-if-cmd",
        all(TEST_IF_EVT, TEST_IF_STRUCT) => "TEST_IF_EVENT",
        not(any(not(TEST_IF_EVT), not(TEST_IF_STRUCT))) => "TEST_IF_EVENT2",
    ];
    for (name, _) in &rows {
        assert!(schema.contains(name), "{name} is not in the schema");
    }
    let mut out = Schema::new();
    for mut def in schema.definitions().iter().cloned() {
        if let Some((name, cond)) = rows.iter().find(|(n, _)| *n == def.name()) {
            let slot = &mut def.common_mut().cond;
            assert!(
                slot.is_none() || slot.as_ref() == Some(cond),
                "{name}: the derive recorded {slot:?}, the port says {cond:?}"
            );
            *slot = Some(cond.clone());
        }
        out.insert(def);
    }
    out
}

/// [`schema`] plus every type no command or event uses (QEMU's
/// introspection omits those, but they are part of the schema), in
/// definition order after the entry points. Introspecting it gives the
/// same result as [`schema`].
pub fn full_schema() -> Schema {
    let mut b = SchemaBuilder::new();
    describe_entry_points(&mut b);
    let b = &mut b;
    // qapi-schema-test.json
    TestStruct::describe(b);
    NestedEnumsOne::describe(b);
    MyEnum::describe(b);
    Empty1::describe(b);
    Empty2::describe(b);
    Union::describe(b);
    QEnumTwo::describe(b);
    UserDefOne::describe(b);
    EnumOne::describe(b);
    UserDefZero::describe(b);
    UserDefTwoDictDict::describe(b);
    UserDefTwoDict::describe(b);
    UserDefTwo::describe(b);
    UserDefThree::describe(b);
    ForceArrays::describe(b);
    UserDefA::describe(b);
    UserDefB::describe(b);
    UserDefFlatUnion::describe(b);
    UserDefUnionBase::describe(b);
    UserDefFlatUnion2::describe(b);
    WrapAlternate::describe(b);
    UserDefAlternate::describe(b);
    UserDefC::describe(b);
    TestUnionEnum::describe(b);
    TestUnionEnumA::describe(b);
    TestUnionTypeA1::describe(b);
    TestUnionTypeA2::describe(b);
    TestUnionTypeA::describe(b);
    TestUnionTypeB::describe(b);
    TestUnionInUnion::describe(b);
    AltEnumBool::describe(b);
    AltEnumNum::describe(b);
    AltNumEnum::describe(b);
    AltEnumInt::describe(b);
    AltListInt::describe(b);
    AltStrObj::describe(b);
    ArrayStruct::describe(b);
    UserDefOptions::describe(b);
    EventStructOne::describe(b);
    OrgQemuXEnum::describe(b);
    OrgQemuXBase::describe(b);
    OrgQemuXStruct::describe(b);
    OrgQemuXAlt1::describe(b);
    OrgQemuXStruct2::describe(b);
    OrgQemuXUnion::describe(b);
    OrgQemuXAlt::describe(b);
    #[cfg(TEST_IF_STRUCT)]
    TestIfStruct::describe(b);
    #[cfg(TEST_IF_UNION)]
    TestIfEnum::describe(b);
    #[cfg(all(TEST_IF_UNION, TEST_IF_STRUCT))]
    TestIfUnion::describe(b);
    #[cfg(all(TEST_IF_ALT, TEST_IF_STRUCT))]
    TestIfAlternate::describe(b);
    FeatureStruct0::describe(b);
    FeatureStruct1::describe(b);
    FeatureStruct2::describe(b);
    FeatureStruct3::describe(b);
    FeatureStruct4::describe(b);
    CondFeatureStruct1::describe(b);
    CondFeatureStruct2::describe(b);
    CondFeatureStruct3::describe(b);
    CondFeatureStruct4::describe(b);
    FeatureEnum1::describe(b);
    FeatureUnion1::describe(b);
    FeatureAlternate1::describe(b);
    // include/sub-module.json, then sub-sub-module.json
    SecondArrayRef::describe(b);
    Status::describe(b);
    assert!(
        b.conflicts().is_empty(),
        "QAPI name conflicts: {:?}",
        b.conflicts()
    );
    with_item_conditions(std::mem::take(b).finish())
}

/// Every command and event, in definition order.
fn describe_entry_points(b: &mut SchemaBuilder) {
    <UserDefCmd0 as Command>::describe_command(b);
    <UserDefCmd as Command>::describe_command(b);
    <UserDefCmd1 as Command>::describe_command(b);
    <UserDefCmd2 as Command>::describe_command(b);
    <CmdSuccessResponse as Command>::describe_command(b);
    <CoroutineCmd as Command>::describe_command(b);
    <GuestGetTime as Command>::describe_command(b);
    <GuestSync as Command>::describe_command(b);
    <BoxedStruct as Command>::describe_command(b);
    <BoxedUnion as Command>::describe_command(b);
    <BoxedEmpty as Command>::describe_command(b);
    <TestFlagsCommand as Command>::describe_command(b);
    <EventA as Event>::describe_event(b);
    <EventB as Event>::describe_event(b);
    <EventC as Event>::describe_event(b);
    <EventD as Event>::describe_event(b);
    <EventE as Event>::describe_event(b);
    <EventF as Event>::describe_event(b);
    <EventG as Event>::describe_event(b);
    <OrgQemuXEvent as Event>::describe_event(b);
    <OrgQemuXCommand as Command>::describe_command(b);
    #[cfg(all(TEST_IF_UNION, TEST_IF_STRUCT))]
    <TestIfUnionCmd as Command>::describe_command(b);
    #[cfg(all(TEST_IF_ALT, TEST_IF_STRUCT))]
    <TestIfAlternateCmd as Command>::describe_command(b);
    #[cfg(all(TEST_IF_CMD, TEST_IF_STRUCT))]
    <TestIfCmd as Command>::describe_command(b);
    <TestCmdReturnDefThree as Command>::describe_command(b);
    #[cfg(all(TEST_IF_EVT, TEST_IF_STRUCT))]
    <TestIfEvent as Event>::describe_event(b);
    #[cfg(not(any(not(TEST_IF_EVT), not(TEST_IF_STRUCT))))]
    <TestIfEvent2 as Event>::describe_event(b);
    <TestFeatures0 as Command>::describe_command(b);
    <TestCommandFeatures1 as Command>::describe_command(b);
    <TestCommandFeatures3 as Command>::describe_command(b);
    <TestCommandCondFeatures1 as Command>::describe_command(b);
    <TestCommandCondFeatures2 as Command>::describe_command(b);
    <TestCommandCondFeatures3 as Command>::describe_command(b);
    <TestEventFeatures0 as Event>::describe_event(b);
    <TestEventFeatures1 as Event>::describe_event(b);
    <TestEventFeatures2 as Event>::describe_event(b);
}
