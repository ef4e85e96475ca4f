//! The ports as compiled (by default with Debian's 10.0.2 x86_64
//! conditions) against the live binaries of that build: their
//! `query-qmp-schema` dumps, the running `qemu-storage-daemon` when it is
//! installed, `query-commands` and qemu-ga's `guest-info`. Needs no shared
//! material (the oracles are in `tests/data/ports`).
//!
//! With another `QAPI_QEMU_CFG`, the Debian comparisons skip with a
//! message; `ports_all_cfg.rs` covers "every condition true".
#![cfg(all(feature = "qemu-qmp", feature = "qemu-qsd", feature = "qemu-qga"))]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use qapi_schema::ports::{self, Port, qga, qmp, qsd};
use serde_json::Value;

fn data(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ports")
        .join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap()
}

fn intro(port: Port, unmask: bool) -> Value {
    let i = port.introspect(unmask).expect("compiled in");
    serde_json::from_str(&i.to_qemu_text()).unwrap()
}

/// Equal as JSON arrays (object key order ignored); panics naming the
/// first entities that differ.
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

/// Whether this build has Debian's conditions (QSD and QGA see host-wide
/// conditions only, so the host profile also counts for them).
fn debian(port: Port) -> bool {
    let ok = match port {
        Port::Qmp => ports::CFG_PROFILE == "debian-10.0.2-x86_64",
        Port::Qsd | Port::Qga => matches!(
            ports::CFG_PROFILE,
            "debian-10.0.2-x86_64" | "debian-10.0.2-host"
        ),
    };
    if !ok {
        println!(
            "skipped: the ports were built with QAPI_QEMU_CFG={}, not Debian's profile",
            ports::CFG_PROFILE
        );
    }
    ok
}

#[test]
fn qsd_equals_live_dump() {
    if !debian(Port::Qsd) {
        return;
    }
    let n = assert_same(
        &intro(Port::Qsd, false),
        &data("qsd-10.0.2.schema.json"),
        "QSD port vs qsd-10.0.2.schema.json",
    );
    assert_eq!(n, 513);
    println!("QSD port: {n} entities equal the live qemu-storage-daemon 10.0.2 dump");
}

#[test]
fn qmp_equals_live_qemu_system_x86_64() {
    if !debian(Port::Qmp) {
        return;
    }
    let n = assert_same(
        &intro(Port::Qmp, false),
        &data("qemu-system-x86_64-10.0.2.schema.json"),
        "QMP port vs qemu-system-x86_64-10.0.2.schema.json",
    );
    println!("QMP port: {n} entities equal the live qemu-system-x86_64 10.0.2 dump");
}

#[test]
fn qga_commands_equal_guest_info() {
    if !debian(Port::Qga) {
        return;
    }
    let info = data("qemu-ga-10.0.2.guest-info.json");
    let mut want: Vec<&str> = info["return"]["supported_commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let reg = qga::registry::<()>();
    let mut got: Vec<&str> = reg.command_names().collect();
    // Introspection lists the same commands.
    let i = intro(Port::Qga, false);
    let listed: Vec<&str> = i
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["meta-type"] == "command")
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, got, "introspection vs registry order");
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    println!(
        "QGA port: {} commands, as qemu-ga 10.0.2's guest-info",
        got.len()
    );
}

/// Runs the installed qemu-storage-daemon on stdio and returns its
/// `query-qmp-schema` answer, or `None` (with a message) when it is not
/// there or not 10.0.2.
fn live_qsd_schema() -> Option<Value> {
    let child = Command::new("qemu-storage-daemon")
        .args(["--chardev", "stdio,id=m", "--monitor", "chardev=m"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        println!("skipped: qemu-storage-daemon is not installed");
        return None;
    };
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let mut next = |out: &mut BufReader<_>| -> Value {
        line.clear();
        out.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap()
    };
    let greeting = next(&mut out);
    let v = &greeting["QMP"]["version"]["qemu"];
    let version = (
        v["major"].as_i64(),
        v["minor"].as_i64(),
        v["micro"].as_i64(),
    );
    if version != (Some(10), Some(0), Some(2)) {
        println!("skipped: the installed qemu-storage-daemon is {v}, not 10.0.2");
        let _ = child.kill();
        let _ = child.wait();
        return None;
    }
    stdin
        .write_all(b"{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-qmp-schema\"}\n{\"execute\":\"quit\"}\n")
        .unwrap();
    let _ = next(&mut out);
    let schema = next(&mut out)["return"].clone();
    let _ = next(&mut out);
    let _ = child.wait();
    Some(schema)
}

#[test]
fn qsd_equals_running_qemu_storage_daemon() {
    if !debian(Port::Qsd) {
        return;
    }
    let Some(live) = live_qsd_schema() else {
        return;
    };
    let n = assert_same(
        &intro(Port::Qsd, false),
        &live,
        "QSD port vs the running qemu-storage-daemon",
    );
    println!("QSD port: {n} entities equal the running qemu-storage-daemon's answer");
}

#[test]
fn qsd_query_commands() {
    let reg = qsd::registry::<()>();
    let got: Vec<String> = reg.query_commands().into_iter().map(|c| c.name).collect();
    let want: Vec<String> = data("qsd-10.0.2.query-commands.json")
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, want);
}

/// The registries use qapi-core's definitions of QMP's control commands
/// (`qmp_capabilities`, `query-version`, …, with their types) where the
/// ports' `describe` uses the ports' own: the registry's introspection
/// equals the `describe` path's, masked and unmasked.
#[test]
fn registry_equals_describe_path() {
    use qapi_core::schema::introspect::{IntrospectOptions, introspect};
    type Describe = fn(&mut qapi::SchemaBuilder);
    let cases: [(Port, Describe, Describe, &[&str]); 3] = [
        (
            Port::Qmp,
            qmp::describe,
            qmp::describe_types,
            qmp::TYPE_ORDER,
        ),
        (
            Port::Qsd,
            qsd::describe,
            qsd::describe_types,
            qsd::TYPE_ORDER,
        ),
        (
            Port::Qga,
            qga::describe,
            qga::describe_types,
            qga::TYPE_ORDER,
        ),
    ];
    for (port, describe, types, order) in cases {
        let mut b = qapi::SchemaBuilder::new();
        describe(&mut b);
        types(&mut b);
        let s = b.finish();
        for unmask in [false, true] {
            let opts = IntrospectOptions::new().unmask(unmask).type_order(order);
            let want: Value =
                serde_json::from_str(&introspect(&s, &opts).unwrap().to_qemu_text()).unwrap();
            assert_same(
                &intro(port, unmask),
                &want,
                &format!("{port:?} registry vs describe (unmask {unmask})"),
            );
        }
    }
}

/// Declared commands validate their arguments and then say they are not
/// implemented; a handler replaces the declaration in place.
#[test]
fn declared_commands_and_handlers() {
    use qapi::json::WriteOptions;
    use qapi::{Dispatched, Session};
    use std::sync::Arc;

    let send = |reg: &qapi::Registry<()>, session: &mut Session, req: &str| -> String {
        match reg.dispatch_str(&Arc::new(()), session, req) {
            Dispatched::Reply(r) => String::from_utf8(r.to_vec(&WriteOptions::QEMU)).unwrap(),
            _ => panic!("{req}: no synchronous reply"),
        }
    };
    let mut reg = qsd::registry::<()>();
    let mut s = Session::qmp(true);
    assert_eq!(
        send(&reg, &mut s, r#"{"execute":"qmp_capabilities"}"#),
        r#"{"return": {}}"#
    );
    assert_eq!(
        send(
            &reg,
            &mut s,
            r#"{"execute":"query-jobs","arguments":{"x":1}}"#
        ),
        r#"{"error": {"class": "GenericError", "desc": "Parameter 'x' is unexpected"}}"#
    );
    assert_eq!(
        send(&reg, &mut s, r#"{"execute":"query-jobs"}"#),
        r#"{"error": {"class": "GenericError", "desc": "Command 'query-jobs' is not implemented"}}"#
    );
    let before = reg.introspect(false);
    reg.command::<qmp::QueryJobs, _>(|_, _| Ok(Vec::new()));
    assert_eq!(
        reg.introspect(false).to_qemu_text(),
        before.to_qemu_text(),
        "position kept"
    );
    let names: Vec<&str> = reg.command_names().collect();
    assert_eq!(names[6], "query-jobs");
    let mut s = Session::qmp(true);
    send(&reg, &mut s, r#"{"execute":"qmp_capabilities"}"#);
    assert_eq!(
        send(&reg, &mut s, r#"{"execute":"query-jobs"}"#),
        r#"{"return": []}"#
    );
}

fn qapi(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qapi"))
        .args(args)
        .output()
        .expect("run qapi");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `qapi introspect --port`: the derive path of the compiled-in port;
/// condition options must agree with the build on the port's names.
#[test]
fn cli_introspect_port() {
    if !debian(Port::Qsd) {
        return;
    }
    let (code, out, err) = qapi(&["introspect", "--port", "qsd", "--qemu-text"]);
    assert_eq!(code, 0, "{err}");
    let got: Value = serde_json::from_str(&out).unwrap();
    assert_same(
        &got,
        &data("qsd-10.0.2.schema.json"),
        "qapi introspect --port qsd",
    );

    // One entity per line by default; the host profile is the same set
    // of QSD's names as the x86_64 one.
    let (code, lines, err) = qapi(&["introspect", "--port", "qsd"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines.lines().count(), 513 + 2);
    let (code, host, err) = qapi(&[
        "introspect",
        "--port",
        "qsd",
        "--cfg-profile",
        "debian-10.0.2-host",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(host, lines);

    // Unmasked: real type names.
    let (code, out, err) = qapi(&["introspect", "--port", "qga", "--unmask"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(r#""arg-type": "q_obj_guest-sync-arg""#),
        "{out}"
    );

    if !ports::all_cfg() {
        let (code, out, err) = qapi(&["introspect", "--port", "qsd", "--all-cfg"]);
        assert_eq!((code, out.as_str()), (2, ""));
        assert!(
            err.contains("QAPI_QEMU_CFG=debian-10.0.2-x86_64")
                && err.contains("CONFIG_BLKIO")
                && err.contains("rebuild it with QAPI_QEMU_CFG=all"),
            "{err}"
        );
    }
    let (code, _, err) = qapi(&["introspect", "--port", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown port 'nope'"), "{err}");
}
