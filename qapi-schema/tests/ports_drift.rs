//! The committed ports (`src/ports/`) are exactly what
//! `qapi_schema::portgen` generates from QEMU 10.0.2's schemas (in the
//! shared material): any drift, from a changed importer or an edited
//! file, fails here.
//!
//! To regenerate (no port needs to compile for this):
//!
//! ```sh
//! QAPI_BLESS=1 cargo test -p qapi-schema --no-default-features --test ports_drift
//! ```

mod common;

use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn ports_match_their_generator() {
    let Some(shared) = common::shared_dir("ports_match_their_generator") else {
        return;
    };
    let t = std::time::Instant::now();
    let files = qapi_schema::portgen::generate(&shared.join("qemu/schemas/v10.0.2"))
        .unwrap_or_else(|e| panic!("generating the ports: {e}"));
    let ports = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ports");
    // Files of the generated directories (qmp/, qga/) and generated
    // top-level files; mod.rs at the top is hand-written.
    let mut committed = BTreeSet::new();
    for dir in ["qmp", "qga"] {
        if let Ok(rd) = std::fs::read_dir(ports.join(dir)) {
            for e in rd.flatten() {
                committed.insert(format!("{dir}/{}", e.file_name().to_string_lossy()));
            }
        }
    }
    for f in ["qsd.rs", "cfg-names.txt"] {
        if ports.join(f).exists() {
            committed.insert(f.to_owned());
        }
    }
    let generated: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();

    if std::env::var_os("QAPI_BLESS").is_some() {
        for stale in committed.difference(&generated) {
            std::fs::remove_file(ports.join(stale)).unwrap();
            println!("removed {stale}");
        }
        for f in &files {
            let p = ports.join(&f.path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            if std::fs::read_to_string(&p).ok().as_deref() != Some(f.text.as_str()) {
                std::fs::write(&p, &f.text).unwrap();
                println!("wrote {}", f.path);
            }
        }
        return;
    }

    let mut problems = Vec::new();
    for stale in committed.difference(&generated) {
        problems.push(format!("{stale}: committed but no longer generated"));
    }
    for f in &files {
        match std::fs::read_to_string(ports.join(&f.path)) {
            Err(_) => problems.push(format!("{}: generated but not committed", f.path)),
            Ok(text) if text != f.text => {
                let line = text
                    .lines()
                    .zip(f.text.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| text.lines().count().min(f.text.lines().count()));
                problems.push(format!(
                    "{}: differs from the generator from line {}:\n  committed: {:?}\n  generated: {:?}",
                    f.path,
                    line + 1,
                    text.lines().nth(line).unwrap_or("<end>"),
                    f.text.lines().nth(line).unwrap_or("<end>")
                ));
            }
            Ok(_) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "the ports drifted from QEMU's schemas and `qapi import` (regenerate with \
         QAPI_BLESS=1 cargo test -p qapi-schema --no-default-features --test ports_drift):\n{}",
        problems.join("\n")
    );
    println!(
        "{} port files equal their generator's output ({:.1?})",
        files.len(),
        t.elapsed()
    );
}
