//! The `qapi` command-line tool.
#![forbid(unsafe_code)]

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use qapi_core::schema::{Definition, IntrospectOptions};
use qapi_schema::diff::{self, Dump};
use qapi_schema::import::{ImportError, ImportOptions, import, write_files};
use qapi_schema::introspect::{self as intro, Format};
use qapi_schema::{Dialect, LoadOptions, check_report};

/// Tools for QAPI schemas (QEMU's `.json` schema language).
#[derive(Parser)]
#[command(name = "qapi", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a schema; on error print QEMU 10.0.2's message to stderr and
    /// exit with status 1.
    Check {
        /// The main schema file.
        file: PathBuf,
        /// Read with the rules of old QEMU releases (1.1 to 6.1).
        #[arg(long)]
        legacy: bool,
        /// Print each definition (meta-type and name) in definition order.
        #[arg(long)]
        list: bool,
    },
    /// Print the `query-qmp-schema` answer of a schema (QEMU's
    /// introspection), by default as a JSON array with one entity per
    /// line in QEMU's wire text.
    Introspect {
        /// The main schema file (or `--port`).
        #[arg(required_unless_present = "port")]
        file: Option<PathBuf>,
        /// Print the introspection of one of the compiled-in ports of
        /// QEMU 10.0.2 instead (`qmp`, `qsd` or `qga`), through the
        /// derives, with the conditions this binary was built with
        /// (`QAPI_QEMU_CFG`, default Debian's x86_64 build).
        #[arg(long, value_name = "PORT", conflicts_with_all = ["file", "legacy", "era", "conditional"])]
        port: Option<String>,
        /// Keep real type names (QEMU's `--unmask-non-abi-names`).
        #[arg(long)]
        unmask: bool,
        /// Set this condition name (repeatable); with `--cfg` or
        /// `--cfg-profile`, exactly the names given are set and every
        /// other condition is false.
        #[arg(long = "cfg", value_name = "NAME")]
        cfgs: Vec<String>,
        /// Take every condition as true (the default).
        #[arg(long, conflicts_with_all = ["cfgs", "cfg_profile"])]
        all_cfg: bool,
        /// Set the conditions of a real build: `debian-10.0.2-x86_64`
        /// (qemu-system-x86_64) or `debian-10.0.2-host` (host-wide only:
        /// qemu-storage-daemon, qemu-ga).
        #[arg(long, value_name = "NAME")]
        cfg_profile: Vec<String>,
        /// Read with the rules of old QEMU releases (1.1 to 6.1).
        #[arg(long)]
        legacy: bool,
        /// Which generator to reproduce: `current` (6.2 and later), `5.0`
        /// (5.0 to 6.1), `2.11` (2.10, 2.11).
        #[arg(long, default_value = "current")]
        era: String,
        /// Print QEMU's exact one-line wire text instead.
        #[arg(long, conflicts_with = "conditional")]
        qemu_text: bool,
        /// Print every conditional piece as `{"if": ..., "then": ...}`.
        #[arg(long)]
        conditional: bool,
        /// As with `-compat deprecated-output=hide`.
        #[arg(long)]
        hide_deprecated: bool,
    },
    /// Write Rust source using `#[derive(Qapi)]` for a schema: one module
    /// per schema file plus `mod.rs` (see `qapi_schema::import`).
    Import {
        /// The main schema file.
        file: PathBuf,
        /// Output directory (created if missing).
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        out: PathBuf,
        /// Emit doc comments from the schema's documentation.
        #[arg(long)]
        docs: bool,
        /// Read with the rules of old QEMU releases (1.1 to 6.1).
        #[arg(long)]
        legacy: bool,
        /// Path of the `qapi` crate in generated code.
        #[arg(long = "crate", value_name = "PATH", default_value = "::qapi")]
        krate: String,
        /// The generator whose type order `TYPE_ORDER` records: `current`,
        /// `5.0` (same order) or `2.11` (commands and events sorted).
        #[arg(long, default_value = "current")]
        era: String,
    },
    /// Compare two introspection dumps (`query-qmp-schema` answers,
    /// masked or not) structurally: exit status 0 when equal, 1 when they
    /// differ, 2 on error. A `.json` schema file (QAPI syntax) may stand
    /// for its introspection with every condition true.
    Diff {
        /// The old dump.
        a: PathBuf,
        /// The new dump.
        b: PathBuf,
        /// Print the differences as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The introspection (every condition true, masked) of a `.json` schema
/// file, read with today's rules or else the legacy ones.
fn schema_dump(p: &std::path::Path) -> Result<Dump, String> {
    let loaded = match check_report(p, &LoadOptions::new(Dialect::Qemu10)) {
        Ok(l) => l,
        Err(report) => check_report(p, &LoadOptions::new(Dialect::Legacy)).map_err(|_| {
            format!(
                "{}: neither an introspection dump (not JSON) nor a schema:\n{}",
                p.display(),
                report.trim_end()
            )
        })?,
    };
    let i = intro::run(&loaded.schema, &IntrospectOptions::new())
        .map_err(|e| format!("{}: {e}", p.display()))?;
    Dump::from_json(&i.to_json())
}

fn dialect(legacy: bool) -> Dialect {
    if legacy {
        Dialect::Legacy
    } else {
        Dialect::Qemu10
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { file, legacy, list } => {
            match check_report(&file, &LoadOptions::new(dialect(legacy))) {
                Ok(loaded) => {
                    if list {
                        for d in loaded.schema.definitions() {
                            let meta = match d {
                                Definition::SimpleUnion(_) => "simple-union",
                                _ => d.meta(),
                            };
                            println!("{meta} {}", d.name());
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(report) => {
                    eprint!("{report}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Introspect {
            file,
            port: Some(port),
            unmask,
            cfgs,
            all_cfg,
            cfg_profile,
            qemu_text,
            hide_deprecated,
            ..
        } => introspect_port(
            &port,
            unmask,
            &cfgs,
            all_cfg,
            &cfg_profile,
            qemu_text,
            hide_deprecated,
            file.is_some(),
        ),
        Command::Introspect {
            file: Some(file),
            port: None,
            unmask,
            cfgs,
            all_cfg: _,
            cfg_profile,
            legacy,
            era,
            qemu_text,
            conditional,
            hide_deprecated,
        } => {
            let Some(era) = intro::parse_era(&era) else {
                eprintln!("qapi: unknown era '{era}' (expected current, 5.0 or 2.11)");
                return ExitCode::from(2);
            };
            let mut profiles = Vec::new();
            for p in &cfg_profile {
                match intro::profile(p) {
                    Some(set) => profiles.push(set),
                    None => {
                        let known: Vec<&str> = intro::PROFILES.iter().map(|(n, _)| *n).collect();
                        eprintln!(
                            "qapi: unknown condition profile '{p}' (known: {})",
                            known.join(", ")
                        );
                        return ExitCode::from(2);
                    }
                }
            }
            let loaded = match check_report(&file, &LoadOptions::new(dialect(legacy))) {
                Ok(l) => l,
                Err(report) => {
                    eprint!("{report}");
                    return ExitCode::from(1);
                }
            };
            let opts = IntrospectOptions::new()
                .unmask(unmask)
                .era(era)
                .hide_deprecated(hide_deprecated)
                .conds(intro::cond_set(&cfgs, &profiles));
            let format = if qemu_text {
                Format::QemuText
            } else if conditional {
                Format::Conditional
            } else {
                Format::Lines
            };
            match intro::run(&loaded.schema, &opts) {
                Ok(i) => {
                    // A closed pipe (`| head`) is not an error worth a panic.
                    let _ = std::io::stdout().write_all(intro::render(&i, format).as_bytes());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("qapi: {}: {e}", file.display());
                    ExitCode::from(1)
                }
            }
        }
        Command::Introspect {
            file: None,
            port: None,
            ..
        } => {
            eprintln!("qapi: introspect needs a schema file or --port");
            ExitCode::from(2)
        }
        Command::Import {
            file,
            out,
            docs,
            legacy,
            krate,
            era,
        } => {
            let Some(era) = intro::parse_era(&era) else {
                eprintln!("qapi: unknown era '{era}' (expected current, 5.0 or 2.11)");
                return ExitCode::from(2);
            };
            let loaded = match check_report(&file, &LoadOptions::new(dialect(legacy))) {
                Ok(l) => l,
                Err(report) => {
                    eprint!("{report}");
                    return ExitCode::from(1);
                }
            };
            let opts = ImportOptions { docs, krate, era };
            let files = match import(&loaded, &opts) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("qapi: {}: {e}", file.display());
                    if let ImportError::Generated { file, text, .. } = &e {
                        let broken = out.join(format!("{file}.broken"));
                        if std::fs::create_dir_all(&out).is_ok()
                            && std::fs::write(&broken, text).is_ok()
                        {
                            eprintln!("qapi: unformatted text in {}", broken.display());
                        }
                    }
                    return ExitCode::from(2);
                }
            };
            match write_files(&out, &files) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("qapi: {}: {e}", out.display());
                    ExitCode::from(2)
                }
            }
        }
        Command::Diff { a, b, json } => {
            let read = |p: &PathBuf| -> Result<Dump, String> {
                let text =
                    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
                if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                    // Not JSON: a `.json` schema (QAPI syntax) instead.
                    return schema_dump(p);
                }
                Dump::parse(&text).map_err(|e| format!("{}: {e}", p.display()))
            };
            let (da, db) = match (read(&a), read(&b)) {
                (Ok(x), Ok(y)) => (x, y),
                (Err(e), _) | (_, Err(e)) => {
                    eprintln!("qapi: {e}");
                    return ExitCode::from(2);
                }
            };
            let changes = diff::diff(&da, &db);
            let text = if json {
                let mut t = diff::render_json(&changes).to_string();
                t.push('\n');
                t
            } else {
                diff::render_text(&changes)
            };
            let _ = std::io::stdout().write_all(text.as_bytes());
            if changes.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// `qapi introspect --port`: the derive path's introspection of a
/// compiled-in port, with the conditions of this build.
#[allow(clippy::too_many_arguments)]
fn introspect_port(
    port: &str,
    unmask: bool,
    cfgs: &[String],
    all_cfg: bool,
    cfg_profile: &[String],
    qemu_text: bool,
    hide_deprecated: bool,
    file_given: bool,
) -> ExitCode {
    use qapi_schema::ports::{self, Port};
    if file_given {
        eprintln!("qapi: give either a schema file or --port, not both");
        return ExitCode::from(2);
    }
    let Some(p) = Port::parse(port) else {
        eprintln!("qapi: unknown port '{port}' (expected qmp, qsd or qga)");
        return ExitCode::from(2);
    };
    if !p.compiled() {
        eprintln!(
            "qapi: port '{port}' is not compiled in (cargo feature '{}')",
            p.feature()
        );
        return ExitCode::from(2);
    }
    // A port's conditions are #[cfg]s: the only set available is the one
    // this binary was compiled with. A request is fine when it agrees
    // with it on the names the port's schema uses.
    let names = p.cfg_names();
    let wanted: Option<(String, Vec<&str>)> = if all_cfg {
        Some(("all".to_owned(), names.to_vec()))
    } else if !cfgs.is_empty() || !cfg_profile.is_empty() {
        let mut set: Vec<&str> = cfgs.iter().map(String::as_str).collect();
        for name in cfg_profile {
            match intro::profile(name) {
                Some(profile) => set.extend(profile.iter().copied()),
                None => {
                    eprintln!("qapi: unknown condition profile '{name}'");
                    return ExitCode::from(2);
                }
            }
        }
        let label = cfg_profile
            .iter()
            .cloned()
            .chain(cfgs.iter().cloned())
            .collect::<Vec<_>>()
            .join(",");
        Some((label, set))
    } else {
        None
    };
    if let Some((label, set)) = wanted {
        let requested: Vec<&str> = names.iter().copied().filter(|n| set.contains(n)).collect();
        let built = p.cfg_set();
        if requested != built {
            let env = if all_cfg {
                "all".to_owned()
            } else if cfgs.is_empty() && cfg_profile.len() == 1 {
                label.clone()
            } else {
                requested.join(",")
            };
            let differ: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| requested.contains(n) != built.contains(n))
                .collect();
            eprintln!(
                "qapi: the conditions of a port are fixed when qapi is compiled: this qapi \
                 was built with QAPI_QEMU_CFG={}, which differs from '{label}' for the \
                 {port} schema on {}; rebuild it with QAPI_QEMU_CFG={env} \
                 (e.g. QAPI_QEMU_CFG={env} cargo install --path qapi-schema)",
                ports::CFG_PROFILE,
                differ.join(", ")
            );
            return ExitCode::from(2);
        }
    }
    let Some(intro_) = p.introspect_with(unmask, hide_deprecated) else {
        return ExitCode::from(2);
    };
    let format = if qemu_text {
        Format::QemuText
    } else {
        Format::Lines
    };
    let _ = std::io::stdout().write_all(intro::render(&intro_, format).as_bytes());
    ExitCode::SUCCESS
}
