//! Introspection of the full QMP port (QEMU 10.0.2's QMP schema written
//! with the derives; `qapi-schema`'s `qemu-qmp` feature): building the
//! registry, describing every type, computing `query-qmp-schema`, writing
//! it as QEMU's wire text, and answering `query-qmp-schema` from the
//! registry's cache (what a server does for every request after the
//! first).
//!
//! Run: `cargo bench --bench introspect`. The wire comparison with
//! qemu-storage-daemon (7-11 ms for its 117 KB reply) is `qmp-bench`'s
//! `schema` metric (BENCHMARKS.md).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use qapi::json::WriteOptions;
use qapi::{Dispatched, Registry, Session};
use qapi_schema::ports::qmp;

fn query_qmp_schema(r: &Registry<()>, state: &Arc<()>, session: &mut Session, out: &mut Vec<u8>) {
    let v = qapi::json::parse_one(br#"{"execute": "query-qmp-schema", "id": 1}"#).unwrap();
    out.clear();
    if let Dispatched::Reply(resp) = r.dispatch(state, session, v) {
        resp.write(out, &WriteOptions::QEMU);
    }
}

fn bench(c: &mut Criterion) {
    let r = qmp::registry::<()>();
    let intro = r.introspect(false);
    let entities = intro.entries.len();
    let wire = qapi::json::value_to_vec(&intro.to_value(), &WriteOptions::QEMU);
    assert!(
        entities > 1000,
        "the full QMP port has over 1000 entities, got {entities}"
    );
    println!(
        "QMP port: {entities} entities, {} bytes of QEMU wire text",
        wire.len()
    );

    let state = Arc::new(());
    let mut session = Session::qmp(true);
    session.negotiated = true;
    let mut out = Vec::new();
    query_qmp_schema(&r, &state, &mut session, &mut out);
    assert!(
        out.starts_with(br#"{"return": [{"#),
        "{}",
        String::from_utf8_lossy(&out[..80])
    );
    assert!(out.len() > wire.len());

    let mut g = c.benchmark_group("introspect-qmp");
    g.sample_size(20);
    g.bench_function("registry", |b| b.iter(|| black_box(qmp::registry::<()>())));
    g.bench_function("schema", |b| b.iter(|| black_box(r.schema())));
    g.bench_function("introspect", |b| b.iter(|| black_box(r.introspect(false))));
    g.bench_function("to-wire", |b| {
        b.iter(|| qapi::json::value_to_vec(&black_box(&intro).to_value(), &WriteOptions::QEMU))
    });
    g.bench_function("cold-reply", |b| {
        b.iter(|| {
            let intro = r.introspect(false);
            qapi::json::value_to_vec(&intro.to_value(), &WriteOptions::QEMU)
        })
    });
    g.bench_function("cached-reply", |b| {
        b.iter(|| query_qmp_schema(&r, &state, &mut session, &mut out))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
