//! The reader's fast path: a whole message that needs none of the
//! lexer's and parser's special cases, read in one pass.
//!
//! [`message`] is tried where a message may start. It takes only input
//! whose outcome is certain: a complete object or array in the bytes at
//! hand, with correct structure, no duplicate keys, within the limits;
//! its strings free of escapes and control characters and valid UTF-8
//! whose characters QEMU accepts; its numbers and keywords well formed.
//! Anything else (an escape, a single-quoted string, a byte sequence QEMU
//! would reject or read differently, an error of any kind, a message cut
//! off by the end of the chunk, deep nesting) makes it give up without a
//! trace, and the general reader takes the same bytes from the start. So
//! the fast path never decides an outcome of its own: for what it
//! accepts, the general reader gives the same value.

use std::collections::HashSet;
use std::hash::RandomState;

use super::reader::{Limits, is_duplicate, keyword, parse_float, parse_integer};
use super::strings::{all_valid_chars, plain_run};
use crate::value::{Map, Value};

/// Deepest nesting the fast path follows (it recurses); deeper messages
/// go to the general reader, which keeps its own stack.
const MAX_DEPTH: usize = 32;

/// Reads the message that starts at `text[0]` (a `{` or `[`). Returns
/// the value and the number of bytes it took, or `None` to leave the
/// input to the general reader.
///
/// `text` is the input already checked as UTF-8 (the reader checks a
/// chunk once, not each string), so strings are cut out of it as they
/// are; a message that goes past it is not taken.
pub(super) fn message(text: &str, limits: &Limits, hasher: &RandomState) -> Option<(Value, usize)> {
    // A message must end within the size limit (see below): reading no
    // further bounds the work and the memory spent on one that does not.
    let within = limits.max_token_size.saturating_sub(1).min(text.len());
    let mut r = Fast {
        text,
        buf: &text.as_bytes()[..within],
        pos: 0,
        tokens: 0,
        max_depth: limits.max_nesting.min(MAX_DEPTH),
        hasher,
    };
    let v = r.value(0)?;
    // Every token's bytes lie within the message, and a token counts one
    // byte more: under these bounds no limit can have been reached.
    if r.tokens > limits.max_token_count || r.pos.saturating_add(1) > limits.max_token_size {
        return None;
    }
    Some((v, r.pos))
}

/// The longest prefix of `bytes` that is UTF-8 (what [`message`] reads).
pub(super) fn utf8_prefix(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

struct Fast<'a> {
    text: &'a str,
    /// The bytes of `text` that may be read.
    buf: &'a [u8],
    pos: usize,
    tokens: usize,
    max_depth: usize,
    hasher: &'a RandomState,
}

impl Fast<'_> {
    /// The next byte that is not whitespace (as the lexer skips it).
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        loop {
            let b = *self.buf.get(self.pos)?;
            if !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                return Some(b);
            }
            self.pos += 1;
        }
    }

    /// Consumes a one-byte token.
    #[inline]
    fn punct(&mut self) {
        self.pos += 1;
        self.tokens += 1;
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        match self.peek()? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => self.string().map(Value::String),
            b'-' | b'0'..=b'9' => self.number(),
            b'a'..=b'z' => self.keyword(),
            _ => None,
        }
    }

    /// The members or elements of the container whose opening byte is at
    /// `pos`, each read by `item`, up to the closing byte `close`.
    #[inline]
    fn items(
        &mut self,
        depth: usize,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        if depth > self.max_depth {
            return None;
        }
        self.punct();
        if self.peek()? == close {
            self.punct();
            return Some(());
        }
        loop {
            item(self)?;
            match self.peek()? {
                b',' => self.punct(),
                b if b == close => {
                    self.punct();
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        let mut map = Map::new();
        let mut seen: Option<HashSet<u64>> = None;
        self.items(depth, b'}', |r| {
            if r.peek()? != b'"' {
                return None;
            }
            let key = r.string()?;
            if r.peek()? != b':' {
                return None;
            }
            r.punct();
            let v = r.value(depth)?;
            if is_duplicate(&map, &mut seen, r.hasher, &key) {
                return None;
            }
            map.push_unchecked(key, v);
            Some(())
        })?;
        Some(Value::Object(map))
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        let mut items = Vec::new();
        self.items(depth, b']', |r| {
            items.push(r.value(depth)?);
            Some(())
        })?;
        Some(Value::Array(items))
    }

    /// A double-quoted string without escapes or control characters (the
    /// opening quote at `pos`) whose characters QEMU all accepts: then
    /// QEMU's decoding gives the same text.
    fn string(&mut self) -> Option<String> {
        let start = self.pos + 1;
        let (len, high) = plain_run(self.buf.get(start..)?);
        let end = start + len;
        if *self.buf.get(end)? != b'"' {
            return None;
        }
        // Both ends are next to a quote: character boundaries.
        let s = self.text.get(start..end)?;
        if high && !all_valid_chars(s) {
            return None;
        }
        self.pos = end + 1;
        self.tokens += 1;
        Some(s.to_owned())
    }

    /// A number, cut where the lexer cuts it. The byte after it must be
    /// at hand (a number at the end of the input may go on).
    fn number(&mut self) -> Option<Value> {
        let b = self.buf;
        let start = self.pos;
        let mut p = start;
        if b[p] == b'-' {
            p += 1;
        }
        let first = *b.get(p)?;
        p += 1;
        match first {
            // After a leading zero, a digit is an error and an exponent
            // ends the token before the `e`: neither is for this path.
            b'0' => {
                if matches!(b.get(p)?, b'0'..=b'9' | b'e' | b'E') {
                    return None;
                }
            }
            b'1'..=b'9' => p += digits(&b[p..]),
            _ => return None,
        }
        let mut float = false;
        if *b.get(p)? == b'.' {
            p += 1;
            p += some_digits(&b[p..])?;
            float = true;
        }
        if matches!(b.get(p)?, b'e' | b'E') {
            p += 1;
            if matches!(b.get(p)?, b'+' | b'-') {
                p += 1;
            }
            p += some_digits(&b[p..])?;
            float = true;
        }
        // The token must be seen to end.
        b.get(p)?;
        let text = &b[start..p];
        self.pos = p;
        self.tokens += 1;
        Some(if float {
            Value::Double(parse_float(text))
        } else {
            parse_integer(text)
        })
    }

    fn keyword(&mut self) -> Option<Value> {
        let rest = &self.buf[self.pos..];
        let len = rest.iter().position(|b| !b.is_ascii_lowercase())?;
        let v = keyword(&rest[..len])?;
        self.pos += len;
        self.tokens += 1;
        Some(v)
    }
}

/// Length of the run of ASCII digits at the start of `s`, which must
/// not be empty (a fraction or an exponent).
#[inline]
fn some_digits(s: &[u8]) -> Option<usize> {
    let n = digits(s);
    (n > 0).then_some(n)
}

/// Length of the run of ASCII digits at the start of `s`.
#[inline]
fn digits(s: &[u8]) -> usize {
    s.iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::JsonStreamer;

    /// Every item of `input` fed whole, then byte by byte (where the fast
    /// path never sees a whole message), shown with member order.
    fn both_ways(input: &[u8], limits: Limits) -> (String, String) {
        let mut whole = JsonStreamer::with_limits(limits);
        whole.feed(input);
        whole.flush();
        let mut bytes = JsonStreamer::with_limits(limits);
        for b in input {
            bytes.feed(std::slice::from_ref(b));
        }
        bytes.flush();
        let show = |s: &mut JsonStreamer| format!("{:?}", s.drain().collect::<Vec<_>>());
        (show(&mut whole), show(&mut bytes))
    }

    fn taken(input: &[u8], limits: Limits) -> bool {
        message(utf8_prefix(input), &limits, &RandomState::new()).is_some()
    }

    #[test]
    fn takes_plain_messages_with_the_general_readers_values() {
        let plain: &[&[u8]] = &[
            br#"{"execute": "block-job-cancel", "arguments": {"device": "job0", "force": true}, "id": 7}"#,
            b"{}",
            b"[]",
            b" {\t\"a\"\r\n:\n[ 1 , -2 , 0 , -0 , 0.5 , -0.0 , 1e3 , 1E+3 , 2e-2 , 1.5e400 ] } ",
            b"[null, true, false, 18446744073709551615, 18446744073709551616, -9223372036854775809]",
            b"[\"\x7f ~'\", {\"\": {}}, [[[]]]]",
            br#"{"b": 1, "a": 2, "c": {"z": 0, "y": 1}}"#,
            "{\"é\": \"\u{10FFFD} \u{FFFD} ü\"}".as_bytes(),
            b"[\"0123456789abcdef\", \"0123456\", \"01234567\", \"012345678\"]",
        ];
        for input in plain {
            let len = input
                .iter()
                .rposition(|b| *b == b'}' || *b == b']')
                .unwrap()
                + 1;
            let start = input.iter().position(|b| *b == b'{' || *b == b'[').unwrap();
            let got = message(
                utf8_prefix(&input[start..]),
                &Limits::QEMU,
                &RandomState::new(),
            );
            assert_eq!(got.map(|(_, n)| n), Some(len - start), "{input:?}");
            let (whole, bytes) = both_ways(input, Limits::QEMU);
            assert_eq!(whole, bytes, "{}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn leaves_everything_else_to_the_general_reader() {
        let other: &[&[u8]] = &[
            br#"{"a": "\n"}"#,
            "{\"a\": \"\u{FDD0}\"}".as_bytes(),
            "[\"01234567\u{FFFF}\"]".as_bytes(),
            b"{\"a\": \"\xc0\x80\"}",
            b"{\"a\": \"\xed\xa0\x80\"}",
            b"{\"a\": \"\xc3\"}",
            b"{\"a\": \"\xfe\"}",
            b"[\"01234567\x1f\"]",
            b"[\"0123456\\n\"]",
            b"{'a': 1}",
            b"{\"a\": \"\x01\"}",
            br#"{"a": 1, "a": 2}"#,
            br#"{"a": 01}"#,
            br#"{"a": 0e1}"#,
            br#"{"a": 1.}"#,
            br#"{"a": 1e}"#,
            br#"{"a": -}"#,
            br#"{"a": .5}"#,
            br#"{"a": tru}"#,
            br#"{"a": TRUE}"#,
            br#"{"a" 1}"#,
            br#"{"a": 1,}"#,
            br#"[1 2]"#,
            br#"{1: 2}"#,
            br#"{"a": 1"#,
            b"[1",
            b"{\"a\":\x0c1}",
            b"[\x0c1]",
        ];
        for input in other {
            assert!(
                !taken(input, Limits::QEMU),
                "{}",
                String::from_utf8_lossy(input)
            );
            let (whole, bytes) = both_ways(input, Limits::QEMU);
            assert_eq!(whole, bytes, "{}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn leaves_messages_at_or_near_the_limits() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes();
        assert!(taken(&deep(MAX_DEPTH), Limits::QEMU));
        assert!(!taken(&deep(MAX_DEPTH + 1), Limits::QEMU));
        let small = Limits {
            max_nesting: 2,
            max_token_count: 5,
            max_token_size: 12,
        };
        for (input, ok) in [
            (&b"[[]]"[..], true),
            (b"[[[]]]", false),
            (b"[1, 2]", true),
            (b"[1, 2, 3]", false),
            (b"[\"abcdefg\"]", true),
            (b"[\"abcdefgh\"]", false),
        ] {
            assert_eq!(
                taken(input, small),
                ok,
                "{}",
                String::from_utf8_lossy(input)
            );
            let (whole, bytes) = both_ways(input, small);
            assert_eq!(whole, bytes, "{}", String::from_utf8_lossy(input));
        }
    }
}
