//! The fuzz targets run briefly in CI: every seed of `fuzz/corpus/<target>/`
//! and every regression input of `fuzz/regressions/<target>/` goes through
//! the same target function the fuzzer runs (`fuzz/src/targets.rs`,
//! included here). Inputs named `open-*` reproduce findings not fixed
//! yet; they are skipped here and run by the `#[ignore]`d tests of
//! `tests/regressions_*.rs`. See FUZZING.md.

#[allow(dead_code, unused_imports, clippy::all)]
#[path = "../fuzz/src/targets.rs"]
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files of a directory, sorted by name (none if it is absent).
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// Runs every seed and regression input of `target` through `f`;
/// reports every input that panics. Stops starting new inputs after
/// `budget` (the corpora are small: this only guards slow machines).
fn replay(target: &str, f: fn(&[u8]), budget: Duration) -> usize {
    let mut inputs = files(&root().join("fuzz/corpus").join(target));
    inputs.extend(
        files(&root().join("fuzz/regressions").join(target))
            .into_iter()
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("open-"))
            }),
    );
    assert!(!inputs.is_empty(), "no seeds for {target}");
    let start = Instant::now();
    let mut failed = Vec::new();
    let mut n = 0;
    for p in &inputs {
        if start.elapsed() > budget {
            eprintln!(
                "{target}: time budget spent after {n} of {} inputs",
                inputs.len()
            );
            break;
        }
        let data = std::fs::read(p).expect("read seed");
        if catch_unwind(AssertUnwindSafe(|| f(&data))).is_err() {
            failed.push(p.strip_prefix(root()).unwrap_or(p).display().to_string());
        }
        n += 1;
    }
    assert!(
        failed.is_empty(),
        "{target}: {} inputs fail: {failed:#?}",
        failed.len()
    );
    n
}

const BUDGET: Duration = Duration::from_secs(20);

#[test]
fn json_stream_corpus() {
    replay("json_stream", targets::json_stream, BUDGET);
}

#[test]
fn decode_corpus() {
    replay("decode", targets::decode, BUDGET);
}

#[test]
fn dispatch_corpus() {
    replay("dispatch", targets::dispatch, BUDGET);
}

#[test]
fn schema_corpus() {
    replay("schema", targets::schema, BUDGET);
}

#[test]
fn session_corpus() {
    replay("session", targets::session, BUDGET);
}

/// Every decode seed names an entry of the decoder table (the seeds are
/// `<entry>\n<JSON>`), so that seeds keep meaning what they were made for.
#[test]
fn decode_seeds_name_table_entries() {
    let table = targets::decoders();
    for p in files(&root().join("fuzz/corpus/decode")) {
        let data = std::fs::read(&p).expect("read seed");
        let name = data.split(|&b| b == b'\n').next().unwrap_or_default();
        let name = String::from_utf8_lossy(name);
        assert!(
            table.iter().any(|(n, _)| *n == name),
            "{}: no decoder entry {name:?}",
            p.display()
        );
    }
}

/// Every session seed names a server configuration (`<config>\n<bytes>`).
#[test]
fn session_seeds_name_configs() {
    let configs = targets::session_configs();
    for p in files(&root().join("fuzz/corpus/session")) {
        let data = std::fs::read(&p).expect("read seed");
        let name = data.split(|&b| b == b'\n').next().unwrap_or_default();
        let name = String::from_utf8_lossy(name);
        assert!(
            configs.iter().any(|(n, _)| *n == name),
            "{}: no configuration {name:?}",
            p.display()
        );
    }
}
