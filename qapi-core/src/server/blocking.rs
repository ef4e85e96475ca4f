//! The blocking server: std threads, no async runtime needed.
//!
//! It runs the same protocol state machine as the async server (same
//! greeting, negotiation, parsing, flow control, OOB rules, events, rate
//! limiting, texts); only the execution differs. Each connection uses
//! three threads:
//!
//! * the caller's thread runs in-band requests, one at a time, in order;
//! * a reader thread reads input (only when the flow control allows, as
//!   in QEMU), and runs `exec-oob` requests at once, so they overtake a
//!   slow in-band command, synchronous or not;
//! * a writer thread writes replies and events in the order they were
//!   produced.
//!
//! Asynchronous handlers are run to completion on the thread that
//! dispatched them: with the tokio runtime given to
//! [`ServerConfig::runtime`] (use a multi-thread runtime: its threads
//! drive the timers and I/O the handler awaits), or else with a minimal
//! executor, under which handlers must not need tokio's timers or I/O.
//!
//! ```no_run
//! use std::sync::Arc;
//! use qapi_core::Registry;
//! use qapi_core::server::{ServerConfig, blocking};
//! let registry = Arc::new(Registry::<()>::new());
//! blocking::Server::new(registry, Arc::new(()), ServerConfig::qmp()).serve_unix("qmp.sock")?;
//! # Ok::<(), std::io::Error>(())
//! ```

use std::future::Future;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

use super::events::{Out, Outbox};
use super::proto::{Core, Encoder, Pumped, Started};
use super::{Closed, EventSender, QUIT_OOB_WAIT, QuitAction, ServerConfig, Shutdown};
use crate::dispatch::Dispatched;
use crate::registry::{BoxFuture, Registry};

type Closer = Arc<dyn Fn() + Send + Sync>;

/// The blocking counterpart of [`super::Server`].
pub struct Server<S> {
    registry: Arc<Registry<S>>,
    state: Arc<S>,
    config: ServerConfig,
}

impl<S> Clone for Server<S> {
    fn clone(&self) -> Self {
        Server {
            registry: Arc::clone(&self.registry),
            state: Arc::clone(&self.state),
            config: self.config.clone(),
        }
    }
}

impl<S: Send + Sync + 'static> Server<S> {
    pub fn new(registry: Arc<Registry<S>>, state: Arc<S>, config: ServerConfig) -> Server<S> {
        config.events.set_policy(registry.policy());
        Server {
            registry,
            state,
            config,
        }
    }

    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// The sender whose events this server's connections receive.
    pub fn events(&self) -> &EventSender {
        &self.config.events
    }

    /// Stops the server (and its connections) when triggered.
    pub fn shutdown_token(&self) -> &Shutdown {
        &self.config.shutdown
    }

    /// Listens on a unix socket at `path` (mode 0600, see
    /// [`bind_unix`](super::bind_unix)) until shut down, then removes it.
    #[cfg(unix)]
    pub fn serve_unix(&self, path: impl AsRef<Path>) -> io::Result<()> {
        let path = path.as_ref();
        let listener = super::bind_unix(path)?;
        let _remove = super::listen::RemoveSocket::new(path);
        self.serve_unix_listener(listener)
    }

    /// Serves connections accepted from `listener` until shut down.
    #[cfg(unix)]
    pub fn serve_unix_listener(
        &self,
        listener: std::os::unix::net::UnixListener,
    ) -> io::Result<()> {
        use std::os::unix::net::UnixStream;
        let addr = listener.local_addr()?;
        let wake = addr.as_pathname().map(super::listen::public_path);
        // A connection to ourselves wakes the thread blocked in accept.
        let _wake = self.config.shutdown.on_shutdown(move || {
            if let Some(p) = &wake {
                let _ = UnixStream::connect(p);
            }
        });
        self.accept_loop(
            || listener.accept().map(|(s, _)| s),
            |s: &UnixStream| {
                let (r, w) = (s.try_clone()?, s.try_clone()?);
                let c = s.try_clone()?;
                Ok((
                    r,
                    w,
                    Arc::new(move || drop(c.shutdown(std::net::Shutdown::Both))) as Closer,
                ))
            },
        )
    }

    /// Listens on TCP until shut down. Only loopback addresses are
    /// accepted unless [`ServerConfig::allow_non_loopback`] is set (QMP
    /// has no authentication).
    pub fn serve_tcp(&self, addr: impl ToSocketAddrs) -> io::Result<()> {
        let addrs: Vec<SocketAddr> = addr.to_socket_addrs()?.collect();
        for a in &addrs {
            super::listen::check_tcp_addr(a, &self.config)?;
        }
        self.serve_tcp_listener(TcpListener::bind(&addrs[..])?)
    }

    /// Serves connections accepted from `listener` until shut down (the
    /// same address check as [`serve_tcp`](Self::serve_tcp)).
    pub fn serve_tcp_listener(&self, listener: TcpListener) -> io::Result<()> {
        let mut addr = listener.local_addr()?;
        super::listen::check_tcp_addr(&addr, &self.config)?;
        if addr.ip().is_unspecified() {
            addr = match addr {
                SocketAddr::V4(a) => SocketAddr::from(([127, 0, 0, 1], a.port())),
                SocketAddr::V6(a) => SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, a.port())),
            };
        }
        let _wake = self.config.shutdown.on_shutdown(move || {
            let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
        });
        self.accept_loop(
            || listener.accept().map(|(s, _)| s),
            |s: &TcpStream| {
                s.set_nodelay(true)?;
                let (r, w) = (s.try_clone()?, s.try_clone()?);
                let c = s.try_clone()?;
                Ok((
                    r,
                    w,
                    Arc::new(move || drop(c.shutdown(std::net::Shutdown::Both))) as Closer,
                ))
            },
        )
    }

    /// Speaks the protocol on stdin/stdout (one connection). After it
    /// returns, a thread may still be blocked reading stdin.
    pub fn serve_stdio(&self) -> io::Result<Closed> {
        serve_connection(
            Arc::clone(&self.registry),
            Arc::clone(&self.state),
            io::stdin(),
            io::stdout(),
            self.config.clone(),
        )
    }

    fn accept_loop<T, R, W>(
        &self,
        mut accept: impl FnMut() -> io::Result<T>,
        split: impl Fn(&T) -> io::Result<(R, W, Closer)>,
    ) -> io::Result<()>
    where
        R: Read + Send + 'static,
        W: Write + Send + 'static,
    {
        let shutdown = self.config.shutdown.clone();
        let mut conns: Vec<thread::JoinHandle<()>> = Vec::new();
        // Connections being served, against `max_connections`.
        let slots = Arc::new((Mutex::new(0usize), Condvar::new()));
        let _wake_slots = {
            let slots = Arc::clone(&slots);
            shutdown.on_shutdown(move || {
                let _guard = slots.0.lock().unwrap_or_else(|e| e.into_inner());
                slots.1.notify_all();
            })
        };
        let max = self.config.max_connections;
        while !shutdown.is_shutdown() {
            {
                let mut n = slots.0.lock().unwrap_or_else(|e| e.into_inner());
                while *n >= max && !shutdown.is_shutdown() {
                    n = slots.1.wait(n).unwrap_or_else(|e| e.into_inner());
                }
            }
            if shutdown.is_shutdown() {
                break;
            }
            let stream = match accept() {
                Ok(s) => s,
                Err(_) => {
                    thread::sleep(Duration::from_millis(50));
                    continue;
                }
            };
            if shutdown.is_shutdown() {
                break;
            }
            let Ok((r, w, closer)) = split(&stream) else {
                continue;
            };
            let (registry, state, config) = (
                Arc::clone(&self.registry),
                Arc::clone(&self.state),
                self.config.clone(),
            );
            drop(stream);
            *slots.0.lock().unwrap_or_else(|e| e.into_inner()) += 1;
            let slot = Slot(Arc::clone(&slots));
            let spawned = thread::Builder::new()
                .name("qmp-connection".into())
                .spawn(move || {
                    let _slot = slot;
                    let _ = run(registry, state, r, w, config, Some(closer));
                });
            if let Ok(h) = spawned {
                conns.push(h);
            }
            conns.retain(|h| !h.is_finished());
        }
        for h in conns {
            let _ = h.join();
        }
        Ok(())
    }
}

/// A connection's place among `max_connections`, given back on drop
/// (also when the thread could not start or panics).
struct Slot(Arc<(Mutex<usize>, Condvar)>);

impl Drop for Slot {
    fn drop(&mut self) {
        let mut n = self.0.0.lock().unwrap_or_else(|e| e.into_inner());
        *n = n.saturating_sub(1);
        self.0.1.notify_all();
    }
}

/// Serves one connection over blocking streams until the client closes
/// it, `quit`, or shutdown. The calling thread runs in-band requests; a
/// reader and a writer thread are started. When it returns, the reader
/// thread may still be blocked in `read` (the streams cannot be
/// interrupted in general; the socket servers shut their sockets down).
pub fn serve_connection<S, R, W>(
    registry: Arc<Registry<S>>,
    state: Arc<S>,
    reader: R,
    writer: W,
    config: ServerConfig,
) -> io::Result<Closed>
where
    S: Send + Sync + 'static,
    R: Read + Send + 'static,
    W: Write + Send + 'static,
{
    run(registry, state, reader, writer, config, None)
}

struct Conn<S> {
    core: Core<S>,
    ended: Option<Closed>,
    error: Option<io::Error>,
    reader_done: bool,
}

struct Shared<S> {
    conn: Mutex<Conn<S>>,
    /// The connection state changed.
    cond: Condvar,
    outbox: Arc<Outbox>,
}

impl<S> Shared<S> {
    fn lock(&self) -> MutexGuard<'_, Conn<S>> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(&self, g: MutexGuard<'a, Conn<S>>) -> MutexGuard<'a, Conn<S>> {
        self.cond.wait(g).unwrap_or_else(|e| e.into_inner())
    }

    fn end(&self, why: Closed) {
        let mut c = self.lock();
        c.ended.get_or_insert(why);
        drop(c);
        self.cond.notify_all();
        self.outbox.close();
    }
}

fn run<S, R, W>(
    registry: Arc<Registry<S>>,
    state: Arc<S>,
    reader: R,
    writer: W,
    config: ServerConfig,
    closer: Option<Closer>,
) -> io::Result<Closed>
where
    S: Send + Sync + 'static,
    R: Read + Send + 'static,
    W: Write + Send + 'static,
{
    let core = Core::new(registry, state, config.clone());
    let outbox = Outbox::new(config.event_backlog, config.event_overflow);
    if let Some(g) = core.greeting() {
        outbox.push_bytes(g);
    }
    if let Some(c) = &closer {
        let c = Arc::clone(c);
        outbox.set_overflow_hook(move || c());
    }
    let encoder = core.encoder().clone();
    let shared = Arc::new(Shared {
        conn: Mutex::new(Conn {
            core,
            ended: None,
            error: None,
            reader_done: false,
        }),
        cond: Condvar::new(),
        outbox,
    });
    let on_shutdown = {
        let (shared, closer) = (Arc::clone(&shared), closer.clone());
        config.shutdown.on_shutdown(move || {
            shared.end(Closed::Shutdown);
            if let Some(c) = &closer {
                c();
            }
        })
    };
    let writer_thread = {
        let shared = Arc::clone(&shared);
        thread::Builder::new()
            .name("qmp-writer".into())
            .spawn(move || write_loop(&shared, writer, &encoder))?
    };
    let reader_thread = {
        let shared = Arc::clone(&shared);
        let buf_len = config.read_buffer;
        let (runtime, stop) = (config.runtime.clone(), config.shutdown.clone());
        thread::Builder::new()
            .name("qmp-reader".into())
            .spawn(move || read_loop(&shared, reader, buf_len, runtime.as_ref(), &stop))?
    };

    let end = dispatch_loop(&shared, config.runtime.as_ref(), &config.shutdown);
    // Let the writer send what is queued (the reply to `quit`), then stop.
    shared.outbox.finish();
    let _ = writer_thread.join();
    shared.end(end);
    if let Some(c) = &closer {
        c();
        let _ = reader_thread.join();
    }
    let (end, error) = {
        let mut c = shared.lock();
        (c.ended.unwrap_or(end), c.error.take())
    };
    // Outside the lock: stopping the server runs this connection's hook too.
    drop(on_shutdown);
    if end == Closed::Quit && config.quit == QuitAction::StopServer {
        config.shutdown.shutdown();
    }
    match error {
        Some(e) => Err(e),
        None => Ok(end),
    }
}

/// The caller's thread: in-band requests, one at a time.
fn dispatch_loop<S: Send + Sync + 'static>(
    shared: &Shared<S>,
    runtime: Option<&tokio::runtime::Handle>,
    stop: &Shutdown,
) -> Closed {
    let mut c = shared.lock();
    loop {
        if let Some(end) = c.ended {
            return end;
        }
        if !has_room(&shared.outbox, c.core.config.output_buffer) {
            let max = c.core.config.output_buffer;
            drop(c);
            wait_for_room(&shared.outbox, max);
            c = shared.lock();
            continue;
        }
        let Some(job) = c.core.next_job() else {
            if c.core.eof() && c.reader_done && c.core.is_idle() {
                return Closed::Eof;
            }
            // Without OOB nothing taken from the reader runs out of band
            // (`exec-oob` is answered with an error at once), so take the
            // next request here rather than wait for the reader thread to
            // hand it over: pipelined requests then cost no thread switch.
            if !c.core.oob_enabled() {
                match c.core.pump() {
                    Pumped::Progress => continue,
                    Pumped::Write(bytes) => {
                        shared.outbox.push_bytes(bytes);
                        continue;
                    }
                    Pumped::Oob(job) => {
                        drop(c);
                        let response = run_future(job.future, runtime, stop);
                        c = shared.lock();
                        c.core.oob_done(job.cost);
                        if let Some(Some(r)) = response {
                            shared.outbox.push_bytes(c.core.encode(&r, false));
                        }
                        continue;
                    }
                    // The reader may read more now.
                    Pumped::Nothing => shared.cond.notify_all(),
                }
            }
            c = shared.wait(c);
            continue;
        };
        drop(c);
        let Started {
            session,
            dispatched,
            delimit,
        } = job.run();
        let response = match dispatched {
            Dispatched::Reply(r) => Some(r),
            Dispatched::Silent => None,
            Dispatched::Pending(f) => match run_future(f, runtime, stop) {
                Some(r) => r,
                None => return Closed::Shutdown,
            },
        };
        c = shared.lock();
        let f = c.core.finish(session, response, delimit);
        if f.quit {
            // The replies of asynchronous OOB handlers still running (on
            // the reader thread) go first.
            let deadline = Instant::now() + QUIT_OOB_WAIT;
            while c.core.oob_running() > 0 {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                c = match shared.cond.wait_timeout(c, left) {
                    Ok((g, _)) => g,
                    Err(e) => e.into_inner().0,
                };
            }
        }
        if f.negotiated {
            c.core.config.events.subscribe(&shared.outbox);
        }
        if let Some(reply) = f.reply {
            shared.outbox.push_bytes(reply);
        }
        shared.cond.notify_all();
        if f.quit {
            return Closed::Quit;
        }
    }
}

/// The reader thread: input, the reader's items, OOB requests.
fn read_loop<S, R>(
    shared: &Shared<S>,
    mut input: R,
    buf_len: usize,
    runtime: Option<&tokio::runtime::Handle>,
    stop: &Shutdown,
) where
    S: Send + Sync + 'static,
    R: Read,
{
    let mut buf = vec![0u8; buf_len];
    let mut c = shared.lock();
    let output_max = c.core.config.output_buffer;
    loop {
        if c.ended.is_some() || c.core.quitting() {
            break;
        }
        if !has_room(&shared.outbox, output_max) {
            drop(c);
            wait_for_room(&shared.outbox, output_max);
            c = shared.lock();
            continue;
        }
        match c.core.pump() {
            Pumped::Progress => {
                shared.cond.notify_all();
                continue;
            }
            Pumped::Write(bytes) => {
                shared.outbox.push_bytes(bytes);
                continue;
            }
            Pumped::Oob(job) => {
                drop(c);
                let response = run_future(job.future, runtime, stop);
                c = shared.lock();
                c.core.oob_done(job.cost);
                if let Some(Some(r)) = response {
                    shared.outbox.push_bytes(c.core.encode(&r, false));
                }
                // A `quit` may be waiting for this.
                shared.cond.notify_all();
                continue;
            }
            Pumped::Nothing => {}
        }
        if c.core.wants_input() {
            drop(c);
            let n = input.read(&mut buf);
            c = shared.lock();
            match n {
                Ok(0) => c.core.set_eof(),
                Ok(n) => c.core.feed(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if super::conn::is_disconnect(&e) => c.core.set_eof(),
                Err(e) => {
                    c.error.get_or_insert(e);
                    c.ended.get_or_insert(Closed::Eof);
                }
            }
            continue;
        }
        if c.core.eof() && c.core.is_idle() {
            break;
        }
        c = shared.wait(c);
    }
    c.reader_done = true;
    drop(c);
    shared.cond.notify_all();
}

/// Whether less than `max` bytes of replies wait for the client (or the
/// connection is closing: nothing waits then).
fn has_room(outbox: &Outbox, max: usize) -> bool {
    let st = outbox.lock();
    st.bytes < max || st.closed
}

/// Holds a thread back while `max` bytes or more of replies wait for
/// the client.
fn wait_for_room(outbox: &Outbox, max: usize) {
    let mut st = outbox.lock();
    while st.bytes >= max && !st.closed {
        st = outbox.cond.wait(st).unwrap_or_else(|e| e.into_inner());
    }
}

/// The writer thread.
fn write_loop<S, W: Write>(shared: &Shared<S>, mut w: W, enc: &Encoder) {
    let mut buf = Vec::new();
    loop {
        let items = {
            let mut st = shared.outbox.lock();
            loop {
                if st.overflowed {
                    drop(st);
                    shared.end(Closed::EventBacklogFull);
                    return;
                }
                if !st.items.is_empty() && !st.closed {
                    break;
                }
                if st.closed || st.finish {
                    let _ = w.flush();
                    return;
                }
                st = shared
                    .outbox
                    .cond
                    .wait(st)
                    .unwrap_or_else(|e| e.into_inner());
            }
            Outbox::take(&mut st)
        };
        // Producers waiting for room may go on.
        shared.outbox.cond.notify_all();
        buf.clear();
        for item in items {
            match item {
                Out::Bytes(b) => buf.extend_from_slice(&b),
                Out::Event(msg) => buf.extend_from_slice(&enc.event(&msg)),
            }
        }
        if w.write_all(&buf).and_then(|()| w.flush()).is_err() {
            let overflowed = shared.outbox.lock().overflowed;
            shared.end(if overflowed {
                Closed::EventBacklogFull
            } else {
                Closed::WriteFailed
            });
            return;
        }
        if buf.capacity() > 1 << 16 {
            buf = Vec::new();
        }
    }
}

/// Runs an asynchronous handler to completion, or until shutdown
/// (`None`).
fn run_future<T>(
    f: BoxFuture<T>,
    runtime: Option<&tokio::runtime::Handle>,
    stop: &Shutdown,
) -> Option<T> {
    let stopped = stop.wait();
    let raced = async {
        let mut stopped = std::pin::pin!(stopped);
        let mut f = f;
        std::future::poll_fn(|cx| {
            if stopped.as_mut().poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            f.as_mut().poll(cx).map(Some)
        })
        .await
    };
    match runtime {
        Some(rt) => rt.block_on(raced),
        None => block_on(raced),
    }
}

/// Runs a future on this thread, parking while it waits.
fn block_on<F: Future>(f: F) -> F::Output {
    struct Unpark(thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        thread::park();
    }
}
