//! Decoding QMP input with QEMU's rules.
//!
//! This is the counterpart of QEMU's QObject input visitor: a value tree
//! ([`Value`]) is walked in *schema* order (members in declaration order,
//! base members first, a union's branch after its base), the first
//! failure is reported, and every failure carries QEMU's exact text:
//!
//! | failure | text |
//! |---|---|
//! | member absent | `Parameter 'file.filename' is missing` |
//! | member left over | `Parameter 'file.bogus' is unexpected` |
//! | wrong JSON type | `Invalid parameter type for 'speed', expected: integer` |
//! | `uint64`/`size` not an integer | `Parameter 'x' expects uint64` |
//! | integer out of range | `Parameter 'to' expects uint16_t` (bare name) |
//! | unknown enum value | `Parameter 'driver' does not accept value 'x'` (bare name) |
//! | alternate, no branch | `Invalid parameter type for 'file', expected: BlockdevRef` (bare name) |
//!
//! "Full" names are paths such as `actions[0].data.node`; "bare" names
//! are the last member name, or `null` for a list element.
//!
//! # Deep values
//!
//! Decoding recurses once per level of nesting, and in a debug build one
//! level of a recursive type takes a few KiB of stack: QEMU's 1024 levels
//! would not fit in the 2 MiB of an ordinary thread. A Rust type recurses
//! only through an indirection, so the checks sit there: `Vec<T>` and
//! `Box<T>` decode through [`Decoder::checked`] (and so does a member of
//! a type implemented by hand, see [`Qapi::DEEP_CHECKS`]). It watches
//! the stack: once a stretch of nested decoding has used
//! [`STACK_STRETCH`] bytes, the next level goes on on a thread of its own
//! (scoped, with a stack of [`STACK_STRETCH_THREAD`] bytes) while this one
//! waits. Values nested deeper than [`MAX_DEPTH`] levels (only a value
//! built in memory can be: QEMU's JSON parser refuses them) are refused
//! with QEMU's `JSON nesting depth limit exceeded`.

use std::any::Any;

use smallvec::SmallVec;

use crate::Qapi;
use crate::error::{Error, Result};
use crate::policy::{CompatPolicy, InputPolicy};
use crate::value::{Map, Value};

/// One step of the path from the root of the input to a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seg {
    Member(&'static str),
    Index(usize),
}

/// Where [`Decoder::checked`] decodes the next level.
enum Level {
    Here,
    NewStack,
    TooDeep,
}

/// The deepest nesting decoded, QEMU's JSON parser's limit (its
/// `MAX_NESTING`): a value from QMP input is never deeper.
pub const MAX_DEPTH: usize = crate::json::Limits::QEMU.max_nesting;

/// Stack a stretch of nested decoding may use before the next level
/// continues on a thread of its own (see [the module documentation](self#deep-values)).
pub const STACK_STRETCH: usize = 256 << 10;

/// Stack size of a thread that continues a deep decoding: a stretch and
/// one more level, with plenty to spare (only touched pages take memory).
pub const STACK_STRETCH_THREAD: usize = 2 << 20;

/// State of one decoding run: the path to the current value and the
/// input compat policy.
#[derive(Debug)]
pub struct Decoder {
    /// Inline up to the depths of nearly all QMP input (no allocation).
    path: SmallVec<[Seg; 8]>,
    policy: CompatPolicy,
    strict: bool,
    crashed: bool,
    /// Where on the stack the current stretch of nested decoding began
    /// (an address; 0 before the first level).
    stack_mark: usize,
}

impl Default for Decoder {
    fn default() -> Decoder {
        Decoder::new()
    }
}

impl Decoder {
    /// A strict decoder with QEMU's default policy (accept everything
    /// deprecated or unstable).
    pub fn new() -> Decoder {
        Decoder {
            path: SmallVec::new(),
            policy: CompatPolicy::default(),
            strict: true,
            crashed: false,
            stack_mark: 0,
        }
    }

    /// A strict decoder applying `policy` to deprecated and unstable input.
    pub fn with_policy(policy: CompatPolicy) -> Decoder {
        Decoder {
            policy,
            ..Decoder::new()
        }
    }

    /// A tolerant decoder for a client reading a possibly newer server's
    /// output: members it does not know are ignored instead of reported.
    pub fn lenient() -> Decoder {
        Decoder {
            strict: false,
            ..Decoder::new()
        }
    }

    /// Whether a `crash` compat policy was triggered (QEMU would abort).
    pub fn crashed(&self) -> bool {
        self.crashed
    }

    /// Decodes a whole value of type `T`.
    pub fn decode<T: Qapi>(&mut self, v: Value) -> Result<T> {
        T::decode(v, self)
    }

    // ---- names -------------------------------------------------------

    fn push_full(&self, out: &mut String, extra: Option<&str>) {
        for (i, seg) in self.path.iter().enumerate() {
            match seg {
                Seg::Member(n) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(n);
                }
                Seg::Index(k) => {
                    out.push('[');
                    out.push_str(&k.to_string());
                    out.push(']');
                }
            }
        }
        if let Some(x) = extra {
            if !self.path.is_empty() {
                out.push('.');
            }
            out.push_str(x);
        }
    }

    /// The full name of the current value (`actions[0].data.node`).
    pub fn full_name(&self) -> String {
        if self.path.is_empty() {
            return "<anonymous>".to_owned();
        }
        let mut s = String::new();
        self.push_full(&mut s, None);
        s
    }

    fn full_name_of(&self, member: &str) -> String {
        let mut s = String::new();
        self.push_full(&mut s, Some(member));
        s
    }

    /// The bare name of the current value: its member name, or `null` for
    /// a list element (QEMU passes no name for list elements).
    pub fn bare_name(&self) -> &'static str {
        match self.path.last() {
            Some(Seg::Member(n)) => n,
            Some(Seg::Index(_)) | None => "null",
        }
    }

    // ---- errors --------------------------------------------------------

    /// `Invalid parameter type for '<full name>', expected: <what>`.
    pub fn type_error(&self, expected: &str) -> Error {
        Error::generic(format!(
            "Invalid parameter type for '{}', expected: {}",
            self.full_name(),
            expected
        ))
    }

    /// `Parameter '<full name>' expects <what>` (QEMU's text for `uint64`
    /// and `size` given a non-integer).
    pub fn expects_full(&self, what: &str) -> Error {
        Error::generic(format!("Parameter '{}' expects {}", self.full_name(), what))
    }

    /// `Parameter '<bare name>' expects <what>` (integer range errors such
    /// as `uint16_t`).
    pub fn expects_bare(&self, what: &str) -> Error {
        Error::generic(format!("Parameter '{}' expects {}", self.bare_name(), what))
    }

    /// `Parameter '<bare name>' does not accept value '<value>'`.
    pub fn enum_error(&self, value: &str) -> Error {
        Error::generic(format!(
            "Parameter '{}' does not accept value '{}'",
            self.bare_name(),
            value
        ))
    }

    /// `Invalid parameter type for '<bare name>', expected: <Alternate>`.
    pub fn alternate_error(&self, type_name: &str) -> Error {
        Error::generic(format!(
            "Invalid parameter type for '{}', expected: {}",
            self.bare_name(),
            type_name
        ))
    }

    /// `Parameter '<path>.<member>' is missing`.
    pub fn missing(&self, member: &str) -> Error {
        Error::generic(format!(
            "Parameter '{}' is missing",
            self.full_name_of(member)
        ))
    }

    /// `Parameter '<path>.<member>' is unexpected`.
    pub fn unexpected(&self, member: &str) -> Error {
        Error::generic(format!(
            "Parameter '{}' is unexpected",
            self.full_name_of(member)
        ))
    }

    /// Applies the input compat policy to something carrying special
    /// `features` ([`crate::policy::DEPRECATED`], [`crate::policy::UNSTABLE`]).
    /// `kind` is `parameter` or `value`.
    pub fn check_policy(&mut self, features: u8, kind: &str, name: &str) -> Result<()> {
        if features == 0 {
            return Ok(());
        }
        match self.policy.input_action(features) {
            None => Ok(()),
            Some((action, word)) => {
                if action == InputPolicy::Crash {
                    self.crashed = true;
                }
                Err(Error::generic(format!(
                    "{word} {kind} {name} disabled by policy"
                )))
            }
        }
    }

    // ---- walking -------------------------------------------------------

    /// Decodes `v` as the value of member `name` of the current object.
    #[inline]
    pub fn member<T: Qapi>(&mut self, name: &'static str, v: Value) -> Result<T> {
        self.path.push(Seg::Member(name));
        self.down(v)
    }

    /// Runs `f` with member `name` of the current object as the current
    /// value (for hand-written decoding steps).
    pub fn in_member<R>(&mut self, name: &'static str, f: impl FnOnce(&mut Decoder) -> R) -> R {
        self.path.push(Seg::Member(name));
        let r = f(self);
        self.path.pop();
        r
    }

    /// Decodes `v` as element `index` of the current list.
    #[inline]
    pub fn element<T: Qapi>(&mut self, index: usize, v: Value) -> Result<T> {
        self.path.push(Seg::Index(index));
        self.down(v)
    }

    /// Runs `each` on every element of a list, in order, each with its
    /// segment pushed on the path (`each` pops it with
    /// [`Decoder::down`]); stops at the first failure.
    pub(crate) fn elements(
        &mut self,
        items: Vec<Value>,
        each: &mut dyn FnMut(Value, &mut Decoder) -> Result<()>,
    ) -> Result<()> {
        for (i, item) in items.into_iter().enumerate() {
            self.path.push(Seg::Index(i));
            each(item, self)?;
        }
        Ok(())
    }

    /// Decodes `v`, whose segment was just pushed on the path, and pops
    /// it. Only types with [`Qapi::DEEP_CHECKS`] are decoded through
    /// [`Decoder::checked`] here (and have a copy of it compiled).
    #[inline]
    pub(crate) fn down<T: Qapi>(&mut self, v: Value) -> Result<T> {
        let r = if T::DEEP_CHECKS {
            self.checked(v, T::decode)
        } else {
            T::decode(v, self)
        };
        self.up();
        r
    }

    /// Pops the last segment of the path (not inlined: the copies of
    /// [`Decoder::down`] stay small).
    #[inline(never)]
    fn up(&mut self) {
        self.path.pop();
    }

    /// `here(v)`, with the checks of deep values: refuses to go deeper
    /// than [`MAX_DEPTH`] (counted on the path), and when this stretch has
    /// used [`STACK_STRETCH`] bytes of stack, goes on with `T::decode` on
    /// a new thread instead. `here` is `T::decode` without the checks
    /// (`Vec` and `Box` call this from their own `decode`, which is what
    /// makes every recursive type checked: Rust types recurse through
    /// them).
    #[inline]
    pub fn checked<T: Qapi>(
        &mut self,
        v: Value,
        here: fn(Value, &mut Decoder) -> Result<T>,
    ) -> Result<T> {
        match self.level() {
            Level::Here => here(v, self),
            Level::NewStack => self.decode_on_new_stack(v),
            Level::TooDeep => Err(Error::generic("JSON nesting depth limit exceeded")),
        }
    }

    /// Where the next level of decoding goes (the untyped half of
    /// [`Decoder::checked`]).
    fn level(&mut self) -> Level {
        let depth = self.path.len();
        if depth > MAX_DEPTH {
            return Level::TooDeep;
        }
        let here = stack_position();
        if depth == 1 || self.stack_mark == 0 {
            self.stack_mark = here;
        } else if here.abs_diff(self.stack_mark) > STACK_STRETCH {
            return Level::NewStack;
        }
        Level::Here
    }

    /// Decodes `v` on a new stack. Only this and `decode_into` are per
    /// type: the thread machinery in [`Decoder::on_new_stack`] is
    /// compiled once, not once per decoded type.
    #[cold]
    #[inline(never)]
    fn decode_on_new_stack<T: Qapi>(&mut self, v: Value) -> Result<T> {
        let mut out: Option<Result<T>> = None;
        self.on_new_stack(v, &mut out, decode_into::<T>);
        match out {
            Some(r) => r,
            None => Err(Error::generic("JSON nesting depth limit exceeded")),
        }
    }

    /// Runs `decode(v, decoder, out)` on a thread of its own (scoped:
    /// this one waits), where a new stretch begins; without a thread
    /// (none can be spawned), runs it here.
    #[inline(never)]
    fn on_new_stack(
        &mut self,
        v: Value,
        out: &mut (dyn Any + Send),
        decode: fn(Value, &mut Decoder, &mut dyn Any),
    ) {
        let saved = self.stack_mark;
        let input = std::sync::Mutex::new(Some(v));
        let (slot, decoder, result) = (&input, &mut *self, &mut *out);
        let ran = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("qapi-deep-decode".into())
                .stack_size(STACK_STRETCH_THREAD)
                .spawn_scoped(scope, move || {
                    let v = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
                    if let Some(v) = v {
                        decoder.stack_mark = 0;
                        decode(v, decoder, result);
                    }
                })
                .ok()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .is_some()
        });
        self.stack_mark = saved;
        if !ran && let Some(v) = input.into_inner().unwrap_or_else(|e| e.into_inner()) {
            decode(v, self, out);
        }
    }

    /// Starts decoding an object: fails with `expected: object` unless `v`
    /// is one.
    pub fn object(&mut self, v: Value) -> Result<ObjectInput> {
        match v {
            Value::Object(m) => Ok(ObjectInput::new(m)),
            _ => Err(self.type_error("object")),
        }
    }

    /// Finishes an object: in strict mode, a member nobody read is
    /// reported as unexpected. When several are left, the one QEMU would
    /// report is chosen (the first in GLib hash-table order).
    pub fn finish(&mut self, obj: ObjectInput) -> Result<()> {
        self.leftovers(&obj)
    }

    /// The check of [`Decoder::finish`].
    fn leftovers(&mut self, obj: &ObjectInput) -> Result<()> {
        if !self.strict || obj.ntaken == obj.entries.len() {
            return Ok(());
        }
        Err(self.unexpected(obj.reported_leftover()))
    }

    /// Decodes a complete object of type `T` from `v`.
    // `match` rather than `?`: less IR in every one of the copies.
    #[allow(clippy::question_mark)]
    pub fn whole_object<T: crate::QapiObject>(&mut self, v: Value) -> Result<T> {
        // Written for size: this is instantiated for every object type.
        let mut obj = match self.object(v) {
            Ok(obj) => obj,
            Err(e) => return Err(e),
        };
        let r = T::decode_members(&mut obj, self);
        match self.close(&obj, r.is_ok()) {
            Ok(()) => r,
            Err(e) => Err(e),
        }
    }

    /// The leftover check of an object whose members were read
    /// successfully (`ok`); none after a failure.
    fn close(&mut self, obj: &ObjectInput, ok: bool) -> Result<()> {
        if ok { self.leftovers(obj) } else { Ok(()) }
    }
}

/// About where the stack is now: the address of a local of a function
/// that is never inlined.
#[inline(never)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::ptr::from_ref(std::hint::black_box(&marker)).addr()
}

/// `T::decode` into `out`, an `Option<Result<T>>` (a function pointer
/// of one signature for every type: see [`Decoder::on_new_stack`]).
fn decode_into<T: Qapi>(v: Value, d: &mut Decoder, out: &mut dyn Any) {
    if let Some(out) = out.downcast_mut::<Option<Result<T>>>() {
        *out = Some(T::decode(v, d));
    }
}

/// An input object being decoded: members are taken out as they are
/// visited; what is left at the end is unexpected.
#[derive(Debug)]
pub struct ObjectInput {
    entries: Vec<(String, Value)>,
    taken: Taken,
    ntaken: usize,
    cursor: usize,
}

impl ObjectInput {
    fn new(m: Map) -> ObjectInput {
        let entries = m.into_entries();
        let taken = Taken::new(entries.len());
        ObjectInput {
            entries,
            taken,
            ntaken: 0,
            cursor: 0,
        }
    }

    /// Takes member `name` out of the object, if present.
    pub fn take(&mut self, name: &str) -> Option<Value> {
        let n = self.entries.len();
        if self.ntaken == n {
            // Everything was read: the optional members left are absent.
            return None;
        }
        // Input usually lists members in declaration order: start looking
        // after the last member found.
        let start = self.cursor.min(n);
        let i = (start..n)
            .chain(0..start)
            .find(|&i| !self.taken.is_taken(i) && self.entries[i].0 == name)?;
        self.taken.take(i);
        self.ntaken += 1;
        self.cursor = i + 1;
        Some(std::mem::take(&mut self.entries[i].1))
    }

    /// Whether member `name` is present and not yet taken.
    pub fn has(&self, name: &str) -> bool {
        self.entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| !self.taken.is_taken(i) && k == name)
    }

    /// Reads a mandatory member.
    #[inline]
    pub fn required<T: Qapi>(
        &mut self,
        d: &mut Decoder,
        name: &'static str,
        features: u8,
    ) -> Result<T> {
        match self.take_required(d, name, features) {
            Ok(v) => d.down(v),
            Err(e) => Err(e),
        }
    }

    /// Reads an optional member; `null` is a value like any other (it is
    /// never taken to mean "absent").
    #[inline]
    pub fn optional<T: Qapi>(
        &mut self,
        d: &mut Decoder,
        name: &'static str,
        features: u8,
    ) -> Result<Option<T>> {
        match self.take_optional(d, name, features) {
            Ok(Some(v)) => match d.down(v) {
                Ok(t) => Ok(Some(t)),
                Err(e) => Err(e),
            },
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        }
    }

    // The untyped halves of `required` and `optional`: one copy for
    // every member type (the typed halves are instantiated per type).
    // A member found is entered: its segment is pushed on the path, and
    // `Decoder::down` pops it.
    fn take_required(
        &mut self,
        d: &mut Decoder,
        name: &'static str,
        features: u8,
    ) -> Result<Value> {
        if features != 0 {
            d.check_policy(features, "parameter", name)?;
        }
        match self.take(name) {
            Some(v) => {
                d.path.push(Seg::Member(name));
                Ok(v)
            }
            None => Err(d.missing(name)),
        }
    }

    fn take_optional(
        &mut self,
        d: &mut Decoder,
        name: &'static str,
        features: u8,
    ) -> Result<Option<Value>> {
        match self.take(name) {
            Some(v) => {
                if features != 0 {
                    d.check_policy(features, "parameter", name)?;
                }
                d.path.push(Seg::Member(name));
                Ok(Some(v))
            }
            None => Ok(None),
        }
    }

    /// Keys not taken, in input order.
    pub fn leftover_keys(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.taken.is_taken(*i))
            .map(|(_, (k, _))| k.as_str())
    }

    /// The leftover member QEMU would name: QEMU fills a GLib hash table
    /// with the object's keys (in its dictionary's order), removes each
    /// key as it is visited, and reports the first key the table yields.
    fn reported_leftover(&self) -> &str {
        let keys: Vec<&str> = self.entries.iter().map(|(k, _)| k.as_str()).collect();
        let consumed: Vec<&str> = self.taken.order().into_iter().map(|i| keys[i]).collect();
        crate::json::glib_order::first_leftover_from_input(&keys, &consumed)
            .or_else(|| self.leftover_keys().next())
            .unwrap_or("")
    }
}

/// Which members of an object were taken, and in what order. Objects of
/// up to 64 members (nearly all) need no allocation.
#[derive(Debug)]
enum Taken {
    Small { bits: u64, order: [u8; 64], len: u8 },
    Large { flags: Vec<bool>, order: Vec<u32> },
}

impl Taken {
    fn new(n: usize) -> Taken {
        if n <= 64 {
            Taken::Small {
                bits: 0,
                order: [0; 64],
                len: 0,
            }
        } else {
            Taken::Large {
                flags: vec![false; n],
                order: Vec::with_capacity(n),
            }
        }
    }
    #[inline]
    fn is_taken(&self, i: usize) -> bool {
        match self {
            Taken::Small { bits, .. } => bits & (1 << i) != 0,
            Taken::Large { flags, .. } => flags[i],
        }
    }
    #[inline]
    fn take(&mut self, i: usize) {
        match self {
            Taken::Small { bits, order, len } => {
                *bits |= 1 << i;
                order[*len as usize] = i as u8;
                *len += 1;
            }
            Taken::Large { flags, order } => {
                flags[i] = true;
                order.push(i as u32);
            }
        }
    }
    fn order(&self) -> Vec<usize> {
        match self {
            Taken::Small { order, len, .. } => {
                order[..*len as usize].iter().map(|&i| i as usize).collect()
            }
            Taken::Large { order, .. } => order.iter().map(|&i| i as usize).collect(),
        }
    }
}
