//! A qemu-storage-daemon-compatible QMP server: the storage daemon's
//! 10.0.2 interface served from the ported schema
//! (`qapi_schema::ports::qsd`), with an in-memory model of the daemon
//! (`mock.rs` says what is modelled).
//!
//! ```text
//! cargo run --release --example qsd-mock -- --stdio
//!     # like qemu-storage-daemon --chardev stdio,id=m --monitor chardev=m
//! cargo run --release --example qsd-mock -- --socket PATH
//!     # like qemu-storage-daemon --chardev socket,id=m,path=PATH,server=on,wait=off --monitor chardev=m
//!     [--qemu-version X.Y.Z] [--package TEXT] [--pretty]
//! ```
//!
//! Every command of QSD 10.0.2 is there (`query-commands` and
//! `query-qmp-schema` are QSD's), validates its arguments exactly as QSD
//! does, and answers as the model does, or with `Command 'x' is not
//! implemented` (a GenericError naming the command) when the model has no
//! handler for it. The greeting and `query-version` report QSD 10.0.2 of
//! Debian unless told otherwise.

mod mock;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use qapi::server::{EventSender, Server, ServerConfig, Shutdown, bind_unix};

const USAGE: &str = "\
usage: qsd-mock (--stdio | --socket PATH) [--qemu-version X.Y.Z] [--package TEXT] [--pretty]

  --stdio               QMP on stdin/stdout
  --socket PATH         listen on a unix socket (mode 0600, removed on exit)
  --qemu-version X.Y.Z  version in the greeting and query-version (default 10.0.2)
  --package TEXT        package string (default QSD 10.0.2's Debian package)
  --pretty              pretty-print replies, like QEMU's pretty=on";

enum Listen {
    Unix(PathBuf),
    Stdio,
}

struct Args {
    listen: Listen,
    version: qapi::qmp::VersionInfo,
    pretty: bool,
}

fn parse_version(v: &str) -> Option<qapi::qmp::VersionTriple> {
    let mut it = v.split('.').map(|p| p.parse::<i64>().ok());
    let t = qapi::qmp::VersionTriple {
        major: it.next()??,
        minor: it.next()??,
        micro: it.next()??,
    };
    it.next().is_none().then_some(t)
}

fn parse_args() -> Result<Args, String> {
    let mut listen = None;
    let mut version = mock::default_version();
    let mut pretty = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |what: &str| it.next().ok_or_else(|| format!("{arg} needs {what}"));
        match arg.as_str() {
            "--stdio" => listen = Some(Listen::Stdio),
            "--socket" => listen = Some(Listen::Unix(PathBuf::from(value("a path")?))),
            "--qemu-version" => {
                let v = value("X.Y.Z")?;
                version.qemu =
                    parse_version(&v).ok_or_else(|| format!("--qemu-version {v}: not X.Y.Z"))?;
            }
            "--package" => version.package = value("a string")?,
            "--pretty" => pretty = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let listen = listen.ok_or("give --stdio or --socket PATH")?;
    Ok(Args {
        listen,
        version,
        pretty,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("qsd-mock: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let monitor = match &args.listen {
        Listen::Stdio => mock::Monitor::Stdio,
        Listen::Unix(p) => mock::Monitor::Socket(p.display().to_string()),
    };
    let events = EventSender::new();
    let qsd = Arc::new(mock::Qsd::new(monitor, events.clone()));
    let registry = Arc::new(mock::registry(args.version.clone()));
    let config = ServerConfig::qmp().events(events).pretty(args.pretty);

    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("qsd-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.spawn(stop_on_signals(config.shutdown_token().clone()));
    let server = Server::new(registry, qsd, config);
    let result = rt.block_on(async {
        match &args.listen {
            Listen::Stdio => server.serve_stdio().await.map(drop),
            Listen::Unix(path) => {
                let listener = bind_unix(path)?;
                listener.set_nonblocking(true)?;
                let r = server
                    .serve_unix_listener(tokio::net::UnixListener::from_std(listener)?)
                    .await;
                let _ = std::fs::remove_file(path);
                r
            }
        }
    });
    let code = match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("qsd-mock: {e}");
            1
        }
    };
    // The runtime would wait for a thread blocked reading stdin.
    std::process::exit(code);
}

/// SIGINT and SIGTERM stop the daemon as `quit` does.
async fn stop_on_signals(shutdown: Shutdown) {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let sigterm = async {
        match term.as_mut() {
            Some(t) => drop(t.recv().await),
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = sigterm => {}
    }
    shutdown.shutdown();
}
