//! The qsd-mock example (`examples/qsd-mock/`) against qemu-storage-daemon
//! 10.0.2.
//!
//! `tests/data/qsd_mock/session.in` is a 335-request QMP session (the
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

// ---- create jobs and their events, one request at a time

/// A QMP peer read line by line with timeouts (a reader thread).
struct Peer {
    input: Box<dyn std::io::Write + Send>,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Peer {
    fn new(input: Box<dyn std::io::Write + Send>, output: Box<dyn std::io::Read + Send>) -> Peer {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead as _;
            for l in std::io::BufReader::new(output).lines() {
                let Ok(l) = l else { break };
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        Peer { input, lines: rx }
    }

    fn recv(&self, wait: std::time::Duration) -> Option<Value> {
        self.lines
            .recv_timeout(wait)
            .ok()
            .map(|l| serde_json::from_str(&l).unwrap())
    }

    /// Sends each request, reads up to its reply, then whatever events
    /// follow within a moment. Event timestamps are zeroed.
    fn session(&mut self, requests: &[String]) -> Vec<Value> {
        use std::time::Duration;
        let norm = |mut v: Value| {
            if v.get("event").is_some() {
                v["timestamp"] = serde_json::json!({"seconds": 0, "microseconds": 0});
            }
            v
        };
        let mut out = vec![self.recv(Duration::from_secs(10)).expect("greeting")];
        for r in requests {
            // One write: the server acts on a request as soon as its
            // closing brace arrives, and after `quit` it closes the
            // connection, so a separate write of the newline could fail.
            self.input.write_all(format!("{r}\n").as_bytes()).unwrap();
            self.input.flush().unwrap();
            loop {
                let v = self.recv(Duration::from_secs(10)).expect("reply");
                let event = v.get("event").is_some();
                out.push(norm(v));
                if !event {
                    break;
                }
            }
            while let Some(v) = self.recv(Duration::from_millis(150)) {
                out.push(norm(v));
            }
        }
        out
    }
}

fn job_requests(dir: &Path) -> Vec<String> {
    let d = dir.display();
    [
        r#"{"execute":"qmp_capabilities"}"#.to_owned(),
        format!(r#"{{"execute":"blockdev-create","arguments":{{"job-id":"j1","options":{{"driver":"file","filename":"{d}/a.img","size":1048576}}}}}}"#),
        r#"{"execute":"query-jobs"}"#.to_owned(),
        format!(r#"{{"execute":"blockdev-create","arguments":{{"job-id":"j1","options":{{"driver":"file","filename":"{d}/b.img","size":0}}}}}}"#),
        format!(r#"{{"execute":"blockdev-create","arguments":{{"job-id":"1j","options":{{"driver":"file","filename":"{d}/b.img","size":0}}}}}}"#),
        r#"{"execute":"blockdev-create","arguments":{"job-id":"j2","options":{"driver":"file","filename":"/nonexistent/x.img","size":1048576}}}"#.to_owned(),
        format!(r#"{{"execute":"blockdev-create","arguments":{{"job-id":"j3","options":{{"driver":"file","filename":"{d}/c.img","size":512,"preallocation":"full"}}}}}}"#),
        r#"{"execute":"query-jobs"}"#.to_owned(),
        r#"{"execute":"query-block-jobs"}"#.to_owned(),
        r#"{"execute":"job-cancel","arguments":{"id":"j3"}}"#.to_owned(),
        r#"{"execute":"job-pause","arguments":{"id":"j3"}}"#.to_owned(),
        r#"{"execute":"job-resume","arguments":{"id":"j3"}}"#.to_owned(),
        r#"{"execute":"job-complete","arguments":{"id":"j3"}}"#.to_owned(),
        r#"{"execute":"job-finalize","arguments":{"id":"j3"}}"#.to_owned(),
        r#"{"execute":"block-job-cancel","arguments":{"device":"j3"}}"#.to_owned(),
        r#"{"execute":"job-dismiss","arguments":{"id":"j1"}}"#.to_owned(),
        r#"{"execute":"job-dismiss","arguments":{"id":"j1"}}"#.to_owned(),
        r#"{"execute":"query-jobs"}"#.to_owned(),
        r#"{"execute":"job-dismiss","arguments":{"id":"j2"}}"#.to_owned(),
        r#"{"execute":"job-dismiss","arguments":{"id":"j3"}}"#.to_owned(),
        r#"{"execute":"blockdev-create","arguments":{"job-id":"j4","options":{"driver":"null-co"}}}"#.to_owned(),
        r#"{"execute":"query-jobs"}"#.to_owned(),
        r#"{"execute":"quit"}"#.to_owned(),
    ]
    .into()
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("qsd-mock-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The mock on one end of a socket pair, served on a thread of its own.
fn mock_peer() -> Peer {
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            theirs.set_nonblocking(true).unwrap();
            let io = tokio::net::UnixStream::from_std(theirs).unwrap();
            let events = EventSender::new();
            let qsd = Arc::new(mock::Qsd::new(mock::Monitor::Stdio, events.clone()));
            let registry = Arc::new(mock::registry(mock::default_version()));
            let config = ServerConfig::qmp().events(events);
            let _ = serve_connection(registry, qsd, io, config).await;
        });
    });
    let out = ours.try_clone().unwrap();
    Peer::new(Box::new(ours), Box::new(out))
}

fn recorded_jobs() -> Vec<Value> {
    String::from_utf8(read("tests/data/qsd_mock/jobs.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `blockdev-create` jobs: the same replies and JOB_STATUS_CHANGE events
/// (timestamps aside) as QSD, recorded in `jobs.jsonl`; the files are
/// created.
#[test]
fn create_jobs_and_events_match_qsd() {
    let dir = temp_dir("jobs");
    let got = mock_peer().session(&job_requests(&dir));
    assert_eq!(
        std::fs::metadata(dir.join("a.img")).map(|m| m.len()).ok(),
        Some(1 << 20)
    );
    let _ = std::fs::remove_dir_all(&dir);
    let want = recorded_jobs();
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "line {i}");
    }
    assert_eq!(got.len(), want.len());
}

/// The job recording is what the installed daemon does (`QAPI_BLESS=1`
/// rewrites it from the daemon).
#[test]
fn job_recording_matches_the_live_daemon() {
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
    let input = child.stdin.take().unwrap();
    let output = child.stdout.take().unwrap();
    let mut peer = Peer::new(Box::new(input), Box::new(output));
    let dir = temp_dir("jobs-live");
    let got = peer.session(&job_requests(&dir));
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    if got[0]["QMP"]["version"]["qemu"] != serde_json::json!({"major": 10, "minor": 0, "micro": 2})
    {
        println!("skipped: the installed qemu-storage-daemon is not 10.0.2");
        return;
    }
    if std::env::var_os("QAPI_BLESS").is_some() {
        let text: String = got.iter().map(|v| format!("{v}\n")).collect();
        std::fs::write(data("tests/data/qsd_mock/jobs.jsonl"), text).unwrap();
        return;
    }
    assert_eq!(got, recorded_jobs());
    println!("the live qemu-storage-daemon 10.0.2 runs the recorded job session");
}
