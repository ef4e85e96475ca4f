//! Flow control and execution: OOB overtaking a slow in-band command
//! and the in-band queue of 8 (REFERENCE.md 4.6), one request at a time
//! without OOB, silent success (4.7), panics, `quit` (4.8), many
//! connections, the unix socket's mode. Every test runs both drivers.
//!
//! Slow commands wait on a "gate" that another request opens, so the
//! tests do not depend on timing except to conclude that nothing came
//! (a short silence).

mod server_util;

use std::os::unix::fs::PermissionsExt;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use qapi::server::{QuitAction, ServerConfig};
use server_util::*;

const OK: &str = r#"{"return": {}}"#;

fn ok(id: impl std::fmt::Display) -> String {
    format!(r#"{{"return": {{}}, "id": {id}}}"#)
}

#[test]
fn oob_overtakes_a_slow_async_in_band_command() {
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let mut c = Client::negotiated(&server.path, true);
        c.send(r#"{"execute":"x-wait","arguments":{"gate":"g"},"id":"slow"}"#);
        c.silent();
        // OOB requests are answered while the in-band one waits, whether
        // their handler is synchronous or asynchronous.
        assert_eq!(
            c.cmd(r#"{"exec-oob":"x-oob-async","arguments":{"value":7},"id":"o1"}"#),
            r#"{"return": 7, "id": "o1"}"#
        );
        assert_eq!(
            c.cmd(r#"{"exec-oob":"query-version","id":"o2"}"#),
            r#"{"id": "o2", "error": {"class": "GenericError", "desc": "The command query-version does not support OOB"}}"#
        );
        c.send(r#"{"exec-oob":"x-open","arguments":{"gate":"g"},"id":"open"}"#);
        let mut got = vec![c.line(), c.line()];
        got.sort();
        assert_eq!(got, [ok("\"open\""), ok("\"slow\"")], "{driver:?}");
    }
}

#[test]
fn oob_overtakes_a_slow_sync_in_band_command_in_the_blocking_driver() {
    let server = start(Driver::Blocking, registry(), ServerConfig::qmp());
    let mut c = Client::negotiated(&server.path, true);
    let t = Instant::now();
    c.send(r#"{"execute":"x-block","arguments":{"ms":1500},"id":"slow"}"#);
    assert_eq!(
        c.cmd(r#"{"exec-oob":"x-oob-async","arguments":{"value":1},"id":"o"}"#),
        r#"{"return": 1, "id": "o"}"#
    );
    assert!(
        t.elapsed() < Duration::from_millis(1400),
        "OOB waited for the in-band command"
    );
    assert_eq!(c.line(), ok("\"slow\""));
}

#[test]
fn in_band_replies_keep_their_order_with_oob() {
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let mut c = Client::negotiated(&server.path, true);
        // A slow first request, quick ones behind it, all on one line.
        let mut line = String::from(r#"{"execute":"x-sleep","arguments":{"ms":200},"id":0}"#);
        for i in 1..=5 {
            line.push_str(&format!(
                r#"{{"execute":"x-silent","id":{i}}}{{"execute":"query-version","id":{i}}}"#
            ));
        }
        c.send(&line);
        assert_eq!(c.line(), ok(0));
        for i in 1..=5 {
            assert!(
                c.line().ends_with(&format!(r#", "id": {i}}}"#)),
                "{driver:?}"
            );
        }
        c.silent();
    }
}

/// With OOB, reading goes on while fewer than 8 in-band requests wait
/// (the running one does not count), and stops when 8 wait: an `exec-oob`
/// request behind them is not even read until the queue shrinks.
#[test]
fn queue_of_eight() {
    for driver in DRIVERS {
        for waiting in [7, 8] {
            let server = start(driver, registry(), ServerConfig::qmp());
            let mut c = Client::negotiated(&server.path, true);
            c.send(r#"{"execute":"x-wait","arguments":{"gate":"g"},"id":"slow"}"#);
            c.silent(); // running, not waiting
            for i in 1..=waiting {
                c.send(&format!(r#"{{"execute":"query-version","id":{i}}}"#));
            }
            c.send(r#"{"exec-oob":"x-open","arguments":{"gate":"g"},"id":"open"}"#);
            if waiting == 7 {
                // Read and run at once: it opens the gate, everything flows.
                let first = c.line();
                assert_eq!(first, ok("\"open\""), "{driver:?}");
                assert_eq!(c.line(), ok("\"slow\""));
            } else {
                // Not read: nothing happens until the gate is opened by
                // another client.
                c.silent();
                let mut other = Client::negotiated(&server.path, false);
                assert_eq!(
                    other.cmd(r#"{"execute":"x-open","arguments":{"gate":"g"}}"#),
                    OK
                );
                assert_eq!(c.line(), ok("\"slow\""), "{driver:?}");
            }
            let mut ids = Vec::new();
            let mut open = 0;
            while ids.len() < waiting {
                let l = c.line();
                if l == ok("\"open\"") {
                    open += 1;
                    continue;
                }
                assert!(l.starts_with(r#"{"return": {"qemu""#), "{l}");
                ids.push(
                    l.rsplit(' ')
                        .next()
                        .unwrap()
                        .trim_end_matches('}')
                        .parse::<usize>()
                        .unwrap(),
                );
            }
            assert_eq!(ids, (1..=waiting).collect::<Vec<_>>(), "in-band order");
            if waiting == 8 && open == 0 {
                // Read once the queue had room; it opens a gate nobody waits for.
                assert_eq!(c.line(), ok("\"open\""));
            }
            c.silent();
        }
    }
}

/// Without OOB the connection handles one request at a time and reads
/// nothing more until it is answered: an `exec-oob` request (answered at
/// once if read, with an error) stays unread behind a waiting command.
#[test]
fn one_request_at_a_time_without_oob() {
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let mut c = Client::negotiated(&server.path, false);
        c.send(r#"{"execute":"x-wait","arguments":{"gate":"g"},"id":1}"#);
        c.send(r#"{"exec-oob":"x-open","arguments":{"gate":"g"},"id":2}"#);
        c.silent();
        let mut other = Client::negotiated(&server.path, false);
        assert_eq!(
            other.cmd(r#"{"execute":"x-open","arguments":{"gate":"g"}}"#),
            OK
        );
        assert_eq!(c.line(), ok(1), "{driver:?}");
        assert_eq!(
            c.line(),
            r#"{"id": 2, "error": {"class": "GenericError", "desc": "QMP input member 'exec-oob' is unexpected"}}"#
        );
    }
}

#[test]
fn success_response_false_sends_nothing_on_success() {
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let mut c = Client::negotiated(&server.path, false);
        c.send(r#"{"execute":"x-silent","id":1}"#);
        c.silent();
        assert_eq!(server.state.calls.load(Ordering::SeqCst), 1);
        assert_eq!(
            c.cmd(r#"{"execute":"x-silent","arguments":{"fail":true},"id":2}"#),
            r#"{"id": 2, "error": {"class": "GenericError", "desc": "asked to fail"}}"#
        );
        assert_eq!(
            c.cmd(r#"{"execute":"x-silent","arguments":{"bogus":1},"id":3}"#),
            r#"{"id": 3, "error": {"class": "GenericError", "desc": "Parameter 'bogus' is unexpected"}}"#
        );
        // The silent request did not hold up the next one.
        assert!(
            c.cmd(r#"{"execute":"query-version","id":4}"#)
                .ends_with(r#""id": 4}"#)
        );
    }
}

#[test]
fn a_panicking_handler_is_an_error_reply() {
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let mut c = Client::negotiated(&server.path, false);
        assert_eq!(
            c.cmd(r#"{"execute":"x-panic","id":1}"#),
            r#"{"id": 1, "error": {"class": "GenericError", "desc": "Command x-panic failed: internal error (handler bug)"}}"#
        );
        assert!(
            c.cmd(r#"{"execute":"query-version","id":2}"#)
                .ends_with(r#""id": 2}"#)
        );
        let mut d = Client::negotiated(&server.path, false);
        assert!(
            d.cmd(r#"{"execute":"query-version","id":3}"#)
                .ends_with(r#""id": 3}"#)
        );
    }
}

#[test]
fn quit_replies_closes_and_stops_the_server() {
    for driver in DRIVERS {
        let mut server = start(driver, registry(), ServerConfig::qmp());
        let mut bystander = Client::negotiated(&server.path, false);
        let mut c = Client::negotiated(&server.path, false);
        // Requests behind `quit` on the same line are not run.
        c.send(r#"{"execute":"quit","id":"bye"}{"execute":"x-silent","arguments":{"fail":true}}"#);
        assert_eq!(c.line(), ok("\"bye\""));
        c.closed();
        bystander.closed();
        server.wait_stopped().unwrap();
        assert!(!server.path.exists(), "socket removed ({driver:?})");
        assert_eq!(server.state.calls.load(Ordering::SeqCst), 0);
    }
}

#[test]
fn quit_can_close_just_the_connection() {
    for driver in DRIVERS {
        let server = start(
            driver,
            registry(),
            ServerConfig::qmp().on_quit_action(QuitAction::CloseConnection),
        );
        let mut c = Client::negotiated(&server.path, false);
        assert_eq!(c.cmd(r#"{"execute":"quit"}"#), OK);
        c.closed();
        let mut d = Client::negotiated(&server.path, false);
        assert!(
            d.cmd(r#"{"execute":"query-version","id":1}"#)
                .ends_with(r#""id": 1}"#)
        );
    }
}

#[test]
fn quit_hook_runs_before_the_reply() {
    for driver in DRIVERS {
        let config = ServerConfig::qmp();
        let events = config.event_sender().clone();
        let config = config.on_quit(move || events.emit(&TestEvent { n: 99 }));
        let server = start(driver, registry(), config);
        let mut c = Client::negotiated(&server.path, false);
        c.send(r#"{"execute":"quit","id":"bye"}"#);
        let event = c.line();
        assert!(
            event.starts_with(r#"{"timestamp": {"seconds": "#),
            "{event}"
        );
        assert!(
            event.ends_with(r#", "event": "TEST_EVENT", "data": {"n": 99}}"#),
            "{event}"
        );
        assert_eq!(c.line(), ok("\"bye\""));
        c.closed();
    }
}

#[test]
fn end_of_input_answers_what_was_read_then_closes() {
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let mut c = server.connect();
        c.line();
        c.send_bytes(
            b"{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"x-sleep\",\"arguments\":{\"ms\":50},\"id\":1}\n{\"execute\":\"query-version\",\"id\":2}\n{\"execute\":\"query",
        );
        c.stream.shutdown(std::net::Shutdown::Write).unwrap();
        assert_eq!(c.line(), OK);
        assert_eq!(c.line(), ok(1));
        assert!(c.line().ends_with(r#""id": 2}"#));
        // The partial request is dropped, as QEMU drops it on close.
        c.closed();
    }
}

#[test]
fn many_connections_at_once() {
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let path = server.path.clone();
        let threads: Vec<_> = (0..16)
            .map(|t| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut c = Client::negotiated(&path, t % 2 == 0);
                    for i in 0..50 {
                        let got =
                            c.cmd(&format!(r#"{{"execute":"query-version","id":[{t},{i}]}}"#));
                        assert!(got.ends_with(&format!(r#""id": [{t}, {i}]}}"#)), "{got}");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    }
}

#[test]
fn unix_socket_is_owner_only() {
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let mode = std::fs::metadata(&server.path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{driver:?}");
    }
}

#[test]
fn a_live_socket_is_not_taken_over_and_a_stale_one_is_replaced() {
    let server = start(Driver::Async, registry(), ServerConfig::qmp());
    let err = qapi::server::bind_unix(&server.path).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    let dir = TempDir::new("stale");
    let stale = dir.0.join("s.sock");
    drop(std::os::unix::net::UnixListener::bind(&stale).unwrap());
    assert!(stale.exists());
    drop(qapi::server::bind_unix(&stale).unwrap());
    let file = dir.0.join("f");
    std::fs::write(&file, b"x").unwrap();
    assert_eq!(
        qapi::server::bind_unix(&file).unwrap_err().kind(),
        std::io::ErrorKind::AlreadyExists
    );
}
