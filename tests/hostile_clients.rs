//! Hostile clients against the QMP server, async and blocking drivers,
//! over unix sockets and loopback TCP: deep nesting, oversized requests,
//! a byte-at-a-time writer, disconnects in the middle of things, 100
//! clients at once, OOB floods while a slow command runs, panicking
//! handlers and 50 MB of random garbage.
//!
//! In each test the other clients must keep getting correct replies
//! within [`REPLY_BOUND`], nothing panics in the server (the server's
//! thread is joined and checked when a test's server is dropped), and
//! every reply reaches the client that asked, with its `id`. Memory
//! bounds are measured in `hostile_memory.rs` (alone in its process).

mod hostile_util;
mod server_util;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hostile_util::*;
use qapi::server::{QuitAction, ServerConfig};

const PARSE: &str = r#"{"error": {"class": "GenericError", "desc": "JSON parse error, "#;

fn generic(desc: &str) -> String {
    format!(r#"{{"error": {{"class": "GenericError", "desc": "{desc}"}}}}"#)
}

/// A client that runs `x-echo` in a loop while a test abuses the server,
/// checking every reply and how long it took.
struct Bystander {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<(usize, Duration)>>,
}

impl Bystander {
    fn start(srv: &Srv, tag: &'static str) -> Bystander {
        let stop = Arc::new(AtomicBool::new(false));
        let mut p = srv.negotiated(false);
        let s = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let (mut n, mut worst) = (0usize, Duration::ZERO);
            while !s.load(Ordering::SeqCst) || n == 0 {
                let t = Instant::now();
                let got = p.cmd(&format!(
                    r#"{{"execute":"x-echo","arguments":{{"value":"{tag}{n}"}},"id":[{n}]}}"#
                ));
                worst = worst.max(t.elapsed());
                assert_eq!(got, format!(r#"{{"return": "{tag}{n}", "id": [{n}]}}"#));
                n += 1;
                std::thread::sleep(Duration::from_millis(5));
            }
            (n, worst)
        });
        Bystander {
            stop,
            thread: Some(thread),
        }
    }

    /// Stops it; returns how many commands it ran and the slowest reply.
    fn finish(mut self) -> (usize, Duration) {
        self.stop.store(true, Ordering::SeqCst);
        let r = self
            .thread
            .take()
            .unwrap()
            .join()
            .expect("bystander failed");
        assert!(r.1 < REPLY_BOUND, "slowest bystander reply {:?}", r.1);
        r
    }
}

impl Drop for Bystander {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// An `id` nested `depth` arrays deep around `inner`.
fn nested(depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn nesting_up_to_qemus_limit_and_beyond() {
    for (driver, transport) in [SETUPS[0], SETUPS[3]] {
        let srv = Srv::start(driver, transport, ServerConfig::qmp());
        let by = Bystander::start(&srv, "nest");
        let mut c = srv.negotiated(false);
        // 1 (the request) + 1023 levels: accepted and echoed.
        let id = nested(1023, "7");
        assert_eq!(
            c.cmd(&format!(
                r#"{{"execute":"x-echo","arguments":{{"value":1}},"id":{id}}}"#
            )),
            format!(r#"{{"return": 1, "id": {id}}}"#),
            "{driver:?}"
        );
        // Deep arguments of type `any` go through decoding and back.
        let deep = format!("{}1{}", r#"{"a":"#.repeat(1020), "}".repeat(1020));
        let back = format!("{}1{}", r#"{"a": "#.repeat(1020), "}".repeat(1020));
        assert_eq!(
            c.cmd(&format!(
                r#"{{"execute":"x-echo","arguments":{{"value":{deep}}},"id":"deep"}}"#
            )),
            format!(r#"{{"return": {back}, "id": "deep"}}"#)
        );
        // The same through an asynchronous handler (its future, which
        // drops the arguments and encodes the result, runs on the
        // connection's task).
        assert_eq!(
            c.cmd(&format!(
                r#"{{"execute":"x-echo-async","arguments":{{"value":{deep}}},"id":"deep"}}"#
            )),
            format!(r#"{{"return": {back}, "id": "deep"}}"#)
        );
        // A recursive type 1020 levels deep (decoding it recurses).
        let tree = format!(
            "{}{{\"v\":1}}{}",
            r#"{"v":1,"next":"#.repeat(1019),
            "}".repeat(1019)
        );
        assert_eq!(
            c.cmd(&format!(
                r#"{{"execute":"x-tree","arguments":{{"node":{tree}}},"id":"tree"}}"#
            )),
            r#"{"return": 1020, "id": "tree"}"#
        );
        // And out of band.
        let mut o = srv.negotiated(true);
        assert_eq!(
            o.cmd(&format!(
                r#"{{"exec-oob":"x-echo","arguments":{{"value":{deep}}},"id":"oob"}}"#
            )),
            format!(r#"{{"return": {back}, "id": "oob"}}"#)
        );
        // One level more: QEMU's error, then every leftover token is a
        // message of its own (1024 `]` and the final `}`), REFERENCE 4.4.
        c.send(&format!(
            r#"{{"execute":"x-echo","id":{}}}"#,
            nested(1024, "")
        ));
        assert_eq!(c.line(), generic("JSON nesting depth limit exceeded"));
        for _ in 0..1025 {
            assert_eq!(c.line(), format!("{PARSE}expecting value\"}}}}"));
        }
        // A flood of 20 000 brackets: a limit error every 1025 `[`, the
        // 525 left open close into an array (not an object), and every
        // further `]` is an error of its own.
        c.send(&nested(20_000, ""));
        for _ in 0..19 {
            assert_eq!(c.line(), generic("JSON nesting depth limit exceeded"));
        }
        assert_eq!(c.line(), generic("QMP input must be a JSON object"));
        for _ in 0..(20_000 - 525) {
            assert_eq!(c.line(), format!("{PARSE}expecting value\"}}}}"));
        }
        assert_eq!(
            c.cmd(r#"{"execute":"x-echo","arguments":{"value":2},"id":"after"}"#),
            r#"{"return": 2, "id": "after"}"#
        );
        by.finish();
    }
}

/// QEMU's limits themselves: a token over 64 MiB and a request of more
/// than 2 097 152 tokens get QEMU's errors and recovery; the connection
/// and everybody else go on.
#[test]
fn oversized_requests_get_qemus_errors() {
    // 64 MiB + 16 bytes of string: cut at the limit, then the rest of
    // the string is a stray 'A', skipped up to the final `}`.
    let mut huge = Vec::with_capacity(65 << 20);
    huge.extend_from_slice(br#"{"execute":"x-echo","arguments":{"value":1},"id":""#);
    huge.resize(huge.len() + (64 << 20) + 16, b'A');
    huge.extend_from_slice(b"\"}\n");
    // [0,0,…,0]: 2 097 155 tokens; the 2 097 153rd (a comma) is over the
    // limit, the `0` and `]` after it are messages of their own.
    let mut many = Vec::with_capacity(5 << 20);
    many.push(b'[');
    for _ in 0..(1 << 20) {
        many.extend_from_slice(b"0,");
    }
    many.extend_from_slice(b"0]\n");
    for (driver, transport) in [SETUPS[0], SETUPS[3]] {
        let srv = Srv::start(driver, transport, ServerConfig::qmp());
        let by = Bystander::start(&srv, "big");
        let mut c = srv.negotiated(false);
        c.send_bytes(&huge);
        assert_eq!(c.line(), generic("JSON token size limit exceeded"));
        assert_eq!(c.line(), format!("{PARSE}stray 'A'\"}}}}"));
        assert_eq!(c.line(), format!("{PARSE}expecting value\"}}}}"));
        c.send_bytes(&many);
        assert_eq!(c.line(), generic("JSON token count limit exceeded"));
        assert_eq!(c.line(), generic("QMP input must be a JSON object"));
        assert_eq!(c.line(), format!("{PARSE}expecting value\"}}}}"));
        assert_eq!(
            c.cmd(r#"{"execute":"x-echo","arguments":{"value":3},"id":"after"}"#),
            r#"{"return": 3, "id": "after"}"#,
            "{driver:?}"
        );
        by.finish();
    }
}

#[test]
fn a_byte_at_a_time_writer_holds_up_nobody() {
    for (driver, transport) in SETUPS {
        let srv = Srv::start(driver, transport, ServerConfig::qmp());
        let mut slow = srv.negotiated(true);
        let by = Bystander::start(&srv, "fast");
        for k in 0..3 {
            let req = format!(
                "{{\"execute\": \"x-echo\",\n \"arguments\": {{\"value\": \"slow{k}\"}}, \"id\": {k}}}"
            );
            let bytes = req.as_bytes();
            for b in &bytes[..bytes.len() - 1] {
                slow.send_bytes(std::slice::from_ref(b));
                std::thread::sleep(Duration::from_millis(2));
            }
            // Nothing is answered before the request is complete.
            slow.silent_for(Duration::from_millis(50));
            slow.send_bytes(&bytes[bytes.len() - 1..]);
            assert_eq!(
                slow.line(),
                format!(r#"{{"return": "slow{k}", "id": {k}}}"#),
                "{driver:?} {transport:?}"
            );
        }
        let (n, worst) = by.finish();
        assert!(n >= 10, "bystander ran only {n} commands");
        eprintln!(
            "byte-at-a-time {driver:?}/{transport:?}: bystander {n} commands, slowest {worst:?}"
        );
    }
}

#[test]
fn disconnects_in_the_middle_of_things() {
    for (driver, transport) in SETUPS {
        let srv = Srv::start(driver, transport, ServerConfig::qmp());
        let by = Bystander::start(&srv, "by");
        srv.wait_subscribers(1);
        // Gone before reading the greeting.
        drop(srv.connect());
        // Half a request, then gone.
        let mut c = srv.negotiated(false);
        c.send_bytes(br#"{"execute":"x-echo","argum"#);
        drop(c);
        // Half a request, then only the writing side closed: the partial
        // request is dropped (as QEMU does) and the server closes.
        let mut c = srv.negotiated(false);
        c.send_bytes(br#"{"execute":"x-echo","arguments":{"value"#);
        c.sock.shutdown(std::net::Shutdown::Write);
        assert_eq!(c.until_closed(), Vec::<String>::new());
        // Gone while a slow command runs with more queued behind it.
        let mut c = srv.negotiated(true);
        c.send(r#"{"execute":"x-sleep","arguments":{"ms":200},"id":1}"#);
        for i in 2..8 {
            c.send(&format!(
                r#"{{"execute":"x-big","arguments":{{"size":100000}},"id":{i}}}"#
            ));
        }
        drop(c);
        // Gone while OOB handlers run.
        let mut c = srv.negotiated(true);
        for i in 0..12 {
            c.send(&format!(
                r#"{{"exec-oob":"x-oob-hold","arguments":{{"ms":100}},"id":{i}}}"#
            ));
        }
        drop(c);
        // Gone in the middle of a big reply.
        let mut c = srv.negotiated(false);
        c.send(r#"{"execute":"x-big","arguments":{"size":4000000},"id":"big"}"#);
        let mut first = [0u8; 100];
        std::io::Read::read_exact(&mut c.sock, &mut first).unwrap();
        drop(c);
        // Every connection above ends: only the bystander gets events.
        srv.wait_subscribers(1);
        srv.assert_responsive();
        by.finish();
    }
}

#[test]
fn a_hundred_clients_get_their_own_replies() {
    for (driver, transport) in [SETUPS[0], SETUPS[3]] {
        let srv = Arc::new(Srv::start(
            driver,
            transport,
            ServerConfig::qmp().max_connections(128),
        ));
        let barrier = Arc::new(std::sync::Barrier::new(100));
        let threads: Vec<_> = (0..100)
            .map(|t| {
                let (srv, barrier) = (Arc::clone(&srv), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    let oob = t % 2 == 1;
                    let mut c = srv.negotiated(oob);
                    // Everybody connected before anybody sends.
                    barrier.wait();
                    let mut batch = String::new();
                    let mut inband = Vec::new();
                    let mut outofband = Vec::new();
                    for i in 0..20 {
                        batch.push_str(&format!(
                            r#"{{"execute":"x-echo","arguments":{{"value":"{t}:{i}"}},"id":[{t},{i}]}}"#
                        ));
                        inband.push(format!(r#"{{"return": "{t}:{i}", "id": [{t}, {i}]}}"#));
                        if oob && i % 4 == 0 {
                            batch.push_str(&format!(
                                r#"{{"exec-oob":"x-echo","arguments":{{"value":"{t}/{i}"}},"id":"{t}/{i}"}}"#
                            ));
                            outofband.push(format!(r#"{{"return": "{t}/{i}", "id": "{t}/{i}"}}"#));
                        }
                    }
                    c.send(&batch);
                    let mut got_in = Vec::new();
                    let mut got_oob = Vec::new();
                    for _ in 0..inband.len() + outofband.len() {
                        let l = c.line();
                        if l.contains(r#""id": ["#) {
                            got_in.push(l);
                        } else {
                            got_oob.push(l);
                        }
                    }
                    // In-band replies in order; OOB ones all there.
                    assert_eq!(got_in, inband, "client {t}");
                    got_oob.sort();
                    outofband.sort();
                    assert_eq!(got_oob, outofband, "client {t}");
                    c.silent_for(Duration::from_millis(20));
                })
            })
            .collect();
        for t in threads {
            t.join().expect("a client saw a wrong reply");
        }
        srv.assert_responsive();
    }
}

/// `exec-oob` requests are answered while a slow in-band command runs;
/// a flood of slow asynchronous OOB handlers runs at most
/// `oob_in_flight` at a time (async driver; the blocking driver runs
/// them one at a time, as QEMU's monitor thread does), every one is
/// answered, and the in-band command completes afterwards.
#[test]
fn an_oob_flood_while_a_slow_command_runs() {
    for (driver, transport) in [SETUPS[0], SETUPS[1]] {
        let srv = Srv::start(driver, transport, ServerConfig::qmp());
        let by = Bystander::start(&srv, "oob");
        let mut c = srv.negotiated(true);
        c.send(r#"{"execute":"x-wait","arguments":{"gate":"g"},"id":"slow"}"#);
        c.silent_for(Duration::from_millis(50));
        let t = Instant::now();
        assert_eq!(
            c.cmd(r#"{"exec-oob":"x-echo","arguments":{"value":"quick"},"id":"quick"}"#),
            r#"{"return": "quick", "id": "quick"}"#
        );
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
        let (n, ms) = match driver {
            Driver::Async => (64, 40),
            Driver::Blocking => (32, 10),
        };
        let mut flood = String::new();
        for i in 0..n {
            flood.push_str(&format!(
                r#"{{"exec-oob":"x-oob-hold","arguments":{{"ms":{ms}}},"id":{i}}}"#
            ));
        }
        c.send(&flood);
        let mut ids: Vec<i64> = (0..n)
            .map(|_| {
                let l = c.line();
                assert!(l.starts_with(r#"{"return": {}, "id": "#), "{l}");
                reply_id(&l).unwrap().as_i64().unwrap()
            })
            .collect();
        ids.sort();
        assert_eq!(ids, (0..n).collect::<Vec<_>>());
        let max = srv.conc.max.load(Ordering::SeqCst);
        match driver {
            Driver::Async => assert!((2..=8).contains(&max), "{max} OOB handlers at once"),
            Driver::Blocking => assert_eq!(max, 1),
        }
        // The in-band command still waits; another client lets it go.
        c.silent_for(Duration::from_millis(20));
        let mut other = srv.negotiated(false);
        assert_eq!(
            other.cmd(r#"{"execute":"x-open","arguments":{"gate":"g"}}"#),
            r#"{"return": {}}"#
        );
        assert_eq!(c.line(), r#"{"return": {}, "id": "slow"}"#);
        by.finish();
    }
}

#[test]
fn panicking_handlers_are_answered_and_contained() {
    for (driver, transport) in [SETUPS[0], SETUPS[3]] {
        let config = ServerConfig::qmp().on_quit_action(QuitAction::CloseConnection);
        let srv = Srv::start(driver, transport, config);
        let by = Bystander::start(&srv, "calm");
        let mut c = srv.negotiated(true);
        let err = |id: i64, cmd: &str, what: &str| {
            format!(
                r#"{{"id": {id}, "error": {{"class": "GenericError", "desc": "Command {cmd} failed: internal error ({what})"}}}}"#
            )
        };
        for round in 0..3 {
            let base = round * 10;
            assert_eq!(
                c.cmd(&format!(r#"{{"execute":"x-panic","id":{}}}"#, base + 1)),
                err(base + 1, "x-panic", "handler bug")
            );
            assert_eq!(
                c.cmd(&format!(
                    r#"{{"execute":"x-async-panic","id":{}}}"#,
                    base + 2
                )),
                err(base + 2, "x-async-panic", "async handler bug")
            );
            assert_eq!(
                c.cmd(&format!(
                    r#"{{"exec-oob":"x-oob-panic","id":{}}}"#,
                    base + 3
                )),
                err(base + 3, "x-oob-panic", "oob handler bug")
            );
            assert_eq!(
                c.cmd(&format!(
                    r#"{{"exec-oob":"x-oob-async-panic","id":{}}}"#,
                    base + 4
                )),
                err(base + 4, "x-oob-async-panic", "oob async handler bug")
            );
        }
        // Panicked OOB handlers gave their places back: a full set of
        // OOB handlers still runs.
        for i in 0..9 {
            c.send(&format!(
                r#"{{"exec-oob":"x-oob-hold","arguments":{{"ms":20}},"id":{i}}}"#
            ));
        }
        for _ in 0..9 {
            assert!(c.line().starts_with(r#"{"return": {}, "id": "#));
        }
        assert_eq!(
            c.cmd(r#"{"execute":"x-echo","arguments":{"value":5},"id":5}"#),
            r#"{"return": 5, "id": 5}"#
        );
        by.finish();
        srv.assert_responsive();
    }
}

#[test]
fn a_panicking_quit_hook_closes_only_its_connection() {
    for (driver, transport) in [SETUPS[0], SETUPS[1]] {
        let config = ServerConfig::qmp()
            .on_quit_action(QuitAction::CloseConnection)
            .on_quit(|| panic!("quit hook bug"));
        let srv = Srv::start(driver, transport, config);
        let by = Bystander::start(&srv, "q");
        let mut c = srv.negotiated(false);
        c.send(r#"{"execute":"quit","id":"bye"}"#);
        assert_eq!(
            c.until_closed(),
            ["{\"return\": {}, \"id\": \"bye\"}\r\n".to_owned()]
        );
        srv.assert_responsive();
        by.finish();
    }
}

/// 50 MB of random bytes: the server answers as QEMU does (a stream of
/// `JSON parse error, …` and envelope errors, never a success, never an
/// `id`), the other clients keep being answered promptly, and the
/// connection works normally afterwards.
///
/// Uniformly random bytes give an error reply every 6 bytes or so, and a
/// debug build takes some microseconds per reply: to stay within the CI
/// budget, a part of each 64 KiB (1/12 with the async driver, 1/24 with
/// the blocking one: 4.2 or 2.1 MB, some 700 000 or 350 000 replies) is
/// uniformly random, the rest random bytes from 0x80-0xFD, which continue
/// a string token or error recovery, or start it (one `stray` error).
/// `QAPI_GARBAGE_MB` changes the total, `QAPI_GARBAGE_DENSE=1` makes it
/// all uniformly random.
#[test]
fn fifty_megabytes_of_garbage() {
    let total: usize = std::env::var("QAPI_GARBAGE_MB").map_or(50, |v| v.parse().unwrap()) << 20;
    let all_dense = std::env::var_os("QAPI_GARBAGE_DENSE").is_some();
    for (driver, transport, dense) in [(SETUPS[0], 12), (SETUPS[3], 24)]
        .map(|((d, t), n)| (d, t, if all_dense { 1 << 16 } else { (1 << 16) / n }))
    {
        let srv = Srv::start(driver, transport, ServerConfig::qmp());
        let by = Bystander::start(&srv, "g");
        let mut c = srv.negotiated(false);
        let mut w = c.sock.try_clone();
        let writer = std::thread::spawn(move || {
            let mut g = Garbage::new(0x9E37_79B9_7F4A_7C15);
            let mut chunk = vec![0u8; 1 << 16];
            let mut sent = 0;
            while sent < total {
                g.fill(&mut chunk);
                for b in &mut chunk[dense..] {
                    *b = 0x80 + *b % 0x7E;
                }
                w.write_all(&chunk).unwrap();
                sent += chunk.len();
            }
            // 0xFF ends whatever token was open; then a real request.
            w.write_all(b"\xff\n{\"execute\":\"x-echo\",\"arguments\":{\"value\":\"after\"},\"id\":\"after\"}\n")
                .unwrap();
        });
        let t = Instant::now();
        let (mut errors, mut parse) = (0usize, 0usize);
        loop {
            let l = c.line();
            if l == r#"{"return": "after", "id": "after"}"# {
                break;
            }
            // An error without `id` (it would come first), nothing else.
            let desc = l
                .strip_prefix(r#"{"error": {"class": "GenericError", "desc": ""#)
                .and_then(|d| d.strip_suffix(r#""}}"#))
                .unwrap_or_else(|| panic!("not a GenericError without id: {l}"));
            if desc.starts_with("JSON parse error, ") {
                parse += 1;
            }
            errors += 1;
        }
        writer.join().unwrap();
        let (n, worst) = by.finish();
        eprintln!(
            "garbage {driver:?}/{transport:?}: {errors} error replies ({parse} parse errors) in {:?}; bystander {n} commands, slowest {worst:?}",
            t.elapsed()
        );
        assert!(parse * 2 > errors, "{parse} of {errors}");
        assert!(errors > total / (1 << 16) * dense / 10, "{errors}");
        srv.assert_responsive();
    }
}

/// Beyond `max_connections` clients wait, unaccepted, until a place is
/// free; they are then served normally.
#[test]
fn connections_beyond_the_limit_wait_their_turn() {
    for (driver, transport) in [SETUPS[0], SETUPS[1]] {
        let srv = Srv::start(driver, transport, ServerConfig::qmp().max_connections(2));
        let a = srv.negotiated(false);
        let mut b = srv.negotiated(false);
        let mut third = srv.connect();
        assert!(
            third.try_line(Duration::from_millis(300)).is_none(),
            "{driver:?}"
        );
        drop(a);
        assert!(third.line().starts_with(r#"{"QMP": "#));
        third.send(r#"{"execute":"qmp_capabilities"}"#);
        assert_eq!(third.line(), r#"{"return": {}}"#);
        assert_eq!(
            b.cmd(r#"{"execute":"x-echo","arguments":{"value":"b"},"id":1}"#),
            r#"{"return": "b", "id": 1}"#
        );
    }
}
