//! `qmp-bench`: measures a QMP endpoint, or two side by side.
//!
//! ```text
//! cargo run --release --example qmp-bench -- [OPTIONS] TARGET [TARGET]
//!
//! TARGET is a unix socket path, or `cmd:PROGRAM ARGS...` to spawn a
//! server that speaks QMP on its stdin/stdout, e.g.
//!   cmd:qemu-storage-daemon --chardev stdio,id=m --monitor chardev=m
//!   cmd:target/release/examples/qsd-mock --stdio
//!
//! OPTIONS
//!   --runs N        repetitions of each metric (median reported; default 5)
//!   --count N       round trips per sequential/pipelined run (default 2000)
//!   --window N      requests in flight when pipelining (default 8)
//!   --bad JSON      the failing argument-bearing request (default:
//!                   {"execute":"query-version","arguments":{"x":1}}, which
//!                   every QMP server rejects: Parameter 'x' is unexpected)
//! ```
//!
//! Metrics: sequential `query-version` round trips/s; pipelined round
//! trips/s; time to receive the whole `query-qmp-schema` reply;
//! round trips/s of a request that fails argument validation; connect +
//! negotiate latency. With two targets each metric runs alternately on
//! both, in the same invocation, and the ratio (second ÷ first for
//! rates, first ÷ second for times, so > 1 means the second is faster)
//! is printed.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Options {
    runs: usize,
    count: usize,
    window: usize,
    bad: String,
    targets: Vec<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        runs: 5,
        count: 2000,
        window: 8,
        bad: r#"{"execute":"query-version","arguments":{"x":1}}"#.to_owned(),
        targets: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> Result<usize, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match a.as_str() {
            "--runs" => o.runs = num("--runs")?.max(1),
            "--count" => o.count = num("--count")?.max(1),
            "--window" => o.window = num("--window")?.max(1),
            "--bad" => o.bad = args.next().ok_or("--bad needs a request")?,
            "-h" | "--help" => return Err(String::new()),
            _ if a.starts_with("--") => return Err(format!("unknown option {a}")),
            _ => o.targets.push(a),
        }
    }
    if o.targets.is_empty() || o.targets.len() > 2 {
        return Err("give one or two targets".into());
    }
    Ok(o)
}

/// A QMP connection: a unix socket or a child's stdio.
struct Conn {
    target: String,
    stream: Option<UnixStream>,
    reader: BufReader<Box<dyn Read>>,
    writer: Box<dyn Write>,
    child: Option<Child>,
    line: Vec<u8>,
}

impl Conn {
    fn open(target: &str) -> std::io::Result<Conn> {
        if let Some(cmd) = target.strip_prefix("cmd:") {
            let mut words = cmd.split_whitespace();
            let prog = words.next().unwrap_or_default();
            let mut child = Command::new(prog)
                .args(words)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()?;
            let stdout = child.stdout.take().expect("piped");
            let stdin = child.stdin.take().expect("piped");
            Ok(Conn {
                target: target.to_owned(),
                stream: None,
                reader: BufReader::with_capacity(1 << 18, Box::new(stdout)),
                writer: Box::new(stdin),
                child: Some(child),
                line: Vec::new(),
            })
        } else {
            let s = UnixStream::connect(target)?;
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            Ok(Conn {
                target: target.to_owned(),
                stream: Some(s.try_clone()?),
                reader: BufReader::with_capacity(1 << 18, Box::new(s.try_clone()?)),
                writer: Box::new(s),
                child: None,
                line: Vec::new(),
            })
        }
    }

    /// Reads one reply line, skipping events. Returns its length.
    fn read_reply(&mut self) -> std::io::Result<usize> {
        loop {
            self.line.clear();
            let n = self.reader.read_until(b'\n', &mut self.line)?;
            if n == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "server closed",
                ));
            }
            if !self.line.starts_with(b"{\"timestamp\"") {
                return Ok(n);
            }
        }
    }

    /// Shuts a socket connection down (both directions).
    fn close(&mut self) -> std::io::Result<()> {
        match &self.stream {
            Some(s) => s.shutdown(std::net::Shutdown::Both),
            None => Ok(()),
        }
    }

    fn send(&mut self, req: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(req)?;
        self.writer.write_all(b"\n")?;
        self.writer.flush()
    }

    fn connect_and_negotiate(target: &str) -> std::io::Result<Conn> {
        let mut c = Conn::open(target)?;
        c.read_reply()?; // greeting
        c.send(br#"{"execute":"qmp_capabilities"}"#)?;
        c.read_reply()?;
        Ok(c)
    }
}

impl Drop for Conn {
    /// A spawned server is told to quit (and killed if it does not); a
    /// socket connection is just closed.
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = self.send(br#"{"execute":"quit"}"#);
            let deadline = Instant::now() + Duration::from_secs(2);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[derive(Clone, Copy)]
enum Unit {
    PerSecond,
    Millis,
}

struct Metric {
    name: &'static str,
    unit: Unit,
    run: fn(&Options, &mut Conn, &str) -> std::io::Result<f64>,
    /// Needs a fresh connection per measurement (it measures connecting).
    fresh: bool,
}

fn sequential(o: &Options, c: &mut Conn, _: &str) -> std::io::Result<f64> {
    let start = Instant::now();
    for _ in 0..o.count {
        c.send(br#"{"execute":"query-version"}"#)?;
        c.read_reply()?;
    }
    Ok(o.count as f64 / start.elapsed().as_secs_f64())
}

fn pipelined(o: &Options, c: &mut Conn, _: &str) -> std::io::Result<f64> {
    let start = Instant::now();
    let mut sent = 0;
    let mut got = 0;
    while got < o.count {
        while sent < o.count && sent - got < o.window {
            c.send(br#"{"execute":"query-version"}"#)?;
            sent += 1;
        }
        c.read_reply()?;
        got += 1;
    }
    Ok(o.count as f64 / start.elapsed().as_secs_f64())
}

fn schema(_: &Options, c: &mut Conn, _: &str) -> std::io::Result<f64> {
    let start = Instant::now();
    c.send(br#"{"execute":"query-qmp-schema"}"#)?;
    let n = c.read_reply()?;
    if n < 1000 {
        return Err(std::io::Error::other(
            "query-qmp-schema reply is suspiciously short",
        ));
    }
    Ok(start.elapsed().as_secs_f64() * 1000.0)
}

fn invalid(o: &Options, c: &mut Conn, _: &str) -> std::io::Result<f64> {
    let start = Instant::now();
    for _ in 0..o.count {
        c.send(o.bad.as_bytes())?;
        c.read_reply()?;
        if !c.line.windows(8).any(|w| w == b"\"error\":") {
            return Err(std::io::Error::other("the --bad request did not fail"));
        }
    }
    Ok(o.count as f64 / start.elapsed().as_secs_f64())
}

fn connect(_: &Options, c: &mut Conn, _: &str) -> std::io::Result<f64> {
    // `c` was opened just now by the caller; measure a second, timed one
    // after closing it.
    let target = c.target.clone();
    let _ = c.close();
    let start = Instant::now();
    let mut fresh = Conn::connect_and_negotiate(&target)?;
    let t = start.elapsed().as_secs_f64() * 1000.0;
    std::mem::swap(c, &mut fresh);
    Ok(t)
}

const METRICS: &[Metric] = &[
    Metric {
        name: "sequential query-version",
        unit: Unit::PerSecond,
        run: sequential,
        fresh: false,
    },
    Metric {
        name: "pipelined query-version",
        unit: Unit::PerSecond,
        run: pipelined,
        fresh: false,
    },
    Metric {
        name: "query-qmp-schema reply",
        unit: Unit::Millis,
        run: schema,
        fresh: false,
    },
    Metric {
        name: "invalid arguments",
        unit: Unit::PerSecond,
        run: invalid,
        fresh: false,
    },
    Metric {
        name: "connect + negotiate",
        unit: Unit::Millis,
        run: connect,
        fresh: true,
    },
];

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn fmt(v: f64, unit: Unit) -> String {
    match unit {
        Unit::PerSecond => format!("{v:>12.0} /s"),
        Unit::Millis => format!("{v:>12.3} ms"),
    }
}

fn main() {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("qmp-bench: {e}");
            }
            eprintln!(
                "usage: qmp-bench [--runs N] [--count N] [--window N] [--bad JSON] TARGET [TARGET]"
            );
            std::process::exit(2);
        }
    };
    // A connection per target, reused by the metrics that do not measure
    // connecting. Targets spawned with cmd: use one process each.
    let open = |t: &str| match Conn::connect_and_negotiate(t) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("qmp-bench: cannot connect to {t}: {e}");
            std::process::exit(1);
        }
    };
    let mut conns: Vec<Option<Conn>> = o.targets.iter().map(|t| Some(open(t))).collect();
    println!("runs: {}, count: {}, window: {}", o.runs, o.count, o.window);
    for (i, t) in o.targets.iter().enumerate() {
        println!("target {}: {t}", i + 1);
    }
    for m in METRICS {
        let mut results = vec![Vec::new(); o.targets.len()];
        for _ in 0..o.runs {
            // Alternate targets within each repetition.
            for (i, t) in o.targets.iter().enumerate() {
                if m.fresh {
                    if t.starts_with("cmd:") {
                        // Spawning a process is not what connect latency means.
                        continue;
                    }
                    // Servers such as QEMU's serve one monitor client at
                    // a time: close ours while measuring a new one.
                    conns[i] = None;
                }
                let conn = conns[i].get_or_insert_with(|| open(t));
                match (m.run)(&o, conn, t) {
                    Ok(v) => results[i].push(v),
                    Err(e) => {
                        eprintln!("qmp-bench: {} on target {}: {e}", m.name, i + 1);
                        std::process::exit(1);
                    }
                }
            }
        }
        let medians: Vec<Option<f64>> = results
            .into_iter()
            .map(|r| (!r.is_empty()).then(|| median(r)))
            .collect();
        let mut line = format!("{:<26}", m.name);
        for v in &medians {
            match v {
                Some(v) => line.push_str(&fmt(*v, m.unit)),
                None => line.push_str(&format!("{:>15}", "n/a")),
            }
        }
        if let [Some(a), Some(b)] = medians[..] {
            let ratio = match m.unit {
                Unit::PerSecond => b / a,
                Unit::Millis => a / b,
            };
            line.push_str(&format!("   ratio {ratio:.2}x"));
        }
        println!("{line}");
    }
}
