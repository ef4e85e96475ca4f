//! Writing [`Value`]s in QEMU's JSON format.

use super::number::{write_double, write_i64, write_u64};
use super::qdict::{bucket, sort_qdict};
use super::strings::write_quoted;
use crate::value::{Map, Value};

/// The order object members are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum KeyOrder {
    /// The order members were inserted (cheapest).
    #[default]
    Insertion,
    /// The order QEMU's `QDict` iterates: ascending `tdb_hash(key) % 512`
    /// bucket, and within a bucket the member inserted last first.
    QDict,
}

/// How to format JSON output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct WriteOptions {
    /// Member order of objects.
    pub key_order: KeyOrder,
    /// QEMU's `pretty=on` layout: one item per line, 4 spaces per level.
    pub pretty: bool,
}

impl WriteOptions {
    /// Compact, insertion order.
    pub const COMPACT: WriteOptions = WriteOptions {
        key_order: KeyOrder::Insertion,
        pretty: false,
    };
    /// Exactly what QEMU sends: compact, QDict member order.
    pub const QEMU: WriteOptions = WriteOptions {
        key_order: KeyOrder::QDict,
        pretty: false,
    };
    /// What a `pretty=on` QEMU monitor sends: pretty, QDict member order.
    pub const QEMU_PRETTY: WriteOptions = WriteOptions {
        key_order: KeyOrder::QDict,
        pretty: true,
    };
}

/// Appends a newline and `4 * depth` spaces.
#[inline]
pub(crate) fn newline_indent(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    out.resize(out.len() + 4 * depth, b' ');
}

/// What goes before a member or element: `", "` in compact mode, or
/// `",\n"` / `"\n"` plus indentation in pretty mode.
#[inline]
pub(crate) fn separator(out: &mut Vec<u8>, pretty: bool, first: bool, depth: usize) {
    if !first {
        out.push(b',');
        if !pretty {
            out.push(b' ');
        }
    }
    if pretty {
        newline_indent(out, depth);
    }
}

/// Closes a container opened at `depth`.
#[inline]
pub(crate) fn close(out: &mut Vec<u8>, pretty: bool, depth: usize, c: u8) {
    if pretty {
        newline_indent(out, depth);
    }
    out.push(c);
}

/// Appends `value` as JSON to `out` in QEMU's format (see
/// [`WriteOptions`]). Nothing is appended after the value (QMP adds a
/// line ending).
///
/// Any depth fits in any thread's stack: containers nested deeper than
/// 32 levels are written without recursion.
pub fn write_value(value: &Value, out: &mut Vec<u8>, opts: &WriteOptions) {
    write_at(value, out, opts, 0);
}

/// [`write_value`] into a new buffer.
pub fn value_to_vec(value: &Value, opts: &WriteOptions) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    write_value(value, &mut out, opts);
    out
}

/// [`write_value`] into a new `String` (the output is always ASCII).
pub fn value_to_string(value: &Value, opts: &WriteOptions) -> String {
    let out = value_to_vec(value, opts);
    out.iter().map(|&b| char::from(b)).collect()
}

/// Containers this deep and deeper are written by [`write_deep`]; above,
/// recursion (no allocation) is faster. In a debug build a level takes
/// about 1.6 KiB of stack, so the recursion takes at most some 50 KiB.
const RECURSION_MAX: usize = 32;

/// Writes `value` if it is not a container; returns whether it did.
#[inline]
fn write_scalar(value: &Value, out: &mut Vec<u8>) -> bool {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Int(i) => write_i64(out, *i),
        Value::UInt(u) => write_u64(out, *u),
        Value::Double(d) => write_double(out, *d),
        Value::String(s) => write_quoted(out, s),
        Value::Array(_) | Value::Object(_) => return false,
    }
    true
}

fn write_at(value: &Value, out: &mut Vec<u8>, opts: &WriteOptions, depth: usize) {
    if write_scalar(value, out) {
        return;
    }
    match value {
        _ if depth >= RECURSION_MAX => write_deep(value, out, opts, depth),
        Value::Array(a) => {
            out.push(b'[');
            for (n, v) in a.iter().enumerate() {
                separator(out, opts.pretty, n == 0, depth + 1);
                write_at(v, out, opts, depth + 1);
            }
            close(out, opts.pretty, depth, b']');
        }
        Value::Object(m) => {
            out.push(b'{');
            match opts.key_order {
                KeyOrder::Insertion => {
                    for (n, (k, v)) in m.iter().enumerate() {
                        write_member(out, opts, n == 0, depth, k, v);
                    }
                }
                KeyOrder::QDict => write_members_qdict(out, opts, depth, m),
            }
            close(out, opts.pretty, depth, b'}');
        }
        // Written by `write_scalar`.
        _ => {}
    }
}

#[inline]
fn write_member(
    out: &mut Vec<u8>,
    opts: &WriteOptions,
    first: bool,
    depth: usize,
    k: &str,
    v: &Value,
) {
    separator(out, opts.pretty, first, depth + 1);
    write_quoted(out, k);
    out.extend_from_slice(b": ");
    write_at(v, out, opts, depth + 1);
}

fn write_members_qdict(out: &mut Vec<u8>, opts: &WriteOptions, depth: usize, m: &Map) {
    let entries = m.entries();
    let mut n = 0;
    for_each_in_qdict_order(entries, |i| {
        let (k, v) = &entries[i];
        write_member(out, opts, n == 0, depth, k, v);
        n += 1;
    });
}

/// [`write_at`] without recursion: the containers being written are kept
/// on a heap stack.
fn write_deep(value: &Value, out: &mut Vec<u8>, opts: &WriteOptions, base: usize) {
    /// A container being written: what is left of its members, in the
    /// order they are written.
    enum Open<'a> {
        Array(std::iter::Enumerate<std::slice::Iter<'a, Value>>),
        Object(std::iter::Enumerate<std::slice::Iter<'a, (String, Value)>>),
        /// QDict order: `order[next..end]` are the indices (into
        /// `entries`) of the members still to write; `order` is
        /// truncated to `start` when the object is closed.
        Ordered {
            entries: &'a [(String, Value)],
            start: usize,
            next: usize,
            end: usize,
        },
    }
    let mut open: Vec<Open<'_>> = Vec::new();
    // The member orders of the QDict-ordered objects being written.
    let mut order: Vec<usize> = Vec::new();
    let mut next = Some(value);
    loop {
        if let Some(v) = next.take()
            && !write_scalar(v, out)
        {
            match v {
                Value::Array(a) => {
                    out.push(b'[');
                    open.push(Open::Array(a.iter().enumerate()));
                }
                Value::Object(m) => {
                    out.push(b'{');
                    let entries = m.entries();
                    open.push(match opts.key_order {
                        KeyOrder::Insertion => Open::Object(entries.iter().enumerate()),
                        KeyOrder::QDict => {
                            let start = order.len();
                            qdict_order(entries, &mut order);
                            Open::Ordered {
                                entries,
                                start,
                                next: start,
                                end: order.len(),
                            }
                        }
                    });
                }
                // Written by `write_scalar`.
                _ => {}
            }
        }
        // The next member of the innermost open container, or its end.
        let depth = base + open.len();
        let Some(top) = open.last_mut() else {
            return;
        };
        let member = match top {
            Open::Array(items) => items.next().map(|(n, v)| (n, None, v)),
            Open::Object(members) => members.next().map(|(n, (k, v))| (n, Some(k), v)),
            Open::Ordered {
                entries,
                start,
                next,
                end,
            } => (*next < *end).then(|| {
                let (k, v) = &entries[order[*next]];
                let n = *next - *start;
                *next += 1;
                (n, Some(k), v)
            }),
        };
        match member {
            Some((n, key, v)) => {
                separator(out, opts.pretty, n == 0, depth);
                if let Some(k) = key {
                    write_quoted(out, k);
                    out.extend_from_slice(b": ");
                }
                next = Some(v);
            }
            None => {
                let c = match open.pop() {
                    Some(Open::Array(_)) => b']',
                    Some(Open::Ordered { start, .. }) => {
                        order.truncate(start);
                        b'}'
                    }
                    _ => b'}',
                };
                close(out, opts.pretty, depth - 1, c);
            }
        }
    }
}

/// Appends to `order` the indices of `entries` in QDict order.
fn qdict_order(entries: &[(String, Value)], order: &mut Vec<usize>) {
    for_each_in_qdict_order(entries, |i| order.push(i));
}

/// Calls `f` with the index of each of `entries`, in QDict order
/// (without allocating for objects of up to 16 members).
fn for_each_in_qdict_order(entries: &[(String, Value)], mut f: impl FnMut(usize)) {
    const SMALL: usize = 16;
    if entries.len() <= SMALL {
        let mut keyed = [(0u32, 0usize); SMALL];
        let keyed = &mut keyed[..entries.len()];
        for (i, (k, _)) in entries.iter().enumerate() {
            keyed[i] = (bucket(k), i);
        }
        sort_qdict(keyed);
        keyed.iter().for_each(|&(_, i)| f(i));
    } else {
        let mut keyed: Vec<(u32, usize)> = entries
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (bucket(k), i))
            .collect();
        sort_qdict(&mut keyed);
        keyed.iter().for_each(|&(_, i)| f(i));
    }
}
