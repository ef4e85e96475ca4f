//! The ports with every condition true against QEMU's generator
//! (`tests/data/ports`: the 10.0.0 QMP and QSD dumps, which the 10.0.2
//! schemas reproduce entity for entity, and the 10.0.2 guest agent's),
//! masked and unmasked.
//!
//! Conditions are `#[cfg]`s fixed at compile time and this workspace
//! builds the ports with Debian's set, so the test builds a small crate
//! that depends on `qapi-schema` with `QAPI_QEMU_CFG=all` (one `cargo
//! build`, in the target directory the import tests use, so that the
//! dependencies are built once). When the workspace itself was built
//! with `QAPI_QEMU_CFG=all`, it checks in-process instead.
//!
//! The guest agent's `GuestExecCaptureOutputMode` value `merged` is
//! `if: {not: CONFIG_WIN32}`: with every name set it is absent, while
//! QEMU's "every condition true" shows it; that one value is the only
//! difference allowed (and required).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

fn data(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ports")
        .join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap()
}

fn assert_same(got: &Value, want: &Value, what: &str) -> usize {
    let (g, w) = (got.as_array().unwrap(), want.as_array().unwrap());
    if g != w {
        let report: Vec<String> = g
            .iter()
            .zip(w)
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(5)
            .map(|(i, (a, b))| format!("#{i}: got {a}\n    want {b}"))
            .collect();
        panic!(
            "{what}: {} entities, want {}\n{}",
            g.len(),
            w.len(),
            report.join("\n")
        );
    }
    g.len()
}

const MAIN_RS: &str = r#"//! Prints each port's introspection (masked, then unmasked), one line
//! each, after the condition profile.
use qapi_schema::ports::{self, Port};

fn main() {
    println!("{}", ports::CFG_PROFILE);
    for port in [Port::Qmp, Port::Qsd, Port::Qga] {
        for unmask in [false, true] {
            let i = port.introspect(unmask).expect("compiled in");
            println!("{}", i.to_qemu_text());
        }
    }
}
"#;

/// The six introspections (QMP, QSD, QGA; masked, unmasked) of a build
/// with every condition name set.
fn all_cfg_introspections() -> Vec<Value> {
    #[cfg(all(feature = "qemu-qmp", feature = "qemu-qsd", feature = "qemu-qga"))]
    if qapi_schema::ports::all_cfg() {
        use qapi_schema::ports::Port;
        println!("this build has every condition name set: checking in-process");
        let mut out = Vec::new();
        for port in [Port::Qmp, Port::Qsd, Port::Qga] {
            for unmask in [false, true] {
                let text = port.introspect(unmask).unwrap().to_qemu_text();
                out.push(serde_json::from_str(&text).unwrap());
            }
        }
        return out;
    }
    let ws: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("qapi-import");
    let dir = root.join("ports-all-cfg");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"ports-all-cfg\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\nqapi-schema = {{ path = {:?}, \
         default-features = false, features = [\"qemu-qmp\", \"qemu-qsd\", \"qemu-qga\"] }}\n\n\
         [workspace]\n",
        ws.join("qapi-schema").to_str().unwrap()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/main.rs"), MAIN_RS).unwrap();
    let _ = std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock"));
    let target = root.join("target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let t = Instant::now();
    let out = Command::new(&cargo)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env("QAPI_QEMU_CFG", "all")
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "building the ports with QAPI_QEMU_CFG=all:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!(
        "built the ports with QAPI_QEMU_CFG=all in {:.1?}",
        t.elapsed()
    );
    let out = Command::new(target.join("debug/ports-all-cfg"))
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("all"));
    lines.map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Removes the value `merged` from the guest agent's
/// `GuestExecCaptureOutputMode`; returns how many entities changed.
fn without_merged(v: &mut Value) -> usize {
    let mut changed = 0;
    for e in v.as_array_mut().unwrap() {
        let is_it = e["meta-type"] == "enum"
            && e["values"]
                .as_array()
                .is_some_and(|vs| vs.iter().any(|x| x == "separated"));
        if !is_it {
            continue;
        }
        let vs = e["values"].as_array_mut().unwrap();
        let before = vs.len();
        vs.retain(|x| x != "merged");
        if vs.len() < before {
            changed += 1;
        }
        e["members"]
            .as_array_mut()
            .unwrap()
            .retain(|m| m["name"] != "merged");
    }
    changed
}

#[test]
fn ports_with_every_condition_equal_qemu_generator() {
    let got = all_cfg_introspections();
    let cases = [
        ("QMP", "qemu-v10.0.0-qmp.introspect.json"),
        ("QMP", "qemu-v10.0.0-qmp.introspect.unmasked.json"),
        ("QSD", "qemu-v10.0.0-qsd.introspect.json"),
        ("QSD", "qemu-v10.0.0-qsd.introspect.unmasked.json"),
        ("QGA", "qemu-v10.0.2-qga.introspect.json"),
        ("QGA", "qemu-v10.0.2-qga.introspect.unmasked.json"),
    ];
    for (got, (port, oracle)) in got.iter().zip(cases) {
        let mut want = data(oracle);
        if port == "QGA" {
            assert_eq!(
                without_merged(&mut want),
                1,
                "{oracle}: GuestExecCaptureOutputMode with 'merged'"
            );
        }
        let n = assert_same(
            got,
            &want,
            &format!("{port} port, every condition, vs {oracle}"),
        );
        println!(
            "{port} port with every condition name set: {n} entities equal {oracle}{}",
            if port == "QGA" {
                " (but for 'merged', which is if: {not: CONFIG_WIN32})"
            } else {
                ""
            }
        );
    }
}
