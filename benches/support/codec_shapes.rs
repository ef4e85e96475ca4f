//! The value shapes the codec benchmarks use (shared by `codec.rs` and
//! `instructions.rs`).

/// The same shape with plain serde derives: internally tagged enums and
/// `flatten` are serde's way to write a flat union.
pub mod plain {
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
pub struct Batch {
    pub id: i64,
    pub tags: Vec<String>,
    pub jobs: Vec<super::qsd_mini::BlockdevOptions>,
}

pub fn input() -> String {
    let mut jobs = Vec::new();
    for i in 0..8 {
        jobs.push(format!(
            r#"{{"driver": "qcow2", "node-name": "q{i}", "file": {{"driver": "file", "filename": "/var/lib/images/disk{i}.qcow2", "aio": "native"}}, "lazy-refcounts": true}}"#
        ));
        jobs.push(format!(
            r#"{{"driver": "raw", "node-name": "r{i}", "file": "q{i}", "offset": 4096}}"#
        ));
        jobs.push(format!(
            r#"{{"driver": "null-co", "node-name": "n{i}", "read-only": false, "size": 1048576}}"#
        ));
    }
    format!(
        r#"{{"id": 42, "tags": ["a", "b", "c"], "jobs": [{}]}}"#,
        jobs.join(", ")
    )
}

/// A small command request.
pub const SMALL: &[u8] =
    br#"{"execute": "block-job-cancel", "arguments": {"device": "job0", "force": true}, "id": 7}"#;

/// A request with nested arguments (a flat union with an alternate).
pub const NESTED: &[u8] = br#"{"execute": "blockdev-add", "arguments": {"driver": "qcow2", "node-name": "disk0", "file": {"driver": "file", "filename": "/var/lib/images/disk0.qcow2", "aio": "native"}, "backing": null, "lazy-refcounts": true}, "id": 8}"#;
