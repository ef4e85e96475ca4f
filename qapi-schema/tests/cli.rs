//! The `qapi` binary on two cases of QEMU's test suite.

mod common;

use std::process::Command;

fn run(dir: &std::path::Path, case: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qapi"))
        .args(["check", &format!("{case}.json")])
        .current_dir(dir)
        .output()
        .expect("run qapi");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_check() {
    let Some(shared) = common::shared_dir("cli_check") else {
        return;
    };
    let dir = shared.join("qemu/qapi-schema-tests");

    let (ok, stderr) = run(&dir, "redefined-type");
    assert!(!ok, "a bad schema must fail");
    assert_eq!(
        stderr,
        std::fs::read_to_string(dir.join("redefined-type.err")).unwrap()
    );

    let (ok, stderr) = run(&dir, "include-cycle");
    assert!(!ok);
    assert_eq!(
        stderr,
        std::fs::read_to_string(dir.join("include-cycle.err")).unwrap()
    );

    let (ok, stderr) = run(&dir, "qapi-schema-test");
    assert!(ok, "the kitchen-sink schema is good: {stderr}");
    assert_eq!(stderr, "");
}
