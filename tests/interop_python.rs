//! Interoperability with QEMU's own Python client (`pip install
//! qemu.qmp`): `tests/interop/qmp_client.py` drives the qmp-server
//! example with `qemu.qmp.QMPClient` (negotiation with OOB, commands, an
//! error, events, `exec-oob` during a slow command, `quit`), and
//! `qmp-shell` runs commands against it. Skipped (and passing) when
//! `python3 -c 'import qemu.qmp'` fails; CI installs the package.

mod server_util;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);

fn python_has_qemu_qmp() -> bool {
    Command::new("python3")
        .args(["-c", "import qemu.qmp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The example, listening on `sock`; killed if still running on drop.
struct Example(Child);

impl Drop for Example {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_example(sock: &Path) -> Example {
    let child = Command::new(server_util::example_binary())
        .args(["--socket", sock.to_str().unwrap(), "--name", "interop"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let ex = Example(child);
    let deadline = Instant::now() + TIMEOUT;
    while !sock.exists() {
        assert!(
            Instant::now() < deadline,
            "the example did not start listening"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    ex
}

/// Runs a command to completion within the time limit.
fn run(mut cmd: Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let deadline = Instant::now() + TIMEOUT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{cmd:?} did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// The example exits by itself (after `quit`) and removes its socket.
fn wait_exit(ex: &mut Example, sock: &Path) {
    let status = server_util::wait_child(&mut ex.0);
    assert!(status.success(), "example exited with {status}");
    assert!(!sock.exists(), "socket left behind");
}

#[test]
fn qemu_python_client_and_qmp_shell() {
    if !python_has_qemu_qmp() {
        eprintln!("skipped: python3 cannot import qemu.qmp (pip install qemu.qmp)");
        return;
    }
    let dir = server_util::TempDir::new("interop");
    let sock = dir.0.join("qmp.sock");

    // QMPClient.
    let mut ex = start_example(&sock);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/qmp_client.py");
    let mut cmd = Command::new("python3");
    cmd.arg(&script).arg(&sock);
    let out = run(cmd, "");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "qmp_client.py failed");
    assert!(stdout.contains("ok: exec-oob answered during x-sleep"));
    assert!(stdout.contains("ok: disconnected"));
    wait_exit(&mut ex, &sock);

    // qmp-shell (the console script, or its module).
    let mut ex = start_example(&sock);
    let on_path = Command::new("qmp-shell")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let mut cmd = if on_path {
        Command::new("qmp-shell")
    } else {
        let mut c = Command::new("python3");
        c.args(["-m", "qemu.qmp.qmp_shell"]);
        c
    };
    cmd.arg(&sock);
    let out = run(
        cmd,
        "query-status\nblockdev-add driver=null-co node-name=d0 size=4096\nquery-yank\nquit\n",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("Connected to QEMU 0.1.0"), "banner");
    assert!(
        stdout.contains(r#"{"return": {"status": "running", "running": true}}"#),
        "query-status"
    );
    assert!(
        stdout.contains(r#"{"node-name": "d0", "type": "block-node"}"#),
        "query-yank"
    );
    wait_exit(&mut ex, &sock);
}
