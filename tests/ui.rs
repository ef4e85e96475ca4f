//! Compile-error tests: one rule per file under `tests/ui/`. The expected
//! `.stderr` files are pinned to the toolchain they were reviewed with
//! (rustc 1.95); other toolchains skip, since rustc's rendering changes.

#[test]
fn ui() {
    let version =
        std::process::Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
    if !version.starts_with("rustc 1.95.") {
        eprintln!(
            "skipping ui tests: expected outputs are pinned to rustc 1.95, found {version:?}"
        );
        return;
    }
    let t = trybuild::TestCases::new();
    for category in [
        "alternate",
        "attr",
        "command",
        "enum",
        "event",
        "features",
        "names",
        "struct",
        "union",
    ] {
        t.compile_fail(format!("tests/ui/{category}/*.rs"));
    }
    t.pass("tests/ui/pass/*.rs");
}
