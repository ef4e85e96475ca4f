//! The clients against in-test fake peers: wire format, routing by id,
//! events around replies, tolerance, timeouts, buffering, the
//! guest-agent resync. No QEMU needed.

mod client_support;

use std::time::Duration;

use client_support::json;
use client_support::qga::{GuestPing, GuestShutdownBogus, GuestSync};
use client_support::qsd::{BlockJobCancel, JobStatus, JobStatusChange, QueryJobs};
use qapi::Qapi;
use qapi::client::{ClientError, ClientOptions, Overflow, QgaClient, QmpClient};
use qapi::qmp::QueryVersion;
use qapi::{ErrorClass, Value};
use tokio::io::{
    AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf,
};

const GREETING: &str = r#"{"QMP": {"version": {"qemu": {"micro": 2, "minor": 0, "major": 10}, "package": "fake"}, "capabilities": ["oob"]}}"#;
const VERSION: &str = r#"{"qemu": {"micro": 2, "minor": 0, "major": 10}, "package": "fake"}"#;

/// The server side of a duplex pipe.
struct Peer {
    rd: BufReader<ReadHalf<DuplexStream>>,
    wr: WriteHalf<DuplexStream>,
}

impl Peer {
    fn pair() -> (DuplexStream, Peer) {
        let (client, server) = tokio::io::duplex(1 << 20);
        let (rd, wr) = tokio::io::split(server);
        (
            client,
            Peer {
                rd: BufReader::new(rd),
                wr,
            },
        )
    }

    /// Sends one QMP line (CRLF, as QEMU does).
    async fn send(&mut self, line: &str) {
        self.wr.write_all(line.as_bytes()).await.unwrap();
        self.wr.write_all(b"\r\n").await.unwrap();
    }

    async fn send_bytes(&mut self, bytes: &[u8]) {
        self.wr.write_all(bytes).await.unwrap();
    }

    /// Reads one request line, as bytes.
    async fn recv_line(&mut self) -> Vec<u8> {
        let mut line = Vec::new();
        let n = tokio::time::timeout(
            Duration::from_secs(10),
            self.rd.read_until(b'\n', &mut line),
        )
        .await
        .expect("a request within 10 s")
        .unwrap();
        assert!(n > 0, "client closed");
        line
    }

    /// Reads one request.
    async fn recv(&mut self) -> Value {
        let line = self.recv_line().await;
        qapi::json::parse_one(&line).expect("request is JSON")
    }

    /// Reads one request and returns (name, id).
    async fn recv_cmd(&mut self) -> (String, Value) {
        let v = self.recv().await;
        let m = v.as_object().unwrap();
        let name = m
            .get("execute")
            .or(m.get("exec-oob"))
            .and_then(Value::as_str)
            .unwrap()
            .to_owned();
        (name, m.get("id").cloned().unwrap_or(Value::Null))
    }

    async fn reply(&mut self, id: &Value, ret: &str) {
        self.send(&format!(r#"{{"return": {ret}, "id": {id}}}"#))
            .await;
    }

    async fn reply_error(&mut self, id: &Value, class: &str, desc: &str) {
        self.send(&format!(
            r#"{{"id": {id}, "error": {{"class": "{class}", "desc": "{desc}"}}}}"#
        ))
        .await;
    }

    /// Greets and completes negotiation.
    async fn handshake(&mut self) {
        self.send(GREETING).await;
        let (name, id) = self.recv_cmd().await;
        assert_eq!(name, "qmp_capabilities");
        self.reply(&id, "{}").await;
    }
}

async fn connected(opts: ClientOptions) -> (QmpClient, Peer) {
    let (io, mut peer) = Peer::pair();
    let (client, ()) = tokio::join!(QmpClient::connect_with(io, opts), peer.handshake());
    (client.expect("connect"), peer)
}

fn event(name: &str, data: &str) -> String {
    format!(
        r#"{{"timestamp": {{"seconds": 1795244456, "microseconds": 287420}}, "event": "{name}", "data": {data}}}"#
    )
}

async fn bounded<F: std::future::Future<Output = ()>>(f: F) {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .expect("test took longer than 30 s");
}

#[tokio::test]
async fn no_greeting_times_out() {
    bounded(async {
        let (io, _peer) = Peer::pair();
        let opts = ClientOptions::new().connect_timeout(Duration::from_millis(200));
        let t = std::time::Instant::now();
        let e = QmpClient::connect_with(io, opts).await.unwrap_err();
        assert!(e.is_timeout(), "{e:?}");
        assert!(t.elapsed() < Duration::from_secs(5));

        // Greeting, but no answer to qmp_capabilities.
        let (io, mut peer) = Peer::pair();
        let opts = ClientOptions::new().connect_timeout(Duration::from_millis(300));
        let connect = QmpClient::connect_with(io, opts);
        let (r, _) = tokio::join!(connect, async {
            peer.send(GREETING).await;
            peer.recv().await
        });
        assert!(r.unwrap_err().is_timeout());
    })
    .await;
}

/// Connecting to a socket nobody listens on fails at once with the
/// operating system's error, for both clients, async and blocking; a
/// listener that never greets times out.
#[tokio::test]
async fn connect_errors() {
    bounded(async {
        let dir = std::env::temp_dir().join(format!("qapi-connect-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let absent = dir.join("absent.sock");
        let not_found = |e: ClientError| match e {
            ClientError::Io(e) => assert_eq!(e.kind(), std::io::ErrorKind::NotFound),
            e => panic!("{e:?}"),
        };
        not_found(QmpClient::connect_unix(&absent).await.unwrap_err());
        not_found(QgaClient::connect_unix(&absent).await.unwrap_err());
        let path = absent.clone();
        let blocking = tokio::task::spawn_blocking(move || {
            not_found(qapi::client::blocking::QmpClient::connect_unix(&path).unwrap_err());
        });
        blocking.await.unwrap();

        let silent = dir.join("silent.sock");
        let _listener = tokio::net::UnixListener::bind(&silent).unwrap();
        let opts = ClientOptions::new().connect_timeout(Duration::from_millis(200));
        let e = QmpClient::connect_unix_with(&silent, opts)
            .await
            .unwrap_err();
        assert!(e.is_timeout(), "{e:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}

#[tokio::test]
async fn bad_or_missing_greeting() {
    bounded(async {
        let (io, mut peer) = Peer::pair();
        let (r, ()) = tokio::join!(QmpClient::connect(io), peer.send(r#"{"return": {}}"#));
        assert!(matches!(r, Err(ClientError::Protocol(_))), "{r:?}");

        let (io, peer) = Peer::pair();
        drop(peer);
        let r = QmpClient::connect(io).await;
        assert!(matches!(r, Err(ClientError::Disconnected(_))), "{r:?}");

        let (io, mut peer) = Peer::pair();
        let (r, ()) = tokio::join!(QmpClient::connect(io), peer.send("{'QMP': ]"));
        assert!(matches!(r, Err(ClientError::Protocol(_))), "{r:?}");
    })
    .await;
}

#[tokio::test]
async fn negotiation_requests() {
    bounded(async {
        // OOB offered and wanted.
        let (io, mut peer) = Peer::pair();
        let peer_side = async {
            peer.send(GREETING).await;
            let line = peer.recv_line().await;
            assert_eq!(line, b"{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}, \"id\": 1}\n");
            peer.reply(&Value::Int(1), "{}").await;
        };
        let (c, ()) = tokio::join!(QmpClient::connect(io), peer_side);
        let c = c.unwrap();
        assert!(c.oob_enabled());
        assert_eq!(c.greeting().version.as_ref().unwrap().package, "fake");

        // Offered, not wanted.
        let (io, mut peer) = Peer::pair();
        let peer_side = async {
            peer.send(GREETING).await;
            assert_eq!(peer.recv_line().await, b"{\"execute\": \"qmp_capabilities\", \"id\": 1}\n");
            peer.reply(&Value::Int(1), "{}").await;
        };
        let (c, ()) = tokio::join!(QmpClient::connect_with(io, ClientOptions::new().oob(false)), peer_side);
        assert!(!c.unwrap().oob_enabled());

        // Not offered (QEMU 2.11), and an unknown capability offered.
        let (io, mut peer) = Peer::pair();
        let peer_side = async {
            peer.send(r#"{"QMP": {"version": {"qemu": {"micro": 0, "minor": 11, "major": 2}, "package": ""}, "capabilities": ["x-future"]}}"#).await;
            assert_eq!(peer.recv_line().await, b"{\"execute\": \"qmp_capabilities\", \"id\": 1}\n");
            peer.reply(&Value::Int(1), "{}").await;
        };
        let (c, ()) = tokio::join!(QmpClient::connect(io), peer_side);
        let c = c.unwrap();
        assert!(!c.oob_enabled());
        assert!(c.greeting().offers("x-future"));

        // Negotiation refused.
        let (io, mut peer) = Peer::pair();
        let peer_side = async {
            peer.send(GREETING).await;
            let (_, id) = peer.recv_cmd().await;
            peer.reply_error(&id, "GenericError", "Capability oob not available").await;
        };
        let (c, ()) = tokio::join!(QmpClient::connect(io), peer_side);
        assert_eq!(c.unwrap_err().desc(), Some("Capability oob not available"));
    })
    .await;
}

#[tokio::test]
async fn request_wire_format() {
    bounded(async {
        let (qmp, mut peer) = connected(ClientOptions::new()).await;
        let call = tokio::spawn({
            let q = qmp.clone();
            async move {
                q.execute(&BlockJobCancel { device: "j\u{e9}".into(), force: Some(true) }).await.unwrap_err().to_string()
            }
        });
        let line = peer.recv_line().await;
        assert_eq!(
            String::from_utf8(line).unwrap(),
            "{\"execute\": \"block-job-cancel\", \"arguments\": {\"device\": \"j\\u00E9\", \"force\": true}, \"id\": 2}\n"
        );
        peer.reply_error(&Value::Int(2), "DeviceNotActive", "Block job 'j\\u00E9' not found").await;
        assert_eq!(call.await.unwrap(), "DeviceNotActive: Block job 'j\u{e9}' not found");

        // exec-oob, and a command without arguments.
        let call = tokio::spawn({
            let q = qmp.clone();
            async move { q.execute_oob(&QueryVersion {}).await }
        });
        assert_eq!(peer.recv_line().await, b"{\"exec-oob\": \"query-version\", \"id\": 3}\n");
        peer.reply(&Value::Int(3), VERSION).await;
        assert_eq!(call.await.unwrap().unwrap().qemu.major, 10);
    })
    .await;
}

#[tokio::test]
async fn replies_are_matched_by_id() {
    bounded(async {
        let (qmp, mut peer) = connected(ClientOptions::new()).await;
        let mut calls = Vec::new();
        for i in 0..5 {
            let q = qmp.clone();
            calls.push(tokio::spawn(async move {
                q.execute_raw("echo", json(&format!(r#"{{"n": {i}}}"#)))
                    .await
            }));
            // Keep the send order deterministic.
            tokio::task::yield_now().await;
        }
        let mut reqs = Vec::new();
        for _ in 0..5 {
            let v = peer.recv().await;
            let m = v.as_object().unwrap().clone();
            reqs.push((
                m.get("id").unwrap().clone(),
                m.get("arguments").unwrap().clone(),
            ));
        }
        // Answer in reverse order (OOB replies overtake in-band ones).
        for (id, args) in reqs.iter().rev() {
            peer.reply(id, &args.to_string()).await;
        }
        for (i, c) in calls.into_iter().enumerate() {
            let v = c.await.unwrap().unwrap();
            assert_eq!(v, json(&format!(r#"{{"n": {i}}}"#)));
        }
        assert_eq!(qmp.unmatched_messages(), 0);
    })
    .await;
}

#[tokio::test]
async fn reply_without_id_answers_the_oldest_inband_request() {
    bounded(async {
        let (qmp, mut peer) = connected(ClientOptions::new()).await;
        let q = qmp.clone();
        let first = tokio::spawn(async move { q.execute_raw("a", Value::Null).await });
        peer.recv().await;
        let q = qmp.clone();
        let oob =
            tokio::spawn(async move { q.execute_raw_with("o", Value::Null, true, None).await });
        let (_, oob_id) = peer.recv_cmd().await;
        let q = qmp.clone();
        let second = tokio::spawn(async move { q.execute_raw("b", Value::Null).await });
        peer.recv().await;
        // A peer that does not echo ids (or could not parse a request):
        // in-band replies come in order.
        peer.send(
            r#"{"error": {"class": "GenericError", "desc": "JSON parse error, expecting value"}}"#,
        )
        .await;
        peer.reply(&oob_id, r#""oob""#).await;
        peer.send(r#"{"return": "second"}"#).await;
        assert_eq!(
            first.await.unwrap().unwrap_err().desc(),
            Some("JSON parse error, expecting value")
        );
        assert_eq!(oob.await.unwrap().unwrap(), Value::from("oob"));
        assert_eq!(second.await.unwrap().unwrap(), Value::from("second"));
        // Nothing waiting: dropped and counted.
        peer.send(r#"{"return": "stray"}"#).await;
        peer.send(r#"{"return": {}, "id": "not-ours"}"#).await;
        peer.send(r#"{"something": "else"}"#).await;
        peer.send("[1, 2]").await;
        peer.send(r#"{"return": 1e400x}"#).await;
        let q = qmp.clone();
        let third = tokio::spawn(async move { q.execute(&QueryVersion {}).await });
        let (_, id) = peer.recv_cmd().await;
        peer.reply(&id, VERSION).await;
        third.await.unwrap().unwrap();
        assert!(
            qmp.unmatched_messages() >= 5,
            "{}",
            qmp.unmatched_messages()
        );
    })
    .await;
}

#[tokio::test]
async fn events_before_the_reply_are_queued_first() {
    bounded(async {
        let (qmp, mut peer) = connected(ClientOptions::new()).await;
        let mut events = qmp.events();
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&QueryJobs {}).await });
        let (_, id) = peer.recv_cmd().await;
        peer.send(&event("JOB_STATUS_CHANGE", r#"{"status": "created", "id": "j1"}"#)).await;
        peer.send(&event("X_FUTURE_EVENT", r#"{"what": [1, 2]}"#)).await;
        peer.send(r#"{"event": "NO_DATA", "timestamp": {"seconds": -1, "microseconds": -1}}"#).await;
        peer.reply(&id, r#"[{"current-progress": 1, "status": "created", "total-progress": 1, "type": "create", "id": "j1", "x-new": true}]"#).await;
        peer.send(&event("JOB_STATUS_CHANGE", r#"{"status": "running", "id": "j1"}"#)).await;
        let jobs = call.await.unwrap().expect("extra members are ignored");
        assert_eq!(jobs[0].status, JobStatus::Created);

        // The three events sent before the reply are there already.
        let before: Vec<_> = (0..3).map(|_| events.try_recv().expect("queued before the reply")).collect();
        let ev = &before[0];
        assert!(ev.is::<JobStatusChange>());
        assert_eq!(ev.decode::<JobStatusChange>().unwrap(), JobStatusChange { id: "j1".into(), status: JobStatus::Created });
        assert_eq!((ev.timestamp.seconds, ev.timestamp.microseconds), (1795244456, 287420));
        assert_eq!(before[1].name, "X_FUTURE_EVENT");
        assert_eq!(before[1].data, Some(json(r#"{"what": [1, 2]}"#)));
        assert_eq!(before[2].name, "NO_DATA");
        assert_eq!(before[2].data, None);
        assert_eq!(before[2].timestamp.seconds, -1);
        let after = events.recv().await.unwrap();
        assert_eq!(after.decode::<JobStatusChange>().unwrap().status, JobStatus::Running);
        assert!(events.is_empty());
    })
    .await;
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
struct Info {
    status: JobStatus,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "query-info", returns = Info)]
struct QueryInfo {}

#[tokio::test]
async fn newer_server_replies_do_not_break_the_client() {
    bounded(async {
        let (qmp, mut peer) = connected(ClientOptions::new()).await;
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&QueryInfo {}).await });
        let (_, id) = peer.recv_cmd().await;
        peer.reply(&id, r#"{"status": "x-hibernating", "extra": 1}"#)
            .await;
        match call.await.unwrap() {
            Err(ClientError::Decode { raw, error }) => {
                assert_eq!(raw, json(r#"{"status": "x-hibernating", "extra": 1}"#));
                assert_eq!(
                    error.desc,
                    "Parameter 'status' does not accept value 'x-hibernating'"
                );
            }
            other => panic!("{other:?}"),
        }
        // An error class this crate does not know.
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&QueryInfo {}).await });
        let (_, id) = peer.recv_cmd().await;
        peer.reply_error(&id, "XFutureClass", "something new").await;
        let e = call.await.unwrap().unwrap_err();
        assert_eq!(e.qmp_error().unwrap().class, ErrorClass::GenericError);
        assert_eq!(e.class_name(), Some("XFutureClass"));
        assert_eq!(e.to_string(), "XFutureClass: something new");
        // A malformed error object.
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&QueryInfo {}).await });
        let (_, id) = peer.recv_cmd().await;
        peer.send(&format!(r#"{{"id": {id}, "error": {{"desc": 5}}}}"#))
            .await;
        assert!(matches!(
            call.await.unwrap(),
            Err(ClientError::Decode { .. })
        ));
        // Still fine.
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&QueryInfo {}).await });
        let (_, id) = peer.recv_cmd().await;
        peer.reply(&id, r#"{"status": "ready"}"#).await;
        assert_eq!(call.await.unwrap().unwrap().status, JobStatus::Ready);
    })
    .await;
}

#[tokio::test]
async fn timeouts_leave_the_connection_usable() {
    bounded(async {
        let opts = ClientOptions::new().command_timeout(Some(Duration::from_millis(100)));
        let (qmp, mut peer) = connected(opts).await;
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&QueryVersion {}).await });
        let (name, late_id) = peer.recv_cmd().await;
        let e = call.await.unwrap().unwrap_err();
        assert!(
            matches!(&e, ClientError::Timeout { what, .. } if what == &name),
            "{e:?}"
        );
        // Per-call timeout overrides the default.
        let q = qmp.clone();
        let call = tokio::spawn(async move {
            q.execute_timeout(&QueryVersion {}, Duration::from_secs(10))
                .await
        });
        let (_, id) = peer.recv_cmd().await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        // The late reply is dropped, not given to the new request.
        peer.reply(
            &late_id,
            r#"{"qemu": {"micro": 0, "minor": 0, "major": 1}, "package": "late"}"#,
        )
        .await;
        peer.reply(&id, VERSION).await;
        assert_eq!(call.await.unwrap().unwrap().package, "fake");
        assert_eq!(qmp.unmatched_messages(), 1);
    })
    .await;
}

#[tokio::test]
async fn disconnect_fails_waiting_requests_and_ends_events() {
    bounded(async {
        let (qmp, mut peer) = connected(ClientOptions::new()).await;
        let mut events = qmp.events();
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&QueryVersion {}).await });
        peer.recv().await;
        peer.send(&event(
            "SHUTDOWN",
            r#"{"guest": false, "reason": "host-qmp-quit"}"#,
        ))
        .await;
        drop(peer);
        assert!(matches!(
            call.await.unwrap(),
            Err(ClientError::Disconnected(_))
        ));
        assert_eq!(
            events.recv().await.unwrap().name,
            "SHUTDOWN",
            "queued events survive the close"
        );
        assert!(events.recv().await.is_none());
        qmp.closed().await;
        assert!(qmp.closed_reason().unwrap().contains("closed by the peer"));
        assert!(matches!(
            qmp.execute(&QueryVersion {}).await,
            Err(ClientError::Disconnected(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn requests_qemu_could_not_parse_are_refused() {
    bounded(async {
        let (qmp, _peer) = connected(ClientOptions::new()).await;
        let mut args = qapi::Map::new();
        args.insert("n", Value::Double(f64::NAN));
        let e = qmp.execute_raw("x", Value::Object(args)).await.unwrap_err();
        assert!(matches!(e, ClientError::Encode(_)), "{e:?}");
        let mut deep = Value::Null;
        for _ in 0..1100 {
            deep = Value::Array(vec![deep]);
        }
        let mut args = qapi::Map::new();
        args.insert("deep", deep);
        let e = qmp.execute_raw("x", Value::Object(args)).await.unwrap_err();
        assert!(e.to_string().contains("nesting"), "{e}");
    })
    .await;
}

#[tokio::test]
async fn full_event_queue_drops_the_oldest() {
    bounded(async {
        let (qmp, mut peer) = connected(ClientOptions::new().event_capacity(2)).await;
        let mut events = qmp.events();
        for i in 0..5 {
            peer.send(&event("E", &format!(r#"{{"n": {i}}}"#))).await;
        }
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&QueryVersion {}).await });
        let (_, id) = peer.recv_cmd().await;
        peer.reply(&id, VERSION).await;
        call.await.unwrap().unwrap();
        let got: Vec<Value> = events
            .drain()
            .into_iter()
            .map(|e| e.data.unwrap())
            .collect();
        assert_eq!(got, [json(r#"{"n": 3}"#), json(r#"{"n": 4}"#)]);
        assert_eq!(events.dropped(), 3);
    })
    .await;
}

#[tokio::test]
async fn backpressure_loses_nothing() {
    bounded(async {
        let opts = ClientOptions::new()
            .event_capacity(1)
            .event_overflow(Overflow::Backpressure);
        let (qmp, mut peer) = connected(opts).await;
        let mut events = qmp.events();
        let q = qmp.clone();
        let mut call = tokio::spawn(async move { q.execute(&QueryVersion {}).await });
        let (_, id) = peer.recv_cmd().await;
        for i in 0..3 {
            peer.send(&event("E", &format!(r#"{{"n": {i}}}"#))).await;
        }
        peer.reply(&id, VERSION).await;
        // The reply is behind events nobody took.
        assert!(
            tokio::time::timeout(Duration::from_millis(200), &mut call)
                .await
                .is_err()
        );
        let mut got = Vec::new();
        while got.len() < 3 {
            got.push(events.recv().await.unwrap().data.unwrap());
        }
        call.await.unwrap().unwrap();
        assert_eq!(
            got,
            [
                json(r#"{"n": 0}"#),
                json(r#"{"n": 1}"#),
                json(r#"{"n": 2}"#)
            ]
        );
        assert_eq!(events.dropped(), 0);
    })
    .await;
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "x-no-reply", success_response = false)]
struct NoReply {
    pub fail: bool,
}

#[tokio::test]
async fn success_response_false_commands() {
    bounded(async {
        let (qmp, mut peer) =
            connected(ClientOptions::new().no_reply_grace(Duration::from_millis(300))).await;
        // Success: no reply, the follow-up is answered.
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&NoReply { fail: false }).await });
        let (name, _) = peer.recv_cmd().await;
        assert_eq!(name, "x-no-reply");
        let (barrier, bid) = peer.recv_cmd().await;
        assert_eq!(barrier, "query-version");
        peer.reply(&bid, VERSION).await;
        call.await.unwrap().expect("no error: success");
        // Failure: the error comes before the follow-up's reply.
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&NoReply { fail: true }).await });
        let (_, id) = peer.recv_cmd().await;
        let (_, bid) = peer.recv_cmd().await;
        peer.reply_error(&id, "GenericError", "failed").await;
        peer.reply(&bid, VERSION).await;
        assert_eq!(call.await.unwrap().unwrap_err().desc(), Some("failed"));
        // A peer that answers nothing: success after the grace period.
        let t = std::time::Instant::now();
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&NoReply { fail: false }).await });
        peer.recv().await;
        peer.recv().await;
        call.await
            .unwrap()
            .expect("no error within the grace period");
        assert!(t.elapsed() >= Duration::from_millis(250));
        // Nothing is left waiting, and the stale follow-up reply is dropped.
        let q = qmp.clone();
        let call = tokio::spawn(async move { q.execute(&QueryVersion {}).await });
        let (_, id) = peer.recv_cmd().await;
        peer.reply(&id, VERSION).await;
        call.await.unwrap().unwrap();
    })
    .await;
}

// ---- guest agent --------------------------------------------------------

/// The agent side: answers guest-sync-delimited as qemu-ga does.
async fn answer_sync(peer: &mut Peer) -> i64 {
    let mut b = [0u8; 1];
    peer.rd.read_exact(&mut b).await.unwrap();
    assert_eq!(b[0], 0xFF, "sync starts with the 0xFF byte");
    let line = peer.recv_line().await;
    let text = String::from_utf8(line).unwrap();
    let prefix = "{\"execute\": \"guest-sync-delimited\", \"arguments\": {\"id\": ";
    assert!(
        text.starts_with(prefix) && text.ends_with("}}\n"),
        "{text:?}"
    );
    let token: i64 = text[prefix.len()..text.len() - 3].parse().unwrap();
    assert!((0..1 << 53).contains(&token));
    // qemu-ga's answer to the 0xFF byte, then the delimited reply.
    peer.send_bytes(b"{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n").await;
    peer.send_bytes(&[0xFF]).await;
    peer.send_bytes(format!("{{\"return\": {token}}}\n").as_bytes())
        .await;
    token
}

#[tokio::test]
async fn guest_sync_discards_stale_output() {
    bounded(async {
        let (io, mut peer) = Peer::pair();
        let agent_side = async {
            // What an earlier client left unread in the channel: replies
            // with ids this client will use, an earlier delimited reply,
            // and half a line.
            peer.send_bytes(b"{\"return\": {}, \"id\": 1}\n{\"return\": \"stale\", \"id\": 2}\n").await;
            peer.send_bytes(b"\xff{\"return\": 1234}\n{\"return\": 5, \"id\": 1}\n{\"ret").await;
            answer_sync(&mut peer).await
        };
        let (agent, token) = tokio::join!(QgaClient::connect(io), agent_side);
        let agent = agent.expect("connect + sync");
        assert!(token > 0);
        let call = tokio::spawn({
            let a = agent.clone();
            async move { a.execute(&GuestSync { id: 77 }).await }
        });
        let line = peer.recv_line().await;
        assert_eq!(line, b"{\"execute\": \"guest-sync\", \"arguments\": {\"id\": 77}, \"id\": 1}\n");
        peer.send_bytes(b"{\"return\": 77, \"id\": 1}\n").await;
        assert_eq!(call.await.unwrap().unwrap(), 77);

        // Replies without id are never taken for ours.
        let call = tokio::spawn({
            let a = agent.clone();
            async move { a.execute(&GuestPing {}).await }
        });
        peer.recv_line().await;
        peer.send_bytes(b"{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n").await;
        peer.send_bytes(b"{\"return\": {}, \"id\": 2}\n").await;
        call.await.unwrap().unwrap();

        // A request in flight during a resync fails instead of hanging.
        let call = tokio::spawn({
            let a = agent.clone();
            async move { a.execute(&GuestPing {}).await }
        });
        peer.recv_line().await;
        let sync = tokio::spawn({
            let a = agent.clone();
            async move { a.sync().await }
        });
        let r = call.await.unwrap();
        assert!(matches!(r, Err(ClientError::Protocol(_))), "{r:?}");
        peer.send_bytes(b"{\"return\": {}, \"id\": 3}\n").await;
        answer_sync(&mut peer).await;
        sync.await.unwrap().unwrap();
    })
    .await;
}

#[tokio::test]
async fn guest_sync_times_out_without_a_delimiter() {
    bounded(async {
        let (io, mut peer) = Peer::pair();
        let opts = ClientOptions::new().connect_timeout(Duration::from_millis(200));
        let agent_side = async {
            // Answers, but without the 0xFF delimiter: not a sync reply.
            let line = peer.recv_line().await;
            let text = String::from_utf8_lossy(&line).into_owned();
            let token = text
                .rsplit(' ')
                .next()
                .unwrap()
                .trim_end_matches("}}\n")
                .to_owned();
            peer.send_bytes(format!("{{\"return\": {token}}}\n").as_bytes())
                .await;
        };
        let (r, ()) = tokio::join!(QgaClient::connect_with(io, opts), agent_side);
        assert!(r.unwrap_err().is_timeout());
    })
    .await;
}

#[tokio::test]
async fn guest_no_reply_commands() {
    bounded(async {
        let (io, mut peer) = Peer::pair();
        let opts = ClientOptions::new().sync_on_connect(false);
        let agent = QgaClient::connect_with(io, opts).await.unwrap();
        // Success: only the guest-ping behind it is answered.
        let call = tokio::spawn({
            let a = agent.clone();
            async move { a.execute(&GuestShutdownBogus { bogus: 0 }).await }
        });
        let (name, _) = peer.recv_cmd().await;
        assert_eq!(name, "guest-shutdown");
        let (ping, id) = peer.recv_cmd().await;
        assert_eq!(ping, "guest-ping");
        peer.send(&format!(r#"{{"return": {{}}, "id": {id}}}"#))
            .await;
        call.await.unwrap().unwrap();
        // The agent goes away (the guest shut down): success too.
        let call = tokio::spawn({
            let a = agent.clone();
            async move { a.execute(&GuestShutdownBogus { bogus: 0 }).await }
        });
        peer.recv().await;
        peer.recv().await;
        drop(peer);
        call.await.unwrap().unwrap();
    })
    .await;
}

#[test]
fn blocking_client_against_a_fake_socket_peer() {
    use std::io::{BufRead, Write};
    let dir = client_support::TempDir::new("fake");
    let path = dir.path("qmp.sock");
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut w = stream.try_clone().unwrap();
        let mut r = std::io::BufReader::new(stream);
        let mut line = String::new();
        writeln!(w, "{GREETING}\r").unwrap();
        for _ in 0..2 {
            line.clear();
            r.read_line(&mut line).unwrap();
            let v = qapi::json::parse_one(line.as_bytes()).unwrap();
            let id = v.as_object().unwrap().get("id").unwrap().clone();
            let ret = if line.contains("qmp_capabilities") {
                "{}"
            } else {
                VERSION
            };
            writeln!(w, "{}\r", event("HELLO", "{}")).unwrap();
            writeln!(w, r#"{{"return": {ret}, "id": {id}}}"#).unwrap();
        }
        // Wait for the client to go away.
        line.clear();
        let _ = r.read_line(&mut line);
    });
    let qmp = qapi::client::blocking::QmpClient::connect_unix(&path).unwrap();
    let mut events = qmp.events();
    assert_eq!(qmp.execute(&QueryVersion {}).unwrap().package, "fake");
    let evs = events.drain();
    assert_eq!(evs.len(), 2, "one HELLO before each reply");
    assert!(events.recv_timeout(Duration::from_millis(50)).is_none());
    drop(events);
    drop(qmp);
    server.join().unwrap();
}
