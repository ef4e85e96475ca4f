//! Property tests of QEMU-compatible JSON (`qapi::json`): arbitrary value
//! trees are written (compact and pretty, insertion and QDict member
//! order, by the `Value` writer, the serde `Serializer` and `serde_json`)
//! and read back as themselves; the streaming reader gives the same
//! items whether input comes whole, byte by byte or in chunks, never
//! panics, and reports only QEMU's error texts.
//!
//! The checks are the fuzz target `json_stream`'s (`fuzz/src/json_checks.rs`,
//! included here); these tests feed them structured input the fuzzer
//! would take long to build. See FUZZING.md.

#[allow(dead_code)]
#[path = "../fuzz/src/json_checks.rs"]
mod json_checks;

use json_checks::{SMALL_LIMITS, check_value, json_stream, same_after_write};
use proptest::prelude::*;
use qapi::json::{Limits, WriteOptions, parse_one, value_to_vec};
use qapi::{Map, Value};

/// Finite doubles of every class (normal, subnormal, zero, both signs).
fn finite_f64() -> impl Strategy<Value = f64> {
    prop::num::f64::POSITIVE
        | prop::num::f64::NEGATIVE
        | prop::num::f64::NORMAL
        | prop::num::f64::SUBNORMAL
        | prop::num::f64::ZERO
}

/// Object keys: a few that collide in QEMU's QDict buckets or matter to
/// QMP, and arbitrary strings.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "execute",
            "arguments",
            "id",
            "minor",
            "micro",
            "",
            "a",
            "\u{0}",
            "é"
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ]
}

/// Scalars of every kind (finite doubles), strings from `text`.
fn leaf(text: impl Strategy<Value = String>) -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        ((i64::MAX as u64 + 1)..=u64::MAX).prop_map(Value::UInt),
        finite_f64().prop_map(Value::Double),
        text.prop_map(Value::String),
    ]
}

/// Arbitrary JSON value trees (finite doubles, unique keys).
fn arb_value() -> impl Strategy<Value = Value> {
    leaf(any::<String>()).prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6).prop_map(|kv| {
                let mut m = Map::new();
                for (k, v) in kv {
                    if !m.contains_key(&k) {
                        m.push_unchecked(k, v);
                    }
                }
                Value::Object(m)
            }),
        ]
    })
}

/// Value trees whose keys and strings are mostly plain ASCII (what the
/// reader's fast path takes), with every kind of number; some objects
/// repeat a key.
fn ascii_value() -> impl Strategy<Value = Value> {
    leaf("[ -~]{0,6}").prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            // Keys from a small set, not made unique: written out, some
            // objects repeat a key.
            prop::collection::vec(("[a-c]?|[ -~]{0,6}", inner), 0..6).prop_map(|kv| {
                let mut m = Map::new();
                for (k, v) in kv {
                    m.push_unchecked(k, v);
                }
                Value::Object(m)
            }),
        ]
    })
}

/// Pieces of QMP input, good and bad, from QEMU's transcripts and
/// REFERENCE.md §4.4: structure, strings (with escapes, single quotes,
/// surrogates), numbers (overflowing, malformed), keywords, stray and
/// control bytes, invalid UTF-8, whitespace.
fn token() -> impl Strategy<Value = Vec<u8>> {
    const TOKENS: &[&[u8]] = &[
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b" ",
        b"\n",
        b"\r\n",
        b"\t",
        b"\"execute\"",
        b"\"arguments\"",
        b"\"id\"",
        b"\"query-version\"",
        b"'single'",
        b"'it\\'s'",
        b"\"\\u00e9\\ud83d\\ude00\"",
        b"\"\\ud800\"",
        b"\"\\udc00\"",
        b"\"a\\u0000b\"",
        b"\"\\q\"",
        b"\"\\/\\b\\f\\n\\r\\t\\\\\"",
        b"\"\xc3\xa9\"",
        b"\"\xc3\"",
        b"\"\xed\xa0\x80\"",
        b"\"\xf4\x90\x80\x80\"",
        b"\"\xc0\xaf\"",
        b"\"\xc0\x80\"",
        b"\"\xef\xb7\x90\"",
        b"\"\xef\xbf\xbf\"",
        b"\"\xf4\x8f\xbf\xbd\"",
        b"\"partial",
        b"0",
        b"-0",
        b"-0.0",
        b"01",
        b"1.5",
        b"1e3",
        b"1E+3",
        b"1.0e400",
        b"-1e400",
        b"18446744073709551615",
        b"18446744073709551616",
        b"-9223372036854775808",
        b"-9223372036854775809",
        b"9223372036854775808",
        b"-",
        b"1.",
        b"1e",
        b"1e+",
        b".5",
        b"true",
        b"false",
        b"null",
        b"tru",
        b"TRUE",
        b"nul",
        b"\x00",
        b"\x01",
        b"\x1f",
        b"\x7f",
        b"\xfe",
        b"\xff",
        b"\xc3",
        b"'",
        b"\"",
        b"\\",
    ];
    prop_oneof![
        4 => prop::sample::select(TOKENS).prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 1..4),
        1 => "[a-z0-9 \"'{}\\[\\]:,.\\\\-]{1,6}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every write of a value reads back as the same value.
    #[test]
    fn written_values_read_back(v in arb_value()) {
        check_value(&v, Limits::QEMU);
    }

    /// Any string is written as pure ASCII and reads back exactly.
    #[test]
    fn strings_read_back_exactly(s in any::<String>()) {
        let v = Value::String(s);
        for o in [WriteOptions::COMPACT, WriteOptions::QEMU_PRETTY] {
            let text = value_to_vec(&v, &o);
            prop_assert!(text.is_ascii());
            prop_assert_eq!(parse_one(&text).expect("reads back"), v.clone());
        }
    }

    /// Doubles survive `%.17g`: the same double, or an integer of exactly
    /// its value.
    #[test]
    fn doubles_read_back_exactly(d in finite_f64()) {
        let v = Value::Double(d);
        let text = value_to_vec(&v, &WriteOptions::QEMU);
        let back = parse_one(&text).expect("a finite double reads back");
        prop_assert!(same_after_write(&v, &back, true), "{} read as {:?}", String::from_utf8_lossy(&text), back);
    }

    /// Token soup: same items however the input is cut, QEMU's texts only,
    /// values that read back (QEMU's limits and small ones).
    #[test]
    fn token_soup_streams_consistently(tokens in prop::collection::vec(token(), 0..48)) {
        json_stream(&tokens.concat());
    }

    /// Arbitrary bytes, likewise.
    #[test]
    fn arbitrary_bytes_stream_consistently(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        json_stream(&bytes);
    }

    /// Written messages with one byte replaced, inserted or removed:
    /// input that is valid up to a point, where the reader's fast path
    /// (whole plain messages) must give up and leave the outcome to the
    /// general reader. Keys and strings are mostly plain ASCII here, so
    /// that the fast path gets far.
    #[test]
    fn damaged_messages_stream_consistently(
        v in ascii_value(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(b" \t\n{}[],:\"'\\0123456789.eE+-aflnrstu\x00\x0c\x7f\x80\xc3\xff".to_vec()),
        how in 0u8..3,
    ) {
        let mut text = value_to_vec(&Value::Array(vec![v]), &WriteOptions::COMPACT);
        let i = at.index(text.len() + 1);
        match how {
            0 if i < text.len() => text[i] = byte,
            1 if i < text.len() => { text.remove(i); }
            _ => text.insert(i, byte),
        }
        json_stream(&text);
    }

    /// A written value nested to the limit reads back; one level deeper is
    /// the nesting error (with small limits, so it stays cheap).
    #[test]
    fn nesting_limit_is_exact(v in arb_value(), extra in 0usize..3) {
        let mut deep = v;
        for _ in 0..SMALL_LIMITS.max_nesting + extra {
            deep = Value::Array(vec![deep]);
        }
        let text = value_to_vec(&deep, &WriteOptions::COMPACT);
        let depth = depth(&deep);
        let r = qapi::json::parse_one_with_limits(&text, Limits { max_token_count: usize::MAX, max_token_size: usize::MAX, ..SMALL_LIMITS });
        if depth <= SMALL_LIMITS.max_nesting {
            prop_assert!(r.is_ok(), "{:?}", r);
        } else {
            let e = r.expect_err("too deep");
            prop_assert_eq!(e.desc(), "JSON nesting depth limit exceeded");
        }
    }
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(m) => 1 + m.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}
