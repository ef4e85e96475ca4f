//! Blocking clients, for programs without an async runtime: the same
//! API as [`super::QmpClient`] and [`super::QgaClient`], without
//! `.await`.
//!
//! Each client runs the async client on a private tokio runtime with one
//! worker thread, which keeps reading the connection between calls (so
//! events are queued as they come). Do not use these from async code:
//! calls block the thread, and dropping a client from inside a tokio
//! runtime panics (use the async clients there).
//!
//! ```no_run
//! use qapi_core::client::blocking::QmpClient;
//! use qapi_core::qmp::QueryVersion;
//!
//! let qmp = QmpClient::connect_unix("/tmp/qsd.sock")?;
//! let v = qmp.execute(&QueryVersion {})?;
//! println!("{}", v.package);
//! # Ok::<(), qapi_core::client::ClientError>(())
//! ```

#[cfg(unix)]
use std::os::fd::OwnedFd;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Runtime;

use super::{ClientError, ClientOptions, Greeting};
use crate::command::Command;
use crate::event::EventMessage;
use crate::value::Value;

fn runtime() -> Result<Arc<Runtime>, ClientError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("qapi-client")
        .enable_all()
        .build()
        .map(Arc::new)
        .map_err(ClientError::Io)
}

/// Resolves `addr` with std (blocking) for the async TCP connect.
fn resolve(addr: impl std::net::ToSocketAddrs) -> Result<Vec<std::net::SocketAddr>, ClientError> {
    Ok(addr.to_socket_addrs()?.collect())
}

/// A blocking QMP client (see [`super::QmpClient`]). Clones share the
/// connection.
#[derive(Clone, Debug)]
pub struct QmpClient {
    // Field order matters: the client (and its tasks) go before the
    // runtime.
    inner: super::QmpClient,
    rt: Arc<Runtime>,
}

impl QmpClient {
    /// Connects to a unix socket, reads the greeting and negotiates.
    #[cfg(unix)]
    pub fn connect_unix(path: impl AsRef<Path>) -> Result<QmpClient, ClientError> {
        QmpClient::connect_unix_with(path, ClientOptions::default())
    }

    /// [`QmpClient::connect_unix`] with options.
    #[cfg(unix)]
    pub fn connect_unix_with(
        path: impl AsRef<Path>,
        opts: ClientOptions,
    ) -> Result<QmpClient, ClientError> {
        let rt = runtime()?;
        let inner = rt.block_on(super::QmpClient::connect_unix_with(path, opts))?;
        Ok(QmpClient { inner, rt })
    }

    /// Connects over TCP.
    pub fn connect_tcp(addr: impl std::net::ToSocketAddrs) -> Result<QmpClient, ClientError> {
        QmpClient::connect_tcp_with(addr, ClientOptions::default())
    }

    /// [`QmpClient::connect_tcp`] with options.
    pub fn connect_tcp_with(
        addr: impl std::net::ToSocketAddrs,
        opts: ClientOptions,
    ) -> Result<QmpClient, ClientError> {
        let addrs = resolve(addr)?;
        let rt = runtime()?;
        let inner = rt.block_on(super::QmpClient::connect_tcp_with(&addrs[..], opts))?;
        Ok(QmpClient { inner, rt })
    }

    /// Talks QMP over two pipes, e.g. the stdout and stdin of a
    /// `std::process::Child` running
    /// `qemu-storage-daemon --chardev stdio,id=m --monitor chardev=m`.
    #[cfg(unix)]
    pub fn connect_pipes(
        from_server: impl Into<OwnedFd>,
        to_server: impl Into<OwnedFd>,
    ) -> Result<QmpClient, ClientError> {
        QmpClient::connect_pipes_with(from_server, to_server, ClientOptions::default())
    }

    /// [`QmpClient::connect_pipes`] with options.
    #[cfg(unix)]
    pub fn connect_pipes_with(
        from_server: impl Into<OwnedFd>,
        to_server: impl Into<OwnedFd>,
        opts: ClientOptions,
    ) -> Result<QmpClient, ClientError> {
        let (from_server, to_server) = (from_server.into(), to_server.into());
        let rt = runtime()?;
        let inner = rt.block_on(async move {
            let r = tokio::net::unix::pipe::Receiver::from_owned_fd(from_server)?;
            let w = tokio::net::unix::pipe::Sender::from_owned_fd(to_server)?;
            super::QmpClient::connect_split_with(r, w, opts).await
        })?;
        Ok(QmpClient { inner, rt })
    }

    /// The server's greeting.
    pub fn greeting(&self) -> &Greeting {
        self.inner.greeting()
    }

    /// Whether out-of-band execution was enabled.
    pub fn oob_enabled(&self) -> bool {
        self.inner.oob_enabled()
    }

    /// See [`super::QmpClient::execute`].
    pub fn execute<C: Command>(&self, cmd: &C) -> Result<C::Returns, ClientError> {
        self.rt.block_on(self.inner.execute(cmd))
    }

    /// See [`super::QmpClient::execute_timeout`].
    pub fn execute_timeout<C: Command>(
        &self,
        cmd: &C,
        timeout: Duration,
    ) -> Result<C::Returns, ClientError> {
        self.rt.block_on(self.inner.execute_timeout(cmd, timeout))
    }

    /// See [`super::QmpClient::execute_oob`].
    pub fn execute_oob<C: Command>(&self, cmd: &C) -> Result<C::Returns, ClientError> {
        self.rt.block_on(self.inner.execute_oob(cmd))
    }

    /// See [`super::QmpClient::execute_raw`].
    pub fn execute_raw(&self, name: &str, arguments: Value) -> Result<Value, ClientError> {
        self.rt.block_on(self.inner.execute_raw(name, arguments))
    }

    /// See [`super::QmpClient::execute_raw_with`].
    pub fn execute_raw_with(
        &self,
        name: &str,
        arguments: Value,
        oob: bool,
        timeout: Option<Duration>,
    ) -> Result<Value, ClientError> {
        self.rt
            .block_on(self.inner.execute_raw_with(name, arguments, oob, timeout))
    }

    /// The connection's events.
    pub fn events(&self) -> EventStream {
        EventStream {
            inner: self.inner.events(),
            rt: self.rt.clone(),
        }
    }

    /// See [`super::QmpClient::send_raw`].
    pub fn send_raw(&self, bytes: &[u8]) -> Result<(), ClientError> {
        self.inner.send_raw(bytes)
    }

    /// See [`super::QmpClient::unmatched_messages`].
    pub fn unmatched_messages(&self) -> u64 {
        self.inner.unmatched_messages()
    }

    /// Why the connection is closed, or `None` while it is open.
    pub fn closed_reason(&self) -> Option<String> {
        self.inner.closed_reason()
    }

    /// Waits until the connection is closed, at most `timeout`; returns
    /// whether it is.
    pub fn wait_closed(&self, timeout: Duration) -> bool {
        self.rt.block_on(async {
            tokio::time::timeout(timeout, self.inner.closed())
                .await
                .is_ok()
        })
    }
}

/// A blocking guest-agent client (see [`super::QgaClient`]).
#[derive(Clone, Debug)]
pub struct QgaClient {
    inner: super::QgaClient,
    rt: Arc<Runtime>,
}

impl QgaClient {
    /// Connects to an agent's unix socket (and resynchronizes, unless
    /// [`ClientOptions::sync_on_connect`] is off).
    #[cfg(unix)]
    pub fn connect_unix(path: impl AsRef<Path>) -> Result<QgaClient, ClientError> {
        QgaClient::connect_unix_with(path, ClientOptions::default())
    }

    /// [`QgaClient::connect_unix`] with options.
    #[cfg(unix)]
    pub fn connect_unix_with(
        path: impl AsRef<Path>,
        opts: ClientOptions,
    ) -> Result<QgaClient, ClientError> {
        let rt = runtime()?;
        let inner = rt.block_on(super::QgaClient::connect_unix_with(path, opts))?;
        Ok(QgaClient { inner, rt })
    }

    /// Connects over TCP.
    pub fn connect_tcp(addr: impl std::net::ToSocketAddrs) -> Result<QgaClient, ClientError> {
        QgaClient::connect_tcp_with(addr, ClientOptions::default())
    }

    /// [`QgaClient::connect_tcp`] with options.
    pub fn connect_tcp_with(
        addr: impl std::net::ToSocketAddrs,
        opts: ClientOptions,
    ) -> Result<QgaClient, ClientError> {
        let addrs = resolve(addr)?;
        let rt = runtime()?;
        let inner = rt.block_on(super::QgaClient::connect_tcp_with(&addrs[..], opts))?;
        Ok(QgaClient { inner, rt })
    }

    /// See [`super::QgaClient::sync`].
    pub fn sync(&self) -> Result<i64, ClientError> {
        self.rt.block_on(self.inner.sync())
    }

    /// See [`super::QgaClient::execute`].
    pub fn execute<C: Command>(&self, cmd: &C) -> Result<C::Returns, ClientError> {
        self.rt.block_on(self.inner.execute(cmd))
    }

    /// See [`super::QgaClient::execute_timeout`].
    pub fn execute_timeout<C: Command>(
        &self,
        cmd: &C,
        timeout: Duration,
    ) -> Result<C::Returns, ClientError> {
        self.rt.block_on(self.inner.execute_timeout(cmd, timeout))
    }

    /// See [`super::QgaClient::execute_raw`].
    pub fn execute_raw(&self, name: &str, arguments: Value) -> Result<Value, ClientError> {
        self.rt.block_on(self.inner.execute_raw(name, arguments))
    }

    /// See [`super::QgaClient::execute_raw_no_reply`].
    pub fn execute_raw_no_reply(&self, name: &str, arguments: Value) -> Result<(), ClientError> {
        self.rt
            .block_on(self.inner.execute_raw_no_reply(name, arguments))
    }

    /// See [`super::QgaClient::send_raw`].
    pub fn send_raw(&self, bytes: &[u8]) -> Result<(), ClientError> {
        self.inner.send_raw(bytes)
    }

    /// Why the connection is closed, or `None` while it is open.
    pub fn closed_reason(&self) -> Option<String> {
        self.inner.closed_reason()
    }
}

/// Blocking access to a connection's events (see
/// [`super::EventStream`]).
#[derive(Clone, Debug)]
pub struct EventStream {
    inner: super::EventStream,
    rt: Arc<Runtime>,
}

impl EventStream {
    /// The next event, blocking until one comes; `None` once the
    /// connection is closed and the queue is empty.
    pub fn recv(&mut self) -> Option<EventMessage> {
        let inner = &mut self.inner;
        self.rt.block_on(inner.recv())
    }

    /// The next event, blocking at most `timeout`; `None` on timeout or
    /// when the connection is closed and the queue is empty.
    pub fn recv_timeout(&mut self, timeout: Duration) -> Option<EventMessage> {
        let inner = &mut self.inner;
        self.rt.block_on(async {
            tokio::time::timeout(timeout, inner.recv())
                .await
                .ok()
                .flatten()
        })
    }

    /// The next event if one is queued.
    pub fn try_recv(&mut self) -> Option<EventMessage> {
        self.inner.try_recv()
    }

    /// Takes every queued event.
    pub fn drain(&mut self) -> Vec<EventMessage> {
        self.inner.drain()
    }

    /// How many events were dropped because the queue was full.
    pub fn dropped(&self) -> u64 {
        self.inner.dropped()
    }

    /// Whether the connection is closed.
    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }
}
