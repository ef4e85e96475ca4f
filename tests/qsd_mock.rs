//! The qsd-mock example (`examples/qsd-mock/`) against qemu-storage-daemon
//! 10.0.2.
//!
//! `tests/data/qsd_mock/session.in` is a 316-request QMP session (the
//! envelope, JSON-parser and argument-validation cases of the live QSD
//! transcripts, then block nodes, QOM objects, chardev, job, export and
//! bitmap commands), `session.out` what the real daemon wrote for it on
//! stdio (`--chardev stdio,id=m --monitor chardev=m`). The mock must write
//! the same bytes; when `qemu-storage-daemon` 10.0.2 is installed, the
//! recording is checked against it too.

#[path = "../examples/qsd-mock/mock.rs"]
#[allow(dead_code)]
mod mock;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use qapi::server::{EventSender, ServerConfig, serve_connection};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json(rel: &str) -> Value {
    serde_json::from_slice(&read(rel)).unwrap()
}

/// Runs `input` through the mock (as on stdio) and returns its output.
fn mock_session(input: &[u8], version: qapi::qmp::VersionInfo) -> Vec<u8> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let events = EventSender::new();
        let qsd = Arc::new(mock::Qsd::new(mock::Monitor::Stdio, events.clone()));
        let registry = Arc::new(mock::registry(version));
        let (mut client, server) = tokio::io::duplex(1 << 20);
        let config = ServerConfig::qmp().events(events);
        let task = tokio::spawn(serve_connection(registry, qsd, server, config));
        client.write_all(input).await.unwrap();
        let mut out = Vec::new();
        client.read_to_end(&mut out).await.unwrap();
        task.await.unwrap().unwrap();
        out
    })
}

/// First differing line of two outputs, for the failure message.
fn first_difference(got: &[u8], want: &[u8]) -> String {
    let g: Vec<&[u8]> = got.split(|b| *b == b'\n').collect();
    let w: Vec<&[u8]> = want.split(|b| *b == b'\n').collect();
    for (i, (a, b)) in g.iter().zip(&w).enumerate() {
        if a != b {
            return format!(
                "line {}:\n  got:  {}\n  want: {}",
                i + 1,
                String::from_utf8_lossy(a),
                String::from_utf8_lossy(b)
            );
        }
    }
    format!("{} lines, want {}", g.len(), w.len())
}

#[test]
fn session_replays_qsd_byte_for_byte() {
    let input = read("tests/data/qsd_mock/session.in");
    let want = read("tests/data/qsd_mock/session.out");
    let t = std::time::Instant::now();
    let got = mock_session(&input, mock::default_version());
    assert!(
        got == want,
        "the mock's output differs from qemu-storage-daemon's: {}",
        first_difference(&got, &want)
    );
    println!(
        "mock: {} bytes in, {} lines out, identical to QSD 10.0.2 ({:.1?})",
        input.len(),
        want.split(|b| *b == b'\n').count() - 1,
        t.elapsed()
    );
}

/// The recording is what the installed daemon writes today.
#[test]
fn recording_matches_the_live_daemon() {
    let child = Command::new("qemu-storage-daemon")
        .args(["--chardev", "stdio,id=m", "--monitor", "chardev=m"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        println!("skipped: qemu-storage-daemon is not installed");
        return;
    };
    let input = read("tests/data/qsd_mock/session.in");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let want = read("tests/data/qsd_mock/session.out");
    let greeting = out.stdout.split(|b| *b == b'\n').next().unwrap_or_default();
    if !greeting
        .starts_with(br#"{"QMP": {"version": {"qemu": {"micro": 2, "minor": 0, "major": 10}"#)
    {
        println!(
            "skipped: the installed qemu-storage-daemon is not 10.0.2: {}",
            String::from_utf8_lossy(greeting)
        );
        return;
    }
    assert!(
        out.stdout == want,
        "the live daemon's output differs from the recording: {}",
        first_difference(&out.stdout, &want)
    );
    println!("the live qemu-storage-daemon 10.0.2 writes the recorded session byte for byte");
}

/// Sends `requests` (after negotiation) and returns the replies, parsed.
fn replies(requests: &[&str], version: qapi::qmp::VersionInfo) -> (Value, Vec<Value>) {
    let mut input = b"{\"execute\":\"qmp_capabilities\"}\n".to_vec();
    for r in requests {
        input.extend_from_slice(r.as_bytes());
        input.push(b'\n');
    }
    input.extend_from_slice(b"{\"execute\":\"quit\"}\n");
    let out = mock_session(&input, version);
    let mut lines = out
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice::<Value>(l).unwrap());
    let greeting = lines.next().unwrap();
    let mut rest: Vec<Value> = lines.collect();
    rest.remove(0); // qmp_capabilities
    rest.pop(); // quit
    (greeting, rest)
}

#[test]
fn schema_commands_and_version_are_qsds() {
    let (greeting, r) = replies(
        &[
            r#"{"execute":"query-commands"}"#,
            r#"{"execute":"query-qmp-schema"}"#,
            r#"{"execute":"query-version"}"#,
        ],
        mock::default_version(),
    );
    // Greeting and version: QSD 10.0.2 of Debian.
    let shared_greeting: Value = serde_json::json!({"QMP": {"version": {"qemu": {"micro": 2, "minor": 0, "major": 10}, "package": "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1"}, "capabilities": ["oob"]}});
    assert_eq!(greeting, shared_greeting);
    assert_eq!(r[2]["return"], shared_greeting["QMP"]["version"]);
    assert_eq!(
        r[0]["return"],
        json("tests/client_data/qsd-10.0.2.query-commands.json")
    );
    let schema = &r[1]["return"];
    assert_eq!(
        schema,
        &json("qapi-schema/tests/data/ports/qsd-10.0.2.schema.json")
    );
    assert_eq!(schema.as_array().unwrap().len(), 513);

    // Another version.
    let v = qapi::qmp::VersionInfo {
        qemu: qapi::qmp::VersionTriple {
            major: 9,
            minor: 2,
            micro: 0,
        },
        package: "mock".to_owned(),
    };
    let (greeting, r) = replies(&[r#"{"execute":"query-version"}"#], v);
    let want = serde_json::json!({"qemu": {"major": 9, "minor": 2, "micro": 0}, "package": "mock"});
    assert_eq!(greeting["QMP"]["version"], want);
    assert_eq!(r[0]["return"], want);
}

#[test]
fn what_is_not_modelled_says_so() {
    let (_, r) = replies(
        &[
            // Valid arguments, no handler: the registry's error.
            r#"{"execute":"nbd-server-start","arguments":{"addr":{"type":"unix","data":{"path":"/tmp/x"}}}}"#,
            // A handler for part of the command only.
            r#"{"execute":"blockdev-add","arguments":{"driver":"file","node-name":"f","filename":"/tmp/x"}}"#,
            // Invalid arguments are still QSD's errors.
            r#"{"execute":"nbd-server-start","arguments":{}}"#,
        ],
        mock::default_version(),
    );
    let err = |v: &Value| (v["error"]["class"].clone(), v["error"]["desc"].clone());
    assert_eq!(
        err(&r[0]),
        (
            "GenericError".into(),
            "Command 'nbd-server-start' is not implemented".into()
        )
    );
    assert_eq!(
        err(&r[1]),
        (
            "GenericError".into(),
            "qsd-mock: blockdev-add with driver 'file' (only null-co and null-aio) is not implemented"
                .into()
        )
    );
    assert_eq!(
        err(&r[2]),
        ("GenericError".into(), "Parameter 'addr' is missing".into())
    );
}
