//! Shared by the `server_*` tests: a test schema and state, servers run
//! on unix sockets in a temporary directory (async or blocking driver),
//! a line-oriented client with time limits, and a reader of the QEMU
//! transcripts in ../shared/qemu/live.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use qapi::qmp::{VersionInfo, VersionTriple};
use qapi::server::{EventSender, ServerConfig, Shutdown, blocking};
use qapi::{Error, Qapi, Registry};

/// How long any single expected line may take.
pub const LINE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait to conclude that nothing is coming.
pub const SILENCE: Duration = Duration::from_millis(300);

pub const PACKAGE: &str = "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1";

// ---------------------------------------------------------------- schema

/// Sleeps asynchronously (on a helper thread, so it works under both
/// drivers without a runtime).
#[derive(Debug, Qapi)]
#[qapi(command = "x-sleep")]
pub struct XSleep {
    pub ms: u64,
}

/// Sleeps synchronously, blocking its thread.
#[derive(Debug, Qapi)]
#[qapi(command = "x-block")]
pub struct XBlock {
    pub ms: u64,
}

/// Waits (asynchronously) until the gate is opened.
#[derive(Debug, Qapi)]
#[qapi(command = "x-wait")]
pub struct XWait {
    pub gate: String,
}

/// Opens a gate (allowed out of band).
#[derive(Debug, Qapi)]
#[qapi(command = "x-open", allow_oob)]
pub struct XOpen {
    pub gate: String,
}

/// An allow-oob command with an asynchronous handler.
#[derive(Debug, Qapi)]
#[qapi(command = "x-oob-async", allow_oob, returns = i64, returns_exception)]
pub struct XOobAsync {
    pub value: i64,
}

/// No reply on success.
#[derive(Debug, Qapi)]
#[qapi(command = "x-silent", success_response = false)]
pub struct XSilent {
    pub fail: Option<bool>,
}

#[derive(Debug, Qapi)]
#[qapi(command = "x-panic")]
pub struct XPanic {}

/// Emits `count` TEST_EVENTs, then returns.
#[derive(Debug, Qapi)]
#[qapi(command = "x-emit")]
pub struct XEmit {
    pub count: i64,
}

#[derive(Debug, Clone, Qapi)]
#[qapi(event = "TEST_EVENT")]
pub struct TestEvent {
    pub n: i64,
}

#[derive(Debug, Clone, Qapi)]
#[qapi(event = "RTC_CHANGE")]
pub struct RtcChange {
    pub offset: i64,
    pub qom_path: String,
}

#[derive(Debug, Clone, Qapi)]
#[qapi(event = "VSERPORT_CHANGE")]
pub struct VserportChange {
    pub id: String,
    pub open: bool,
}

#[derive(Debug, Clone, Qapi)]
#[qapi(event = "SHUTDOWN")]
pub struct Shutdown_ {
    pub guest: bool,
    pub reason: String,
}

pub struct TestState {
    pub events: EventSender,
    gates: Mutex<HashMap<String, Arc<tokio::sync::Notify>>>,
    pub calls: AtomicUsize,
}

impl TestState {
    pub fn new(events: EventSender) -> TestState {
        TestState {
            events,
            gates: Mutex::new(HashMap::new()),
            calls: AtomicUsize::new(0),
        }
    }

    pub fn gate(&self, name: &str) -> Arc<tokio::sync::Notify> {
        Arc::clone(
            self.gates
                .lock()
                .unwrap()
                .entry(name.to_owned())
                .or_default(),
        )
    }
}

/// A future that completes after `ms` (a thread sleeps, then wakes it).
pub async fn sleep_ms(ms: u64) {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(ms));
        let _ = tx.send(());
    });
    let _ = rx.await;
}

/// QMP control commands (reporting QEMU 10.0.2 as QSD does) plus the test
/// commands and events.
pub fn registry() -> Registry<TestState> {
    let mut r = Registry::<TestState>::new();
    r.set_version(VersionInfo {
        qemu: VersionTriple {
            major: 10,
            minor: 0,
            micro: 2,
        },
        package: PACKAGE.into(),
    });
    r.command_async::<XSleep, _, _>(|_, c| async move {
        sleep_ms(c.ms).await;
        Ok(qapi::Empty)
    });
    r.command::<XBlock, _>(|_, c| {
        std::thread::sleep(Duration::from_millis(c.ms));
        Ok(qapi::Empty)
    });
    r.command_async::<XWait, _, _>(|s, c| async move {
        s.gate(&c.gate).notified().await;
        Ok(qapi::Empty)
    });
    r.command::<XOpen, _>(|s, c| {
        s.gate(&c.gate).notify_one();
        Ok(qapi::Empty)
    });
    r.command_async::<XOobAsync, _, _>(|_, c| async move {
        sleep_ms(1).await;
        Ok(c.value)
    });
    r.command::<XSilent, _>(|s, c| {
        s.calls.fetch_add(1, Ordering::SeqCst);
        if c.fail == Some(true) {
            Err(Error::generic("asked to fail"))
        } else {
            Ok(qapi::Empty)
        }
    });
    r.command::<XPanic, _>(|_, _| panic!("handler bug"));
    r.command::<XEmit, _>(|s, c| {
        for n in 0..c.count {
            s.events.emit(&TestEvent { n });
        }
        Ok(qapi::Empty)
    });
    r.event::<TestEvent>();
    r.event::<RtcChange>();
    r.event::<VserportChange>();
    r
}

// ---------------------------------------------------------------- servers

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Driver {
    Async,
    Blocking,
}

pub const DRIVERS: [Driver; 2] = [Driver::Async, Driver::Blocking];

/// A temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "qapi-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A server listening on a unix socket; stopped and joined on drop.
pub struct Running {
    pub path: PathBuf,
    pub shutdown: Shutdown,
    pub events: EventSender,
    pub state: Arc<TestState>,
    thread: Option<JoinHandle<io::Result<()>>>,
    _dir: TempDir,
}

impl Running {
    pub fn connect(&self) -> Client {
        Client::connect(&self.path)
    }

    /// Waits until the server has stopped (bounded).
    pub fn wait_stopped(&mut self) -> io::Result<()> {
        let h = self.thread.take().expect("running");
        let deadline = Instant::now() + LINE_TIMEOUT;
        while !h.is_finished() {
            assert!(Instant::now() < deadline, "server did not stop");
            std::thread::sleep(Duration::from_millis(5));
        }
        h.join().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown.shutdown();
        if let Some(h) = self.thread.take() {
            let deadline = Instant::now() + LINE_TIMEOUT;
            while !h.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            if h.is_finished() {
                let _ = h.join();
            }
        }
    }
}

/// Starts `registry` with a fresh [`TestState`] whose sender is the
/// config's.
pub fn start(driver: Driver, registry: Registry<TestState>, config: ServerConfig) -> Running {
    let events = config.event_sender().clone();
    let state = Arc::new(TestState::new(events.clone()));
    start_with(driver, registry, state, config)
}

pub fn start_with(
    driver: Driver,
    registry: Registry<TestState>,
    state: Arc<TestState>,
    config: ServerConfig,
) -> Running {
    let dir = TempDir::new("srv");
    let path = dir.0.join("qmp.sock");
    let shutdown = config.shutdown_token().clone();
    let events = config.event_sender().clone();
    let registry = Arc::new(registry);
    let (p, st) = (path.clone(), Arc::clone(&state));
    let thread = std::thread::spawn(move || match driver {
        Driver::Async => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?;
            rt.block_on(qapi::server::Server::new(registry, st, config).serve_unix(&p))
        }
        Driver::Blocking => blocking::Server::new(registry, st, config).serve_unix(&p),
    });
    let deadline = Instant::now() + LINE_TIMEOUT;
    while !path.exists() {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(2));
    }
    Running {
        path,
        shutdown,
        events,
        state,
        thread: Some(thread),
        _dir: dir,
    }
}

// ---------------------------------------------------------------- client

pub struct Client {
    pub stream: UnixStream,
    buf: Vec<u8>,
}

impl Client {
    pub fn connect(path: &Path) -> Client {
        let stream = UnixStream::connect(path).unwrap();
        stream.set_read_timeout(Some(LINE_TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(LINE_TIMEOUT)).unwrap();
        Client {
            stream,
            buf: Vec::new(),
        }
    }

    /// Connects, checks the greeting, negotiates (with OOB if asked).
    pub fn negotiated(path: &Path, oob: bool) -> Client {
        let mut c = Client::connect(path);
        assert!(c.line().starts_with(r#"{"QMP": "#));
        if oob {
            c.send(r#"{"execute":"qmp_capabilities","arguments":{"enable":["oob"]}}"#);
        } else {
            c.send(r#"{"execute":"qmp_capabilities"}"#);
        }
        assert_eq!(c.line(), r#"{"return": {}}"#);
        c
    }

    pub fn send(&mut self, text: &str) {
        self.send_bytes(format!("{text}\n").as_bytes());
    }

    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
    }

    /// The next line with its line ending.
    pub fn raw_line(&mut self) -> Vec<u8> {
        self.try_raw_line(LINE_TIMEOUT)
            .expect("a line before the time limit")
    }

    /// The next line, which must end in CRLF (QMP), without it.
    pub fn line(&mut self) -> String {
        let l = self.raw_line();
        assert!(
            l.ends_with(b"\r\n"),
            "QMP line without CRLF: {:?}",
            String::from_utf8_lossy(&l)
        );
        String::from_utf8(l[..l.len() - 2].to_vec()).unwrap()
    }

    /// The next line or `None` at EOF or after `timeout` without one.
    pub fn try_raw_line(&mut self, timeout: Duration) -> Option<Vec<u8>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(i) = self.buf.iter().position(|&b| b == b'\n') {
                return Some(self.buf.drain(..=i).collect());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            self.stream
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .unwrap();
            let mut chunk = [0u8; 65536];
            match self.stream.read(&mut chunk) {
                Ok(0) => return None,
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return None;
                }
                Err(e) if e.kind() == io::ErrorKind::ConnectionReset => return None,
                Err(e) => panic!("read: {e}"),
            }
        }
    }

    /// Asserts that nothing arrives for a while.
    pub fn silent(&mut self) {
        self.silent_for(SILENCE);
    }

    /// Asserts that nothing arrives for `d`.
    pub fn silent_for(&mut self, d: Duration) {
        if let Some(l) = self.try_raw_line(d) {
            panic!("unexpected line {:?}", String::from_utf8_lossy(&l));
        }
    }

    /// Asserts that the server closes the connection (bounded).
    pub fn closed(&mut self) {
        if let Some(l) = self.try_raw_line(LINE_TIMEOUT) {
            panic!("expected EOF, got {:?}", String::from_utf8_lossy(&l));
        }
        assert!(self.buf.is_empty(), "partial line before EOF");
    }

    /// Sends a request and returns the reply line.
    pub fn cmd(&mut self, text: &str) -> String {
        self.send(text);
        self.line()
    }
}

// ---------------------------------------------------------------- the example

/// The qmp-server example's binary. `cargo test` builds it next to the
/// test binaries, except when told to build only some tests: then (or
/// when it is older than this test) it is built here.
pub fn example_binary() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(build_example).clone()
}

fn build_example() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let bin = dir.join("examples").join("qmp-server");
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if mtime(&bin) < mtime(&exe) {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args(["build", "--example", "qmp-server"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success(), "building the qmp-server example");
    }
    assert!(bin.exists(), "{} not found", bin.display());
    bin
}

/// Waits (bounded) for a child process to exit.
pub fn wait_child(child: &mut std::process::Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + LINE_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("process did not exit in time");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

// ---------------------------------------------------------------- transcripts

/// `../shared/qemu/live/<name>` when present.
pub fn live_file(name: &str) -> Option<String> {
    let base = std::env::var_os("QAPI_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    std::fs::read(base.join("qemu/live").join(name))
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// One exchange of a transcript: what was sent, the lines that came back
/// (with their line endings), or `None` where the transcript notes that
/// nothing came.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub comment: String,
    pub sent: Vec<u8>,
    pub received: Option<Vec<Vec<u8>>>,
}

/// Decodes the transcript notation of one `-->`/`<--` payload: a Python
/// bytes literal `b'…'`, or text whose trailing `\r\n` / `\n` stand for
/// the line ending.
pub fn decode_payload(p: &str) -> Vec<u8> {
    if let Some(lit) = p.strip_prefix("b'").and_then(|s| s.strip_suffix('\'')) {
        let mut out = Vec::new();
        let b = lit.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\' && i + 1 < b.len() {
                match b[i + 1] {
                    b'x' => {
                        out.push(u8::from_str_radix(&lit[i + 2..i + 4], 16).unwrap());
                        i += 4;
                        continue;
                    }
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'\\' => out.push(b'\\'),
                    b'\'' => out.push(b'\''),
                    other => panic!("escape \\{}", other as char),
                }
                i += 2;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        return out;
    }
    if let Some(s) = p.strip_suffix("\\r\\n") {
        return [s.as_bytes(), b"\r\n"].concat();
    }
    if let Some(s) = p.strip_suffix("\\n") {
        return [s.as_bytes(), b"\n"].concat();
    }
    p.as_bytes().to_vec()
}

/// The exchanges of the session whose `### SESSION:` header contains
/// `session`, in order, each with the comment lines before it.
pub fn exchanges(text: &str, session: &str) -> Vec<Exchange> {
    let mut out: Vec<Exchange> = Vec::new();
    let mut inside = false;
    let mut comment = String::new();
    for line in text.lines() {
        if line.starts_with("### SESSION:") {
            inside = line.contains(session);
            continue;
        }
        if !inside {
            continue;
        }
        if line.starts_with("====") {
            break;
        }
        if let Some(c) = line.strip_prefix("# ") {
            comment = c.to_owned();
        } else if let Some(p) = line.strip_prefix("--> ") {
            out.push(Exchange {
                comment: comment.clone(),
                sent: decode_payload(p),
                received: Some(Vec::new()),
            });
        } else if let Some(p) = line.strip_prefix("<-- ") {
            let Some(last) = out.last_mut() else { continue };
            if p.starts_with("(no response") {
                last.received = None;
            } else if !p.starts_with('(')
                && let Some(r) = &mut last.received
            {
                r.push(decode_payload(p));
            }
        }
    }
    out
}

/// The exchange after the comment `comment` (exactly).
pub fn exchange<'a>(all: &'a [Exchange], comment: &str) -> &'a Exchange {
    all.iter()
        .find(|e| e.comment == comment)
        .unwrap_or_else(|| panic!("no exchange after '# {comment}'"))
}

/// The first line received in a session (the greeting).
pub fn first_received(text: &str, session: &str) -> Vec<u8> {
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("### SESSION:") {
            inside = line.contains(session);
        } else if inside && let Some(p) = line.strip_prefix("<-- ") {
            return decode_payload(p);
        }
    }
    panic!("no session {session}")
}
