//! QEMU 10.0.2's schema test suite: every case must produce exactly the
//! `.err` text QEMU's generator produces.

mod common;

use qapi_schema::{LoadOptions, check_report};

#[test]
fn qemu_schema_test_suite() {
    let Some(shared) = common::shared_dir("qemu_schema_test_suite") else {
        return;
    };
    let dir = shared.join("qemu/qapi-schema-tests");
    let cases = std::fs::read_to_string(dir.join("CASES.txt")).expect("CASES.txt");
    let opts = LoadOptions::default().base_dir(&dir);
    let mut total = 0;
    let mut mismatches = Vec::new();
    for case in cases.lines().map(str::trim).filter(|c| !c.is_empty()) {
        total += 1;
        let expected = std::fs::read_to_string(dir.join(format!("{case}.err"))).unwrap_or_default();
        // Paths relative to the case folder, as when run from inside it.
        let got = match check_report(format!("{case}.json").as_ref(), &opts) {
            Ok(_) => String::new(),
            Err(report) => report,
        };
        if got != expected {
            mismatches.push(format!("--- {case}\nexpected:\n{expected}got:\n{got}"));
        }
    }
    assert_eq!(total, 207, "CASES.txt should list 207 cases");
    assert!(
        mismatches.is_empty(),
        "{} of {total} cases differ from QEMU:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    println!("qemu_schema_test_suite: {total} of {total} cases match");
}
