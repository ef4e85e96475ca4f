//! QMP and guest-agent servers on top of [`Registry::dispatch`].
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use std::sync::Arc;
//! use qapi_core::Registry;
//! use qapi_core::server::{EventSender, Server, ServerConfig};
//!
//! struct Vm { events: EventSender }
//! let events = EventSender::new();
//! let registry = Registry::<Vm>::new();          // + your commands and events
//! let vm = Vm { events: events.clone() };        // handlers emit through it
//! let server = Server::new(Arc::new(registry), Arc::new(vm), ServerConfig::qmp().events(events));
//! server.serve_unix("qmp.sock").await?;          // until `quit` or shutdown
//! # Ok(()) }
//! ```
//!
//! What a connection does (REFERENCE.md sections 1, 4, 5 and 6):
//!
//! * **QMP**: it sends the greeting `{"QMP": {"version": …,
//!   "capabilities": ["oob"]}}` (`oob` only if [`ServerConfig::offer_oob`]),
//!   then answers requests as [`Registry::dispatch`] does, starting in
//!   capabilities negotiation mode. Lines end in CRLF.
//! * **Guest agent** ([`ServerConfig::guest_agent`]): no greeting, no
//!   negotiation, `exec-oob` is an unexpected member, lines end in `\n`,
//!   and the reply of `guest-sync-delimited` is preceded by a 0xFF byte.
//! * **Input** is read with QEMU's streaming JSON reader
//!   ([`JsonStreamer`](crate::json::JsonStreamer)): newlines are not
//!   delimiters, several requests may share a line, a lexical error
//!   (`JSON parse error, stray '…'`, e.g. for a 0xFF byte) discards the
//!   partial request and the reader resynchronises; parse errors are
//!   answered without `id`; the connection survives bad input. The JSON
//!   [`Limits`](crate::json::Limits) bound what one request may buffer.
//! * **Flow control as QEMU's monitor**: without OOB the connection
//!   handles one request at a time and reads nothing more until it is
//!   answered. With OOB negotiated it keeps reading while fewer than
//!   [`QUEUE_LEN_MAX`] in-band requests wait, runs `exec-oob` requests
//!   at once (also while an in-band command is running), and stops reading
//!   when the queue is full. In-band replies keep their order.
//! * `success-response: false` commands send nothing on success; `quit`
//!   is answered and then the connection closes (and, with
//!   [`QuitAction::StopServer`], the whole server stops).
//! * **Events** sent through an [`EventSender`] go to every connection
//!   that has completed negotiation (guest-agent connections get none),
//!   with QEMU's rate limiting ([`RateLimits`]) and a bounded backlog per
//!   connection ([`EventOverflow`] says what happens when it is full).
//!   Events emitted by a handler before it returns are sent before its
//!   reply, as QEMU does.
//! * A panicking handler is answered with an error (dispatch catches the
//!   panic); the connection and the server go on.
//!
//! Two drivers share this protocol logic (one state machine, `Core`):
//! the async server in this module (tokio; [`serve_connection`] for any
//! `AsyncRead + AsyncWrite`, [`Server`] for unix sockets, TCP and stdio),
//! and [`blocking`], built on std threads for programs without an async
//! runtime.
//!
//! Execution: the async driver runs synchronous handlers on the
//! connection's task and awaits asynchronous ones there, so an OOB
//! request overtakes a slow *asynchronous* in-band command; a slow
//! synchronous handler holds up its own connection (make slow commands
//! async, as QEMU makes them coroutines or jobs). The blocking driver runs
//! in-band commands on a thread of their own, so OOB requests overtake
//! synchronous ones too.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::dispatch::Protocol;
use crate::json::Limits;

mod conn;
mod events;
mod ga;
mod listen;
mod proto;

pub mod blocking;

pub use conn::{serve_connection, serve_split};
pub use events::{EventOverflow, EventSender, RateLimits};
pub use ga::{GuestAgentCommandInfo, GuestAgentInfo, guest_agent_commands};
pub use listen::{Server, bind_unix};

/// How many in-band requests may wait while OOB is enabled before the
/// connection stops reading (QEMU's `QMP_REQ_QUEUE_LEN_MAX`).
pub const QUEUE_LEN_MAX: usize = 8;

/// What a connection does after a successful `quit`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QuitAction {
    /// Reply, close the connection and shut the server down (all
    /// connections, the listeners): QEMU exits on `quit`.
    #[default]
    StopServer,
    /// Reply and close this connection only.
    CloseConnection,
}

/// Why a connection ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    /// The client closed its side (after its requests were answered).
    Eof,
    /// `quit` was answered.
    Quit,
    /// The server was shut down ([`Shutdown::shutdown`]).
    Shutdown,
    /// The client did not read its events and the backlog overflowed
    /// ([`EventOverflow::Disconnect`]).
    EventBacklogFull,
    /// Writing to the client failed (it went away).
    WriteFailed,
}

/// Settings of a server or connection. Cheap to clone (the event sender
/// and the shutdown token are shared by the clones).
#[derive(Clone)]
pub struct ServerConfig {
    pub(crate) protocol: Protocol,
    pub(crate) offer_oob: bool,
    pub(crate) pretty: bool,
    pub(crate) limits: Limits,
    pub(crate) queue_len: usize,
    pub(crate) read_buffer: usize,
    pub(crate) event_backlog: usize,
    pub(crate) event_overflow: EventOverflow,
    pub(crate) quit: QuitAction,
    pub(crate) events: EventSender,
    pub(crate) shutdown: Shutdown,
    pub(crate) delimited: Arc<[String]>,
    pub(crate) on_quit: Option<Arc<dyn Fn() + Send + Sync>>,
    pub(crate) runtime: Option<tokio::runtime::Handle>,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("protocol", &self.protocol)
            .field("offer_oob", &self.offer_oob)
            .field("pretty", &self.pretty)
            .field("limits", &self.limits)
            .field("queue_len", &self.queue_len)
            .field("event_backlog", &self.event_backlog)
            .field("event_overflow", &self.event_overflow)
            .field("quit", &self.quit)
            .finish_non_exhaustive()
    }
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig::qmp()
    }
}

impl ServerConfig {
    /// A QMP server: greeting offering `oob`, QEMU's JSON limits and queue
    /// length, compact output, a fresh [`EventSender`] with QEMU's rate
    /// limits, a backlog of 1024 events per connection.
    pub fn qmp() -> ServerConfig {
        ServerConfig {
            protocol: Protocol::Qmp,
            offer_oob: true,
            pretty: false,
            limits: Limits::QEMU,
            queue_len: QUEUE_LEN_MAX,
            read_buffer: 8192,
            event_backlog: 1024,
            event_overflow: EventOverflow::Disconnect,
            quit: QuitAction::StopServer,
            events: EventSender::new(),
            shutdown: Shutdown::new(),
            delimited: Arc::from(Vec::new()),
            on_quit: None,
            runtime: None,
        }
    }

    /// A guest-agent server (qemu-ga's protocol): no greeting, no
    /// negotiation, no OOB, `\n` line endings, and `guest-sync-delimited`
    /// replies preceded by a 0xFF byte. Registries for it are usually
    /// built with [`Registry::empty`](crate::Registry::empty).
    pub fn guest_agent() -> ServerConfig {
        ServerConfig {
            protocol: Protocol::GuestAgent,
            offer_oob: false,
            delimited: Arc::from(vec!["guest-sync-delimited".to_owned()]),
            ..ServerConfig::qmp()
        }
    }

    /// Whether the greeting offers the `oob` capability (QMP only).
    pub fn offer_oob(mut self, on: bool) -> Self {
        self.offer_oob = on && self.protocol == Protocol::Qmp;
        self
    }

    /// QEMU's `pretty=on`: one item per line, 4 spaces per level.
    pub fn pretty(mut self, on: bool) -> Self {
        self.pretty = on;
        self
    }

    /// Limits of the JSON reader (default: QEMU's).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// How many in-band requests may wait with OOB enabled (default
    /// [`QUEUE_LEN_MAX`]; at least 1).
    pub fn queue_len(mut self, n: usize) -> Self {
        self.queue_len = n.max(1);
        self
    }

    /// Bytes read from the client at a time (default 8192).
    pub fn read_buffer(mut self, bytes: usize) -> Self {
        self.read_buffer = bytes.max(1);
        self
    }

    /// The events this server sends (default: a fresh sender; pass the
    /// one your handlers use).
    pub fn events(mut self, events: EventSender) -> Self {
        self.events = events;
        self
    }

    /// The event sender in use.
    pub fn event_sender(&self) -> &EventSender {
        &self.events
    }

    /// Events that may wait for one connection (default 1024, at least
    /// 1), and what happens to a connection whose backlog is full.
    pub fn event_backlog(mut self, events: usize, overflow: EventOverflow) -> Self {
        self.event_backlog = events.max(1);
        self.event_overflow = overflow;
        self
    }

    /// What `quit` does (default [`QuitAction::StopServer`]).
    pub fn on_quit_action(mut self, action: QuitAction) -> Self {
        self.quit = action;
        self
    }

    /// Called when `quit` succeeded, before its reply is sent: events it
    /// emits (qemu-system's `SHUTDOWN`) reach this client before the
    /// reply.
    pub fn on_quit(mut self, hook: impl Fn() + Send + Sync + 'static) -> Self {
        self.on_quit = Some(Arc::new(hook));
        self
    }

    /// The shutdown token (default: a fresh one). Servers sharing a token
    /// stop together.
    pub fn shutdown(mut self, token: Shutdown) -> Self {
        self.shutdown = token;
        self
    }

    /// The shutdown token in use.
    pub fn shutdown_token(&self) -> &Shutdown {
        &self.shutdown
    }

    /// Commands whose successful reply is preceded by a 0xFF byte
    /// (guest agent: `guest-sync-delimited`).
    pub fn delimited_commands<I: IntoIterator<Item = T>, T: Into<String>>(
        mut self,
        names: I,
    ) -> Self {
        self.delimited = names.into_iter().map(Into::into).collect::<Vec<_>>().into();
        self
    }

    /// The blocking server runs asynchronous handlers with this tokio
    /// runtime (`Handle::block_on`), so they may use tokio's timers and
    /// I/O. Without it they run on a minimal executor of their own.
    pub fn runtime(mut self, handle: tokio::runtime::Handle) -> Self {
        self.runtime = Some(handle);
        self
    }

    /// The protocol spoken.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }
}

/// A token that stops servers and their connections. Clones share the
/// state; it works for the async and the blocking server alike.
#[derive(Clone, Default)]
pub struct Shutdown {
    inner: Arc<ShutdownInner>,
}

#[derive(Default)]
struct ShutdownInner {
    done: AtomicBool,
    notify: Notify,
    next_hook: AtomicU64,
    hooks: Mutex<Vec<(u64, Hook)>>,
}

type Hook = Box<dyn Fn() + Send + Sync>;

impl std::fmt::Debug for Shutdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shutdown")
            .field("done", &self.is_shutdown())
            .finish()
    }
}

impl Shutdown {
    pub fn new() -> Shutdown {
        Shutdown::default()
    }

    /// Stops everything using this token. Idempotent.
    pub fn shutdown(&self) {
        if self.inner.done.swap(true, Ordering::SeqCst) {
            return;
        }
        self.inner.notify.notify_waiters();
        let hooks =
            std::mem::take(&mut *self.inner.hooks.lock().unwrap_or_else(|e| e.into_inner()));
        for (_, hook) in hooks {
            hook();
        }
    }

    pub fn is_shutdown(&self) -> bool {
        self.inner.done.load(Ordering::SeqCst)
    }

    /// Completes once [`Shutdown::shutdown`] has been called.
    pub async fn wait(&self) {
        loop {
            let notified = self.inner.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_shutdown() {
                return;
            }
            notified.await;
        }
    }

    /// Runs `hook` on shutdown (at once if already shut down) until the
    /// guard is dropped. The blocking server uses this to wake threads
    /// stuck in `accept` or `read`.
    pub(crate) fn on_shutdown(&self, hook: impl Fn() + Send + Sync + 'static) -> HookGuard {
        let id = self.inner.next_hook.fetch_add(1, Ordering::Relaxed);
        self.inner
            .hooks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((id, Box::new(hook)));
        if self.is_shutdown() {
            // Raced with shutdown(): it may have taken the list already.
            let hook = {
                let mut hooks = self.inner.hooks.lock().unwrap_or_else(|e| e.into_inner());
                hooks
                    .iter()
                    .position(|(i, _)| *i == id)
                    .map(|p| hooks.remove(p).1)
            };
            if let Some(h) = hook {
                h();
            }
        }
        HookGuard {
            token: self.clone(),
            id,
        }
    }
}

/// Unregisters a shutdown hook when dropped.
pub(crate) struct HookGuard {
    token: Shutdown,
    id: u64,
}

impl Drop for HookGuard {
    fn drop(&mut self) {
        let mut hooks = self
            .token
            .inner
            .hooks
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        hooks.retain(|(i, _)| *i != self.id);
    }
}
