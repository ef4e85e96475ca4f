//! QEMU's own schemas of every era load, in QEMU's definition order,
//! and the model agrees with QEMU's introspection output.

mod common;

use std::collections::HashMap;
use std::path::Path;

use qapi_core::schema::{ArgsDef, Definition, Schema, TypeRef, UnionBase};
use qapi_schema::{Dialect, LoadOptions, Loaded, check_syntax_str, load, load_str};
use serde_json::Value;

/// (schema file under `qemu/schemas`, dialect, introspection oracle).
const SCHEMAS: &[(&str, Dialect, Option<&str>)] = &[
    (
        "v10.0.2/qapi/qapi-schema.json",
        Dialect::Qemu10,
        Some("qemu-v10.0.0-qmp"),
    ),
    (
        "v10.0.2/qga/qapi-schema.json",
        Dialect::Qemu10,
        Some("qemu-v10.0.2-qga"),
    ),
    (
        "v10.0.2/storage-daemon/qapi/qapi-schema.json",
        Dialect::Qemu10,
        Some("qemu-v10.0.0-qsd"),
    ),
    (
        "v5.0.0/qapi/qapi-schema.json",
        Dialect::Legacy,
        Some("qemu-v5.0.0-qmp"),
    ),
    ("v5.0.0/qga/qapi-schema.json", Dialect::Legacy, None),
    (
        "v5.0.0/storage-daemon/qapi/qapi-schema.json",
        Dialect::Legacy,
        Some("qemu-v5.0.0-qsd"),
    ),
    ("v2.10.0/qapi-schema.json", Dialect::Legacy, None),
    ("v2.10.0/qga/qapi-schema.json", Dialect::Legacy, None),
    ("v1.1.0/qapi-schema.json", Dialect::Legacy, None),
];

fn load_schema(shared: &Path, rel: &str, dialect: Dialect) -> Loaded {
    let path = shared.join("qemu/schemas").join(rel);
    match load(&path, &LoadOptions::new(dialect)) {
        Ok(l) => l,
        Err(e) => panic!("{rel} ({dialect:?}) does not load:\n{e}"),
    }
}

#[test]
fn qemu_schemas_of_every_era_load() {
    let Some(shared) = common::shared_dir("qemu_schemas_of_every_era_load") else {
        return;
    };
    for (rel, dialect, _) in SCHEMAS {
        let l = load_schema(&shared, rel, *dialect);
        assert!(
            l.schema.len() > 20,
            "{rel}: only {} definitions",
            l.schema.len()
        );
        println!(
            "{rel}: {} definitions, {} modules",
            l.schema.len(),
            l.modules.len()
        );
    }
    let qsd = load_schema(
        &shared,
        "v10.0.2/storage-daemon/qapi/qapi-schema.json",
        Dialect::Qemu10,
    );
    assert_eq!(qsd.modules[0], "qapi-schema.json");
    assert!(
        qsd.modules
            .iter()
            .any(|m| m == "../../qapi/block-core.json"),
        "{:?}",
        qsd.modules
    );
    // Old schemas are not valid under 10.0.2 rules.
    let old = shared.join("qemu/schemas/v5.0.0/qapi/qapi-schema.json");
    assert!(load(&old, &LoadOptions::default()).is_err());
}

#[test]
fn legacy_constructs() {
    let Some(shared) = common::shared_dir("legacy_constructs") else {
        return;
    };
    let l = load_schema(&shared, "v1.1.0/qapi-schema.json", Dialect::Legacy);
    // 'type' read as struct, with an anonymous nested struct.
    let Some(Definition::Struct(v)) = l.schema.get("VersionInfo") else {
        panic!()
    };
    assert_eq!(v.members[0].ty, TypeRef::named("VersionInfo.qemu"));
    let Some(Definition::Struct(q)) = l.schema.get("VersionInfo.qemu") else {
        panic!()
    };
    assert_eq!(
        q.members
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>(),
        ["major", "minor", "micro"]
    );
    assert!(matches!(
        l.schema.get("BlockdevAction"),
        Some(Definition::SimpleUnion(_))
    ));
    let Some(Definition::Command(c)) = l.schema.get("qom-get") else {
        panic!()
    };
    assert!(!c.generate);
    assert_eq!(c.returns, Some(TypeRef::named("any")));

    let qga = load_schema(&shared, "v2.10.0/qga/qapi-schema.json", Dialect::Legacy);
    assert!(qga.pragmas.doc_required);
    assert!(
        qga.pragmas
            .command_returns_exceptions
            .iter()
            .any(|c| c == "guest-sync")
    );

    let qmp5 = load_schema(&shared, "v5.0.0/qapi/qapi-schema.json", Dialect::Legacy);
    let Some(Definition::Command(spice)) = qmp5.schema.get("query-spice") else {
        panic!()
    };
    assert_eq!(
        spice.common.cond,
        Some(qapi_core::schema::Cond::name("CONFIG_SPICE"))
    );
}

fn commands_and_events(s: &Schema) -> Vec<&str> {
    s.definitions()
        .iter()
        .filter(|d| d.is_entry_point())
        .map(|d| d.name())
        .collect()
}

fn oracle(shared: &Path, name: &str, kind: &str) -> Vec<Value> {
    let p = shared.join(format!("qemu/introspect/{name}.introspect.{kind}json"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    match serde_json::from_str(&text).expect("json") {
        Value::Array(a) => a,
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn definition_order_is_qemus() {
    let Some(shared) = common::shared_dir("definition_order_is_qemus") else {
        return;
    };
    for (rel, dialect, intro) in SCHEMAS {
        let Some(intro) = intro else { continue };
        let l = load_schema(&shared, rel, *dialect);
        let want: Vec<String> = oracle(&shared, intro, "")
            .iter()
            .filter(|e| matches!(e["meta-type"].as_str(), Some("command" | "event")))
            .map(|e| e["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(commands_and_events(&l.schema), want, "{rel}");
    }
}

/// A type as introspection names it (integer types collapse to `int`).
fn intro_type(t: &TypeRef) -> String {
    match t {
        TypeRef::Named(n) => match n.as_str() {
            "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64"
            | "size" => "int".to_owned(),
            _ => n.clone(),
        },
        TypeRef::Array(e) => format!("[{}]", intro_type(e)),
    }
}

/// Non-variant members of a struct or union, base members first, as
/// `name` / `*name` with their introspection type.
fn flat_members(s: &Schema, name: &str, out: &mut Vec<String>) {
    let push = |out: &mut Vec<String>, m: &qapi_core::schema::Member| {
        out.push(format!(
            "{}{}:{}",
            if m.optional { "*" } else { "" },
            m.name,
            intro_type(&m.ty)
        ));
    };
    match s.get(name) {
        Some(Definition::Struct(st)) => {
            if let Some(b) = &st.base {
                flat_members(s, b, out);
            }
            st.members.iter().for_each(|m| push(out, m));
        }
        Some(Definition::Union(u)) => match &u.base {
            UnionBase::Named(b) => flat_members(s, b, out),
            UnionBase::Inline(ms) => ms.iter().for_each(|m| push(out, m)),
        },
        other => panic!("{name}: not an object: {other:?}"),
    }
}

fn intro_members(e: &Value) -> Vec<String> {
    e["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{}{}:{}",
                if m.get("default").is_some() { "*" } else { "" },
                m["name"].as_str().unwrap(),
                m["type"].as_str().unwrap()
            )
        })
        .collect()
}

fn features(e: &Value) -> Vec<String> {
    e.get("features")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|f| f.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn model_features(d: &Definition) -> Vec<String> {
    d.common().features.iter().map(|f| f.name.clone()).collect()
}

/// Introspection's `arg-type` for a command or event: compares the model
/// with the unmasked oracle (which names implicit types `q_obj_…-arg`).
fn check_args(
    s: &Schema,
    args: &ArgsDef,
    arg_type: &str,
    by_name: &HashMap<&str, &Value>,
    who: &str,
) {
    match args {
        ArgsDef::None => assert_eq!(arg_type, "q_empty", "{who}"),
        ArgsDef::Named(n) => assert_eq!(arg_type, n, "{who}"),
        ArgsDef::Inline(ms) => {
            assert_eq!(arg_type, format!("q_obj_{who}-arg"), "{who}");
            let got: Vec<String> = ms
                .iter()
                .map(|m| {
                    format!(
                        "{}{}:{}",
                        if m.optional { "*" } else { "" },
                        m.name,
                        intro_type(&m.ty)
                    )
                })
                .collect();
            assert_eq!(got, intro_members(by_name[arg_type]), "{who} arguments");
        }
    }
    let _ = s;
}

#[test]
fn model_agrees_with_qemu_introspection() {
    let Some(shared) = common::shared_dir("model_agrees_with_qemu_introspection") else {
        return;
    };
    let mut cases: Vec<(String, Dialect, String)> = SCHEMAS
        .iter()
        .filter_map(|(r, d, i)| i.map(|i| (format!("qemu/schemas/{r}"), *d, i.to_owned())))
        .collect();
    cases.push((
        "qemu/qapi-schema-tests/qapi-schema-test.json".to_owned(),
        Dialect::Qemu10,
        "../vectors/qemu-v10.0.2-qapi-schema-test".to_owned(),
    ));
    for (rel, dialect, intro) in cases {
        let path = shared.join(&rel);
        let opts = LoadOptions::new(dialect).base_dir(path.parent().unwrap());
        let l = load(Path::new(path.file_name().unwrap()), &opts)
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        let s = &l.schema;
        let entries = oracle(&shared, &intro, "unmasked.");
        let by_name: HashMap<&str, &Value> = entries
            .iter()
            .map(|e| (e["name"].as_str().unwrap(), e))
            .collect();
        let mut compared = 0;
        for e in &entries {
            let name = e["name"].as_str().unwrap();
            let meta = e["meta-type"].as_str().unwrap();
            if matches!(meta, "builtin" | "array") || name.starts_with("q_") {
                continue;
            }
            let Some(d) = s.get(name) else {
                // Implicit types of simple unions (5.0): `<U>Kind`.
                assert!(
                    name.ends_with("Kind"),
                    "{rel}: {name} missing from the model"
                );
                continue;
            };
            let old = dialect == Dialect::Legacy;
            if !old {
                assert_eq!(features(e), model_features(d), "{rel}: features of {name}");
            }
            match (meta, d) {
                ("command", Definition::Command(c)) => {
                    check_args(s, &c.args, e["arg-type"].as_str().unwrap(), &by_name, name);
                    let ret = e["ret-type"].as_str().unwrap();
                    match &c.returns {
                        None => assert_eq!(ret, "q_empty", "{name}"),
                        Some(t) => assert_eq!(ret, intro_type(t), "{name}"),
                    }
                    assert_eq!(e.get("allow-oob").is_some(), c.allow_oob, "{name}");
                }
                ("event", Definition::Event(ev)) => {
                    check_args(s, &ev.args, e["arg-type"].as_str().unwrap(), &by_name, name);
                }
                ("enum", Definition::Enum(en)) => {
                    let values: Vec<&str> = en.values.iter().map(|v| v.name.as_str()).collect();
                    let want: Vec<&str> = e["values"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap())
                        .collect();
                    assert_eq!(values, want, "{rel}: {name}");
                }
                ("object", Definition::Struct(_)) => {
                    let mut got = Vec::new();
                    flat_members(s, name, &mut got);
                    assert_eq!(got, intro_members(e), "{rel}: {name}");
                }
                ("object", Definition::Union(u)) => {
                    let mut got = Vec::new();
                    flat_members(s, name, &mut got);
                    assert_eq!(got, intro_members(e), "{rel}: {name}");
                    assert_eq!(e["tag"].as_str(), Some(u.discriminator.as_str()));
                    let cases: Vec<&str> = e["variants"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v["case"].as_str().unwrap())
                        .collect();
                    let explicit: Vec<&str> = u.branches.iter().map(|b| b.name.as_str()).collect();
                    assert_eq!(&cases[..explicit.len()], &explicit[..], "{rel}: {name}");
                    for (b, v) in u.branches.iter().zip(e["variants"].as_array().unwrap()) {
                        assert_eq!(intro_type(&b.ty), v["type"].as_str().unwrap(), "{name}");
                    }
                }
                ("object", Definition::SimpleUnion(u)) => {
                    let cases: Vec<&str> = e["variants"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v["case"].as_str().unwrap())
                        .collect();
                    let names: Vec<&str> = u.branches.iter().map(|b| b.name.as_str()).collect();
                    assert_eq!(cases, names, "{rel}: {name}");
                }
                ("alternate", Definition::Alternate(a)) => {
                    let got: Vec<String> = a.branches.iter().map(|b| intro_type(&b.ty)).collect();
                    let want: Vec<String> = e["members"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|m| m["type"].as_str().unwrap().to_owned())
                        .collect();
                    assert_eq!(got, want, "{rel}: {name}");
                }
                _ => panic!(
                    "{rel}: {name}: introspection says {meta}, model has {}",
                    d.meta()
                ),
            }
            compared += 1;
        }
        println!("{rel}: {compared} entities agree with {intro}");
    }
}

/// The seeds are web captures, not plain schema files. What each needs:
///
/// * `000`: QEMU 1.1's `qapi-schema.json` with line numbers, but the
///   capture dropped 800 lines, 94 of them code (e.g. line 51, the end of
///   `VersionInfo`), so it is not schema text any more. The original is
///   `qemu/schemas/v1.1.0/qapi-schema.json`, which loads (legacy).
/// * `001`: `qmp-commands.hx` (QEMU ~2.x), prose with newlines lost: not
///   a schema.
/// * `002`: `qapi/block.json` of QEMU ~2.8 from a code view: a column of
///   line numbers, a `|`, then the text without indentation or blank
///   lines. The text between the `|` lines is plain schema; its include
///   (`block-core.json`) and the types it uses belong to that release's
///   tree, which is not here, so it is read and shape-checked alone.
/// * `003`: QEMU ~2.10's `qapi-schema.json` flattened into one line:
///   everything after the first `#` is one comment. Not recoverable.
/// * `004`: QEMU ~2.10's `qga/qapi-schema.json` from gitweb: three header
///   lines, then numbered lines (blank ones dropped, no-break spaces):
///   with the numbers put back it loads completely (legacy).
#[test]
fn seeds() {
    let Some(shared) = common::shared_dir("seeds") else {
        return;
    };
    let dir = shared.join("seeds");
    let find = |prefix: &str| -> Option<String> {
        let entry = std::fs::read_dir(&dir)
            .ok()?
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().starts_with(prefix))?;
        std::fs::read_to_string(entry.path()).ok()
    };
    let legacy = LoadOptions::new(Dialect::Legacy).base_dir(&dir);

    if let Some(t) = find("004_") {
        let text = common::strip_line_numbers(&t);
        let l =
            load_str("qga-seed.json", &text, &legacy).unwrap_or_else(|e| panic!("seed 004: {e}"));
        assert!(l.schema.get("guest-sync-delimited").is_some());
        println!("seed 004: {} definitions", l.schema.len());
    }
    if let Some(t) = find("002_") {
        let lines: Vec<&str> = t.lines().collect();
        let bars: Vec<usize> = (0..lines.len()).filter(|&i| lines[i] == "|").collect();
        assert!(bars.len() >= 2, "seed 002 layout changed");
        let text = lines[bars[0] + 1..bars[1]].join("\n") + "\n";
        let names = check_syntax_str("block-seed.json", &text, &legacy)
            .unwrap_or_else(|e| panic!("seed 002: {e}"));
        assert!(names.iter().any(|n| n == "BiosAtaTranslation"));
        println!(
            "seed 002: {} definitions (syntax and shape only)",
            names.len()
        );
    }
    if let Some(t) = find("000_") {
        // Lossy: the reader must say so, not crash.
        let text = common::strip_line_numbers(&t);
        assert!(load_str("seed-000.json", &text, &legacy).is_err());
        println!("seed 000: skipped: lines missing from the capture");
    }
    for p in ["001_", "003_"] {
        if let Some(t) = find(p) {
            assert!(t.lines().count() <= 1);
            println!("seed {p}: skipped: flattened to one line, not schema text");
        }
    }
}
