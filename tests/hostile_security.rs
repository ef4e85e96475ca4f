//! Security defaults (SECURITY.md):
//!
//! * no `unsafe` anywhere in the repository's Rust sources, and every
//!   library and binary crate root says `#![forbid(unsafe_code)]` (every
//!   package's manifest forbids it for its other targets);
//! * the licenses of the dependency graph are among those `deny.toml`
//!   allows (offline: `cargo metadata` of the host's graph; cargo-deny
//!   itself needs network for its advisory database);
//! * unix sockets are owner-only from the moment they appear, also under
//!   a umask of 000, and the private directory they are bound in is gone;
//! * TCP is loopback-only unless asked, in the library and the example;
//! * the blocking server still stops when its socket came from
//!   `bind_unix` (its accept is woken through the public path).

mod hostile_util;
mod server_util;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use qapi::server::{ServerConfig, bind_unix, blocking};
use server_util::TempDir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

// ---------------------------------------------------------------- unsafe

/// Every `.rs` file of the repository, build output and corpora aside.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ty = entry.file_type().unwrap();
        if ty.is_dir() {
            if name.starts_with('.')
                || matches!(
                    name.as_ref(),
                    "target" | "corpus" | "artifacts" | "node_modules"
                )
            {
                continue;
            }
            rust_files(&path, out);
        } else if ty.is_file() && name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The identifiers of Rust source text, comments, strings and character
/// literals left out (raw strings, byte strings, nested block comments;
/// a `'` starts a character literal only where a lifetime cannot).
fn identifiers(src: &str) -> Vec<(usize, String)> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let n = c.len();
    let skip_string = |i: &mut usize, line: &mut usize| {
        // At the opening quote.
        *i += 1;
        while *i < n && c[*i] != '"' {
            if c[*i] == '\\' {
                *i += 1;
            }
            if *i < n && c[*i] == '\n' {
                *line += 1;
            }
            *i += 1;
        }
        *i += 1;
    };
    while i < n {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch == '/' && c.get(i + 1) == Some(&'/') {
            while i < n && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && c.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < n {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if c[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if ch == '"' {
            skip_string(&mut i, &mut line);
        } else if ch == '\'' {
            if c.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < n && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1; // a lifetime or label
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < n && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            let raw_prefix = matches!(word.as_str(), "r" | "br" | "cr");
            if raw_prefix && matches!(c.get(i), Some('"') | Some('#')) {
                let mut hashes = 0;
                while c.get(i) == Some(&'#') {
                    hashes += 1;
                    i += 1;
                }
                if c.get(i) == Some(&'"') {
                    i += 1;
                    loop {
                        if i >= n {
                            break;
                        }
                        if c[i] == '\n' {
                            line += 1;
                        }
                        if c[i] == '"' && (0..hashes).all(|k| c.get(i + 1 + k) == Some(&'#')) {
                            i += 1 + hashes;
                            break;
                        }
                        i += 1;
                    }
                    continue;
                }
                // `r#ident`: a raw identifier.
                continue;
            }
            if matches!(word.as_str(), "b" | "c") && c.get(i) == Some(&'"') {
                skip_string(&mut i, &mut line);
                continue;
            }
            if word == "b" && c.get(i) == Some(&'\'') {
                continue; // the byte literal is skipped as a char literal
            }
            out.push((line, word));
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn the_scanner_sees_through_comments_and_strings() {
    let src = r####"
        // unsafe in a comment
        /* unsafe /* nested unsafe */ still comment */
        let s = "unsafe \" unsafe";
        let r = r#"unsafe " unsafe"#;
        let b = b"unsafe"; let c = 'u'; let q = '\''; fn f<'a>(x: &'a u8) {}
        unsafe { work() }
    "####;
    let words: Vec<(usize, String)> = identifiers(src)
        .into_iter()
        .filter(|(_, w)| w == "unsafe")
        .collect();
    assert_eq!(words, [(7, "unsafe".to_owned())]);
}

#[test]
fn no_unsafe_code_anywhere() {
    let mut files = Vec::new();
    rust_files(&root(), &mut files);
    assert!(files.len() > 50, "found only {} files", files.len());
    let mut found = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        let name = f.strip_prefix(root()).unwrap().display();
        // The lint level last named before `unsafe_code`: nobody
        // loosens the lint either.
        let mut level = String::new();
        for (line, w) in identifiers(&src) {
            if w == "unsafe" {
                found.push(format!("{name}:{line}: unsafe"));
            } else if matches!(w.as_str(), "allow" | "warn" | "expect" | "deny" | "forbid") {
                level = w;
            } else if w == "unsafe_code" && !matches!(level.as_str(), "deny" | "forbid") {
                found.push(format!("{name}:{line}: {level}(unsafe_code)"));
            }
        }
    }
    assert!(found.is_empty(), "unsafe code: {found:#?}");
}

/// Library, proc-macro and binary targets of every package (the
/// workspace and the fuzz project), from `cargo metadata --no-deps`.
fn crate_roots(manifest: &Path) -> Vec<(String, PathBuf)> {
    let out = Command::new(cargo())
        .args([
            "metadata",
            "--offline",
            "--no-deps",
            "--format-version",
            "1",
        ])
        .arg("--manifest-path")
        .arg(manifest)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut roots = Vec::new();
    for p in meta["packages"].as_array().unwrap() {
        for t in p["targets"].as_array().unwrap() {
            let kind = t["kind"][0].as_str().unwrap();
            if matches!(kind, "lib" | "proc-macro" | "bin") {
                roots.push((
                    p["manifest_path"].as_str().unwrap().to_owned(),
                    PathBuf::from(t["src_path"].as_str().unwrap()),
                ));
            }
        }
    }
    roots
}

#[test]
fn every_crate_forbids_unsafe_code() {
    let mut roots = crate_roots(&root().join("Cargo.toml"));
    if root().join("fuzz/Cargo.toml").exists() {
        roots.extend(crate_roots(&root().join("fuzz/Cargo.toml")));
    }
    assert!(roots.len() >= 6, "{roots:?}");
    let workspace = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let workspace_forbids = workspace.contains("[workspace.lints.rust]\nunsafe_code = \"forbid\"");
    let mut missing = Vec::new();
    let mut manifests: Vec<&String> = roots.iter().map(|(m, _)| m).collect();
    manifests.sort();
    manifests.dedup();
    for m in manifests {
        // Tests, examples, benches and build scripts of the package are
        // covered by its lints.
        let text = std::fs::read_to_string(m).unwrap();
        let own = text.contains("unsafe_code = \"forbid\"");
        let inherited = workspace_forbids && text.contains("[lints]\nworkspace = true");
        if !own && !inherited {
            missing.push(format!("{m}: no unsafe_code = \"forbid\" lint"));
        }
    }
    for (_, src) in &roots {
        let text = std::fs::read_to_string(src).unwrap();
        if !text.contains("#![forbid(unsafe_code)]") {
            missing.push(format!("{}: no #![forbid(unsafe_code)]", src.display()));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

// ---------------------------------------------------------------- licenses

/// The `allow` list of deny.toml's `[licenses]`.
fn allowed_licenses() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("deny.toml")).unwrap();
    let section = &text[text.find("\n[licenses]").expect("[licenses] in deny.toml")..];
    let list = &section[section.find("allow = [").expect("allow list") + 9..];
    let list = &list[..list.find(']').unwrap()];
    list.lines()
        .map(|l| l.split('#').next().unwrap().trim().trim_end_matches(','))
        .filter(|l| !l.is_empty())
        .map(|l| l.trim_matches('"').to_owned())
        .collect()
}

/// Whether an SPDX expression (also the old `A/B` form) is satisfied by
/// the allowed licenses.
fn license_ok(expr: &str, allowed: &[String]) -> bool {
    let spaced = expr
        .replace('(', " ( ")
        .replace(')', " ) ")
        .replace('/', " OR ");
    let toks: Vec<&str> = spaced.split_whitespace().collect();
    fn or(t: &[&str], i: &mut usize, a: &[String]) -> bool {
        let mut ok = and(t, i, a);
        while t.get(*i) == Some(&"OR") {
            *i += 1;
            ok |= and(t, i, a);
        }
        ok
    }
    fn and(t: &[&str], i: &mut usize, a: &[String]) -> bool {
        let mut ok = primary(t, i, a);
        while t.get(*i) == Some(&"AND") {
            *i += 1;
            ok &= primary(t, i, a);
        }
        ok
    }
    fn primary(t: &[&str], i: &mut usize, a: &[String]) -> bool {
        if t.get(*i) == Some(&"(") {
            *i += 1;
            let ok = or(t, i, a);
            assert_eq!(t.get(*i), Some(&")"), "unbalanced license expression");
            *i += 1;
            return ok;
        }
        let mut id = t[*i].to_owned();
        *i += 1;
        if t.get(*i) == Some(&"WITH") {
            id = format!("{id} WITH {}", t[*i + 1]);
            *i += 2;
        }
        a.contains(&id)
    }
    let mut i = 0;
    let ok = or(&toks, &mut i, allowed);
    assert_eq!(i, toks.len(), "could not read license expression {expr:?}");
    ok
}

#[test]
fn license_expressions() {
    let a: Vec<String> = ["MIT", "Apache-2.0", "Unicode-3.0"]
        .map(String::from)
        .to_vec();
    assert!(license_ok("MIT OR Apache-2.0", &a));
    assert!(license_ok("MIT/Apache-2.0", &a));
    assert!(license_ok("(MIT OR Apache-2.0) AND Unicode-3.0", &a));
    assert!(!license_ok("GPL-3.0", &a));
    assert!(!license_ok("MIT AND GPL-3.0", &a));
    assert!(license_ok("Apache-2.0 WITH LLVM-exception OR MIT", &a));
    assert!(!license_ok("Apache-2.0 WITH LLVM-exception", &a));
}

/// The check `cargo deny check licenses` does, offline: every crate of
/// the host's dependency graph (all features, dev-dependencies included)
/// is under licenses deny.toml allows.
#[test]
fn dependency_licenses_are_allowed() {
    let host = Command::new("rustc")
        .arg("-vV")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8(o.stdout)
                .ok()?
                .lines()
                .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        });
    let mut cmd = Command::new(cargo());
    cmd.args([
        "metadata",
        "--offline",
        "--all-features",
        "--format-version",
        "1",
    ])
    .current_dir(root());
    if let Some(h) = &host {
        cmd.args(["--filter-platform", h]);
    }
    let out = cmd.output().unwrap();
    if !out.status.success() {
        // Without network and without every package in cargo's cache.
        eprintln!(
            "skipped: cargo metadata --offline failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let allowed = allowed_licenses();
    assert!(allowed.contains(&"MIT".to_owned()), "{allowed:?}");
    let in_graph: std::collections::HashSet<&str> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    let mut bad = Vec::new();
    let mut checked = 0;
    for p in meta["packages"].as_array().unwrap() {
        if !in_graph.contains(p["id"].as_str().unwrap()) || p["source"].is_null() {
            continue; // not in the graph, or one of ours (path dependency)
        }
        checked += 1;
        match p["license"].as_str() {
            Some(l) if license_ok(l, &allowed) => {}
            l => bad.push(format!("{} {}: {l:?}", p["name"], p["version"])),
        }
    }
    assert!(checked > 20, "only {checked} packages");
    assert!(
        bad.is_empty(),
        "licenses not allowed by deny.toml: {bad:#?}"
    );
}

// ---------------------------------------------------------------- sockets

/// Binding under a umask of 000 (which would give a bound socket mode
/// 0777): run in a child process (`sh -c 'umask 000; exec …'`) while this
/// process watches the directory: the socket is never seen with group or
/// other permissions, nor the private directory, which is gone after
/// each bind; the listener's own (temporary) path no longer exists.
#[test]
fn unix_sockets_are_never_visible_to_others() {
    if let Ok(dir) = std::env::var("QAPI_HOSTILE_BIND_DIR") {
        let dir = PathBuf::from(dir);
        // The umask really is 000 here.
        let probe = dir.join("probe");
        std::fs::File::create(&probe).unwrap();
        let mode = std::fs::metadata(&probe).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o666, "umask not 000");
        std::fs::remove_file(&probe).unwrap();
        let path = dir.join("qmp.sock");
        for _ in 0..300 {
            let l = bind_unix(&path).unwrap();
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let tmp = l.local_addr().unwrap().as_pathname().unwrap().to_owned();
            assert_ne!(tmp, path);
            assert!(!tmp.exists() && !tmp.parent().unwrap().exists());
            let names: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(names, ["qmp.sock"]);
            // Clients connect through the public path.
            std::os::unix::net::UnixStream::connect(&path).unwrap();
            drop(l);
            std::fs::remove_file(&path).unwrap();
        }
        return;
    }
    let dir = TempDir::new("umask");
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (dir, stop) = (dir.0.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut seen = (0usize, 0usize);
            while !stop.load(Ordering::SeqCst) {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for e in entries.flatten() {
                    // The child's own check that its umask is 000.
                    if e.file_name() == "probe" {
                        continue;
                    }
                    let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
                        continue;
                    };
                    let mode = meta.permissions().mode() & 0o777;
                    assert_eq!(
                        mode & 0o077,
                        0,
                        "{:?} seen with mode {mode:o}",
                        e.file_name()
                    );
                    if meta.is_dir() {
                        seen.1 += 1;
                    } else {
                        seen.0 += 1;
                    }
                }
            }
            seen
        })
    };
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"umask 000 && exec "$0" "$@""#)
        .arg(&exe)
        .args([
            "unix_sockets_are_never_visible_to_others",
            "--exact",
            "--nocapture",
        ])
        .env("QAPI_HOSTILE_BIND_DIR", &dir.0)
        .output()
        .unwrap();
    stop.store(true, Ordering::SeqCst);
    let (sockets, dirs) = watcher.join().expect("a socket or directory was exposed");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "watched: socket seen {sockets} times, private directory {dirs} times, always owner-only"
    );
}

/// A path too long for the private directory next to it: bound in
/// place if the directory lets nobody else in, refused otherwise.
#[test]
fn long_socket_paths() {
    let dir = TempDir::new("long");
    let deep = |mode: u32| {
        let d = dir.0.join(format!(
            "{mode:o}-{}",
            "d".repeat(70 - dir.0.as_os_str().len().min(60))
        ));
        std::fs::create_dir(&d).unwrap();
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(mode)).unwrap();
        let path = d.join("s".repeat(102 - d.as_os_str().len()));
        assert_eq!(path.as_os_str().len(), 103);
        path
    };
    let private = deep(0o700);
    let l = bind_unix(&private).unwrap();
    let mode = std::fs::metadata(&private).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    std::os::unix::net::UnixStream::connect(&private).unwrap();
    drop(l);
    let open = deep(0o755);
    let e = bind_unix(&open).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{e}");
    assert!(!open.exists());
    // Short enough: the private directory is used wherever it is.
    let short = dir.0.join("ok.sock");
    drop(bind_unix(&short).unwrap());
}

#[test]
fn the_blocking_server_stops_on_a_bind_unix_listener() {
    let dir = TempDir::new("wake");
    let path = dir.0.join("qmp.sock");
    let listener = bind_unix(&path).unwrap();
    let config = ServerConfig::qmp();
    let token = config.shutdown_token().clone();
    let server = blocking::Server::new(Arc::new(qapi::Registry::<()>::new()), Arc::new(()), config);
    let h = std::thread::spawn(move || server.serve_unix_listener(listener));
    std::thread::sleep(Duration::from_millis(50));
    let t = Instant::now();
    token.shutdown();
    while !h.is_finished() {
        assert!(t.elapsed() < Duration::from_secs(5), "accept was not woken");
        std::thread::sleep(Duration::from_millis(5));
    }
    h.join().unwrap().unwrap();
}

// ---------------------------------------------------------------- TCP

#[test]
fn tcp_is_loopback_only_unless_allowed() {
    let registry = Arc::new(qapi::Registry::<()>::new());
    let denied = |r: std::io::Result<()>| {
        let e = r.expect_err("served a non-loopback address");
        assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied, "{e}");
        assert!(e.to_string().contains("not a loopback address"), "{e}");
    };
    // Blocking server.
    let b = blocking::Server::new(Arc::clone(&registry), Arc::new(()), ServerConfig::qmp());
    denied(b.serve_tcp("0.0.0.0:0"));
    denied(b.serve_tcp_listener(std::net::TcpListener::bind("0.0.0.0:0").unwrap()));
    // Async server.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let a = qapi::server::Server::new(Arc::clone(&registry), Arc::new(()), ServerConfig::qmp());
    rt.block_on(async {
        denied(a.serve_tcp("0.0.0.0:0").await);
        let l = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
        denied(a.serve_tcp_listener(l).await);
    });
    // Asked for: served.
    let config = ServerConfig::qmp().allow_non_loopback(true);
    let token = config.shutdown_token().clone();
    let b = blocking::Server::new(registry, Arc::new(()), config);
    let l = std::net::TcpListener::bind("0.0.0.0:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let h = std::thread::spawn(move || b.serve_tcp_listener(l));
    let mut p =
        hostile_util::Peer::connect(&hostile_util::Addr::Tcp(([127, 0, 0, 1], port).into()));
    assert!(p.line().starts_with(r#"{"QMP": "#));
    token.shutdown();
    h.join().unwrap().unwrap();
}

/// The example: a bare `--tcp PORT` is 127.0.0.1, and an explicit
/// address that is not loopback is refused by the library.
#[test]
fn the_example_listens_on_loopback() {
    let bin = server_util::example_binary();
    let out = Command::new(&bin)
        .args(["--tcp", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a loopback address"), "{err}");
    let mut child = Command::new(&bin)
        .args(["--tcp", "0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut err, &mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("listening on 127.0.0.1:"), "{line}");
}
