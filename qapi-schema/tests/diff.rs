//! `qapi diff` (the binary) on QEMU's introspection dumps.

mod common;

use std::path::{Path, PathBuf};
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

fn diff(a: &Path, b: &Path, json: bool) -> (i32, String) {
    let mut args = vec!["diff", a.to_str().unwrap(), b.to_str().unwrap()];
    if json {
        args.push("--json");
    }
    let (code, out, err) = qapi(&args);
    assert!(code == 0 || code == 1, "qapi {args:?}: {code}: {err}");
    (code, out)
}

fn dump(shared: &Path, stem: &str) -> PathBuf {
    shared.join("qemu/introspect").join(format!("{stem}.json"))
}

/// A copy of a masked dump with every number replaced (reversed
/// numbering) and the entries in a different order.
fn renumbered(src: &Path, out: &Path) {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(src).unwrap()).unwrap();
    let max = v
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["name"].as_str()?.parse::<u64>().ok())
        .max()
        .unwrap();
    // Type names are in `type`, `arg-type`, `ret-type`, `element-type`,
    // and in `name` at the top level only (elsewhere `name` is a member
    // or an enum value, and QKeyCode has values "1", "2", ...).
    fn map(v: &Value, max: u64, top: bool) -> Value {
        let num = |s: &str| -> Option<String> {
            let inner = s.strip_prefix('[').and_then(|s| s.strip_suffix(']'));
            match inner {
                Some(i) => i.parse::<u64>().ok().map(|n| format!("[{}]", max - n)),
                None => s.parse::<u64>().ok().map(|n| (max - n).to_string()),
            }
        };
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| {
                        let x = match (k.as_str(), x) {
                            (
                                "type" | "arg-type" | "ret-type" | "element-type",
                                Value::String(s),
                            ) => num(s).map(Value::String).unwrap_or_else(|| x.clone()),
                            ("name", Value::String(s)) if top => {
                                num(s).map(Value::String).unwrap_or_else(|| x.clone())
                            }
                            _ => map(x, max, false),
                        };
                        (k.clone(), x)
                    })
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(|x| map(x, max, top)).collect()),
            other => other.clone(),
        }
    }
    let mut list = map(&v, max, true).as_array().unwrap().clone();
    list.reverse();
    std::fs::write(out, serde_json::to_string(&list).unwrap()).unwrap();
}

#[test]
fn equal_dumps_report_nothing() {
    let Some(shared) = common::shared_dir("equal_dumps_report_nothing") else {
        return;
    };
    for stem in [
        "qemu-v10.0.0-qsd",
        "qemu-v10.0.0-qmp",
        "qemu-v5.0.0-qsd",
        "qemu-v10.0.2-qga",
    ] {
        let masked = dump(&shared, &format!("{stem}.introspect"));
        let unmasked = dump(&shared, &format!("{stem}.introspect.unmasked"));
        // Against itself.
        let (code, out) = diff(&masked, &masked, false);
        assert_eq!((code, out.as_str()), (0, "no differences\n"), "{stem}");
        // Masked against unmasked, both ways.
        assert_eq!(
            diff(&masked, &unmasked, false).0,
            0,
            "{stem} masked/unmasked"
        );
        let (code, out) = diff(&unmasked, &masked, true);
        assert_eq!(code, 0, "{stem}: {out}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["equal"], true);
        assert_eq!(v["changes"], serde_json::json!([]));
        // Renumbered and reordered.
        let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{stem}.renumbered.json"));
        renumbered(&masked, &copy);
        let (code, out) = diff(&masked, &copy, false);
        assert_eq!(code, 0, "{stem} renumbered: {out}");
        println!("{stem}: itself, unmasked and renumbered: no differences");
    }
}

#[test]
fn qsd_5_0_to_10_0() {
    let Some(shared) = common::shared_dir("qsd_5_0_to_10_0") else {
        return;
    };
    let old = dump(&shared, "qemu-v5.0.0-qsd.introspect");
    let new = dump(&shared, "qemu-v10.0.0-qsd.introspect");
    let (code, text) = diff(&old, &new, false);
    assert_eq!(code, 1);
    for line in [
        "+ command block-export-add\n",
        "+ command query-block-exports\n",
        "+ event BLOCK_EXPORT_DELETED\n",
        "- command block_passwd\n",
        "- command x-blockdev-reopen\n",
        "~ blockdev-add\n",
        "    + member blockdev-add.arguments.driver[file].aio-max-batch (int, optional)\n",
        "    + variant blockdev-add.arguments.driver[io_uring] (object)\n",
        "    + feature drive-backup: deprecated\n",
        "    ~ type object-add.arguments.qom-type: str -> enum\n",
        "    - member object-add.arguments.props (any, optional)\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // Simple unions (5.0) and their flat-union replacements (10.0)
    // introspect alike: `nbd-server-start`'s `addr` did not change.
    assert!(!text.contains("nbd-server-start.arguments.addr"), "{text}");

    let (code, json) = diff(&old, &new, true);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["equal"], false);
    let changes = v["changes"].as_array().unwrap();
    let has = |f: &dyn Fn(&Value) -> bool| changes.iter().any(f);
    assert!(has(&|c| c["what"] == "command"
        && c["change"] == "added"
        && c["path"] == "block-export-add"));
    // Enum values added (the driver enum is first met under
    // query-blockstats' `driver-specific`).
    assert!(has(&|c| c["what"] == "value"
        && c["change"] == "added"
        && c["name"] == "io_uring"
        && c["path"]
            == "query-blockstats.returns[].driver-specific.driver"));
    assert!(has(&|c| c["what"] == "value"
        && c["change"] == "removed"
        && c["name"] == "sheepdog"));
    // Features on enum values (6.2+): a deprecated value.
    assert!(has(&|c| c["what"] == "feature"
        && c["name"] == "deprecated"
        && c["path"]
            == "query-blockstats.returns[].driver-specific.driver=gluster"));
    // Optional -> mandatory changes carry both sides.
    assert!(has(&|c| c["what"] == "optional"
        && c["path"]
            == "blockdev-create.arguments.options.driver[luks].file"
        && c["old"] == "mandatory"
        && c["new"] == "optional"));
    let text_lines = text.lines().filter(|l| l.starts_with("    ")).count()
        + text.lines().filter(|l| l.starts_with(['+', '-'])).count();
    assert_eq!(text_lines, changes.len());
    println!("v5.0.0 -> v10.0.0 QSD: {} differences", changes.len());
}

#[test]
fn build_configurations() {
    let Some(shared) = common::shared_dir("build_configurations") else {
        return;
    };
    // Every condition true vs Debian's build of qemu-system-x86_64: what
    // the build leaves out, reported where it is used; the six types
    // QEMU emits although nothing uses them in that build are matched
    // with their counterparts, not reported.
    let all = dump(&shared, "qemu-v10.0.0-qmp.introspect");
    let live = shared.join("qemu/live/qemu-system-x86_64-10.0.2.schema.json");
    let (code, text) = diff(&all, &live, false);
    assert_eq!(code, 1);
    assert!(
        text.contains("- command query-gic-capabilities\n"),
        "{text}"
    );
    assert!(text.contains("    - variant query-audiodevs.returns[].driver[coreaudio] (object)\n"));
    assert!(!text.contains("types no command or event uses"), "{text}");
    // QMP replies are read too.
    let reply = Path::new(env!("CARGO_TARGET_TMPDIR")).join("qsd-reply.json");
    let qsd_live =
        std::fs::read_to_string(shared.join("qemu/live/qsd-10.0.2.schema.json")).unwrap();
    std::fs::write(&reply, format!("{{\"return\": {qsd_live}}}")).unwrap();
    let qsd_all = dump(&shared, "qemu-v10.0.0-qsd.introspect");
    let (code, text) = diff(&qsd_all, &reply, false);
    assert_eq!(code, 1);
    assert!(
        text.contains("virtio-blk-vfio-pci"),
        "CONFIG_BLKIO is off: {text}"
    );
}

/// A `.json` schema stands for its introspection (every condition true).
#[test]
fn schema_files() {
    let Some(shared) = common::shared_dir("schema_files") else {
        return;
    };
    let schemas = shared.join("qemu/schemas");
    let qsd10 = schemas.join("v10.0.2/storage-daemon/qapi/qapi-schema.json");
    let qsd5 = schemas.join("v5.0.0/storage-daemon/qapi/qapi-schema.json");
    let dump10 = dump(&shared, "qemu-v10.0.0-qsd.introspect");
    assert_eq!(
        diff(&qsd10, &dump10, false),
        (0, "no differences\n".to_owned())
    );
    // A legacy schema, read with the old rules.
    let (code, text) = diff(&qsd5, &qsd10, false);
    assert_eq!(code, 1);
    assert!(text.contains("+ command block-export-add\n"), "{text}");
}

#[test]
fn errors_exit_2() {
    let (code, _, err) = qapi(&["diff", "/nonexistent/a.json", "/nonexistent/b.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/a.json"), "{err}");
    let bad = Path::new(env!("CARGO_TARGET_TMPDIR")).join("not-a-dump.json");
    std::fs::write(&bad, "{\"x\": 1}").unwrap();
    let (code, _, err) = qapi(&["diff", bad.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("expected an array"), "{err}");
    let (code, _, _) = qapi(&["diff", "only-one.json"]);
    assert_eq!(code, 2);
    // Neither JSON nor a schema: the schema reader's message.
    let text = Path::new(env!("CARGO_TARGET_TMPDIR")).join("not-a-schema.json");
    std::fs::write(&text, "hello\n").unwrap();
    let (code, _, err) = qapi(&["diff", text.to_str().unwrap(), text.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("neither an introspection dump"), "{err}");
}
