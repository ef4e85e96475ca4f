//! String handling shared by the reader and the writer: QEMU's modified
//! UTF-8 rules (U+0000 may be encoded as `C0 80`; surrogates and the 66
//! Unicode noncharacters are invalid), the decoder for JSON string tokens
//! and the escaping writer.

/// Whether QEMU accepts `cp` as a Unicode character: in range, not a
/// surrogate, not a noncharacter.
#[inline]
pub(crate) fn is_valid_codepoint(cp: i64) -> bool {
    if !(0..=0x10FFFF).contains(&cp) {
        return false;
    }
    if (0xFDD0..=0xFDEF).contains(&cp) || (cp & 0xFFFE) == 0xFFFE {
        return false;
    }
    !(0xD800..=0xDFFF).contains(&cp)
}

/// Whether QEMU accepts every character of `s` (no noncharacters).
pub(crate) fn all_valid_chars(s: &str) -> bool {
    s.chars()
        .all(|c| is_valid_codepoint(i64::from(u32::from(c))))
}

/// Decodes one modified-UTF-8 sequence at `s[pos..]`, treating the end of
/// `s` as a terminating zero byte. Returns the code point (`-1` when the
/// sequence is invalid) and the position after the bytes consumed, with
/// QEMU's rules for how many bytes an invalid sequence consumes.
pub(crate) fn mod_utf8_codepoint(s: &[u8], pos: usize) -> (i64, usize) {
    let Some(&first) = s.get(pos) else {
        return (-1, pos);
    };
    if first == 0 {
        return (-1, pos);
    }
    let mut p = pos + 1;
    if first < 0x80 {
        return (i64::from(first), p);
    }
    if first >= 0xFE || first & 0x40 == 0 {
        // Impossible byte or unexpected continuation byte.
        return (-1, p);
    }
    let len = first.leading_ones() as usize; // 2..=6
    let mut cp = i64::from(first) & ((1i64 << (7 - len)) - 1);
    for _ in 1..len {
        let b = s.get(p).copied().unwrap_or(0);
        if b & 0xC0 != 0x80 {
            return (-1, p);
        }
        p += 1;
        cp = (cp << 6) | i64::from(b & 0x3F);
    }
    const MIN_CP: [i64; 5] = [0x80, 0x800, 0x10000, 0x200000, 0x4000000];
    if !is_valid_codepoint(cp) || (cp < MIN_CP[len - 2] && !(cp == 0 && len == 2)) {
        return (-1, p);
    }
    (cp, p)
}

/// Turns bytes QEMU would print with `%s` into the text its JSON writer
/// would show: the text stops at the first zero byte, and every invalid
/// sequence becomes U+FFFD.
pub(crate) fn render_c_bytes(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let bytes = &bytes[..end];
    if let Ok(s) = std::str::from_utf8(bytes)
        && all_valid_chars(s)
    {
        return s.to_owned();
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    let mut pos = 0;
    while pos < bytes.len() {
        let (cp, next) = mod_utf8_codepoint(bytes, pos);
        let next = next.max(pos + 1);
        let c = u32::try_from(cp)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or('\u{FFFD}');
        out.push(c);
        pos = next;
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// For each byte: 0 = copied as is, else the escape kind.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0A] = b'n';
    t[0x0C] = b'f';
    t[0x0D] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t[0x7F] = b'u';
    let mut i = 0x80;
    while i < 0x100 {
        t[i] = 0xFF;
        i += 1;
    }
    t
};

#[inline]
fn push_u_escape(out: &mut Vec<u8>, cp: u32) {
    out.extend_from_slice(&[
        b'\\',
        b'u',
        HEX[(cp >> 12) as usize & 0xF],
        HEX[(cp >> 8) as usize & 0xF],
        HEX[(cp >> 4) as usize & 0xF],
        HEX[cp as usize & 0xF],
    ]);
}

/// Appends `s` as a JSON string the way QEMU's writer does: pure ASCII,
/// `\"` `\\` `\b` `\f` `\n` `\r` `\t`, every other code point below 0x20
/// or from 0x7F up as `\uXXXX` (upper-case hex, surrogate pairs above
/// U+FFFF; noncharacters as `\uFFFD`).
pub(crate) fn write_quoted(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let esc = ESCAPE[b as usize];
        if esc == 0 {
            i += 1;
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        match esc {
            b'u' => {
                push_u_escape(out, u32::from(b));
                i += 1;
            }
            0xFF => {
                // A multi-byte UTF-8 sequence (the &str is valid UTF-8).
                let len = b.leading_ones() as usize;
                let mut cp = u32::from(b) & ((1u32 << (7 - len)) - 1);
                for &c in &bytes[i + 1..i + len] {
                    cp = (cp << 6) | u32::from(c & 0x3F);
                }
                i += len;
                if !is_valid_codepoint(i64::from(cp)) {
                    push_u_escape(out, 0xFFFD);
                } else if cp > 0xFFFF {
                    let v = cp - 0x10000;
                    push_u_escape(out, 0xD800 + (v >> 10));
                    push_u_escape(out, 0xDC00 + (v & 0x3FF));
                } else {
                    push_u_escape(out, cp);
                }
            }
            c => {
                out.push(b'\\');
                out.push(c);
                i += 1;
            }
        }
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// The length of the run of string bytes at the start of `s` that need
/// no decoding (up to a double quote, a backslash or a control
/// character, or the end of `s`), and whether the run has a byte of 0x80
/// or more. Eight bytes at a time.
#[inline]
pub(crate) fn plain_run(s: &[u8]) -> (usize, bool) {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut high = 0u64;
    let mut words = s.chunks_exact(8);
    for (n, word) in (&mut words).enumerate() {
        let w = u64::from_le_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]);
        // A byte's high bit is set in each term if the byte is a zero of
        // the term (respectively, below 0x20); a byte above one so found
        // may be set wrongly, so the lowest set byte is a true stop.
        let quote = w ^ (LO * u64::from(b'"'));
        let backslash = w ^ (LO * u64::from(b'\\'));
        let stop = (quote.wrapping_sub(LO) & !quote
            | backslash.wrapping_sub(LO) & !backslash
            | w.wrapping_sub(LO * 0x20) & !w)
            & HI;
        if stop != 0 {
            let k = (stop.trailing_zeros() / 8) as usize;
            high |= w & ((1u64 << (8 * k)) - 1) & HI;
            return (n * 8 + k, high != 0);
        }
        high |= w & HI;
    }
    let tail = words.remainder();
    let k = tail
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(tail.len());
    high |= tail[..k].iter().fold(0, |h, &b| h | u64::from(b & 0x80));
    (s.len() - tail.len() + k, high != 0)
}

fn hex_digit(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'a'..=b'f' => Some(u32::from(c - b'a' + 10)),
        b'A'..=b'F' => Some(u32::from(c - b'A' + 10)),
        _ => None,
    }
}

/// Four hex digits at `tok[p..]` (the end of `tok` reads as a zero byte),
/// or -1.
fn cvt4hex(tok: &[u8], p: usize) -> i64 {
    let mut cp = 0i64;
    for k in 0..4 {
        match tok.get(p + k).copied().and_then(hex_digit) {
            Some(d) => cp = (cp << 4) | i64::from(d),
            None => return -1,
        }
    }
    cp
}

fn push_char(out: &mut Vec<u8>, cp: i64) {
    let c = u32::try_from(cp)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{FFFD}');
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Decodes a complete string token (quotes included, either `"` or `'`)
/// with QEMU's rules. The error is the text after `JSON parse error, `.
pub(crate) fn decode_string(tok: &[u8]) -> Result<String, String> {
    // The lexer only hands over tokens that open and close with a quote.
    if tok.len() < 2 {
        return Ok(String::new());
    }
    let body = &tok[1..tok.len() - 1];
    // Plain ASCII all through (a single-quoted string with a `"` in it
    // takes the general way below).
    if plain_run(body) == (body.len(), false)
        && let Ok(s) = std::str::from_utf8(body)
    {
        return Ok(s.to_owned());
    }
    let mut out: Vec<u8> = Vec::with_capacity(body.len());
    // Positions below index the whole token, so that lookahead past the
    // closing quote behaves as in C (reads the quote, then a zero byte).
    let end = tok.len() - 1;
    let mut p = 1;
    while p < end {
        let b = tok[p];
        if b == b'\\' {
            let beg = p;
            let e = tok.get(p + 1).copied().unwrap_or(0);
            p += 2;
            let simple = match e {
                b'"' => Some(b'"'),
                b'\'' => Some(b'\''),
                b'\\' => Some(b'\\'),
                b'/' => Some(b'/'),
                b'b' => Some(0x08),
                b'f' => Some(0x0C),
                b'n' => Some(b'\n'),
                b'r' => Some(b'\r'),
                b't' => Some(b'\t'),
                b'u' => None,
                _ => return Err("invalid escape sequence in string".to_owned()),
            };
            if let Some(c) = simple {
                out.push(c);
                continue;
            }
            let mut cp = cvt4hex(tok, p);
            p += 4;
            if (0xD800..=0xDBFF).contains(&cp)
                && tok.get(p) == Some(&b'\\')
                && tok.get(p + 1) == Some(&b'u')
            {
                cp = 0x10000 + ((cp & 0x3FF) << 10);
                let trailing = cvt4hex(tok, p + 2);
                if (0xDC00..=0xDFFF).contains(&trailing) {
                    cp |= trailing & 0x3FF;
                    p += 6;
                } else {
                    cp = -1;
                }
            }
            if !is_valid_codepoint(cp) {
                let shown = render_c_bytes(&tok[beg..p.min(tok.len())]);
                return Err(format!("{shown} is not a valid Unicode character"));
            }
            push_char(&mut out, cp);
        } else if b < 0x80 {
            // Copy the ASCII run.
            let run_end = tok[p..end]
                .iter()
                .position(|&c| c == b'\\' || c >= 0x80)
                .map_or(end, |n| p + n);
            out.extend_from_slice(&tok[p..run_end]);
            p = run_end;
        } else {
            let (cp, next) = mod_utf8_codepoint(tok, p);
            if cp < 0 {
                return Err("invalid UTF-8 sequence in string".to_owned());
            }
            if cp == 0 {
                out.push(0);
            } else {
                out.extend_from_slice(&tok[p..next]);
            }
            p = next;
        }
    }
    String::from_utf8(out).map_err(|_| "invalid UTF-8 sequence in string".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_runs_stop_where_a_bytewise_scan_stops() {
        let naive = |s: &[u8]| {
            let k = s
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(s.len());
            (k, s[..k].iter().any(|&b| b >= 0x80))
        };
        let fills = [b'a', 0x20, 0x7f, 0x80, 0xff, b'!', b'#', b'[', b']'];
        let stops = [b'"', b'\\', 0, 0x1f, b'\n'];
        for len in 0..=24 {
            for fill in fills {
                let base = vec![fill; len];
                assert_eq!(plain_run(&base), naive(&base));
                for at in 0..len {
                    for stop in stops {
                        for other in [fill, b'x', 0xc3, stop] {
                            let mut s = base.clone();
                            s[at] = stop;
                            if at + 1 < len {
                                s[at + 1] = other;
                            }
                            if at > 0 {
                                s[at - 1] = other.max(0x20);
                            }
                            assert_eq!(plain_run(&s), naive(&s), "{s:?}");
                        }
                    }
                }
            }
        }
    }

    fn q(s: &str) -> String {
        let mut out = Vec::new();
        write_quoted(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn quoting() {
        assert_eq!(q("a\"b\\c/"), r#""a\"b\\c/""#);
        assert_eq!(
            q("\u{8}\u{c}\n\r\t\u{1}\u{7f}"),
            r#""\b\f\n\r\t\u0001\u007F""#
        );
        assert_eq!(q("\u{e9}\u{1F600}"), r#""\u00E9\uD83D\uDE00""#);
        assert_eq!(q("\0"), r#""\u0000""#);
        assert_eq!(q("\u{FFFE}\u{FDD0}"), r#""\uFFFD\uFFFD""#);
    }

    #[test]
    fn decoding() {
        assert_eq!(decode_string(br#""abc""#).unwrap(), "abc");
        assert_eq!(decode_string(br#"'a\'b"c'"#).unwrap(), "a'b\"c");
        assert_eq!(
            decode_string(br#""\u00e9\ud83d\ude00""#).unwrap(),
            "\u{e9}\u{1F600}"
        );
        assert_eq!(decode_string(b"\"a\xc0\x80b\"").unwrap(), "a\0b");
        assert_eq!(decode_string(br#""a\u0000b""#).unwrap(), "a\0b");
        assert_eq!(
            decode_string(br#""\q""#).unwrap_err(),
            "invalid escape sequence in string"
        );
        assert_eq!(
            decode_string(br#""\ud800""#).unwrap_err(),
            "\\ud800 is not a valid Unicode character"
        );
        assert_eq!(
            decode_string(br#""\u12""#).unwrap_err(),
            "\\u12\" is not a valid Unicode character"
        );
        assert_eq!(
            decode_string(br#""\udbff\udfff""#).unwrap_err(),
            "\\udbff\\udfff is not a valid Unicode character"
        );
        assert_eq!(
            decode_string(b"\"\xc3\"").unwrap_err(),
            "invalid UTF-8 sequence in string"
        );
        assert_eq!(
            decode_string(b"\"\xef\xbf\xbe\"").unwrap_err(),
            "invalid UTF-8 sequence in string"
        );
    }

    #[test]
    fn rendering() {
        assert_eq!(render_c_bytes(b"\xff"), "\u{FFFD}");
        assert_eq!(render_c_bytes(b"\"\x01"), "\"\u{1}");
        assert_eq!(render_c_bytes(b"ab\0cd"), "ab");
        assert_eq!(render_c_bytes(b"\xc3\xa9\xe2\x82"), "\u{e9}\u{FFFD}");
    }
}
