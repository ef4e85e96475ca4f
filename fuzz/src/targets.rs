//! The bodies of the fuzz targets, shared by the fuzzer binaries
//! (`fuzz/fuzz_targets/*.rs`) and by the corpus replay test of the main
//! package (`tests/fuzz_smoke.rs`, which includes this file with
//! `#[path]`). See `FUZZING.md` at the repository root.
//!
//! Every target takes arbitrary bytes. It returns normally when the code
//! under test behaved, and panics (which the fuzzer reports as a crash)
//! when the code under test panicked or broke one of the invariants
//! checked here; the panic message says which.
//!
//! | target | code under test |
//! |---|---|
//! | [`json_stream`] | `qapi::json::JsonStreamer`, the writer, the serde `Serializer` |
//! | [`decode`] | `qapi::from_slice`, `Command::decode_args`, `Event::decode_data` |
//! | [`dispatch`] | `Registry::dispatch_str` / `dispatch` |
//! | [`schema`] | `qapi_schema::load_str`, `check_syntax_str` |
//! | [`session`] | a whole server session (`qapi::server::serve_split`) |
#![allow(dead_code)]

use std::fmt::Debug;
use std::sync::{Arc, OnceLock};

use qapi::json::{JsonError, JsonStreamer, Limits, WriteOptions};
use qapi::policy::{CompatPolicy, InputPolicy, OutputPolicy};
use qapi::server::{Closed, EventSender, RateLimits, ServerConfig};
use qapi::{
    Command, Decoder, Dispatched, Event, Map, Protocol, Qapi, Registry, ReplyFormat, Response,
    Session, Value,
};

#[path = "../../tests/common/example.rs"]
pub mod example;
#[path = "../../tests/common/qsd_mini.rs"]
pub mod qsd_mini;

use qapi_kitchen_sink as ks;

/// Picks an entry of `table` for `data`: `<name>\n<rest>` selects the
/// entry called `name` (how the seed corpora are written, so that they
/// survive changes to the tables); otherwise the first byte, modulo the
/// table's length, selects one and the rest follows.
pub fn pick<'a, T>(
    table: &'a [(&'static str, T)],
    data: &'a [u8],
) -> Option<(&'a str, &'a T, &'a [u8])> {
    if table.is_empty() {
        return None;
    }
    if let Some(nl) = data.iter().position(|&b| b == b'\n') {
        if let Some((name, t)) = table.iter().find(|(n, _)| n.as_bytes() == &data[..nl]) {
            return Some((name, t, &data[nl + 1..]));
        }
    }
    let (&b, rest) = data.split_first()?;
    let (name, t) = &table[usize::from(b) % table.len()];
    Some((name, t, rest))
}

// ---------------------------------------------------------------------
// (a) The streaming JSON reader: in json_checks.rs.

#[path = "json_checks.rs"]
mod json_checks;
pub use json_checks::*;

// ---------------------------------------------------------------------
// (b) Decoding with QEMU's rules.

/// One decoder entry: how to decode (and round-trip) one type; gets the
/// entry's name (for messages) and the JSON text.
pub type DecodeFn = fn(&str, &[u8]);

/// Types whose decoding does not round-trip through `PartialEq`
/// although the JSON does: they hold `any` (`serde_json::Value`), where
/// a double such as `1e3` comes back as the integer `1000` and `-0.0` as
/// the integer `0` (QEMU writes them `1000` and `-0` too). For these the
/// re-encoded JSON must read as the same JSON.
const LOOSE_EQ: &[&str] = &["ks::GuestSync", "ks::UserDefOptions"];

/// Every command and event of `tests/common/qsd_mini.rs`,
/// `tests/common/example.rs` and the kitchen sink, and every type of
/// the kitchen sink and of the mini-QSD that commands use.
pub fn decoders() -> &'static [(&'static str, DecodeFn)] {
    macro_rules! table {
        ($f:ident, $m:literal: $($t:ident),* $(,)?) => {
            [$((concat!($m, "::", stringify!($t)), $f::<$t> as DecodeFn)),*]
        };
    }
    static TABLE: OnceLock<Vec<(&'static str, DecodeFn)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Vec<(&'static str, DecodeFn)> = Vec::new();
        {
            use qsd_mini::*;
            t.extend(table![decode_cmd, "qsd":
                QueryVersion,
                BlockJobCancel,
                BlockJobSetSpeed,
                BlockSetWriteThreshold,
                QueryNamedBlockNodes,
                BlockDirtyBitmapAddCmd,
                BlockdevAdd,
                NbdServerStart,
                ObjectAdd,
                Transaction,
                BlockDirtyBitmapMerge,
            ]);
            t.extend(table![decode_type, "qsd":
                BlockdevOptions,
                BlockdevRef,
                BlockdevRefOrNull,
                SocketAddressLegacy,
                ObjectOptions,
                TransactionAction,
                BlockDirtyBitmapOrStr,
                WithSize,
            ]);
        }
        {
            use example::*;
            t.extend(table![decode_cmd, "example": Draw, Ping]);
            t.extend(table![decode_event, "example": Drawn]);
            t.extend(table![decode_type, "example": Color, Point, Shape, StrOrPoint]);
        }
        {
            use ks::*;
            t.extend(table![decode_cmd, "ks":
                UserDefCmd0,
                UserDefCmd,
                UserDefCmd1,
                UserDefCmd2,
                CmdSuccessResponse,
                CoroutineCmd,
                GuestGetTime,
                GuestSync,
                BoxedStruct,
                BoxedUnion,
                BoxedEmpty,
                TestFlagsCommand,
                OrgQemuXCommand,
                TestIfUnionCmd,
                TestIfAlternateCmd,
                TestIfCmd,
                TestCmdReturnDefThree,
                TestFeatures0,
                TestCommandFeatures1,
                TestCommandFeatures3,
                TestCommandCondFeatures1,
                TestCommandCondFeatures2,
                TestCommandCondFeatures3,
            ]);
            t.extend(table![decode_event, "ks":
                EventA,
                EventB,
                EventC,
                EventD,
                EventE,
                EventF,
                EventG,
                OrgQemuXEvent,
                TestIfEvent,
                TestIfEvent2,
                TestEventFeatures0,
                TestEventFeatures1,
                TestEventFeatures2,
            ]);
            t.extend(table![decode_type, "ks":
                TestStruct,
                NestedEnumsOne,
                MyEnum,
                Empty1,
                Empty2,
                Union,
                QEnumTwo,
                UserDefOne,
                EnumOne,
                UserDefZero,
                UserDefTwoDictDict,
                UserDefTwoDict,
                UserDefTwo,
                UserDefThree,
                ForceArrays,
                UserDefA,
                UserDefB,
                UserDefFlatUnion,
                UserDefUnionBase,
                UserDefFlatUnion2,
                WrapAlternate,
                UserDefAlternate,
                UserDefC,
                TestUnionEnum,
                TestUnionEnumA,
                TestUnionTypeA1,
                TestUnionTypeA2,
                TestUnionTypeA,
                TestUnionTypeB,
                TestUnionInUnion,
                AltEnumBool,
                AltEnumNum,
                AltNumEnum,
                AltEnumInt,
                AltListInt,
                AltStrObj,
                ArrayStruct,
                UserDefOptions,
                EventStructOne,
                OrgQemuXEnum,
                OrgQemuXBase,
                OrgQemuXStruct,
                OrgQemuXAlt1,
                OrgQemuXStruct2,
                OrgQemuXUnion,
                OrgQemuXAlt,
                TestIfStruct,
                TestIfEnum,
                TestIfUnion,
                TestIfAlternate,
                FeatureStruct0,
                FeatureStruct1,
                FeatureStruct2,
                FeatureStruct3,
                FeatureStruct4,
                CondFeatureStruct1,
                CondFeatureStruct2,
                CondFeatureStruct3,
                CondFeatureStruct4,
                FeatureEnum1,
                FeatureUnion1,
                FeatureAlternate1,
                SecondArrayRef,
                Status,
            ]);
        }
        for (i, (n, _)) in t.iter().enumerate() {
            assert!(
                t[..i].iter().all(|(m, _)| m != n),
                "{n} twice in the decoder table"
            );
        }
        t
    })
}

/// Decodes `<name>\n<JSON>` (or `<selector byte><JSON>`) as the type
/// the entry names. Checks: no panic; errors are QEMU's texts; a decoded
/// value encodes (QEMU writer and `serde_json`) to JSON that decodes to
/// an equal value (for [`LOOSE_EQ`] types, to JSON encoding the same).
pub fn decode(data: &[u8]) {
    if let Some((name, f, json)) = pick(decoders(), data) {
        f(name, json);
    }
}

/// Policies the decoders also run under (deprecated and unstable input
/// rejected, or "crashing").
const POLICIES: [CompatPolicy; 2] = [
    CompatPolicy {
        deprecated_input: InputPolicy::Reject,
        deprecated_output: OutputPolicy::Hide,
        unstable_input: InputPolicy::Reject,
        unstable_output: OutputPolicy::Hide,
    },
    CompatPolicy {
        deprecated_input: InputPolicy::Crash,
        deprecated_output: OutputPolicy::Accept,
        unstable_input: InputPolicy::Accept,
        unstable_output: OutputPolicy::Accept,
    },
];

/// QEMU's texts for input that does not match the schema.
pub fn is_decode_error_text(desc: &str) -> bool {
    (desc.starts_with("Parameter '")
        && (desc.ends_with("' is missing")
            || desc.ends_with("' is unexpected")
            || desc.contains("' expects ")
            || desc.contains("' does not accept value '")))
        || desc.starts_with("Invalid parameter type for '")
}

/// [`is_decode_error_text`], or a compat-policy rejection
/// (`Deprecated parameter x disabled by policy`).
fn is_policy_error_text(desc: &str) -> bool {
    (desc.starts_with("Deprecated ") || desc.starts_with("Unstable "))
        && desc.ends_with(" disabled by policy")
}

fn check_decode_error(desc: &str, what: &str) {
    assert!(
        is_decode_error_text(desc),
        "{what}: unexpected error text {desc:?}"
    );
}

/// Decodes with the lenient decoder and under [`POLICIES`]: must not
/// panic; a strict success is a lenient success with the same value.
fn other_decoders<T: PartialEq + Debug>(
    strict: &Result<T, qapi::Error>,
    run: impl Fn(&mut Decoder) -> qapi::Result<T>,
) {
    let lenient = run(&mut Decoder::lenient());
    if let Ok(s) = strict {
        match &lenient {
            Ok(l) => assert!(l == s, "lenient decoding differs: {l:?} vs {s:?}"),
            Err(e) => panic!("strict decoding succeeds, lenient fails: {}", e.desc),
        }
    }
    for p in POLICIES {
        if let Err(e) = run(&mut Decoder::with_policy(p)) {
            assert!(
                is_decode_error_text(&e.desc) || is_policy_error_text(&e.desc),
                "unexpected error text under policy: {:?}",
                e.desc
            );
        }
    }
}

fn decode_cmd<C: Command + PartialEq + Debug>(name: &str, json: &[u8]) {
    let Ok(Value::Object(args)) = qapi::json::parse_one(json) else {
        return;
    };
    let r = C::decode_args(args.clone(), &mut Decoder::new());
    other_decoders(&r, |d| C::decode_args(args.clone(), d));
    match r {
        Err(e) => check_decode_error(&e.desc, name),
        Ok(c) => roundtrip_args(&c, name, |m| C::decode_args(m, &mut Decoder::new())),
    }
}

fn decode_event<E: Event + PartialEq + Debug>(name: &str, json: &[u8]) {
    let Ok(Value::Object(data)) = qapi::json::parse_one(json) else {
        return;
    };
    let r = E::decode_data(data.clone(), &mut Decoder::new());
    other_decoders(&r, |d| E::decode_data(data.clone(), d));
    match r {
        Err(e) => check_decode_error(&e.desc, name),
        Ok(ev) => roundtrip_args(&ev, name, |m| E::decode_data(m, &mut Decoder::new())),
    }
}

/// A decoded arguments (or event data) object: encode, decode again.
fn roundtrip_args<T: serde::Serialize + PartialEq + Debug>(
    v: &T,
    name: &str,
    dec: impl Fn(Map) -> qapi::Result<T>,
) {
    for (how, text) in encodings(v) {
        let Some(text) = text else { continue };
        let back = match qapi::json::parse_one(&text) {
            Ok(Value::Object(m)) => dec(m),
            Ok(other) => panic!("{name}: {how} encoding is not an object: {other:?}"),
            Err(e) => panic!("{name}: {how} encoding is not JSON: {e}\n{}", lossy(&text)),
        };
        let back = back.unwrap_or_else(|e| {
            panic!(
                "{name}: {how} encoding does not decode: {}\n{}",
                e.desc,
                lossy(&text)
            )
        });
        check_same(name, how, v, &back, &text);
    }
}

/// Checks listed (comma-separated) in the environment variable
/// `QAPI_FUZZ_SKIP` are left out, so that fuzzing can go on past a known
/// open finding (FUZZING.md). `from_slice`: decode with QEMU's reader then
/// `from_value` instead of `qapi::from_slice`, and do not compare the two.
pub fn skipped(check: &str) -> bool {
    static SKIP: OnceLock<Vec<String>> = OnceLock::new();
    SKIP.get_or_init(|| {
        std::env::var("QAPI_FUZZ_SKIP")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .iter()
    .any(|s| s == check)
}

/// QEMU's reader, then QEMU's input rules.
fn two_steps<T: Qapi>(json: &[u8]) -> qapi::Result<T> {
    qapi::json::parse_one(json)
        .map_err(|e| qapi::Error::generic(e.desc()))
        .and_then(qapi::from_value::<T>)
}

/// `qapi::from_slice`, or [`two_steps`] when `from_slice` is skipped.
fn from_slice<T: Qapi>(json: &[u8]) -> qapi::Result<T> {
    if skipped("from_slice") {
        two_steps(json)
    } else {
        qapi::from_slice(json)
    }
}

fn decode_type<T: Qapi + PartialEq + Debug>(name: &str, json: &[u8]) {
    let r = from_slice::<T>(json);
    let parsed = qapi::json::parse_one(json);
    // `from_slice` is QEMU's reader then QEMU's input rules, whatever
    // shortcut it takes: the same outcome as those two steps.
    let two_steps = two_steps::<T>(json);
    match (&r, &two_steps) {
        (Ok(a), Ok(b)) => assert!(
            a == b,
            "{name}: from_slice gives {a:?}, the reader then from_value {b:?}"
        ),
        (Err(a), Err(b)) => {
            assert_eq!(a.desc, b.desc, "{name}: from_slice and the reader disagree")
        }
        _ => panic!("{name}: from_slice gives {r:?}, the reader then from_value {two_steps:?}"),
    }
    if let Ok(v) = &parsed {
        other_decoders(&r, |d| d.decode::<T>(v.clone()));
    }
    match r {
        Err(e) => match parsed {
            // Not JSON: the reader's error, as QEMU reports it.
            Err(je) => assert_eq!(e.desc, je.desc(), "{name}: JSON error text changed"),
            Ok(_) => check_decode_error(&e.desc, name),
        },
        Ok(v) => {
            for (how, text) in encodings(&v) {
                let Some(text) = text else { continue };
                let back = from_slice::<T>(&text).unwrap_or_else(|e| {
                    panic!(
                        "{name}: {how} encoding does not decode: {}\n{}",
                        e.desc,
                        lossy(&text)
                    )
                });
                check_same(name, how, &v, &back, &text);
                // Through serde's Deserialize too (exact: qapi-core turns
                // on serde_json's `float_roundtrip`).
                let via_serde: T = serde_json::from_slice(&text).unwrap_or_else(|e| {
                    panic!("{name}: serde_json cannot decode its {how} encoding: {e}")
                });
                check_same(name, how, &v, &via_serde, &text);
            }
        }
    }
}

fn encode_tree<T: serde::Serialize>(v: &T) -> Value {
    let text = qapi::json::to_vec(v, &WriteOptions::COMPACT).expect("serializes");
    qapi::json::parse_one(&text).expect("encoding reads back")
}

/// The encodings of `v`: QEMU's writer (insertion and QDict order) and
/// `serde_json`; `None` where `v` holds a non-finite double (not JSON).
fn encodings<T: serde::Serialize>(v: &T) -> Vec<(&'static str, Option<Vec<u8>>)> {
    let qemu = qapi::json::to_vec(v, &WriteOptions::COMPACT).expect("QAPI value serializes");
    let qdict = qapi::json::to_vec(v, &WriteOptions::QEMU).expect("QAPI value serializes");
    let tree = qapi::json::parse_one(&qemu);
    let finite = match &tree {
        Ok(t) => !has_non_finite(t),
        // `inf`/`nan` are written for non-finite doubles and do not read.
        Err(_) => {
            let s = lossy(&qemu);
            assert!(
                s.contains("inf") || s.contains("nan"),
                "QEMU writer output is not JSON: {s}"
            );
            false
        }
    };
    if !finite {
        return vec![];
    }
    let sj = serde_json::to_vec(v).expect("serde_json serializes a QAPI value");
    vec![
        ("qemu", Some(qemu)),
        ("qdict", Some(qdict)),
        ("serde_json", Some(sj)),
    ]
}

fn check_same<T: serde::Serialize + PartialEq + Debug>(
    name: &str,
    how: &str,
    v: &T,
    back: &T,
    text: &[u8],
) {
    if v == back {
        return;
    }
    // For `any`, the two encodings read as the same JSON (`-0.0` is
    // written `-0`, which reads back as the integer 0, written `0`).
    let loose = LOOSE_EQ.contains(&name) && encode_tree(v) == encode_tree(back);
    assert!(
        loose,
        "{name}: decoding the {how} encoding gives another value\n{v:?}\n{}\n{back:?}",
        lossy(text)
    );
}

// ---------------------------------------------------------------------
// (c) Dispatch.

struct Dispatch {
    registries: Vec<Arc<Registry<()>>>,
}

/// The registries: every command above declared (arguments validated,
/// then `Command 'x' is not implemented`), `guest-sync` answered by an
/// echo handler, plus QMP's control commands. One with QEMU's default
/// policy, one rejecting deprecated/unstable input and hiding output, one
/// in the preconfig phase with the "crash" policy.
fn registries() -> &'static Dispatch {
    static R: OnceLock<Dispatch> = OnceLock::new();
    R.get_or_init(|| {
        let build = |policy: CompatPolicy, preconfig: bool| {
            let mut r = Registry::<()>::new();
            r.set_policy(policy);
            declare_all(&mut r);
            r.event::<example::Drawn>();
            r.event::<ks::EventA>();
            r.event::<ks::TestEventFeatures1>();
            r.set_preconfig(preconfig);
            Arc::new(r)
        };
        Dispatch {
            registries: vec![
                build(CompatPolicy::default(), false),
                build(POLICIES[0], false),
                build(POLICIES[1], true),
            ],
        }
    })
}

fn declare_all<S: Send + Sync + 'static>(r: &mut Registry<S>) {
    macro_rules! declare {
        ($($t:ty),* $(,)?) => { $(r.declare::<$t>();)* };
    }
    {
        // Not `query-version`: the control command of that name stays.
        use qsd_mini::*;
        declare![
            BlockJobCancel,
            BlockJobSetSpeed,
            BlockSetWriteThreshold,
            QueryNamedBlockNodes,
            BlockDirtyBitmapAddCmd,
            BlockdevAdd,
            NbdServerStart,
            ObjectAdd,
            Transaction,
            BlockDirtyBitmapMerge,
        ];
    }
    declare![example::Draw, example::Ping];
    {
        use ks::*;
        declare![
            UserDefCmd0,
            UserDefCmd,
            UserDefCmd1,
            UserDefCmd2,
            CmdSuccessResponse,
            CoroutineCmd,
            GuestGetTime,
            BoxedStruct,
            BoxedUnion,
            BoxedEmpty,
            TestFlagsCommand,
            OrgQemuXCommand,
            TestIfUnionCmd,
            TestIfAlternateCmd,
            TestIfCmd,
            TestCmdReturnDefThree,
            TestFeatures0,
            TestCommandFeatures1,
            TestCommandFeatures3,
            TestCommandCondFeatures1,
            TestCommandCondFeatures2,
            TestCommandCondFeatures3,
        ];
        r.command::<GuestSync, _>(|_, c| Ok(c.arg));
    }
}

/// Sessions: negotiated QMP with OOB, negotiated QMP without, a fresh
/// QMP connection (capabilities negotiation mode), the guest agent.
fn sessions() -> [Session; 4] {
    let mut oob = Session::qmp(true);
    oob.negotiated = true;
    oob.oob = true;
    let mut plain = Session::qmp(false);
    plain.negotiated = true;
    [oob, plain, Session::qmp(true), Session::guest_agent()]
}

/// Dispatches `data` as one request text (`dispatch_str`, or `dispatch`
/// of the parsed value when it is not UTF-8), then as a stream of
/// requests through the JSON streamer on one session (so that
/// negotiation can happen), on every registry and session. Checks: no
/// panic; every reply is a QMP reply (`return` and maybe `id`, or maybe
/// `id` and `error` with `class` and `desc`) that reads back, in
/// compact and pretty form; it echoes the request's `id`; no handler
/// panicked (`internal error`).
pub fn dispatch(data: &[u8]) {
    let d = registries();
    let state = Arc::new(());
    for (i, reg) in d.registries.iter().enumerate() {
        for (j, mut session) in sessions().into_iter().enumerate() {
            if (i + j) % 2 == 1 {
                // Every registry with every other session is enough.
                continue;
            }
            let parsed = qapi::json::parse_one(data);
            let out = match std::str::from_utf8(data) {
                Ok(text) => reg.dispatch_str(&state, &mut session, text),
                Err(_) => match parsed.clone() {
                    Ok(v) => reg.dispatch(&state, &mut session, v),
                    Err(_) => continue,
                },
            };
            check_dispatched(out, parsed.ok().as_ref());

            let mut session = sessions().into_iter().nth(j).expect("session");
            let mut s = JsonStreamer::new();
            s.feed(data);
            s.flush();
            for item in s.drain() {
                match item {
                    Ok(v) => {
                        let out = reg.dispatch(&state, &mut session, v.clone());
                        check_dispatched(out, Some(&v));
                        if session.quit {
                            break;
                        }
                    }
                    Err(e) => check_json_error(&e),
                }
            }
        }
    }
}

fn check_dispatched(out: Dispatched, request: Option<&Value>) {
    let r = match out {
        Dispatched::Reply(r) => r,
        Dispatched::Silent => return,
        // No asynchronous handler is registered.
        Dispatched::Pending(_) => panic!("unexpected asynchronous reply"),
    };
    let want_id = match request {
        Some(Value::Object(m)) => m.get("id"),
        _ => None,
    };
    if let Err(e) = &r.body {
        assert!(!e.desc.is_empty(), "empty error desc");
        // `Command <name> failed: internal error (<panic message>)`.
        let panicked = e
            .desc
            .strip_prefix("Command ")
            .and_then(|r| r.split_once(' '))
            .is_some_and(|(_, r)| r.starts_with("failed: internal error"));
        assert!(!panicked, "a handler panicked: {}", e.desc);
    }
    match (&r.id, want_id) {
        (None, _) => {}
        (Some(a), Some(b)) => assert!(exact_eq(a, b), "id not echoed: {a:?} vs {b:?}"),
        (Some(a), None) => panic!("reply has id {a:?}, request had none"),
    }
    let finite = !r.id.as_ref().is_some_and(has_non_finite);
    for o in [
        WriteOptions::QEMU,
        WriteOptions::QEMU_PRETTY,
        WriteOptions::COMPACT,
    ] {
        let text = r.to_vec(&o);
        assert!(text.is_ascii(), "reply not ASCII");
        if !finite {
            continue;
        }
        let v = qapi::json::parse_one(&text)
            .unwrap_or_else(|e| panic!("reply is not JSON ({e}): {}", lossy(&text)));
        let Value::Object(m) = &v else {
            panic!("reply is not an object: {}", lossy(&text))
        };
        let keys: Vec<&str> = m.keys().collect();
        let shape_ok = match &r.body {
            Ok(_) => keys == ["return"] || keys == ["return", "id"],
            Err(_) => keys == ["error"] || keys == ["id", "error"],
        };
        assert!(shape_ok, "reply has members {keys:?}: {}", lossy(&text));
        if let Some(Value::Object(err)) = m.get("error") {
            let k: Vec<&str> = err.keys().collect();
            assert!(k == ["class", "desc"], "error has members {k:?}");
            assert!(matches!(err.get("class"), Some(Value::String(_))));
            assert!(matches!(err.get("desc"), Some(Value::String(_))));
        }
        if let (Some(id), Some(want)) = (m.get("id"), want_id) {
            assert!(
                same_after_write(want, id, true),
                "id changed on the wire: {want:?} vs {id:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------
// (d) The `.json` schema reader and checker.

/// Reads `data` (when UTF-8) as a schema file: `check_syntax_str` and
/// `load_str`, QEMU 10 and legacy dialects, then introspects a loaded
/// schema. Checks: no panic; the same result twice; error messages well
/// formed (`<file>:<line>[:<col>]: <message>` at the end, after an
/// optional `In ...` context, no trailing newline, line within the text).
///
/// `load_str` follows `include` directives to the file system, so it
/// runs only on inputs that do not contain `include` (the reader knows
/// no escapes that could spell it otherwise); `check_syntax_str`, which
/// does not follow them, runs on everything.
pub fn schema(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Lines as QEMU's parser counts them: Python reads the file with
    // universal newlines ("\r\n" and a lone "\r" end a line too).
    let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count() as u32;
    for dialect in [qapi_schema::Dialect::Qemu10, qapi_schema::Dialect::Legacy] {
        let opts = qapi_schema::LoadOptions::new(dialect).base_dir("/nonexistent-qapi-fuzz");
        let a = qapi_schema::check_syntax_str("fuzz.json", text, &opts);
        let b = qapi_schema::check_syntax_str("fuzz.json", text, &opts);
        assert_eq!(a, b, "check_syntax_str is not deterministic");
        if let Err(e) = &a {
            check_schema_error(e, lines);
        }
        if text.contains("include") {
            continue;
        }
        let l = qapi_schema::load_str("fuzz.json", text, &opts);
        match &l {
            Err(e) => {
                check_schema_error(e, lines);
                let again = qapi_schema::load_str("fuzz.json", text, &opts)
                    .expect_err("load_str fails again");
                assert_eq!(e, &again, "load_str is not deterministic");
            }
            Ok(loaded) => {
                // A schema that loads also passes the syntax check.
                if let Err(e) = &a {
                    panic!("load_str accepts what check_syntax_str rejects: {e}");
                }
                for unmask in [false, true] {
                    let opts = qapi::schema::IntrospectOptions::new().unmask(unmask);
                    if let Ok(intro) = qapi::schema::introspect(&loaded.schema, &opts) {
                        let v = intro.to_value();
                        let _ = qapi::json::value_to_vec(&v, &WriteOptions::QEMU);
                    }
                }
            }
        }
    }
}

fn check_schema_error(e: &qapi_schema::Error, lines: u32) {
    let text = e.text();
    assert!(
        !text.is_empty() && !text.ends_with('\n'),
        "badly terminated message {text:?}"
    );
    assert_eq!(e.report(), format!("{text}\n"));
    assert_eq!(e.to_string(), text);
    assert!(!e.message.is_empty(), "empty message in {text:?}");
    assert!(
        text.ends_with(&e.message),
        "text {text:?} does not end with the message {:?}",
        e.message
    );
    match (&e.file, e.line) {
        (Some(f), Some(line)) => {
            assert_eq!(f, "fuzz.json", "error in another file: {text:?}");
            assert!(
                line >= 1 && line <= lines + 1,
                "line {line} outside the text ({lines} lines): {text:?}"
            );
            let col = e.col.map(|c| format!(":{c}")).unwrap_or_default();
            let loc = format!("{f}:{line}{col}: {}", e.message);
            assert!(
                text.ends_with(&loc),
                "message {text:?} does not end with {loc:?}"
            );
            let head = &text[..text.len() - loc.len()];
            assert!(
                head.is_empty()
                    || (head.starts_with(&format!("{f}: In ")) && head.ends_with("':\n")),
                "unexpected context {head:?} in {text:?}"
            );
            if let Some(c) = e.col {
                assert!(c >= 1, "column {c} in {text:?}");
            }
        }
        (None, None) => assert_eq!(text, e.message),
        _ => panic!("file and line disagree: {e:?}"),
    }
}

// ---------------------------------------------------------------------
// (e) A whole server session.

/// Server configurations of [`session`], selected like [`pick`]:
/// `<name>\n<client bytes>`, or a selector byte.
pub fn session_configs() -> &'static [(&'static str, fn() -> ServerConfig)] {
    fn qmp() -> ServerConfig {
        ServerConfig::qmp()
    }
    fn qmp_no_oob() -> ServerConfig {
        ServerConfig::qmp().offer_oob(false)
    }
    fn qmp_pretty() -> ServerConfig {
        ServerConfig::qmp().pretty(true)
    }
    fn qmp_small_limits() -> ServerConfig {
        // Small bounds everywhere, so that flow control holds requests
        // back: two queued, one asynchronous OOB handler, little request
        // memory and output buffer, tiny reads.
        ServerConfig::qmp()
            .limits(SMALL_LIMITS)
            .queue_len(2)
            .oob_in_flight(1)
            .request_bytes(256)
            .output_buffer(64)
            .read_buffer(7)
    }
    fn ga() -> ServerConfig {
        ServerConfig::guest_agent()
    }
    static CONFIGS: [(&str, fn() -> ServerConfig); 5] = [
        ("qmp", qmp),
        ("qmp-no-oob", qmp_no_oob),
        ("qmp-pretty", qmp_pretty),
        ("qmp-small-limits", qmp_small_limits),
        ("ga", ga),
    ];
    &CONFIGS
}

/// The registry of [`session`]: the one of [`dispatch`] (every command
/// declared, QEMU's default policy, `guest-sync` echoing), plus handlers
/// that take the server's other paths: `draw` emits a `DRAWN` event
/// before its reply, `ping` (allow-oob) is asynchronous and yields to
/// the runtime, `test-flags-command` (allow-oob) is synchronous,
/// `coroutine-cmd` is an asynchronous in-band command, and
/// `cmd-success-response` succeeds silently. The state is the event
/// sender handlers emit through.
fn session_registry() -> &'static Arc<Registry<EventSender>> {
    static R: OnceLock<Arc<Registry<EventSender>>> = OnceLock::new();
    R.get_or_init(|| {
        let mut r = Registry::<EventSender>::new();
        declare_all(&mut r);
        r.event::<example::Drawn>();
        r.command::<example::Draw, _>(|events, _| {
            events.emit(&example::Drawn {
                count: qapi::Size(1),
            });
            Ok(Vec::new())
        });
        r.command_async::<example::Ping, _, _>(|_, _| async {
            tokio::task::yield_now().await;
            tokio::task::yield_now().await;
            Ok(qapi::Empty)
        });
        r.command::<ks::TestFlagsCommand, _>(|_, _| Ok(qapi::Empty));
        r.command_async::<ks::CoroutineCmd, _, _>(|_, _| async {
            tokio::task::yield_now().await;
            Ok(qapi::Empty)
        });
        r.command::<ks::CmdSuccessResponse, _>(|_, _| Ok(qapi::Empty));
        Arc::new(r)
    })
}

/// FNV-1a of the whole input: the source of everything [`session`]
/// derives from the input besides the bytes themselves.
fn fnv(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// How [`session`] cuts the client's bytes and takes the server's: piece
/// sizes (cycling), and which reads and writes first return `Pending`
/// (bit `k % 64` for the `k`th call), so that the server runs handlers,
/// answers and writes between pieces of input.
#[derive(Clone, Debug)]
struct Cutting {
    sizes: Vec<usize>,
    pending: u64,
}

impl Cutting {
    fn new(h: u64, salt: u64) -> Cutting {
        let h = (h ^ salt).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let sizes = match h % 4 {
            // Byte by byte.
            0 => vec![1],
            // Whole reads.
            1 => vec![usize::MAX],
            // Small pieces of varying sizes.
            _ => (0..8)
                .map(|i| 1 + (h.rotate_left(i * 8) % 23) as usize)
                .collect(),
        };
        Cutting {
            sizes,
            pending: h.rotate_left(29) & h.rotate_left(41),
        }
    }

    /// The size of the `k`th piece, and whether the `k`th call first
    /// returns `Pending`.
    fn piece(&self, k: usize) -> (usize, bool) {
        (
            self.sizes[k % self.sizes.len()],
            self.pending & (1 << (k % 64)) != 0,
        )
    }
}

/// The client's side of the connection: the input in pieces.
struct ChunkedInput<'a> {
    data: &'a [u8],
    pos: usize,
    cut: Cutting,
    calls: usize,
    /// The pending state of call `calls` was returned already.
    waited: bool,
}

impl tokio::io::AsyncRead for ChunkedInput<'_> {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let (size, pend) = this.cut.piece(this.calls);
        if pend && !this.waited {
            this.waited = true;
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        this.waited = false;
        this.calls += 1;
        let n = size.min(buf.remaining()).min(this.data.len() - this.pos);
        buf.put_slice(&this.data[this.pos..this.pos + n]);
        this.pos += n;
        std::task::Poll::Ready(Ok(()))
    }
}

/// The client's side of the connection: takes the output in pieces.
struct ChunkedOutput {
    out: Vec<u8>,
    cut: Cutting,
    calls: usize,
    waited: bool,
}

impl tokio::io::AsyncWrite for ChunkedOutput {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let (size, pend) = this.cut.piece(this.calls);
        if pend && !this.waited {
            this.waited = true;
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        this.waited = false;
        this.calls += 1;
        let n = size.min(buf.len());
        this.out.extend_from_slice(&buf[..n]);
        std::task::Poll::Ready(Ok(n))
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
}

/// A request sent after the input (preceded by a 0xFF byte, which ends
/// whatever the input left unfinished) in half of the runs: it must be
/// answered, whatever came before (unless `quit`).
const SENTINEL: &[u8] = b"\xff{\"execute\": \"query-version\", \"id\": \"fuzz-sentinel\"}";

/// What the server must answer, worked out by dispatching the requests
/// one after the other (the model of the session).
struct Expected {
    /// Replies to in-band requests and parse errors, in order (the last
    /// one answers `quit` if [`Expected::quit`]).
    inband: Vec<Value>,
    /// Replies to `exec-oob` requests (in any order).
    oob: Vec<Value>,
    /// OOB requests after a successful `quit`: their replies may or may
    /// not come.
    oob_after_quit: Vec<Value>,
    quit: bool,
    /// Successful `draw`s after negotiation (each sends one event).
    events: usize,
}

/// The model of a session: every item QEMU's reader gives for the whole
/// input (without flushing: a partial request at the end is dropped)
/// dispatched in order on one session; `exec-oob` requests see the
/// session as it is when they are read, and change nothing.
fn expected(
    rt: &tokio::runtime::Runtime,
    protocol: Protocol,
    offer_oob: bool,
    limits: Limits,
    input: &[u8],
) -> Option<Expected> {
    let reg = session_registry();
    let state = Arc::new(EventSender::with_rate_limits(RateLimits::none()));
    let qmp = protocol == Protocol::Qmp;
    let mut session = if qmp {
        Session::qmp(offer_oob)
    } else {
        Session::guest_agent()
    };
    // As the server sets it (pretty output only changes the layout).
    session.format = ReplyFormat {
        write: WriteOptions::QEMU,
        policy: reg.policy(),
    };
    let mut s = JsonStreamer::with_limits(limits);
    s.feed(input);
    let mut e = Expected {
        inband: Vec::new(),
        oob: Vec::new(),
        oob_after_quit: Vec::new(),
        quit: false,
        events: 0,
    };
    let reply = |r: Response| {
        let text = r.to_vec(&WriteOptions::QEMU);
        qapi::json::parse_one(&text).ok()
    };
    for item in s.drain() {
        let (is_oob, is_draw) = match &item {
            Ok(Value::Object(m)) => (
                qmp && m.contains_key("exec-oob") && !m.contains_key("execute"),
                m.get("execute").and_then(Value::as_str) == Some("draw"),
            ),
            _ => (false, false),
        };
        if e.quit && !is_oob {
            continue;
        }
        let response = match item {
            Ok(v) => {
                let mut oob_session = session.clone();
                let target = if is_oob {
                    &mut oob_session
                } else {
                    &mut session
                };
                match reg.dispatch(&state, target, v) {
                    Dispatched::Reply(r) => Some(r),
                    Dispatched::Silent => None,
                    Dispatched::Pending(f) => rt.block_on(f),
                }
            }
            Err(err) => Some(Response {
                id: None,
                body: Err(qapi::Error::generic(err.desc())),
            }),
        };
        let Some(r) = response else { continue };
        if is_draw && r.body.is_ok() && qmp && session.negotiated {
            e.events += 1;
        }
        // A reply with a non-finite double (in its `id`) is not JSON:
        // such sessions are not compared.
        let v = reply(r)?;
        if is_oob {
            if e.quit {
                e.oob_after_quit.push(v);
            } else {
                e.oob.push(v);
            }
        } else {
            e.inband.push(v);
            e.quit = session.quit;
        }
    }
    Some(e)
}

/// Runs one server session (the async driver, `serve_split`, on a
/// current-thread runtime) over the client's bytes, delivered in pieces
/// of input-derived sizes with input-derived pauses, the output taken in
/// pieces too; in half of the runs [`SENTINEL`] follows the input.
/// Checks: no panic; the session ends because the input ended or after
/// `quit`; QMP output lines end in CRLF, guest-agent lines in LF; the
/// output is JSON (unless a double overflowed to `inf`, which QEMU
/// writes too): for QMP the greeting first, then exactly the replies of
/// the model ([`expected`]: in-band replies in order, OOB replies
/// anywhere, ids echoed exactly, nothing after `quit`'s reply) and one
/// `DRAWN` event per successful `draw`.
pub fn session(data: &[u8]) {
    let Some((name, config, input)) = pick(session_configs(), data) else {
        return;
    };
    let config = config();
    let h = fnv(data);
    let mut input = input.to_vec();
    if h & 1 == 1 {
        input.extend_from_slice(SENTINEL);
    }
    let ga = config.protocol() == Protocol::GuestAgent;
    let limits = if name == "qmp-small-limits" {
        SMALL_LIMITS
    } else {
        Limits::QEMU
    };
    let events = EventSender::with_rate_limits(RateLimits::none());
    let config = config.events(events.clone());
    let reg = Arc::clone(session_registry());
    let (closed, out, want) = RUNTIME.with(|rt| {
        let want = expected(rt, config.protocol(), name != "qmp-no-oob", limits, &input);
        let reader = ChunkedInput {
            data: &input,
            pos: 0,
            cut: Cutting::new(h, 1),
            calls: 0,
            waited: false,
        };
        let mut writer = ChunkedOutput {
            out: Vec::new(),
            cut: Cutting::new(h, 2),
            calls: 0,
            waited: false,
        };
        let closed = rt
            .block_on(qapi::server::serve_split(
                reg,
                Arc::new(events),
                reader,
                &mut writer,
                config,
            ))
            .expect("reading a byte slice does not fail");
        (closed, writer.out, want)
    });
    assert!(
        matches!(closed, Closed::Eof | Closed::Quit),
        "session ended with {closed:?}"
    );
    if let Some(want) = &want {
        assert_eq!(closed == Closed::Quit, want.quit, "closed after quit");
    }

    // Line endings.
    if ga {
        assert!(!out.contains(&b'\r'), "CR in guest-agent output");
    } else {
        for (i, &b) in out.iter().enumerate() {
            if b == b'\n' {
                assert!(
                    i > 0 && out[i - 1] == b'\r',
                    "QMP line without CRLF at byte {i}: {}",
                    lossy(&out)
                );
            }
        }
    }
    assert!(
        out.is_empty() || out.ends_with(b"\n"),
        "output does not end a line: {}",
        lossy(&out)
    );

    // The messages.
    let text: Vec<u8> = if ga {
        // A 0xFF byte starts the reply of guest-sync-delimited.
        let mut t = Vec::with_capacity(out.len());
        let mut line_start = true;
        for &b in &out {
            if !(b == 0xFF && line_start) {
                t.push(b);
            }
            line_start = b == b'\n';
        }
        t
    } else {
        out.clone()
    };
    assert!(text.is_ascii(), "output not ASCII: {}", lossy(&out));
    let mut s = JsonStreamer::new();
    s.feed(&text);
    s.flush();
    let msgs: Vec<Result<Value, JsonError>> = s.drain().collect();
    let Some(want) = want else {
        // A reply holds a non-finite double (an `id` or a `guest-sync`
        // argument of `1e400`), which QEMU writes as `inf`: not JSON.
        if msgs.iter().any(|m| m.is_err()) {
            let t = lossy(&text);
            assert!(
                t.contains("inf") || t.contains("nan"),
                "output is not JSON: {t}"
            );
        }
        return;
    };
    if let Some(Err(e)) = msgs.iter().find(|m| m.is_err()) {
        panic!("output is not JSON ({e}): {}", lossy(&text));
    }
    // The greeting, then events and replies.
    let mut replies = Vec::new();
    let mut events = 0;
    let mut last_is_event = false;
    for (i, m) in msgs.into_iter().enumerate() {
        let Ok(m) = m else { unreachable!() };
        let Value::Object(obj) = &m else {
            panic!("output message is not an object: {m:?}")
        };
        let keys: Vec<&str> = obj.keys().collect();
        if i == 0 && !ga {
            assert_eq!(keys, ["QMP"], "no greeting first");
            continue;
        }
        if keys.contains(&"event") {
            assert_eq!(keys, ["timestamp", "event", "data"], "event {m:?}");
            assert_eq!(obj.get("event").and_then(Value::as_str), Some("DRAWN"));
            events += 1;
            last_is_event = true;
            continue;
        }
        let ok = keys == ["return"]
            || keys == ["return", "id"]
            || keys == ["error"]
            || keys == ["id", "error"];
        assert!(ok, "unexpected message with members {keys:?}");
        replies.push(m);
        last_is_event = false;
    }
    let mut inband: &[Value] = &want.inband;
    if want.quit {
        // The reply to `quit` is the last message (an OOB reply may be
        // the same text: it came first).
        let (quit, rest) = inband.split_last().expect("quit was answered");
        assert!(!last_is_event, "an event after the reply to quit");
        let last = replies.pop();
        assert!(
            last.as_ref().is_some_and(|m| exact_eq(m, quit)),
            "the reply to quit is not the last message: {last:?}, want {quit:?}"
        );
        inband = rest;
    }
    // In-band replies in order, OOB replies anywhere (an identical reply
    // may be taken for either: the two are interchangeable).
    let mut inband = inband.iter();
    let mut oob = want.oob.clone();
    let mut oob_late = want.oob_after_quit.clone();
    for m in &replies {
        if inband.as_slice().first().is_some_and(|w| exact_eq(w, m)) {
            inband.next();
        } else if let Some(k) = oob.iter().position(|w| exact_eq(w, m)) {
            oob.swap_remove(k);
        } else if let Some(k) = oob_late.iter().position(|w| exact_eq(w, m)) {
            oob_late.swap_remove(k);
        } else {
            panic!(
                "reply not expected: {m:?}\nnext in-band: {:?}\nOOB: {oob:?}",
                inband.as_slice().first()
            );
        }
    }
    assert!(
        inband.as_slice().is_empty(),
        "in-band replies missing: {:?}",
        inband.as_slice()
    );
    assert!(oob.is_empty(), "OOB replies missing: {oob:?}");
    assert_eq!(events, want.events, "DRAWN events");
}
