//! Problems the hostile-client work found outside the server, each as a
//! minimal failing test, `#[ignore]`d until fixed where it lives
//! (`cargo test --test hostile_findings -- --ignored` shows them), and
//! kept as a regression test once fixed.

use std::process::Command;

/// Runs this test binary again for test `name` with `QAPI_FINDING_CHILD`
/// set, so that a crash (a stack overflow aborts the process) becomes a
/// test failure; returns whether the child succeeded, and its stderr.
fn child(name: &str) -> (bool, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--include-ignored", "--nocapture"])
        .env("QAPI_FINDING_CHILD", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 passed") || !out.status.success(),
        "the child ran no test:\n{stdout}"
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Found: `impl From<qapi::Value> for serde_json::Value`
/// (qapi-core/src/value.rs) recursed once per level, through `collect`
/// and iterator adapters: in a debug build some 2 KiB of stack per level,
/// so an `any` member nested 1000 levels deep (QEMU's limit is 1024, the
/// JSON reader accepts it) overflowed the 2 MiB stack of a spawned
/// thread or a tokio worker and aborted the whole process. Decoding
/// `any` as `serde_json::Value` goes through it (`builtins.rs`). Fixed
/// in 9c444af (the conversion is iterative); kept as a regression test.
///
/// The servers also dispatch requests nested more than 64 levels deep on
/// a thread with a 64 MiB stack (server/proto.rs, `on_stack`), for the
/// other recursive paths (typed decoding, handlers).
#[test]
fn deep_any_to_serde_json_on_a_2_mib_stack() {
    if std::env::var_os("QAPI_FINDING_CHILD").is_some() {
        let depth = 1000;
        let text = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        let decoded = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || qapi::from_str::<serde_json::Value>(&text).is_ok())
            .unwrap()
            .join()
            .unwrap();
        assert!(decoded);
        return;
    }
    let (ok, stderr) = child("deep_any_to_serde_json_on_a_2_mib_stack");
    assert!(ok, "decoding a 1000-deep `any` crashed:\n{stderr}");
}

/// A recursive QAPI type (QEMU has them: `BlockdevRef` in
/// `BlockdevOptions`) is decoded by the derived decoder with one or more
/// stack frames per level; in a debug build a value 1000 levels deep
/// (within QEMU's limit of 1024) overflows a 2 MiB thread stack and
/// aborts the process (800 levels still fit). Where: the decoding code
/// `#[derive(Qapi)]` generates for structs (qapi-derive) and
/// `Decoder::member`/`ObjectInput` (qapi-core/src/decode.rs).
/// Serializing the same value back fits.
///
/// The servers are not affected: requests nested more than 64 levels are
/// dispatched on a 64 MiB stack (server/proto.rs, `on_stack`;
/// `tests/hostile_clients.rs` sends such a request to both). Callers of
/// `qapi::from_str`, `Registry::dispatch` or the clients on ordinary
/// threads are.
#[test]
#[ignore = "stack overflow decoding a 1000-deep recursive type (qapi-derive / decode.rs)"]
fn deep_recursive_type_on_a_2_mib_stack() {
    #[derive(Debug, qapi::Qapi)]
    #[qapi(struct)]
    pub struct Node {
        pub v: i64,
        pub next: Option<Box<Node>>,
    }
    if std::env::var_os("QAPI_FINDING_CHILD").is_some() {
        let depth = 1000;
        let text = format!(
            "{}{{\"v\":1}}{}",
            r#"{"v":1,"next":"#.repeat(depth),
            "}".repeat(depth)
        );
        let decoded = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let node = qapi::from_str::<Node>(&text);
                let ok = node.is_ok();
                // Dropping is recursive too; not what this test is about.
                std::mem::forget(node);
                ok
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(decoded);
        return;
    }
    let (ok, stderr) = child("deep_recursive_type_on_a_2_mib_stack");
    assert!(ok, "decoding a 1000-deep recursive type crashed:\n{stderr}");
}
