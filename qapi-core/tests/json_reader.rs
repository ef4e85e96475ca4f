//! The streaming JSON reader against QEMU 10.0.2's observed behaviour
//! (qemu-storage-daemon transcripts, REFERENCE.md §4.4/§4.5).

use std::path::PathBuf;

use qapi_core::json::{
    JsonError, JsonErrorKind, JsonStreamer, Limits, WriteOptions, parse_one, parse_one_with_limits,
    value_to_string,
};
use qapi_core::{Map, Value};

type Item = Result<Value, JsonError>;

/// Feeds `input` in one piece, byte by byte, and in uneven chunks; all
/// three must give the same items.
fn read_all(input: &[u8]) -> Vec<Item> {
    read_with_limits(input, Limits::default())
}

fn read_with_limits(input: &[u8], limits: Limits) -> Vec<Item> {
    let mut whole = JsonStreamer::with_limits(limits);
    whole.feed(input);
    let whole: Vec<Item> = whole.drain().collect();

    if input.len() <= 1 << 16 {
        let mut bytewise = JsonStreamer::with_limits(limits);
        let mut items = Vec::new();
        for b in input {
            bytewise.feed_with(std::slice::from_ref(b), |i| items.push(i));
        }
        assert_same(&whole, &items, "byte-by-byte");
    }
    let mut chunked = JsonStreamer::with_limits(limits);
    let mut items = Vec::new();
    let mut rest = input;
    let mut n = 1;
    while !rest.is_empty() {
        let k = n.min(rest.len());
        chunked.feed(&rest[..k]);
        items.extend(chunked.drain());
        rest = &rest[k..];
        n = n * 7 % 23 + 1;
    }
    assert_same(&whole, &items, "chunked");
    whole
}

fn assert_same(a: &[Item], b: &[Item], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: item count");
    for (x, y) in a.iter().zip(b) {
        match (x, y) {
            (Ok(x), Ok(y)) => assert_eq!(qemu(x), qemu(y), "{what}"),
            (Err(x), Err(y)) => assert_eq!(x, y, "{what}"),
            _ => panic!("{what}: {x:?} vs {y:?}"),
        }
    }
}

fn qemu(v: &Value) -> String {
    value_to_string(v, &WriteOptions::QEMU)
}

/// The error descriptions, `Ok` values written as QEMU writes them.
fn outcome(input: &[u8]) -> Vec<String> {
    read_all(input)
        .into_iter()
        .map(|i| match i {
            Ok(v) => format!("ok {}", qemu(&v)),
            Err(e) => e.desc().to_owned(),
        })
        .collect()
}

fn obj(members: &[(&str, Value)]) -> Value {
    let mut m = Map::new();
    for (k, v) in members {
        m.insert(*k, v.clone());
    }
    Value::Object(m)
}

/// QSD 10.0.2's `query-version` result, members inserted as QEMU does.
fn version() -> Value {
    obj(&[
        (
            "qemu",
            obj(&[
                ("major", Value::Int(10)),
                ("minor", Value::Int(0)),
                ("micro", Value::Int(2)),
            ]),
        ),
        ("package", "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1".into()),
    ])
}

/// What QSD answers to a request item, for the cases below: parse errors
/// and `query-version` with an echoed `id`.
fn reply(item: &Item) -> String {
    match item {
        Err(e) => qemu(&obj(&[(
            "error",
            obj(&[("class", "GenericError".into()), ("desc", e.desc().into())]),
        )])),
        Ok(Value::Object(req)) => {
            assert_eq!(req.get("execute"), Some(&Value::from("query-version")));
            let mut rsp = Map::new();
            rsp.insert("return", version());
            if let Some(id) = req.get("id") {
                rsp.insert("id", id.clone());
            }
            qemu(&Value::Object(rsp))
        }
        Ok(_) => qemu(&obj(&[(
            "error",
            obj(&[
                ("class", "GenericError".into()),
                ("desc", "QMP input must be a JSON object".into()),
            ]),
        )])),
    }
}

const V: &str = r#"{"qemu": {"micro": 2, "minor": 0, "major": 10}, "package": "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1"}"#;

/// Requests sent to qemu-storage-daemon 10.0.2 and every line it sent
/// back (session A of qsd-transcripts.txt; `V` is the version object).
fn transcript_cases() -> Vec<(&'static [u8], Vec<String>)> {
    let ok = |id: &str| format!(r#"{{"return": {V}, "id": {id}}}"#);
    let err = |d: &str| format!(r#"{{"error": {{"class": "GenericError", "desc": "{d}"}}}}"#);
    let ev = || err("JSON parse error, expecting value");
    vec![
        (
            br#"{"execute":"query-version"}"#,
            vec![format!(r#"{{"return": {V}}}"#)],
        ),
        (
            br#"{"execute":"query-version","id":"str-id"}"#,
            vec![ok(r#""str-id""#)],
        ),
        (br#"{"execute":"query-version","id":42}"#, vec![ok("42")]),
        (br#"{"execute":"query-version","id":-7}"#, vec![ok("-7")]),
        (br#"{"execute":"query-version","id":1.5}"#, vec![ok("1.5")]),
        (br#"{"execute":"query-version","id":1e3}"#, vec![ok("1000")]),
        (
            br#"{"execute":"query-version","id":true}"#,
            vec![ok("true")],
        ),
        (
            br#"{"execute":"query-version","id":null}"#,
            vec![ok("null")],
        ),
        (
            br#"{"execute":"query-version","id":[1,"a",{"b":null}]}"#,
            vec![ok(r#"[1, "a", {"b": null}]"#)],
        ),
        (
            br#"{"execute":"query-version","id":{"x":{"y":[1,2]}}}"#,
            vec![ok(r#"{"x": {"y": [1, 2]}}"#)],
        ),
        (
            br#"{"execute":"query-version","id":18446744073709551615}"#,
            vec![ok("18446744073709551615")],
        ),
        (
            br#"{"execute":"query-version","id":18446744073709551616}"#,
            vec![ok("1.8446744073709552e+19")],
        ),
        (
            br#"{"execute":"query-version","id":"\u00e9\ud83d\ude00"}"#,
            vec![ok(r#""\u00E9\uD83D\uDE00""#)],
        ),
        (
            br#"{"execute":"query-version","id":'single'}"#,
            vec![ok(r#""single""#)],
        ),
        (b"[1,2]", vec![err("QMP input must be a JSON object")]),
        (
            br#""query-version""#,
            vec![err("QMP input must be a JSON object")],
        ),
        (b"42", vec![err("QMP input must be a JSON object")]),
        (b"null", vec![err("QMP input must be a JSON object")]),
        (
            br#"{'execute':'query-version','id':'sq'}"#,
            vec![ok(r#""sq""#)],
        ),
        (
            br#"{"execute":"query-version","id":"a\u0000b"}"#,
            vec![ok(r#""a\u0000b""#)],
        ),
        (
            br#"{"execute":"query-version","id":"\ud800"}"#,
            vec![err(
                r"JSON parse error, \\ud800 is not a valid Unicode character",
            )],
        ),
        (
            b"{\"execute\":\"query-version\",\"id\":\"\xc3\xa9\x7f\"}",
            vec![ok(r#""\u00E9\u007F""#)],
        ),
        (
            b"{\"execute\":\"query-version\",\"id\":\"\xc3\"}",
            vec![err("JSON parse error, invalid UTF-8 sequence in string")],
        ),
        (
            br#"{"execute":"query-version","id":"\q"}"#,
            vec![err("JSON parse error, invalid escape sequence in string")],
        ),
        (br#"{"execute": }"#, vec![ev()]),
        (
            br#"{"execute" "query-version"}"#,
            vec![err("JSON parse error, missing : in object pair")],
        ),
        (br#"{"execute":"query-version",}"#, vec![ev()]),
        (br#"{"execute":"query-version","id":[1,]}"#, vec![ev()]),
        (
            br#"{"execute":"query-version","id":tru}"#,
            vec![err("JSON parse error, invalid keyword 'tru'")],
        ),
        (
            br#"{"execute":"query-version","id":TRUE}"#,
            vec![err("JSON parse error, stray 'T'"), ev()],
        ),
        (
            br#"{"execute":"query-version","id":01}"#,
            vec![err("JSON parse error, stray '01'"), ev()],
        ),
        (
            b"{1:2}",
            vec![err("JSON parse error, key is not a string in object")],
        ),
        (
            br#"{"execute":"query-version","execute":"quit"}"#,
            vec![err("JSON parse error, duplicate key")],
        ),
        (b"}", vec![ev()]),
        (b"]", vec![ev()]),
        (
            b"{\"execute\":\"query-version\",\"id\":\"\x01\"}",
            vec![err(r#"JSON parse error, stray '\"\u0001'"#), ev()],
        ),
        (
            b"{\"execute\":\"query-version\", \"id\": \"partial\n",
            vec![err(r#"JSON parse error, stray '\"partial\n'"#)],
        ),
        (b"\xff", vec![err(r"JSON parse error, stray '\uFFFD'")]),
        (br#"{"execute":"query-version","id":"x""#, vec![]),
        (
            b"{\"execute\":\"query-version\",\"id\":\"x\"\x01",
            vec![err(r"JSON parse error, stray '\u0001'")],
        ),
        (
            br#"{"execute":"query-version","id":1}{"execute":"query-version","id":2}"#,
            vec![ok("1"), ok("2")],
        ),
        (
            b"  {\"execute\"\n:\n\"query-version\",\r\n\"id\":\"multi-line\"}",
            vec![ok(r#""multi-line""#)],
        ),
        (
            br#"{"execute":"query-version","id":1.0e400}"#,
            vec![ok("inf")],
        ),
        (br#"{"execute":"query-version","id":-0}"#, vec![ok("0")]),
        (br#"{"execute":"query-version","id":-0.0}"#, vec![ok("-0")]),
        (
            br#"{"execute":"query-version","id":0.1}"#,
            vec![ok("0.10000000000000001")],
        ),
    ]
}

#[test]
fn qsd_transcript_replies_byte_for_byte() {
    for (input, want) in transcript_cases() {
        let mut input = input.to_vec();
        if input.last() != Some(&b'\n') {
            input.push(b'\n');
        }
        let got: Vec<String> = read_all(&input).iter().map(reply).collect();
        assert_eq!(got, want, "input {:?}", String::from_utf8_lossy(&input));
    }
}

#[test]
fn error_descriptions() {
    let cases: &[(&[u8], &[&str])] = &[
        (b"TRUE", &["JSON parse error, stray 'T'"]),
        (b"\x01", &["JSON parse error, stray '\u{1}'"]),
        (b"\"\x01\"", &["JSON parse error, stray '\"\u{1}'"]),
        (b"\xff", &["JSON parse error, stray '\u{FFFD}'"]),
        (b"\"partial\n", &["JSON parse error, stray '\"partial\n'"]),
        (
            b"\"\xc3\xa9\x1f",
            &["JSON parse error, stray '\"\u{e9}\u{1f}'"],
        ),
        (
            b"\"\xc3\xfe",
            &["JSON parse error, stray '\"\u{FFFD}\u{FFFD}'"],
        ),
        (b"-x", &["JSON parse error, stray '-x'"]),
        (b"1.x", &["JSON parse error, stray '1.x'"]),
        (b"1e+x", &["JSON parse error, stray '1e+x'"]),
        (b"%d", &["JSON parse error, stray '%'"]),
        // Recovery stops at control characters, which are bad themselves.
        (
            b"@ab\x02cd\n",
            &[
                "JSON parse error, stray '@'",
                "JSON parse error, stray '\u{2}'",
            ],
        ),
        (
            b"@ab\ncd\n",
            &[
                "JSON parse error, stray '@'",
                "JSON parse error, invalid keyword 'cd'",
            ],
        ),
        // A zero byte ends the quoted text as in C.
        (b"\"ab\x00", &["JSON parse error, stray '\"ab'"]),
        (b"[1 2]", &["JSON parse error, expected separator in list"]),
        (
            b"{\"a\":1 \"b\":2}",
            &["JSON parse error, expected separator in dict"],
        ),
        (
            b"{\"a\":1]",
            &["JSON parse error, expected separator in dict"],
        ),
        (b"[1}", &["JSON parse error, expected separator in list"]),
        (b"{]", &["JSON parse error, expecting value"]),
        (b"{,}", &["JSON parse error, expecting value"]),
        (b"[,]", &["JSON parse error, expecting value"]),
        (b"{:}", &["JSON parse error, expecting value"]),
        (
            b"{true:1}",
            &["JSON parse error, key is not a string in object"],
        ),
        (b"{tru:1}", &["JSON parse error, invalid keyword 'tru'"]),
        (
            b"{[1 2]:1}",
            &["JSON parse error, expected separator in list"],
        ),
        (
            b"{[1]:1}",
            &["JSON parse error, key is not a string in object"],
        ),
        (
            b"{\"a\":1,\"a\":tru}",
            &["JSON parse error, invalid keyword 'tru'"],
        ),
        (
            b"{\"a\":{},\"a\":[}]",
            &["JSON parse error, expecting value"],
        ),
        (
            b"\"\\u12\"",
            &["JSON parse error, \\u12\" is not a valid Unicode character"],
        ),
        (
            b"'\\u12'",
            &["JSON parse error, \\u12' is not a valid Unicode character"],
        ),
        (
            b"\"\\uD800\\u0041\"",
            &["JSON parse error, \\uD800 is not a valid Unicode character"],
        ),
        (
            b"\"\\uDC00\"",
            &["JSON parse error, \\uDC00 is not a valid Unicode character"],
        ),
        (
            b"\"\\uFFFF\"",
            &["JSON parse error, \\uFFFF is not a valid Unicode character"],
        ),
        (
            b"\"\\uFDD0\"",
            &["JSON parse error, \\uFDD0 is not a valid Unicode character"],
        ),
        (
            b"\"\\udbff\\udfff\"",
            &["JSON parse error, \\udbff\\udfff is not a valid Unicode character"],
        ),
        (
            b"\"\xef\xbf\xbf\"",
            &["JSON parse error, invalid UTF-8 sequence in string"],
        ),
        (
            b"\"\xed\xa0\x80\"",
            &["JSON parse error, invalid UTF-8 sequence in string"],
        ),
        (
            b"\"\xc1\xbf\"",
            &["JSON parse error, invalid UTF-8 sequence in string"],
        ),
        (
            b"\"\xc3\\q\"",
            &["JSON parse error, invalid UTF-8 sequence in string"],
        ),
        (
            b"\"\\q\xc3\"",
            &["JSON parse error, invalid escape sequence in string"],
        ),
        // A number followed by letters: two tokens.
        (
            b"0e5 ",
            &["ok 0", "JSON parse error, invalid keyword 'e'", "ok 5"],
        ),
        (b"[0e5]", &["JSON parse error, expected separator in list"]),
    ];
    for (input, want) in cases {
        let got = outcome(input);
        assert_eq!(got, *want, "input {:?}", String::from_utf8_lossy(input));
    }
}

#[test]
fn values_and_numbers() {
    let v =
        parse_one(br#"{"a": [1, -1, 0, -0, 9223372036854775807, -9223372036854775808]}"#).unwrap();
    let a = match &v {
        Value::Object(m) => m.get("a").unwrap(),
        _ => panic!(),
    };
    assert!(matches!(
        a,
        Value::Array(x) if matches!(x[..], [
            Value::Int(1), Value::Int(-1), Value::Int(0), Value::Int(0),
            Value::Int(i64::MAX), Value::Int(i64::MIN)
        ])
    ));
    assert!(matches!(
        parse_one(b"9223372036854775808"),
        Ok(Value::UInt(9223372036854775808))
    ));
    assert!(matches!(
        parse_one(b"18446744073709551615"),
        Ok(Value::UInt(u64::MAX))
    ));
    assert!(
        matches!(parse_one(b"-9223372036854775809"), Ok(Value::Double(d)) if d == -9223372036854775808.0)
    );
    assert!(
        matches!(parse_one(b"18446744073709551616"), Ok(Value::Double(d)) if d == 18446744073709551616.0)
    );
    assert!(matches!(parse_one(b"1.0"), Ok(Value::Double(d)) if d == 1.0));
    assert!(matches!(parse_one(b"1E2"), Ok(Value::Double(d)) if d == 100.0));
    assert!(matches!(parse_one(b"-0.0"), Ok(Value::Double(d)) if d == 0.0 && d.is_sign_negative()));
    assert!(matches!(parse_one(b"1e-400"), Ok(Value::Double(d)) if d == 0.0));
    assert!(matches!(parse_one(b"-1e400"), Ok(Value::Double(d)) if d == f64::NEG_INFINITY));
    assert_eq!(parse_one(b"'it\\'s'").unwrap(), Value::from("it's"));
    assert_eq!(
        parse_one(b"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"").unwrap(),
        Value::from("\"\\/\u{8}\u{c}\n\r\t")
    );
    assert_eq!(parse_one(b"\"\xc0\x80\"").unwrap(), Value::from("\0"));
    assert_eq!(
        parse_one(b"\"\xf4\x8f\xbf\xbd\"").unwrap(),
        Value::from("\u{10FFFD}")
    );
    assert_eq!(parse_one(b" [ ] ").unwrap(), Value::Array(vec![]));
    assert_eq!(parse_one(b"{}").unwrap(), Value::Object(Map::new()));
    // Key order is kept.
    let v = parse_one(br#"{"z": 1, "a": 2, "m": 3}"#).unwrap();
    assert_eq!(
        v.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["z", "a", "m"]
    );
}

#[test]
fn parse_one_wants_exactly_one_value() {
    let e = parse_one(b"1 2").unwrap_err();
    assert_eq!(
        (e.kind(), e.desc()),
        (
            JsonErrorKind::NotOneValue,
            "Expecting at most one JSON value"
        )
    );
    assert_eq!(
        parse_one(b"{} x").unwrap_err().desc(),
        "Expecting at most one JSON value"
    );
    assert_eq!(
        parse_one(b"  \n").unwrap_err().desc(),
        "Expecting a JSON value"
    );
    assert_eq!(
        parse_one(b"x 1").unwrap_err().desc(),
        "JSON parse error, invalid keyword 'x'"
    );
    assert_eq!(
        parse_one(b"{\"a\": 1").unwrap_err().desc(),
        "JSON parse error, premature EOI"
    );
    assert_eq!(
        parse_one(b"[1, 2").unwrap_err().desc(),
        "JSON parse error, premature EOI"
    );
    assert_eq!(
        parse_one(b"\"abc").unwrap_err().desc(),
        "JSON parse error, stray '\"abc'"
    );
    assert_eq!(parse_one(b"12").unwrap(), Value::Int(12));
    assert_eq!(parse_one(b"1.5e3").unwrap(), Value::Double(1500.0));
    assert_eq!(
        parse_one(b"nul").unwrap_err().desc(),
        "JSON parse error, invalid keyword 'nul'"
    );
    assert_eq!(
        parse_one(b"-").unwrap_err().desc(),
        "JSON parse error, stray '-'"
    );
}

#[test]
fn streaming_boundaries() {
    let mut s = JsonStreamer::new();
    s.feed(br#"{"execute": "qmp_capa"#);
    assert!(s.pop().is_none());
    assert!(s.is_partial());
    s.feed(b"bilities\"}\n");
    assert!(!s.is_partial());
    let v = s.pop().unwrap().unwrap();
    assert_eq!(qemu(&v), r#"{"execute": "qmp_capabilities"}"#);
    // A scalar at depth 0 is complete once the next byte shows it ended.
    s.feed(b"12");
    assert!(s.pop().is_none());
    s.feed(b"3 ");
    assert_eq!(s.pop().unwrap().unwrap(), Value::Int(123));
    s.feed(b"tr");
    s.feed(b"ue");
    assert!(s.pop().is_none());
    s.flush();
    assert_eq!(s.pop().unwrap().unwrap(), Value::Bool(true));
    assert!(!s.is_partial());
    // A lexical error discards the partial request.
    s.feed(br#"{"execute": "x", "id": @ "#);
    s.feed(br#"{"a": 1}"#);
    let items: Vec<Item> = s.drain().collect();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0].as_ref().unwrap_err().desc(),
        "JSON parse error, stray '@'"
    );
    assert_eq!(qemu(items[1].as_ref().unwrap()), r#"{"a": 1}"#);
    // reset() forgets everything.
    s.feed(br#"{"a": "#);
    s.reset();
    s.feed(b"[]");
    assert_eq!(s.pop().unwrap().unwrap(), Value::Array(vec![]));
}

fn nested_request(depth: usize) -> Vec<u8> {
    let mut v = br#"{"execute":"query-version","id":"#.to_vec();
    v.extend(std::iter::repeat_n(b'[', depth));
    v.extend(std::iter::repeat_n(b']', depth));
    v.extend_from_slice(b"}\n");
    v
}

/// Session C: an `id` nested 1023 arrays deep (total depth 1024) is
/// accepted; 1024 arrays deep gives one limit error and then one
/// `expecting value` per closing bracket or brace (1025).
#[test]
fn nesting_limit_like_qemu() {
    let input = nested_request(1023);
    assert_eq!(input.len(), 2080);
    let items = read_all(&input);
    assert_eq!(items.len(), 1);
    let id = items[0]
        .as_ref()
        .unwrap()
        .as_object()
        .unwrap()
        .get("id")
        .unwrap();
    let mut depth = 0;
    let mut v = id;
    while let Value::Array(a) = v {
        depth += 1;
        match a.first() {
            Some(x) => v = x,
            None => break,
        }
    }
    assert_eq!(depth, 1023);

    let input = nested_request(1024);
    assert_eq!(input.len(), 2082);
    let items = read_all(&input);
    assert_eq!(items.len(), 1026);
    let e = items[0].as_ref().unwrap_err();
    assert_eq!(
        (e.kind(), e.desc()),
        (
            JsonErrorKind::NestingLimit,
            "JSON nesting depth limit exceeded"
        )
    );
    for i in &items[1..] {
        assert_eq!(
            i.as_ref().unwrap_err().desc(),
            "JSON parse error, expecting value"
        );
    }

    // A bare array nested 1024 deep is fine.
    let mut input = vec![b'['; 1024];
    input.extend(vec![b']'; 1024]);
    assert!(matches!(&read_all(&input)[..], [Ok(Value::Array(_))]));

    // The limit is configurable.
    let limits = Limits {
        max_nesting: 2,
        ..Limits::default()
    };
    let descs: Vec<String> = read_with_limits(b"[[1]] [[[1]]]", limits)
        .into_iter()
        .map(|i| i.map_or_else(|e| e.desc().to_owned(), |v| qemu(&v)))
        .collect();
    assert_eq!(
        descs,
        [
            "[[1]]",
            "JSON nesting depth limit exceeded",
            "1",
            "JSON parse error, expecting value",
            "JSON parse error, expecting value",
            "JSON parse error, expecting value"
        ]
    );
}

/// Session C: 1 048 577 array elements (2 097 161 tokens) exceed the
/// token count limit at the 2 097 153rd token; the 10 tokens left are
/// messages of their own.
#[test]
fn token_count_limit_like_qemu() {
    let mut input = br#"{"execute":"query-version","id":["#.to_vec();
    for i in 0..1_048_577 {
        input.extend_from_slice(if i == 0 { b"1" } else { b",1" });
    }
    input.extend_from_slice(b"]}\n");
    assert_eq!(input.len(), 2_097_189);
    let items = read_all(&input);
    assert_eq!(items.len(), 11);
    assert_eq!(
        items[0].as_ref().unwrap_err().desc(),
        "JSON token count limit exceeded"
    );
    let rest: Vec<String> = items[1..]
        .iter()
        .map(|i| match i {
            Ok(v) => qemu(v),
            Err(e) => e.desc().to_owned(),
        })
        .collect();
    let ev = "JSON parse error, expecting value";
    assert_eq!(rest, [ev, "1", ev, "1", ev, "1", ev, "1", ev, ev]);

    // Just under the limit: accepted.
    let mut input = br#"{"execute":"query-version","id":["#.to_vec();
    for i in 0..1_048_561 {
        input.extend_from_slice(if i == 0 { b"1" } else { b",1" });
    }
    input.extend_from_slice(b"]}\n");
    assert_eq!(input.len(), 2_097_157);
    let items = read_all(&input);
    assert_eq!(items.len(), 1);
    let id = items[0]
        .as_ref()
        .unwrap()
        .as_object()
        .unwrap()
        .get("id")
        .unwrap();
    assert!(matches!(id, Value::Array(a) if a.len() == 1_048_561));

    let limits = Limits {
        max_token_count: 3,
        ..Limits::default()
    };
    let got: Vec<String> = read_with_limits(b"[1] [1,2]", limits)
        .into_iter()
        .map(|i| i.map_or_else(|e| e.desc().to_owned(), |v| qemu(&v)))
        .collect();
    // The token over the limit (`2`) is dropped; `]` is then alone.
    assert_eq!(got, ["[1]", "JSON token count limit exceeded", ev]);
}

/// Session C: a 67 108 874-byte string. The lexer cuts the token when it
/// passes 64 MiB (size limit error), the rest of the string is a stray
/// `A` and skipped, and the closing brace is a message of its own.
#[test]
fn token_size_limit_like_qemu() {
    let mut input = br#"{"execute":"query-version","id":""#.to_vec();
    input.resize(input.len() + 67_108_874, b'A');
    input.extend_from_slice(b"\"}\n");
    assert_eq!(input.len(), 67_108_910);
    let mut s = JsonStreamer::new();
    for chunk in input.chunks(1 << 20) {
        s.feed(chunk);
    }
    let descs: Vec<String> = s
        .drain()
        .map(|i| i.unwrap_err().desc().to_owned())
        .collect();
    assert_eq!(
        descs,
        [
            "JSON token size limit exceeded",
            "JSON parse error, stray 'A'",
            "JSON parse error, expecting value"
        ]
    );
    drop(input);
    s.feed(br#"{"execute":"query-version","id":"still-alive"}"#);
    assert!(s.pop().unwrap().is_ok());

    // Small limits: the same shape.
    let limits = Limits {
        max_token_size: 10,
        ..Limits::default()
    };
    let descs = |input: &[u8]| -> Vec<String> {
        read_with_limits(input, limits)
            .into_iter()
            .map(|i| i.map_or_else(|e| e.desc().to_owned(), |v| qemu(&v)))
            .collect()
    };
    assert_eq!(
        descs(br#"{"id":"AAAAAAAAAAAA"}"#),
        [
            "JSON token size limit exceeded",
            "JSON parse error, stray 'A'",
            "JSON parse error, expecting value"
        ]
    );
    // An 11-byte token is whole (the lexer cuts only above 10 bytes) but
    // too big for the message (11 + 1 > 10).
    assert_eq!(
        descs(br#""AAAAAAAAA" 1 "#),
        ["JSON token size limit exceeded", "1"]
    );
    // The bytes of all tokens of a message count: [ "abcd" , (1 + 6 + 1)
    // then "efgh" (8 + 6 + 1 > 10).
    assert_eq!(
        descs(br#"["abcd","efgh"]"#),
        [
            "JSON token size limit exceeded",
            "JSON parse error, expecting value"
        ]
    );
    // What follows a cut string is lexed afresh: here a new string.
    assert_eq!(
        descs(br#""AAAAAAAAAA"x" 2 "#),
        ["JSON token size limit exceeded", r#""x""#, "2"]
    );
    // A long number or keyword is cut the same way.
    assert_eq!(
        descs(b"123456789012345 abcdefghijklmn "),
        [
            "JSON token size limit exceeded",
            "2345",
            "JSON token size limit exceeded",
            "JSON parse error, invalid keyword 'lmn'"
        ]
    );
}

#[test]
fn long_invalid_keyword_message_is_cut_like_qemu() {
    let kw = vec![b'a'; 5000];
    let e = parse_one(&kw).unwrap_err();
    // QEMU formats "invalid keyword '…'" into a 1024-byte buffer.
    let want = format!(
        "JSON parse error, invalid keyword '{}",
        "a".repeat(1023 - 17)
    );
    assert_eq!(e.desc(), want);
}

/// Random bytes, and random mutations of valid requests: no panic, and
/// the result does not depend on how the input is split.
#[test]
fn hostile_input_does_not_panic() {
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let seeds: &[&[u8]] = &[
        br#"{"execute":"blockdev-add","arguments":{"driver":"null-co","node-name":"n0","size":1048576},"id":57}"#,
        br#"{'a':[1,-2.5e3,true,false,null,"\u00e9\ud83d\ude00\n",{}],"b":{"c":[[]]}}"#,
    ];
    for round in 0..3000 {
        let mut input: Vec<u8> = if round % 3 == 0 {
            (0..(next() % 200)).map(|_| next() as u8).collect()
        } else {
            seeds[round % 2].to_vec()
        };
        if round % 3 != 0 {
            for _ in 0..(next() % 6) {
                if input.is_empty() {
                    break;
                }
                let pos = (next() as usize) % input.len();
                match next() % 4 {
                    0 => input[pos] = next() as u8,
                    1 => {
                        input.remove(pos);
                    }
                    2 => {
                        let special = b"{}[]:,\"'\\ \n\x00\xff";
                        input.insert(pos, special[(next() as usize) % special.len()]);
                    }
                    _ => input.truncate(pos),
                }
            }
        }
        let items = read_all(&input);
        let limits = Limits {
            max_nesting: 3,
            max_token_count: 7,
            max_token_size: 9,
        };
        let _ = read_with_limits(&input, limits);
        let _ = parse_one(&input);
        let _ = parse_one_with_limits(&input, limits);
        // Every value read can be written.
        for v in items.into_iter().flatten() {
            let _ = qemu(&v);
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

/// Every request line of the raw QSD transcript parses (the ones QEMU
/// answered), and every complete reply line QEMU sent parses back.
#[test]
fn transcript_lines_parse() {
    let Some(dir) = shared_dir() else { return };
    let text = std::fs::read(dir.join("qemu/live/qsd-10.0.2.transcript.jsonl")).unwrap();
    let mut n = 0;
    for line in text.split(|&b| b == b'\n') {
        let Some(json) = line
            .strip_prefix(b"<- ")
            .or_else(|| line.strip_prefix(b"-> "))
        else {
            continue;
        };
        let v =
            parse_one(json).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(json)));
        assert!(v.as_object().is_some());
        n += 1;
    }
    assert_eq!(n, 11);
}
