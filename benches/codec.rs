//! Decoding and encoding of a realistic nested value (a list of
//! `blockdev-add`-like unions with nested alternates) with the derives,
//! against plain serde-derived types of the same shape.
//!
//! Run: `cargo bench --bench codec`. The ratios are what matters: both
//! sides parse the same JSON text and write the same JSON text.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "../tests/common/qsd_mini.rs"]
#[allow(dead_code)]
mod qsd_mini;

/// The same shape with plain serde derives: internally tagged enums and
/// `flatten` are serde's way to write a flat union.
mod plain {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case", deny_unknown_fields)]
    pub struct Batch {
        pub id: i64,
        pub tags: Vec<String>,
        pub jobs: Vec<BlockdevOptions>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub struct BlockdevOptions {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub node_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_only: Option<bool>,
        #[serde(flatten)]
        pub driver: Branch,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(tag = "driver", rename_all = "kebab-case")]
    pub enum Branch {
        File(File),
        NullCo(Null),
        Qcow2(Qcow2),
        Raw(Raw),
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub struct File {
        pub filename: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub aio: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub struct Null {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub size: Option<i64>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub struct Qcow2 {
        pub file: Ref,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub lazy_refcounts: Option<bool>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub struct Raw {
        pub file: Ref,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub offset: Option<i64>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    pub enum Ref {
        Definition(Box<BlockdevOptions>),
        Reference(String),
    }
}

#[derive(Debug, qapi::Qapi)]
#[qapi(struct)]
struct Batch {
    id: i64,
    tags: Vec<String>,
    jobs: Vec<qsd_mini::BlockdevOptions>,
}

fn input() -> String {
    let mut jobs = Vec::new();
    for i in 0..8 {
        jobs.push(format!(
            r#"{{"driver": "qcow2", "node-name": "q{i}", "file": {{"driver": "file", "filename": "/var/lib/images/disk{i}.qcow2", "aio": "native"}}, "lazy-refcounts": true}}"#
        ));
        jobs.push(format!(r#"{{"driver": "raw", "node-name": "r{i}", "file": "q{i}", "offset": 4096}}"#));
        jobs.push(format!(r#"{{"driver": "null-co", "node-name": "n{i}", "read-only": false, "size": 1048576}}"#));
    }
    format!(r#"{{"id": 42, "tags": ["a", "b", "c"], "jobs": [{}]}}"#, jobs.join(", "))
}

fn bench(c: &mut Criterion) {
    let text = input();
    let ours: Batch = qapi::from_str(&text).unwrap();
    let theirs: plain::Batch = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_value(&ours).unwrap(), serde_json::to_value(&theirs).unwrap());

    let mut g = c.benchmark_group("decode");
    g.bench_function("qapi", |b| b.iter(|| qapi::from_str::<Batch>(black_box(&text)).unwrap()));
    g.bench_function("serde", |b| {
        b.iter(|| serde_json::from_str::<plain::Batch>(black_box(&text)).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("encode");
    g.bench_function("qapi", |b| b.iter(|| serde_json::to_vec(black_box(&ours)).unwrap()));
    g.bench_function("serde", |b| b.iter(|| serde_json::to_vec(black_box(&theirs)).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
