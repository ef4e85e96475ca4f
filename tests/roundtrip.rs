//! Round trips (Rust → JSON → Rust) for every QAPI construct, the JSON
//! each produces, and the metadata each describes.

mod common;

use common::example::*;
use qapi::schema::{ArgsDef, Cond, Definition, TypeRef, UnionBase};
use qapi::{QType, Qapi, Size, Value};
use serde_json::json;

/// Encodes with serde_json, decodes with QEMU's rules, and checks both
/// directions against `expected`.
fn roundtrip<T: Qapi + PartialEq + std::fmt::Debug>(value: &T, expected: serde_json::Value) {
    let text = serde_json::to_string(value).unwrap();
    let back: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back, expected, "encoding of {value:?}");
    let decoded: T = qapi::from_str(&text).unwrap_or_else(|e| panic!("decoding {text}: {e}"));
    assert_eq!(&decoded, value);
    // Through serde's Deserialize too (any serde format works).
    let via_serde: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&via_serde, value);
}

#[test]
fn struct_omits_absent_optionals_and_writes_integers_exactly() {
    let p = Point {
        x: -128,
        y: Some(u64::MAX),
        tags: vec![0, 65535],
        c: Some(Color::Blue),
    };
    roundtrip(
        &p,
        json!({"x": -128, "y": 18446744073709551615u64, "tags": [0, 65535], "c": "blue"}),
    );
    // Exact text: no float detour for the largest uint64.
    assert_eq!(
        serde_json::to_string(&p).unwrap(),
        r#"{"x":-128,"y":18446744073709551615,"tags":[0,65535],"c":"blue"}"#
    );
    let q = Point::new(1, vec![]);
    roundtrip(&q, json!({"x": 1, "tags": []}));
}

#[test]
fn member_names_map_underscores_and_allow_legacy_names() {
    #[derive(Debug, PartialEq, Qapi)]
    #[qapi(struct)]
    struct BlockDeviceInfo {
        node_name: String,
        #[qapi(name = "tray_open")]
        tray_open: Option<bool>,
        r#type: String,
    }
    let v = BlockDeviceInfo {
        node_name: "n".into(),
        tray_open: Some(true),
        r#type: "t".into(),
    };
    roundtrip(
        &v,
        json!({"node-name": "n", "tray_open": true, "type": "t"}),
    );
}

#[test]
fn base_members_come_first() {
    #[derive(Debug, PartialEq, Qapi)]
    #[qapi(struct)]
    struct Base {
        id: String,
    }
    #[derive(Debug, PartialEq, Qapi)]
    #[qapi(struct)]
    struct Derived {
        #[qapi(base)]
        base: Base,
        extra: i64,
    }
    let v = Derived {
        base: Base { id: "a".into() },
        extra: 7,
    };
    roundtrip(&v, json!({"id": "a", "extra": 7}));
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"{"id":"a","extra":7}"#
    );
    let err = qapi::from_str::<Derived>(r#"{"extra": 7}"#).unwrap_err();
    assert_eq!(err.desc, "Parameter 'id' is missing");
    let schema = qapi::schema_of::<Derived>();
    let Some(Definition::Struct(s)) = schema.get("Derived") else {
        panic!()
    };
    assert_eq!(s.base.as_deref(), Some("Base"));
    assert_eq!(s.members.len(), 1);
}

#[test]
fn enums_default_to_kebab_case_and_take_explicit_names() {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
    #[qapi(enum, prefix = "QAPI_DRV")]
    enum Driver {
        NullCo,
        Qcow2,
        #[qapi(name = "144")]
        Rate144,
        #[qapi(name = "io_uring", feature = "deprecated")]
        IoUring,
    }
    roundtrip(&Driver::NullCo, json!("null-co"));
    roundtrip(&Driver::Qcow2, json!("qcow2"));
    roundtrip(&Driver::Rate144, json!("144"));
    roundtrip(&Driver::IoUring, json!("io_uring"));
    use qapi::QapiEnum;
    assert_eq!(
        Driver::VALUES,
        &[
            Driver::NullCo,
            Driver::Qcow2,
            Driver::Rate144,
            Driver::IoUring
        ]
    );
    assert_eq!(Driver::from_name("144"), Some(Driver::Rate144));
    let schema = qapi::schema_of::<Driver>();
    let Some(Definition::Enum(e)) = schema.get("Driver") else {
        panic!()
    };
    assert_eq!(e.prefix.as_deref(), Some("QAPI_DRV"));
    assert_eq!(e.values[3].features[0].name, "deprecated");
    assert_eq!(
        qapi::from_str::<Driver>(r#""x""#).unwrap_err().desc,
        "Parameter 'null' does not accept value 'x'"
    );
}

#[test]
fn flat_union_flattens_tag_base_and_branch() {
    let s = Shape {
        kind: ShapeBranch::Blue(Point {
            x: 1,
            y: None,
            tags: vec![2],
            c: None,
        }),
        id: "s1".into(),
    };
    roundtrip(&s, json!({"kind": "blue", "id": "s1", "x": 1, "tags": [2]}));
    // Order on the wire: base members (tag in its place), then the branch.
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#"{"kind":"blue","id":"s1","x":1,"tags":[2]}"#
    );
    // A value without a branch of its own: no members beyond the base.
    let r = Shape {
        kind: ShapeBranch::Red,
        id: "s2".into(),
    };
    roundtrip(&r, json!({"kind": "red", "id": "s2"}));
    assert_eq!(
        qapi::from_str::<Shape>(r#"{"kind": "red", "id": "s2", "x": 1}"#)
            .unwrap_err()
            .desc,
        "Parameter 'x' is unexpected"
    );
    assert_eq!(qapi::QapiBranches::tag(&s.kind), Color::Blue);
}

#[test]
fn simple_union_wraps_data() {
    #[derive(Debug, PartialEq, Qapi)]
    #[qapi(simple_union)]
    enum MemoryDeviceInfo {
        Dimm(Point),
        #[qapi(name = "nv-list")]
        Numbers(Vec<i64>),
    }
    roundtrip(
        &MemoryDeviceInfo::Dimm(Point {
            x: 1,
            y: None,
            tags: vec![],
            c: None,
        }),
        json!({"type": "dimm", "data": {"x": 1, "tags": []}}),
    );
    roundtrip(
        &MemoryDeviceInfo::Numbers(vec![1, -2]),
        json!({"type": "nv-list", "data": [1, -2]}),
    );
    let e = qapi::from_str::<MemoryDeviceInfo>(r#"{"type": "bogus", "data": 1}"#).unwrap_err();
    assert_eq!(e.desc, "Parameter 'type' does not accept value 'bogus'");
    let e = qapi::from_str::<MemoryDeviceInfo>(r#"{"type": "dimm", "data": {"tags": []}}"#)
        .unwrap_err();
    assert_eq!(e.desc, "Parameter 'data.x' is missing");
    let e = qapi::from_str::<MemoryDeviceInfo>(r#"{"type": "dimm"}"#).unwrap_err();
    assert_eq!(e.desc, "Parameter 'data' is missing");
    let schema = qapi::schema_of::<MemoryDeviceInfo>();
    let Some(Definition::SimpleUnion(u)) = schema.get("MemoryDeviceInfo") else {
        panic!()
    };
    assert_eq!(u.branches[1].name, "nv-list");
    assert_eq!(u.branches[1].ty, TypeRef::array(TypeRef::named("int")));
}

#[test]
fn alternate_picks_the_branch_by_json_type() {
    // No `str` branch: QEMU's rule is that it would also take numbers and
    // booleans (command-line input); `StrOrPoint` below has one.
    #[derive(Debug, PartialEq, Qapi)]
    #[qapi(alternate)]
    enum Everything {
        Null(qapi::Null),
        N(i64),
        B(bool),
        O(Point),
        A(Vec<String>),
    }
    roundtrip(&Everything::Null(qapi::Null), json!(null));
    roundtrip(&Everything::N(-3), json!(-3));
    roundtrip(&Everything::B(false), json!(false));
    roundtrip(
        &Everything::O(Point {
            x: 0,
            y: None,
            tags: vec![],
            c: None,
        }),
        json!({"x": 0, "tags": []}),
    );
    roundtrip(&Everything::A(vec!["a".into()]), json!(["a"]));
    // The number branch decides: a float is not an integer.
    assert_eq!(
        qapi::from_str::<Everything>("1.5").unwrap_err().desc,
        "Invalid parameter type for '<anonymous>', expected: integer"
    );
    roundtrip(&StrOrPoint::S("p".into()), json!("p"));
    assert_eq!(
        qapi::from_str::<StrOrPoint>("true").unwrap_err().desc,
        "Invalid parameter type for 'null', expected: StrOrPoint"
    );
}

#[test]
fn builtins() {
    roundtrip(&Size(u64::MAX), json!(18446744073709551615u64));
    roundtrip(&1.5f64, json!(1.5));
    roundtrip(&qapi::Null, json!(null));
    roundtrip(&QType::QDict, json!("qdict"));
    roundtrip(&json!({"any": [1, "thing"]}), json!({"any": [1, "thing"]}));
    roundtrip(&vec![vec![1u8, 2], vec![]], json!([[1, 2], []]));
    roundtrip(&i64::MIN, json!(i64::MIN));
    let mut b = qapi::SchemaBuilder::new();
    assert_eq!(<Size as Qapi>::describe(&mut b), TypeRef::named("size"));
    assert_eq!(<u64 as Qapi>::describe(&mut b), TypeRef::named("uint64"));
    assert_eq!(
        <Vec<u16> as Qapi>::describe(&mut b),
        TypeRef::array(TypeRef::named("uint16"))
    );
    assert_eq!(<Value as Qapi>::describe(&mut b), TypeRef::named("any"));
}

#[test]
fn recursive_types_through_box() {
    #[derive(Debug, PartialEq, Qapi)]
    #[qapi(struct)]
    struct Node {
        name: String,
        children: Vec<Node>,
        parent: Option<Box<Node>>,
    }
    let n = Node {
        name: "a".into(),
        children: vec![Node {
            name: "b".into(),
            children: vec![],
            parent: None,
        }],
        parent: Some(Box::new(Node {
            name: "p".into(),
            children: vec![],
            parent: None,
        })),
    };
    roundtrip(
        &n,
        json!({"name": "a", "children": [{"name": "b", "children": []}], "parent": {"name": "p", "children": []}}),
    );
    let schema = qapi::schema_of::<Node>();
    assert_eq!(schema.len(), 1);
}

#[test]
fn features_conditions_and_docs_are_metadata() {
    /// A widget.
    ///
    /// Second paragraph.
    #[derive(Debug, PartialEq, Qapi)]
    #[qapi(struct, name = "Widget", feature = "x-custom")]
    struct W {
        /// The identifier.
        #[qapi(feature = "deprecated", feature = "unstable")]
        id: String,
        #[cfg(not(CONFIG_GREEN))]
        extra: Option<bool>,
        #[qapi(feature("x-cond", cfg(not(CONFIG_GREEN))))]
        other: Option<bool>,
    }
    let schema = qapi::schema_of::<W>();
    let Some(Definition::Struct(s)) = schema.get("Widget") else {
        panic!()
    };
    assert_eq!(
        s.common.doc.as_deref(),
        Some("A widget.\n\nSecond paragraph.")
    );
    assert_eq!(s.common.features[0].name, "x-custom");
    assert_eq!(s.members[0].doc.as_deref(), Some("The identifier."));
    let names: Vec<_> = s.members[0]
        .features
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["deprecated", "unstable"]);
    assert_eq!(
        s.members[1].cond,
        Some(Cond::Not(Box::new(Cond::name("CONFIG_GREEN"))))
    );
    assert_eq!(
        s.members[2].features[0].cond,
        Some(Cond::Not(Box::new(Cond::name("CONFIG_GREEN"))))
    );
    // Conditional enum values are absent from the build and the metadata.
    let schema = qapi::schema_of::<Color>();
    let Some(Definition::Enum(e)) = schema.get("Color") else {
        panic!()
    };
    let values: Vec<_> = e.values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(values, ["red", "blue"]);
}

#[test]
fn union_metadata_lists_flattened_base_and_explicit_branches() {
    let schema = qapi::schema_of::<Shape>();
    let Some(Definition::Union(u)) = schema.get("Shape") else {
        panic!()
    };
    assert_eq!(u.discriminator, "kind");
    let UnionBase::Inline(base) = &u.base else {
        panic!()
    };
    let base: Vec<_> = base
        .iter()
        .map(|m| (m.name.as_str(), m.ty.display_name()))
        .collect();
    assert_eq!(
        base,
        [("kind", "Color".to_owned()), ("id", "str".to_owned())]
    );
    let branches: Vec<_> = u
        .branches
        .iter()
        .map(|b| (b.name.as_str(), b.ty.display_name()))
        .collect();
    assert_eq!(branches, [("blue", "Point".to_owned())]);
    assert!(schema.contains("Color") && schema.contains("Point"));
}

#[test]
fn commands_and_events() {
    use qapi::{Command, Event};
    let d = Draw {
        shape: Shape {
            kind: ShapeBranch::Red,
            id: "x".into(),
        },
        alt: Some(StrOrPoint::S("s".into())),
    };
    assert_eq!(
        serde_json::to_value(&d).unwrap(),
        json!({"shape": {"kind": "red", "id": "x"}, "alt": "s"})
    );
    let Value::Object(args) =
        serde_json::from_str(r#"{"shape": {"kind": "red", "id": "x"}, "alt": "s"}"#).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        Draw::decode_args(args, &mut qapi::Decoder::new()).unwrap(),
        d
    );
    assert_eq!(Draw::NAME, "draw");
    assert_eq!(Draw::INFO.special_features, qapi::policy::UNSTABLE);
    const { assert!(Ping::INFO.allow_oob && !Draw::INFO.allow_oob) };
    assert_eq!(
        serde_json::to_value(Drawn { count: Size(3) }).unwrap(),
        json!({"count": 3})
    );
    assert_eq!(Drawn::NAME, "DRAWN");

    let mut b = qapi::SchemaBuilder::new();
    Draw::describe_command(&mut b);
    Drawn::describe_event(&mut b);
    Ping::describe_command(&mut b);
    let schema = b.finish();
    let Some(Definition::Command(c)) = schema.get("draw") else {
        panic!()
    };
    assert_eq!(c.returns, Some(TypeRef::array(TypeRef::named("Point"))));
    assert!(matches!(&c.args, ArgsDef::Inline(m) if m.len() == 2 && m[1].optional));
    let Some(Definition::Command(p)) = schema.get("ping") else {
        panic!()
    };
    assert_eq!(p.args, ArgsDef::None);
    assert!(p.allow_oob);
    let Some(Definition::Event(e)) = schema.get("DRAWN") else {
        panic!()
    };
    assert!(matches!(&e.args, ArgsDef::Inline(m) if m[0].ty == TypeRef::named("size")));
}

#[test]
fn serde_deserialize_reports_qemu_texts() {
    let e = serde_json::from_str::<Point>(r#"{"x": 1}"#).unwrap_err();
    assert!(
        e.to_string().starts_with("Parameter 'tags' is missing"),
        "{e}"
    );
    let e = serde_json::from_str::<Point>(r#"{"x": 1, "tags": [], "y": null}"#).unwrap_err();
    assert!(
        e.to_string().starts_with("Parameter 'y' expects uint64"),
        "{e}"
    );
}

mod reexported {
    //! A crate that re-exports `qapi` under another path.
    pub mod my_qapi {
        pub use ::qapi::*;
    }

    #[derive(Debug, PartialEq, qapi::Qapi)]
    #[qapi(struct, crate = "crate::reexported::my_qapi")]
    pub struct ViaReexport {
        pub a: i64,
    }

    #[test]
    fn crate_override() {
        let v: ViaReexport = my_qapi::from_str(r#"{"a": 1}"#).unwrap();
        assert_eq!(v, ViaReexport { a: 1 });
    }
}
