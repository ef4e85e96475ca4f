//! A small virtual-machine monitor speaking QMP: the main example.
//!
//! ```text
//! cargo run --example qmp-server                 # unix socket ./qmp-server.sock
//! cargo run --example qmp-server -- --stdio      # QMP on stdin/stdout
//! cargo run --example qmp-server -- --socket PATH | --tcp [HOST:]PORT
//!     [--name NAME] [-S] [--pretty] [--blocking]
//! ```
//!
//! `schema.rs` holds the QMP schema (types, commands, events, written
//! with `#[derive(Qapi)]`), `vm.rs` the machine's state and the command
//! handlers, this file the command line and the serving. `quit`, Ctrl-C
//! or SIGTERM stop it; the socket is removed.

mod schema;
mod vm;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use qapi::server::{EventSender, Server, ServerConfig, Shutdown, bind_unix, blocking};

const USAGE: &str = "\
usage: qmp-server [--socket PATH | --tcp [HOST:]PORT | --stdio]
                  [--name NAME] [-S] [--pretty] [--blocking]

  --socket PATH  listen on a unix socket (default ./qmp-server.sock, mode 0600)
  --tcp ADDR     listen on TCP; a bare PORT means 127.0.0.1:PORT
  --stdio        speak QMP on stdin/stdout
  --name NAME    what query-name reports
  -S             start paused (status prelaunch), like QEMU's -S
  --pretty       pretty-print replies, like QEMU's pretty=on
  --blocking     use the blocking (std threads) server instead of tokio's";

enum Listen {
    Unix(PathBuf),
    Tcp(SocketAddr),
    Stdio,
}

struct Args {
    listen: Listen,
    name: Option<String>,
    paused: bool,
    pretty: bool,
    blocking: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        listen: Listen::Unix(PathBuf::from("qmp-server.sock")),
        name: None,
        paused: false,
        pretty: false,
        blocking: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |what: &str| it.next().ok_or_else(|| format!("{arg} needs {what}"));
        match arg.as_str() {
            "--socket" => a.listen = Listen::Unix(PathBuf::from(value("a path")?)),
            "--tcp" => {
                let v = value("an address")?;
                let v = if v.contains(':') {
                    v
                } else {
                    format!("127.0.0.1:{v}")
                };
                a.listen = Listen::Tcp(v.parse().map_err(|e| format!("--tcp {v}: {e}"))?);
            }
            "--stdio" => a.listen = Listen::Stdio,
            "--name" => a.name = Some(value("a name")?),
            "-S" => a.paused = true,
            "--pretty" => a.pretty = true,
            "--blocking" => a.blocking = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("qmp-server: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let events = EventSender::new();
    let vm = Arc::new(vm::Vm::new(events.clone(), args.name.clone(), args.paused));
    let registry = Arc::new(vm::registry());
    let on_quit = Arc::clone(&vm);
    let config = ServerConfig::qmp()
        .events(events)
        .pretty(args.pretty)
        .on_quit(move || on_quit.quit());

    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("qmp-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.spawn(stop_on_signals(config.shutdown_token().clone()));
    let stdio = matches!(args.listen, Listen::Stdio);
    let result = if args.blocking {
        // Async handlers (x-sleep, system_powerdown) run on the runtime.
        let config = config.runtime(rt.handle().clone());
        serve_blocking(blocking::Server::new(registry, vm, config), &args.listen)
    } else {
        rt.block_on(serve(Server::new(registry, vm, config), &args.listen))
    };
    let code = match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qmp-server: {e}");
            ExitCode::FAILURE
        }
    };
    if stdio {
        // The runtime would wait for its thread blocked reading stdin.
        std::process::exit(if result_ok(&code) { 0 } else { 1 });
    }
    code
}

fn result_ok(code: &ExitCode) -> bool {
    *code == ExitCode::SUCCESS
}

fn how_to_connect(listen: &Listen) {
    match listen {
        Listen::Unix(p) => {
            let p = p.display();
            eprintln!("qmp-server: QMP monitor listening on {p}");
            eprintln!("  connect:  qmp-shell {p}");
            eprintln!("            socat - UNIX-CONNECT:{p}");
        }
        Listen::Tcp(a) => {
            eprintln!("qmp-server: QMP monitor listening on {a}");
            eprintln!("  connect:  qmp-shell {a}");
            eprintln!("            socat - TCP:{a}");
        }
        Listen::Stdio => return,
    }
    eprintln!(
        r#"  then:     {{"execute": "qmp_capabilities"}}, {{"execute": "query-status"}}, ..."#
    );
    eprintln!(r#"  stop:     {{"execute": "quit"}} or Ctrl-C"#);
}

async fn serve(server: Server<vm::Vm>, listen: &Listen) -> std::io::Result<()> {
    match listen {
        Listen::Unix(path) => {
            let listener = bind_unix(path)?;
            listener.set_nonblocking(true)?;
            how_to_connect(listen);
            let r = server
                .serve_unix_listener(tokio::net::UnixListener::from_std(listener)?)
                .await;
            let _ = std::fs::remove_file(path);
            r
        }
        Listen::Tcp(addr) => {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            how_to_connect(&Listen::Tcp(listener.local_addr()?));
            server.serve_tcp_listener(listener).await
        }
        Listen::Stdio => server.serve_stdio().await.map(drop),
    }
}

fn serve_blocking(server: blocking::Server<vm::Vm>, listen: &Listen) -> std::io::Result<()> {
    match listen {
        Listen::Unix(path) => {
            let listener = bind_unix(path)?;
            how_to_connect(listen);
            let r = server.serve_unix_listener(listener);
            let _ = std::fs::remove_file(path);
            r
        }
        Listen::Tcp(addr) => {
            let listener = std::net::TcpListener::bind(addr)?;
            how_to_connect(&Listen::Tcp(listener.local_addr()?));
            server.serve_tcp_listener(listener)
        }
        Listen::Stdio => server.serve_stdio().map(drop),
    }
}

/// Ctrl-C and SIGTERM stop the server as `quit` does.
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
    eprintln!("qmp-server: stopping");
    shutdown.shutdown();
}
