//! Workloads for instruction counting under callgrind
//! (`scripts/instructions.sh`): wall-clock time is too noisy on shared
//! machines, instruction counts are not.
//!
//! `cargo bench --bench instructions -- WORKLOAD N` runs WORKLOAD N times.

use std::hint::black_box;
use std::sync::Arc;

use qapi::json::WriteOptions;
use qapi::{Dispatched, Registry, Session};

#[path = "../tests/common/qsd_mini.rs"]
mod qsd_mini;

#[path = "support/codec_shapes.rs"]
mod shapes;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` passes `--bench`; skip flags.
    let rest: Vec<&str> = args
        .iter()
        .skip(1)
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (Some(work), Some(n)) = (
        rest.first(),
        rest.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!(
            "usage: instructions WORKLOAD N (decode-qapi, decode-serde, encode-qapi, encode-serde, dispatch-small, dispatch-nested)"
        );
        return;
    };
    let text = shapes::input();
    let ours: shapes::Batch = qapi::from_str(&text).unwrap();
    let theirs: shapes::plain::Batch = serde_json::from_str(&text).unwrap();
    let mut reg = Registry::<()>::new();
    reg.command::<qsd_mini::BlockJobCancel, _>(|_, _| Ok(qapi::Empty));
    reg.command::<qsd_mini::BlockdevAdd, _>(|_, _| Ok(qapi::Empty));
    let state = Arc::new(());
    let mut session = Session::qmp(true);
    session.negotiated = true;
    let mut out = Vec::new();
    // As a server connection does: one reader for the whole stream.
    let mut reader = qapi::json::JsonStreamer::new();
    let mut dispatch = |line: &[u8]| {
        reader.feed(line);
        let v = reader.pop().unwrap().unwrap();
        out.clear();
        if let Dispatched::Reply(r) = reg.dispatch(&state, &mut session, v) {
            r.write(&mut out, &WriteOptions::QEMU);
        }
        black_box(&out);
    };
    for _ in 0..n {
        match *work {
            "decode-qapi" => drop(black_box(
                qapi::from_str::<shapes::Batch>(black_box(&text)).unwrap(),
            )),
            "decode-serde" => drop(black_box(
                serde_json::from_str::<shapes::plain::Batch>(black_box(&text)).unwrap(),
            )),
            "encode-qapi" => drop(black_box(serde_json::to_vec(black_box(&ours)).unwrap())),
            "encode-serde" => drop(black_box(serde_json::to_vec(black_box(&theirs)).unwrap())),
            "dispatch-small" => dispatch(shapes::SMALL),
            "dispatch-nested" => dispatch(shapes::NESTED),
            other => {
                eprintln!("unknown workload {other}");
                return;
            }
        }
    }
}
