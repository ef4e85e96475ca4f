//! `qapi import` end to end: import a QEMU schema into a crate that uses
//! the derives, build it, and check that the derive path's introspection
//! equals `qapi introspect` of the same `.json` file, masked and
//! unmasked.
//!
//! Slow: one `cargo build` per case (about 20–40 s each; the
//! dependencies are built once into a target directory shared by all
//! cases, under `CARGO_TARGET_TMPDIR`). The conditions are set by the
//! generated crate's build script (`cargo::rustc-cfg`), so they apply to
//! that crate only and the shared dependencies are not rebuilt.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

use qapi_core::schema::profiles::{DEBIAN_10_0_2_HOST, DEBIAN_10_0_2_X86_64};

/// Builds run one at a time (they share a target directory).
static BUILD: Mutex<()> = Mutex::new(());

#[derive(Clone, Copy)]
enum Conds {
    /// Every condition true (`--all-cfg`).
    All,
    /// Debian's 10.0.2 host profile (`--cfg-profile debian-10.0.2-host`).
    DebianHost,
    /// Debian's qemu-system-x86_64 10.0.2 (`--cfg-profile
    /// debian-10.0.2-x86_64`).
    DebianX86_64,
    /// Exactly these names (`--cfg NAME` each).
    Only(&'static [&'static str]),
}

struct Case {
    /// Crate name (also the directory).
    name: &'static str,
    /// Schema under `qemu/schemas` of the shared material, or, starting
    /// with `data/`, under this crate's `tests/`.
    schema: &'static str,
    legacy: bool,
    era: &'static str,
    conds: Conds,
    /// A dump (live or QEMU's generator output) the masked result must
    /// also equal.
    live: Option<&'static str>,
    /// The same for the unmasked result.
    live_unmasked: Option<&'static str>,
    /// Whether the schema has `not` conditions.
    has_not: bool,
    /// Removes from the derive path's answer what it is known to show in
    /// excess (see `import_corners_partial`); `None` for exact equality.
    known_excess: Option<fn(&mut serde_json::Value) -> usize>,
}

impl Case {
    /// What a case is unless it says otherwise: a current-era schema
    /// with every condition true, compared with `qapi introspect` only.
    const BASE: Case = Case {
        name: "",
        schema: "",
        legacy: false,
        era: "current",
        conds: Conds::All,
        live: None,
        live_unmasked: None,
        has_not: false,
        known_excess: None,
    };
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn qapi(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_qapi"))
        .args(args)
        .output()
        .expect("run qapi");
    assert!(
        out.status.success(),
        "qapi {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

const MAIN_RS: &str = r#"//! Prints the derive path's introspection: masked, then unmasked, each
//! as QEMU's one-line wire text.

#[allow(dead_code, unused_imports)]
mod schema;

use qapi::schema::Era;
use qapi::schema::introspect::{IntrospectOptions, introspect};

fn main() {
    let era = match std::env::args().nth(1).as_deref() {
        Some("5.0") => Era::V5_0,
        Some("2.11") => Era::V2_11,
        _ => Era::Current,
    };
    let mut b = qapi::SchemaBuilder::new();
    schema::describe(&mut b);
    schema::describe_types(&mut b);
    assert!(b.conflicts().is_empty(), "{:?}", b.conflicts());
    let s = b.finish();
    for unmask in [false, true] {
        let opts = IntrospectOptions::new()
            .era(era)
            .unmask(unmask)
            .type_order(schema::TYPE_ORDER);
        println!("{}", introspect(&s, &opts).expect("introspect").to_qemu_text());
    }
}
"#;

const BUILD_RS: &str = r#"fn main() {
    for (file, directive) in [("cfgs.txt", "rustc-check-cfg=cfg"), ("set.txt", "rustc-cfg=")] {
        println!("cargo::rerun-if-changed={file}");
        let text = std::fs::read_to_string(file).unwrap();
        for name in text.split_whitespace() {
            if directive.ends_with('=') {
                println!("cargo::{directive}{name}");
            } else {
                println!("cargo::{directive}({name})");
            }
        }
    }
}
"#;

/// Every cfg name the generated `mod.rs` lists.
fn cfg_names(mod_rs: &str) -> Vec<String> {
    mod_rs
        .lines()
        .filter_map(|l| l.trim_start_matches("//!").trim().strip_prefix("\"cfg("))
        .filter_map(|l| l.strip_suffix(")\","))
        .map(str::to_owned)
        .collect()
}

fn run_case(case: &Case) {
    let (schema, shared) = if case.schema.starts_with("data/") {
        let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        (tests.join(case.schema), None)
    } else {
        let Some(shared) = common::shared_dir(case.name) else {
            return;
        };
        (shared.join("qemu/schemas").join(case.schema), Some(shared))
    };
    let schema = schema.to_str().unwrap();
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("qapi-import");
    let dir = root.join(case.name);
    let gen_dir = dir.join("src/schema");
    let _ = std::fs::remove_dir_all(&gen_dir);

    let t = Instant::now();
    let mut args = vec![
        "import",
        schema,
        "-o",
        gen_dir.to_str().unwrap(),
        "--era",
        case.era,
    ];
    if case.legacy {
        args.push("--legacy");
    }
    qapi(&args);
    let files = std::fs::read_dir(&gen_dir).unwrap().count();
    println!(
        "{}: imported {} into {files} files in {:.1?}",
        case.name,
        case.schema,
        t.elapsed()
    );

    let mod_rs = std::fs::read_to_string(gen_dir.join("mod.rs")).unwrap();
    let names = cfg_names(&mod_rs);
    let set: Vec<String> = match case.conds {
        Conds::All => names.clone(),
        Conds::DebianHost => DEBIAN_10_0_2_HOST.iter().map(|s| (*s).to_owned()).collect(),
        Conds::DebianX86_64 => DEBIAN_10_0_2_X86_64
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        Conds::Only(names) => names.iter().map(|s| (*s).to_owned()).collect(),
    };
    let ws = workspace();
    let manifest = format!(
        "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nqapi = {{ path = {:?} }}\n\n[workspace]\n",
        case.name,
        ws.to_str().unwrap()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("build.rs"), BUILD_RS).unwrap();
    std::fs::write(dir.join("src/main.rs"), MAIN_RS).unwrap();
    std::fs::write(dir.join("cfgs.txt"), names.join("\n")).unwrap();
    std::fs::write(dir.join("set.txt"), set.join("\n")).unwrap();
    // The workspace's lock file: the same dependency versions, no
    // resolution.
    let _ = std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock"));

    let target = root.join("target");
    let guard = BUILD.lock().unwrap_or_else(|e| e.into_inner());
    let t = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run cargo");
    let build_time = t.elapsed();
    drop(guard);
    assert!(
        out.status.success(),
        "{}: the imported crate does not build:\n{}",
        case.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(
        !warnings.contains("warning"),
        "{}: warnings:\n{warnings}",
        case.name
    );
    println!(
        "{}: cargo build in {build_time:.1?} ({} cfgs set of {})",
        case.name,
        set.len(),
        names.len()
    );

    let bin = target.join("debug").join(case.name);
    let out = Command::new(&bin).arg(case.era).output().expect("run");
    assert!(
        out.status.success(),
        "{}: {}",
        case.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let got = String::from_utf8(out.stdout).unwrap();
    let got: Vec<&str> = got.lines().collect();
    assert_eq!(got.len(), 2);

    for (i, unmask) in [false, true].into_iter().enumerate() {
        let mut args = vec!["introspect", schema, "--qemu-text", "--era", case.era];
        if case.legacy {
            args.push("--legacy");
        }
        if unmask {
            args.push("--unmask");
        }
        match case.conds {
            // Every cfg name set. This is QEMU's "every condition true"
            // (`--all-cfg`) only when no condition uses `not`: with
            // `{'not': 'CONFIG_WIN32'}` (QGA's `merged`), setting every
            // name makes that condition false; no cfg set makes both it
            // and `CONFIG_WIN32` true.
            Conds::All => {
                for n in &names {
                    args.extend(["--cfg", n]);
                }
                let all_true = args[..args.len() - 2 * names.len()]
                    .iter()
                    .copied()
                    .chain(["--all-cfg"])
                    .collect::<Vec<_>>();
                let same = qapi(&all_true) == qapi(&args);
                if !unmask {
                    println!(
                        "{}: every cfg name set {} every condition true (--all-cfg)",
                        case.name,
                        if same {
                            "is the same as"
                        } else {
                            "differs from"
                        }
                    );
                }
                assert_eq!(same, !case.has_not, "{}", case.name);
            }
            Conds::DebianHost => args.extend(["--cfg-profile", "debian-10.0.2-host"]),
            Conds::DebianX86_64 => args.extend(["--cfg-profile", "debian-10.0.2-x86_64"]),
            Conds::Only(names) => {
                for n in names {
                    args.extend(["--cfg", n]);
                }
            }
        }
        let want = qapi(&args);
        let what = if unmask { "unmasked" } else { "masked" };
        // With a known excess, compare as JSON values (removing it
        // loses QEMU's key order); otherwise byte for byte.
        let mut got_i = got[i].to_owned();
        let mut want = want.trim_end().to_owned();
        if let Some(fix) = case.known_excess {
            let mut v: serde_json::Value = serde_json::from_str(&got_i).unwrap();
            let removed = fix(&mut v);
            assert!(removed > 0, "{}: the known excess is gone", case.name);
            println!(
                "{}: derive path {what}: removed {removed} known excess piece(s)",
                case.name
            );
            got_i = v.to_string();
            want = serde_json::from_str::<serde_json::Value>(&want)
                .unwrap()
                .to_string();
        }
        if got_i != want {
            let g: serde_json::Value = serde_json::from_str(&got_i).unwrap();
            let w: serde_json::Value = serde_json::from_str(&want).unwrap();
            let (g, w) = (g.as_array().unwrap(), w.as_array().unwrap());
            let first = g.iter().zip(w).find(|(a, b)| a != b);
            panic!(
                "{}: derive path ({what}, {} entities) differs from qapi introspect ({} \
                 entities); first difference:\n{first:#?}",
                case.name,
                g.len(),
                w.len()
            );
        }
        let n = serde_json::from_str::<serde_json::Value>(&got_i)
            .unwrap()
            .as_array()
            .unwrap()
            .len();
        println!(
            "{}: derive path {what}: {n} entities, {} qapi introspect",
            case.name,
            if case.known_excess.is_some() {
                "otherwise equal to"
            } else {
                "byte-for-byte equal to"
            }
        );
        let live = if unmask {
            case.live_unmasked
        } else {
            case.live
        };
        if let (Some(live), Some(shared)) = (live, &shared) {
            let want: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(shared.join(live)).unwrap()).unwrap();
            let got: serde_json::Value = serde_json::from_str(got[i]).unwrap();
            assert_eq!(got, want, "{}: derive path vs {live}", case.name);
            println!("{}: derive path {what} equals {live}", case.name);
        }
    }
}

#[test]
fn import_qsd_10_0_2() {
    run_case(&Case {
        name: "import-qsd-10-0-2",
        schema: "v10.0.2/storage-daemon/qapi/qapi-schema.json",
        ..Case::BASE
    });
}

/// The same schema built with Debian's conditions: compiled-out types
/// leave QEMU's gaps in the numbering (through `TYPE_ORDER`), and the
/// result is the live qemu-storage-daemon's answer.
#[test]
fn import_qsd_10_0_2_debian() {
    run_case(&Case {
        name: "import-qsd-10-0-2-debian",
        schema: "v10.0.2/storage-daemon/qapi/qapi-schema.json",
        conds: Conds::DebianHost,
        live: Some("qemu/live/qsd-10.0.2.schema.json"),
        ..Case::BASE
    });
}

/// qemu-system-x86_64 as Debian builds it: the whole QMP schema (about
/// 1,200 types) through the derives equals the live binary's answer,
/// including the six types QEMU lists although their only users are
/// compiled out (`describe_types`).
#[test]
fn import_qmp_10_0_2_debian_x86_64() {
    run_case(&Case {
        name: "import-qmp-10-0-2-debian-x86-64",
        schema: "v10.0.2/qapi/qapi-schema.json",
        conds: Conds::DebianX86_64,
        live: Some("qemu/live/qemu-system-x86_64-10.0.2.schema.json"),
        ..Case::BASE
    });
}

#[test]
fn import_qga_10_0_2() {
    run_case(&Case {
        name: "import-qga-10-0-2",
        schema: "v10.0.2/qga/qapi-schema.json",
        has_not: true,
        ..Case::BASE
    });
}

/// QEMU 5.0's storage daemon: simple unions, 5.0 introspection.
#[test]
fn import_qsd_5_0_0() {
    run_case(&Case {
        name: "import-qsd-5-0-0",
        schema: "v5.0.0/storage-daemon/qapi/qapi-schema.json",
        legacy: true,
        era: "5.0",
        ..Case::BASE
    });
}

/// QEMU 5.0's QMP schema (about 900 types, 30 modules), every condition
/// true: also QEMU 5.0's own generator output, masked and unmasked.
#[test]
fn import_qmp_5_0_0() {
    run_case(&Case {
        name: "import-qmp-5-0-0",
        schema: "v5.0.0/qapi/qapi-schema.json",
        legacy: true,
        era: "5.0",
        live: Some("qemu/introspect/qemu-v5.0.0-qmp.introspect.json"),
        live_unmasked: Some("qemu/introspect/qemu-v5.0.0-qmp.introspect.unmasked.json"),
        ..Case::BASE
    });
}

/// QEMU 5.0's guest agent.
#[test]
fn import_qga_5_0_0() {
    run_case(&Case {
        name: "import-qga-5-0-0",
        schema: "v5.0.0/qga/qapi-schema.json",
        legacy: true,
        era: "5.0",
        ..Case::BASE
    });
}

/// QEMU 2.10's QMP schema: no conditions yet, commands and events
/// sorted by name in 2.10/2.11 introspection.
#[test]
fn import_qmp_2_10_0() {
    run_case(&Case {
        name: "import-qmp-2-10-0",
        schema: "v2.10.0/qapi-schema.json",
        legacy: true,
        era: "2.11",
        ..Case::BASE
    });
}

/// QEMU 2.10's guest agent.
#[test]
fn import_qga_2_10_0() {
    run_case(&Case {
        name: "import-qga-2-10-0",
        schema: "v2.10.0/qga/qapi-schema.json",
        legacy: true,
        era: "2.11",
        ..Case::BASE
    });
}

/// QEMU 1.1's QMP schema, one file: `type` for structs, anonymous
/// nested structs, simple unions without base. QEMU 1.1 had no
/// introspection; `qapi introspect` (in the oldest generator's shape,
/// 2.11) gives the answer the derive path must equal.
#[test]
fn import_qmp_1_1_0() {
    run_case(&Case {
        name: "import-qmp-1-1-0",
        schema: "v1.1.0/qapi-schema.json",
        legacy: true,
        era: "2.11",
        ..Case::BASE
    });
}

/// `tests/data/import/legacy.json`: what old schemas have and today's
/// rules refuse (anonymous nested structs, `_` in command and event
/// arguments, ...; see the file), every condition name set. Needs no
/// shared material.
#[test]
fn import_legacy() {
    run_case(&Case {
        name: "import-legacy",
        schema: "data/import/legacy.json",
        legacy: true,
        era: "5.0",
        ..Case::BASE
    });
}

/// `tests/data/import/corners.json`: every construct and naming corner
/// the importer handles (see the file), every condition name set. Needs
/// no shared material.
#[test]
fn import_corners() {
    run_case(&Case {
        name: "import-corners",
        schema: "data/import/corners.json",
        has_not: true,
        ..Case::BASE
    });
}

/// The same with only `CONFIG_A` and `CONFIG_B`: `not(CONFIG_WIN32)`
/// holds, `CONFIG_C` does not.
///
/// Known limitation: union `Thing`'s branch `null-co` has a condition
/// (`CONFIG_C`) that its tag value lacks. The branch enum must cover
/// every tag value, so without `CONFIG_C` the importer writes a unit
/// variant for `null-co`, which introspection shows as an empty branch
/// (`{"case": "null-co", "type": <q_empty>}`); QEMU shows no branch for
/// that case. (QEMU's own schemas never do this: each conditional branch
/// has the same condition as its value.)
#[test]
fn import_corners_partial() {
    fn excess(v: &mut serde_json::Value) -> usize {
        let mut removed = 0;
        for e in v.as_array_mut().unwrap() {
            if e["tag"] == "kind" && e.get("variants").is_some() {
                let vs = e["variants"].as_array_mut().unwrap();
                let before = vs.len();
                vs.retain(|x| x["case"] != "null-co");
                removed += before - vs.len();
            }
        }
        removed
    }
    run_case(&Case {
        name: "import-corners-partial",
        schema: "data/import/corners.json",
        conds: Conds::Only(&["CONFIG_A", "CONFIG_B"]),
        has_not: true,
        known_excess: Some(excess),
        ..Case::BASE
    });
}

#[test]
fn import_output_shape() {
    let Some(shared) = common::shared_dir("import_output_shape") else {
        return;
    };
    let schema = shared.join("qemu/schemas/v10.0.2/storage-daemon/qapi/qapi-schema.json");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("qapi-import/shape");
    let _ = std::fs::remove_dir_all(&out);
    qapi(&[
        "import",
        schema.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--crate",
        "crate::q",
    ]);
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    let m = read("mod.rs");
    // Modules in QEMU's order, the main file first.
    let mods: Vec<&str> = m
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .collect();
    assert_eq!(mods[..3], ["qapi_schema;", "pragma;", "common;"]);
    assert!(mods.contains(&"block_core;"));
    assert!(m.contains("pub fn describe(b: &mut crate::q::SchemaBuilder)"));
    assert!(m.contains("pub const TYPE_ORDER: &[&str] = &["));
    let bc = read("block_core.rs");
    // A name clash with a type: `Cmd` appended.
    assert!(bc.contains("pub struct BlockDirtyBitmapAddCmd(pub BlockDirtyBitmapAdd);"));
    // Flat union with a named base, inlined; its branch enum.
    assert!(bc.contains("#[qapi(union, discriminator = \"driver\", crate = \"crate::q\")]"));
    assert!(bc.contains("pub enum BlockdevOptionsBranch {"));
    // Conditions as bare cfg names.
    assert!(bc.contains("#[cfg(CONFIG_BLKIO)]"));
    // Conditional feature.
    assert!(
        bc.contains("feature(\"dynamic-auto-read-only\", cfg(CONFIG_POSIX))"),
        "conditional feature"
    );
    // Names the derive would not produce are given.
    assert!(bc.contains("#[qapi(name = \"io_uring\")]"));
    // No docs unless asked for.
    assert!(!bc.contains("/// Information about a QEMU image file"));

    let docs = Path::new(env!("CARGO_TARGET_TMPDIR")).join("qapi-import/shape-docs");
    let _ = std::fs::remove_dir_all(&docs);
    qapi(&[
        "import",
        schema.to_str().unwrap(),
        "-o",
        docs.to_str().unwrap(),
        "--docs",
    ]);
    let bc = std::fs::read_to_string(docs.join("block_core.rs")).unwrap();
    assert!(
        bc.contains("/// Information about a QEMU image file"),
        "docs"
    );
    // QEMU's indented examples are fenced as text, never doctests.
    assert!(bc.contains("/// ```text"));
    assert!(!bc.contains("/// ```\n///     "));
}
