//! Shared by the `client_*` tests: live peers (spawned in a temporary
//! directory, killed on drop), data files, and the slices of the QSD and
//! guest-agent schemas the tests use.
#![allow(dead_code)]

pub mod qga;
pub mod qsd;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "qapi-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A peer process, killed (by its own pid) and reaped on drop.
pub struct Peer {
    pub child: Child,
    pub dir: TempDir,
    pub socket: PathBuf,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `program` can be run at all; prints a skip notice if not.
pub fn have(program: &str, what: &str) -> bool {
    match Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(_) => true,
        Err(e) => {
            println!("skipped: {what}: cannot run {program} ({e})");
            false
        }
    }
}

/// Waits (at most 10 s) until `path` exists, or the child exits.
fn wait_for_socket(child: &mut Child, path: &Path) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !path.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("peer exited early: {status}"));
        }
        if Instant::now() > deadline {
            return Err("socket did not appear within 10 s".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// `qemu-storage-daemon` with a QMP monitor on a unix socket, or `None`
/// (after a skip notice) when it is not installed.
pub fn spawn_qsd(test: &str) -> Option<Peer> {
    if !have("qemu-storage-daemon", test) {
        return None;
    }
    let dir = TempDir::new("qsd");
    let socket = dir.path("qmp.sock");
    let mut child = Command::new("qemu-storage-daemon")
        .arg("--chardev")
        .arg(format!(
            "socket,id=m,path={},server=on,wait=off",
            socket.display()
        ))
        .arg("--monitor")
        .arg("chardev=m")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn qemu-storage-daemon");
    wait_for_socket(&mut child, &socket).expect("qemu-storage-daemon socket");
    Some(Peer { child, dir, socket })
}

/// `qemu-ga -m unix-listen` in a temporary state directory, with extra
/// arguments, or `None` (after a skip notice) when it is not installed.
pub fn spawn_qga(test: &str, extra: &[&str]) -> Option<Peer> {
    if !have("qemu-ga", test) {
        return None;
    }
    let dir = TempDir::new("qga");
    let socket = dir.path("qga.sock");
    let mut child = Command::new("qemu-ga")
        .arg("-m")
        .arg("unix-listen")
        .arg("-p")
        .arg(&socket)
        .arg("-t")
        .arg(&dir.0)
        .arg("-f")
        .arg(dir.path("qga.pid"))
        .args(extra)
        // Keep the host's configuration file out of it.
        .env("QGA_CONF", dir.path("no-such.conf"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn qemu-ga");
    wait_for_socket(&mut child, &socket).expect("qemu-ga socket");
    Some(Peer { child, dir, socket })
}

/// A data file copied into `tests/client_data`.
pub fn data(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/client_data")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A file of the shared directory (`../shared`, or `$QAPI_SHARED_DIR`),
/// if present.
pub fn shared(rel: &str) -> Option<String> {
    let dir = match std::env::var_os("QAPI_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    };
    std::fs::read_to_string(dir.join(rel)).ok()
}

/// Parses JSON text with QEMU's parser.
pub fn json(text: &str) -> qapi::Value {
    qapi::json::parse_one(text.as_bytes()).expect("valid JSON")
}
