//! Memory bounds under hostile clients, measured on the process's
//! resident memory (peak since a reset through /proc/self/clear_refs,
//! VmHWM; current RSS from /proc/self/statm where peaks cannot be reset).
//!
//! Each scenario runs in a fresh process of its own (this test binary
//! run again for one test and one variant, `QAPI_HOSTILE_VARIANT` set),
//! so that memory freed by an earlier scenario, which the allocator keeps
//! resident, cannot hide growth; nothing else runs there, so the figures
//! are the server's and the test clients'. Each scenario would grow
//! memory by a multiple of its bound if the bound did not hold. The
//! figures are printed (`--nocapture`); SECURITY.md quotes them.

mod hostile_util;
mod server_util;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hostile_util::*;
use qapi::server::{EventOverflow, ServerConfig};

/// In the test process: runs test `name` once per variant, each in a
/// process of its own, and returns `None`. In such a process: returns the
/// variant to run.
fn variant(name: &str, variants: usize) -> Option<usize> {
    if let Ok(v) = std::env::var("QAPI_HOSTILE_VARIANT") {
        return Some(v.parse().unwrap());
    }
    let exe = std::env::current_exe().unwrap();
    for v in 0..variants {
        let out = std::process::Command::new(&exe)
            .args([name, "--exact", "--nocapture", "--test-threads", "1"])
            .env("QAPI_HOSTILE_VARIANT", v.to_string())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        for l in err.lines().filter(|l| !l.trim().is_empty()) {
            eprintln!("  {l}");
        }
        assert!(
            out.status.success(),
            "{name} variant {v} failed:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    None
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / MIB as f64
}

/// The `n` of a FAT_EVENT line (`"n": N`; the padding is all `x`).
fn event_n(line: &str) -> Option<usize> {
    if !line.contains(r#""event": "FAT_EVENT""#) {
        return None;
    }
    let rest = &line[line.find(r#""n": "#)? + 5..];
    rest[..rest.find(|c: char| !c.is_ascii_digit())?]
        .parse()
        .ok()
}

/// Events flood (20 000 of 2 KiB: 40 MB) while one client never reads:
/// another client gets every event, in order, and answers to its
/// commands; the deaf client is disconnected (`Disconnect`: async and
/// blocking driver) or loses its oldest events (`DropOldest`); memory
/// grows by about the backlog (1024 events) and what is being written,
/// not by the flood.
#[test]
fn an_event_flood_and_a_client_that_never_reads() {
    const N: usize = 20_000;
    const PAD: usize = 2048;
    const BATCH: usize = 256;
    let Some(v) = variant("an_event_flood_and_a_client_that_never_reads", 3) else {
        return;
    };
    let ((driver, transport), overflow) = [
        (SETUPS[0], EventOverflow::Disconnect),
        (SETUPS[3], EventOverflow::Disconnect),
        (SETUPS[0], EventOverflow::DropOldest),
    ][v];
    {
        {
            let config = ServerConfig::qmp().event_backlog(1024, overflow);
            let srv = Srv::start(driver, transport, config);
            let mut deaf = srv.negotiated(false);
            let progress: Vec<Arc<AtomicUsize>> =
                (0..1).map(|_| Arc::new(AtomicUsize::new(0))).collect();
            let readers: Vec<_> = progress
                .iter()
                .enumerate()
                .map(|(r, seen)| {
                    let mut p = srv.negotiated(false);
                    let seen = Arc::clone(seen);
                    std::thread::spawn(move || {
                        let mut next = 0;
                        let mut asked: Option<(usize, Instant)> = None;
                        let mut worst = Duration::ZERO;
                        while next < N {
                            let l = p.line();
                            if let Some(n) = event_n(&l) {
                                assert_eq!(n, next, "reader {r}: events out of order");
                                next += 1;
                                seen.store(next, Ordering::SeqCst);
                                if r == 0 && next % 2000 == 0 && asked.is_none() {
                                    p.send(&format!(
                                        r#"{{"execute":"x-echo","arguments":{{"value":{next}}},"id":{next}}}"#
                                    ));
                                    asked = Some((next, Instant::now()));
                                }
                            } else {
                                let (k, t) = asked.take().expect("a reply to a question");
                                assert_eq!(l, format!(r#"{{"return": {k}, "id": {k}}}"#));
                                worst = worst.max(t.elapsed());
                            }
                        }
                        if let Some((k, _)) = asked {
                            assert_eq!(p.line(), format!(r#"{{"return": {k}, "id": {k}}}"#));
                        }
                        worst
                    })
                })
                .collect();
            srv.wait_subscribers(2);
            let pad = "x".repeat(PAD);
            let watch = MemWatch::start();
            let t = Instant::now();
            for n in 0..N {
                if n % BATCH == 0 {
                    // The readers stay within a batch of the emitter, so
                    // their own backlogs never fill.
                    let deadline = Instant::now() + REPLY_BOUND;
                    while progress
                        .iter()
                        .any(|p| p.load(Ordering::SeqCst) + BATCH < n)
                    {
                        assert!(Instant::now() < deadline, "readers stalled");
                        std::thread::sleep(Duration::from_micros(200));
                    }
                }
                srv.events.emit(&FatEvent {
                    n: n as i64,
                    pad: pad.clone(),
                });
            }
            let worst: Vec<Duration> = readers
                .into_iter()
                .map(|h| h.join().expect("a reader failed"))
                .collect();
            let growth = watch.growth();
            eprintln!(
                "event flood {driver:?}/{transport:?} {overflow:?}: {N} events of {PAD} B in {:?}, peak growth {:.1} MiB, slowest reply {:?}",
                t.elapsed(),
                mib(growth),
                worst.iter().max().unwrap()
            );
            assert!(growth < 24 * MIB, "memory grew by {:.1} MiB", mib(growth));
            match overflow {
                EventOverflow::Disconnect => {
                    // Some events (what the socket and the writer held),
                    // then the end.
                    let lines = deaf.until_closed();
                    assert!(lines.len() < N / 4, "{}", lines.len());
                }
                EventOverflow::DropOldest => {
                    // Still connected; reading now, the newest event
                    // arrives last, with gaps before it.
                    let mut last = None;
                    let mut got = 0;
                    while last != Some(N - 1) {
                        last = event_n(&deaf.line());
                        got += 1;
                    }
                    assert!(got < N / 4, "{got}");
                    assert_eq!(
                        deaf.cmd(r#"{"execute":"x-echo","arguments":{"value":0},"id":0}"#),
                        r#"{"return": 0, "id": 0}"#
                    );
                }
            }
            srv.assert_responsive();
        }
    }
}

/// A client asks for replies and never reads them: 400 small requests
/// for a 256 KiB reply each (100 MiB; without and with OOB negotiated),
/// or 4000 `exec-oob` echoes of 8 KiB (32 MiB). The connection stops
/// reading and running requests once about `output_buffer` (1 MiB)
/// waits, so memory stays near that, and the others are served
/// meanwhile; once the client reads, every reply comes, in order.
#[test]
fn replies_a_client_never_reads() {
    let Some(v) = variant("replies_a_client_never_reads", 6) else {
        return;
    };
    let (driver, transport) = [SETUPS[0], SETUPS[1]][v / 3];
    let mode = ["in-band", "in-band, OOB on", "exec-oob"][v % 3];
    let srv = Srv::start(driver, transport, ServerConfig::qmp());
    let mut deaf = srv.negotiated(v % 3 != 0);
    let n = if v % 3 == 2 { 4000 } else { 400 };
    // Sized at once: no freed buffers for the server to reuse unseen.
    let mut batch = String::with_capacity(n * 8300);
    let pad = "p".repeat(8192);
    for i in 0..n {
        batch.push_str(&if v % 3 == 2 {
            format!(r#"{{"exec-oob":"x-echo","arguments":{{"value":"{pad}"}},"id":{i}}}"#)
        } else {
            format!(r#"{{"execute":"x-big","arguments":{{"size":262144}},"id":{i}}}"#)
        });
    }
    let watch = MemWatch::start();
    // The writes block once the server stops reading.
    let mut w = deaf.sock.try_clone();
    let writer = std::thread::spawn(move || w.write_all(batch.as_bytes()).unwrap());
    std::thread::sleep(Duration::from_millis(400));
    srv.assert_responsive();
    let growth = watch.growth();
    eprintln!(
        "unread replies {driver:?}/{transport:?} {mode}: peak growth {:.1} MiB",
        mib(growth)
    );
    assert!(growth < 16 * MIB, "memory grew by {:.1} MiB", mib(growth));
    for i in 0..n {
        let l = deaf.line();
        assert!(l.ends_with(&format!(r#""id": {i}}}"#)), "{i}");
    }
    writer.join().unwrap();
}

/// The largest requests QEMU's limits let through, and what they cost:
/// a token over 64 MiB (refused), a 16 MiB string echoed back, and
/// 2 097 152 tokens (refused at the last).
#[test]
fn the_largest_requests() {
    let Some(v) = variant("the_largest_requests", 6) else {
        return;
    };
    // Only the request this variant sends (built before measuring).
    let mut request = Vec::new();
    match v % 3 {
        0 => {
            request.extend_from_slice(br#"{"execute":"x-echo","arguments":{"value":1},"id":""#);
            request.resize(request.len() + (64 << 20) + 16, b'A');
            request.extend_from_slice(b"\"}\n");
        }
        1 => {
            request.extend_from_slice(br#"{"execute":"x-echo","id":"e","arguments":{"value":""#);
            request.resize(request.len() + (16 << 20), b'e');
            request.extend_from_slice(b"\"}}\n");
        }
        _ => {
            request.push(b'[');
            request.extend_from_slice(&b"0,".repeat(1 << 20));
            request.extend_from_slice(b"0]\n");
        }
    }
    let (driver, transport) = [SETUPS[0], SETUPS[1]][v / 3];
    let srv = Srv::start(driver, transport, ServerConfig::qmp());
    let mut c = srv.negotiated(false);
    let watch = MemWatch::start();
    let (what, bound) = match v % 3 {
        0 => {
            c.send_bytes(&request);
            assert_eq!(
                c.line(),
                r#"{"error": {"class": "GenericError", "desc": "JSON token size limit exceeded"}}"#
            );
            c.line();
            c.line();
            // About twice the token (the token buffer grows by doubling).
            ("a token over 64 MiB", 200)
        }
        1 => {
            c.send_bytes(&request);
            let reply = c.line();
            assert_eq!(reply.len(), (16 << 20) + 25, "{}", &reply[..40]);
            // Token, string, reply, the client's copy of the reply.
            ("a 16 MiB string echoed", 160)
        }
        _ => {
            c.send_bytes(&request);
            assert_eq!(
                c.line(),
                r#"{"error": {"class": "GenericError", "desc": "JSON token count limit exceeded"}}"#
            );
            c.line();
            c.line();
            // A million values of 32 bytes, in a vector that doubles.
            ("2 097 152 tokens", 160)
        }
    };
    let growth = watch.growth();
    eprintln!(
        "largest requests {driver:?}: {what}: peak growth {:.0} MiB",
        mib(growth)
    );
    assert!(growth < bound * MIB, "{:.0} MiB", mib(growth));
    srv.assert_responsive();
}

/// Pretty output indents by four spaces per level: an `id` 1000 levels
/// deep with 100 000 elements (200 KB sent) would be some 400 MB pretty.
/// The server writes such a reply compactly instead; modest ids stay
/// pretty.
#[test]
fn pretty_output_cannot_be_used_to_amplify() {
    let Some(v) = variant("pretty_output_cannot_be_used_to_amplify", 2) else {
        return;
    };
    let mut id = "[".repeat(1000);
    id.push('0');
    id.push_str(&",0".repeat(99_999));
    id.push_str(&"]".repeat(1000));
    let (driver, transport) = [SETUPS[0], SETUPS[1]][v];
    {
        let srv = Srv::start(driver, transport, ServerConfig::qmp().pretty(true));
        let mut c = srv.connect();
        // Pretty messages span lines: read up to the closing `}`.
        let message = |c: &mut Peer| {
            let mut m = c.line();
            loop {
                let l = c.line();
                m.push_str("\r\n");
                m.push_str(&l);
                if l == "}" {
                    return m;
                }
            }
        };
        assert!(message(&mut c).starts_with("{\r\n    \"QMP\": {"));
        c.send(r#"{"execute":"qmp_capabilities"}"#);
        assert_eq!(message(&mut c), "{\r\n    \"return\": {\r\n    }\r\n}");
        c.send(r#"{"execute":"x-echo","arguments":{"value":1},"id":[[2]]}"#);
        assert_eq!(
            message(&mut c),
            "{\r\n    \"return\": 1,\r\n    \"id\": [\r\n        [\r\n            2\r\n        ]\r\n    ]\r\n}"
        );
        let watch = MemWatch::start();
        c.send(&format!(
            r#"{{"execute":"x-echo","arguments":{{"value":1}},"id":{id}}}"#
        ));
        let reply = c.line();
        let growth = watch.growth();
        let compact = id.replace(",", ", ");
        assert_eq!(reply, format!(r#"{{"return": 1, "id": {compact}}}"#));
        eprintln!(
            "pretty amplification {driver:?}: reply {} bytes, peak growth {:.1} MiB",
            reply.len(),
            mib(growth)
        );
        assert!(growth < 48 * MIB, "{:.1} MiB", mib(growth));
    }
}

/// Big requests queued behind a slow one: with `request_bytes(8 MiB)`
/// and 6 requests of 8 MiB each (QEMU would queue them all: 48 MiB), the
/// connection stops reading after about 8 MiB.
#[test]
fn queued_requests_are_bounded_by_their_memory() {
    let Some(v) = variant("queued_requests_are_bounded_by_their_memory", 2) else {
        return;
    };
    const EACH: usize = 8 << 20;
    const COUNT: usize = 6;
    let mut batch = Vec::with_capacity(COUNT * (EACH + 100));
    for i in 0..COUNT {
        batch.extend_from_slice(
            format!(r#"{{"execute":"x-echo","id":{i},"arguments":{{"value":""#).as_bytes(),
        );
        batch.resize(batch.len() + EACH, b'q');
        batch.extend_from_slice(b"\"}}\n");
    }
    let (driver, transport) = [SETUPS[0], SETUPS[1]][v];
    {
        let config = ServerConfig::qmp().request_bytes(8 << 20);
        let srv = Srv::start(driver, transport, config);
        let mut c = srv.negotiated(true);
        c.send(r#"{"execute":"x-wait","arguments":{"gate":"g"},"id":"slow"}"#);
        let mut w = c.sock.try_clone();
        w.set_write_timeout(Some(Duration::from_millis(1500)));
        let watch = MemWatch::start();
        let batch_ref = &batch;
        let sent = std::thread::scope(|s| {
            s.spawn(move || {
                let mut sent = 0;
                for chunk in batch_ref.chunks(1 << 16) {
                    match w.write_all(chunk) {
                        Ok(()) => sent += chunk.len(),
                        Err(_) => break,
                    }
                }
                sent
            })
            .join()
            .unwrap()
        });
        let growth = watch.growth();
        eprintln!(
            "queued requests {driver:?}: {:.0} of {:.0} MiB taken before the server stopped reading, peak growth {:.1} MiB",
            mib(sent as u64),
            mib(batch.len() as u64),
            mib(growth)
        );
        assert!(sent < batch.len(), "the server read everything");
        assert!(growth < 32 * MIB, "{:.1} MiB", mib(growth));
        let mut other = srv.negotiated(false);
        assert_eq!(
            other.cmd(r#"{"execute":"x-open","arguments":{"gate":"g"}}"#),
            r#"{"return": {}}"#
        );
        assert_eq!(c.line(), r#"{"return": {}, "id": "slow"}"#);
        // The rest of the batch goes through now, every request answered.
        let rest = batch[sent..].to_vec();
        let mut w = c.sock.try_clone();
        let writer = std::thread::spawn(move || w.write_all(&rest).unwrap());
        for i in 0..COUNT {
            let l = c.line();
            assert!(
                l.ends_with(&format!(r#""id": {i}}}"#)) && l.len() > EACH,
                "{i}"
            );
        }
        writer.join().unwrap();
    }
}

/// What an idle negotiated connection costs (100 of them).
#[test]
fn idle_connections() {
    let Some(v) = variant("idle_connections", 2) else {
        return;
    };
    let (driver, transport) = [SETUPS[0], SETUPS[1]][v];
    {
        let srv = Srv::start(driver, transport, ServerConfig::qmp().max_connections(128));
        srv.assert_responsive();
        let before = rss();
        let conns: Vec<Peer> = (0..100).map(|_| srv.negotiated(true)).collect();
        srv.wait_subscribers(100);
        let per = rss().saturating_sub(before) / 100;
        eprintln!("idle connection {driver:?}: {} KiB each", per / 1024);
        assert!(per < MIB, "{} KiB per connection", per / 1024);
        drop(conns);
        srv.wait_subscribers(0);
    }
}
