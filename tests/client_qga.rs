//! The guest-agent client against a live `qemu-ga -m unix-listen`
//! (spawned here in a temporary state directory). Each test skips with a
//! notice when qemu-ga is not installed (Debian: `qemu-guest-agent`), and
//! is bounded in time. Only harmless commands are sent; `guest-shutdown`
//! only with a member the agent rejects before its handler runs.

mod client_support;

use std::time::Duration;

use client_support::qga::*;
use client_support::{data, json, spawn_qga};
use qapi::client::{ClientOptions, QgaClient};
use qapi::{ErrorClass, Value};

const LIMIT: Duration = Duration::from_secs(60);

async fn bounded<F: std::future::Future<Output = ()>>(f: F) {
    tokio::time::timeout(LIMIT, f)
        .await
        .expect("test took longer than 60 s");
}

fn opts() -> ClientOptions {
    ClientOptions::new().command_timeout(Some(Duration::from_secs(20)))
}

#[tokio::test]
async fn sync_ping_and_typed_returns() {
    let Some(qga) = spawn_qga("client_qga::sync_ping_and_typed_returns", &[]) else {
        return;
    };
    bounded(async {
        // Connecting runs guest-sync-delimited.
        let agent = QgaClient::connect_unix_with(&qga.socket, opts())
            .await
            .expect("connect + sync");
        agent.execute(&GuestPing {}).await.expect("guest-ping");
        assert_eq!(
            agent.execute(&GuestSync { id: 123456 }).await.unwrap(),
            123456
        );
        assert_eq!(agent.execute(&GuestSync { id: -5 }).await.unwrap(), -5);
        let t = agent
            .execute(&GuestGetTime {})
            .await
            .expect("guest-get-time");
        assert!(
            t > 1_600_000_000_000_000_000,
            "nanoseconds since the epoch: {t}"
        );
        // Resynchronizing again, any number of times.
        let a = agent.sync().await.expect("sync");
        let b = agent.sync().await.expect("sync");
        assert_ne!(a, b, "each sync uses a fresh random id");
        agent
            .execute(&GuestPing {})
            .await
            .expect("guest-ping after sync");
        assert_eq!(
            agent
                .execute_raw("guest-sync", json(r#"{"id": 7}"#))
                .await
                .unwrap(),
            Value::Int(7)
        );
    })
    .await;
}

#[tokio::test]
async fn sync_recovers_from_a_half_request() {
    let Some(qga) = spawn_qga("client_qga::sync_recovers", &[]) else {
        return;
    };
    bounded(async {
        // A half request on this connection: the agent waits for the rest.
        let agent = QgaClient::connect_unix_with(&qga.socket, opts().sync_on_connect(false))
            .await
            .expect("connect");
        agent
            .send_raw(br#"{"execute":"guest-ping", "id":"#)
            .unwrap();
        let short = agent
            .execute_timeout(&GuestPing {}, Duration::from_millis(500))
            .await;
        assert!(
            short.as_ref().is_err_and(|e| e.is_timeout()),
            "the ping is swallowed by the half request: {short:?}"
        );
        agent.sync().await.expect("0xFF flushes the agent's parser");
        agent
            .execute(&GuestPing {})
            .await
            .expect("guest-ping after resync");
        assert_eq!(agent.execute(&GuestSync { id: 99 }).await.unwrap(), 99);

        // A half request left behind by a client that went away: the next
        // client's connect-time sync recovers.
        agent
            .send_raw(br#"{"execute":"guest-sync", "arguments": {"id": 1"#)
            .unwrap();
        agent
            .execute_timeout(&GuestPing {}, Duration::from_millis(300))
            .await
            .unwrap_err();
        drop(agent);
        let next = QgaClient::connect_unix_with(&qga.socket, opts())
            .await
            .expect("connect + sync");
        next.execute(&GuestPing {}).await.expect("guest-ping");
        assert_eq!(next.execute(&GuestSync { id: 4242 }).await.unwrap(), 4242);
    })
    .await;
}

#[tokio::test]
async fn guest_info_matches_the_captured_list() {
    let Some(qga) = spawn_qga(
        "client_qga::guest_info",
        &["-b", "guest-exec,guest-file-open"],
    ) else {
        return;
    };
    bounded(async {
        let agent = QgaClient::connect_unix_with(&qga.socket, opts())
            .await
            .expect("connect");
        let info = agent.execute(&GuestInfo {}).await.expect("guest-info");
        println!(
            "qemu-ga {}: {} commands",
            info.version,
            info.supported_commands.len()
        );
        let file = match info.version.as_str() {
            "10.0.2" => "qemu-ga-10.0.2.guest-info.json",
            "7.2.22" => "qemu-ga-7.2.22.guest-info.json",
            other => {
                println!("note: no captured guest-info for qemu-ga {other}: list not compared");
                assert!(
                    info.supported_commands
                        .iter()
                        .any(|c| c.name == "guest-sync-delimited")
                );
                return;
            }
        };
        let Value::Object(mut reply) = json(&data(file)) else {
            panic!()
        };
        let expected: GuestAgentInfo = qapi::Decoder::lenient()
            .decode(reply.remove("return").unwrap())
            .unwrap();
        assert_eq!(
            info, expected,
            "names, order, enabled and success-response as captured"
        );
        let off: Vec<&str> = info
            .supported_commands
            .iter()
            .filter(|c| !c.enabled)
            .map(|c| c.name.as_str())
            .collect();
        assert!(off.contains(&"guest-exec") && off.contains(&"guest-file-open"));
        let no_reply: Vec<&str> = info
            .supported_commands
            .iter()
            .filter(|c| !c.success_response)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            no_reply,
            [
                "guest-suspend-hybrid",
                "guest-suspend-ram",
                "guest-suspend-disk",
                "guest-shutdown"
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn errors_are_typed() {
    let Some(qga) = spawn_qga("client_qga::errors_are_typed", &["-b", "guest-exec"]) else {
        return;
    };
    bounded(async {
        let agent = QgaClient::connect_unix_with(&qga.socket, opts())
            .await
            .expect("connect");
        let info = agent.execute(&GuestInfo {}).await.expect("guest-info");

        // A blocked command.
        let e = agent
            .execute(&GuestExec {
                path: "/bin/true".into(),
                arg: None,
            })
            .await
            .unwrap_err();
        assert_eq!(e.qmp_error().unwrap().class, ErrorClass::CommandNotFound);
        let expected = if info.version.starts_with("7.") {
            "Command guest-exec has been disabled"
        } else {
            "Command guest-exec has been disabled: the command is not allowed"
        };
        assert_eq!(e.desc(), Some(expected));

        // Bad arguments.
        let e = agent
            .execute_raw("guest-sync", json(r#"{"id": "x"}"#))
            .await
            .unwrap_err();
        assert_eq!(e.qmp_error().unwrap().class, ErrorClass::GenericError);
        assert_eq!(
            e.desc(),
            Some("Invalid parameter type for 'id', expected: integer")
        );
        let e = agent
            .execute_raw("guest-sync", Value::Null)
            .await
            .unwrap_err();
        assert_eq!(e.desc(), Some("Parameter 'id' is missing"));

        // Unknown commands; QMP's negotiation does not exist here.
        let e = agent
            .execute_raw("guest-no-such", Value::Null)
            .await
            .unwrap_err();
        assert_eq!(
            e.desc(),
            Some("The command guest-no-such has not been found")
        );
        let e = agent
            .execute_raw("qmp_capabilities", Value::Null)
            .await
            .unwrap_err();
        assert_eq!(e.qmp_error().unwrap().class, ErrorClass::CommandNotFound);
        assert_eq!(
            e.desc(),
            Some("The command qmp_capabilities has not been found")
        );

        // success-response: false commands still report errors.
        let e = agent
            .execute(&GuestShutdownBogus { bogus: 1 })
            .await
            .unwrap_err();
        assert_eq!(e.desc(), Some("Parameter 'bogus' is unexpected"));
        let e = agent
            .execute_raw_no_reply("guest-shutdown", json(r#"{"mode": 5}"#))
            .await
            .unwrap_err();
        assert_eq!(
            e.desc(),
            Some("Invalid parameter type for 'mode', expected: string")
        );

        agent.execute(&GuestPing {}).await.expect("still usable");
        assert!(agent.closed_reason().is_none());
    })
    .await;
}

#[test]
fn blocking_agent() {
    let Some(qga) = spawn_qga("client_qga::blocking_agent", &[]) else {
        return;
    };
    let agent =
        qapi::client::blocking::QgaClient::connect_unix_with(&qga.socket, opts()).expect("connect");
    agent.execute(&GuestPing {}).expect("guest-ping");
    agent.send_raw(b"{\"execute\":").unwrap();
    agent.sync().expect("resync");
    assert_eq!(agent.execute(&GuestSync { id: 31 }).unwrap(), 31);
    let e = agent.execute_raw("guest-no-such", Value::Null).unwrap_err();
    assert_eq!(
        e.desc(),
        Some("The command guest-no-such has not been found")
    );
}
