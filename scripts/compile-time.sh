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
# code generation). Prints seconds (wall clock) and ratios ours/theirs.
#
# usage: scripts/compile-time.sh            # both profiles
#        PROFILES=dev scripts/compile-time.sh
#        JOBS=1 scripts/compile-time.sh     # cargo -j (default: cargo's)
#        KEEP=1 scripts/compile-time.sh     # keep the temporary directory
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
qapi = { path = "$REPO" }

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

seconds() {
    local start end
    start=$(date +%s.%N)
    "$@"
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

# build DIR PROFILE CRATE -> "clean crate_only"
build() {
    local dir=$1 profile=$2 crate=$3
    local target=$WORK/target-$(basename "$dir")-$profile
    rm -rf "$target"
    local args=(build --quiet --lib --profile "$profile" --manifest-path "$dir/Cargo.toml" "${JOBS_ARG[@]}")
    local clean only
    clean=$(CARGO_TARGET_DIR=$target seconds nice -n 19 cargo "${args[@]}")
    CARGO_TARGET_DIR=$target cargo clean --quiet -p "$crate" --profile "$profile" --manifest-path "$dir/Cargo.toml"
    only=$(CARGO_TARGET_DIR=$target seconds nice -n 19 cargo "${args[@]}")
    rm -rf "$target"
    echo "$clean $only"
}

printf '%-8s %-22s %10s %12s\n' profile crate clean_s crate_only_s
for profile in $PROFILES; do
    read -r o_clean o_only < <(build "$OURS" "$profile" qmp-port)
    printf '%-8s %-22s %10.1f %12.1f\n' "$profile" "qapi QMP port" "$o_clean" "$o_only"
    read -r t_clean t_only < <(build "$THEIRS" "$profile" qapi-qmp)
    printf '%-8s %-22s %10.1f %12.1f\n' "$profile" "qapi-qmp 0.15" "$t_clean" "$t_only"
    printf '%-8s %-22s %10.2f %12.2f\n' "$profile" "ratio ours/theirs" \
        "$(echo "$o_clean / $t_clean" | bc -l)" "$(echo "$o_only / $t_only" | bc -l)"
done
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs)"
