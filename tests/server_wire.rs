//! The server against QEMU's own wire bytes: exchanges of the live
//! transcripts in ../shared/qemu/live (qemu-storage-daemon 10.0.2 and
//! qemu-ga 10.0.2) replayed over a unix socket, every reply line
//! compared byte for byte, with both drivers (async and blocking).
//! REFERENCE.md 4.1 (greeting, negotiation), 4.2 (envelope), 4.4 (parse
//! errors, recovery, limits), 4.5 (`id`), 4.6 (OOB errors), 4.8 (`quit`),
//! 6 (guest agent).

mod server_util;

use qapi::server::{GuestAgentInfo, ServerConfig, guest_agent_commands};
use qapi::{Qapi, Registry};
use server_util::*;

/// Commands of the QSD session that this test server has, with the same
/// behaviour (QMP's control commands; the rest of the QSD schema is not
/// here).
fn replayable(sent: &[u8]) -> bool {
    let text = String::from_utf8_lossy(sent);
    let name = ["\"execute\":\"", "'execute':'", "\"exec-oob\":\""]
        .iter()
        .find_map(|k| {
            let i = text.find(k)? + k.len();
            Some(text[i..].split(['"', '\'']).next().unwrap_or("").to_owned())
        });
    match name {
        None => true,
        Some(n) => matches!(
            n.as_str(),
            "qmp_capabilities"
                | "query-version"
                | "quit"
                | "no-such-command"
                | "x-no-such"
                | "no-such"
        ),
    }
}

fn replay(c: &mut Client, e: &Exchange) {
    let mut sent = e.sent.clone();
    if e.comment == "request spanning lines, no trailing newline" {
        // The notation shows the request's own line breaks as \n and \r\n.
        sent = String::from_utf8(sent)
            .unwrap()
            .replace("\\r\\n", "\r\n")
            .replace("\\n", "\n")
            .into_bytes();
    }
    c.send_bytes(&sent);
    match &e.received {
        None => c.silent(),
        Some(lines) => {
            for want in lines {
                let got = c.raw_line();
                assert_eq!(
                    String::from_utf8_lossy(&got),
                    String::from_utf8_lossy(want),
                    "after '# {}' (sent {:?})",
                    e.comment,
                    String::from_utf8_lossy(&e.sent)
                );
            }
        }
    }
}

#[test]
fn qsd_session_a_negotiation_envelope_parse_errors() {
    let Some(text) = live_file("qsd-transcripts.txt") else {
        eprintln!("skipped: ../shared/qemu/live/qsd-transcripts.txt not found");
        return;
    };
    let session = "SESSION: A:";
    let all = exchanges(&text, session);
    assert!(all.len() > 90, "transcript parsed: {} exchanges", all.len());
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let mut c = server.connect();
        assert_eq!(
            c.raw_line(),
            first_received(&text, session),
            "greeting ({driver:?})"
        );
        let mut replayed = 0;
        for e in all.iter().filter(|e| replayable(&e.sent)) {
            replay(&mut c, e);
            replayed += 1;
        }
        // The last one is `quit`: answered, then the connection closes.
        assert_eq!(all.last().unwrap().comment, "quit");
        c.closed();
        assert!(replayed >= 60, "{replayed} exchanges replayed");
    }
}

#[test]
fn qsd_session_b_oob_errors() {
    let Some(text) = live_file("qsd-transcripts.txt") else {
        eprintln!("skipped: ../shared/qemu/live/qsd-transcripts.txt not found");
        return;
    };
    let all = exchanges(&text, "SESSION: B:");
    assert_eq!(all.len(), 8);
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let mut c = server.connect();
        c.raw_line();
        for e in &all {
            replay(&mut c, e);
        }
        c.closed();
    }
}

/// REFERENCE 4.4 limits: an `id` nested 1023 arrays deep (depth 1024) is
/// echoed; 1024 deep gives the limit error and then one `expecting
/// value` per leftover token (1026 lines, as QSD sent); a bare array
/// nested 1024 deep is not an object; over 2M tokens gives the token
/// count error and the leftovers.
#[test]
fn qsd_session_c_limits() {
    let Some(text) = live_file("qsd-transcripts.txt") else {
        eprintln!("skipped: ../shared/qemu/live/qsd-transcripts.txt not found");
        return;
    };
    let all = exchanges(&text, "SESSION: C:");
    let deep = |n: usize| {
        format!(
            "{{\"execute\":\"query-version\",\"id\":{}{}}}\n",
            "[".repeat(n),
            "]".repeat(n)
        )
    };
    let ints = |n: usize| {
        format!(
            "{{\"execute\":\"query-version\",\"id\":[{}]}}\n",
            vec!["1"; n].join(",")
        )
    };
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp());
        let mut c = Client::negotiated(&server.path, false);
        let check = |c: &mut Client, comment: &str, input: String| {
            let e = exchange(&all, comment);
            assert_eq!(
                input.len(),
                e.sent_len(),
                "{comment}: input length as in the transcript"
            );
            c.send_bytes(input.as_bytes());
            let want = e.received.as_ref().unwrap();
            for (i, w) in want.iter().enumerate() {
                let got = c.raw_line();
                if w.contains(&b'.') && w.windows(5).any(|x| x == b" ...<") {
                    // The transcript abbreviated this (long) line.
                    let cut = w.windows(5).position(|x| x == b" ...<").unwrap();
                    assert_eq!(&got[..cut], &w[..cut], "{comment}: line {i}");
                } else {
                    assert_eq!(
                        String::from_utf8_lossy(&got),
                        String::from_utf8_lossy(w),
                        "{comment}: line {i}"
                    );
                }
            }
            c.silent();
        };
        check(
            &mut c,
            "id nested 1023 arrays inside the request object (total depth 1024)",
            deep(1023),
        );
        check(
            &mut c,
            "id nested 1024 arrays inside the request object (total depth 1025)",
            deep(1024),
        );
        check(
            &mut c,
            "bare array nested 1024 deep",
            format!("{}{}\n", "[".repeat(1024), "]".repeat(1024)),
        );
        check(
            &mut c,
            "id array of 1048577 ints (> 2M tokens)",
            ints(1_048_577),
        );
        check(
            &mut c,
            "connection alive after limit errors",
            r#"{"execute":"query-version","id":"still-alive"}"#.to_owned() + "\n",
        );
    }
}

/// QSD's `pretty=on` stdio session, byte for byte (every line CRLF).
#[test]
fn qsd_pretty_session() {
    let Some(text) = live_file("qsd-transcripts.txt") else {
        eprintln!("skipped: ../shared/qemu/live/qsd-transcripts.txt not found");
        return;
    };
    let header = "### STDIO session with pretty=on:";
    let body = &text[text.find(header).unwrap()..];
    let body = &body[body.find("\n\n").unwrap() + 2..];
    let body = &body[..body.find("\n\n").unwrap() + 1];
    let want = body.replace('\n', "\r\n");
    assert!(want.starts_with("{\r\n    \"QMP\": {"), "{want}");
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp().pretty(true));
        let mut c = server.connect();
        c.send_bytes(
            b"{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-version\",\"id\":[1,{\"a\":[]}]}\n{\"execute\":\"nosuch\"}\n{\"execute\":\"quit\"}\n",
        );
        let mut got = Vec::new();
        while let Some(line) = c.try_raw_line(LINE_TIMEOUT) {
            got.extend_from_slice(&line);
        }
        assert_eq!(String::from_utf8_lossy(&got), want, "{driver:?}");
    }
}

/// A server that does not offer OOB says so in the greeting and refuses
/// the capability (REFERENCE 4.1).
#[test]
fn greeting_without_oob() {
    for driver in DRIVERS {
        let server = start(driver, registry(), ServerConfig::qmp().offer_oob(false));
        let mut c = server.connect();
        assert_eq!(
            c.line(),
            format!(
                r#"{{"QMP": {{"version": {{"qemu": {{"micro": 2, "minor": 0, "major": 10}}, "package": "{PACKAGE}"}}, "capabilities": []}}}}"#
            )
        );
        assert_eq!(
            c.cmd(r#"{"execute":"qmp_capabilities","arguments":{"enable":["oob"]}}"#),
            r#"{"error": {"class": "GenericError", "desc": "Capability oob not available"}}"#
        );
        assert_eq!(
            c.cmd(r#"{"execute":"qmp_capabilities"}"#),
            r#"{"return": {}}"#
        );
        assert_eq!(
            c.cmd(r#"{"exec-oob":"x-open","arguments":{"gate":"g"},"id":1}"#),
            r#"{"id": 1, "error": {"class": "GenericError", "desc": "QMP input member 'exec-oob' is unexpected"}}"#
        );
    }
}

trait SentLen {
    fn sent_len(&self) -> usize;
}

impl SentLen for Exchange {
    /// The length given by an abbreviated `<N bytes: …>` payload, or the
    /// length of the payload.
    fn sent_len(&self) -> usize {
        let s = String::from_utf8_lossy(&self.sent);
        s.strip_prefix('<')
            .and_then(|r| r.split(" bytes:").next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(self.sent.len())
    }
}

// ------------------------------------------------------------ guest agent

#[derive(Debug, Qapi)]
#[qapi(command = "guest-sync-delimited", returns = i64, returns_exception)]
struct GuestSyncDelimited {
    id: i64,
}

#[derive(Debug, Qapi)]
#[qapi(command = "guest-sync", returns = i64, returns_exception)]
struct GuestSync {
    id: i64,
}

#[derive(Debug, Qapi)]
#[qapi(command = "guest-ping")]
struct GuestPing {}

#[derive(Debug, Qapi)]
#[qapi(command = "guest-get-time", returns = i64, returns_exception)]
struct GuestGetTime {}

#[derive(Debug, Qapi)]
#[qapi(command = "guest-info", returns = GuestAgentInfo)]
struct GuestInfo {}

#[derive(Debug, Qapi)]
#[qapi(command = "guest-shutdown", success_response = false)]
struct GuestShutdown {
    mode: Option<String>,
}

#[derive(Debug, Qapi)]
#[qapi(command = "guest-file-open", returns = i64, returns_exception)]
struct GuestFileOpen {
    path: String,
    mode: Option<String>,
}

#[derive(Debug, Qapi)]
#[qapi(command = "guest-exec")]
struct GuestExec {
    path: String,
}

/// A guest agent with qemu-ga's commands in qemu-ga's registration order
/// (a subset), `guest-exec` and `guest-file-open` blocked as with
/// `--block-rpcs=guest-exec,guest-file-open`.
fn guest_agent() -> Registry<TestState> {
    let mut r = Registry::<TestState>::empty();
    r.command::<GuestSyncDelimited, _>(|_, c| Ok(c.id));
    r.command::<GuestSync, _>(|_, c| Ok(c.id));
    r.command::<GuestPing, _>(|_, _| Ok(qapi::Empty));
    r.command::<GuestGetTime, _>(|_, _| Ok(1_795_244_781_887_003_000));
    r.declare::<GuestInfo>(); // answered by with_guest_info
    r.command::<GuestShutdown, _>(|_, _| Ok(qapi::Empty));
    r.command::<GuestFileOpen, _>(|_, _| Ok(1000));
    r.command::<GuestExec, _>(|_, _| Ok(qapi::Empty));
    r.disable("guest-exec", Some("the command is not allowed"));
    r.disable("guest-file-open", Some("the command is not allowed"));
    r
}

/// Registers `guest-info` answering from the finished registry.
fn with_guest_info(mut r: Registry<TestState>) -> Registry<TestState> {
    let listing = guest_agent_commands(&r);
    r.command::<GuestInfo, _>(move |_, _| {
        Ok(GuestAgentInfo {
            version: "10.0.2".into(),
            supported_commands: listing.clone(),
        })
    });
    r
}

#[test]
fn qga_transcript() {
    let Some(text) = live_file("qga-transcripts.txt") else {
        eprintln!("skipped: ../shared/qemu/live/qga-transcripts.txt not found");
        return;
    };
    let all = exchanges(&text, "QGA 10.0.2 with --block-rpcs");
    let errors = exchanges(&text, "QGA 10.0.2: success-response:false");
    assert!(all.len() >= 15 && errors.len() == 2);
    for driver in DRIVERS {
        let server = start(
            driver,
            with_guest_info(guest_agent()),
            ServerConfig::guest_agent(),
        );
        let mut c = server.connect();
        for e in all.iter().chain(&errors) {
            if e.comment == "guest-info" {
                continue;
            }
            replay(&mut c, e);
        }
        // guest-info: entries in qemu-ga's form, disabled ones included,
        // newest first; each entry appears verbatim in qemu-ga's reply.
        let want = &exchange(&all, "guest-info").received.as_ref().unwrap()[0];
        let want = String::from_utf8_lossy(want);
        c.send(r#"{"execute":"guest-info","id":6}"#);
        let got = String::from_utf8(c.raw_line()).unwrap();
        assert!(got.ends_with("]}, \"id\": 6}\n"), "{got}");
        assert!(got.starts_with(r#"{"return": {"version": "10.0.2", "supported_commands": [{"enabled": false, "name": "guest-exec", "success-response": true}, {"enabled": false, "name": "guest-file-open", "success-response": true}, {"enabled": true, "name": "guest-shutdown", "success-response": false}, {"enabled": true, "name": "guest-info""#), "{got}");
        let inner = &got[got.find('[').unwrap() + 1..got.rfind(']').unwrap()];
        for entry in inner.split("}, ") {
            let entry = entry.trim_end_matches('}');
            assert!(
                want.contains(&format!("{entry}}}")),
                "{entry} not in qemu-ga's guest-info"
            );
        }
        // Nothing ends a guest-agent connection but the client.
        c.silent();
    }
}

#[test]
fn qga_allow_list_texts() {
    let Some(text) = live_file("qga-transcripts.txt") else {
        eprintln!("skipped: ../shared/qemu/live/qga-transcripts.txt not found");
        return;
    };
    let all = exchanges(&text, "QGA 10.0.2 with --allow-rpcs");
    for driver in DRIVERS {
        let reg = guest_agent();
        for name in ["guest-get-time", "guest-shutdown"] {
            reg.disable(name, Some("the command is not allowed"));
        }
        let server = start(driver, reg, ServerConfig::guest_agent());
        let mut c = server.connect();
        replay(&mut c, exchange(&all, "command not in allow-list"));
    }
}

#[test]
fn guest_agent_listing_helper() {
    let reg = guest_agent();
    let list = guest_agent_commands(&reg);
    let names: Vec<&str> = list.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "guest-exec",
            "guest-file-open",
            "guest-shutdown",
            "guest-info",
            "guest-get-time",
            "guest-ping",
            "guest-sync",
            "guest-sync-delimited"
        ]
    );
    assert!(!list[0].enabled && list[0].success_response);
    assert!(list[2].enabled && !list[2].success_response);
    reg.enable("guest-exec");
    assert!(guest_agent_commands(&reg)[0].enabled);
}
