//! Differential test of the reader against a live qemu-storage-daemon
//! 10.0 (skipped when the binary is not installed or is another version).
//!
//! Generated inputs (valid requests, mutated requests, token soup with
//! control bytes, bad UTF-8, bad escapes…) are sent to QSD's stdio
//! monitor; each case is followed by `\n\x01\n` (which ends any pending
//! token or message with a lexical error) and a `query-version` marker
//! request. Every line QSD sends must be predicted: parse errors and
//! `query-version` replies byte for byte, other requests by kind.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use qapi_core::json::{JsonStreamer, WriteOptions, parse_one, value_to_string};
use qapi_core::{Map, Value};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SEEDS: &[&[u8]] = &[
    br#"{"execute":"query-version","id":1}"#,
    br#"{"execute":"query-version","id":"a\u00e9\ud83d\ude00\n\"\\/\b\f\r\t\u0000"}"#,
    br#"{'execute':'query-version','id':'it\'s'}"#,
    br#"{"execute":"query-version","id":[1,-2,3.5e-3,1E400,-0,-0.0,18446744073709551616,9223372036854775808,true,false,null,{},[]]}"#,
    br#"{"execute":"query-version","id":{"micro":1,"minor":2,"major":3,"a":{"b":[{"c":"d"}]}}}"#,
    b"{\"execute\":\"query-version\",\"id\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x7f\"}",
    br#"[1,2,{"a":"b"}]"#,
    br#""str""#,
    b"42",
    b"null",
    b"0.1",
];

const VOCAB: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b" ",
    b"\n",
    b"\t",
    b"\r",
    b"\"",
    b"'",
    b"\\",
    b"\\u",
    b"\\ud800",
    b"\\udc00",
    b"\\uD83D\\uDE00",
    b"0",
    b"01",
    b"-",
    b"-0",
    b"1.",
    b"1.5",
    b"1e",
    b"1e+",
    b"1e5",
    b".5",
    b"12345678901234567890",
    b"true",
    b"tru",
    b"null",
    b"nul",
    b"TRUE",
    b"x",
    b"\x00",
    b"\x01",
    b"\x1f",
    b"\x7f",
    b"\xc3",
    b"\xa9",
    b"\xc3\xa9",
    b"\xef\xbf\xbf",
    b"\xed\xa0\x80",
    b"\xc0\x80",
    b"\xfe",
    b"\xff",
    b"%",
    b"@",
    b"\"execute\"",
    b"\"query-version\"",
    b"\"id\"",
    b"'id'",
    b"\"a\"",
    b"\"a\\u0041\"",
];

fn gen_case(rng: &mut Rng) -> Vec<u8> {
    let r = rng.below(100);
    if r < 15 {
        return SEEDS[rng.below(SEEDS.len())].to_vec();
    }
    if r < 60 {
        let mut b = SEEDS[rng.below(SEEDS.len())].to_vec();
        for _ in 0..1 + rng.below(4) {
            if b.is_empty() {
                break;
            }
            let p = rng.below(b.len());
            match rng.below(5) {
                0 => b[p] = rng.next() as u8,
                1 => {
                    b.remove(p);
                }
                2 => {
                    let v = VOCAB[rng.below(VOCAB.len())];
                    b.splice(p..p, v.iter().copied());
                }
                3 => {
                    let q = rng.below(b.len());
                    let (lo, hi) = (p.min(q), p.max(q).min(p.min(q) + 50));
                    let dup = b[lo..hi].to_vec();
                    b.splice(p..p, dup);
                }
                _ => {
                    let end = (p + 1 + rng.below(5)).min(b.len());
                    b.drain(p..end);
                }
            }
        }
        return b;
    }
    let n = 1 + rng.below(25);
    (0..n)
        .flat_map(|_| VOCAB[rng.below(VOCAB.len())].iter().copied())
        .collect()
}

fn error_line(desc: &str) -> String {
    let mut e = Map::new();
    e.insert("class", "GenericError");
    e.insert("desc", desc);
    let mut m = Map::new();
    m.insert("error", e);
    value_to_string(&Value::Object(m), &WriteOptions::QEMU)
}

#[test]
fn reader_matches_live_qemu_storage_daemon() {
    let bin = std::env::var("QAPI_QSD").unwrap_or_else(|_| "qemu-storage-daemon".to_owned());
    let child = Command::new(&bin)
        .args(["--chardev", "stdio,id=m", "--monitor", "chardev=m"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        println!("skipped: {bin} not available");
        return;
    };
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // Kill the daemon if it stops answering.
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if done_rx.recv_timeout(Duration::from_secs(120)).is_err() {
            let _ = child.kill();
        }
        let _ = child.wait();
    });
    let mut read_line = move || {
        let mut l = String::new();
        stdout
            .read_line(&mut l)
            .expect("read from qemu-storage-daemon");
        assert!(!l.is_empty(), "qemu-storage-daemon closed its output");
        l.trim_end_matches("\r\n").to_owned()
    };

    let greeting_line = read_line();
    let greeting = parse_one(greeting_line.as_bytes()).unwrap();
    let is_10_0 = greeting
        .as_object()
        .and_then(|g| g.get("QMP"))
        .and_then(Value::as_object)
        .and_then(|q| q.get("version"))
        .and_then(Value::as_object)
        .and_then(|v| v.get("qemu"))
        .and_then(Value::as_object)
        .is_some_and(|t| {
            (t.get("major"), t.get("minor")) == (Some(&Value::Int(10)), Some(&Value::Int(0)))
        });
    if !is_10_0 {
        println!("skipped: {bin} is not QEMU 10.0");
        let _ = stdin.write_all(b"{\"execute\":\"quit\"}\n");
        drop(stdin);
        let _ = done_tx.send(());
        watchdog.join().unwrap();
        return;
    }
    // `query-version` returns the greeting's version object, as sent.
    let version_text = greeting_line
        .strip_prefix(r#"{"QMP": {"version": "#)
        .and_then(|r| r.split_once(r#", "capabilities""#))
        .map(|(v, _)| v.to_owned())
        .expect("greeting layout");
    stdin
        .write_all(b"{\"execute\":\"qmp_capabilities\"}\n")
        .unwrap();
    assert_eq!(read_line(), r#"{"return": {}}"#);

    let mut reader = JsonStreamer::new();
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    let (mut exact, mut by_kind) = (0, 0);
    for i in 0..2000 {
        let mut case = gen_case(&mut rng);
        if case.windows(4).any(|w| w == b"quit") {
            continue;
        }
        case.extend_from_slice(
            format!("\n\x01\n{{\"execute\":\"query-version\",\"id\":\"SYNC-{i}\"}}\n").as_bytes(),
        );
        stdin.write_all(&case).unwrap();
        stdin.flush().unwrap();
        let marker = format!("\"SYNC-{i}\"");
        let mut lines = Vec::new();
        loop {
            let l = read_line();
            let last = l.contains(&marker);
            lines.push(l);
            if last {
                break;
            }
        }
        reader.feed(&case);
        let items: Vec<_> = reader.drain().collect();
        let shown = String::from_utf8_lossy(&case).into_owned();
        assert_eq!(
            items.len(),
            lines.len(),
            "case {i}: {shown:?}\nqsd: {lines:#?}\nours: {items:?}"
        );
        for (item, line) in items.iter().zip(&lines) {
            let want = match item {
                Err(e) => Some(error_line(e.desc())),
                Ok(Value::Object(m)) => {
                    let simple = m.get("execute") == Some(&Value::from("query-version"))
                        && m.keys().all(|k| k == "execute" || k == "id");
                    simple.then(|| match m.get("id") {
                        Some(id) => format!(
                            r#"{{"return": {version_text}, "id": {}}}"#,
                            value_to_string(id, &WriteOptions::QEMU)
                        ),
                        None => format!(r#"{{"return": {version_text}}}"#),
                    })
                }
                Ok(_) => Some(error_line("QMP input must be a JSON object")),
            };
            match want {
                Some(w) => {
                    assert_eq!(&w, line, "case {i}: {shown:?}");
                    exact += 1;
                }
                None => {
                    assert!(
                        !line.contains(r#""desc": "JSON "#)
                            && !line.contains("must be a JSON object"),
                        "case {i}: {shown:?}: {line}"
                    );
                    by_kind += 1;
                }
            }
        }
    }
    stdin.write_all(b"{\"execute\":\"quit\"}\n").unwrap();
    drop(stdin);
    let _ = done_tx.send(());
    watchdog.join().unwrap();
    println!("{exact} replies matched byte for byte, {by_kind} by kind");
    assert!(exact > 5000);
}
