//! The client against this crate's own server (`qapi::server`), over an
//! in-memory pipe: what QEMU's storage daemon cannot show — an OOB reply
//! overtaking a slow in-band command, events emitted by a handler before
//! its reply, `success-response: false` commands — and the guest-agent
//! dialect end to end.

use std::sync::Arc;
use std::time::Duration;

use qapi::client::{ClientOptions, QgaClient, QmpClient};
use qapi::qmp::QueryVersion;
use qapi::server::{EventSender, ServerConfig, serve_connection};
use qapi::{Error, Qapi, Registry};
use tokio::sync::Notify;

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "x-slow", returns = Done)]
struct XSlow {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "x-fast", returns = Done, allow_oob)]
struct XFast {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
struct Done {
    by: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "x-emit")]
struct XEmit {
    n: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "X_TICK")]
struct XTick {
    n: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "x-fire", success_response = false)]
struct XFire {
    fail: bool,
}

struct State {
    release: Notify,
    events: EventSender,
}

fn qmp_server() -> (Arc<Registry<State>>, Arc<State>, ServerConfig) {
    let events = EventSender::new();
    let mut reg = Registry::<State>::new();
    reg.command_async::<XSlow, _, _>(|st: Arc<State>, _| async move {
        st.release.notified().await;
        Ok(Done { by: "slow".into() })
    });
    reg.command::<XFast, _>(|_, _| Ok(Done { by: "fast".into() }));
    reg.command::<XEmit, _>(|st: &State, c: XEmit| {
        for n in 0..c.n {
            st.events.emit(&XTick { n });
        }
        Ok(qapi::Empty)
    });
    reg.command::<XFire, _>(|_, c: XFire| {
        if c.fail {
            Err(Error::generic("misfire"))
        } else {
            Ok(qapi::Empty)
        }
    });
    reg.event::<XTick>();
    let state = Arc::new(State {
        release: Notify::new(),
        events: events.clone(),
    });
    (Arc::new(reg), state, ServerConfig::qmp().events(events))
}

async fn bounded<F: std::future::Future<Output = ()>>(f: F) {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .expect("test took longer than 30 s");
}

#[tokio::test]
async fn oob_overtakes_events_precede_replies() {
    bounded(async {
        let (reg, state, config) = qmp_server();
        let (client_io, server_io) = tokio::io::duplex(1 << 16);
        let server = tokio::spawn(serve_connection(reg, state.clone(), server_io, config));
        let qmp = QmpClient::connect(client_io).await.expect("connect");
        assert!(qmp.oob_enabled());
        assert_eq!(
            qmp.execute(&QueryVersion {}).await.unwrap(),
            qmp.greeting().version.clone().unwrap()
        );

        // An in-band command that waits; an OOB one overtakes it.
        let q = qmp.clone();
        let slow = tokio::spawn(async move { q.execute(&XSlow {}).await });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let fast = qmp
            .execute_oob(&XFast {})
            .await
            .expect("oob reply while x-slow runs");
        assert_eq!(fast.by, "fast");
        assert!(!slow.is_finished());
        state.release.notify_one();
        assert_eq!(slow.await.unwrap().unwrap().by, "slow");

        // Events the handler emits are sent before its reply, and are
        // queued by the time execute() returns.
        let mut events = qmp.events();
        qmp.execute(&XEmit { n: 3 }).await.unwrap();
        let ticks: Vec<i64> = events
            .drain()
            .iter()
            .map(|e| e.decode::<XTick>().unwrap().n)
            .collect();
        assert_eq!(ticks, [0, 1, 2]);

        // success-response: false.
        qmp.execute(&XFire { fail: false })
            .await
            .expect("no reply: success");
        let e = qmp.execute(&XFire { fail: true }).await.unwrap_err();
        assert_eq!(e.desc(), Some("misfire"));

        // Strict server, typed errors.
        let e = qmp
            .execute_raw("x-emit", qapi::Value::Null)
            .await
            .unwrap_err();
        assert_eq!(e.desc(), Some("Parameter 'n' is missing"));
        let e = qmp.execute_oob(&XEmit { n: 0 }).await.unwrap_err();
        assert_eq!(e.desc(), Some("The command x-emit does not support OOB"));
        assert_eq!(qmp.unmatched_messages(), 0);

        qmp.execute(&qapi::qmp::Quit {}).await.unwrap();
        qmp.closed().await;
        server.await.unwrap().unwrap();
    })
    .await;
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "guest-sync-delimited", returns = i64, returns_exception)]
struct GuestSyncDelimited {
    id: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "guest-ping")]
struct GuestPing {}

#[tokio::test]
async fn guest_agent_dialect() {
    bounded(async {
        let mut reg = Registry::<()>::empty();
        reg.command::<GuestSyncDelimited, _>(|_, c| Ok(c.id));
        reg.command::<GuestPing, _>(|_, _| Ok(qapi::Empty));
        let (client_io, server_io) = tokio::io::duplex(1 << 16);
        tokio::spawn(serve_connection(
            Arc::new(reg),
            Arc::new(()),
            server_io,
            ServerConfig::guest_agent(),
        ));
        let opts = ClientOptions::new().sync_on_connect(false);
        let agent = QgaClient::connect_with(client_io, opts).await.unwrap();
        agent
            .send_raw(br#"{"execute": "guest-ping", "id": "#)
            .unwrap();
        agent
            .sync()
            .await
            .expect("guest-sync-delimited recovers from the half request");
        agent.execute(&GuestPing {}).await.unwrap();
        let e = agent
            .execute_raw("qmp_capabilities", qapi::Value::Null)
            .await
            .unwrap_err();
        assert_eq!(
            e.desc(),
            Some("The command qmp_capabilities has not been found")
        );
    })
    .await;
}
