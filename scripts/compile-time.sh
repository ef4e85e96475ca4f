#!/usr/bin/env bash
# Compile time of this repository's QMP port (qapi-schema/src/ports/qmp:
# QEMU 10.0.2's QMP schema written with #[derive(Qapi)], Debian x86_64
# conditions) against crates.io's qapi-qmp 0.15 (generated from QEMU's
# schema by its build script), built the same way in the same run.
#
# For each profile (dev, release) and each side: a crate in a temporary
# directory, built with a fresh target directory ("clean": dependencies
# included), then rebuilt after `cargo clean -p <the crate>` ("crate
# only": the port itself; for qapi-qmp this includes its build script's
# code generation). Then the same for a program on each side that uses
# all of it (see "whole programs" below; "only" is then the program crate,
# where what it uses is compiled). Prints seconds, wall clock and CPU
# (user + system, all processes), and the ratios ours/theirs.
#
# usage: scripts/compile-time.sh            # both profiles
#        PROFILES=dev scripts/compile-time.sh
#        JOBS=1 scripts/compile-time.sh     # cargo -j (default: cargo's)
#        KEEP=1 scripts/compile-time.sh     # keep the temporary directory
#        GENERATE_ONLY=1 scripts/compile-time.sh  # write the crates, build nothing
#        WITH_SERVERS=1 scripts/compile-time.sh  # the port with qapi's
#                                           # servers and clients (tokio)
#
# Needs network access (or a warm cargo cache) for qapi-qmp. Runs at low
# priority (nice) and one build at a time.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/qapi-compile-time.XXXXXX")
if [ -z "${KEEP:-}" ]; then
    trap 'rm -rf "$WORK"' EXIT
else
    echo "work directory: $WORK"
fi
PROFILES=${PROFILES:-"dev release"}
# The port with `qapi`'s default features includes the servers and
# clients (tokio); qapi-qmp has neither, so the comparison leaves them
# out unless WITH_SERVERS=1.
QAPI_DEFAULT_FEATURES=false
if [ -n "${WITH_SERVERS:-}" ]; then
    QAPI_DEFAULT_FEATURES=true
fi
JOBS_ARG=()
if [ -n "${JOBS:-}" ]; then
    JOBS_ARG=(-j "$JOBS")
fi
unset CARGO_TARGET_DIR RUSTFLAGS

# ---- ours: the committed QMP port in a crate of its own, depending on
# the facade `qapi` only (the port's types, derives and entry points, not
# the rest of qapi-schema: the .json reader, CLI, importer).
OURS=$WORK/qmp-port
mkdir -p "$OURS/src"
cp -r "$REPO/qapi-schema/src/ports/qmp" "$OURS/src/qmp"
cat >"$OURS/Cargo.toml" <<EOF
[package]
name = "qmp-port"
version = "0.0.0"
edition = "2024"
publish = false

[lib]
path = "src/lib.rs"

[features]
default = ["qemu-qmp"]
qemu-qmp = []

[dependencies]
qapi = { path = "$REPO", default-features = $QAPI_DEFAULT_FEATURES }

[workspace]
EOF
cat >"$OURS/src/lib.rs" <<'EOF'
#[rustfmt::skip]
pub mod qmp;
EOF
# Debian's x86_64 conditions, as qapi-schema's build.rs sets them.
profile_names=$(sed -n '/^pub const DEBIAN_10_0_2_X86_64/,/^];/p' \
    "$REPO/qapi-core/src/schema/profiles.rs" | grep -o '"[A-Z0-9_]*"' | tr -d '"')
{
    echo 'fn main() {'
    grep -v '^#' "$REPO/qapi-schema/src/ports/cfg-names.txt" | while read -r n; do
        [ -n "$n" ] && echo "    println!(\"cargo::rustc-check-cfg=cfg($n)\");"
    done
    for n in $profile_names; do
        echo "    println!(\"cargo::rustc-cfg=$n\");"
    done
    echo '}'
} >"$OURS/build.rs"
cp "$REPO/Cargo.lock" "$OURS/Cargo.lock"

# ---- theirs: crates.io's qapi-qmp 0.15.
THEIRS=$WORK/qapi-qmp-015
mkdir -p "$THEIRS/src"
cat >"$THEIRS/Cargo.toml" <<'EOF'
[package]
name = "qapi-qmp-015"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
qapi-qmp = "0.15"

[workspace]
EOF
echo 'pub use qapi_qmp;' >"$THEIRS/src/lib.rs"
(cd "$THEIRS" && cargo generate-lockfile --quiet)
(cd "$THEIRS" && cargo fetch --quiet)
(cd "$OURS" && cargo fetch --quiet)

# ---- whole programs. A crate of types compiles little of what its users
# run: qapi-qmp's serde code is generic over the (de)serializer, and the
# port's decoders are #[inline], so both are compiled where they are used.
# So each side also gets a program that uses all of it, server and client
# side: for every command, decode and encode its arguments and its return
# value; for every event, decode and encode it. Each side takes its own
# natural path (ours: QEMU's rules and writer; theirs: serde_json).
OURS_PROG=$WORK/qmp-port-all
mkdir -p "$OURS_PROG/src"
cat >"$OURS_PROG/Cargo.toml" <<EOF
[package]
name = "qmp-port-all"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
qmp-port = { path = "$OURS" }
qapi = { path = "$REPO", default-features = $QAPI_DEFAULT_FEATURES }
serde = "1"

[workspace]
EOF
cp "$OURS/build.rs" "$OURS_PROG/build.rs"
cp "$REPO/Cargo.lock" "$OURS_PROG/Cargo.lock"
{
    cat <<'EOF'
#![allow(deprecated)]
use qmp_port::qmp::*;

const W: &qapi::json::WriteOptions = &qapi::json::WriteOptions::COMPACT;

fn encoded<T: serde::Serialize>(t: &T) -> usize {
    qapi::json::to_vec(t, W).map_or(0, |v| v.len())
}

fn object(s: &str) -> Option<qapi::Map> {
    match qapi::from_str::<qapi::Value>(s) {
        Ok(qapi::Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn cmd<C: qapi::Command>(s: &str) -> usize {
    let mut n = 0;
    if let Some(m) = object(s) {
        if let Ok(c) = C::decode_args(m, &mut qapi::Decoder::new()) {
            n += encoded(&c);
        }
    }
    if let Ok(r) = qapi::from_str::<C::Returns>(s) {
        n += encoded(&r);
    }
    n
}

fn ev<E: qapi::Event>(s: &str) -> usize {
    match object(s).map(|m| E::decode_data(m, &mut qapi::Decoder::new())) {
        Some(Ok(e)) => encoded(&e),
        _ => 0,
    }
}

fn main() {
    let s = std::env::args().nth(1).unwrap_or_default();
    let s = s.as_str();
    let n = 0;
EOF
    # The body of the port's `register`, with its #[cfg] attributes (on
    # `let` statements: attributes on expression statements are unstable).
    sed -n '/^pub fn register</,/^}/p' "$OURS/src/qmp/mod.rs" | sed '1d;$d' | sed \
        -e 's/r\.declare::<\([A-Za-z0-9_]*\)>();/let n = n + cmd::<\1>(s);/' \
        -e 's/r\.event::<\([A-Za-z0-9_]*\)>();/let n = n + ev::<\1>(s);/' \
        -e '/^ *r\./d'
    echo '    println!("{n}");'
    echo '}'
} >"$OURS_PROG/src/main.rs"

THEIRS_PROG=$WORK/qapi-qmp-015-all
mkdir -p "$THEIRS_PROG/src"
cat >"$THEIRS_PROG/Cargo.toml" <<'EOF'
[package]
name = "qapi-qmp-015-all"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
qapi-qmp = "0.15"
qapi-spec = "0.3"
serde = "1"
serde_json = "1"

[workspace]
EOF
cp "$THEIRS/Cargo.lock" "$THEIRS_PROG/Cargo.lock"
# qapi-qmp's types are generated by its build script: its commands are
# listed from the generated source.
(cd "$THEIRS" && CARGO_TARGET_DIR=$WORK/target-probe cargo check --quiet)
generated=$(ls "$WORK"/target-probe/debug/build/qapi-qmp-*/out/qmp.rs | head -n 1)
{
    cat <<'EOF'
#![allow(deprecated)]
use qapi_qmp::*;
use serde::{de::DeserializeOwned, Serialize};

fn encoded<T: Serialize>(t: &T) -> usize {
    serde_json::to_vec(t).map_or(0, |v| v.len())
}

fn cmd<C>(s: &str) -> usize
where
    C: qapi_spec::Command + DeserializeOwned,
    C::Ok: Serialize,
{
    let mut n = 0;
    if let Ok(c) = serde_json::from_str::<C>(s) {
        n += encoded(&c);
    }
    if let Ok(r) = serde_json::from_str::<C::Ok>(s) {
        n += encoded(&r);
    }
    n
}

fn main() {
    let s = std::env::args().nth(1).unwrap_or_default();
    let s = s.as_str();
    let mut n = 0;
EOF
    grep -o 'impl ::qapi_spec::Command for [A-Za-z0-9_]*' "$generated" |
        sed 's/.* for \(.*\)/    n += cmd::<\1>(s);/'
    cat <<'EOF'
    if let Ok(e) = serde_json::from_str::<Event>(s) {
        n += encoded(&e);
    }
    println!("{n}");
}
EOF
} >"$THEIRS_PROG/src/main.rs"
rm -rf "$WORK/target-probe"
(cd "$OURS_PROG" && cargo fetch --quiet)
(cd "$THEIRS_PROG" && cargo fetch --quiet)
echo "whole programs: ours uses $(grep -c 'cmd::<[A-Z]' "$OURS_PROG/src/main.rs") commands and $(grep -c 'ev::<[A-Z]' "$OURS_PROG/src/main.rs") events (before conditions); theirs $(grep -c 'cmd::<' "$THEIRS_PROG/src/main.rs") commands and its Event enum"
if [ -n "${GENERATE_ONLY:-}" ]; then
    echo "crates generated in $WORK"
    trap - EXIT
    exit 0
fi

# timed COMMAND...: prints "wall cpu" seconds (cpu: user + system of the
# whole process tree, which a busy machine disturbs less than wall time).
timed() {
    local f
    f=$(mktemp "$WORK/time.XXXXXX")
    /usr/bin/time -o "$f" -f '%e %U %S' "$@"
    awk '{ printf "%.1f %.1f\n", $1, $2 + $3 }' "$f"
}

# build DIR PROFILE CRATE -> "clean_wall clean_cpu only_wall only_cpu"
build() {
    local dir=$1 profile=$2 crate=$3 kind=${4:---lib}
    local target=$WORK/target-$(basename "$dir")-$profile
    rm -rf "$target"
    local args=(build --quiet "$kind" --profile "$profile" --manifest-path "$dir/Cargo.toml" "${JOBS_ARG[@]}")
    local clean only
    clean=$(CARGO_TARGET_DIR=$target timed nice -n 19 cargo "${args[@]}")
    CARGO_TARGET_DIR=$target cargo clean --quiet -p "$crate" --profile "$profile" --manifest-path "$dir/Cargo.toml"
    only=$(CARGO_TARGET_DIR=$target timed nice -n 19 cargo "${args[@]}")
    rm -rf "$target"
    echo "$clean $only"
}

ratio() { echo "$1 / $2" | bc -l; }

printf '%-8s %-18s %12s %12s %12s %12s\n' profile crate clean_wall clean_cpu only_wall only_cpu
for profile in $PROFILES; do
    read -r ocw occ oow ooc < <(build "$OURS" "$profile" qmp-port)
    printf '%-8s %-18s %12.1f %12.1f %12.1f %12.1f\n' "$profile" "qapi QMP port" "$ocw" "$occ" "$oow" "$ooc"
    read -r tcw tcc tow toc < <(build "$THEIRS" "$profile" qapi-qmp)
    printf '%-8s %-18s %12.1f %12.1f %12.1f %12.1f\n' "$profile" "qapi-qmp 0.15" "$tcw" "$tcc" "$tow" "$toc"
    printf '%-8s %-18s %12.2f %12.2f %12.2f %12.2f\n' "$profile" "ratio ours/theirs" \
        "$(ratio "$ocw" "$tcw")" "$(ratio "$occ" "$tcc")" "$(ratio "$oow" "$tow")" "$(ratio "$ooc" "$toc")"
    read -r ocw occ oow ooc < <(build "$OURS_PROG" "$profile" qmp-port-all --bins)
    printf '%-8s %-18s %12.1f %12.1f %12.1f %12.1f\n' "$profile" "program, ours" "$ocw" "$occ" "$oow" "$ooc"
    read -r tcw tcc tow toc < <(build "$THEIRS_PROG" "$profile" qapi-qmp-015-all --bins)
    printf '%-8s %-18s %12.1f %12.1f %12.1f %12.1f\n' "$profile" "program, theirs" "$tcw" "$tcc" "$tow" "$toc"
    printf '%-8s %-18s %12.2f %12.2f %12.2f %12.2f\n' "$profile" "ratio ours/theirs" \
        "$(ratio "$ocw" "$tcw")" "$(ratio "$occ" "$tcc")" "$(ratio "$oow" "$tow")" "$(ratio "$ooc" "$toc")"
done
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs)"
