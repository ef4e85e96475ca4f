//! The JSON writer and the serde serializer against QEMU's output bytes.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use qapi_core::json::{
    KeyOrder, WriteOptions, parse_one, serialize_into, to_string, to_vec, value_to_string,
    value_to_vec, write_value,
};
use qapi_core::{Map, Value};
use serde::Serialize;
use serde::ser::SerializeMap;

const ALL_OPTIONS: [WriteOptions; 4] = [
    WriteOptions {
        key_order: KeyOrder::Insertion,
        pretty: false,
    },
    WriteOptions {
        key_order: KeyOrder::Insertion,
        pretty: true,
    },
    WriteOptions {
        key_order: KeyOrder::QDict,
        pretty: false,
    },
    WriteOptions {
        key_order: KeyOrder::QDict,
        pretty: true,
    },
];

fn qemu(v: &Value) -> String {
    value_to_string(v, &WriteOptions::QEMU)
}

fn obj(members: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    for (k, v) in members {
        m.insert(k, v);
    }
    Value::Object(m)
}

fn s(x: &str) -> Value {
    Value::from(x)
}

/// `printf("%.17g")` as printed by glibc for these doubles (bit patterns
/// fed to a small C program compiled with gcc). The formatting also
/// matched glibc on 500 000 random and decimal-looking doubles.
#[test]
fn doubles_like_glibc_printf() {
    let table: &[(u64, &str)] = &[
        (0x3fb999999999999a, "0.10000000000000001"),
        (0x408f400000000000, "1000"),
        (0x8000000000000000, "-0"),
        (0x0000000000000000, "0"),
        (0x43f0000000000000, "1.8446744073709552e+19"),
        (0x430c6bf526340002, "1000000000000000.2"),
        (0x430c6bf526340006, "1000000000000000.8"),
        (0x3fe0000000000000, "0.5"),
        (0x3ff8000000000000, "1.5"),
        (0xc004000000000000, "-2.5"),
        (0x3ee4f8b588e368f1, "1.0000000000000001e-05"),
        (0x3f1a36e2eb1c432d, "0.0001"),
        (0x3f50624dd2f1a9fc, "0.001"),
        (0x437b69b4ba630f35, "1.2345678901234568e+17"),
        (0x4341c37937e08000, "10000000000000000"),
        (0x4376345785d8a000, "1e+17"),
        (0x4340000000000000, "9007199254740992"),
        (0x0000000000000001, "4.9406564584124654e-324"),
        (0x0010000000000000, "2.2250738585072014e-308"),
        (0x7fefffffffffffff, "1.7976931348623157e+308"),
        (0x4008000000000000, "3"),
        (0x4059000000000000, "100"),
        (0x3e7ad7f29abcaf48, "9.9999999999999995e-08"),
        (0x3fd3333333333333, "0.29999999999999999"),
        (0x3fe5555555555555, "0.66666666666666663"),
        (0x444b1ae4d6e2ef50, "1e+21"),
        (0x4345ee2a2eb5a5c4, "12345678901234568"),
        (0x3eea36e2eb1c432d, "1.2500000000000001e-05"),
        (0x54b249ad2594c37d, "1e+100"),
        (0x4330000000000000, "4503599627370496"),
        (0x4300000000000001, "562949953421312.12"),
        (0x4300000000000003, "562949953421312.38"),
        (0x400921fb54442d18, "3.1415926535897931"),
        (0x81a56e1fc2f8f359, "-1e-300"),
        (0x40f0000000000000, "65536"),
        (0x4376345785d89fff, "99999999999999984"),
        (0x3fd3333333333334, "0.30000000000000004"),
        (0x7ff0000000000000, "inf"),
        (0xfff0000000000000, "-inf"),
        (0x7ff8000000000000, "nan"),
        (0xfff8000000000000, "-nan"),
    ];
    for &(bits, want) in table {
        let v = Value::Double(f64::from_bits(bits));
        assert_eq!(qemu(&v), want, "bits {bits:#018x}");
        assert_eq!(
            to_string(&f64::from_bits(bits), &WriteOptions::QEMU).unwrap(),
            want
        );
    }
}

#[test]
fn scalars_and_strings() {
    assert_eq!(qemu(&Value::Null), "null");
    assert_eq!(qemu(&Value::Bool(true)), "true");
    assert_eq!(qemu(&Value::Int(i64::MIN)), "-9223372036854775808");
    assert_eq!(qemu(&Value::UInt(u64::MAX)), "18446744073709551615");
    let cases: &[(&str, &str)] = &[
        ("plain / text", r#""plain / text""#),
        ("q\"b\\", r#""q\"b\\""#),
        ("\u{8}\u{c}\n\r\t", r#""\b\f\n\r\t""#),
        ("\u{0}\u{1}\u{1f} \u{7f}", r#""\u0000\u0001\u001F \u007F""#),
        ("\u{80}\u{e9}\u{ffff}", r#""\u0080\u00E9\uFFFD""#),
        ("\u{fffd}\u{fdd0}\u{10ffff}", r#""\uFFFD\uFFFD\uFFFD""#),
        (
            "\u{1F600}\u{10000}\u{10FFFD}",
            r#""\uD83D\uDE00\uD800\uDC00\uDBFF\uDFFD""#,
        ),
        (
            "JSON parse error, stray '\"\u{1}'",
            r#""JSON parse error, stray '\"\u0001'""#,
        ),
    ];
    for &(text, want) in cases {
        assert_eq!(qemu(&s(text)), want);
        assert_eq!(to_string(text, &WriteOptions::QEMU).unwrap(), want);
    }
}

#[test]
fn compact_layout() {
    let v = obj(vec![
        (
            "a",
            Value::Array(vec![Value::Int(1), s("a"), obj(vec![("b", Value::Null)])]),
        ),
        ("e", Value::Array(vec![])),
        ("o", obj(vec![])),
    ]);
    assert_eq!(
        value_to_string(&v, &WriteOptions::COMPACT),
        r#"{"a": [1, "a", {"b": null}], "e": [], "o": {}}"#
    );
    let mut out = b"prefix ".to_vec();
    write_value(&Value::Array(vec![]), &mut out, &WriteOptions::QEMU_PRETTY);
    assert_eq!(out, b"prefix [\n]");
}

fn version() -> Value {
    obj(vec![
        (
            "qemu",
            obj(vec![
                ("major", Value::Int(10)),
                ("minor", Value::Int(0)),
                ("micro", Value::Int(2)),
            ]),
        ),
        ("package", s("Debian 1:10.0.2+ds-2+deb13u1~bpo12+1")),
    ])
}

fn error(class: &str, desc: &str) -> Value {
    obj(vec![("class", s(class)), ("desc", s(desc))])
}

/// Replies built with the member insertion order QEMU uses, written in
/// QDict order: the bytes QSD 10.0.2 sent (qsd-transcripts.txt).
#[test]
fn qemu_lines_byte_for_byte() {
    let greeting = obj(vec![(
        "QMP",
        obj(vec![
            ("version", version()),
            ("capabilities", Value::Array(vec![s("oob")])),
        ]),
    )]);
    let event = obj(vec![
        ("event", s("JOB_STATUS_CHANGE")),
        ("data", obj(vec![("id", s("j1")), ("status", s("created"))])),
        (
            "timestamp",
            obj(vec![
                ("seconds", Value::Int(1795244456)),
                ("microseconds", Value::Int(287420)),
            ]),
        ),
    ]);
    let jobs = obj(vec![
        (
            "return",
            Value::Array(vec![obj(vec![
                ("id", s("j1")),
                ("type", s("create")),
                ("status", s("concluded")),
                ("current-progress", Value::Int(1)),
                ("total-progress", Value::Int(1)),
            ])]),
        ),
        ("id", s("qj")),
    ]);
    let cases: Vec<(Value, &str)> = vec![
        (
            greeting,
            r#"{"QMP": {"version": {"qemu": {"micro": 2, "minor": 0, "major": 10}, "package": "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1"}, "capabilities": ["oob"]}}"#,
        ),
        (obj(vec![("return", obj(vec![]))]), r#"{"return": {}}"#),
        (
            obj(vec![("return", version()), ("id", s("str-id"))]),
            r#"{"return": {"qemu": {"micro": 2, "minor": 0, "major": 10}, "package": "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1"}, "id": "str-id"}"#,
        ),
        (
            obj(vec![
                (
                    "error",
                    error(
                        "CommandNotFound",
                        "Expecting capabilities negotiation with 'qmp_capabilities'",
                    ),
                ),
                ("id", s("pre-1")),
            ]),
            r#"{"id": "pre-1", "error": {"class": "CommandNotFound", "desc": "Expecting capabilities negotiation with 'qmp_capabilities'"}}"#,
        ),
        (
            obj(vec![(
                "error",
                error(
                    "GenericError",
                    "JSON parse error, \\ud800 is not a valid Unicode character",
                ),
            )]),
            r#"{"error": {"class": "GenericError", "desc": "JSON parse error, \\ud800 is not a valid Unicode character"}}"#,
        ),
        (
            obj(vec![(
                "error",
                error("GenericError", "JSON parse error, stray '\u{FFFD}'"),
            )]),
            r#"{"error": {"class": "GenericError", "desc": "JSON parse error, stray '\uFFFD'"}}"#,
        ),
        (
            event,
            r#"{"timestamp": {"seconds": 1795244456, "microseconds": 287420}, "event": "JOB_STATUS_CHANGE", "data": {"status": "created", "id": "j1"}}"#,
        ),
        (
            jobs,
            r#"{"return": [{"current-progress": 1, "status": "concluded", "total-progress": 1, "type": "create", "id": "j1"}], "id": "qj"}"#,
        ),
    ];
    for (v, want) in &cases {
        assert_eq!(qemu(v), *want);
        assert_eq!(to_string(v, &WriteOptions::QEMU).unwrap(), *want);
    }
}

/// The `pretty=on` session of qsd-transcripts.txt (CRLF there is the
/// monitor's line ending; the writer emits `\n`).
#[test]
fn pretty_like_qemu() {
    let id = Value::Array(vec![Value::Int(1), obj(vec![("a", Value::Array(vec![]))])]);
    let msgs = [
        obj(vec![(
            "QMP",
            obj(vec![
                ("version", version()),
                ("capabilities", Value::Array(vec![s("oob")])),
            ]),
        )]),
        obj(vec![("return", obj(vec![]))]),
        obj(vec![("return", version()), ("id", id)]),
        obj(vec![(
            "error",
            error("CommandNotFound", "The command nosuch has not been found"),
        )]),
        obj(vec![("return", obj(vec![]))]),
    ];
    let want = r#"{
    "QMP": {
        "version": {
            "qemu": {
                "micro": 2,
                "minor": 0,
                "major": 10
            },
            "package": "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1"
        },
        "capabilities": [
            "oob"
        ]
    }
}
{
    "return": {
    }
}
{
    "return": {
        "qemu": {
            "micro": 2,
            "minor": 0,
            "major": 10
        },
        "package": "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1"
    },
    "id": [
        1,
        {
            "a": [
            ]
        }
    ]
}
{
    "error": {
        "class": "CommandNotFound",
        "desc": "The command nosuch has not been found"
    }
}
{
    "return": {
    }
}
"#;
    let mut out = Vec::new();
    for m in &msgs {
        write_value(m, &mut out, &WriteOptions::QEMU_PRETTY);
        out.push(b'\n');
    }
    assert_eq!(String::from_utf8(out).unwrap(), want);
    let mut out = Vec::new();
    for m in &msgs {
        serialize_into(m, &mut out, &WriteOptions::QEMU_PRETTY).unwrap();
        out.push(b'\n');
    }
    assert_eq!(String::from_utf8(out).unwrap(), want);
}

#[derive(Serialize)]
struct VersionTriple {
    major: i64,
    minor: i64,
    micro: i64,
}

#[derive(Serialize)]
struct VersionInfo {
    qemu: VersionTriple,
    package: String,
}

#[derive(Serialize)]
struct Reply<T> {
    #[serde(rename = "return")]
    ret: T,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<Value>,
}

#[derive(Serialize)]
struct Empty {}

fn version_info() -> VersionInfo {
    VersionInfo {
        qemu: VersionTriple {
            major: 10,
            minor: 0,
            micro: 2,
        },
        package: "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1".to_owned(),
    }
}

#[test]
fn serde_typed_replies() {
    let reply = Reply {
        ret: version_info(),
        id: Some(obj(vec![("x", obj(vec![("y", Value::Int(1))]))])),
    };
    assert_eq!(
        to_string(&reply, &WriteOptions::QEMU).unwrap(),
        r#"{"return": {"qemu": {"micro": 2, "minor": 0, "major": 10}, "package": "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1"}, "id": {"x": {"y": 1}}}"#
    );
    assert_eq!(
        to_string(&reply, &WriteOptions::COMPACT).unwrap(),
        r#"{"return": {"qemu": {"major": 10, "minor": 0, "micro": 2}, "package": "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1"}, "id": {"x": {"y": 1}}}"#
    );
    let empty = Reply {
        ret: Empty {},
        id: None,
    };
    assert_eq!(
        to_string(&empty, &WriteOptions::QEMU).unwrap(),
        r#"{"return": {}}"#
    );
    assert_eq!(
        to_string(&empty, &WriteOptions::QEMU_PRETTY).unwrap(),
        "{\n    \"return\": {\n    }\n}"
    );
    let list = Reply {
        ret: vec![version_info(), version_info()],
        id: Some(Value::Int(3)),
    };
    let one = r#"{"qemu": {"micro": 2, "minor": 0, "major": 10}, "package": "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1"}"#;
    assert_eq!(
        to_string(&list, &WriteOptions::QEMU).unwrap(),
        format!(r#"{{"return": [{one}, {one}], "id": 3}}"#)
    );
}

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Newtype(u8);

#[derive(Serialize)]
struct Pair(i32, &'static str);

#[derive(Serialize)]
enum Kind {
    Unit,
    New(i32),
    Tup(i32, &'static str),
    Struct {
        major: bool,
        micro: Option<u8>,
        minor: (),
    },
}

#[derive(Hash, PartialEq, Eq, Serialize)]
enum KeyKind {
    Unit,
}

struct Bytes(&'static [u8]);

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

#[test]
fn serde_data_model() {
    let c = WriteOptions::COMPACT;
    let t = |v: &dyn erased::Ser| v.to(&c);
    assert_eq!(t(&None::<u8>), "null");
    assert_eq!(t(&Some(5u8)), "5");
    assert_eq!(t(&()), "null");
    assert_eq!(t(&Unit), "null");
    assert_eq!(t(&Newtype(7)), "7");
    assert_eq!(t(&Pair(1, "x")), r#"[1, "x"]"#);
    assert_eq!(t(&(1u8, -2i16, 3.5f64)), "[1, -2, 3.5]");
    assert_eq!(t(&Kind::Unit), r#""Unit""#);
    assert_eq!(t(&Kind::New(1)), r#"{"New": 1}"#);
    assert_eq!(t(&Kind::Tup(1, "x")), r#"{"Tup": [1, "x"]}"#);
    assert_eq!(
        t(&Kind::Struct {
            major: true,
            micro: None,
            minor: ()
        }),
        r#"{"Struct": {"major": true, "micro": null, "minor": null}}"#
    );
    assert_eq!(
        Kind::Struct {
            major: true,
            micro: Some(2),
            minor: ()
        }
        .to(&WriteOptions::QEMU),
        // micro and minor share a bucket: the later inserted comes first.
        r#"{"Struct": {"minor": null, "micro": 2, "major": true}}"#
    );
    assert_eq!(
        Kind::Struct {
            major: true,
            micro: Some(2),
            minor: ()
        }
        .to(&WriteOptions::QEMU_PRETTY),
        "{\n    \"Struct\": {\n        \"minor\": null,\n        \"micro\": 2,\n        \"major\": true\n    }\n}"
    );
    assert_eq!(
        Kind::Tup(1, "x").to(&WriteOptions::QEMU_PRETTY),
        "{\n    \"Tup\": [\n        1,\n        \"x\"\n    ]\n}"
    );
    assert_eq!(t(&Bytes(&[1, 255])), "[1, 255]");
    assert_eq!(t(&'\u{1F600}'), r#""\uD83D\uDE00""#);
    assert_eq!(t(&0.1f32), "0.10000000149011612");
    assert_eq!(t(&f64::INFINITY), "inf");
    assert_eq!(t(&i128::MIN), "-170141183460469231731687303715884105728");
    assert_eq!(t(&u128::MAX), "340282366920938463463374607431768211455");
    assert_eq!(t(&(u64::MAX as u128)), "18446744073709551615");
    let mut m = BTreeMap::new();
    m.insert('k', vec![Kind::Unit]);
    assert_eq!(t(&m), r#"{"k": ["Unit"]}"#);
    let mut m = HashMap::new();
    m.insert(KeyKind::Unit, 1);
    assert_eq!(t(&m), r#"{"Unit": 1}"#);
}

/// Tiny object-safe wrapper so the test table can mix types.
mod erased {
    use super::*;
    pub trait Ser {
        fn to(&self, o: &WriteOptions) -> String;
    }
    impl<T: Serialize> Ser for T {
        fn to(&self, o: &WriteOptions) -> String {
            to_string(self, o).unwrap()
        }
    }
}
use erased::Ser as _;

#[derive(Hash, PartialEq, Eq, Serialize)]
struct Compound2(u8, u8);

#[test]
fn non_string_keys_are_rejected() {
    for opts in ALL_OPTIONS {
        let mut m = BTreeMap::new();
        m.insert(1, 2);
        let e = to_vec(&m, &opts).unwrap_err();
        assert_eq!(e.message(), "key must be a string");
        let mut m = HashMap::new();
        m.insert(Compound2(1, 2), 0);
        assert!(to_vec(&m, &opts).is_err());
        let mut out = b"keep".to_vec();
        assert!(serialize_into(&vec![m], &mut out, &opts).is_err());
        assert_eq!(out, b"keep");
    }
}

/// A map serialized with a key given twice: QDict order keeps the first
/// place and the last value, as `qdict_put` does.
struct Dup;

impl Serialize for Dup {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("minor", &1)?;
        m.serialize_entry("micro", &2)?;
        m.serialize_entry("major", &3)?;
        m.serialize_entry("minor", &4)?;
        m.end()
    }
}

#[test]
fn duplicate_keys_in_qdict_mode() {
    assert_eq!(
        Dup.to(&WriteOptions::QEMU),
        r#"{"micro": 2, "minor": 4, "major": 3}"#
    );
    assert_eq!(
        Dup.to(&WriteOptions::COMPACT),
        r#"{"minor": 1, "micro": 2, "major": 3, "minor": 4}"#
    );
}

/// A deterministic pseudo-random value tree.
fn random_value(rng: &mut u64, depth: usize) -> Value {
    let mut next = || {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        *rng
    };
    let pick = next() % if depth > 4 { 6 } else { 9 };
    match pick {
        0 => Value::Null,
        1 => Value::Bool(next() % 2 == 0),
        2 => Value::Int(next() as i64 >> (next() % 64)),
        3 => Value::UInt(next() | 1 << 63),
        4 => Value::Double(f64::from_bits(next())),
        5 => {
            let chars = [
                'a',
                'b',
                '"',
                '\\',
                '\n',
                '\u{1}',
                '\u{e9}',
                '\u{1F600}',
                '\u{7f}',
                '\0',
            ];
            Value::String(
                (0..next() % 6)
                    .map(|_| chars[(next() % 10) as usize])
                    .collect(),
            )
        }
        6 | 7 => {
            let n = (next() % 6) as usize;
            let mut seed = next();
            Value::Array((0..n).map(|_| random_value(&mut seed, depth + 1)).collect())
        }
        _ => {
            let keys = [
                "micro", "minor", "major", "id", "return", "error", "a", "b", "k9", "x-y",
            ];
            let n = (next() % 7) as usize;
            let mut m = Map::new();
            let mut seed = next();
            for _ in 0..n {
                let k = keys[(next() % 10) as usize];
                m.insert(k, random_value(&mut seed, depth + 1));
            }
            Value::Object(m)
        }
    }
}

/// The serde serializer (which sorts buffered output in place) writes
/// exactly what the tree writer writes, in all four modes; and QEMU-order
/// output does not depend on the order of keys in different buckets.
#[test]
fn serializer_agrees_with_tree_writer() {
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..2000 {
        let v = random_value(&mut rng, 0);
        for opts in ALL_OPTIONS {
            assert_eq!(
                to_vec(&v, &opts).unwrap(),
                value_to_vec(&v, &opts),
                "{opts:?}"
            );
        }
        // Written output reads back to the same tree (NaN aside).
        let text = value_to_vec(&v, &WriteOptions::COMPACT);
        if !text.windows(3).any(|w| w == b"nan" || w == b"inf") {
            let back = parse_one(&text).unwrap();
            assert_eq!(value_to_vec(&back, &WriteOptions::COMPACT), text);
        }
    }
}

fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("QAPI_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    if dir.join("qemu/live").is_dir() {
        Some(dir)
    } else {
        println!(
            "skipped: shared data not found at {} (set QAPI_SHARED_DIR)",
            dir.display()
        );
        None
    }
}

/// The 116 859-byte `query-qmp-schema` reply of QSD 10.0.2, re-written
/// from the parsed line and from the schema file (wrapped as
/// `{"return": …}`), by the tree writer and by the serde serializer.
#[test]
fn schema_reply_byte_for_byte() {
    let Some(dir) = shared_dir() else { return };
    let jsonl = std::fs::read(dir.join("qemu/live/qsd-10.0.2.transcript.jsonl")).unwrap();
    let line = jsonl
        .split(|&b| b == b'\n')
        .filter_map(|l| l.strip_prefix(b"<- "))
        .find(|l| l.starts_with(br#"{"return": [{"name": "JOB_STATUS_CHANGE""#))
        .expect("schema reply line");
    assert_eq!(line.len(), 116_859);

    let parsed = parse_one(line).unwrap();
    assert_eq!(value_to_vec(&parsed, &WriteOptions::QEMU), line);
    assert_eq!(to_vec(&parsed, &WriteOptions::QEMU).unwrap(), line);

    let schema =
        parse_one(&std::fs::read(dir.join("qemu/live/qsd-10.0.2.schema.json")).unwrap()).unwrap();
    assert!(matches!(&schema, Value::Array(a) if a.len() == 513));
    let reply = obj(vec![("return", schema)]);
    assert_eq!(value_to_vec(&reply, &WriteOptions::QEMU), line);
    assert_eq!(to_vec(&reply, &WriteOptions::QEMU).unwrap(), line);
    let mut pretty = Vec::new();
    write_value(&reply, &mut pretty, &WriteOptions::QEMU_PRETTY);
    assert_eq!(parse_one(&pretty).unwrap(), parsed);
}

/// Gives a parsed QEMU object the insertion order QEMU had: QEMU writes
/// the member of a bucket inserted last first, so re-inserting in
/// reverse order of appearance restores it.
fn qemu_insertion_order(v: &Value) -> Value {
    match v {
        Value::Array(a) => Value::Array(a.iter().map(qemu_insertion_order).collect()),
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m.entries().iter().rev() {
                out.insert(k.clone(), qemu_insertion_order(v));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Every complete reply line captured from QSD, qemu-system and qemu-ga
/// 10.0.2, parsed and written again in QDict order, byte for byte.
#[test]
fn captured_reply_lines_byte_for_byte() {
    let Some(dir) = shared_dir() else { return };
    let mut total = 0;
    for (file, eol) in [
        ("qsd-transcripts.txt", &b"\\r\\n"[..]),
        ("qemu-system-transcripts.txt", b"\\r\\n"),
        ("qga-transcripts.txt", b"\\n"),
    ] {
        let text = std::fs::read(dir.join("qemu/live").join(file)).unwrap();
        let mut n = 0;
        for line in text.split(|&b| b == b'\n') {
            let Some(json) = line.strip_prefix(b"<-- ").and_then(|l| l.strip_suffix(eol)) else {
                continue;
            };
            // Abbreviated lines, `inf`, and raw-bytes notation are skipped.
            let Ok(v) = parse_one(json) else { continue };
            // A double written `-0` reads back as the integer 0.
            if json
                .windows(3)
                .any(|w| w[..2] == *b"-0" && b",]} ".contains(&w[2]))
            {
                continue;
            }
            let v = qemu_insertion_order(&v);
            assert_eq!(
                String::from_utf8_lossy(&value_to_vec(&v, &WriteOptions::QEMU)),
                String::from_utf8_lossy(json),
                "{file}"
            );
            assert_eq!(to_vec(&v, &WriteOptions::QEMU).unwrap(), json);
            n += 1;
        }
        println!("{file}: {n} lines");
        assert!(n >= 30, "{file}: only {n} lines checked");
        total += n;
    }
    assert!(total > 1000);
}
