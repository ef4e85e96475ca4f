//! Decoding and encoding of a realistic nested value (a list of
//! `blockdev-add`-like unions with nested alternates) with the derives,
//! against plain serde-derived types of the same shape.
//!
//! Run: `cargo bench --bench codec`. The ratios are what matters: both
//! sides parse the same JSON text and write the same JSON text.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "../tests/common/qsd_mini.rs"]
mod qsd_mini;

#[path = "support/codec_shapes.rs"]
#[allow(dead_code)]
mod shapes;
use shapes::{Batch, input, plain};

fn bench(c: &mut Criterion) {
    let text = input();
    let ours: Batch = qapi::from_str(&text).unwrap();
    let theirs: plain::Batch = serde_json::from_str(&text).unwrap();
    assert_eq!(
        serde_json::to_value(&ours).unwrap(),
        serde_json::to_value(&theirs).unwrap()
    );

    let mut g = c.benchmark_group("decode");
    g.bench_function("qapi", |b| {
        b.iter(|| qapi::from_str::<Batch>(black_box(&text)).unwrap())
    });
    g.bench_function("serde", |b| {
        b.iter(|| serde_json::from_str::<plain::Batch>(black_box(&text)).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("encode");
    g.bench_function("qapi", |b| {
        b.iter(|| serde_json::to_vec(black_box(&ours)).unwrap())
    });
    g.bench_function("serde", |b| {
        b.iter(|| serde_json::to_vec(black_box(&theirs)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
