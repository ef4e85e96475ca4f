#!/usr/bin/env bash
# Instructions per operation of the in-process paths, counted by
# callgrind: repeatable on a busy machine, unlike wall-clock time.
#
#   scripts/instructions.sh [N]
#
# Each workload runs N and 2N times; the difference divided by N is the
# cost of one operation without start-up.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
cargo bench --bench instructions --no-run >/dev/null 2>&1
bin=$(cargo bench --bench instructions --no-run --message-format=json 2>/dev/null \
    | sed -n 's/.*"executable":"\([^"]*instructions[^"]*\)".*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "cannot find the instructions bench binary" >&2; exit 1; }

count() {  # workload iterations -> total instructions
    local out
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" "$1" "$2" >/dev/null 2>&1
    sed -n 's/^summary: \([0-9]*\).*/\1/p' "$out"
    rm -f "$out"
}

per_op() {
    local a b
    a=$(count "$1" "$n")
    b=$(count "$1" $((2 * n)))
    echo $(( (b - a) / n ))
}

printf '%-18s %14s\n' workload instructions/op
declare -A r
for w in decode-qapi decode-serde encode-qapi encode-serde dispatch-small dispatch-nested; do
    r[$w]=$(per_op "$w")
    printf '%-18s %14s\n' "$w" "${r[$w]}"
done
awk -v a="${r[decode-qapi]}" -v b="${r[decode-serde]}" 'BEGIN { printf "decode ratio (qapi / plain serde): %.2f\n", a / b }'
awk -v a="${r[encode-qapi]}" -v b="${r[encode-serde]}" 'BEGIN { printf "encode ratio (qapi / plain serde): %.2f\n", a / b }'
