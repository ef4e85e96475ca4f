//! `qapi introspect` (the binary) against QEMU's generator output and the
//! live dumps of Debian's 10.0.2 binaries.
//!
//! The generator oracles of QMP and QSD are QEMU 10.0.0's; the schemas
//! here are 10.0.2's. Their introspection is identical (checked here,
//! masked and unmasked: no entity differs between 10.0.0 and 10.0.2).

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn qapi(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qapi"))
        .args(args)
        .output()
        .expect("run qapi");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn introspect(file: &Path, extra: &[&str]) -> String {
    let mut args = vec!["introspect", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (code, out, err) = qapi(&args);
    assert_eq!(code, 0, "qapi {args:?}: {err}");
    out
}

fn read_json(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Compares two introspections entity by entity; panics naming the
/// first entities that differ.
fn assert_same(got: &Value, want: &Value, what: &str) -> usize {
    let (g, w) = (got.as_array().unwrap(), want.as_array().unwrap());
    if g != w {
        let mut report = Vec::new();
        for (i, (a, b)) in g.iter().zip(w).enumerate() {
            if a != b {
                report.push(format!("#{i}: got {a}\n    want {b}"));
            }
            if report.len() == 5 {
                break;
            }
        }
        panic!(
            "{what}: {} entities, want {}\n{}",
            g.len(),
            w.len(),
            report.join("\n")
        );
    }
    g.len()
}

/// (schema under `qemu/schemas`, extra options, oracle stem).
const ORACLES: &[(&str, &[&str], &str)] = &[
    ("v10.0.2/qapi/qapi-schema.json", &[], "qemu-v10.0.0-qmp"),
    (
        "v10.0.2/storage-daemon/qapi/qapi-schema.json",
        &[],
        "qemu-v10.0.0-qsd",
    ),
    ("v10.0.2/qga/qapi-schema.json", &[], "qemu-v10.0.2-qga"),
    (
        "v5.0.0/qapi/qapi-schema.json",
        &["--legacy", "--era", "5.0"],
        "qemu-v5.0.0-qmp",
    ),
    (
        "v5.0.0/storage-daemon/qapi/qapi-schema.json",
        &["--legacy", "--era", "5.0"],
        "qemu-v5.0.0-qsd",
    ),
];

#[test]
fn generator_oracles_masked_and_unmasked() {
    let Some(shared) = common::shared_dir("generator_oracles_masked_and_unmasked") else {
        return;
    };
    for (schema, extra, stem) in ORACLES {
        let file = shared.join("qemu/schemas").join(schema);
        for (unmask, suffix) in [(false, ""), (true, "unmasked.")] {
            let mut args = extra.to_vec();
            args.push("--all-cfg");
            if unmask {
                args.push("--unmask");
            }
            let got: Value = serde_json::from_str(&introspect(&file, &args)).unwrap();
            let want = read_json(
                &shared
                    .join("qemu/introspect")
                    .join(format!("{stem}.introspect.{suffix}json")),
            );
            let n = assert_same(&got, &want, &format!("{schema} {args:?}"));
            println!("{schema} {args:?}: {n} entities equal {stem}.introspect.{suffix}json");
        }
    }
}

#[test]
fn live_dumps_with_debian_profile() {
    let Some(shared) = common::shared_dir("live_dumps_with_debian_profile") else {
        return;
    };
    let cases = [
        (
            "v10.0.2/storage-daemon/qapi/qapi-schema.json",
            "debian-10.0.2-host",
            "qsd-10.0.2.schema.json",
        ),
        (
            "v10.0.2/storage-daemon/qapi/qapi-schema.json",
            "debian-10.0.2-x86_64",
            "qsd-10.0.2.schema.json",
        ),
        (
            "v10.0.2/qapi/qapi-schema.json",
            "debian-10.0.2-x86_64",
            "qemu-system-x86_64-10.0.2.schema.json",
        ),
    ];
    for (schema, profile, live) in cases {
        let file = shared.join("qemu/schemas").join(schema);
        let got: Value =
            serde_json::from_str(&introspect(&file, &["--cfg-profile", profile])).unwrap();
        let want = read_json(&shared.join("qemu/live").join(live));
        let n = assert_same(&got, &want, &format!("{schema} with {profile}"));
        println!("{schema} --cfg-profile {profile}: {n} entities equal live {live}");
    }
}

/// `--qemu-text` is byte for byte the `return` value the live
/// qemu-storage-daemon sent (raw transcript line).
#[test]
fn qemu_text_is_the_wire_text() {
    let Some(shared) = common::shared_dir("qemu_text_is_the_wire_text") else {
        return;
    };
    let transcript =
        std::fs::read_to_string(shared.join("qemu/live/qsd-10.0.2.transcript.jsonl")).unwrap();
    let mut lines = transcript.lines();
    lines
        .by_ref()
        .find(|l| *l == r#"-> {"execute": "query-qmp-schema"}"#)
        .expect("query-qmp-schema in the transcript");
    let reply = lines.next().unwrap();
    let wire = reply
        .strip_prefix(r#"<- {"return": "#)
        .and_then(|r| r.strip_suffix('}'))
        .expect("a return");
    let file = shared.join("qemu/schemas/v10.0.2/storage-daemon/qapi/qapi-schema.json");
    let text = introspect(
        &file,
        &["--qemu-text", "--cfg-profile", "debian-10.0.2-host"],
    );
    assert!(text == format!("{wire}\n"), "not the wire text");
    println!("--qemu-text: {} bytes, equal to the live reply", wire.len());
}

#[test]
fn output_forms() {
    let Some(shared) = common::shared_dir("output_forms") else {
        return;
    };
    let file = shared.join("qemu/schemas/v10.0.2/qga/qapi-schema.json");
    // One entity per line, in QEMU's wire text.
    let lines = introspect(&file, &[]);
    let body: Vec<&str> = lines.lines().collect();
    assert_eq!(body.first(), Some(&"["));
    assert_eq!(body.last(), Some(&"]"));
    assert!(body[1].starts_with("{\"name\": \"guest-sync-delimited\", \"ret-type\": "));
    let entries: Value = serde_json::from_str(&lines).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), body.len() - 2);
    // QEMU's one-line text holds the same entities.
    let text = introspect(&file, &["--qemu-text"]);
    assert_eq!(text.lines().count(), 1);
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), entries);
    // Lines joined are QEMU's text.
    let joined = body[1..body.len() - 1]
        .iter()
        .map(|l| l.trim_end_matches(','))
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(format!("[{joined}]\n"), text);
    // `--cfg` selects exactly the names given: without CONFIG_WIN32 the
    // Windows-only command goes, and numbers stay (gaps).
    let all: Value = serde_json::from_str(&introspect(&file, &["--unmask"])).unwrap();
    let linux: Value =
        serde_json::from_str(&introspect(&file, &["--unmask", "--cfg", "CONFIG_LINUX"])).unwrap();
    let has = |v: &Value, n: &str| v.as_array().unwrap().iter().any(|e| e["name"] == n);
    assert!(has(&all, "guest-get-devices"));
    assert!(!has(&linux, "guest-get-devices"));
    assert!(has(&linux, "guest-get-fsinfo"));
    // The conditional form wraps conditional pieces.
    let cond = introspect(&file, &["--conditional", "--unmask"]);
    assert!(
        cond.contains("{\"if\": \"defined(CONFIG_WIN32)\""),
        "{cond}"
    );
}

#[test]
fn bad_options_and_schemas() {
    let (code, _, err) = qapi(&["introspect", "x.json", "--cfg-profile", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown condition profile 'nope'"), "{err}");
    let (code, _, err) = qapi(&["introspect", "x.json", "--era", "9"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown era"), "{err}");
    let (code, _, err) = qapi(&["introspect", "/nonexistent/x.json"]);
    assert_eq!(code, 1);
    assert!(!err.is_empty());
    let (code, _, _) = qapi(&["introspect", "x.json", "--all-cfg", "--cfg", "A"]);
    assert_eq!(code, 2, "--all-cfg conflicts with --cfg");
}
