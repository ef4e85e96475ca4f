//! The async guest-agent client.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};

use super::conn::{Conn, Dialect, Outgoing};
use super::qmp::{encode_args, encode_value_args};
use super::{ClientError, ClientOptions, decode_return};
use crate::command::Command;
use crate::json::JsonStreamer;
use crate::value::Value;

/// An async client of the QEMU guest agent (`qemu-ga`): no greeting, no
/// capabilities negotiation, no out-of-band execution, no events.
///
/// Connecting runs [`QgaClient::sync`] unless
/// [`ClientOptions::sync_on_connect`] is off. Clones are handles to the
/// same connection. Must be used inside a tokio runtime.
#[derive(Clone)]
pub struct QgaClient {
    conn: Arc<Conn>,
}

impl std::fmt::Debug for QgaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QgaClient")
            .field("closed", &self.conn.closed_reason())
            .finish()
    }
}

impl QgaClient {
    /// Connects to an agent listening on a unix socket
    /// (`qemu-ga -m unix-listen -p SOCK`, or a virtio-serial channel's
    /// host side).
    #[cfg(unix)]
    pub async fn connect_unix(path: impl AsRef<Path>) -> Result<QgaClient, ClientError> {
        QgaClient::connect_unix_with(path, ClientOptions::default()).await
    }

    /// [`QgaClient::connect_unix`] with options.
    #[cfg(unix)]
    pub async fn connect_unix_with(
        path: impl AsRef<Path>,
        opts: ClientOptions,
    ) -> Result<QgaClient, ClientError> {
        let (r, w) = super::open_unix(path.as_ref(), opts.connect_timeout).await?;
        QgaClient::connect_split_with(r, w, opts).await
    }

    /// Connects over TCP (e.g. a guest-agent channel whose host side is
    /// a TCP chardev).
    pub async fn connect_tcp(
        addr: impl tokio::net::ToSocketAddrs,
    ) -> Result<QgaClient, ClientError> {
        QgaClient::connect_tcp_with(addr, ClientOptions::default()).await
    }

    /// [`QgaClient::connect_tcp`] with options.
    pub async fn connect_tcp_with(
        addr: impl tokio::net::ToSocketAddrs,
        opts: ClientOptions,
    ) -> Result<QgaClient, ClientError> {
        let (r, w) = super::open_tcp(addr, opts.connect_timeout).await?;
        QgaClient::connect_split_with(r, w, opts).await
    }

    /// Talks to an agent over any byte stream.
    pub async fn connect<S>(stream: S) -> Result<QgaClient, ClientError>
    where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        QgaClient::connect_with(stream, ClientOptions::default()).await
    }

    /// [`QgaClient::connect`] with options.
    pub async fn connect_with<S>(stream: S, opts: ClientOptions) -> Result<QgaClient, ClientError>
    where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        let (r, w) = tokio::io::split(stream);
        QgaClient::connect_split_with(r, w, opts).await
    }

    /// Talks to an agent over a separate reader and writer.
    pub async fn connect_split<R, W>(reader: R, writer: W) -> Result<QgaClient, ClientError>
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        QgaClient::connect_split_with(reader, writer, ClientOptions::default()).await
    }

    /// [`QgaClient::connect_split`] with options.
    pub async fn connect_split_with<R, W>(
        reader: R,
        writer: W,
        opts: ClientOptions,
    ) -> Result<QgaClient, ClientError>
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let sync = opts.sync_on_connect;
        let limit = opts.connect_timeout;
        let streamer = JsonStreamer::with_limits(opts.limits);
        let client = QgaClient {
            conn: Arc::new(Conn::start(
                reader,
                writer,
                streamer,
                Dialect::GuestAgent,
                opts,
            )),
        };
        if sync {
            client.sync_timeout(limit).await?;
        }
        Ok(client)
    }

    /// Resynchronizes with `guest-sync-delimited`: sends a 0xFF byte
    /// (which makes the agent drop any half-read request a previous
    /// client left), then the command with a random id; discards
    /// everything received up to the 0xFF byte that precedes the reply,
    /// then everything until the reply carrying that id. Requests still
    /// waiting fail with [`ClientError::Protocol`]. Returns the id used.
    /// Waits at most [`ClientOptions::connect_timeout`].
    pub async fn sync(&self) -> Result<i64, ClientError> {
        self.sync_timeout(self.conn.opts.connect_timeout).await
    }

    /// [`QgaClient::sync`] with its own timeout.
    pub async fn sync_timeout(&self, timeout: Duration) -> Result<i64, ClientError> {
        self.conn.sync_delimited(timeout).await
    }

    /// Runs a command and decodes its result leniently. A command with
    /// `success-response: false` (`guest-shutdown`, `guest-suspend-*`)
    /// is followed by a `guest-ping`: it succeeds when the ping is
    /// answered first, when the agent goes away, or when no error comes
    /// within [`ClientOptions::no_reply_grace`] (a suspended guest
    /// answers nothing); it fails when its error comes back.
    pub async fn execute<C: Command>(&self, cmd: &C) -> Result<C::Returns, ClientError> {
        self.run(cmd, self.conn.opts.command_timeout).await
    }

    /// [`QgaClient::execute`] with its own timeout.
    pub async fn execute_timeout<C: Command>(
        &self,
        cmd: &C,
        timeout: Duration,
    ) -> Result<C::Returns, ClientError> {
        self.run(cmd, Some(timeout)).await
    }

    async fn run<C: Command>(
        &self,
        cmd: &C,
        timeout: Option<Duration>,
    ) -> Result<C::Returns, ClientError> {
        let args = encode_args(cmd)?;
        if !C::INFO.success_response {
            let req = Outgoing {
                name: C::NAME,
                args,
                oob: false,
                no_reply: true,
            };
            self.conn.call_no_reply(req, "guest-ping", timeout).await?;
            return decode_return(Value::Object(Default::default()));
        }
        let v = self
            .conn
            .call(
                Outgoing {
                    name: C::NAME,
                    args,
                    oob: false,
                    no_reply: false,
                },
                timeout,
            )
            .await?;
        decode_return(v)
    }

    /// Runs any command by name (`arguments`: an object, or `Value::Null`
    /// for none) and returns the `return` value as received.
    pub async fn execute_raw(&self, name: &str, arguments: Value) -> Result<Value, ClientError> {
        self.execute_raw_timeout(name, arguments, self.conn.opts.command_timeout)
            .await
    }

    /// [`QgaClient::execute_raw`] with a timeout.
    pub async fn execute_raw_timeout(
        &self,
        name: &str,
        arguments: Value,
        timeout: Option<Duration>,
    ) -> Result<Value, ClientError> {
        let req = Outgoing {
            name,
            args: encode_value_args(&arguments),
            oob: false,
            no_reply: false,
        };
        self.conn.call(req, timeout).await
    }

    /// Runs a command that answers only on failure, by name (see
    /// [`QgaClient::execute`]).
    pub async fn execute_raw_no_reply(
        &self,
        name: &str,
        arguments: Value,
    ) -> Result<(), ClientError> {
        let req = Outgoing {
            name,
            args: encode_value_args(&arguments),
            oob: false,
            no_reply: true,
        };
        self.conn
            .call_no_reply(req, "guest-ping", self.conn.opts.command_timeout)
            .await
    }

    /// Writes bytes to the agent as they are, in order with requests
    /// (e.g. to leave a half request behind, as a crashed client would).
    pub fn send_raw(&self, bytes: &[u8]) -> Result<(), ClientError> {
        self.conn.send_raw(bytes)
    }

    /// How many messages were dropped because they answered nothing
    /// waiting (stale output discarded by a resync, late replies, …).
    pub fn unmatched_messages(&self) -> u64 {
        self.conn.unmatched()
    }

    /// Why the connection is closed, or `None` while it is open.
    pub fn closed_reason(&self) -> Option<String> {
        self.conn.closed_reason()
    }
}
