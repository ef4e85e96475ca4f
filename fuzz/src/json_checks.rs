//! Section (a) of the fuzz targets: the streaming JSON reader, and the
//! JSON checks the other targets share. Its own file so that tests that
//! only need these (`tests/proptest_json.rs`) can include it alone with
//! `#[path]`; `targets.rs` re-exports it.

use qapi::Value;
use qapi::json::{JsonError, JsonErrorKind, JsonStreamer, KeyOrder, Limits, WriteOptions};

/// Small limits, so that inputs of a few bytes reach the limit paths.
pub const SMALL_LIMITS: Limits = Limits {
    max_nesting: 6,
    max_token_count: 40,
    max_token_size: 24,
};

/// Feeds `data` to a [`JsonStreamer`] whole, byte by byte, and in chunks
/// of sizes derived from the input, with QEMU's limits and with
/// [`SMALL_LIMITS`]. Checks: no panic; the three feedings give the same
/// items (exactly: same variants, bits of doubles, member order); every
/// error is one of QEMU's texts of its kind; every value is within the
/// nesting limit, and written out (compact and pretty, insertion and
/// QDict order, through the `Value` writer, the serde `Serializer` and
/// `serde_json`) it reads back as the same value.
pub fn json_stream(data: &[u8]) {
    let chunks = chunk_sizes(data);
    for limits in [Limits::QEMU, SMALL_LIMITS] {
        let whole = stream(limits, data, &[data.len().max(1)]);
        let bytewise = stream(limits, data, &[1]);
        let chunked = stream(limits, data, &chunks);
        assert_same_items(&whole, &bytewise, "whole vs byte by byte", limits);
        assert_same_items(&whole, &chunked, "whole vs chunks", limits);
        for item in &whole {
            match item {
                Ok(v) => check_value(v, limits),
                Err(e) => check_json_error(e),
            }
        }
    }
}

/// Chunk sizes (1 to 17) from a hash of the input.
fn chunk_sizes(data: &[u8]) -> Vec<usize> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data.iter().take(64) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (0..8)
        .map(|i| {
            let x = h.rotate_left(i * 8);
            1 + (x % 17) as usize
        })
        .collect()
}

/// Runs the streamer over `data`, cut in pieces of the given sizes
/// (cycling), then flushes; returns every item in order.
pub fn stream(limits: Limits, data: &[u8], sizes: &[usize]) -> Vec<Result<Value, JsonError>> {
    let mut s = JsonStreamer::with_limits(limits);
    let mut out = Vec::new();
    let mut pos = 0;
    let mut k = 0;
    while pos < data.len() {
        let n = sizes[k % sizes.len()].min(data.len() - pos);
        k += 1;
        s.feed(&data[pos..pos + n]);
        pos += n;
        out.extend(s.drain());
    }
    s.flush();
    out.extend(s.drain());
    assert!(!s.is_partial(), "streamer partial after flush");
    out
}

fn assert_same_items(
    a: &[Result<Value, JsonError>],
    b: &[Result<Value, JsonError>],
    what: &str,
    limits: Limits,
) {
    let same = a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Ok(x), Ok(y)) => exact_eq(x, y),
            (Err(x), Err(y)) => x == y,
            _ => false,
        });
    assert!(same, "{what} differ (limits {limits:?}):\n{a:?}\n{b:?}");
}

/// Structural equality: same variants, same bits for doubles, same
/// member order.
pub fn exact_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Double(x), Value::Double(y)) => x.to_bits() == y.to_bits(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| exact_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((kx, vx), (ky, vy))| kx == ky && exact_eq(vx, vy))
        }
        _ => a == b,
    }
}

/// Whether `back` is what reading `orig` written as JSON must give:
/// integers keep their variant and value; a double comes back as the
/// same double or, when it is integral and was written without fraction
/// or exponent (`%.17g` writes `1e3` as `1000` and `-0.0` as `-0`), as an
/// integer of exactly that value. With `ordered`, members keep their
/// order.
pub fn same_after_write(orig: &Value, back: &Value, ordered: bool) -> bool {
    match (orig, back) {
        (Value::Double(d), Value::Double(e)) => d == e && (*d != 0.0 || d.to_bits() == e.to_bits()),
        (Value::Double(d), Value::Int(i)) => integral_eq(*d, i128::from(*i)),
        (Value::Double(d), Value::UInt(u)) => integral_eq(*d, i128::from(*u)),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(x, y)| same_after_write(x, y, ordered))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && if ordered {
                    x.iter()
                        .zip(y.iter())
                        .all(|((kx, vx), (ky, vy))| kx == ky && same_after_write(vx, vy, ordered))
                } else {
                    x.iter()
                        .all(|(k, vx)| y.get(k).is_some_and(|vy| same_after_write(vx, vy, ordered)))
                }
        }
        _ => orig == back,
    }
}

fn integral_eq(d: f64, i: i128) -> bool {
    d.is_finite() && d.fract() == 0.0 && d.abs() < 1.7e38 && (d as i128) == i
}

/// Whether `v` holds a double that is not finite (QEMU writes `inf`,
/// which is not JSON; `serde_json` writes `null`).
pub fn has_non_finite(v: &Value) -> bool {
    match v {
        Value::Double(d) => !d.is_finite(),
        Value::Array(a) => a.iter().any(has_non_finite),
        Value::Object(m) => m.iter().any(|(_, v)| has_non_finite(v)),
        _ => false,
    }
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(m) => 1 + m.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

/// The checks of [`json_stream`] on one value read with `limits`.
pub fn check_value(v: &Value, limits: Limits) {
    assert!(
        depth(v) <= limits.max_nesting,
        "value nested deeper than {}",
        limits.max_nesting
    );
    let finite = !has_non_finite(v);
    let opts = [
        WriteOptions::COMPACT,
        WriteOptions::QEMU,
        WriteOptions::QEMU_PRETTY,
    ];
    for o in opts {
        let text = qapi::json::value_to_vec(v, &o);
        assert!(text.is_ascii(), "writer output not ASCII: {text:?}");
        // The serde Serializer writes the same bytes as the Value writer.
        let via_serde = qapi::json::to_vec(v, &o).expect("Value serializes");
        assert!(
            via_serde == text,
            "Serializer and writer differ ({o:?}):\n{}\n{}",
            lossy(&text),
            lossy(&via_serde)
        );
        if finite {
            let back = qapi::json::parse_one(&text).unwrap_or_else(|e| {
                panic!(
                    "written value does not read back ({o:?}): {e}\n{}",
                    lossy(&text)
                )
            });
            let ordered = o.key_order == KeyOrder::Insertion;
            assert!(
                same_after_write(v, &back, ordered),
                "value changed by write + read ({o:?}):\n{v:?}\n{}\n{back:?}",
                lossy(&text)
            );
        }
    }
    if finite {
        let text = serde_json::to_vec(v).expect("serde_json writes a Value");
        let back = qapi::json::parse_one(&text).unwrap_or_else(|e| {
            panic!(
                "serde_json output does not read back: {e}\n{}",
                lossy(&text)
            )
        });
        assert!(
            same_after_write(v, &back, true),
            "value changed by serde_json + read:\n{v:?}\n{back:?}"
        );
    }
}

/// QEMU's texts for JSON input errors.
pub fn check_json_error(e: &JsonError) {
    let d = e.desc();
    let ok = match e.kind() {
        JsonErrorKind::Lexical => d.starts_with("JSON parse error, stray '") && d.ends_with('\''),
        JsonErrorKind::Syntax => {
            d.starts_with("JSON parse error, ")
                && !d.starts_with("JSON parse error, stray '")
                && d.len() <= 1023 + 18
        }
        JsonErrorKind::NestingLimit => d == "JSON nesting depth limit exceeded",
        JsonErrorKind::TokenCountLimit => d == "JSON token count limit exceeded",
        JsonErrorKind::TokenSizeLimit => d == "JSON token size limit exceeded",
        JsonErrorKind::NotOneValue => false,
    };
    assert!(ok, "unexpected JSON error {:?}: {d:?}", e.kind());
}

/// Bytes as text, for messages.
pub fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
