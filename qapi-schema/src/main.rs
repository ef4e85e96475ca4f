//! The `qapi` command-line tool.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use qapi_core::schema::Definition;
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { file, legacy, list } => {
            let dialect = if legacy {
                Dialect::Legacy
            } else {
                Dialect::Qemu10
            };
            match check_report(&file, &LoadOptions::new(dialect)) {
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
    }
}
