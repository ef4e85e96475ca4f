//! Events (REFERENCE.md 5): QEMU's wire form, only to negotiated
//! connections, before the reply of the command that emitted them, rate
//! limiting (QEMU's table and algorithm; a short window to keep the tests
//! quick, and the default one-second window once), and the bounded
//! backlog of a client that does not read. Both drivers.

mod server_util;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use qapi::policy::CompatPolicy;
use qapi::server::{EventOverflow, EventSender, RateLimits, ServerConfig};
use qapi::{EventMessage, Qapi, Registry, Timestamp};
use server_util::*;

/// A line is an event named `name`; returns its timestamp.
fn event(line: &str, name: &str) -> Timestamp {
    let rest = line
        .strip_prefix(r#"{"timestamp": {"seconds": "#)
        .unwrap_or_else(|| panic!("not an event: {line}"));
    let (secs, rest) = rest.split_once(r#", "microseconds": "#).unwrap();
    let (micros, rest) = rest.split_once("}, ").unwrap();
    assert!(rest.starts_with(&format!(r#""event": "{name}""#)), "{line}");
    Timestamp {
        seconds: secs.parse().unwrap(),
        microseconds: micros.parse().unwrap(),
    }
}

#[test]
fn events_go_to_negotiated_connections_only_and_before_the_reply() {
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let mut a = Client::negotiated(&server.path, false);
        let mut b = server.connect();
        b.line();
        a.send(r#"{"execute":"x-emit","arguments":{"count":3},"id":1}"#);
        for n in 0..3 {
            let l = a.line();
            event(&l, "TEST_EVENT");
            assert!(l.ends_with(&format!(r#""data": {{"n": {n}}}}}"#)), "{l}");
        }
        assert_eq!(a.line(), r#"{"return": {}, "id": 1}"#);
        b.silent();
        // From another thread, to everyone negotiated.
        assert_eq!(
            b.cmd(r#"{"execute":"qmp_capabilities"}"#),
            r#"{"return": {}}"#
        );
        server.events.emit(&TestEvent { n: 7 });
        for c in [&mut a, &mut b] {
            assert!(
                c.line()
                    .ends_with(r#""event": "TEST_EVENT", "data": {"n": 7}}"#),
                "{driver:?}"
            );
        }
        assert_eq!(server.events.subscribers(), 2);
        drop(a);
        drop(b);
        let deadline = Instant::now() + LINE_TIMEOUT;
        while server.events.subscribers() > 0 {
            assert!(
                Instant::now() < deadline,
                "closed connections stay subscribed"
            );
            server.events.emit(&TestEvent { n: 8 });
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

#[test]
fn guest_agent_connections_get_no_events() {
    for driver in DRIVERS {
        let mut r = Registry::<TestState>::empty();
        r.command::<XEmit, _>(|s, c| {
            for n in 0..c.count {
                s.events.emit(&TestEvent { n });
            }
            Ok(qapi::Empty)
        });
        let server = start(driver, r, ServerConfig::guest_agent());
        let mut c = server.connect();
        c.send(r#"{"execute":"x-emit","arguments":{"count":2}}"#);
        assert_eq!(c.raw_line(), b"{\"return\": {}}\n");
        c.silent();
        assert_eq!(server.events.subscribers(), 0);
    }
}

/// The event's data as a QEMU job has it.
#[derive(Debug, Clone, Qapi)]
#[qapi(event = "JOB_STATUS_CHANGE")]
struct JobStatusChange {
    id: String,
    status: String,
}

#[derive(Debug, Qapi)]
#[qapi(command = "blockdev-create")]
struct BlockdevCreate {
    job_id: String,
    options: serde_json::Value,
}

/// Timestamps the test's `blockdev-create` stamps its events with.
static STAMPS: Mutex<Vec<Timestamp>> = Mutex::new(Vec::new());

/// QSD session D: a job's events, two before the command's reply and
/// three after it, byte for byte (timestamps taken from the transcript).
#[test]
fn job_events_as_qsd_sent_them() {
    let Some(text) = live_file("qsd-transcripts.txt") else {
        eprintln!("skipped: ../shared/qemu/live/qsd-transcripts.txt not found");
        return;
    };
    let all = exchanges(&text, "SESSION: D:");
    let e = exchange(&all, "blockdev-create job emits JOB_STATUS_CHANGE events");
    let want = e.received.clone().unwrap();
    assert_eq!(want.len(), 6);
    let stamps: Vec<Timestamp> = want
        .iter()
        .filter(|l| l.starts_with(b"{\"timestamp\""))
        .map(|l| {
            event(
                std::str::from_utf8(&l[..l.len() - 2]).unwrap(),
                "JOB_STATUS_CHANGE",
            )
        })
        .collect();
    *STAMPS.lock().unwrap() = stamps;
    for driver in DRIVERS {
        let mut r = registry();
        r.command::<BlockdevCreate, _>(|s, c| {
            let stamps = STAMPS.lock().unwrap().clone();
            let send = |events: &EventSender, status: &str, at: Timestamp| {
                let ev = JobStatusChange {
                    id: c.job_id.clone(),
                    status: status.into(),
                };
                events.send(EventMessage::at(&ev, CompatPolicy::default(), at).unwrap());
            };
            send(&s.events, "created", stamps[0]);
            send(&s.events, "running", stamps[1]);
            let events = s.events.clone();
            let id = c.job_id.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                for (status, at) in ["waiting", "pending", "concluded"]
                    .into_iter()
                    .zip(&stamps[2..])
                {
                    let ev = JobStatusChange {
                        id: id.clone(),
                        status: status.into(),
                    };
                    events.send(EventMessage::at(&ev, CompatPolicy::default(), *at).unwrap());
                }
            });
            Ok(qapi::Empty)
        });
        r.event::<JobStatusChange>();
        let server = start(driver, r, ServerConfig::qmp());
        let mut c = Client::negotiated(&server.path, false);
        c.send_bytes(&e.sent);
        for w in &want {
            assert_eq!(
                String::from_utf8_lossy(&c.raw_line()),
                String::from_utf8_lossy(w),
                "{driver:?}"
            );
        }
    }
}

#[test]
fn qemu_rate_limit_table() {
    let r = RateLimits::qemu();
    assert_eq!(r.window_len(), Duration::from_secs(1));
    for (event, key) in [
        ("RTC_CHANGE", None),
        ("BLOCK_IO_ERROR", Some("qom-path")),
        ("WATCHDOG", None),
        ("BALLOON_CHANGE", None),
        ("QUORUM_REPORT_BAD", Some("node-name")),
        ("QUORUM_FAILURE", None),
        ("VSERPORT_CHANGE", Some("id")),
        ("MEMORY_DEVICE_SIZE_CHANGE", Some("qom-path")),
        ("HV_BALLOON_STATUS_REPORT", None),
    ] {
        assert_eq!(r.get(event), Some(key), "{event}");
    }
    for free in [
        "SHUTDOWN",
        "STOP",
        "RESUME",
        "JOB_STATUS_CHANGE",
        "BLOCK_JOB_COMPLETED",
    ] {
        assert_eq!(r.get(free), None);
    }
    assert_eq!(RateLimits::default(), r);
    assert_eq!(EventSender::new().rate_limits(), &r);
}

fn rtc(offset: i64, at: Timestamp) -> EventMessage {
    EventMessage::at(
        &RtcChange {
            offset,
            qom_path: "/machine/rtc".into(),
        },
        CompatPolicy::default(),
        at,
    )
    .unwrap()
}

fn ts(seconds: i64) -> Timestamp {
    Timestamp {
        seconds,
        microseconds: 1,
    }
}

/// First event at once; while the window runs only the latest is kept;
/// it is sent when the window ends with its own timestamp; then, after
/// a quiet window, the key is forgotten and the next event goes at once.
#[test]
fn rate_limiting_algorithm() {
    const WINDOW: Duration = Duration::from_millis(300);
    for driver in DRIVERS {
        let events = EventSender::with_rate_limits(RateLimits::qemu().window(WINDOW));
        let server = start(
            driver,
            registry(),
            ServerConfig::qmp().events(events.clone()),
        );
        let mut c = Client::negotiated(&server.path, false);
        let t0 = Instant::now();
        events.send(rtc(1, ts(100)));
        events.send(rtc(2, ts(101)));
        events.send(rtc(3, ts(102)));
        // Not limited: goes at once, overtaking the kept RTC_CHANGE.
        events.emit(&TestEvent { n: 1 });
        assert_eq!(event(&c.line(), "RTC_CHANGE"), ts(100));
        event(&c.line(), "TEST_EVENT");
        let l = c.line();
        assert_eq!(
            event(&l, "RTC_CHANGE"),
            ts(102),
            "the latest, with its own timestamp"
        );
        assert!(l.contains(r#""offset": 3"#));
        let waited = t0.elapsed();
        assert!(
            waited >= WINDOW - Duration::from_millis(20),
            "sent after {waited:?}"
        );
        // Another one within the (re-armed) window waits for its end.
        events.send(rtc(4, ts(103)));
        c.silent_for(WINDOW / 3);
        assert_eq!(event(&c.line(), "RTC_CHANGE"), ts(103));
        // A window without events: the key is forgotten.
        std::thread::sleep(WINDOW * 2 + Duration::from_millis(100));
        let t1 = Instant::now();
        events.send(rtc(5, ts(104)));
        assert_eq!(event(&c.line(), "RTC_CHANGE"), ts(104));
        assert!(t1.elapsed() < WINDOW / 2, "{driver:?}: not sent at once");

        // Keyed by data.id: different ids do not limit each other.
        let port = |id: &str, at| {
            EventMessage::at(
                &VserportChange {
                    id: id.into(),
                    open: true,
                },
                CompatPolicy::default(),
                at,
            )
            .unwrap()
        };
        events.send(port("a", ts(200)));
        events.send(port("b", ts(201)));
        events.send(port("a", ts(202)));
        assert_eq!(event(&c.line(), "VSERPORT_CHANGE"), ts(200));
        assert_eq!(event(&c.line(), "VSERPORT_CHANGE"), ts(201));
        assert_eq!(event(&c.line(), "VSERPORT_CHANGE"), ts(202));
        c.silent();
    }
}

/// The default, QEMU's one-second window.
#[test]
fn rate_limiting_default_window() {
    let server = start(Driver::Async, registry(), ServerConfig::qmp());
    let mut c = Client::negotiated(&server.path, false);
    let t0 = Instant::now();
    server.events.send(rtc(1, ts(1)));
    server.events.send(rtc(2, ts(2)));
    assert_eq!(event(&c.line(), "RTC_CHANGE"), ts(1));
    assert_eq!(event(&c.line(), "RTC_CHANGE"), ts(2));
    let waited = t0.elapsed();
    assert!(
        waited >= Duration::from_millis(950) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
}

/// A client that never reads: with `Disconnect` it is dropped once its
/// backlog is full, with `DropOldest` it stays; either way the other
/// clients get every event, and memory stays bounded.
#[test]
fn a_client_that_does_not_read() {
    const BURSTS: usize = 200;
    const BURST: usize = 32;
    for driver in DRIVERS {
        for overflow in [EventOverflow::Disconnect, EventOverflow::DropOldest] {
            let config = ServerConfig::qmp().event_backlog(64, overflow);
            let server = start(driver, registry(), config);
            let mut stuck = Client::negotiated(&server.path, false);
            let mut reader = Client::negotiated(&server.path, false);
            let mut n = 0;
            for _ in 0..BURSTS {
                for _ in 0..BURST {
                    server.events.emit(&TestEvent { n });
                    n += 1;
                }
                for _ in 0..BURST {
                    reader.line();
                }
            }
            assert!(
                reader
                    .cmd(r#"{"execute":"query-version","id":1}"#)
                    .ends_with(r#""id": 1}"#)
            );
            match overflow {
                EventOverflow::Disconnect => {
                    assert_eq!(server.events.subscribers(), 1, "{driver:?}");
                    let mut got = 0;
                    while stuck.try_raw_line(LINE_TIMEOUT).is_some() {
                        got += 1;
                    }
                    assert!(got < n, "{driver:?}: all {n} events arrived");
                }
                EventOverflow::DropOldest => {
                    assert_eq!(server.events.subscribers(), 2, "{driver:?}");
                    stuck.send(r#"{"execute":"query-version","id":"alive"}"#);
                    let mut got = 0;
                    loop {
                        let l = stuck.line();
                        if l.ends_with(r#""id": "alive"}"#) {
                            break;
                        }
                        event(&l, "TEST_EVENT");
                        got += 1;
                    }
                    assert!(got < n, "{driver:?}: all {n} events arrived");
                }
            }
        }
    }
}

#[test]
fn negotiation_starts_over_on_each_connection() {
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        drop(Client::negotiated(&server.path, true));
        let mut c = server.connect();
        c.line();
        assert_eq!(
            c.cmd(r#"{"execute":"query-version","id":"after-reconnect"}"#),
            r#"{"id": "after-reconnect", "error": {"class": "CommandNotFound", "desc": "Expecting capabilities negotiation with 'qmp_capabilities'"}}"#
        );
    }
}
