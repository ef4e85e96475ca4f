//! Keeps `DIAGNOSTICS.md` honest: one row per negative case of QEMU's
//! schema test suite (`tests-data/cases.txt`, QEMU 10.0.2), each either
//! (a) with the ui test that shows its compile error, or (b) with the
//! reason it has no Rust form.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The positive cases of the suite (REFERENCE.md 3.1); every other case
/// is negative.
const POSITIVE: &[&str] = &[
    "alternate-array",
    "comments",
    "doc-good",
    "empty",
    "include-repetition",
    "include-simple",
    "indented-expr",
    "qapi-schema-test",
];

struct Row {
    message: String,
    class: String,
    note: String,
    test: String,
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn workspace() -> PathBuf {
    crate_dir().parent().expect("workspace root").to_owned()
}

fn table() -> BTreeMap<String, Row> {
    let text = std::fs::read_to_string(crate_dir().join("DIAGNOSTICS.md")).expect("DIAGNOSTICS.md");
    let mut rows = BTreeMap::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.starts_with("| Case |") {
            in_table = true;
            continue;
        }
        if !in_table {
            continue;
        }
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        if line.starts_with("|---") {
            continue;
        }
        // Cells are separated by `|` not preceded by `\`.
        let mut cells = Vec::new();
        let mut cell = String::new();
        let mut chars = line.trim().trim_start_matches('|').chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&'|') => {
                    cell.push('|');
                    chars.next();
                }
                '|' => cells.push(std::mem::take(&mut cell).trim().to_owned()),
                c => cell.push(c),
            }
        }
        assert_eq!(cells.len(), 5, "row with 5 cells: {line}");
        let case = cells[0].clone();
        let row = Row {
            message: cells[1].clone(),
            class: cells[2].clone(),
            note: cells[3].clone(),
            test: cells[4].trim_matches('`').to_owned(),
        };
        assert!(
            rows.insert(case.clone(), row).is_none(),
            "case {case} listed twice"
        );
    }
    rows
}

#[test]
fn every_negative_case_is_listed_once() {
    let cases = std::fs::read_to_string(crate_dir().join("tests-data/cases.txt")).unwrap();
    let negative: Vec<&str> = cases
        .lines()
        .map(str::trim)
        .filter(|c| !c.is_empty() && !POSITIVE.contains(c))
        .collect();
    assert_eq!(negative.len(), 199);
    let rows = table();
    for case in &negative {
        assert!(
            rows.contains_key(*case),
            "{case} missing from DIAGNOSTICS.md"
        );
    }
    for case in rows.keys() {
        assert!(
            negative.contains(&case.as_str()),
            "{case} is not a negative case of QEMU's suite"
        );
    }
}

#[test]
fn rows_are_classified_and_rust_rows_have_a_ui_test() {
    let root = workspace();
    for (case, row) in table() {
        assert!(!row.message.is_empty(), "{case}: QEMU's message");
        assert!(!row.note.is_empty(), "{case}: diagnostic or reason");
        match row.class.as_str() {
            "a" => {
                let test = Path::new(&row.test);
                assert!(
                    test.starts_with("tests/ui/"),
                    "{case}: ui test under tests/ui: {}",
                    row.test
                );
                assert_eq!(
                    test.extension().and_then(|e| e.to_str()),
                    Some("rs"),
                    "{case}: {}",
                    row.test
                );
                assert!(
                    root.join(test).is_file(),
                    "{case}: {} does not exist",
                    row.test
                );
                if test.starts_with("tests/ui/pass") {
                    // Checked at run time by design; the row says why.
                    assert!(
                        row.note.starts_with("run time"),
                        "{case}: a pass test is for a run-time check"
                    );
                } else {
                    let stderr = root.join(test.with_extension("stderr"));
                    let expected = std::fs::read_to_string(&stderr)
                        .unwrap_or_else(|_| panic!("{case}: {} has no .stderr", row.test));
                    // A row that claims QEMU's text must show it.
                    if row.note.starts_with("same text") {
                        let first = row.message.split("; ").next().unwrap();
                        assert!(
                            expected.contains(first),
                            "{case}: {} does not show {first:?}",
                            stderr.display()
                        );
                    }
                }
            }
            "b" => assert_eq!(row.test, "—", "{case}: a (b) row has no ui test"),
            other => panic!("{case}: class {other:?}, expected a or b"),
        }
    }
}

#[test]
fn counts_in_the_summary_match_the_table() {
    let rows = table();
    let a = rows.values().filter(|r| r.class == "a").count();
    let run_time = rows
        .values()
        .filter(|r| r.class == "a" && r.test.starts_with("tests/ui/pass"))
        .count();
    let b = rows.values().filter(|r| r.class == "b").count();
    let text = std::fs::read_to_string(crate_dir().join("DIAGNOSTICS.md")).unwrap();
    let summary = format!(
        "{} of the 199 negative cases have a Rust form (class a): {} are compile errors, {} run-time errors; {} are only possible in `.json` syntax (class b).",
        a,
        a - run_time,
        run_time,
        b
    );
    assert!(
        text.contains(&summary),
        "DIAGNOSTICS.md should say: {summary}"
    );
}
