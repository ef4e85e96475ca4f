//! Property tests of the QAPI types of `tests/common/example.rs`,
//! `tests/common/qsd_mini.rs` and some of the kitchen sink
//! (`tests/kitchen-sink`), through one generic strategy driven by the
//! schema model (`Qapi::describe`): it generates JSON that the schema
//! accepts, so decoding it gives arbitrary values of the type.
//!
//! For each type (and each command's arguments, each event's data):
//!
//! * `roundtrip`: a generated valid value decodes; the Rust value encodes
//!   (serde_json, and `qapi::json::to_vec` in insertion and QDict order)
//!   to JSON that decodes (QEMU's rules, and serde's `Deserialize`) to an
//!   equal value; the encoding is the generated JSON again (up to member
//!   order and number spelling).
//! * `junk`: an arbitrary JSON value (with the schema's member names and
//!   enum values mixed in) and `mutated`: a valid value with one node
//!   replaced, removed, added or nulled. Decoding never panics; on
//!   error the text starts with one of QEMU's message forms
//!   (`Parameter '` or `Invalid parameter type for '`); on success the
//!   value round-trips.

mod common;

use std::fmt::Debug;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::{BoxedStrategy, Union};
use proptest::test_runner::TestCaseError;
use qapi::json::WriteOptions;
use qapi::schema::{
    ArgsDef, BuiltinJson, Definition, Member, QTYPE_VALUES, Schema, TypeRef, UnionBase, builtin,
};
use qapi::{Command, Decoder, Event, Map, Qapi, SchemaBuilder, Value};

/// Deeper than this, optional members are left out, arrays are empty and
/// alternates take a scalar branch, so that recursive types stay small.
const MAX_DEPTH: u32 = 3;

// ---------------------------------------------------------------------
// Generic strategies from the schema model.

#[derive(Clone)]
struct Gen {
    schema: Arc<Schema>,
}

type KvStrategy = BoxedStrategy<Vec<(String, Value)>>;

impl Gen {
    fn new(describe: impl FnOnce(&mut SchemaBuilder)) -> Gen {
        let mut b = SchemaBuilder::new();
        describe(&mut b);
        Gen {
            schema: Arc::new(b.finish()),
        }
    }

    fn def(&self, name: &str) -> &Definition {
        self.schema
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in the schema"))
    }

    /// Valid JSON for a type reference.
    fn ty(&self, t: &TypeRef, depth: u32) -> BoxedStrategy<Value> {
        assert!(depth < 24, "schema recursion without an exit at {t:?}");
        match t {
            TypeRef::Array(_) if depth >= MAX_DEPTH => Just(Value::Array(Vec::new())).boxed(),
            TypeRef::Array(e) => prop::collection::vec(self.ty(e, depth + 1), 0..=3)
                .prop_map(Value::Array)
                .boxed(),
            TypeRef::Named(n) => self.named(n, depth),
        }
    }

    fn named(&self, n: &str, depth: u32) -> BoxedStrategy<Value> {
        if let Some(b) = builtin(n) {
            return builtin_value(n, b);
        }
        if n == "QType" && !self.schema.contains(n) {
            return select_str(QTYPE_VALUES.iter().map(|s| s.to_string()).collect());
        }
        match self.def(n) {
            Definition::Enum(e) => select_str(e.values.iter().map(|v| v.name.clone()).collect()),
            Definition::Struct(_) | Definition::Union(_) => self
                .object_kv(n, depth)
                .prop_shuffle()
                .prop_map(to_object)
                .boxed(),
            Definition::SimpleUnion(u) => {
                let arms: Vec<BoxedStrategy<Value>> = u
                    .branches
                    .iter()
                    .map(|b| {
                        let tag = b.name.clone();
                        self.ty(&b.ty, depth + 1)
                            .prop_map(move |data| {
                                to_object(vec![
                                    ("type".into(), Value::String(tag.clone())),
                                    ("data".into(), data),
                                ])
                            })
                            .boxed()
                    })
                    .collect();
                Union::new(arms).boxed()
            }
            Definition::Alternate(a) => {
                let shallow: Vec<&TypeRef> = a
                    .branches
                    .iter()
                    .map(|b| &b.ty)
                    .filter(|t| match t {
                        TypeRef::Named(n) => {
                            builtin(n).is_some()
                                || matches!(self.schema.get(n), Some(Definition::Enum(_)))
                        }
                        TypeRef::Array(_) => false,
                    })
                    .collect();
                let branches: Vec<&TypeRef> = if depth >= MAX_DEPTH && !shallow.is_empty() {
                    shallow
                } else {
                    a.branches.iter().map(|b| &b.ty).collect()
                };
                Union::new(branches.into_iter().map(|t| self.ty(t, depth + 1))).boxed()
            }
            other => panic!("{n} is not a type: {other:?}"),
        }
    }

    /// A struct's members, base members first.
    fn struct_members(&self, n: &str) -> Vec<Member> {
        match self.def(n) {
            Definition::Struct(s) => {
                let mut m = s
                    .base
                    .as_deref()
                    .map(|b| self.struct_members(b))
                    .unwrap_or_default();
                m.extend(s.members.iter().cloned());
                m
            }
            other => panic!("{n} is not a struct: {other:?}"),
        }
    }

    /// The members of a valid object of struct or union type `n`.
    fn object_kv(&self, n: &str, depth: u32) -> KvStrategy {
        match self.def(n) {
            Definition::Struct(_) => self.members_kv(&self.struct_members(n), depth),
            Definition::Union(u) => {
                let base = match &u.base {
                    UnionBase::Named(b) => self.struct_members(b),
                    UnionBase::Inline(m) => m.clone(),
                };
                let disc = base
                    .iter()
                    .find(|m| m.name == u.discriminator)
                    .expect("discriminator member");
                let TypeRef::Named(tag_enum) = &disc.ty else {
                    panic!("discriminator is an array")
                };
                let Definition::Enum(e) = self.def(tag_enum) else {
                    panic!("discriminator is not an enum")
                };
                let others: Vec<Member> = base
                    .iter()
                    .filter(|m| m.name != u.discriminator)
                    .cloned()
                    .collect();
                let arms: Vec<KvStrategy> = e
                    .values
                    .iter()
                    .map(|tag| {
                        let base_kv = self.members_kv(&others, depth);
                        let branch: KvStrategy =
                            match u.branches.iter().find(|b| b.name == tag.name) {
                                Some(b) => match &b.ty {
                                    TypeRef::Named(bt) => self.object_kv(bt, depth + 1),
                                    TypeRef::Array(_) => panic!("array branch in a flat union"),
                                },
                                None => Just(Vec::new()).boxed(),
                            };
                        let disc = (u.discriminator.clone(), Value::String(tag.name.clone()));
                        (base_kv, branch)
                            .prop_map(move |(mut a, b)| {
                                a.push(disc.clone());
                                a.extend(b);
                                a
                            })
                            .boxed()
                    })
                    .collect();
                Union::new(arms).boxed()
            }
            other => panic!("{n} is not an object type: {other:?}"),
        }
    }

    fn members_kv(&self, members: &[Member], depth: u32) -> KvStrategy {
        let parts: Vec<BoxedStrategy<Option<(String, Value)>>> = members
            .iter()
            .map(|m| {
                let name = m.name.clone();
                if m.optional && depth >= MAX_DEPTH {
                    return Just(None).boxed();
                }
                let s = self
                    .ty(&m.ty, depth + 1)
                    .prop_map(move |v| (name.clone(), v));
                if m.optional {
                    prop::option::of(s).boxed()
                } else {
                    s.prop_map(Some).boxed()
                }
            })
            .collect();
        parts
            .prop_map(|kv| kv.into_iter().flatten().collect())
            .boxed()
    }

    /// Valid arguments of a command (or data of an event).
    fn args(&self, args: &ArgsDef) -> BoxedStrategy<Value> {
        match args {
            ArgsDef::None => Just(Value::Object(Map::new())).boxed(),
            ArgsDef::Inline(m) => self
                .members_kv(m, 0)
                .prop_shuffle()
                .prop_map(to_object)
                .boxed(),
            ArgsDef::Named(n) => self.named(n, 0),
        }
    }

    /// Every member name and enum value of the schema, to make junk
    /// that gets past the first checks.
    fn words(&self) -> Vec<String> {
        let mut w = vec!["type".to_owned(), "data".to_owned()];
        for d in self.schema.definitions() {
            match d {
                Definition::Struct(s) => w.extend(s.members.iter().map(|m| m.name.clone())),
                Definition::Enum(e) => w.extend(e.values.iter().map(|v| v.name.clone())),
                Definition::Union(u) => {
                    w.push(u.discriminator.clone());
                    if let UnionBase::Inline(m) = &u.base {
                        w.extend(m.iter().map(|m| m.name.clone()));
                    }
                }
                Definition::Command(c) => {
                    if let ArgsDef::Inline(m) = &c.args {
                        w.extend(m.iter().map(|m| m.name.clone()));
                    }
                }
                Definition::Event(e) => {
                    if let ArgsDef::Inline(m) = &e.args {
                        w.extend(m.iter().map(|m| m.name.clone()));
                    }
                }
                _ => {}
            }
        }
        w.sort();
        w.dedup();
        w
    }
}

fn to_object(kv: Vec<(String, Value)>) -> Value {
    Value::Object(kv.into_iter().collect())
}

fn select_str(values: Vec<String>) -> BoxedStrategy<Value> {
    prop::sample::select(values).prop_map(Value::String).boxed()
}

fn finite_f64() -> impl Strategy<Value = f64> + Clone {
    prop::num::f64::POSITIVE
        | prop::num::f64::NEGATIVE
        | prop::num::f64::NORMAL
        | prop::num::f64::SUBNORMAL
        | prop::num::f64::ZERO
}

fn int_in(lo: i64, hi: i64) -> BoxedStrategy<Value> {
    prop_oneof![Just(lo), Just(hi), lo..=hi]
        .prop_map(Value::Int)
        .boxed()
}

fn builtin_value(name: &str, json: BuiltinJson) -> BoxedStrategy<Value> {
    match name {
        "int8" => int_in(i8::MIN.into(), i8::MAX.into()),
        "int16" => int_in(i16::MIN.into(), i16::MAX.into()),
        "int32" => int_in(i32::MIN.into(), i32::MAX.into()),
        "uint8" => int_in(0, u8::MAX.into()),
        "uint16" => int_in(0, u16::MAX.into()),
        "uint32" => int_in(0, u32::MAX.into()),
        "int" | "int64" => prop_oneof![Just(i64::MIN), Just(i64::MAX), any::<i64>()]
            .prop_map(Value::Int)
            .boxed(),
        "uint64" | "size" => prop_oneof![Just(u64::MAX), any::<u64>()]
            .prop_map(Value::from_u64)
            .boxed(),
        // A `number` accepts integers too.
        "number" => prop_oneof![
            finite_f64().prop_map(Value::Double),
            any::<i32>().prop_map(|i| Value::Int(i.into()))
        ]
        .boxed(),
        "str" => any::<String>().prop_map(Value::String).boxed(),
        "bool" => any::<bool>().prop_map(Value::Bool).boxed(),
        "null" => Just(Value::Null).boxed(),
        "any" => any_json(Vec::new()).boxed(),
        _ => panic!("builtin {name} ({json:?}) without strategy"),
    }
}

/// Arbitrary JSON; object keys are often taken from `words`. Doubles in
/// it are never integral: an `any` holding `1000.0` is written `1000` and
/// reads back as an integer, which `serde_json::Value` then tells apart
/// (as QEMU's QNum would); that is not what these tests look at.
fn any_json(words: Vec<String>) -> impl Strategy<Value = Value> {
    let words = if words.is_empty() {
        vec!["a".to_owned()]
    } else {
        words
    };
    let word = prop::sample::select(words);
    let key = prop_oneof![3 => word.clone(), 1 => any::<String>()];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        ((i64::MAX as u64 + 1)..=u64::MAX).prop_map(Value::UInt),
        finite_f64()
            .prop_filter("not integral", |d| d.fract() != 0.0)
            .prop_map(Value::Double),
        any::<String>().prop_map(Value::String),
        word.prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..5).prop_map(to_object),
        ]
    })
}

/// How to damage a valid value: which node (a path of child picks),
/// what to do there, with what.
#[derive(Clone, Debug)]
struct Mutation {
    path: Vec<Index>,
    kind: u8,
    key: String,
    junk: Value,
}

fn mutation(words: Vec<String>) -> impl Strategy<Value = Mutation> {
    let key = prop_oneof![prop::sample::select(words.clone()), any::<String>()];
    (
        prop::collection::vec(any::<Index>(), 0..5),
        0u8..4,
        key,
        any_json(words),
    )
        .prop_map(|(path, kind, key, junk)| Mutation {
            path,
            kind,
            key,
            junk,
        })
}

fn apply(v: &mut Value, m: &Mutation) {
    apply_at(v, &m.path, m);
}

fn apply_at(node: &mut Value, path: &[Index], m: &Mutation) {
    if let Some((ix, rest)) = path.split_first() {
        match node {
            Value::Array(a) if !a.is_empty() => {
                let i = ix.index(a.len());
                return apply_at(&mut a[i], rest, m);
            }
            Value::Object(o) if !o.is_empty() => {
                let k = o
                    .keys()
                    .nth(ix.index(o.len()))
                    .map(str::to_owned)
                    .unwrap_or_default();
                return apply_at(o.get_mut(&k).expect("member"), rest, m);
            }
            _ => {}
        }
    }
    match (m.kind, &mut *node) {
        (1, Value::Object(o)) if !o.is_empty() => {
            let k = o
                .keys()
                .nth(m.key.len() % o.len())
                .map(str::to_owned)
                .unwrap_or_default();
            o.remove(&k);
        }
        (2, Value::Object(o)) => {
            o.insert(m.key.clone(), m.junk.clone());
        }
        (3, _) => *node = Value::Null,
        _ => *node = m.junk.clone(),
    }
}

// ---------------------------------------------------------------------
// The checks.

/// Whether `enc` (the encoding of what `orig` decoded to) is `orig`:
/// same members in any order; integers equal exactly, and where a double
/// is involved (`number` members) equal as doubles.
fn json_equiv(orig: &Value, enc: &Value) -> bool {
    use Value::*;
    match (orig, enc) {
        (Int(_) | UInt(_), Int(_) | UInt(_)) => as_i128(orig) == as_i128(enc),
        (Int(_) | UInt(_) | Double(_), Int(_) | UInt(_) | Double(_)) => as_f64(orig) == as_f64(enc),
        (Array(a), Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| json_equiv(a, b))
        }
        (Object(a), Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| json_equiv(v, w)))
        }
        _ => orig == enc,
    }
}

fn as_i128(v: &Value) -> i128 {
    match v {
        Value::Int(i) => (*i).into(),
        Value::UInt(u) => (*u).into(),
        _ => unreachable!(),
    }
}

fn as_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::UInt(u) => *u as f64,
        Value::Double(d) => *d,
        _ => unreachable!(),
    }
}

fn is_qemu_decode_error(desc: &str) -> bool {
    desc.starts_with("Parameter '") || desc.starts_with("Invalid parameter type for '")
}

/// Encodes `t` three ways and decodes each with `decode`; all equal `t`.
/// Returns the QEMU-order encoding, as a value tree.
fn encodings_decode_back<T: serde::Serialize + PartialEq + Debug>(
    t: &T,
    decode: impl Fn(&[u8]) -> qapi::Result<T>,
) -> Result<Value, TestCaseError> {
    let texts = [
        serde_json::to_vec(t).expect("serde_json encodes"),
        qapi::json::to_vec(t, &WriteOptions::COMPACT).expect("qapi encodes"),
        qapi::json::to_vec(t, &WriteOptions::QEMU).expect("qapi encodes"),
    ];
    for text in &texts {
        let back = decode(text).map_err(|e| {
            TestCaseError::fail(format!(
                "{} does not decode: {}",
                String::from_utf8_lossy(text),
                e.desc
            ))
        })?;
        prop_assert_eq!(&back, t, "through {}", String::from_utf8_lossy(text));
    }
    Ok(qapi::json::parse_one(&texts[2]).expect("encoding is JSON"))
}

fn roundtrip_type<T: Qapi + PartialEq + Debug>(v: Value) -> Result<(), TestCaseError> {
    let t: T = qapi::from_value(v.clone())
        .map_err(|e| TestCaseError::fail(format!("valid JSON rejected: {} for {v}", e.desc)))?;
    let enc = encodings_decode_back(&t, |b| qapi::from_slice::<T>(b))?;
    // Through serde's `Deserialize` (any serde format works; exact for
    // doubles because qapi-core turns on serde_json's `float_roundtrip`).
    let via_serde: T =
        serde_json::from_str(&serde_json::to_string(&t).expect("encodes")).expect("Deserialize");
    prop_assert_eq!(&via_serde, &t);
    prop_assert!(
        json_equiv(&v, &enc),
        "encoding differs from the input:\n{v}\n{enc}"
    );
    Ok(())
}

fn junk_type<T: Qapi + PartialEq + Debug>(v: Value) -> Result<(), TestCaseError> {
    let _ = Decoder::lenient().decode::<T>(v.clone());
    match qapi::from_value::<T>(v) {
        Ok(t) => {
            encodings_decode_back(&t, |b| qapi::from_slice::<T>(b))?;
        }
        Err(e) => prop_assert!(
            is_qemu_decode_error(&e.desc),
            "not a QEMU message: {:?}",
            e.desc
        ),
    }
    Ok(())
}

fn decode_map<T>(b: &[u8], f: impl Fn(Map) -> qapi::Result<T>) -> qapi::Result<T> {
    match qapi::json::parse_one(b) {
        Ok(Value::Object(m)) => f(m),
        other => panic!("encoding is not an object: {other:?}"),
    }
}

fn roundtrip_args<T: serde::Serialize + PartialEq + Debug>(
    v: Value,
    f: impl Fn(Map, &mut Decoder) -> qapi::Result<T> + Copy,
) -> Result<(), TestCaseError> {
    let Value::Object(m) = &v else {
        panic!("arguments are an object")
    };
    let t = f(m.clone(), &mut Decoder::new()).map_err(|e| {
        TestCaseError::fail(format!("valid arguments rejected: {} for {v}", e.desc))
    })?;
    let enc = encodings_decode_back(&t, |b| decode_map(b, |m| f(m, &mut Decoder::new())))?;
    prop_assert!(
        json_equiv(&v, &enc),
        "encoding differs from the input:\n{v}\n{enc}"
    );
    Ok(())
}

fn junk_args<T: serde::Serialize + PartialEq + Debug>(
    v: Value,
    f: impl Fn(Map, &mut Decoder) -> qapi::Result<T> + Copy,
) -> Result<(), TestCaseError> {
    // Dispatch hands over only objects (`arguments` must be one).
    let Value::Object(m) = v else { return Ok(()) };
    let _ = f(m.clone(), &mut Decoder::lenient());
    match f(m, &mut Decoder::new()) {
        Ok(t) => {
            encodings_decode_back(&t, |b| decode_map(b, |m| f(m, &mut Decoder::new())))?;
        }
        Err(e) => prop_assert!(
            is_qemu_decode_error(&e.desc),
            "not a QEMU message: {:?}",
            e.desc
        ),
    }
    Ok(())
}

// ---------------------------------------------------------------------
// Strategies per type, command and event.

fn type_gen<T: Qapi>() -> (Gen, BoxedStrategy<Value>) {
    let mut root = None;
    let g = Gen::new(|b| root = Some(T::describe(b)));
    let s = g.ty(&root.expect("described"), 0);
    (g, s)
}

fn cmd_gen<C: Command>() -> (Gen, BoxedStrategy<Value>) {
    let g = Gen::new(C::describe_command);
    let Definition::Command(c) = g.def(C::NAME) else {
        panic!("{} is not a command", C::NAME)
    };
    let s = g.args(&c.args.clone());
    (g, s)
}

fn event_gen<E: Event>() -> (Gen, BoxedStrategy<Value>) {
    let g = Gen::new(E::describe_event);
    let Definition::Event(e) = g.def(E::NAME) else {
        panic!("{} is not an event", E::NAME)
    };
    let s = g.args(&e.args.clone());
    (g, s)
}

fn valid(g: (Gen, BoxedStrategy<Value>)) -> BoxedStrategy<Value> {
    g.1
}

fn junk(g: (Gen, BoxedStrategy<Value>)) -> BoxedStrategy<Value> {
    any_json(g.0.words()).boxed()
}

fn mutated(g: (Gen, BoxedStrategy<Value>)) -> BoxedStrategy<Value> {
    (g.1, mutation(g.0.words()))
        .prop_map(|(mut v, m)| {
            apply(&mut v, &m);
            v
        })
        .boxed()
}

const CASES: u32 = 128;

/// `CASES` cases; failures are not persisted to files (a failure found
/// here becomes a test in `tests/regressions_*.rs`).
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

macro_rules! type_props {
    ($($m:ident: $t:ty),* $(,)?) => {$(
        mod $m {
            use super::*;
            proptest! {
                #![proptest_config(config())]
                #[test]
                fn roundtrip(v in valid(type_gen::<$t>())) { roundtrip_type::<$t>(v)?; }
                #[test]
                fn junk(v in super::junk(type_gen::<$t>())) { junk_type::<$t>(v)?; }
                #[test]
                fn mutated(v in super::mutated(type_gen::<$t>())) { junk_type::<$t>(v)?; }
            }
        }
    )*};
}

macro_rules! cmd_props {
    ($($m:ident: $t:ty),* $(,)?) => {$(
        mod $m {
            use super::*;
            fn dec(m: Map, d: &mut Decoder) -> qapi::Result<$t> { <$t as Command>::decode_args(m, d) }
            proptest! {
                #![proptest_config(config())]
                #[test]
                fn roundtrip(v in valid(cmd_gen::<$t>())) { roundtrip_args(v, dec)?; }
                #[test]
                fn junk(v in super::junk(cmd_gen::<$t>())) { junk_args(v, dec)?; }
                #[test]
                fn mutated(v in super::mutated(cmd_gen::<$t>())) { junk_args(v, dec)?; }
            }
        }
    )*};
}

macro_rules! event_props {
    ($($m:ident: $t:ty),* $(,)?) => {$(
        mod $m {
            use super::*;
            fn dec(m: Map, d: &mut Decoder) -> qapi::Result<$t> { <$t as Event>::decode_data(m, d) }
            proptest! {
                #![proptest_config(config())]
                #[test]
                fn roundtrip(v in valid(event_gen::<$t>())) { roundtrip_args(v, dec)?; }
                #[test]
                fn junk(v in super::junk(event_gen::<$t>())) { junk_args(v, dec)?; }
                #[test]
                fn mutated(v in super::mutated(event_gen::<$t>())) { junk_args(v, dec)?; }
            }
        }
    )*};
}

mod example {
    use super::*;
    use crate::common::example::*;

    type_props! {
        color: Color,
        point: Point,
        shape: Shape,
        str_or_point: StrOrPoint,
    }
    cmd_props! {
        draw: Draw,
        ping: Ping,
    }
    event_props! {
        drawn: Drawn,
    }
}

mod qsd_mini {
    use super::*;
    use crate::common::qsd_mini::*;

    type_props! {
        blockdev_options: BlockdevOptions,
        blockdev_ref: BlockdevRef,
        blockdev_ref_or_null: BlockdevRefOrNull,
        blockdev_options_qcow2: BlockdevOptionsQcow2,
        blockdev_options_blkdebug: BlockdevOptionsBlkdebug,
        socket_address_legacy: SocketAddressLegacy,
        inet_socket_address: InetSocketAddress,
        object_options: ObjectOptions,
        transaction_action: TransactionAction,
        block_dirty_bitmap_add: BlockDirtyBitmapAdd,
        block_dirty_bitmap_or_str: BlockDirtyBitmapOrStr,
        with_size: WithSize,
    }
    cmd_props! {
        query_version: QueryVersion,
        block_job_cancel: BlockJobCancel,
        block_job_set_speed: BlockJobSetSpeed,
        block_set_write_threshold: BlockSetWriteThreshold,
        query_named_block_nodes: QueryNamedBlockNodes,
        block_dirty_bitmap_add_cmd: BlockDirtyBitmapAddCmd,
        blockdev_add: BlockdevAdd,
        nbd_server_start: NbdServerStart,
        object_add: ObjectAdd,
        transaction: Transaction,
        block_dirty_bitmap_merge: BlockDirtyBitmapMerge,
    }
}

/// The kitchen sink's trickiest constructs: alternates over enums,
/// numbers, booleans, null and lists; unions over base chains and in
/// union branches; downstream (`__org.qemu_x`) names; `any`.
mod kitchen_sink {
    use super::*;
    use qapi_kitchen_sink::*;

    type_props! {
        user_def_flat_union: UserDefFlatUnion,
        user_def_flat_union2: UserDefFlatUnion2,
        test_union_in_union: TestUnionInUnion,
        user_def_alternate: UserDefAlternate,
        wrap_alternate: WrapAlternate,
        alt_enum_bool: AltEnumBool,
        alt_enum_num: AltEnumNum,
        alt_num_enum: AltNumEnum,
        alt_enum_int: AltEnumInt,
        alt_list_int: AltListInt,
        alt_str_obj: AltStrObj,
        user_def_options: UserDefOptions,
        array_struct: ArrayStruct,
        user_def_three: UserDefThree,
        org_qemu_x_union: OrgQemuXUnion,
        org_qemu_x_alt: OrgQemuXAlt,
        feature_union1: FeatureUnion1,
        feature_alternate1: FeatureAlternate1,
    }
    cmd_props! {
        user_def_cmd2: UserDefCmd2,
        guest_sync: GuestSync,
        boxed_union: BoxedUnion,
        org_qemu_x_command: OrgQemuXCommand,
        test_features0: TestFeatures0,
    }
    event_props! {
        event_c: EventC,
        event_f: EventF,
    }
}
