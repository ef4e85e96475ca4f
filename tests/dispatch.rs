//! QMP dispatch: REFERENCE.md 4.1 (negotiation), 4.2 (envelope, order
//! of checks), 4.7 (`success-response: false`), 4.9-4.11 (registry,
//! preconfig, compat policy). Replies are compared byte for byte with
//! what the live qemu-storage-daemon 10.0.2 sent
//! (../shared/qemu/live/qsd-transcripts.txt).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::qsd_mini::*;
use qapi::json::WriteOptions;
use qapi::policy::{CompatPolicy, InputPolicy, OutputPolicy};
use qapi::qmp::{VersionInfo, VersionTriple};
use qapi::{Dispatched, Error, Qapi, Registry, Session};

#[derive(Default)]
struct Daemon {
    calls: AtomicUsize,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "x-old", feature = "deprecated")]
struct XOld {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "x-new", feature = "unstable")]
struct XNew {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "set-param")]
struct SetParam {
    #[qapi(feature = "deprecated")]
    old: Option<String>,
    mode: Option<Mode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum Mode {
    Fast,
    #[qapi(feature = "deprecated")]
    Gluster,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "yank-it", allow_oob)]
struct YankIt {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "guest-shutdown", success_response = false)]
struct GuestShutdown {
    mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "boom")]
struct Boom {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "slow", returns = Info)]
struct Slow {
    n: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
struct Info {
    n: i64,
    #[qapi(feature = "deprecated")]
    legacy: Option<bool>,
}

fn registry() -> Registry<Daemon> {
    let mut r = Registry::<Daemon>::new();
    r.set_version(VersionInfo {
        qemu: VersionTriple {
            major: 10,
            minor: 0,
            micro: 2,
        },
        package: "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1".into(),
    });
    r.command::<BlockJobCancel, _>(|d, c| {
        d.calls.fetch_add(1, Ordering::Relaxed);
        Err(Error::device_not_active(format!(
            "Block job '{}' not found",
            c.device
        )))
    });
    r.declare::<BlockdevAdd>();
    r.command::<XOld, _>(|_, _| Ok(qapi::Empty));
    r.command::<XNew, _>(|_, _| Ok(qapi::Empty));
    r.command::<SetParam, _>(|_, _| Ok(qapi::Empty));
    r.command::<YankIt, _>(|_, _| Ok(qapi::Empty));
    r.command::<GuestShutdown, _>(|_, _| Ok(qapi::Empty));
    r.command::<Boom, _>(|_, _| panic!("handler bug"));
    r.command_async::<Slow, _, _>(|_, s| async move {
        Ok(Info {
            n: s.n * 2,
            legacy: Some(true),
        })
    });
    r
}

struct Conn {
    reg: Arc<Registry<Daemon>>,
    state: Arc<Daemon>,
    session: Session,
}

impl Conn {
    fn new(reg: Registry<Daemon>) -> Conn {
        Conn {
            reg: Arc::new(reg),
            state: Arc::new(Daemon::default()),
            session: Session::qmp(true),
        }
    }
    fn negotiated(reg: Registry<Daemon>) -> Conn {
        let mut c = Conn::new(reg);
        assert_eq!(
            c.send(r#"{"execute":"qmp_capabilities"}"#),
            r#"{"return": {}}"#
        );
        c
    }
    /// Sends one request; returns the reply line as QEMU writes it ("" if
    /// none).
    fn send(&mut self, req: &str) -> String {
        let d = self.reg.dispatch_str(&self.state, &mut self.session, req);
        let r = match d {
            Dispatched::Pending(_) => block_on(d.resolve()),
            other => other.into_reply(),
        };
        r.map(|r| String::from_utf8(r.to_vec(&WriteOptions::QEMU)).unwrap())
            .unwrap_or_default()
    }
}

/// A minimal executor for the async handler tests.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[test]
fn negotiation() {
    let mut c = Conn::new(registry());
    let expecting = r#"{"id": "pre-1", "error": {"class": "CommandNotFound", "desc": "Expecting capabilities negotiation with 'qmp_capabilities'"}}"#;
    assert_eq!(
        c.send(r#"{"execute":"query-version","id":"pre-1"}"#),
        expecting
    );
    assert_eq!(c.send(r#"{"execute":"no-such","id":"pre-1"}"#), expecting);
    // exec-oob is not a known member before OOB is negotiated.
    assert_eq!(
        c.send(r#"{"exec-oob":"qmp_capabilities","id":"x"}"#),
        r#"{"id": "x", "error": {"class": "GenericError", "desc": "QMP input member 'exec-oob' is unexpected"}}"#
    );
    assert_eq!(
        c.send(r#"{"execute":"qmp_capabilities","arguments":{"enable":["bogus"]},"id":"pre-3"}"#),
        r#"{"id": "pre-3", "error": {"class": "GenericError", "desc": "Parameter 'null' does not accept value 'bogus'"}}"#
    );
    assert_eq!(
        c.send(r#"{"execute":"qmp_capabilities","arguments":{"enable":"oob"},"id":"pre-4"}"#),
        r#"{"id": "pre-4", "error": {"class": "GenericError", "desc": "Invalid parameter type for 'enable', expected: array"}}"#
    );
    assert_eq!(
        c.send(r#"{"execute":"qmp_capabilities","id":"caps"}"#),
        r#"{"return": {}, "id": "caps"}"#
    );
    assert_eq!(
        c.send(r#"{"execute":"qmp_capabilities","id":"caps-again"}"#),
        r#"{"id": "caps-again", "error": {"class": "CommandNotFound", "desc": "Capabilities negotiation is already complete, command ignored"}}"#
    );
    assert_eq!(
        c.send(r#"{"execute":"query-version","id":1}"#),
        r#"{"return": {"qemu": {"micro": 2, "minor": 0, "major": 10}, "package": "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1"}, "id": 1}"#
    );
}

#[test]
fn capability_not_offered() {
    let mut c = Conn::new(registry());
    c.session = Session::qmp(false);
    assert_eq!(
        c.send(r#"{"execute":"qmp_capabilities","arguments":{"enable":["oob"]}}"#),
        r#"{"error": {"class": "GenericError", "desc": "Capability oob not available"}}"#
    );
}

#[test]
fn envelope_errors_in_qemu_order() {
    let mut c = Conn::negotiated(registry());
    let cases = [
        (
            r#"{"execute":"no-such-command","id":1}"#,
            r#"{"id": 1, "error": {"class": "CommandNotFound", "desc": "The command no-such-command has not been found"}}"#,
        ),
        (
            r#"{"execute":"x-no-such","arguments":{"a":1},"id":2}"#,
            r#"{"id": 2, "error": {"class": "CommandNotFound", "desc": "The command x-no-such has not been found"}}"#,
        ),
        (
            r#"{"execute":1,"id":3}"#,
            r#"{"id": 3, "error": {"class": "GenericError", "desc": "QMP input member 'execute' must be a string"}}"#,
        ),
        (
            r#"{"id":4}"#,
            r#"{"id": 4, "error": {"class": "GenericError", "desc": "QMP input lacks member 'execute'"}}"#,
        ),
        (
            r#"{}"#,
            r#"{"error": {"class": "GenericError", "desc": "QMP input lacks member 'execute'"}}"#,
        ),
        (
            r#"{"execute":"query-version","arguments":[],"id":5}"#,
            r#"{"id": 5, "error": {"class": "GenericError", "desc": "QMP input member 'arguments' must be an object"}}"#,
        ),
        (
            r#"{"execute":"query-version","arguments":null,"id":6}"#,
            r#"{"id": 6, "error": {"class": "GenericError", "desc": "QMP input member 'arguments' must be an object"}}"#,
        ),
        (
            r#"{"execute":"query-version","foo":1,"id":7}"#,
            r#"{"id": 7, "error": {"class": "GenericError", "desc": "QMP input member 'foo' is unexpected"}}"#,
        ),
        (
            r#"{"execute":"query-version","exec-oob":"query-version","id":8}"#,
            r#"{"id": 8, "error": {"class": "GenericError", "desc": "QMP input member 'exec-oob' is unexpected"}}"#,
        ),
        (
            "[1,2]",
            r#"{"error": {"class": "GenericError", "desc": "QMP input must be a JSON object"}}"#,
        ),
        (
            r#""query-version""#,
            r#"{"error": {"class": "GenericError", "desc": "QMP input must be a JSON object"}}"#,
        ),
        (
            "42",
            r#"{"error": {"class": "GenericError", "desc": "QMP input must be a JSON object"}}"#,
        ),
        (
            "null",
            r#"{"error": {"class": "GenericError", "desc": "QMP input must be a JSON object"}}"#,
        ),
        (
            r#"{"execute":"query-version","arguments":{"x":1},"id":9}"#,
            r#"{"id": 9, "error": {"class": "GenericError", "desc": "Parameter 'x' is unexpected"}}"#,
        ),
        (
            r#"{"execute":"block-job-cancel","id":12}"#,
            r#"{"id": 12, "error": {"class": "GenericError", "desc": "Parameter 'device' is missing"}}"#,
        ),
        (
            r#"{"execute":"block-job-cancel","arguments":{"device":"j0"},"id":18}"#,
            r#"{"id": 18, "error": {"class": "DeviceNotActive", "desc": "Block job 'j0' not found"}}"#,
        ),
    ];
    for (req, want) in cases {
        assert_eq!(c.send(req), want, "request {req}");
    }
    // The first problem in QEMU's dictionary order wins, not input order.
    assert_eq!(
        c.send(r#"{"zzz":1,"execute":1}"#),
        r#"{"error": {"class": "GenericError", "desc": "QMP input member 'execute' must be a string"}}"#
    );
    assert_eq!(
        c.send(r#"{"aaa":1,"arguments":5}"#),
        r#"{"error": {"class": "GenericError", "desc": "QMP input member 'aaa' is unexpected"}}"#
    );
    // Arguments of an unknown command are never looked at.
    assert!(
        c.send(r#"{"execute":"nope","arguments":{"x":[1]}}"#)
            .contains("has not been found")
    );
}

#[test]
fn id_is_any_json_value_and_is_reserialized() {
    let mut c = Conn::negotiated(registry());
    for (id, echoed) in [
        (r#""s""#, r#""s""#),
        ("-5", "-5"),
        ("18446744073709551615", "18446744073709551615"),
        ("1e3", "1000"),
        ("0.1", "0.10000000000000001"),
        ("true", "true"),
        ("null", "null"),
        (r#"[1, {"a": []}]"#, r#"[1, {"a": []}]"#),
        (r#""\u00e9\ud83d\ude00""#, r#""\u00E9\uD83D\uDE00""#),
    ] {
        let got = c.send(&format!(r#"{{"execute":"query-commands","id":{id}}}"#));
        assert!(
            got.ends_with(&format!(r#"], "id": {echoed}}}"#)),
            "id {id}: {got}"
        );
    }
}

#[test]
fn query_commands_lists_enabled_commands_newest_first() {
    let reg = registry();
    reg.disable("x-new", Some("the command is not allowed"));
    let mut c = Conn::negotiated(reg);
    let got = c.send(r#"{"execute":"query-commands"}"#);
    assert_eq!(
        got,
        r#"{"return": [{"name": "slow"}, {"name": "boom"}, {"name": "guest-shutdown"}, {"name": "yank-it"}, {"name": "set-param"}, {"name": "x-old"}, {"name": "blockdev-add"}, {"name": "block-job-cancel"}, {"name": "query-qmp-schema"}, {"name": "quit"}, {"name": "query-commands"}, {"name": "query-version"}, {"name": "qmp_capabilities"}]}"#
    );
    assert_eq!(
        c.send(r#"{"execute":"x-new","id":1}"#),
        r#"{"id": 1, "error": {"class": "CommandNotFound", "desc": "Command x-new has been disabled: the command is not allowed"}}"#
    );
    c.reg.disable("x-old", None);
    assert_eq!(
        c.send(r#"{"execute":"x-old","id":1}"#),
        r#"{"id": 1, "error": {"class": "CommandNotFound", "desc": "Command x-old has been disabled"}}"#
    );
    c.reg.enable("x-old");
    assert_eq!(
        c.send(r#"{"execute":"x-old","id":1}"#),
        r#"{"return": {}, "id": 1}"#
    );
}

#[test]
fn declared_commands_validate_then_say_so() {
    let mut c = Conn::negotiated(registry());
    assert_eq!(
        c.send(r#"{"execute":"blockdev-add","arguments":{"driver":5,"node-name":"x"},"id":41}"#),
        r#"{"id": 41, "error": {"class": "GenericError", "desc": "Invalid parameter type for 'driver', expected: string"}}"#
    );
    assert_eq!(
        c.send(
            r#"{"execute":"blockdev-add","arguments":{"driver":"null-co","node-name":"n0"},"id":1}"#
        ),
        r#"{"id": 1, "error": {"class": "GenericError", "desc": "Command 'blockdev-add' is not implemented"}}"#
    );
}

#[test]
fn oob() {
    let mut c = Conn::new(registry());
    assert_eq!(
        c.send(r#"{"execute":"qmp_capabilities","arguments":{"enable":["oob"]}}"#),
        r#"{"return": {}}"#
    );
    assert_eq!(
        c.send(r#"{"exec-oob":"yank-it","id":43}"#),
        r#"{"return": {}, "id": 43}"#
    );
    // allow-oob commands also work in-band.
    assert_eq!(
        c.send(r#"{"execute":"yank-it","id":44}"#),
        r#"{"return": {}, "id": 44}"#
    );
    assert_eq!(
        c.send(r#"{"exec-oob":"query-version","id":1}"#),
        r#"{"id": 1, "error": {"class": "GenericError", "desc": "The command query-version does not support OOB"}}"#
    );
    assert_eq!(
        c.send(r#"{"exec-oob":"no-such","id":2}"#),
        r#"{"id": 2, "error": {"class": "CommandNotFound", "desc": "The command no-such has not been found"}}"#
    );
    assert_eq!(
        c.send(r#"{"exec-oob":5,"id":3}"#),
        r#"{"id": 3, "error": {"class": "GenericError", "desc": "QMP input member 'exec-oob' must be a string"}}"#
    );
    assert_eq!(
        c.send(r#"{"exec-oob":"yank-it","execute":"yank-it","id":4}"#),
        r#"{"id": 4, "error": {"class": "GenericError", "desc": "QMP input member 'execute' clashes with 'exec-oob'"}}"#
    );
}

#[test]
fn preconfig_gates_commands_before_arguments() {
    let reg = registry();
    reg.set_preconfig(true);
    let mut c = Conn::negotiated(reg);
    assert_eq!(
        c.send(r#"{"execute":"block-job-cancel","arguments":{"bogus":1},"id":1}"#),
        r#"{"id": 1, "error": {"class": "GenericError", "desc": "The command 'block-job-cancel' is permitted only after machine initialization has completed"}}"#
    );
    assert!(
        c.send(r#"{"execute":"query-version","id":2}"#)
            .starts_with(r#"{"return": "#)
    );
}

#[test]
fn compat_policy_reject_and_crash() {
    let mut reg = registry();
    reg.set_policy(CompatPolicy {
        deprecated_input: InputPolicy::Reject,
        unstable_input: InputPolicy::Reject,
        ..CompatPolicy::default()
    });
    let mut c = Conn::negotiated(reg);
    assert_eq!(
        c.send(r#"{"execute":"x-old","id":1}"#),
        r#"{"id": 1, "error": {"class": "CommandNotFound", "desc": "Deprecated command x-old disabled by policy"}}"#
    );
    assert_eq!(
        c.send(r#"{"execute":"x-new","id":5}"#),
        r#"{"id": 5, "error": {"class": "CommandNotFound", "desc": "Unstable command x-new disabled by policy"}}"#
    );
    // Members: only when present.
    assert_eq!(
        c.send(r#"{"execute":"set-param","id":6}"#),
        r#"{"return": {}, "id": 6}"#
    );
    assert_eq!(
        c.send(r#"{"execute":"set-param","arguments":{"old":"x"},"id":7}"#),
        r#"{"id": 7, "error": {"class": "GenericError", "desc": "Deprecated parameter old disabled by policy"}}"#
    );
    assert_eq!(
        c.send(r#"{"execute":"set-param","arguments":{"mode":"gluster"},"id":8}"#),
        r#"{"id": 8, "error": {"class": "GenericError", "desc": "Deprecated value gluster disabled by policy"}}"#
    );
    // query-commands still lists rejected commands.
    assert!(
        c.send(r#"{"execute":"query-commands"}"#)
            .contains(r#"{"name": "x-old"}"#)
    );

    let crashes = Arc::new(AtomicUsize::new(0));
    let mut reg = registry();
    reg.set_policy(CompatPolicy {
        deprecated_input: InputPolicy::Crash,
        ..CompatPolicy::default()
    });
    let seen = Arc::clone(&crashes);
    reg.set_crash_hook(move |_| {
        seen.fetch_add(1, Ordering::Relaxed);
    });
    let mut c = Conn::negotiated(reg);
    c.send(r#"{"execute":"x-old"}"#);
    c.send(r#"{"execute":"set-param","arguments":{"mode":"gluster"}}"#);
    assert_eq!(crashes.load(Ordering::Relaxed), 2);
}

#[test]
fn output_policy_hides_deprecated_members() {
    let mut c = Conn::negotiated(registry());
    assert_eq!(
        c.send(r#"{"execute":"slow","arguments":{"n":2}}"#),
        r#"{"return": {"legacy": true, "n": 4}}"#
    );
    c.session.format.policy.deprecated_output = OutputPolicy::Hide;
    assert_eq!(
        c.send(r#"{"execute":"slow","arguments":{"n":2}}"#),
        r#"{"return": {"n": 4}}"#
    );
}

#[test]
fn success_response_false_sends_nothing_on_success() {
    let mut c = Conn::negotiated(registry());
    assert_eq!(c.send(r#"{"execute":"guest-shutdown","id":"sd"}"#), "");
    assert_eq!(
        c.send(r#"{"execute":"guest-shutdown","arguments":{"mode":1},"id":"sd"}"#),
        r#"{"id": "sd", "error": {"class": "GenericError", "desc": "Invalid parameter type for 'mode', expected: string"}}"#
    );
}

#[test]
fn a_panicking_handler_is_an_error_reply() {
    let mut c = Conn::negotiated(registry());
    let got = c.send(r#"{"execute":"boom","id":1}"#);
    assert!(got.starts_with(r#"{"id": 1, "error": {"class": "GenericError", "desc": "Command boom failed: internal error"#), "{got}");
    // The connection goes on.
    assert!(
        c.send(r#"{"execute":"query-version"}"#)
            .starts_with(r#"{"return""#)
    );
}

#[test]
fn async_handlers_validate_first() {
    let mut c = Conn::negotiated(registry());
    assert_eq!(
        c.send(r#"{"execute":"slow","arguments":{"n":21},"id":1}"#),
        r#"{"return": {"legacy": true, "n": 42}, "id": 1}"#
    );
    assert_eq!(
        c.send(r#"{"execute":"slow","arguments":{},"id":2}"#),
        r#"{"id": 2, "error": {"class": "GenericError", "desc": "Parameter 'n' is missing"}}"#
    );
}

#[test]
fn quit_marks_the_session() {
    let mut c = Conn::negotiated(registry());
    assert_eq!(
        c.send(r#"{"execute":"quit","id":9}"#),
        r#"{"return": {}, "id": 9}"#
    );
    assert!(c.session.quit);
}

#[test]
fn guest_agent_sessions_have_no_negotiation() {
    let mut reg = Registry::<Daemon>::empty();
    reg.command::<GuestShutdown, _>(|_, _| Ok(qapi::Empty));
    reg.control_command("qmp_capabilities");
    let mut c = Conn::new(reg);
    c.session = Session::guest_agent();
    assert_eq!(
        c.send(r#"{"execute":"qmp_capabilities","id":1}"#),
        r#"{"id": 1, "error": {"class": "CommandNotFound", "desc": "The command qmp_capabilities has not been found"}}"#
    );
    assert_eq!(
        c.send(r#"{"exec-oob":"guest-shutdown","id":2}"#),
        r#"{"id": 2, "error": {"class": "GenericError", "desc": "QMP input member 'exec-oob' is unexpected"}}"#
    );
}

#[test]
fn pretty_replies() {
    let mut c = Conn::negotiated(registry());
    c.session.format.write = WriteOptions::QEMU_PRETTY;
    let d = c
        .reg
        .dispatch_str(&c.state, &mut c.session, r#"{"execute":"quit","id":1}"#);
    let text =
        String::from_utf8(d.into_reply().unwrap().to_vec(&WriteOptions::QEMU_PRETTY)).unwrap();
    assert_eq!(text, "{\n    \"return\": {\n    },\n    \"id\": 1\n}");
}

mod events {
    use super::*;
    use qapi::{EventMessage, Timestamp};

    #[derive(Debug, Clone, PartialEq, Qapi)]
    #[qapi(event = "JOB_STATUS_CHANGE")]
    struct JobStatusChange {
        id: String,
        status: String,
    }

    #[derive(Debug, Clone, PartialEq, Qapi)]
    #[qapi(event = "STOP")]
    struct Stop {}

    #[derive(Debug, Clone, PartialEq, Qapi)]
    #[qapi(event = "MAYBE")]
    struct Maybe {
        detail: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Qapi)]
    #[qapi(event = "OLD_EVENT", feature = "deprecated")]
    struct OldEvent {}

    const TS: Timestamp = Timestamp {
        seconds: 1795244456,
        microseconds: 287420,
    };

    fn line<E: qapi::Event>(e: &E) -> String {
        let m = EventMessage::at(e, CompatPolicy::default(), TS).unwrap();
        String::from_utf8(m.to_vec(&WriteOptions::QEMU)).unwrap()
    }

    #[test]
    fn event_lines_match_qemu() {
        // Observed from qemu-storage-daemon 10.0.2.
        assert_eq!(
            line(&JobStatusChange {
                id: "j1".into(),
                status: "created".into()
            }),
            r#"{"timestamp": {"seconds": 1795244456, "microseconds": 287420}, "event": "JOB_STATUS_CHANGE", "data": {"status": "created", "id": "j1"}}"#
        );
        // No members, or only absent optional ones: no `data`.
        assert_eq!(
            line(&Stop {}),
            r#"{"timestamp": {"seconds": 1795244456, "microseconds": 287420}, "event": "STOP"}"#
        );
        assert_eq!(
            line(&Maybe { detail: None }),
            r#"{"timestamp": {"seconds": 1795244456, "microseconds": 287420}, "event": "MAYBE"}"#
        );
    }

    #[test]
    fn hidden_events_are_not_sent() {
        let hide = CompatPolicy {
            deprecated_output: OutputPolicy::Hide,
            ..CompatPolicy::default()
        };
        assert!(EventMessage::new(&OldEvent {}, hide).is_none());
        assert!(EventMessage::new(&OldEvent {}, CompatPolicy::default()).is_some());
    }
}
