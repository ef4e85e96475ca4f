//! In-process dispatch: parse a request line, dispatch it, encode the
//! reply line, for a small command and for a command with nested
//! arguments (a flat union with an alternate inside).
//!
//! Run: `cargo bench --bench dispatch`. Target: at least 1M small
//! commands per second per core (under 1 µs each).

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qapi::json::{JsonStreamer, WriteOptions};
use qapi::{Dispatched, Registry, Session};
use std::hint::black_box;

#[path = "../tests/common/qsd_mini.rs"]
mod qsd_mini;

#[path = "support/codec_shapes.rs"]
#[allow(dead_code)]
mod shapes;

fn registry() -> Registry<()> {
    let mut r = Registry::<()>::new();
    r.command::<qsd_mini::BlockJobCancel, _>(|_, _| Ok(qapi::Empty));
    r.command::<qsd_mini::BlockdevAdd, _>(|_, _| Ok(qapi::Empty));
    r
}

/// One request as a server connection handles it: its bytes go to the
/// connection's reader, the value read is dispatched, and the response
/// is written to a buffer.
fn round_trip(
    r: &Registry<()>,
    state: &Arc<()>,
    session: &mut Session,
    reader: &mut JsonStreamer,
    line: &[u8],
    out: &mut Vec<u8>,
) {
    reader.feed(line);
    let v = reader.pop().unwrap().unwrap();
    out.clear();
    if let Dispatched::Reply(resp) = r.dispatch(state, session, v) {
        resp.write(out, &WriteOptions::QEMU);
    }
}

fn bench(c: &mut Criterion) {
    let r = registry();
    let state = Arc::new(());
    let mut session = Session::qmp(true);
    session.negotiated = true;
    let mut out = Vec::new();
    let mut reader = JsonStreamer::new();

    let small = shapes::SMALL;
    let nested = shapes::NESTED;
    let bad = br#"{"execute": "block-job-cancel", "arguments": {"device": 5}, "id": 9}"#;
    round_trip(&r, &state, &mut session, &mut reader, small, &mut out);
    assert_eq!(out, br#"{"return": {}, "id": 7}"#);
    round_trip(&r, &state, &mut session, &mut reader, nested, &mut out);
    assert_eq!(out, br#"{"return": {}, "id": 8}"#);

    let mut g = c.benchmark_group("dispatch");
    g.throughput(Throughput::Elements(1));
    for (name, line) in [
        ("small", small),
        ("nested", nested),
        ("invalid-args", &bad[..]),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                round_trip(
                    &r,
                    &state,
                    &mut session,
                    &mut reader,
                    black_box(line),
                    &mut out,
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
