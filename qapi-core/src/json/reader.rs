//! The streaming JSON reader: QEMU's lexer → streamer → parser pipeline.
//!
//! * The lexer cuts bytes into tokens. A byte that cannot start or
//!   continue a token is a lexical error (`stray '…'`); it then skips
//!   input until a structural character, a control character other than
//!   TAB, or 0xFE/0xFF.
//! * The streamer groups tokens into messages: a message ends when the
//!   brace/bracket depth returns to 0 (or below), so a scalar at depth 0
//!   is a message of its own. It enforces the limits, and a lexical error
//!   or a limit error throws away the partial message.
//! * The parser turns a message into a [`Value`]. Here it runs token by
//!   token as the message arrives (no token list is kept); the first
//!   error is remembered and reported when the message ends, so the
//!   outcome is what QEMU's parser, run on the whole message, reports.
//!
//! Before all this, where a message starts, the [fast path](super::fast)
//! tries to read the whole message in one pass. It takes only messages
//! whose value is certain (the usual, well-formed request) and otherwise
//! leaves the bytes to the pipeline above.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, RandomState};

use super::error::{JsonError, JsonErrorKind};
use super::fast;
use super::strings::{decode_string, render_c_bytes};
use crate::value::{Map, Value};

/// Limits on one message, as QEMU's JSON streamer has them.
///
/// They also bound the reader's memory: the token buffer never exceeds
/// `max_token_size + 1` bytes, and a partial message is at most
/// `max_token_count` tokens. (Values nested much deeper than QEMU's 1024
/// levels may exhaust the stack when they are dropped, which is
/// recursive; typed decoding refuses them.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Deepest allowed brace + bracket nesting (QEMU: 1024).
    pub max_nesting: usize,
    /// Most tokens in one message (QEMU: 2 097 152).
    pub max_token_count: usize,
    /// Limit on the bytes of one token, and on the bytes of all tokens of
    /// a message (each new token counting one extra byte) (QEMU: 64 MiB).
    pub max_token_size: usize,
}

impl Limits {
    /// QEMU's limits.
    pub const QEMU: Limits = Limits {
        max_nesting: 1024,
        max_token_count: 2 << 20,
        max_token_size: 64 << 20,
    };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::QEMU
    }
}

/// Lexer states (QEMU's, minus interpolation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lex {
    Start,
    Recovery,
    DqString,
    DqEscape,
    SqString,
    SqEscape,
    Zero,
    Digits,
    Sign,
    Mantissa,
    MantissaDigits,
    ExpE,
    ExpSign,
    ExpDigits,
    Keyword,
}

/// Token types. `Overlong` is a token cut off by the lexer's size limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    LCurly,
    RCurly,
    LSquare,
    RSquare,
    Comma,
    Colon,
    Integer,
    Float,
    Keyword,
    String,
    Error,
    Overlong,
}

const fn string_plain_table(quote: u8) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0x20;
    while i <= 0xFD {
        t[i] = true;
        i += 1;
    }
    t[quote as usize] = false;
    t[b'\\' as usize] = false;
    t
}

/// Bytes that continue a double-/single-quoted string without changing
/// the lexer state.
static DQ_PLAIN: [bool; 256] = string_plain_table(b'"');
static SQ_PLAIN: [bool; 256] = string_plain_table(b'\'');

/// Bytes that end error recovery (they are then lexed normally).
static RECOVERY_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'\t' as usize] = false;
    t[0xFE] = true;
    t[0xFF] = true;
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b':' as usize] = true;
    t[b',' as usize] = true;
    t
};

/// Streaming reader of QMP input with QEMU 10.0's behaviour.
///
/// Feed it bytes in chunks of any size; each complete top-level value
/// becomes an `Ok(Value)`, each error an `Err(JsonError)` with QEMU's
/// text, in input order. Take them with [`pop`](Self::pop) or
/// [`drain`](Self::drain), or use [`feed_with`](Self::feed_with).
///
/// ```
/// use qapi_core::json::JsonStreamer;
/// let mut s = JsonStreamer::new();
/// s.feed(b"{\"execute\": \"qmp_capab");
/// assert!(s.pop().is_none());
/// s.feed(b"ilities\"} 01}");
/// let items: Vec<_> = s.drain().collect();
/// assert!(items[0].is_ok());
/// assert_eq!(items[1].as_ref().unwrap_err().desc(), "JSON parse error, stray '01'");
/// assert_eq!(items[2].as_ref().unwrap_err().desc(), "JSON parse error, expecting value");
/// ```
#[derive(Debug)]
pub struct JsonStreamer {
    limits: Limits,
    lex: Lex,
    /// Bytes of the token in progress that came in earlier chunks.
    tok: Vec<u8>,
    brace: i64,
    bracket: i64,
    token_count: usize,
    token_size: usize,
    parser: Parser,
    out: VecDeque<Result<Value, JsonError>>,
}

impl Default for JsonStreamer {
    fn default() -> JsonStreamer {
        JsonStreamer::new()
    }
}

impl JsonStreamer {
    /// A reader with QEMU's limits.
    pub fn new() -> JsonStreamer {
        JsonStreamer::with_limits(Limits::QEMU)
    }

    /// A reader with the given limits.
    pub fn with_limits(limits: Limits) -> JsonStreamer {
        JsonStreamer {
            limits,
            lex: Lex::Start,
            tok: Vec::new(),
            brace: 0,
            bracket: 0,
            token_count: 0,
            token_size: 0,
            parser: Parser::new(),
            out: VecDeque::new(),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Takes the oldest item produced so far.
    pub fn pop(&mut self) -> Option<Result<Value, JsonError>> {
        self.out.pop_front()
    }

    /// Takes all items produced so far, oldest first.
    pub fn drain(&mut self) -> impl Iterator<Item = Result<Value, JsonError>> + '_ {
        self.out.drain(..)
    }

    /// Number of items waiting to be taken.
    pub fn ready(&self) -> usize {
        self.out.len()
    }

    /// Whether part of a message (or of a token) has been read and not
    /// yet answered.
    pub fn is_partial(&self) -> bool {
        !matches!(self.lex, Lex::Start | Lex::Recovery) || self.token_count > 0
    }

    /// Forgets all input and pending items, as a new connection.
    pub fn reset(&mut self) {
        self.lex = Lex::Start;
        self.tok.clear();
        self.reset_message();
        self.out.clear();
    }

    /// Feeds `bytes` and hands every item produced to `f`, in order.
    pub fn feed_with(&mut self, bytes: &[u8], mut f: impl FnMut(Result<Value, JsonError>)) {
        self.feed(bytes);
        for item in self.out.drain(..) {
            f(item);
        }
    }

    /// Signals the end of input, as QEMU's `json_message_parser_flush`:
    /// a token in progress is finished (or is a lexical error), then a
    /// partial message is parsed as it stands (typically giving
    /// `JSON parse error, premature EOI`).
    pub fn flush(&mut self) {
        let kind = match self.lex {
            Lex::Start | Lex::Recovery => None,
            Lex::Zero | Lex::Digits => Some(Tok::Integer),
            Lex::MantissaDigits | Lex::ExpDigits => Some(Tok::Float),
            Lex::Keyword => Some(Tok::Keyword),
            Lex::DqString
            | Lex::DqEscape
            | Lex::SqString
            | Lex::SqEscape
            | Lex::Sign
            | Lex::Mantissa
            | Lex::ExpE
            | Lex::ExpSign => Some(Tok::Error),
        };
        self.lex = Lex::Start;
        if let Some(kind) = kind {
            self.emit(kind, &[], 0, 0);
        }
        if self.token_count > 0 {
            let r = self.parser.finish();
            self.out.push_back(r);
            self.reset_message();
        }
    }

    /// Feeds input bytes; the items produced wait in the reader until
    /// taken (feed bounded chunks to bound that queue).
    pub fn feed(&mut self, buf: &[u8]) {
        let n = buf.len();
        let mut i = 0;
        // Where the current token's bytes in `buf` begin (its earlier
        // bytes, if any, are in `self.tok`).
        let mut start = 0;
        // For the fast path: `buf` from `utf8.0` on, as far as it is
        // UTF-8 (checked once per chunk, when first needed).
        let mut utf8: Option<(usize, &str)> = None;
        while i < n {
            match self.lex {
                Lex::Start => {
                    let b = buf[i];
                    if (b == b'{' || b == b'[') && self.token_count == 0 {
                        // A new message: try to read it whole.
                        let (at, text) =
                            *utf8.get_or_insert_with(|| (i, fast::utf8_prefix(&buf[i..])));
                        if let Some(text) = text.get(i - at..)
                            && let Some((v, len)) =
                                fast::message(text, &self.limits, &self.parser.hasher)
                        {
                            self.out.push_back(Ok(v));
                            i += len;
                            continue;
                        }
                    }
                    let single = match b {
                        b' ' | b'\t' | b'\r' | b'\n' => {
                            i += 1;
                            continue;
                        }
                        b'{' => Some(Tok::LCurly),
                        b'}' => Some(Tok::RCurly),
                        b'[' => Some(Tok::LSquare),
                        b']' => Some(Tok::RSquare),
                        b',' => Some(Tok::Comma),
                        b':' => Some(Tok::Colon),
                        _ => None,
                    };
                    if let Some(kind) = single {
                        self.token(kind, &buf[i..i + 1]);
                        i += 1;
                        continue;
                    }
                    let next = match b {
                        b'"' => Lex::DqString,
                        b'\'' => Lex::SqString,
                        b'0' => Lex::Zero,
                        b'1'..=b'9' => Lex::Digits,
                        b'-' => Lex::Sign,
                        b'a'..=b'z' => Lex::Keyword,
                        _ => {
                            self.token(Tok::Error, &buf[i..i + 1]);
                            i += 1;
                            self.lex = Lex::Recovery;
                            continue;
                        }
                    };
                    start = i;
                    i += 1;
                    self.lex = next;
                    self.check_overflow(buf, start, i);
                }
                Lex::Recovery => {
                    while i < n && !RECOVERY_STOP[buf[i] as usize] {
                        i += 1;
                    }
                    if i < n {
                        self.lex = Lex::Start;
                    }
                }
                Lex::DqString | Lex::SqString => {
                    let (quote, plain, escape) = if self.lex == Lex::DqString {
                        (b'"', &DQ_PLAIN, Lex::DqEscape)
                    } else {
                        (b'\'', &SQ_PLAIN, Lex::SqEscape)
                    };
                    // Plain bytes that fit within the token size limit.
                    let len = self.tok.len() + (i - start);
                    let room = self.limits.max_token_size.saturating_sub(len);
                    let safe_end = n.min(i.saturating_add(room));
                    let mut j = i;
                    while j < safe_end && plain[buf[j] as usize] {
                        j += 1;
                    }
                    if j == n {
                        i = n;
                        continue;
                    }
                    let b = buf[j];
                    i = j + 1;
                    if b == quote {
                        self.lex = Lex::Start;
                        self.emit(Tok::String, buf, start, i);
                    } else if b == b'\\' {
                        self.lex = escape;
                        self.check_overflow(buf, start, i);
                    } else if plain[b as usize] {
                        // The byte that takes the token over the limit.
                        self.check_overflow(buf, start, i);
                    } else {
                        self.lex = Lex::Recovery;
                        self.emit(Tok::Error, buf, start, i);
                    }
                }
                Lex::DqEscape | Lex::SqEscape => {
                    let b = buf[i];
                    i += 1;
                    if (0x20..=0xFD).contains(&b) {
                        self.lex = if self.lex == Lex::DqEscape {
                            Lex::DqString
                        } else {
                            Lex::SqString
                        };
                        self.check_overflow(buf, start, i);
                    } else {
                        self.lex = Lex::Recovery;
                        self.emit(Tok::Error, buf, start, i);
                    }
                }
                state => {
                    // Numbers and keywords. First a run of bytes that keep
                    // the state (digits, or letters of a keyword), as far
                    // as the token size limit allows.
                    if matches!(
                        state,
                        Lex::Digits | Lex::MantissaDigits | Lex::ExpDigits | Lex::Keyword
                    ) {
                        let len = self.tok.len() + (i - start);
                        let room = self.limits.max_token_size.saturating_sub(len);
                        let safe_end = n.min(i.saturating_add(room));
                        let j = if state == Lex::Keyword {
                            buf[i..safe_end]
                                .iter()
                                .position(|b| !b.is_ascii_lowercase())
                        } else {
                            buf[i..safe_end].iter().position(|b| !b.is_ascii_digit())
                        };
                        match j {
                            Some(k) => i += k,
                            None => {
                                i = safe_end;
                                if i == n {
                                    continue;
                                }
                            }
                        }
                    }
                    let b = buf[i];
                    let digit = b.is_ascii_digit();
                    let next = match state {
                        Lex::Zero => match b {
                            b'0'..=b'9' => Err(true),
                            b'.' => Ok(Lex::Mantissa),
                            _ => Err(false),
                        },
                        Lex::Digits => match b {
                            b'0'..=b'9' => Ok(Lex::Digits),
                            b'e' | b'E' => Ok(Lex::ExpE),
                            b'.' => Ok(Lex::Mantissa),
                            _ => Err(false),
                        },
                        Lex::Sign => match b {
                            b'0' => Ok(Lex::Zero),
                            b'1'..=b'9' => Ok(Lex::Digits),
                            _ => Err(true),
                        },
                        Lex::Mantissa => {
                            if digit {
                                Ok(Lex::MantissaDigits)
                            } else {
                                Err(true)
                            }
                        }
                        Lex::MantissaDigits => match b {
                            b'0'..=b'9' => Ok(Lex::MantissaDigits),
                            b'e' | b'E' => Ok(Lex::ExpE),
                            _ => Err(false),
                        },
                        Lex::ExpE => match b {
                            b'-' | b'+' => Ok(Lex::ExpSign),
                            b'0'..=b'9' => Ok(Lex::ExpDigits),
                            _ => Err(true),
                        },
                        Lex::ExpSign => {
                            if digit {
                                Ok(Lex::ExpDigits)
                            } else {
                                Err(true)
                            }
                        }
                        Lex::ExpDigits => {
                            if digit {
                                Ok(Lex::ExpDigits)
                            } else {
                                Err(false)
                            }
                        }
                        Lex::Keyword => {
                            if b.is_ascii_lowercase() {
                                Ok(Lex::Keyword)
                            } else {
                                Err(false)
                            }
                        }
                        _ => Err(true),
                    };
                    match next {
                        Ok(s) => {
                            i += 1;
                            self.lex = s;
                            self.check_overflow(buf, start, i);
                        }
                        Err(true) => {
                            // The byte is part of the bad token.
                            i += 1;
                            self.lex = Lex::Recovery;
                            self.emit(Tok::Error, buf, start, i);
                        }
                        Err(false) => {
                            // The token ended before this byte; lex it anew.
                            let kind = match state {
                                Lex::Zero | Lex::Digits => Tok::Integer,
                                Lex::Keyword => Tok::Keyword,
                                _ => Tok::Float,
                            };
                            self.lex = Lex::Start;
                            self.emit(kind, buf, start, i);
                        }
                    }
                }
            }
        }
        if !matches!(self.lex, Lex::Start | Lex::Recovery) {
            self.tok.extend_from_slice(&buf[start..n]);
        }
    }

    /// After a byte was added to a token that goes on: a token longer than
    /// the size limit is cut off and handed on as it is.
    #[inline]
    fn check_overflow(&mut self, buf: &[u8], start: usize, end: usize) {
        if self.tok.len() + (end - start) > self.limits.max_token_size {
            self.lex = Lex::Start;
            self.emit(Tok::Overlong, buf, start, end);
        }
    }

    /// Hands on the token made of `self.tok` and `buf[start..end]`.
    fn emit(&mut self, kind: Tok, buf: &[u8], start: usize, end: usize) {
        if self.tok.is_empty() {
            self.token(kind, &buf[start..end]);
        } else {
            let mut t = std::mem::take(&mut self.tok);
            t.extend_from_slice(&buf[start..end]);
            self.token(kind, &t);
            t.clear();
            if t.capacity() > 1 << 16 {
                t = Vec::new();
            }
            self.tok = t;
        }
    }

    /// The streamer: one token.
    fn token(&mut self, kind: Tok, text: &[u8]) {
        match kind {
            Tok::LCurly => self.brace += 1,
            Tok::RCurly => self.brace -= 1,
            Tok::LSquare => self.bracket += 1,
            Tok::RSquare => self.bracket -= 1,
            Tok::Error => {
                let desc = format!("JSON parse error, stray '{}'", render_c_bytes(text));
                self.fail(JsonError::new(JsonErrorKind::Lexical, desc));
                return;
            }
            _ => {}
        }
        let limits = &self.limits;
        if self.token_size.saturating_add(text.len()).saturating_add(1) > limits.max_token_size {
            self.fail(JsonError::new(
                JsonErrorKind::TokenSizeLimit,
                "JSON token size limit exceeded",
            ));
            return;
        }
        if self.token_count.saturating_add(1) > limits.max_token_count {
            self.fail(JsonError::new(
                JsonErrorKind::TokenCountLimit,
                "JSON token count limit exceeded",
            ));
            return;
        }
        if self.brace + self.bracket > i64::try_from(limits.max_nesting).unwrap_or(i64::MAX) {
            self.fail(JsonError::new(
                JsonErrorKind::NestingLimit,
                "JSON nesting depth limit exceeded",
            ));
            return;
        }
        self.token_size += text.len();
        self.token_count += 1;
        self.parser.push(kind, text);
        if (self.brace > 0 || self.bracket > 0) && self.brace >= 0 && self.bracket >= 0 {
            return;
        }
        let r = self.parser.finish();
        self.out.push_back(r);
        self.reset_message();
    }

    fn fail(&mut self, err: JsonError) {
        self.out.push_back(Err(err));
        self.reset_message();
    }

    fn reset_message(&mut self) {
        self.brace = 0;
        self.bracket = 0;
        self.token_count = 0;
        self.token_size = 0;
        self.parser.reset();
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ArrState {
    /// After `[`.
    Open,
    /// After `,`.
    Comma,
    /// After an element.
    Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ObjState {
    /// After `{`.
    Open,
    /// After `,`.
    Comma,
    /// After a key.
    Key,
    /// After `:`.
    Colon,
    /// After a member's value.
    Value,
}

#[derive(Debug)]
enum Frame {
    Array {
        items: Vec<Value>,
        state: ArrState,
    },
    Object {
        map: Map,
        key: Option<String>,
        state: ObjState,
        /// Hashes of the keys, once the object is big enough to need them.
        seen: Option<HashSet<u64>>,
    },
}

/// What the parser does with a token, decided before touching the stack.
enum Step {
    Value,
    Close,
    Array(ArrState),
    Object(ObjState),
    Fail(&'static str),
}

/// QEMU's recursive-descent parser run as a push parser: the same
/// grammar, the same first error.
#[derive(Debug)]
struct Parser {
    stack: Vec<Frame>,
    err: Option<JsonError>,
    done: Option<Value>,
    hasher: RandomState,
}

/// Objects with at least this many members check for duplicate keys
/// through a hash set instead of a scan.
const DUP_SCAN_MAX: usize = 16;

impl Parser {
    fn new() -> Parser {
        Parser {
            stack: Vec::new(),
            err: None,
            done: None,
            hasher: RandomState::new(),
        }
    }

    fn reset(&mut self) {
        self.stack.clear();
        self.err = None;
        self.done = None;
    }

    fn finish(&mut self) -> Result<Value, JsonError> {
        let r = match (self.err.take(), self.done.take()) {
            (Some(e), _) => Err(e),
            (None, Some(v)) => Ok(v),
            (None, None) => Err(JsonError::syntax("premature EOI")),
        };
        self.reset();
        r
    }

    fn push(&mut self, kind: Tok, text: &[u8]) {
        if self.err.is_some() {
            return;
        }
        let step = match self.stack.last() {
            None if self.done.is_some() => Step::Fail("expecting value"),
            None => Step::Value,
            Some(Frame::Array { state, .. }) => match (*state, kind) {
                (ArrState::Open, Tok::RSquare) | (ArrState::Value, Tok::RSquare) => Step::Close,
                (ArrState::Open | ArrState::Comma, _) => Step::Value,
                (ArrState::Value, Tok::Comma) => Step::Array(ArrState::Comma),
                (ArrState::Value, _) => Step::Fail("expected separator in list"),
            },
            Some(Frame::Object { state, .. }) => match (*state, kind) {
                (ObjState::Open, Tok::RCurly) | (ObjState::Value, Tok::RCurly) => Step::Close,
                (ObjState::Open | ObjState::Comma | ObjState::Colon, _) => Step::Value,
                (ObjState::Key, Tok::Colon) => Step::Object(ObjState::Colon),
                (ObjState::Key, _) => Step::Fail("missing : in object pair"),
                (ObjState::Value, Tok::Comma) => Step::Object(ObjState::Comma),
                (ObjState::Value, _) => Step::Fail("expected separator in dict"),
            },
        };
        match step {
            Step::Value => self.value(kind, text),
            Step::Close => {
                let v = match self.stack.pop() {
                    Some(Frame::Array { items, .. }) => Value::Array(items),
                    Some(Frame::Object { map, .. }) => Value::Object(map),
                    None => return,
                };
                self.complete(v);
            }
            Step::Array(s) => {
                if let Some(Frame::Array { state, .. }) = self.stack.last_mut() {
                    *state = s;
                }
            }
            Step::Object(s) => {
                if let Some(Frame::Object { state, .. }) = self.stack.last_mut() {
                    *state = s;
                }
            }
            Step::Fail(msg) => self.err = Some(JsonError::syntax(msg)),
        }
    }

    /// A token where a value (or an object key) must start.
    fn value(&mut self, kind: Tok, text: &[u8]) {
        match kind {
            Tok::LCurly => self.stack.push(Frame::Object {
                map: Map::new(),
                key: None,
                state: ObjState::Open,
                seen: None,
            }),
            Tok::LSquare => self.stack.push(Frame::Array {
                items: Vec::new(),
                state: ArrState::Open,
            }),
            Tok::Integer => self.complete(parse_integer(text)),
            Tok::Float => self.complete(Value::Double(parse_float(text))),
            Tok::String => match decode_string(text) {
                Ok(s) => self.complete(Value::String(s)),
                Err(msg) => self.err = Some(JsonError::syntax(&msg)),
            },
            Tok::Keyword => match keyword(text) {
                Some(v) => self.complete(v),
                None => {
                    let msg = format!("invalid keyword '{}'", String::from_utf8_lossy(text));
                    self.err = Some(JsonError::syntax(&msg));
                }
            },
            _ => self.err = Some(JsonError::syntax("expecting value")),
        }
    }

    /// A value is complete: give it to the enclosing container.
    fn complete(&mut self, v: Value) {
        match self.stack.last_mut() {
            None => self.done = Some(v),
            Some(Frame::Array { items, state }) => {
                items.push(v);
                *state = ArrState::Value;
            }
            Some(Frame::Object {
                map,
                key,
                state,
                seen,
            }) => match *state {
                ObjState::Open | ObjState::Comma => match v {
                    Value::String(s) => {
                        *key = Some(s);
                        *state = ObjState::Key;
                    }
                    _ => self.err = Some(JsonError::syntax("key is not a string in object")),
                },
                _ => {
                    let k = key.take().unwrap_or_default();
                    if is_duplicate(map, seen, &self.hasher, &k) {
                        self.err = Some(JsonError::syntax("duplicate key"));
                    } else {
                        map.push_unchecked(k, v);
                        *state = ObjState::Value;
                    }
                }
            },
        }
    }
}

pub(super) fn is_duplicate(
    map: &Map,
    seen: &mut Option<HashSet<u64>>,
    hasher: &RandomState,
    key: &str,
) -> bool {
    if map.len() < DUP_SCAN_MAX {
        return map.contains_key(key);
    }
    let set = seen.get_or_insert_with(|| map.keys().map(|k| hasher.hash_one(k)).collect());
    if set.insert(hasher.hash_one(key)) {
        false
    } else {
        map.contains_key(key)
    }
}

/// The value of a keyword token, if it is one of JSON's three.
#[inline]
pub(super) fn keyword(text: &[u8]) -> Option<Value> {
    match text {
        b"true" => Some(Value::Bool(true)),
        b"false" => Some(Value::Bool(false)),
        b"null" => Some(Value::Null),
        _ => None,
    }
}

/// An integer token: `i64` if it fits, else `u64` if non-negative and it
/// fits, else a double.
pub(super) fn parse_integer(text: &[u8]) -> Value {
    let (neg, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mut acc: u64 = 0;
    for &d in digits {
        match acc
            .checked_mul(10)
            .and_then(|a| a.checked_add(u64::from(d.wrapping_sub(b'0'))))
        {
            Some(a) => acc = a,
            None => return Value::Double(parse_float(text)),
        }
    }
    if neg {
        if acc <= 1 << 63 {
            Value::Int((acc as i64).wrapping_neg())
        } else {
            Value::Double(parse_float(text))
        }
    } else if acc <= i64::MAX as u64 {
        Value::Int(acc as i64)
    } else {
        Value::UInt(acc)
    }
}

/// A number token as a double (correctly rounded, like glibc's `strtod`;
/// overflow gives infinity).
pub(super) fn parse_float(text: &[u8]) -> f64 {
    std::str::from_utf8(text)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(f64::NAN)
}

/// Parses exactly one JSON value from `input` (a complete text) with
/// QEMU's limits. Errors are QEMU's; more than one value gives
/// `Expecting at most one JSON value`, none `Expecting a JSON value`.
pub fn parse_one(input: &[u8]) -> Result<Value, JsonError> {
    parse_one_with_limits(input, Limits::QEMU)
}

/// [`parse_one`] with the given limits.
pub fn parse_one_with_limits(input: &[u8], limits: Limits) -> Result<Value, JsonError> {
    let mut s = JsonStreamer::with_limits(limits);
    s.feed(input);
    s.flush();
    let mut result: Option<Result<Value, JsonError>> = None;
    for item in s.drain() {
        match result {
            None => result = Some(item),
            Some(Ok(_)) => {
                result = Some(Err(JsonError::new(
                    JsonErrorKind::NotOneValue,
                    "Expecting at most one JSON value",
                )))
            }
            Some(Err(_)) => {}
        }
    }
    result.unwrap_or_else(|| {
        Err(JsonError::new(
            JsonErrorKind::NotOneValue,
            "Expecting a JSON value",
        ))
    })
}
