//! QMP and guest-agent servers on top of [`Registry::dispatch`](crate::Registry::dispatch).
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
//!   then answers requests as [`Registry::dispatch`](crate::Registry::dispatch) does, starting in
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
//!   [`Limits`] bound what one request may buffer.
//! * **Flow control as QEMU's monitor**: without OOB the connection
//!   handles one request at a time and reads nothing more until it is
//!   answered. With OOB negotiated it keeps reading while fewer than
//!   [`QUEUE_LEN_MAX`] in-band requests wait, runs `exec-oob` requests
//!   at once (also while an in-band command is running), and stops reading
//!   when the queue is full. In-band replies keep their order.
//! * `success-response: false` commands send nothing on success; `quit`
//!   is answered and then the connection closes (and, with
//!   [`QuitAction::StopServer`], the whole server stops). Asynchronous
//!   `exec-oob` handlers still running are answered first (waiting up to
//!   [`QUIT_OOB_WAIT`]), as QEMU has answered every OOB request it read.
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
//!
//! # Limits
//!
//! Everything a client can make a connection hold is bounded (see
//! `SECURITY.md` for the threat model and measured figures):
//!
//! | what | bound | default |
//! |---|---|---|
//! | one request (input buffer, parser) | [`ServerConfig::limits`] | QEMU's: nesting 1024, 2 097 152 tokens, 64 MiB of tokens |
//! | bytes read at a time | [`ServerConfig::read_buffer`] | 8 KiB |
//! | in-band requests waiting (OOB on) | [`ServerConfig::queue_len`] | 8 (QEMU's); 1 without OOB |
//! | asynchronous OOB handlers running | [`ServerConfig::oob_in_flight`] | 8 |
//! | memory of requests read, not answered | [`ServerConfig::request_bytes`] | 64 MiB (plus one request) |
//! | reply bytes a client has not read | [`ServerConfig::output_buffer`] | 1 MiB (plus one reply) |
//! | events a client has not read | [`ServerConfig::event_backlog`] | 1024, then disconnect |
//! | connections served at once | [`ServerConfig::max_connections`] | 64 |
//!
//! When a bound on pending work is reached the connection simply stops
//! reading (as QEMU's monitor does when its queue is full), so a client
//! that floods requests or never reads its replies slows down only
//! itself; the other connections are served by other tasks or threads.
//! Input over the JSON limits gets QEMU's error replies. A pretty-printed
//! reply (`pretty=on`) whose echoed `id` would grow beyond the token size
//! limit by indentation is written compactly instead.
//!
//! Listeners: [`bind_unix`] creates the socket owner-only (0600) without
//! a window in which it has other permissions; TCP listeners refuse
//! addresses that are not loopback unless
//! [`ServerConfig::allow_non_loopback`] says otherwise. QMP has no
//! authentication: whoever can connect controls the machine.

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

/// Default of [`ServerConfig::oob_in_flight`]: asynchronous `exec-oob`
/// handlers one connection may have running at once.
pub const OOB_IN_FLIGHT_MAX: usize = 8;

/// Default of [`ServerConfig::request_bytes`]: about how much memory the
/// requests a connection has read but not yet answered may hold before it
/// stops reading (64 MiB, QEMU's token size limit).
pub const REQUEST_BYTES_MAX: usize = 64 << 20;

/// Default of [`ServerConfig::output_buffer`]: reply bytes that may wait
/// for a client before its connection stops reading and running requests
/// (1 MiB).
pub const OUTPUT_BUFFER_MAX: usize = 1 << 20;

/// Default of [`ServerConfig::max_connections`].
pub const MAX_CONNECTIONS: usize = 64;

/// Default of [`ServerConfig::event_backlog`].
pub const EVENT_BACKLOG: usize = 1024;

/// How long a successful `quit` waits for asynchronous `exec-oob`
/// handlers still running before its reply is sent and the connection
/// closes: their replies go first, as in QEMU, which runs OOB commands to
/// completion as soon as it reads them (so it has answered every OOB
/// request read before `quit` by the time `quit` runs). Handlers still
/// running then are abandoned.
pub const QUIT_OOB_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

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
    pub(crate) oob_in_flight: usize,
    pub(crate) request_bytes: usize,
    pub(crate) output_buffer: usize,
    pub(crate) max_connections: usize,
    pub(crate) non_loopback: bool,
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
            .field("oob_in_flight", &self.oob_in_flight)
            .field("request_bytes", &self.request_bytes)
            .field("output_buffer", &self.output_buffer)
            .field("max_connections", &self.max_connections)
            .field("non_loopback", &self.non_loopback)
            .field("read_buffer", &self.read_buffer)
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
    /// limits, a backlog of 1024 events per connection, and the resource
    /// bounds listed in the [module documentation](self#limits).
    pub fn qmp() -> ServerConfig {
        ServerConfig {
            protocol: Protocol::Qmp,
            offer_oob: true,
            pretty: false,
            limits: Limits::QEMU,
            queue_len: QUEUE_LEN_MAX,
            oob_in_flight: OOB_IN_FLIGHT_MAX,
            request_bytes: REQUEST_BYTES_MAX,
            output_buffer: OUTPUT_BUFFER_MAX,
            max_connections: MAX_CONNECTIONS,
            non_loopback: false,
            read_buffer: 8192,
            event_backlog: EVENT_BACKLOG,
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

    /// Limits of the JSON reader (default: QEMU's, [`Limits::QEMU`]): the
    /// deepest nesting (1024), the most tokens (2 097 152) and the most
    /// token bytes (64 MiB) of one request. A request over a limit is
    /// answered with QEMU's error (`JSON nesting depth limit exceeded`,
    /// `JSON token count limit exceeded`, `JSON token size limit
    /// exceeded`) and the connection goes on. They bound what one request
    /// may buffer: lower them for clients you do not trust with that much
    /// memory. Keep `max_nesting` at 1024 or below: values are dropped
    /// recursively, and typed decoding refuses deeper ones.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// How many in-band requests may wait with OOB enabled (default
    /// [`QUEUE_LEN_MAX`], QEMU's 8; at least 1). When that many wait the
    /// connection stops reading until one is answered (QEMU sends no error
    /// or event for this). Without OOB one request at a time is read.
    pub fn queue_len(mut self, n: usize) -> Self {
        self.queue_len = n.max(1);
        self
    }

    /// How many asynchronous `exec-oob` handlers one connection may have
    /// running at once (default [`OOB_IN_FLIGHT_MAX`], 8; at least 1). When
    /// that many run, the next `exec-oob` request waits, and the
    /// connection reads nothing more, until one finishes. QEMU runs OOB
    /// commands to completion in its monitor I/O thread, one at a time,
    /// which is what the blocking server does; synchronous OOB handlers
    /// always run one at a time.
    pub fn oob_in_flight(mut self, n: usize) -> Self {
        self.oob_in_flight = n.max(1);
        self
    }

    /// About how much memory (estimated from the parsed values) the
    /// requests a connection has read and not yet answered may hold: those
    /// waiting in the in-band queue, the one running, and running OOB
    /// ones (default [`REQUEST_BYTES_MAX`], 64 MiB). Above it the
    /// connection reads nothing more until some are answered; a single
    /// request larger than this is still taken when nothing else is
    /// pending (its size is bounded by [`limits`](Self::limits)). Not in
    /// QEMU, which only has its queue of 8; it only delays reading.
    pub fn request_bytes(mut self, bytes: usize) -> Self {
        self.request_bytes = bytes.max(1);
        self
    }

    /// Reply bytes that may wait for a client that does not read them
    /// before the connection stops reading input and running requests
    /// until the client catches up (default [`OUTPUT_BUFFER_MAX`], 1 MiB).
    /// One reply larger than this is still sent whole. Events have their
    /// own bound, [`event_backlog`](Self::event_backlog).
    pub fn output_buffer(mut self, bytes: usize) -> Self {
        self.output_buffer = bytes.max(1);
        self
    }

    /// How many connections a [`Server`] (or [`blocking::Server`]) serves
    /// at once (default [`MAX_CONNECTIONS`], 64; at least 1). Further
    /// clients are not accepted until a connection ends: they wait in the
    /// listen backlog of the socket (a QEMU monitor socket serves one
    /// client at a time the same way).
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// Whether [`Server::serve_tcp`] and friends may listen on an address
    /// that is not loopback (default `false`: they fail with
    /// `PermissionDenied`). QMP has no authentication and no encryption:
    /// whoever reaches the port controls the virtual machine.
    pub fn allow_non_loopback(mut self, allow: bool) -> Self {
        self.non_loopback = allow;
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

    /// Events that may wait for one connection (default
    /// [`EVENT_BACKLOG`], 1024; at least 1), and what happens to a
    /// connection whose backlog is full (default
    /// [`EventOverflow::Disconnect`]). QEMU has no such bound (its monitor
    /// output buffer grows without limit).
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
