//! Wire behaviour of constructs the kitchen sink has and the workspace's
//! other tests do not: alternates with enum, number, bool, null and list
//! branches; unions whose base members come from a named base chain;
//! unions inside union branches; boxed commands and events; events
//! without data; downstream (`__org.qemu_x-`) names; sized-integer lists;
//! feature policy on members and enum values. Each: encoding, decoding,
//! and QEMU's error text (qobject-input-visitor.c and the generated
//! visitors of QEMU 10.0.2; REFERENCE.md 4.3 for the texts).

use qapi::json::WriteOptions;
use qapi::policy::{CompatPolicy, InputPolicy};
use qapi::{Command, Decoder, Event, EventMessage, Map, Null, Qapi, Timestamp, Value};
use qapi_kitchen_sink::*;
use serde_json::json;

fn obj(text: &str) -> Map {
    match qapi::json::parse_one(text.as_bytes()).expect("test input is JSON") {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// A value decoded with QEMU's rules, or QEMU's error text.
fn value<T: Qapi>(text: &str) -> Result<T, String> {
    qapi::from_str(text).map_err(|e| e.desc)
}

/// A command's `arguments`, decoded as QEMU's marshaller would.
fn args<C: Command>(text: &str) -> Result<C, String> {
    C::decode_args(obj(text), &mut Decoder::new()).map_err(|e| e.desc)
}

/// An event's `data`.
fn data<E: Event>(text: &str) -> Result<E, String> {
    E::decode_data(obj(text), &mut Decoder::new()).map_err(|e| e.desc)
}

fn enc<T: serde::Serialize>(t: &T) -> serde_json::Value {
    serde_json::to_value(t).unwrap()
}

fn text<T: serde::Serialize>(t: &T) -> String {
    serde_json::to_string(t).unwrap()
}

/// Encodes, checks the JSON, decodes it back with QEMU's rules.
fn roundtrip<T: Qapi + PartialEq + std::fmt::Debug>(v: &T, want: serde_json::Value) {
    assert_eq!(enc(v), want, "encoding of {v:?}");
    assert_eq!(&value::<T>(&text(v)).unwrap(), v);
}

fn flat_union(enum1: UserDefFlatUnionBranch) -> UserDefFlatUnion {
    UserDefFlatUnion {
        integer: 1,
        string: "s".into(),
        enum1,
    }
}

// ---- alternates ---------------------------------------------------------

#[test]
fn alternate_with_object_enum_int_and_null_branches() {
    use UserDefAlternate::*;
    let wrap = |alt| WrapAlternate { alt };
    roundtrip(&wrap(E(EnumOne::Value2)), json!({"alt": "value2"}));
    roundtrip(&wrap(I(-7)), json!({"alt": -7}));
    roundtrip(&wrap(N(Null)), json!({"alt": null}));
    roundtrip(
        &wrap(Udfu(flat_union(UserDefFlatUnionBranch::Value4))),
        json!({"alt": {"integer": 1, "string": "s", "enum1": "value4"}}),
    );

    // No branch for the JSON type: the alternate's QAPI name, bare member name.
    assert_eq!(
        value::<WrapAlternate>(r#"{"alt": true}"#).unwrap_err(),
        "Invalid parameter type for 'alt', expected: UserDefAlternate"
    );
    // A string goes to the enum branch, whatever its value.
    assert_eq!(
        value::<WrapAlternate>(r#"{"alt": "value5"}"#).unwrap_err(),
        "Parameter 'alt' does not accept value 'value5'"
    );
    // Any number goes to the int branch.
    assert_eq!(
        value::<WrapAlternate>(r#"{"alt": 1.5}"#).unwrap_err(),
        "Invalid parameter type for 'alt', expected: integer"
    );
    // An object goes to the union branch, which has its own path.
    assert_eq!(
        value::<WrapAlternate>(r#"{"alt": {"integer": 1, "enum1": "value4"}}"#).unwrap_err(),
        "Parameter 'alt.string' is missing"
    );
}

#[test]
fn alternates_with_number_and_enum_in_either_order() {
    roundtrip(&AltEnumNum::N(2.5), json!(2.5));
    roundtrip(&AltEnumNum::E(EnumOne::Value1), json!("value1"));
    roundtrip(&AltNumEnum::N(-0.5), json!(-0.5));
    roundtrip(&AltNumEnum::E(EnumOne::Value4), json!("value4"));
    // `number` takes integers too.
    assert_eq!(value::<AltEnumNum>("1").unwrap(), AltEnumNum::N(1.0));
    assert_eq!(value::<AltNumEnum>("-3").unwrap(), AltNumEnum::N(-3.0));
    // At top level QEMU's name is NULL, printed as 'null'.
    assert_eq!(
        value::<AltEnumNum>("true").unwrap_err(),
        "Invalid parameter type for 'null', expected: AltEnumNum"
    );
    assert_eq!(
        value::<AltNumEnum>("null").unwrap_err(),
        "Invalid parameter type for 'null', expected: AltNumEnum"
    );
}

#[test]
fn alternates_with_bool_int_and_list_branches() {
    roundtrip(&AltEnumBool::B(false), json!(false));
    roundtrip(&AltEnumBool::E(EnumOne::Value3), json!("value3"));
    assert_eq!(
        value::<AltEnumBool>("1").unwrap_err(),
        "Invalid parameter type for 'null', expected: AltEnumBool"
    );
    assert_eq!(
        value::<AltEnumBool>(r#""nope""#).unwrap_err(),
        "Parameter 'null' does not accept value 'nope'"
    );

    roundtrip(
        &AltEnumInt::I(9223372036854775807),
        json!(9223372036854775807i64),
    );
    assert_eq!(
        value::<AltEnumInt>("1.5").unwrap_err(),
        "Invalid parameter type for '<anonymous>', expected: integer"
    );

    roundtrip(&AltListInt::L(vec![1, -2]), json!([1, -2]));
    roundtrip(&AltListInt::I(3), json!(3));
    assert_eq!(
        value::<AltListInt>(r#"[1, "x"]"#).unwrap_err(),
        "Invalid parameter type for '[1]', expected: integer"
    );
    assert_eq!(
        value::<AltListInt>(r#"{}"#).unwrap_err(),
        "Invalid parameter type for 'null', expected: AltListInt"
    );

    roundtrip(&AltStrObj::S("x".into()), json!("x"));
    assert_eq!(
        value::<AltStrObj>(r#"{"integer": 1, "boolean": true}"#).unwrap_err(),
        "Parameter 'string' is missing"
    );
}

#[test]
fn alternates_with_one_branch() {
    roundtrip(&OrgQemuXAlt1::Branch("b".into()), json!("b"));
    let base = OrgQemuXBase {
        member1: OrgQemuXEnum::OrgQemuXValue,
    };
    roundtrip(
        &OrgQemuXAlt::Branch(base),
        json!({"__org.qemu_x-member1": "__org.qemu_x-value"}),
    );
    assert_eq!(
        value::<OrgQemuXAlt>(r#""b""#).unwrap_err(),
        "Invalid parameter type for 'null', expected: __org.qemu_x-Alt"
    );
}

// ---- unions ---------------------------------------------------------------

#[test]
fn union_with_members_of_a_named_base_chain() {
    let u = flat_union(UserDefFlatUnionBranch::Value1(UserDefA {
        boolean: true,
        a_b: Some(5),
    }));
    // Base chain first (UserDefZero's `integer`, then UserDefUnionBase's),
    // then the branch.
    assert_eq!(
        text(&u),
        r#"{"integer":1,"string":"s","enum1":"value1","boolean":true,"a_b":5}"#
    );
    roundtrip(
        &u,
        json!({"integer": 1, "string": "s", "enum1": "value1", "boolean": true, "a_b": 5}),
    );
    // Two values with one branch type: the tag tells them apart.
    let v3 = flat_union(UserDefFlatUnionBranch::Value3(UserDefB {
        intb: 2,
        a_b: Some(false),
    }));
    roundtrip(
        &v3,
        json!({"integer": 1, "string": "s", "enum1": "value3", "intb": 2, "a-b": false}),
    );
    // value4 has no branch: nothing more is accepted.
    roundtrip(
        &flat_union(UserDefFlatUnionBranch::Value4),
        json!({"integer": 1, "string": "s", "enum1": "value4"}),
    );

    // The base's own base is visited first.
    assert_eq!(
        value::<UserDefFlatUnion>(r#"{"string": "s", "enum1": "value2", "intb": 1}"#).unwrap_err(),
        "Parameter 'integer' is missing"
    );
    assert_eq!(
        value::<UserDefFlatUnion>(r#"{"integer": 1, "string": "s", "enum1": "value4", "intb": 1}"#)
            .unwrap_err(),
        "Parameter 'intb' is unexpected"
    );
    // UserDefA's member is `a_b` (a pragma exception), UserDefB's `a-b`.
    assert_eq!(
        value::<UserDefFlatUnion>(
            r#"{"integer": 1, "string": "s", "enum1": "value1", "boolean": true, "a-b": 1}"#
        )
        .unwrap_err(),
        "Parameter 'a-b' is unexpected"
    );
}

#[test]
fn union_with_optional_base_member_and_no_empty_branch() {
    let u = UserDefFlatUnion2 {
        integer: None,
        string: "s".into(),
        enum1: UserDefFlatUnion2Branch::Value1(UserDefC {
            string1: "a".into(),
            string2: "b".into(),
        }),
    };
    roundtrip(
        &u,
        json!({"string": "s", "enum1": "value1", "string1": "a", "string2": "b"}),
    );
    assert_eq!(
        value::<UserDefFlatUnion2>(
            r#"{"integer": null, "string": "s", "enum1": "value2", "intb": 1}"#
        )
        .unwrap_err(),
        "Invalid parameter type for 'integer', expected: integer"
    );
    assert_eq!(
        value::<UserDefFlatUnion2>(r#"{"string": "s", "enum1": "value3"}"#).unwrap_err(),
        "Parameter 'enum1' does not accept value 'value3'"
    );
}

#[test]
fn union_in_a_union_branch() {
    let u = TestUnionInUnion {
        r#type: TestUnionInUnionBranch::ValueA(TestUnionTypeA {
            type_a: TestUnionTypeABranch::ValueA2(TestUnionTypeA2 {
                integer: 1,
                size: 2,
            }),
        }),
    };
    assert_eq!(
        text(&u),
        r#"{"type":"value-a","type-a":"value-a2","integer":1,"size":2}"#
    );
    roundtrip(
        &u,
        json!({"type": "value-a", "type-a": "value-a2", "integer": 1, "size": 2}),
    );
    assert_eq!(
        value::<TestUnionInUnion>(r#"{"type": "value-a", "type-a": "value-a3"}"#).unwrap_err(),
        "Parameter 'type-a' does not accept value 'value-a3'"
    );
    assert_eq!(
        value::<TestUnionInUnion>(r#"{"type": "value-b", "integer": 1}"#).unwrap_err(),
        "Parameter 'onoff' is missing"
    );
}

#[test]
fn union_with_no_listed_branch() {
    roundtrip(
        &Union {
            r#type: UnionBranch::Value2,
        },
        json!({"type": "value2"}),
    );
    assert_eq!(
        value::<Union>(r#"{"type": "value1", "x": 1}"#).unwrap_err(),
        "Parameter 'x' is unexpected"
    );
}

// ---- commands -----------------------------------------------------------------

#[test]
#[allow(clippy::assertions_on_constants)] // the derive's constants are what is tested
fn boxed_commands_take_the_type_members_as_arguments() {
    let u = flat_union(UserDefFlatUnionBranch::Value2(UserDefB {
        intb: 3,
        a_b: None,
    }));
    assert_eq!(
        enc(&BoxedUnion(u.clone())),
        json!({"integer": 1, "string": "s", "enum1": "value2", "intb": 3})
    );
    assert_eq!(
        args::<BoxedUnion>(r#"{"integer": 1, "string": "s", "enum1": "value2", "intb": 3}"#)
            .unwrap(),
        BoxedUnion(u)
    );
    // Top-level member names: no path prefix for a boxed argument.
    assert_eq!(
        args::<BoxedUnion>(r#"{"integer": 1, "string": "s", "enum1": "value2", "intb": "3"}"#)
            .unwrap_err(),
        "Invalid parameter type for 'intb', expected: integer"
    );
    assert_eq!(
        args::<BoxedUnion>("{}").unwrap_err(),
        "Parameter 'integer' is missing"
    );

    assert_eq!(
        args::<BoxedStruct>(r#"{"integer": -1}"#).unwrap(),
        BoxedStruct(UserDefZero { integer: -1 })
    );
    assert_eq!(
        enc(&BoxedStruct(UserDefZero { integer: -1 })),
        json!({"integer": -1})
    );
    assert_eq!(args::<BoxedEmpty>("{}").unwrap(), BoxedEmpty(Empty1 {}));
    assert_eq!(enc(&BoxedEmpty(Empty1 {})), json!({}));
    assert_eq!(
        args::<BoxedEmpty>(r#"{"integer": 1}"#).unwrap_err(),
        "Parameter 'integer' is unexpected"
    );

    // Not boxed, but also data of a named type: the same on the wire.
    let e2 = UserDefCmd0(Empty2 { base: Empty1 {} });
    assert_eq!(args::<UserDefCmd0>("{}").unwrap(), e2);
    assert_eq!(enc(&e2), json!({}));

    // Boxed, conditional members.
    let t = TestIfCmd(TestIfStruct {
        foo: 1,
        bar: 2,
        baz: Some("z".into()),
    });
    assert_eq!(enc(&t), json!({"foo": 1, "bar": 2, "baz": "z"}));
    assert_eq!(
        args::<TestIfCmd>(r#"{"foo": 1, "bar": 2, "baz": "z"}"#).unwrap(),
        t
    );
    assert_eq!(
        args::<TestIfCmd>(r#"{"foo": 1}"#).unwrap_err(),
        "Parameter 'bar' is missing"
    );

    for info in [
        BoxedUnion::INFO,
        BoxedStruct::INFO,
        BoxedEmpty::INFO,
        TestIfCmd::INFO,
    ] {
        assert!(info.boxed, "{}", info.name);
    }
    assert!(!UserDefCmd0::INFO.boxed);
}

#[test]
#[allow(clippy::assertions_on_constants)] // the derive's constants are what is tested
fn command_flags() {
    assert!(!CmdSuccessResponse::INFO.success_response);
    assert!(CoroutineCmd::INFO.coroutine);
    let f = TestFlagsCommand::INFO;
    assert!(f.allow_oob && f.allow_preconfig && f.success_response && !f.coroutine);
    assert_eq!(
        TestCommandFeatures1::INFO.special_features,
        qapi::policy::DEPRECATED
    );
    assert_eq!(
        TestCommandFeatures3::INFO.special_features,
        qapi::policy::UNSTABLE
    );
    assert_eq!(TestCommandCondFeatures1::INFO.special_features, 0);
}

#[test]
fn commands_returning_non_objects() {
    assert_eq!(
        args::<GuestGetTime>(r#"{"a": 1}"#).unwrap(),
        GuestGetTime { a: 1, b: None }
    );
    assert_eq!(
        args::<GuestGetTime>(r#"{"a": 1, "b": 2.0}"#).unwrap_err(),
        "Invalid parameter type for 'b', expected: integer"
    );
    let ret: <GuestGetTime as Command>::Returns = value("-5").unwrap();
    assert_eq!(ret, -5);

    // `any` takes everything, null included, and is mandatory all the same.
    let g = args::<GuestSync>(r#"{"arg": [null, {"x": 1.5}]}"#).unwrap();
    assert_eq!(g.arg, json!([null, {"x": 1.5}]));
    assert_eq!(enc(&g), json!({"arg": [null, {"x": 1.5}]}));
    assert_eq!(
        args::<GuestSync>(r#"{"arg": null}"#).unwrap().arg,
        json!(null)
    );
    assert_eq!(
        args::<GuestSync>("{}").unwrap_err(),
        "Parameter 'arg' is missing"
    );
}

#[test]
fn downstream_names() {
    let base = OrgQemuXBase {
        member1: OrgQemuXEnum::OrgQemuXValue,
    };
    let s = OrgQemuXStruct {
        base: base.clone(),
        member2: "m".into(),
        wchar_t: Some(0),
    };
    let union = OrgQemuXUnion {
        member1: OrgQemuXUnionBranch::OrgQemuXValue(OrgQemuXStruct2 { array: vec![] }),
    };
    let cmd = OrgQemuXCommand {
        a: vec![OrgQemuXEnum::OrgQemuXValue],
        b: vec![s],
        c: union,
        d: OrgQemuXAlt::Branch(base),
    };
    let wire = json!({
        "a": ["__org.qemu_x-value"],
        "b": [{"__org.qemu_x-member1": "__org.qemu_x-value", "__org.qemu_x-member2": "m", "wchar-t": 0}],
        "c": {"__org.qemu_x-member1": "__org.qemu_x-value", "array": []},
        "d": {"__org.qemu_x-member1": "__org.qemu_x-value"},
    });
    assert_eq!(enc(&cmd), wire);
    assert_eq!(args::<OrgQemuXCommand>(&wire.to_string()).unwrap(), cmd);
    assert_eq!(
        args::<OrgQemuXCommand>(
            r#"{"a": [], "b": [{"__org.qemu_x-member1": "__org.qemu_x-value"}], "c": {}, "d": {}}"#
        )
        .unwrap_err(),
        "Parameter 'b[0].__org.qemu_x-member2' is missing"
    );
    assert_eq!(
        args::<OrgQemuXCommand>(r#"{"a": ["x"]}"#).unwrap_err(),
        "Parameter 'null' does not accept value 'x'"
    );
    // A union inside an array inside the union's own branch.
    assert_eq!(
        args::<OrgQemuXCommand>(
            r#"{"a": [], "b": [], "c": {"__org.qemu_x-member1": "__org.qemu_x-value", "array": [{}]}, "d": {}}"#
        )
        .unwrap_err(),
        "Parameter 'c.array[0].__org.qemu_x-member1' is missing"
    );
}

// ---- events --------------------------------------------------------------------

const TS: Timestamp = Timestamp {
    seconds: 1795244456,
    microseconds: 287420,
};

fn line<E: Event>(e: &E) -> String {
    let m = EventMessage::at(e, CompatPolicy::default(), TS).unwrap();
    String::from_utf8(m.to_vec(&WriteOptions::QEMU)).unwrap()
}

#[test]
fn events_without_data() {
    // `'data': {}` and no `data` at all are the same: no `data` key.
    let stamp = r#"{"timestamp": {"seconds": 1795244456, "microseconds": 287420}"#;
    assert_eq!(
        line(&EventB {}),
        format!(r#"{stamp}, "event": "EVENT_B"}}"#)
    );
    assert_eq!(
        line(&EventA {}),
        format!(r#"{stamp}, "event": "EVENT_A"}}"#)
    );
    assert_eq!(
        line(&EventG(Empty1 {})),
        format!(r#"{stamp}, "event": "EVENT_G"}}"#)
    );
    assert_eq!(enc(&EventB {}), json!({}));
    assert_eq!(data::<EventB>("{}").unwrap(), EventB {});
    assert_eq!(
        data::<EventB>(r#"{"a": 1}"#).unwrap_err(),
        "Parameter 'a' is unexpected"
    );
    assert_eq!(
        data::<EventG>(r#"{"b": 1}"#).unwrap_err(),
        "Parameter 'b' is unexpected"
    );
}

#[test]
fn events_with_data() {
    let c = EventC {
        a: None,
        b: None,
        c: "x".into(),
    };
    assert_eq!(
        line(&c),
        r#"{"timestamp": {"seconds": 1795244456, "microseconds": 287420}, "event": "EVENT_C", "data": {"c": "x"}}"#
    );
    assert_eq!(data::<EventC>(r#"{"c": "x"}"#).unwrap(), c);
    assert_eq!(
        data::<EventC>(r#"{"b": {"integer": 1}, "c": "x"}"#).unwrap_err(),
        "Parameter 'b.string' is missing"
    );

    // Boxed: the type's members are the data.
    let f = EventF(flat_union(UserDefFlatUnionBranch::Value4));
    assert_eq!(
        enc(&f),
        json!({"integer": 1, "string": "s", "enum1": "value4"})
    );
    assert_eq!(
        data::<EventF>(r#"{"integer": 1, "string": "s", "enum1": "value4"}"#).unwrap(),
        f
    );
    assert_eq!(
        data::<EventF>(r#"{"integer": 1, "string": "s", "enum1": 4}"#).unwrap_err(),
        "Invalid parameter type for 'enum1', expected: string"
    );
    let e = EventE(UserDefZero { integer: 7 });
    assert_eq!(
        line(&e),
        r#"{"timestamp": {"seconds": 1795244456, "microseconds": 287420}, "event": "EVENT_E", "data": {"integer": 7}}"#
    );
    // Not boxed, data of a named type with a base.
    let x = OrgQemuXEvent(OrgQemuXStruct {
        base: OrgQemuXBase {
            member1: OrgQemuXEnum::OrgQemuXValue,
        },
        member2: "m".into(),
        wchar_t: None,
    });
    assert_eq!(
        enc(&x),
        json!({"__org.qemu_x-member1": "__org.qemu_x-value", "__org.qemu_x-member2": "m"})
    );
    assert_eq!(
        data::<OrgQemuXEvent>(
            r#"{"__org.qemu_x-member1": "__org.qemu_x-value", "__org.qemu_x-member2": "m"}"#
        )
        .unwrap(),
        x
    );
}

// ---- integers and features ----------------------------------------------------------

#[test]
fn sized_integer_lists() {
    let a = ArrayStruct {
        integer: vec![1],
        s8: vec![-128, 127],
        s16: vec![-32768],
        s32: vec![i32::MIN],
        s64: vec![i64::MIN],
        u8: vec![255],
        u16: vec![65535],
        u32: vec![u32::MAX],
        u64: vec![u64::MAX],
        number: vec![0.5],
        boolean: vec![true],
        string: vec!["s".into()],
        sz: Some(vec![qapi::Size(4096)]),
        any: Some(vec![json!({"k": [1]})]),
        user: Some(vec![Status::Ugly]),
    };
    roundtrip(
        &a,
        json!({"integer": [1], "s8": [-128, 127], "s16": [-32768], "s32": [-2147483648i64],
               "s64": [i64::MIN], "u8": [255], "u16": [65535], "u32": [4294967295u64],
               "u64": [u64::MAX], "number": [0.5], "boolean": [true], "string": ["s"],
               "sz": [4096], "any": [{"k": [1]}], "user": ["ugly"]}),
    );
    let with = |member: &str, list: &str| {
        let mut v = enc(&a);
        v[member] = serde_json::from_str(list).unwrap();
        value::<ArrayStruct>(&v.to_string()).unwrap_err()
    };
    // Range errors name list elements 'null'; type errors use the path.
    assert_eq!(with("s8", "[0, 128]"), "Parameter 'null' expects int8_t");
    assert_eq!(with("u8", "[-1]"), "Parameter 'null' expects uint8_t");
    assert_eq!(
        with("s16", "[1.0]"),
        "Invalid parameter type for 's16[0]', expected: integer"
    );
    assert_eq!(
        with("u16", r#"[0, "1"]"#),
        "Parameter 'u16[1]' expects uint64"
    );
    assert_eq!(
        with("user", r#"["good", "fine"]"#),
        "Parameter 'null' does not accept value 'fine'"
    );
}

#[test]
fn deprecated_member_and_value_under_reject_policy() {
    let reject = CompatPolicy {
        deprecated_input: InputPolicy::Reject,
        ..CompatPolicy::default()
    };
    let decode = |text: &str| {
        TestFeatures0::decode_args(obj(text), &mut Decoder::with_policy(reject)).map_err(|e| e.desc)
    };
    assert!(decode(r#"{"fs0": {"foo": 1}, "fs2": {"foo": 2}}"#).is_ok());
    assert_eq!(
        decode(r#"{"fs1": {"foo": 1}}"#).unwrap_err(),
        "Deprecated parameter foo disabled by policy"
    );
    assert!(args::<TestFeatures0>(r#"{"fs1": {"foo": 1}}"#).is_ok());

    let union = |text: &str| {
        Decoder::with_policy(reject)
            .decode::<FeatureUnion1>(qapi::json::parse_one(text.as_bytes()).unwrap())
    };
    assert!(union(r#"{"tag": "zwei"}"#).is_ok());
    assert_eq!(
        union(r#"{"tag": "drei"}"#).unwrap_err().desc,
        "Deprecated value drei disabled by policy"
    );
    assert_eq!(
        value::<FeatureUnion1>(r#"{"tag": "eins", "foo": 1}"#).unwrap(),
        FeatureUnion1 {
            tag: FeatureUnion1Branch::Eins(FeatureStruct1 { foo: 1 })
        }
    );
}

#[test]
fn empty_enum_accepts_nothing() {
    // MyEnum's impls are hand-written (see src/lib.rs); same rules.
    assert_eq!(
        value::<MyEnum>(r#""value1""#).unwrap_err(),
        "Parameter 'null' does not accept value 'value1'"
    );
    assert_eq!(
        value::<MyEnum>("1").unwrap_err(),
        "Invalid parameter type for '<anonymous>', expected: string"
    );
    assert_eq!(<MyEnum as qapi::QapiEnum>::VALUES, &[]);
    assert!(serde_json::from_str::<MyEnum>(r#""x""#).is_err());
}
