//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The shared reference material (`../shared` next to the workspace, or
/// `$QAPI_SHARED_DIR`), if present. Prints a skip notice otherwise.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("QAPI_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    match dir.canonicalize() {
        Ok(d) if d.is_dir() => Some(d),
        _ => {
            println!(
                "{test}: skipped: shared material not found at {}",
                dir.display()
            );
            None
        }
    }
}

/// Schema text captured from a web view with a line number before each
/// line (`"123 text"`, blank lines dropped): puts every line back at its
/// number, so that positions match the original file. Lines without a
/// number (page headers) are dropped; no-break spaces become spaces.
pub fn strip_line_numbers(text: &str) -> String {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for l in text.lines() {
        let digits = l.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            continue;
        }
        let Ok(n) = l[..digits].parse::<usize>() else {
            continue;
        };
        let rest = &l[digits..];
        let rest = rest.strip_prefix([' ', '\u{a0}']).unwrap_or(rest);
        lines.push((n, rest.replace('\u{a0}', " ")));
    }
    let max = lines.iter().map(|(n, _)| *n).max().unwrap_or(0);
    let mut out = vec![String::new(); max];
    for (n, l) in lines {
        if n >= 1 {
            out[n - 1] = l;
        }
    }
    out.join("\n") + "\n"
}
