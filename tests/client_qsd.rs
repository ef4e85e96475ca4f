//! The typed QMP client against a live qemu-storage-daemon (spawned
//! here with a monitor on a unix socket in a temporary directory, or on
//! stdio). Each test skips with a notice when qemu-storage-daemon is not
//! installed, and is bounded in time.

mod client_support;

use std::time::Duration;

use client_support::qsd::*;
use client_support::{data, json, shared, spawn_qsd};
use qapi::client::{ClientError, ClientOptions, QmpClient};
use qapi::qmp::{QueryCommands, QueryQmpSchema, QueryVersion, Quit, SchemaInfo};
use qapi::{ErrorClass, Value};

const LIMIT: Duration = Duration::from_secs(60);

async fn bounded<F: std::future::Future<Output = ()>>(f: F) {
    tokio::time::timeout(LIMIT, f)
        .await
        .expect("test took longer than 60 s");
}

fn is_10_0(qmp: &QmpClient) -> bool {
    let v = qmp
        .greeting()
        .version
        .as_ref()
        .expect("greeting has a version");
    (v.qemu.major, v.qemu.minor) == (10, 0)
}

#[tokio::test]
async fn negotiate_version_commands() {
    let Some(qsd) = spawn_qsd("client_qsd::negotiate_version_commands") else {
        return;
    };
    bounded(async {
        let qmp = QmpClient::connect_unix(&qsd.socket).await.expect("connect");
        let g = qmp.greeting();
        assert_eq!(g.capabilities, ["oob"]);
        assert!(
            qmp.oob_enabled(),
            "oob offered on a unix socket, so enabled"
        );
        let v = qmp.execute(&QueryVersion {}).await.expect("query-version");
        assert_eq!(
            Some(&v),
            g.version.as_ref(),
            "query-version equals the greeting's version"
        );
        println!(
            "qemu-storage-daemon {}.{}.{} ({})",
            v.qemu.major, v.qemu.minor, v.qemu.micro, v.package
        );

        let cmds = qmp
            .execute(&QueryCommands {})
            .await
            .expect("query-commands");
        let names: Vec<&str> = cmds.iter().map(|c| c.name.as_str()).collect();
        assert!(names.contains(&"blockdev-add") && names.contains(&"qmp_capabilities"));
        if v.qemu.major == 10 && v.qemu.minor == 0 && v.qemu.micro == 2 {
            let Value::Array(expected) = json(&data("qsd-10.0.2.query-commands.json")) else {
                panic!()
            };
            let expected: Vec<&str> = expected
                .iter()
                .map(|c| {
                    c.as_object()
                        .unwrap()
                        .get("name")
                        .unwrap()
                        .as_str()
                        .unwrap()
                })
                .collect();
            assert_eq!(
                names, expected,
                "query-commands of QSD 10.0.2, in QEMU's order"
            );
        } else {
            println!(
                "note: QSD {}.{}.{} is not 10.0.2: command list not compared",
                v.qemu.major, v.qemu.minor, v.qemu.micro
            );
        }

        // A reply type that knows only one member: the rest is ignored.
        let p = qmp
            .execute(&QueryVersionPackage {})
            .await
            .expect("lenient decode");
        assert_eq!(p.package, v.package);
        // A reply type that is wrong: an error with the raw JSON, and the
        // connection carries on.
        match qmp.execute(&QueryVersionWrong {}).await {
            Err(ClientError::Decode { raw, error }) => {
                assert!(
                    raw.as_object().unwrap().contains_key("package"),
                    "raw reply kept: {raw}"
                );
                assert_eq!(
                    error.desc,
                    "Invalid parameter type for 'qemu', expected: string"
                );
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        qmp.execute(&QueryVersion {}).await.expect("still usable");
    })
    .await;
}

#[tokio::test]
async fn error_replies_are_typed() {
    let Some(qsd) = spawn_qsd("client_qsd::error_replies_are_typed") else {
        return;
    };
    bounded(async {
        let qmp = QmpClient::connect_unix(&qsd.socket).await.expect("connect");
        let e = qmp
            .execute(&BlockJobCancel {
                device: "j0".into(),
                force: None,
            })
            .await
            .unwrap_err();
        let err = e.qmp_error().expect("a QMP error");
        assert_eq!(err.class, ErrorClass::DeviceNotActive);
        assert_eq!(err.desc, "Block job 'j0' not found");
        assert_eq!(e.class_name(), Some("DeviceNotActive"));
        assert_eq!(e.to_string(), "DeviceNotActive: Block job 'j0' not found");

        let e = qmp
            .execute_raw("no-such-command", Value::Null)
            .await
            .unwrap_err();
        assert_eq!(e.qmp_error().unwrap().class, ErrorClass::CommandNotFound);
        assert_eq!(
            e.desc(),
            Some("The command no-such-command has not been found")
        );

        // Arguments the server rejects, sent raw.
        let args = json(r#"{"device": "j0", "force": "yes"}"#);
        let e = qmp.execute_raw("block-job-cancel", args).await.unwrap_err();
        assert_eq!(
            e.desc(),
            Some("Invalid parameter type for 'force', expected: boolean")
        );
        let e = qmp
            .execute_raw("query-version", Value::Array(vec![]))
            .await
            .unwrap_err();
        assert_eq!(
            e.desc(),
            Some("QMP input member 'arguments' must be an object")
        );
        // Raw success.
        let v = qmp.execute_raw("query-version", Value::Null).await.unwrap();
        assert!(v.as_object().unwrap().contains_key("qemu"));
    })
    .await;
}

#[tokio::test]
async fn out_of_band() {
    let Some(qsd) = spawn_qsd("client_qsd::out_of_band") else {
        return;
    };
    bounded(async {
        let qmp = QmpClient::connect_unix(&qsd.socket).await.expect("connect");
        assert!(qmp.oob_enabled());
        // QSD has no allow-oob command.
        let e = qmp.execute_oob(&QueryVersion {}).await.unwrap_err();
        assert_eq!(e.qmp_error().unwrap().class, ErrorClass::GenericError);
        assert_eq!(
            e.desc(),
            Some("The command query-version does not support OOB")
        );
        let e = qmp
            .execute_raw_with("no-such", Value::Null, true, Some(Duration::from_secs(10)))
            .await
            .unwrap_err();
        assert_eq!(e.qmp_error().unwrap().class, ErrorClass::CommandNotFound);
        assert_eq!(e.desc(), Some("The command no-such has not been found"));

        // Without OOB negotiated, exec-oob is an unexpected member.
        // QSD serves one monitor client at a time: close the first one.
        drop(qmp);
        let plain = QmpClient::connect_unix_with(&qsd.socket, ClientOptions::new().oob(false))
            .await
            .expect("connect without oob");
        assert!(!plain.oob_enabled());
        let e = plain.execute_oob(&QueryVersion {}).await.unwrap_err();
        assert_eq!(e.desc(), Some("QMP input member 'exec-oob' is unexpected"));
        plain
            .execute(&QueryVersion {})
            .await
            .expect("in-band still fine");
    })
    .await;
}

#[tokio::test]
async fn job_events_arrive_in_order_and_before_the_return() {
    let Some(qsd) = spawn_qsd("client_qsd::job_events") else {
        return;
    };
    bounded(async {
        let qmp = QmpClient::connect_unix(&qsd.socket).await.expect("connect");
        let mut events = qmp.events();
        let image = qsd.dir.path("created.img");
        let create = BlockdevCreate {
            job_id: "j1".into(),
            options: BlockdevCreateOptions {
                driver: BlockdevCreateBranch::File(BlockdevCreateOptionsFile {
                    filename: image.display().to_string(),
                    size: (1u64 << 20).into(),
                }),
            },
        };
        qmp.execute(&create).await.expect("blockdev-create");
        // QEMU sends `created` and `running` before the command's return:
        // they are queued by the time execute() returns.
        let early: Vec<JobStatus> = events
            .drain()
            .iter()
            .map(|e| e.decode::<JobStatusChange>().unwrap().status)
            .collect();
        assert!(
            early.starts_with(&[JobStatus::Created, JobStatus::Running]),
            "events before the return: {early:?}"
        );

        let mut seen = early.clone();
        while !seen.contains(&JobStatus::Concluded) {
            let ev = tokio::time::timeout(Duration::from_secs(20), events.recv())
                .await
                .expect("job events")
                .expect("open");
            assert!(ev.is::<JobStatusChange>());
            assert!(
                ev.timestamp.seconds > 1_600_000_000,
                "wall-clock timestamp: {:?}",
                ev.timestamp
            );
            let data = ev.decode::<JobStatusChange>().expect("typed event");
            assert_eq!(data.id, "j1");
            seen.push(data.status);
        }
        assert_eq!(
            seen,
            [
                JobStatus::Created,
                JobStatus::Running,
                JobStatus::Waiting,
                JobStatus::Pending,
                JobStatus::Concluded
            ]
        );
        let jobs = qmp.execute(&QueryJobs {}).await.expect("query-jobs");
        assert_eq!(
            jobs,
            [JobInfo {
                id: "j1".into(),
                status: JobStatus::Concluded
            }]
        );

        qmp.execute(&JobDismiss { id: "j1".into() })
            .await
            .expect("job-dismiss");
        // The `null` event came before job-dismiss's return.
        let ev = events
            .try_recv()
            .expect("JOB_STATUS_CHANGE null already queued");
        // A client whose enum lacks `null` gets the raw event back.
        match ev.decode::<OldJobStatusChange>() {
            Err(ClientError::Decode { raw, error }) => {
                assert_eq!(
                    error.desc,
                    "Parameter 'status' does not accept value 'null'"
                );
                let m = raw.as_object().unwrap();
                assert_eq!(
                    m.get("event").and_then(Value::as_str),
                    Some("JOB_STATUS_CHANGE")
                );
                assert_eq!(
                    m.get("data"),
                    Some(&json(r#"{"status": "null", "id": "j1"}"#))
                );
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert_eq!(
            ev.decode::<JobStatusChange>().unwrap().status,
            JobStatus::Null
        );
        assert_eq!(events.dropped(), 0);
        assert!(
            std::fs::metadata(&image).is_ok(),
            "the job created the image"
        );
    })
    .await;
}

#[tokio::test]
async fn untyped_events_are_delivered_raw() {
    let Some(qsd) = spawn_qsd("client_qsd::untyped_events") else {
        return;
    };
    bounded(async {
        let qmp = QmpClient::connect_unix(&qsd.socket).await.expect("connect");
        let mut events = qmp.events();
        let add = BlockdevAdd(BlockdevOptions {
            driver: BlockdevOptionsBranch::NullCo(BlockdevOptionsNull {
                size: Some(1 << 20),
            }),
            node_name: Some("null0".into()),
            read_only: None,
        });
        qmp.execute(&add).await.expect("blockdev-add null-co");
        let nodes = qmp
            .execute(&QueryNamedBlockNodes { flat: Some(true) })
            .await
            .expect("query-named-block-nodes");
        assert!(
            nodes
                .iter()
                .any(|n| n.node_name.as_deref() == Some("null0") && n.drv == "null-co"),
            "{nodes:?}"
        );

        // An NBD export, removed again: BLOCK_EXPORT_DELETED, for which
        // this test has no type.
        let nbd = qsd.dir.path("nbd.sock");
        let addr = format!(
            r#"{{"addr": {{"type": "unix", "data": {{"path": "{}"}}}}}}"#,
            nbd.display()
        );
        qmp.execute_raw("nbd-server-start", json(&addr))
            .await
            .expect("nbd-server-start");
        let export = json(r#"{"type": "nbd", "id": "e0", "node-name": "null0"}"#);
        qmp.execute_raw("block-export-add", export)
            .await
            .expect("block-export-add");
        qmp.execute_raw("block-export-del", json(r#"{"id": "e0"}"#))
            .await
            .expect("block-export-del");
        let ev = tokio::time::timeout(
            Duration::from_secs(20),
            events.wait_for("BLOCK_EXPORT_DELETED"),
        )
        .await
        .expect("BLOCK_EXPORT_DELETED within 20 s")
        .expect("connection open");
        assert_eq!(ev.data, Some(json(r#"{"id": "e0"}"#)));
        assert!(
            ev.decode::<JobStatusChange>().is_err(),
            "decoding as another event fails"
        );
        qmp.execute_raw("nbd-server-stop", Value::Null)
            .await
            .expect("nbd-server-stop");
        qmp.execute(&BlockdevDel {
            node_name: "null0".into(),
        })
        .await
        .expect("blockdev-del");
    })
    .await;
}

#[tokio::test]
async fn query_qmp_schema_decodes() {
    let Some(qsd) = spawn_qsd("client_qsd::query_qmp_schema") else {
        return;
    };
    bounded(async {
        let qmp = QmpClient::connect_unix(&qsd.socket).await.expect("connect");
        let schema: Vec<SchemaInfo> = qmp
            .execute(&QueryQmpSchema {})
            .await
            .expect("query-qmp-schema");
        if !is_10_0(&qmp) {
            println!(
                "note: not QSD 10.0: entry count not compared ({} entries)",
                schema.len()
            );
            return;
        }
        assert_eq!(schema.len(), 513);
        assert_eq!(schema[0].name, "JOB_STATUS_CHANGE");
        match shared("qemu/live/qsd-10.0.2.schema.json") {
            Some(text) => {
                let expected: Vec<SchemaInfo> = qapi::Decoder::lenient()
                    .decode(json(&text))
                    .expect("shared schema decodes");
                assert_eq!(
                    schema, expected,
                    "live schema equals the captured 10.0.2 schema"
                );
            }
            None => println!("note: shared data not found: schema compared by count only"),
        }
    })
    .await;
}

#[tokio::test]
async fn concurrent_commands_share_a_connection() {
    let Some(qsd) = spawn_qsd("client_qsd::concurrent") else {
        return;
    };
    bounded(async {
        let qmp = QmpClient::connect_unix(&qsd.socket).await.expect("connect");
        let mut tasks = Vec::new();
        for i in 0..16 {
            let q = qmp.clone();
            tasks.push(tokio::spawn(async move {
                if i % 2 == 0 {
                    q.execute(&QueryVersion {}).await.map(|v| v.qemu.major > 0)
                } else {
                    let e = q
                        .execute(&BlockJobCancel {
                            device: format!("j{i}"),
                            force: None,
                        })
                        .await
                        .unwrap_err();
                    Ok(e.desc() == Some(format!("Block job 'j{i}' not found").as_str()))
                }
            }));
        }
        for t in tasks {
            assert!(
                t.await.unwrap().unwrap(),
                "each reply went to its own request"
            );
        }
        assert_eq!(qmp.unmatched_messages(), 0);
    })
    .await;
}

#[tokio::test]
async fn stdio_monitor_and_quit() {
    if !client_support::have("qemu-storage-daemon", "client_qsd::stdio_monitor_and_quit") {
        return;
    }
    bounded(async {
        let mut child = tokio::process::Command::new("qemu-storage-daemon")
            .args(["--chardev", "stdio,id=m", "--monitor", "chardev=m"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn");
        let stdout = child.stdout.take().unwrap();
        let stdin = child.stdin.take().unwrap();
        let qmp = QmpClient::connect_split(stdout, stdin)
            .await
            .expect("connect over stdio");
        assert!(qmp.greeting().offers("oob"));
        qmp.execute(&QueryVersion {}).await.expect("query-version");
        qmp.execute(&Quit {})
            .await
            .expect("quit answers before closing");
        qmp.closed().await;
        assert!(matches!(
            qmp.execute(&QueryVersion {}).await,
            Err(ClientError::Disconnected(_))
        ));
        let status = child.wait().await.expect("exit");
        assert!(status.success());
    })
    .await;
}

#[tokio::test]
async fn pretty_monitor() {
    if !client_support::have("qemu-storage-daemon", "client_qsd::pretty_monitor") {
        return;
    }
    bounded(async {
        let mut child = tokio::process::Command::new("qemu-storage-daemon")
            .args([
                "--chardev",
                "stdio,id=m",
                "--monitor",
                "chardev=m,pretty=on",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn");
        let (out, inp) = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
        let qmp = QmpClient::connect_split(out, inp)
            .await
            .expect("multi-line greeting");
        let v = qmp
            .execute(&QueryVersion {})
            .await
            .expect("multi-line reply");
        assert_eq!(Some(&v), qmp.greeting().version.as_ref());
        let e = qmp
            .execute(&BlockJobCancel {
                device: "j0".into(),
                force: None,
            })
            .await
            .unwrap_err();
        assert_eq!(e.desc(), Some("Block job 'j0' not found"));
        qmp.execute(&Quit {}).await.expect("quit");
        assert!(child.wait().await.expect("exit").success());
    })
    .await;
}

#[test]
fn blocking_client_over_pipes_and_socket() {
    let Some(qsd) = spawn_qsd("client_qsd::blocking") else {
        return;
    };
    let opts = ClientOptions::new().command_timeout(Some(Duration::from_secs(20)));
    let qmp =
        qapi::client::blocking::QmpClient::connect_unix_with(&qsd.socket, opts).expect("connect");
    let mut events = qmp.events();
    let v = qmp.execute(&QueryVersion {}).expect("query-version");
    assert!(v.qemu.major >= 2);
    let e = qmp
        .execute(&BlockJobCancel {
            device: "j0".into(),
            force: None,
        })
        .unwrap_err();
    assert_eq!(e.desc(), Some("Block job 'j0' not found"));
    let create = BlockdevCreate {
        job_id: "b1".into(),
        options: BlockdevCreateOptions {
            driver: BlockdevCreateBranch::File(BlockdevCreateOptionsFile {
                filename: qsd.dir.path("b.img").display().to_string(),
                size: (1u64 << 16).into(),
            }),
        },
    };
    qmp.execute(&create).expect("blockdev-create");
    let first = events.try_recv().expect("queued before the return");
    assert_eq!(
        first.decode::<JobStatusChange>().unwrap().status,
        JobStatus::Created
    );
    loop {
        let ev = events
            .recv_timeout(Duration::from_secs(20))
            .expect("job events");
        if ev.decode::<JobStatusChange>().unwrap().status == JobStatus::Concluded {
            break;
        }
    }
    drop(events);
    drop(qmp);

    // stdio of a std::process::Child.
    let mut child = std::process::Command::new("qemu-storage-daemon")
        .args(["--chardev", "stdio,id=m", "--monitor", "chardev=m"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let (out, inp) = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
    let qmp =
        qapi::client::blocking::QmpClient::connect_pipes(out, inp).expect("connect over pipes");
    qmp.execute(&QueryVersion {}).expect("query-version");
    qmp.execute(&Quit {}).expect("quit");
    assert!(
        qmp.wait_closed(Duration::from_secs(20)),
        "closed after quit"
    );
    assert!(child.wait().expect("exit").success());
}
