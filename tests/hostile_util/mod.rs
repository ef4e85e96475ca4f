//! Shared by the `hostile_*` tests: servers (async or blocking driver)
//! on a unix socket or loopback TCP, a raw client with time limits,
//! extra commands for abuse (echo, OOB handlers that hold or panic), and
//! the process's memory from /proc.
//!
//! Builds on `server_util` (its test schema and state): a test file
//! declares `mod server_util;` and `mod hostile_util;`.
#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use qapi::server::{EventSender, ServerConfig, Shutdown, blocking};
use qapi::{Qapi, Registry};

use crate::server_util::{self, TempDir, TestState};

pub use crate::server_util::Driver;

/// How long one expected line may take, however hostile the others.
pub const REPLY_BOUND: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------- commands

/// Returns its argument: replies carry what only this client sent.
#[derive(Debug, Qapi)]
#[qapi(command = "x-echo", returns = serde_json::Value, returns_exception, allow_oob)]
pub struct XEcho {
    pub value: serde_json::Value,
}

/// `x-echo` with an asynchronous handler.
#[derive(Debug, Qapi)]
#[qapi(command = "x-echo-async", returns = serde_json::Value, returns_exception)]
pub struct XEchoAsync {
    pub value: serde_json::Value,
}

/// A recursive type, as QEMU's `BlockdevRef` inside `BlockdevOptions`.
#[derive(Debug, Qapi)]
#[qapi(struct)]
pub struct TreeNode {
    pub v: i64,
    pub next: Option<Box<TreeNode>>,
}

/// Returns how deep its argument is.
#[derive(Debug, Qapi)]
#[qapi(command = "x-tree", returns = i64, returns_exception)]
pub struct XTree {
    pub node: TreeNode,
}

/// An asynchronous OOB handler that takes `ms` (counted while it runs).
#[derive(Debug, Qapi)]
#[qapi(command = "x-oob-hold", allow_oob)]
pub struct XOobHold {
    pub ms: u64,
}

#[derive(Debug, Qapi)]
#[qapi(command = "x-async-panic")]
pub struct XAsyncPanic {}

#[derive(Debug, Qapi)]
#[qapi(command = "x-oob-panic", allow_oob)]
pub struct XOobPanic {}

#[derive(Debug, Qapi)]
#[qapi(command = "x-oob-async-panic", allow_oob)]
pub struct XOobAsyncPanic {}

/// Returns a string of `size` bytes: a small request, a big reply.
#[derive(Debug, Qapi)]
#[qapi(command = "x-big", returns = String, returns_exception)]
pub struct XBig {
    pub size: i64,
}

/// Emits `count` events of `size` bytes of data each.
#[derive(Debug, Qapi)]
#[qapi(command = "x-emit-fat")]
pub struct XEmitFat {
    pub count: i64,
    pub size: i64,
}

#[derive(Debug, Clone, Qapi)]
#[qapi(event = "FAT_EVENT")]
pub struct FatEvent {
    pub n: i64,
    pub pad: String,
}

/// How many `x-oob-hold` handlers run now, and the most seen at once.
#[derive(Default)]
pub struct Concurrency {
    pub now: AtomicUsize,
    pub max: AtomicUsize,
    pub done: AtomicUsize,
}

/// `server_util`'s registry plus the commands above.
pub fn registry(conc: &Arc<Concurrency>) -> Registry<TestState> {
    let mut r = server_util::registry();
    r.command::<XEcho, _>(|_, c| Ok(c.value));
    r.command_async::<XEchoAsync, _, _>(|_, c| async move {
        server_util::sleep_ms(1).await;
        Ok(c.value)
    });
    r.command::<XTree, _>(|_, c| {
        let (mut depth, mut node) = (1, &c.node);
        while let Some(next) = &node.next {
            depth += 1;
            node = next;
        }
        Ok(depth)
    });
    r.command::<XBig, _>(|_, c| Ok("b".repeat(c.size as usize)));
    let cc = Arc::clone(conc);
    r.command_async::<XOobHold, _, _>(move |_, c| {
        let cc = Arc::clone(&cc);
        async move {
            let now = cc.now.fetch_add(1, Ordering::SeqCst) + 1;
            cc.max.fetch_max(now, Ordering::SeqCst);
            server_util::sleep_ms(c.ms).await;
            cc.now.fetch_sub(1, Ordering::SeqCst);
            cc.done.fetch_add(1, Ordering::SeqCst);
            Ok(qapi::Empty)
        }
    });
    r.command_async::<XAsyncPanic, _, _>(|_, _| async move {
        server_util::sleep_ms(1).await;
        panic!("async handler bug");
        #[allow(unreachable_code)]
        Ok(qapi::Empty)
    });
    r.command::<XOobPanic, _>(|_, _| panic!("oob handler bug"));
    r.command_async::<XOobAsyncPanic, _, _>(|_, _| async move {
        server_util::sleep_ms(1).await;
        panic!("oob async handler bug");
        #[allow(unreachable_code)]
        Ok(qapi::Empty)
    });
    r.command::<XEmitFat, _>(|s, c| {
        let pad = "x".repeat(c.size as usize);
        for n in 0..c.count {
            s.events.emit(&FatEvent {
                n,
                pad: pad.clone(),
            });
        }
        Ok(qapi::Empty)
    });
    r.event::<FatEvent>();
    r
}

// ---------------------------------------------------------------- servers

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Unix,
    Tcp,
}

/// Driver and transport combinations; tests pick what they need.
pub const SETUPS: [(Driver, Transport); 4] = [
    (Driver::Async, Transport::Unix),
    (Driver::Blocking, Transport::Unix),
    (Driver::Async, Transport::Tcp),
    (Driver::Blocking, Transport::Tcp),
];

#[derive(Clone, Debug)]
pub enum Addr {
    Unix(PathBuf),
    Tcp(SocketAddr),
}

/// A running server; stopped (bounded) on drop.
pub struct Srv {
    pub addr: Addr,
    pub shutdown: Shutdown,
    pub events: EventSender,
    pub state: Arc<TestState>,
    pub conc: Arc<Concurrency>,
    pub driver: Driver,
    thread: Option<JoinHandle<io::Result<()>>>,
    _dir: TempDir,
}

impl Srv {
    pub fn start(driver: Driver, transport: Transport, config: ServerConfig) -> Srv {
        let conc = Arc::new(Concurrency::default());
        let registry = Arc::new(registry(&conc));
        let events = config.event_sender().clone();
        let state = Arc::new(TestState::new(events.clone()));
        let shutdown = config.shutdown_token().clone();
        let dir = TempDir::new("hostile");
        let (addr, tcp) = match transport {
            Transport::Unix => (Addr::Unix(dir.0.join("qmp.sock")), None),
            Transport::Tcp => {
                let l = TcpListener::bind("127.0.0.1:0").unwrap();
                (Addr::Tcp(l.local_addr().unwrap()), Some(l))
            }
        };
        let (a, st) = (addr.clone(), Arc::clone(&state));
        let thread = std::thread::spawn(move || match driver {
            Driver::Async => {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()?;
                rt.block_on(async move {
                    let server = qapi::server::Server::new(registry, st, config);
                    match (a, tcp) {
                        (Addr::Unix(p), _) => server.serve_unix(&p).await,
                        (Addr::Tcp(_), Some(l)) => {
                            l.set_nonblocking(true)?;
                            server
                                .serve_tcp_listener(tokio::net::TcpListener::from_std(l)?)
                                .await
                        }
                        _ => unreachable!(),
                    }
                })
            }
            Driver::Blocking => {
                let server = blocking::Server::new(registry, st, config);
                match (a, tcp) {
                    (Addr::Unix(p), _) => server.serve_unix(&p),
                    (Addr::Tcp(_), Some(l)) => server.serve_tcp_listener(l),
                    _ => unreachable!(),
                }
            }
        });
        if let Addr::Unix(p) = &addr {
            let deadline = Instant::now() + REPLY_BOUND;
            while !p.exists() {
                assert!(Instant::now() < deadline, "server did not start");
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        Srv {
            addr,
            shutdown,
            events,
            state,
            conc,
            driver,
            thread: Some(thread),
            _dir: dir,
        }
    }

    pub fn connect(&self) -> Peer {
        Peer::connect(&self.addr)
    }

    /// Connects, checks the greeting and negotiates (with OOB if asked).
    pub fn negotiated(&self, oob: bool) -> Peer {
        let mut p = self.connect();
        let g = p.line();
        assert!(g.starts_with(r#"{"QMP": "#), "{g}");
        if oob {
            p.send(r#"{"execute":"qmp_capabilities","arguments":{"enable":["oob"]}}"#);
        } else {
            p.send(r#"{"execute":"qmp_capabilities"}"#);
        }
        assert_eq!(p.line(), r#"{"return": {}}"#);
        p
    }

    /// Waits (bounded) until `n` connections receive events.
    pub fn wait_subscribers(&self, n: usize) {
        let deadline = Instant::now() + REPLY_BOUND;
        while self.events.subscribers() != n {
            assert!(
                Instant::now() < deadline,
                "{} event subscribers, expected {n} ({:?})",
                self.events.subscribers(),
                self.driver
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Checks that the server answers a fresh client promptly.
    pub fn assert_responsive(&self) {
        let t = Instant::now();
        let mut p = self.negotiated(false);
        assert_eq!(
            p.cmd(r#"{"execute":"x-echo","arguments":{"value":"alive"},"id":"alive"}"#),
            r#"{"return": "alive", "id": "alive"}"#
        );
        assert!(t.elapsed() < REPLY_BOUND, "{:?}", t.elapsed());
    }
}

impl Drop for Srv {
    fn drop(&mut self) {
        self.shutdown.shutdown();
        if let Some(h) = self.thread.take() {
            let deadline = Instant::now() + REPLY_BOUND;
            while !h.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            if h.is_finished() {
                let r = h.join();
                if !std::thread::panicking() {
                    r.expect("server thread panicked").expect("server failed");
                }
            } else if !std::thread::panicking() {
                panic!("server did not stop within {REPLY_BOUND:?}");
            }
        }
    }
}

// ---------------------------------------------------------------- client

pub enum Sock {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Sock {
    pub fn try_clone(&self) -> Sock {
        match self {
            Sock::Unix(s) => Sock::Unix(s.try_clone().unwrap()),
            Sock::Tcp(s) => Sock::Tcp(s.try_clone().unwrap()),
        }
    }

    pub fn set_read_timeout(&self, d: Option<Duration>) {
        match self {
            Sock::Unix(s) => s.set_read_timeout(d).unwrap(),
            Sock::Tcp(s) => s.set_read_timeout(d).unwrap(),
        }
    }

    pub fn set_write_timeout(&self, d: Option<Duration>) {
        match self {
            Sock::Unix(s) => s.set_write_timeout(d).unwrap(),
            Sock::Tcp(s) => s.set_write_timeout(d).unwrap(),
        }
    }

    pub fn shutdown(&self, how: std::net::Shutdown) {
        let _ = match self {
            Sock::Unix(s) => s.shutdown(how),
            Sock::Tcp(s) => s.shutdown(how),
        };
    }
}

impl Read for Sock {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Sock::Unix(s) => s.read(buf),
            Sock::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Sock {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sock::Unix(s) => s.write(buf),
            Sock::Tcp(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A client speaking raw bytes, reading lines with time limits.
pub struct Peer {
    pub sock: Sock,
    /// Received bytes; those before `pos` are consumed.
    buf: Vec<u8>,
    pos: usize,
    chunk: Vec<u8>,
}

impl Peer {
    pub fn connect(addr: &Addr) -> Peer {
        let sock = match addr {
            Addr::Unix(p) => Sock::Unix(UnixStream::connect(p).unwrap()),
            Addr::Tcp(a) => {
                let s = TcpStream::connect(a).unwrap();
                s.set_nodelay(true).unwrap();
                Sock::Tcp(s)
            }
        };
        sock.set_write_timeout(Some(REPLY_BOUND));
        Peer {
            sock,
            buf: Vec::new(),
            pos: 0,
            chunk: vec![0u8; 1 << 16],
        }
    }

    pub fn send(&mut self, text: &str) {
        self.send_bytes(format!("{text}\n").as_bytes());
    }

    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.sock.write_all(bytes).unwrap();
    }

    /// The next line (without CRLF), within [`REPLY_BOUND`].
    pub fn line(&mut self) -> String {
        self.try_line(REPLY_BOUND)
            .unwrap_or_else(|| panic!("no line within {REPLY_BOUND:?}"))
    }

    /// The next line, or `None` at EOF, on a reset or after `timeout`.
    pub fn try_line(&mut self, timeout: Duration) -> Option<String> {
        let l = self.try_raw_line(timeout)?;
        assert!(
            l.ends_with(b"\r\n"),
            "QMP line without CRLF: {:?}",
            String::from_utf8_lossy(&l)
        );
        Some(String::from_utf8(l[..l.len() - 2].to_vec()).expect("UTF-8 line"))
    }

    pub fn try_raw_line(&mut self, timeout: Duration) -> Option<Vec<u8>> {
        let deadline = Instant::now() + timeout;
        let mut scanned = self.pos;
        loop {
            if let Some(i) = self.buf[scanned..].iter().position(|&b| b == b'\n') {
                let end = scanned + i + 1;
                let line = self.buf[self.pos..end].to_vec();
                self.pos = end;
                return Some(line);
            }
            scanned = self.buf.len();
            if self.pos > 0 {
                self.buf.drain(..self.pos);
                scanned -= self.pos;
                self.pos = 0;
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            self.sock
                .set_read_timeout(Some(left.max(Duration::from_millis(1))));
            match self.sock.read(&mut self.chunk) {
                Ok(0) => return None,
                Ok(n) => self.buf.extend_from_slice(&self.chunk[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return None;
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted
                    ) =>
                {
                    return None;
                }
                Err(e) => panic!("read: {e}"),
            }
        }
    }

    /// Asserts that nothing arrives for `d`.
    pub fn silent_for(&mut self, d: Duration) {
        if let Some(l) = self.try_raw_line(d) {
            panic!("unexpected line {:?}", String::from_utf8_lossy(&l));
        }
    }

    /// Asserts that the server closes the connection (bounded); lines
    /// before the end are returned.
    pub fn until_closed(&mut self) -> Vec<String> {
        let deadline = Instant::now() + REPLY_BOUND;
        let mut lines = Vec::new();
        loop {
            let left = deadline
                .checked_duration_since(Instant::now())
                .expect("connection not closed in time");
            match self.try_raw_line(left) {
                Some(l) => lines.push(String::from_utf8_lossy(&l).into_owned()),
                None => {
                    assert!(Instant::now() < deadline, "connection not closed in time");
                    return lines;
                }
            }
        }
    }

    pub fn cmd(&mut self, text: &str) -> String {
        self.send(text);
        self.line()
    }
}

// ---------------------------------------------------------------- memory

fn status_kb(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"))
}

/// Resident memory now, in bytes (`/proc/self/statm`, pages of 4 KiB).
pub fn rss() -> u64 {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = s.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

/// Resets the peak resident memory (`/proc/self/clear_refs`); `false`
/// when the kernel does not allow it.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Peak resident memory since the last [`reset_peak`], in bytes.
pub fn peak_rss() -> u64 {
    status_kb("VmHWM:") * 1024
}

pub const MIB: u64 = 1 << 20;

/// Watches the process's memory while a scenario runs.
pub struct MemWatch {
    base: u64,
    peak_ok: bool,
}

impl MemWatch {
    pub fn start() -> MemWatch {
        let peak_ok = reset_peak();
        MemWatch {
            base: rss(),
            peak_ok,
        }
    }

    /// Growth of the peak (or, without peak tracking, of the current
    /// resident memory) over the start, in bytes.
    pub fn growth(&self) -> u64 {
        let now = if self.peak_ok { peak_rss() } else { rss() };
        now.saturating_sub(self.base)
    }
}

// ---------------------------------------------------------------- data

/// Deterministic pseudo-random bytes (xorshift64*).
pub struct Garbage(u64);

impl Garbage {
    pub fn new(seed: u64) -> Garbage {
        Garbage(seed.max(1))
    }

    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let mut x = self.0;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.0 = x;
            let v = x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// The `id` of a reply line, as JSON text (`None` without one).
pub fn reply_id(line: &str) -> Option<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    v.get("id").cloned()
}
