//! Path arithmetic the way Python's `os.path` does it, so that file names
//! in messages read exactly like QEMU's.

use std::path::{Path, PathBuf};

/// `os.path.dirname`.
pub(crate) fn dirname(p: &str) -> &str {
    match p.rfind('/') {
        None => "",
        Some(i) => {
            let head = &p[..=i];
            let trimmed = head.trim_end_matches('/');
            if trimmed.is_empty() { head } else { trimmed }
        }
    }
}

/// `os.path.join(a, b)` for two components.
pub(crate) fn join(a: &str, b: &str) -> String {
    if b.starts_with('/') || a.is_empty() {
        b.to_owned()
    } else if a.ends_with('/') {
        format!("{a}{b}")
    } else {
        format!("{a}/{b}")
    }
}

/// `os.path.abspath`, relative to `base` instead of the process's
/// working directory. Purely lexical (no symlinks resolved).
pub(crate) fn abspath(p: &str, base: &Path) -> String {
    let full = if p.starts_with('/') {
        p.to_owned()
    } else {
        join(&base.to_string_lossy(), p)
    };
    let mut parts: Vec<&str> = Vec::new();
    for comp in full.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

/// `os.path.relpath` between two absolute, normalised paths.
pub(crate) fn relpath(target: &str, dir: &str) -> String {
    let t: Vec<&str> = target.split('/').filter(|c| !c.is_empty()).collect();
    let d: Vec<&str> = dir.split('/').filter(|c| !c.is_empty()).collect();
    let common = t.iter().zip(&d).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; d.len() - common];
    parts.extend(&t[common..]);
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// The path to open for a file name given relative to `base`.
pub(crate) fn resolve(p: &str, base: &Path) -> PathBuf {
    let path = Path::new(p);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}

/// The `strerror` text of an I/O error, as Python's `err.strerror`.
pub(crate) fn strerror(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => text[..i].to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_like() {
        assert_eq!(dirname("a.json"), "");
        assert_eq!(dirname("include/a.json"), "include");
        assert_eq!(dirname("/a.json"), "/");
        assert_eq!(join("", "x.json"), "x.json");
        assert_eq!(join("include", "../x.json"), "include/../x.json");
        assert_eq!(abspath("include/../x.json", Path::new("/t")), "/t/x.json");
        assert_eq!(abspath("./a//b", Path::new("/")), "/a/b");
        assert_eq!(relpath("/t/q/a.json", "/t/q"), "a.json");
        assert_eq!(relpath("/t/x.json", "/t/q"), "../x.json");
    }
}
