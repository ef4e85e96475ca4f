//! The async QMP client.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};

use super::conn::{Conn, Dialect, EventStream, Outgoing};
use super::{ClientError, ClientOptions, decode_return};
use crate::command::Command;
use crate::decode::Decoder;
use crate::json::{JsonStreamer, WriteOptions};
use crate::qmp::{QMPCapability, QmpCapabilities, VersionInfo};
use crate::value::Value;

/// The server's greeting: `{"QMP": {"version": …, "capabilities": […]}}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Greeting {
    /// The version, when it decodes as [`VersionInfo`] (it has that
    /// shape in every QEMU since 0.14).
    pub version: Option<VersionInfo>,
    /// The capabilities offered, as sent (unknown ones included).
    pub capabilities: Vec<String>,
    /// The `QMP` object as received.
    pub raw: Value,
}

impl Greeting {
    fn from_wire(v: Value) -> Result<Greeting, ClientError> {
        let qmp = match &v {
            Value::Object(m) => m.get("QMP").cloned(),
            _ => None,
        };
        let Some(Value::Object(q)) = qmp else {
            return Err(ClientError::Protocol(format!(
                "expected a QMP greeting, got {}",
                super::abbreviate(&v)
            )));
        };
        let version = q
            .get("version")
            .and_then(|v| Decoder::lenient().decode::<VersionInfo>(v.clone()).ok());
        let capabilities = match q.get("capabilities") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|c| c.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        Ok(Greeting {
            version,
            capabilities,
            raw: Value::Object(q),
        })
    }

    /// Whether the server offers capability `name` (e.g. `oob`).
    pub fn offers(&self, name: &str) -> bool {
        self.capabilities.iter().any(|c| c == name)
    }
}

struct Inner {
    conn: Conn,
    greeting: Greeting,
    oob: bool,
}

/// An async QMP client: one connection, shareable between tasks (clones
/// are handles to the same connection, which closes when the last one is
/// dropped).
///
/// Connecting reads the greeting and negotiates capabilities
/// (`qmp_capabilities`, with `enable: ["oob"]` when the server offers
/// it and [`ClientOptions::oob`] allows), all within
/// [`ClientOptions::connect_timeout`]. Must be used inside a tokio
/// runtime (with I/O and time enabled).
#[derive(Clone)]
pub struct QmpClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for QmpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QmpClient")
            .field("greeting", &self.inner.greeting)
            .field("oob", &self.inner.oob)
            .field("closed", &self.inner.conn.closed_reason())
            .finish()
    }
}

/// Serializes a command's arguments; `None` when there are none (`{}`).
pub(crate) fn encode_args<C: Command>(cmd: &C) -> Result<Option<Vec<u8>>, ClientError> {
    let bytes = crate::json::to_vec(cmd, &WriteOptions::COMPACT)
        .map_err(|e| ClientError::Encode(e.to_string()))?;
    Ok(if bytes == b"{}" { None } else { Some(bytes) })
}

/// Serializes raw arguments: `Null` means none.
pub(crate) fn encode_value_args(args: &Value) -> Option<Vec<u8>> {
    match args {
        Value::Null => None,
        v => Some(crate::json::value_to_vec(v, &WriteOptions::COMPACT)),
    }
}

impl QmpClient {
    /// Connects to a unix socket (e.g. a monitor started with
    /// `--chardev socket,id=m,path=SOCK,server=on,wait=off --monitor chardev=m`).
    #[cfg(unix)]
    pub async fn connect_unix(path: impl AsRef<Path>) -> Result<QmpClient, ClientError> {
        QmpClient::connect_unix_with(path, ClientOptions::default()).await
    }

    /// [`QmpClient::connect_unix`] with options.
    #[cfg(unix)]
    pub async fn connect_unix_with(
        path: impl AsRef<Path>,
        opts: ClientOptions,
    ) -> Result<QmpClient, ClientError> {
        let (r, w) = super::open_unix(path.as_ref(), opts.connect_timeout).await?;
        QmpClient::connect_split_with(r, w, opts).await
    }

    /// Connects over TCP.
    pub async fn connect_tcp(
        addr: impl tokio::net::ToSocketAddrs,
    ) -> Result<QmpClient, ClientError> {
        QmpClient::connect_tcp_with(addr, ClientOptions::default()).await
    }

    /// [`QmpClient::connect_tcp`] with options.
    pub async fn connect_tcp_with(
        addr: impl tokio::net::ToSocketAddrs,
        opts: ClientOptions,
    ) -> Result<QmpClient, ClientError> {
        let (r, w) = super::open_tcp(addr, opts.connect_timeout).await?;
        QmpClient::connect_split_with(r, w, opts).await
    }

    /// Talks QMP over any byte stream.
    pub async fn connect<S>(stream: S) -> Result<QmpClient, ClientError>
    where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        QmpClient::connect_with(stream, ClientOptions::default()).await
    }

    /// [`QmpClient::connect`] with options.
    pub async fn connect_with<S>(stream: S, opts: ClientOptions) -> Result<QmpClient, ClientError>
    where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        let (r, w) = tokio::io::split(stream);
        QmpClient::connect_split_with(r, w, opts).await
    }

    /// Talks QMP over a separate reader and writer, e.g. a child's stdout
    /// and stdin (`qemu-storage-daemon --chardev stdio,id=m --monitor chardev=m`).
    pub async fn connect_split<R, W>(reader: R, writer: W) -> Result<QmpClient, ClientError>
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        QmpClient::connect_split_with(reader, writer, ClientOptions::default()).await
    }

    /// [`QmpClient::connect_split`] with options.
    pub async fn connect_split_with<R, W>(
        mut reader: R,
        writer: W,
        opts: ClientOptions,
    ) -> Result<QmpClient, ClientError>
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let limit = opts.connect_timeout;
        let handshake = async move {
            let mut streamer = JsonStreamer::with_limits(opts.limits);
            let mut buf = vec![0u8; 8192];
            let first = loop {
                if let Some(item) = streamer.pop() {
                    break item.map_err(|e| {
                        ClientError::Protocol(format!("unreadable greeting: {}", e.desc()))
                    })?;
                }
                let n = reader.read(&mut buf).await?;
                if n == 0 {
                    return Err(ClientError::Disconnected(
                        "connection closed before the greeting".into(),
                    ));
                }
                streamer.feed(&buf[..n]);
            };
            let greeting = Greeting::from_wire(first)?;
            let oob = opts.oob && greeting.offers("oob");
            let conn = Conn::start(reader, writer, streamer, Dialect::Qmp, opts);
            let caps = QmpCapabilities {
                enable: oob.then(|| vec![QMPCapability::Oob]),
            };
            let req = Outgoing {
                name: "qmp_capabilities",
                args: encode_args(&caps)?,
                oob: false,
                no_reply: false,
            };
            conn.call(req, None).await?;
            Ok(QmpClient {
                inner: Arc::new(Inner {
                    conn,
                    greeting,
                    oob,
                }),
            })
        };
        match tokio::time::timeout(limit, handshake).await {
            Ok(r) => r,
            Err(_) => Err(ClientError::Timeout {
                what: "greeting and capabilities negotiation".into(),
                after: limit,
            }),
        }
    }

    /// The server's greeting.
    pub fn greeting(&self) -> &Greeting {
        &self.inner.greeting
    }

    /// Whether out-of-band execution was enabled.
    pub fn oob_enabled(&self) -> bool {
        self.inner.oob
    }

    /// Runs a command and decodes its result leniently: a QMP error is
    /// [`ClientError::Qmp`]; a result that does not decode is
    /// [`ClientError::Decode`] with the raw JSON. A command with
    /// `success-response: false` succeeds unless an error comes back (see
    /// [`ClientOptions::no_reply_grace`]). Uses the default timeout.
    pub async fn execute<C: Command>(&self, cmd: &C) -> Result<C::Returns, ClientError> {
        self.run(cmd, false, self.inner.conn.opts.command_timeout)
            .await
    }

    /// [`QmpClient::execute`] with its own timeout. On timeout the reply,
    /// if it ever comes, is dropped; the connection stays usable.
    pub async fn execute_timeout<C: Command>(
        &self,
        cmd: &C,
        timeout: Duration,
    ) -> Result<C::Returns, ClientError> {
        self.run(cmd, false, Some(timeout)).await
    }

    /// Runs a command out of band (`exec-oob`): the server runs it at
    /// once, and its reply may overtake replies to earlier commands. The
    /// request is sent even when OOB is not enabled or the command does
    /// not allow it; the server then answers with an error (QEMU:
    /// `QMP input member 'exec-oob' is unexpected`, `The command
    /// query-version does not support OOB`).
    pub async fn execute_oob<C: Command>(&self, cmd: &C) -> Result<C::Returns, ClientError> {
        self.run(cmd, true, self.inner.conn.opts.command_timeout)
            .await
    }

    async fn run<C: Command>(
        &self,
        cmd: &C,
        oob: bool,
        timeout: Option<Duration>,
    ) -> Result<C::Returns, ClientError> {
        let args = encode_args(cmd)?;
        let conn = &self.inner.conn;
        if !C::INFO.success_response {
            let req = Outgoing {
                name: C::NAME,
                args,
                oob,
                no_reply: true,
            };
            conn.call_no_reply(req, "query-version", timeout).await?;
            return decode_return(Value::Object(Default::default()));
        }
        let v = conn
            .call(
                Outgoing {
                    name: C::NAME,
                    args,
                    oob,
                    no_reply: false,
                },
                timeout,
            )
            .await?;
        decode_return(v)
    }

    /// Runs any command by name. `arguments` is the arguments object, or
    /// `Value::Null` for none; it is sent as given (a non-object draws
    /// the server's error). Returns the `return` value as received.
    pub async fn execute_raw(&self, name: &str, arguments: Value) -> Result<Value, ClientError> {
        self.execute_raw_with(name, arguments, false, self.inner.conn.opts.command_timeout)
            .await
    }

    /// [`QmpClient::execute_raw`] choosing OOB and the timeout.
    pub async fn execute_raw_with(
        &self,
        name: &str,
        arguments: Value,
        oob: bool,
        timeout: Option<Duration>,
    ) -> Result<Value, ClientError> {
        let req = Outgoing {
            name,
            args: encode_value_args(&arguments),
            oob,
            no_reply: false,
        };
        self.inner.conn.call(req, timeout).await
    }

    /// The connection's events (see the module documentation). Every
    /// call returns a handle to the same queue.
    pub fn events(&self) -> EventStream {
        self.inner.conn.events()
    }

    /// Writes bytes to the server as they are, in order with requests
    /// (to test a server's handling of bad input; replies to such input
    /// that carry no known `id` are dropped and counted).
    pub fn send_raw(&self, bytes: &[u8]) -> Result<(), ClientError> {
        self.inner.conn.send_raw(bytes)
    }

    /// How many messages were dropped because they answered nothing
    /// waiting (late replies after a timeout, unparsable lines, …).
    pub fn unmatched_messages(&self) -> u64 {
        self.inner.conn.unmatched()
    }

    /// Why the connection is closed, or `None` while it is open.
    pub fn closed_reason(&self) -> Option<String> {
        self.inner.conn.closed_reason()
    }

    /// Waits until the connection is closed (e.g. after `quit`).
    pub async fn closed(&self) {
        self.inner.conn.closed().await
    }
}
