//! Sets the cfg names of QEMU's QAPI conditions for the ports
//! (`src/ports/`), from `QAPI_QEMU_CFG`:
//!
//! * unset or `debian-10.0.2-x86_64`: Debian's qemu-system-x86_64 10.0.2
//!   build (`qapi_core::schema::profiles::DEBIAN_10_0_2_X86_64`; it is
//!   also right for the storage daemon and the guest agent);
//! * `debian-10.0.2-host`: Debian's host-wide conditions only;
//! * `all`: every condition name of the three schemas;
//! * `none`: no condition name;
//! * `NAME,NAME,…`: exactly these names (each must be one of
//!   `src/ports/cfg-names.txt`); a leading `+` (`+CONFIG_BLKIO,…`) adds
//!   them to the default profile instead.
//!
//! The crate sees what was chosen as `ports::CFG_PROFILE` and
//! `ports::CFG_SET`.

#[path = "../qapi-core/src/schema/profiles.rs"]
#[allow(dead_code)]
mod profiles;

use std::collections::BTreeSet;

const DEFAULT: &str = "debian-10.0.2-x86_64";

fn main() {
    println!("cargo::rerun-if-env-changed=QAPI_QEMU_CFG");
    println!("cargo::rerun-if-changed=src/ports/cfg-names.txt");
    println!("cargo::rerun-if-changed=../qapi-core/src/schema/profiles.rs");
    println!("cargo::rerun-if-changed=build.rs");

    let names_text = std::fs::read_to_string("src/ports/cfg-names.txt")
        .expect("src/ports/cfg-names.txt (generated with the ports)");
    let all: Vec<&str> = names_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    for n in &all {
        println!("cargo::rustc-check-cfg=cfg({n})");
    }

    let request = std::env::var("QAPI_QEMU_CFG").unwrap_or_default();
    let request = request.trim();
    let profile = |name: &str| -> Option<Vec<&str>> {
        match name {
            "debian-10.0.2-x86_64" => Some(profiles::DEBIAN_10_0_2_X86_64.to_vec()),
            "debian-10.0.2-host" => Some(profiles::DEBIAN_10_0_2_HOST.to_vec()),
            "all" => Some(all.clone()),
            "none" => Some(Vec::new()),
            _ => None,
        }
    };
    let (label, set): (String, Vec<&str>) = if request.is_empty() {
        (
            DEFAULT.to_owned(),
            profile(DEFAULT).expect("default profile"),
        )
    } else if let Some(set) = profile(request) {
        (request.to_owned(), set)
    } else {
        let (base, list) = match request.strip_prefix('+') {
            Some(rest) => (profile(DEFAULT).expect("default profile"), rest),
            None => (Vec::new(), request),
        };
        let mut set: BTreeSet<&str> = base.into_iter().collect();
        for n in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let Some(known) = all.iter().find(|a| **a == n) else {
                panic!(
                    "QAPI_QEMU_CFG: unknown condition name '{n}' (expected all, none, \
                     debian-10.0.2-x86_64, debian-10.0.2-host, or names of \
                     src/ports/cfg-names.txt separated by commas)"
                );
            };
            set.insert(known);
        }
        (request.to_owned(), set.into_iter().collect())
    };
    let set: BTreeSet<&str> = set.into_iter().collect();
    for n in &set {
        println!("cargo::rustc-cfg={n}");
    }

    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    let mut rs = format!(
        "/// The condition set the ports were compiled with (`QAPI_QEMU_CFG`,\n\
         /// default `{DEFAULT}`).\n\
         pub const CFG_PROFILE: &str = {label:?};\n\
         /// The condition names set in this build, sorted.\n\
         pub const CFG_SET: &[&str] = &[\n"
    );
    for n in &set {
        rs.push_str(&format!("    {n:?},\n"));
    }
    rs.push_str("];\n");
    std::fs::write(std::path::Path::new(&out).join("ports_cfg.rs"), rs)
        .expect("write ports_cfg.rs");
}
