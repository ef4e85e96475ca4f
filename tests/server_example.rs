//! The qmp-server example as a program: QMP on stdio (like
//! `qemu-storage-daemon --chardev stdio`), its unix socket (mode 0600,
//! removed on exit) stopped by `quit`, Ctrl-C or SIGTERM, TCP, and the
//! blocking server behind `--blocking`.

mod server_util;

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use server_util::*;

fn spawn(args: &[&str]) -> Child {
    Command::new(example_binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_for(path: &std::path::Path) {
    let deadline = Instant::now() + LINE_TIMEOUT;
    while !path.exists() {
        assert!(
            Instant::now() < deadline,
            "{} did not appear",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Input piped in, as QSD's own stdio transcript: everything answered,
/// CRLF line endings, events before the command's reply, then exit. The
/// async server serves pipes from its event loop and anything else
/// (here stdin from a file) through tokio's stdin; the blocking server
/// reads stdin directly.
#[test]
fn stdio() {
    const INPUT: &[u8] = b"{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"stop\",\"id\":1}\n{\"execute\":\"query-status\"}\n{\"execute\":\"query-name\"}\n{\"execute\":\"quit\"}\n";
    let file = std::env::temp_dir().join(format!("qapi-stdio-{}.in", std::process::id()));
    std::fs::write(&file, INPUT).unwrap();
    for (extra, from_file) in [
        (&[][..], false),
        (&["--blocking"][..], false),
        (&[][..], true),
    ] {
        let mut cmd = Command::new(example_binary());
        cmd.args([&["--stdio", "--name", "vm1"], extra].concat())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if from_file {
            cmd.stdin(std::fs::File::open(&file).unwrap());
        } else {
            cmd.stdin(Stdio::piped());
        }
        let mut child = cmd.spawn().unwrap();
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(INPUT).unwrap();
        }
        assert!(wait_child(&mut child).success());
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let lines: Vec<&str> = out.split_inclusive('\n').collect();
        assert_eq!(lines.len(), 8, "{out}");
        assert!(lines.iter().all(|l| l.ends_with("}\r\n")), "{out}");
        assert_eq!(
            lines[0],
            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 1, \"major\": 0}, \"package\": \"qapi qmp-server example 0.1.0\"}, \"capabilities\": [\"oob\"]}}\r\n"
        );
        assert_eq!(lines[1], "{\"return\": {}}\r\n");
        assert!(
            lines[2].ends_with(", \"event\": \"STOP\"}\r\n"),
            "{}",
            lines[2]
        );
        assert_eq!(lines[3], "{\"return\": {}, \"id\": 1}\r\n");
        assert_eq!(
            lines[4],
            "{\"return\": {\"status\": \"paused\", \"running\": false}}\r\n"
        );
        assert_eq!(lines[5], "{\"return\": {\"name\": \"vm1\"}}\r\n");
        assert!(
            lines[6].ends_with(", \"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-qmp-quit\"}}\r\n"),
            "{}",
            lines[6]
        );
        assert_eq!(lines[7], "{\"return\": {}}\r\n");
    }
    std::fs::remove_file(&file).unwrap();
}

/// `--pretty` writes QEMU's pretty layout with CRLF on every line.
#[test]
fn stdio_pretty() {
    let mut child = spawn(&["--stdio", "--pretty"]);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-name\",\"id\":[1,{\"a\":[]}]}\n{\"execute\":\"quit\"}\n")
        .unwrap();
    assert!(wait_child(&mut child).success());
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(out.contains(
        "{\r\n    \"return\": {\r\n    },\r\n    \"id\": [\r\n        1,\r\n        {\r\n            \"a\": [\r\n            ]\r\n        }\r\n    ]\r\n}\r\n"
    ) || out.contains("{\r\n    \"return\": {\r\n    }\r\n}\r\n"), "{out}");
    assert!(
        !out.replace("\r\n", "").contains('\n'),
        "bare LF in pretty output"
    );
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {sig}");
}

/// The default socket in the current directory, owner-only; Ctrl-C
/// (SIGINT) or SIGTERM stop the server, which removes the socket.
#[test]
fn unix_socket_and_signals() {
    for (sig, blocking) in [("-INT", false), ("-TERM", false), ("-INT", true)] {
        let dir = TempDir::new("example");
        let sock = dir.0.join("qmp-server.sock");
        let mut cmd = Command::new(example_binary());
        if blocking {
            cmd.arg("--blocking");
        }
        let mut child = cmd
            .current_dir(&dir.0)
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_for(&sock);
        assert_eq!(
            std::fs::metadata(&sock).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let mut c = Client::negotiated(&sock, true);
        c.send(r#"{"execute":"x-sleep","arguments":{"seconds":30},"id":"slow"}"#);
        assert_eq!(
            c.cmd(r#"{"exec-oob":"query-yank","id":"oob"}"#),
            r#"{"return": [{"type": "chardev", "id": "monitor"}], "id": "oob"}"#
        );
        signal(&child, sig);
        assert!(wait_child(&mut child).success(), "{sig}");
        assert!(!sock.exists(), "socket removed after {sig}");
        c.closed();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(err.contains("qmp-shell qmp-server.sock"), "{err}");
        assert!(
            err.contains("socat - UNIX-CONNECT:qmp-server.sock"),
            "{err}"
        );
    }
}

#[test]
fn tcp() {
    for blocking in [false, true] {
        let mut cmd = Command::new(example_binary());
        cmd.args(["--tcp", "0"]);
        if blocking {
            cmd.arg("--blocking");
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The first line says where it listens.
        let mut stderr = child.stderr.take().unwrap();
        let mut seen = Vec::new();
        let addr = loop {
            let mut b = [0u8; 1];
            assert_eq!(stderr.read(&mut b).unwrap(), 1, "stderr closed");
            seen.push(b[0]);
            let text = String::from_utf8_lossy(&seen);
            if let Some(line) = text.lines().next()
                && text.contains('\n')
            {
                break line.rsplit(' ').next().unwrap().to_owned();
            }
        };
        assert!(
            addr.starts_with("127.0.0.1:"),
            "loopback by default: {addr}"
        );
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(LINE_TIMEOUT)).unwrap();
        s.write_all(b"{\"execute\":\"qmp_capabilities\"}{\"execute\":\"system_reset\"}{\"execute\":\"quit\"}").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 6, "{out}");
        assert!(lines[2].contains(
            r#""event": "RESET", "data": {"guest": false, "reason": "host-qmp-system-reset"}"#
        ));
        assert!(wait_child(&mut child).success());
    }
}

#[test]
fn bad_arguments() {
    let out = Command::new(example_binary())
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: qmp-server"));
}
