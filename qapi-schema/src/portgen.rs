//! Generates the committed ports of QEMU's schemas (`src/ports/` of this
//! crate) with [`crate::import`].
//!
//! The ports are QEMU 10.0.2's QMP schema (`qapi/qapi-schema.json`), the
//! storage daemon's (`storage-daemon/qapi/qapi-schema.json`) and the
//! guest agent's (`qga/qapi-schema.json`). The storage daemon's schema is
//! a subset of QMP's modules, and importing it gives, module for module,
//! the same Rust text as importing QMP (checked here: generation fails if
//! that ever stops being true), so the QSD port has no types of its own:
//! `qsd.rs` holds its entry points in QSD's order (`describe`,
//! `describe_types`, `TYPE_ORDER`, `register`) over the QMP port's types.
//!
//! What differs from `qapi import`'s own output:
//!
//! * `qmp/mod.rs`: the modules QSD does not include, and the QMP entry
//!   points, are gated by `#[cfg(feature = "qemu-qmp")]` (so that the
//!   `qemu-qsd` feature alone compiles QSD's modules only);
//! * every port gets `register` and `registry` (every command and event
//!   in QEMU's order, for a server);
//! * `cfg-names.txt` lists every condition name of the three schemas
//!   (read by the build script).
//!
//! Regenerate with
//! `QAPI_BLESS=1 cargo test -p qapi-schema --no-default-features --test ports_drift`
//! (the test `ports_drift` compares this output with the committed
//! files).

use std::collections::BTreeSet;
use std::path::Path;

use quote::ToTokens as _;

use crate::import::{GeneratedFile, ImportOptions, cfg_names, import};
use crate::{Dialect, LoadOptions, Loaded, load};

/// The QMP control commands (QEMU's `qapi/control.json` and
/// `query-qmp-schema`) that the registry answers itself; the port
/// registers them with [`qapi_core::Registry::control_command`] at their
/// place in the schema.
pub const CONTROL_COMMANDS: &[&str] = &[
    "qmp_capabilities",
    "query-version",
    "query-commands",
    "quit",
    "query-qmp-schema",
];

/// Schemas, relative to the directory of one QEMU release's schemas.
pub const QMP_SCHEMA: &str = "qapi/qapi-schema.json";
pub const QSD_SCHEMA: &str = "storage-daemon/qapi/qapi-schema.json";
pub const QGA_SCHEMA: &str = "qga/qapi-schema.json";

/// One file of the ports: its path relative to `src/ports/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortFile {
    pub path: String,
    pub text: String,
}

fn load_schema(dir: &Path, rel: &str) -> Result<Loaded, String> {
    let path = dir.join(rel);
    load(&path, &LoadOptions::new(Dialect::Qemu10)).map_err(|e| e.report())
}

fn import_schema(loaded: &Loaded, what: &str) -> Result<Vec<GeneratedFile>, String> {
    import(loaded, &ImportOptions::default()).map_err(|e| format!("{what}: {e}"))
}

/// The text after a module file's first line (its header names the
/// schema file by a path relative to the main file, which differs
/// between QMP and QSD).
fn body(text: &str) -> &str {
    text.split_once('\n').map(|(_, b)| b).unwrap_or("")
}

/// Generates every file of `src/ports/` from `schemas`, the directory of
/// QEMU 10.0.2's schemas (`…/qemu/schemas/v10.0.2`).
pub fn generate(schemas: &Path) -> Result<Vec<PortFile>, String> {
    let qmp = load_schema(schemas, QMP_SCHEMA)?;
    let qsd = load_schema(schemas, QSD_SCHEMA)?;
    let qga = load_schema(schemas, QGA_SCHEMA)?;
    let qmp_files = import_schema(&qmp, "QMP")?;
    let qsd_files = import_schema(&qsd, "QSD")?;
    let qga_files = import_schema(&qga, "QGA")?;

    // QSD's modules must be QMP's, word for word.
    let mut qsd_modules = BTreeSet::new();
    for f in qsd_files.iter().filter(|f| f.name != "mod.rs") {
        let Some(q) = qmp_files.iter().find(|q| q.name == f.name) else {
            return Err(format!("QSD module {} is not a QMP module", f.name));
        };
        if body(&q.text) != body(&f.text) {
            return Err(format!(
                "QSD module {} differs from the QMP module of the same name: the \
                 ports cannot share QMP's types",
                f.name
            ));
        }
        qsd_modules.insert(f.name.trim_end_matches(".rs").to_owned());
    }

    let mut out = Vec::new();
    for f in &qmp_files {
        let text = if f.name == "mod.rs" {
            qmp_mod_rs(&f.text, &qmp, &qsd_modules)?
        } else {
            f.text.clone()
        };
        out.push(PortFile {
            path: format!("qmp/{}", f.name),
            text,
        });
    }
    let qsd_mod = &qsd_files[0];
    out.push(PortFile {
        path: "qsd.rs".to_owned(),
        text: qsd_rs(&qsd_mod.text, &qsd)?,
    });
    for f in &qga_files {
        let text = if f.name == "mod.rs" {
            let mut t = f.text.clone();
            t.push('\n');
            t.push_str(&register_fn(&f.text, &qga, None)?);
            t
        } else {
            f.text.clone()
        };
        out.push(PortFile {
            path: format!("qga/{}", f.name),
            text,
        });
    }
    let mut names = BTreeSet::new();
    for l in [&qmp, &qsd, &qga] {
        names.extend(cfg_names(&l.schema));
    }
    let mut list = String::from(
        "# Every condition name of QEMU 10.0.2's QMP, storage-daemon and guest-agent\n\
         # schemas (generated; read by build.rs).\n",
    );
    for n in names {
        list.push_str(&n);
        list.push('\n');
    }
    out.push(PortFile {
        path: "cfg-names.txt".to_owned(),
        text: list,
    });
    Ok(out)
}

const QMP_ONLY: &str = "#[cfg(feature = \"qemu-qmp\")]";

/// `qmp/mod.rs`: `qapi import`'s, with the modules QSD lacks and the
/// QMP entry points gated by the `qemu-qmp` feature, plus `register`.
fn qmp_mod_rs(text: &str, qmp: &Loaded, qsd_modules: &BTreeSet<String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len() + 4096);
    for line in text.lines() {
        let module = line
            .strip_prefix("pub mod ")
            .and_then(|m| m.strip_suffix(';'))
            .or_else(|| {
                line.strip_prefix("pub use ")
                    .and_then(|m| m.strip_suffix("::*;"))
            });
        let gate = match module {
            Some(m) => !qsd_modules.contains(m.trim_start_matches("r#")),
            None => {
                line.starts_with("pub fn describe(")
                    || line.starts_with("pub fn describe_types(")
                    || line.starts_with("pub fn schema(")
                    || line.starts_with("pub const TYPE_ORDER")
            }
        };
        if gate {
            out.push_str(QMP_ONLY);
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&register_fn(text, qmp, Some(QMP_ONLY))?);
    Ok(out)
}

/// `qsd.rs`: QSD's entry points over the QMP port's types.
fn qsd_rs(text: &str, qsd: &Loaded) -> Result<String, String> {
    let start = text
        .find("/// Registers every command and event")
        .ok_or("QSD's mod.rs: no describe()")?;
    let mut out = String::from(
        "//! The storage daemon's entry points: its commands and events in\n\
         //! QEMU's order, over the types of the QMP port (QSD's schema is a\n\
         //! subset of QMP's modules).\n//!\n",
    );
    let main = qsd.modules.first().map(String::as_str).unwrap_or("?");
    out.push_str(&format!(
        "//! Generated from `{QSD_SCHEMA}` (main file `{main}`) by\n\
         //! `qapi_schema::portgen`; do not edit.\n\n"
    ));
    out.push_str("#[allow(unused_imports)]\nuse super::qmp::*;\n\n");
    out.push_str(&text[start..]);
    out.push('\n');
    out.push_str(&register_fn(text, qsd, None)?);
    Ok(out)
}

/// `register` and `registry`: every command (declared, or a control
/// command at its place) and event of `describe` in order, plus
/// `describe_types` and `TYPE_ORDER`.
fn register_fn(mod_rs: &str, loaded: &Loaded, gate: Option<&str>) -> Result<String, String> {
    let file = syn::parse_file(mod_rs).map_err(|e| format!("generated mod.rs: {e}"))?;
    let describe = file
        .items
        .iter()
        .find_map(|i| match i {
            syn::Item::Fn(f) if f.sig.ident == "describe" => Some(f),
            _ => None,
        })
        .ok_or("generated mod.rs: no describe()")?;
    let entry_points: Vec<&qapi_core::schema::Definition> = loaded
        .schema
        .definitions()
        .iter()
        .filter(|d| d.is_entry_point())
        .collect();
    if entry_points.len() != describe.block.stmts.len() {
        return Err(format!(
            "describe() has {} statements for {} commands and events",
            describe.block.stmts.len(),
            entry_points.len()
        ));
    }
    let has_control = entry_points
        .iter()
        .any(|d| CONTROL_COMMANDS.contains(&d.name()));
    let mut body = String::new();
    for (stmt, d) in describe.block.stmts.iter().zip(&entry_points) {
        let syn::Stmt::Expr(syn::Expr::Call(call), _) = stmt else {
            return Err(format!("describe(): unexpected statement for {}", d.name()));
        };
        let syn::Expr::Path(p) = &*call.func else {
            return Err(format!("describe(): unexpected call for {}", d.name()));
        };
        let qself = p
            .qself
            .as_ref()
            .ok_or_else(|| format!("describe(): no type for {}", d.name()))?;
        let ty = qself.ty.to_token_stream().to_string();
        for a in &call.attrs {
            body.push_str(&a.to_token_stream().to_string());
            body.push('\n');
        }
        let is_event = p
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "describe_event");
        if is_event {
            body.push_str(&format!("r.event::<{ty}>();\n"));
        } else if CONTROL_COMMANDS.contains(&d.name()) {
            body.push_str(&format!("r.control_command({:?});\n", d.name()));
        } else {
            body.push_str(&format!("r.declare::<{ty}>();\n"));
        }
    }
    let mut names = String::new();
    for n in cfg_names(&loaded.schema) {
        names.push_str(&format!("{n:?},\n"));
    }
    let gate = gate.map(|g| format!("{g}\n")).unwrap_or_default();
    let start = if has_control {
        "with QMP's control commands answered by the registry itself \
         ([`::qapi::Registry::control_command`], at their place in QEMU's order)"
    } else {
        "(the schema has no QMP control commands)"
    };
    let text = format!(
        "/// Registers every command and event in QEMU's definition order into\n\
         /// `r` (normally [`::qapi::Registry::empty`]): commands are declared\n\
         /// ([`::qapi::Registry::declare`]: listed, arguments validated, then\n\
         /// `Command 'x' is not implemented`) until a handler replaces them in\n\
         /// place ([`::qapi::Registry::command`]), {start}.\n\
         /// Also describes every type ([`describe_types`]) and numbers them by\n\
         /// [`TYPE_ORDER`], so introspection shows QEMU's numbering gaps.\n\
         {gate}pub fn register<S: Send + Sync + 'static>(r: &mut ::qapi::Registry<S>) {{\n\
         {body}r.types(describe_types);\nr.set_type_order(TYPE_ORDER);\n}}\n\n\
         /// A registry of the whole schema ([`register`] into\n\
         /// [`::qapi::Registry::empty`]), ready for handlers.\n\
         {gate}pub fn registry<S: Send + Sync + 'static>() -> ::qapi::Registry<S> {{\n\
         let mut r = ::qapi::Registry::empty();\nregister(&mut r);\nr\n}}\n\n\
         /// The condition names this schema uses (its `#[cfg]`s), sorted.\n\
         pub const CFG_NAMES: &[&str] = &[\n{names}];\n"
    );
    let parsed = syn::parse_file(&text).map_err(|e| format!("register(): {e}\n{text}"))?;
    let pretty = prettyplease::unparse(&parsed);
    // A blank line between the two functions.
    Ok(pretty
        .replacen("\n}\n/// A registry", "\n}\n\n/// A registry", 1)
        .replacen(
            "\n}\n/// The condition names",
            "\n}\n\n/// The condition names",
            1,
        ))
}
