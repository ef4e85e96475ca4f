//! Typed clients for QMP (QEMU, qemu-storage-daemon, any QMP server) and
//! for the QEMU guest agent, on tokio, with blocking variants in
//! [`blocking`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), qapi_core::client::ClientError> {
//! use qapi_core::client::QmpClient;
//! use qapi_core::qmp::QueryVersion;
//!
//! let qmp = QmpClient::connect_unix("/tmp/qsd.sock").await?; // greeting + negotiation
//! let mut events = qmp.events();
//! let version = qmp.execute(&QueryVersion {}).await?;
//! println!("QEMU {}.{}", version.qemu.major, version.qemu.minor);
//! while let Some(ev) = events.try_recv() {
//!     println!("{} at {:?}", ev.name, ev.timestamp);
//! }
//! # Ok(()) }
//! ```
//!
//! # How messages are routed
//!
//! One task reads the connection and one writes it. Every request gets
//! a fresh numeric `id`, and a reply goes to the request whose `id` it
//! echoes, so out-of-band replies may overtake in-band ones. A QMP reply
//! *without* `id` (QEMU sends one only when it could not parse a request)
//! answers the oldest in-band request still waiting, because QMP answers
//! in-band requests strictly in order. Requests are checked with QEMU's
//! own JSON parser and limits before they are sent, so a request QEMU
//! could not parse is refused locally instead.
//!
//! Events go into one queue per connection, in the order they arrived
//! and *before* any reply that followed them is handed over: when
//! `execute` returns, every event the server sent before its reply is
//! already in the queue (QEMU sends e.g. `JOB_STATUS_CHANGE` before the
//! `return` of `blockdev-create`). The queue holds at most
//! [`ClientOptions::event_capacity`] events (default 1024) from the moment
//! the connection is made, whether or not anybody reads them; what
//! happens when it is full is [`ClientOptions::event_overflow`]:
//! [`Overflow::DropOldest`] (default; [`EventStream::dropped`] counts the
//! losses) or [`Overflow::Backpressure`] (stop reading the connection
//! until there is room: nothing is lost, but replies wait too).
//!
//! # Tolerance of newer servers
//!
//! Replies are decoded with [`Decoder::lenient`]: members the client's
//! types do not know are ignored. A reply that still does not decode (an
//! unknown enum value, a changed type) gives [`ClientError::Decode`]
//! with the raw JSON; the connection carries on. Events the client has
//! no type for are delivered raw ([`EventMessage`] with the `data`
//! tree), and decoded on demand with [`EventMessage::decode`]. Unknown
//! error classes are kept in [`ClientError::Qmp`]'s `raw` member.
//! Messages that fit nowhere (a reply to a request that timed out, an
//! unparsable line) are dropped and counted
//! ([`QmpClient::unmatched_messages`]).
//!
//! # Guest agent
//!
//! [`QgaClient`] speaks the guest-agent dialect: no greeting, no
//! negotiation, no events, and [`QgaClient::sync`] implements
//! `guest-sync-delimited` (REFERENCE.md section 6).

use std::fmt;
use std::time::Duration;

use crate::command::Event;
use crate::decode::Decoder;
use crate::error::Error;
use crate::event::{EventMessage, Timestamp};
use crate::json::Limits;
use crate::value::{Map, Value};

pub mod blocking;
mod conn;
mod qga;
mod qmp;

pub use conn::EventStream;
pub use qga::QgaClient;
pub use qmp::{Greeting, QmpClient};

/// What can go wrong talking to a server.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError {
    /// The server answered with an error. `error` has the class and the
    /// description; `raw` is the `error` object as received (it keeps a
    /// class this crate does not know, which `error.class` reports as
    /// `GenericError`).
    Qmp { error: Error, raw: Value },
    /// A reply or event did not decode into the expected type. `raw` is
    /// the JSON that was received, `error` says what did not fit.
    Decode { raw: Value, error: Error },
    /// No reply within the time allowed (`what` names the command, or
    /// the greeting).
    Timeout { what: String, after: Duration },
    /// The connection is closed (by the peer, after an I/O error, or
    /// because the client was dropped); the reason says which.
    Disconnected(String),
    /// Connecting or writing failed.
    Io(std::io::Error),
    /// The arguments could not be turned into a request QEMU would
    /// accept (serialization failed, non-finite number, size or nesting
    /// beyond QEMU's JSON limits).
    Encode(String),
    /// The peer broke the protocol (e.g. no valid greeting), or a reply
    /// was discarded by a guest-agent resynchronization.
    Protocol(String),
}

impl ClientError {
    /// The server's error, when this is one.
    pub fn qmp_error(&self) -> Option<&Error> {
        match self {
            ClientError::Qmp { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The error class as the server sent it (also for classes this
    /// crate does not know), when this is a server error.
    pub fn class_name(&self) -> Option<&str> {
        match self {
            ClientError::Qmp { raw, .. } => raw.as_object()?.get("class")?.as_str(),
            _ => None,
        }
    }

    /// The server's error description, when this is a server error.
    pub fn desc(&self) -> Option<&str> {
        self.qmp_error().map(|e| e.desc.as_str())
    }

    /// Whether this is a [`ClientError::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, ClientError::Timeout { .. })
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Qmp { error, raw } => {
                let class = raw
                    .as_object()
                    .and_then(|m| m.get("class"))
                    .and_then(Value::as_str)
                    .unwrap_or(error.class.as_str());
                write!(f, "{class}: {}", error.desc)
            }
            ClientError::Decode { raw, error } => {
                write!(f, "cannot decode {}: {}", abbreviate(raw), error.desc)
            }
            ClientError::Timeout { what, after } => {
                write!(f, "no reply to {what} within {after:?}")
            }
            ClientError::Disconnected(reason) => write!(f, "disconnected: {reason}"),
            ClientError::Io(e) => write!(f, "I/O error: {e}"),
            ClientError::Encode(msg) => write!(f, "cannot encode request: {msg}"),
            ClientError::Protocol(msg) => write!(f, "protocol error: {msg}"),
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Qmp { error, .. } | ClientError::Decode { error, .. } => Some(error),
            ClientError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for ClientError {
    fn from(e: std::io::Error) -> ClientError {
        ClientError::Io(e)
    }
}

/// JSON text of `v`, cut to a readable length for messages.
fn abbreviate(v: &Value) -> String {
    let mut s = v.to_string();
    if s.len() > 200 {
        let mut end = 200;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}

/// What to do with an event when the event queue is full.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Overflow {
    /// Drop the oldest queued event to make room and count it
    /// ([`EventStream::dropped`]). Reading never stops, so replies are
    /// never held up by unread events.
    #[default]
    DropOldest,
    /// Stop reading the connection until a consumer takes an event.
    /// Nothing is lost, but replies behind the events wait as well: a
    /// program that waits for a reply without reading events can stall
    /// (until its timeout).
    Backpressure,
}

/// Settings of a connection. `ClientOptions::default()` gives the values
/// documented on each setter.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    pub(crate) connect_timeout: Duration,
    pub(crate) command_timeout: Option<Duration>,
    pub(crate) oob: bool,
    pub(crate) event_capacity: usize,
    pub(crate) overflow: Overflow,
    pub(crate) no_reply_grace: Duration,
    pub(crate) sync_on_connect: bool,
    pub(crate) limits: Limits,
}

impl Default for ClientOptions {
    fn default() -> ClientOptions {
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            command_timeout: None,
            oob: true,
            event_capacity: 1024,
            overflow: Overflow::DropOldest,
            no_reply_grace: Duration::from_secs(1),
            sync_on_connect: true,
            // QEMU's nesting limit, and room for large replies (a
            // guest-file-read of 48 MiB is 64 MiB of base64).
            limits: Limits {
                max_nesting: 1024,
                max_token_count: 1 << 24,
                max_token_size: 1 << 28,
            },
        }
    }
}

impl ClientOptions {
    pub fn new() -> ClientOptions {
        ClientOptions::default()
    }

    /// Time allowed for connecting, the greeting and capabilities
    /// negotiation (QMP), or the first `guest-sync-delimited` (guest
    /// agent). Default 10 s.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Default time allowed for each command's reply; `None` (the
    /// default) waits as long as the connection is open. Per-call
    /// timeouts override it.
    pub fn command_timeout(mut self, d: Option<Duration>) -> Self {
        self.command_timeout = d;
        self
    }

    /// Whether to enable out-of-band execution when the server offers it
    /// (QMP only). Default `true`.
    pub fn oob(mut self, enable: bool) -> Self {
        self.oob = enable;
        self
    }

    /// How many events are buffered at most. Default 1024; at least 1.
    pub fn event_capacity(mut self, n: usize) -> Self {
        self.event_capacity = n.max(1);
        self
    }

    /// What happens when the event buffer is full. Default
    /// [`Overflow::DropOldest`].
    pub fn event_overflow(mut self, o: Overflow) -> Self {
        self.overflow = o;
        self
    }

    /// How long a command with `success-response: false` waits for an
    /// error before it counts as successful (when the peer neither
    /// answers the follow-up request nor closes). Default 1 s.
    pub fn no_reply_grace(mut self, d: Duration) -> Self {
        self.no_reply_grace = d;
        self
    }

    /// Whether the guest-agent client runs `guest-sync-delimited` right
    /// after connecting (recommended: it discards what a previous client
    /// left in the channel). Default `true`.
    pub fn sync_on_connect(mut self, sync: bool) -> Self {
        self.sync_on_connect = sync;
        self
    }

    /// Limits of the JSON reader for the server's output. Default: QEMU's
    /// nesting limit (1024), 2^24 tokens and 256 MiB per message.
    pub fn json_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// Typed access to events received by a client.
impl EventMessage {
    /// Whether this is event `E`.
    pub fn is<E: Event>(&self) -> bool {
        self.name == E::NAME
    }

    /// Decodes the event's data as `E`, leniently (members `E` does not
    /// know are ignored). Fails with [`ClientError::Decode`] carrying the
    /// event as received when the name differs or the data does not fit
    /// (an unknown enum value, a missing member).
    pub fn decode<E: Event>(&self) -> Result<E, ClientError> {
        let raw = || {
            let mut m = Map::with_capacity(3);
            let mut ts = Map::with_capacity(2);
            ts.push_unchecked("seconds".into(), Value::Int(self.timestamp.seconds));
            ts.push_unchecked(
                "microseconds".into(),
                Value::Int(self.timestamp.microseconds),
            );
            m.push_unchecked("timestamp".into(), Value::Object(ts));
            m.push_unchecked("event".into(), Value::from(self.name.as_str()));
            if let Some(d) = &self.data {
                m.push_unchecked("data".into(), d.clone());
            }
            Value::Object(m)
        };
        if self.name != E::NAME {
            return Err(ClientError::Decode {
                raw: raw(),
                error: Error::generic(format!("expected event {}, got {}", E::NAME, self.name)),
            });
        }
        let data = match &self.data {
            None => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(_) => {
                return Err(ClientError::Decode {
                    raw: raw(),
                    error: Error::generic("event data is not an object"),
                });
            }
        };
        E::decode_data(data, &mut Decoder::lenient())
            .map_err(|error| ClientError::Decode { raw: raw(), error })
    }
}

/// Reads an event message leniently: the name is required, a missing or
/// odd timestamp becomes `-1, -1` (what QEMU sends when its clock fails).
pub(crate) fn event_from_wire(mut m: Map) -> Option<EventMessage> {
    let name = match m.remove("event") {
        Some(Value::String(s)) => s,
        _ => return None,
    };
    let num = |ts: &Map, k: &str| match ts.get(k) {
        Some(Value::Int(i)) => Some(*i),
        Some(Value::UInt(u)) => i64::try_from(*u).ok(),
        _ => None,
    };
    let timestamp = match m.get("timestamp") {
        Some(Value::Object(ts)) => match (num(ts, "seconds"), num(ts, "microseconds")) {
            (Some(seconds), Some(microseconds)) => Timestamp {
                seconds,
                microseconds,
            },
            _ => Timestamp {
                seconds: -1,
                microseconds: -1,
            },
        },
        _ => Timestamp {
            seconds: -1,
            microseconds: -1,
        },
    };
    Some(EventMessage {
        name,
        data: m.remove("data"),
        timestamp,
    })
}

/// A command's reply: the `return` value, or the error.
pub(crate) fn reply_result(mut m: Map) -> Result<Value, ClientError> {
    if let Some(v) = m.remove("return") {
        return Ok(v);
    }
    match m.remove("error") {
        Some(raw) => {
            let obj = raw.as_object();
            let class = obj.and_then(|o| o.get("class")).and_then(Value::as_str);
            let desc = obj.and_then(|o| o.get("desc")).and_then(Value::as_str);
            match (class, desc) {
                (Some(class), Some(desc)) => {
                    let class = crate::ErrorClass::from_name(class)
                        .unwrap_or(crate::ErrorClass::GenericError);
                    let error = Error::new(class, desc);
                    Err(ClientError::Qmp { error, raw })
                }
                _ => Err(ClientError::Decode {
                    raw,
                    error: Error::generic("error reply lacks 'class' or 'desc'"),
                }),
            }
        }
        None => Err(ClientError::Protocol(
            "reply has neither 'return' nor 'error'".into(),
        )),
    }
}

/// Decodes a `return` value leniently into `T`.
pub(crate) fn decode_return<T: crate::Qapi>(v: Value) -> Result<T, ClientError> {
    // Decoding consumes the tree; keep a copy only for the error path.
    let raw = v.clone();
    Decoder::lenient()
        .decode::<T>(v)
        .map_err(|error| ClientError::Decode { raw, error })
}

/// Runs `connect` within the connect timeout `limit`.
async fn connect_within<T>(
    limit: Duration,
    connect: impl std::future::Future<Output = std::io::Result<T>>,
) -> Result<T, ClientError> {
    match tokio::time::timeout(limit, connect).await {
        Ok(r) => Ok(r?),
        Err(_) => Err(ClientError::Timeout {
            what: "connect".into(),
            after: limit,
        }),
    }
}

/// Connects to a unix socket within `limit`; its two halves.
#[cfg(unix)]
pub(crate) async fn open_unix(
    path: &std::path::Path,
    limit: Duration,
) -> Result<
    (
        tokio::net::unix::OwnedReadHalf,
        tokio::net::unix::OwnedWriteHalf,
    ),
    ClientError,
> {
    let stream = connect_within(limit, tokio::net::UnixStream::connect(path)).await?;
    Ok(stream.into_split())
}

/// Connects over TCP within `limit` (no Nagle delay: requests are
/// small and each waits for its reply); its two halves.
pub(crate) async fn open_tcp(
    addr: impl tokio::net::ToSocketAddrs,
    limit: Duration,
) -> Result<
    (
        tokio::net::tcp::OwnedReadHalf,
        tokio::net::tcp::OwnedWriteHalf,
    ),
    ClientError,
> {
    let stream = connect_within(limit, tokio::net::TcpStream::connect(addr)).await?;
    let _ = stream.set_nodelay(true);
    Ok(stream.into_split())
}
