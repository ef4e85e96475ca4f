//! A typed QMP client driving a real qemu-storage-daemon.
//!
//! ```sh
//! cargo run --example qsd-client                    # spawns qemu-storage-daemon (monitor on stdio)
//! cargo run --example qsd-client -- /path/qmp.sock  # or talks to a running one
//! ```
//!
//! A running daemon needs a monitor socket, e.g.
//! `qemu-storage-daemon --chardev socket,id=m,path=/tmp/qsd.sock,server=on,wait=off --monitor chardev=m`.
//!
//! It negotiates capabilities, runs typed commands, shows a typed error,
//! creates an image with a `blockdev-create` job and follows the job
//! through its `JOB_STATUS_CHANGE` events.

use std::time::Duration;

use qapi::client::{ClientError, ClientOptions, QmpClient};
use qapi::qmp::{QueryCommands, QueryVersion, Quit};
use qapi::{Qapi, Size};

// ---- the slice of qemu-storage-daemon's schema this program uses ---------
// A client declares only the members it needs: replies are decoded
// leniently, so members added by newer QEMUs are ignored.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum BlockdevDriver {
    File,
    NullCo,
}

#[derive(Debug, Qapi)]
#[qapi(struct)]
struct BlockdevOptionsNull {
    size: Option<i64>,
}

#[derive(Debug, Qapi)]
#[qapi(struct)]
struct BlockdevCreateOptionsFile {
    filename: String,
    size: Size,
}

#[derive(Debug, Qapi)]
#[qapi(branches(tag = BlockdevDriver))]
enum BlockdevOptionsBranch {
    File,
    NullCo(BlockdevOptionsNull),
}

#[derive(Debug, Qapi)]
#[qapi(union, discriminator = "driver")]
struct BlockdevOptions {
    driver: BlockdevOptionsBranch,
    node_name: Option<String>,
}

#[derive(Debug, Qapi)]
#[qapi(command = "blockdev-add", boxed)]
struct BlockdevAdd(BlockdevOptions);

#[derive(Debug, Qapi)]
#[qapi(command = "blockdev-del")]
struct BlockdevDel {
    node_name: String,
}

#[derive(Debug, Qapi)]
#[qapi(branches(tag = BlockdevDriver))]
enum BlockdevCreateBranch {
    File(BlockdevCreateOptionsFile),
    NullCo,
}

#[derive(Debug, Qapi)]
#[qapi(union, discriminator = "driver")]
struct BlockdevCreateOptions {
    driver: BlockdevCreateBranch,
}

#[derive(Debug, Qapi)]
#[qapi(command = "blockdev-create")]
struct BlockdevCreate {
    job_id: String,
    options: BlockdevCreateOptions,
}

#[derive(Debug, Qapi)]
#[qapi(command = "job-dismiss")]
struct JobDismiss {
    id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum JobStatus {
    Undefined,
    Created,
    Running,
    Paused,
    Ready,
    Standby,
    Waiting,
    Pending,
    Aborting,
    Concluded,
    Null,
}

#[derive(Debug, Qapi)]
#[qapi(event = "JOB_STATUS_CHANGE")]
struct JobStatusChange {
    id: String,
    status: JobStatus,
}

#[derive(Debug, Qapi)]
#[qapi(command = "block-job-cancel")]
struct BlockJobCancel {
    device: String,
    force: Option<bool>,
}

#[derive(Debug, Qapi)]
#[qapi(struct)]
struct BlockDeviceInfo {
    node_name: Option<String>,
    drv: String,
}

#[derive(Debug, Qapi)]
#[qapi(command = "query-named-block-nodes", returns = Vec<BlockDeviceInfo>)]
struct QueryNamedBlockNodes {
    flat: Option<bool>,
}

/// An event's data as JSON text.
fn data_text(ev: &qapi::EventMessage) -> String {
    ev.data
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let opts = ClientOptions::new().command_timeout(Some(Duration::from_secs(30)));
    let mut child = None;
    let qmp = match std::env::args_os().nth(1) {
        Some(path) => QmpClient::connect_unix_with(path, opts).await?,
        None => {
            let mut c = tokio::process::Command::new("qemu-storage-daemon")
                .args(["--chardev", "stdio,id=m", "--monitor", "chardev=m"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .map_err(|e| {
                    format!(
                        "cannot start qemu-storage-daemon ({e}); pass a monitor socket path instead"
                    )
                })?;
            let (out, inp) = (
                c.stdout.take().expect("piped"),
                c.stdin.take().expect("piped"),
            );
            child = Some(c);
            QmpClient::connect_split_with(out, inp, opts).await?
        }
    };
    // The event queue fills from the moment of connection.
    let mut events = qmp.events();

    let g = qmp.greeting();
    println!(
        "greeting: capabilities {:?}, oob enabled: {}",
        g.capabilities,
        qmp.oob_enabled()
    );

    let v = qmp.execute(&QueryVersion {}).await?;
    println!(
        "query-version: {}.{}.{} ({})",
        v.qemu.major, v.qemu.minor, v.qemu.micro, v.package
    );
    let cmds = qmp.execute(&QueryCommands {}).await?;
    println!("query-commands: {} commands", cmds.len());

    // A QMP error is typed: class and description.
    match qmp
        .execute(&BlockJobCancel {
            device: "no-such-job".into(),
            force: None,
        })
        .await
    {
        Err(ClientError::Qmp { error, .. }) => {
            println!("block-job-cancel: {} error: {}", error.class, error.desc)
        }
        other => println!("block-job-cancel: unexpected {other:?}"),
    }
    // Out of band: qemu-storage-daemon has no command that allows it.
    if let Err(e) = qmp.execute_oob(&QueryVersion {}).await {
        println!("exec-oob query-version: {e}");
    }

    // A node, listed with a reply type that knows two of its members.
    let node = format!("example-null-{}", std::process::id());
    let add = BlockdevAdd(BlockdevOptions {
        driver: BlockdevOptionsBranch::NullCo(BlockdevOptionsNull {
            size: Some(1 << 20),
        }),
        node_name: Some(node.clone()),
    });
    qmp.execute(&add).await?;
    for n in qmp
        .execute(&QueryNamedBlockNodes { flat: Some(true) })
        .await?
    {
        println!(
            "node {:?}: driver {}",
            n.node_name.as_deref().unwrap_or("?"),
            n.drv
        );
    }
    qmp.execute(&BlockdevDel { node_name: node }).await?;

    // A job and its events. Events QEMU sends before the command's
    // return are already queued when execute() returns.
    let image = std::env::temp_dir().join(format!("qsd-client-{}.img", std::process::id()));
    let job = format!("example-job-{}", std::process::id());
    let create = BlockdevCreate {
        job_id: job.clone(),
        options: BlockdevCreateOptions {
            driver: BlockdevCreateBranch::File(BlockdevCreateOptionsFile {
                filename: image.display().to_string(),
                size: Size(1 << 20),
            }),
        },
    };
    qmp.execute(&create).await?;
    println!(
        "blockdev-create returned; {} events already queued",
        events.len()
    );
    loop {
        let ev = tokio::time::timeout(Duration::from_secs(30), events.recv())
            .await?
            .ok_or("connection closed")?;
        match ev.decode::<JobStatusChange>() {
            Ok(change) if change.id == job => {
                println!(
                    "event {} at {}.{:06}: job {} is {:?}",
                    ev.name,
                    ev.timestamp.seconds,
                    ev.timestamp.microseconds,
                    change.id,
                    change.status
                );
                if change.status == JobStatus::Concluded {
                    break;
                }
            }
            // Events this program has no type for arrive raw.
            _ => println!("event {} (raw): {}", ev.name, data_text(&ev)),
        }
    }
    qmp.execute(&JobDismiss { id: job }).await?;
    for ev in events.drain() {
        println!("event {}: {}", ev.name, data_text(&ev));
    }
    let _ = std::fs::remove_file(&image);

    if let Some(mut c) = child {
        qmp.execute(&Quit {}).await?;
        qmp.closed().await;
        println!("quit: daemon exited with {}", c.wait().await?);
    }
    Ok(())
}
