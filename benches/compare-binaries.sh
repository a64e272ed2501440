#!/usr/bin/env bash
# Byte-for-byte comparison of two costplan binaries on everything the library scenarios produce.
# Used around refactors that must not change output. Not part of `cargo test`.
#
#   benches/compare-binaries.sh OLD_BIN NEW_BIN
#
# Compares stdout, stderr and exit status of, for every scenario in scenarios/ and tests/fixtures/:
#   * `run` in each format (table, json, csv, markdown), and with seeds 1 and 99 (json);
#   * `run --out DIR` (every report file, PNG and SVG included, by `diff -r`);
#   * `sweep --rps` (log, 7 points) where the scenario has [traffic], `sweep --gb` otherwise,
#     in table and json, and `sweep --out DIR` for the scenario's files and charts;
# plus `compare` and `diff` across pairs of scenarios, and every bad input in tests/bad/.
# Prints one line per difference and exits 1 if there is any.
set -uo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 OLD_BIN NEW_BIN" >&2
    exit 2
fi
OLD="$(realpath "$1")"
NEW="$(realpath "$2")"
cd "$(dirname "$0")/.."
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
FAILS=0
CASES=0

# Run one command line with both binaries (in the repo's root) and compare the three outputs.
same() {
    local label="$1"
    shift
    CASES=$((CASES + 1))
    local o="$TMP/o" n="$TMP/n"
    "$OLD" "$@" >"$o.out" 2>"$o.err"
    echo $? >"$o.rc"
    "$NEW" "$@" >"$n.out" 2>"$n.err"
    echo $? >"$n.rc"
    for part in out err rc; do
        if ! cmp -s "$o.$part" "$n.$part"; then
            echo "DIFF [$part] $label: $*"
            FAILS=$((FAILS + 1))
        fi
    done
}

# Run one command that writes DIR with both binaries and compare the folders.
same_dir() {
    local label="$1"
    shift
    CASES=$((CASES + 1))
    # Both write the same path (it appears in messages), then the folder is moved aside.
    rm -rf "$TMP/d" "$TMP/dold" "$TMP/dnew"
    "$OLD" "$@" --out "$TMP/d" >"$TMP/dold.out" 2>"$TMP/dold.err"
    local orc=$?
    [[ -d "$TMP/d" ]] && mv "$TMP/d" "$TMP/dold"
    "$NEW" "$@" --out "$TMP/d" >"$TMP/dnew.out" 2>"$TMP/dnew.err"
    local nrc=$?
    [[ -d "$TMP/d" ]] && mv "$TMP/d" "$TMP/dnew"
    if [[ $orc -ne $nrc ]] || ! cmp -s "$TMP/dold.err" "$TMP/dnew.err" || ! cmp -s "$TMP/dold.out" "$TMP/dnew.out"; then
        echo "DIFF [status] $label: $* --out"
        FAILS=$((FAILS + 1))
    fi
    if [[ -d "$TMP/dold" || -d "$TMP/dnew" ]] && ! diff -rq "$TMP/dold" "$TMP/dnew" >"$TMP/d.txt" 2>&1; then
        echo "DIFF [files] $label: $* --out"
        sed 's/^/    /' "$TMP/d.txt"
        FAILS=$((FAILS + 1))
    fi
}

scenarios=(scenarios/*.toml tests/fixtures/*.toml)
for s in "${scenarios[@]}"; do
    for f in table json csv markdown; do
        same "run $f" run "$s" --format "$f"
    done
    same "run seed" run "$s" --format json --seed 1
    same "run seed" run "$s" --format json --seed 99
    same_dir "run out" run "$s"
    if grep -q '^\[traffic\]' "$s"; then
        sweep=(sweep "$s" --rps 1..2000 --steps 7 --log)
    else
        sweep=(sweep "$s" --gb 0..5000 --steps 7)
    fi
    same "sweep" "${sweep[@]}"
    same "sweep json" "${sweep[@]}" --format json,csv,markdown
    same_dir "sweep out" "${sweep[@]}"
done
# The GB axis on scenarios with traffic too (NAT choice is the case it exists for).
same "sweep gb" sweep scenarios/nat-choice.toml --gb 0..5000 --steps 9 --format json

for f in table json csv markdown; do
    same "compare $f" compare scenarios/prod.toml scenarios/prod-reserved.toml scenarios/dev-env.toml --format "$f"
    same "diff $f" diff scenarios/prod.toml scenarios/prod-reserved.toml --format "$f"
    same "diff $f" diff scenarios/ec2-phases.toml scenarios/fargate-aurora.toml --format "$f"
done
same "pricing show" pricing show us-east-1
same "pricing show" pricing show ap-northeast-1

for b in tests/bad/*.toml; do
    [[ "$(basename "$b")" == expected.toml ]] && continue
    same "bad" run "$b"
done

echo "$CASES cases, $FAILS differences"
[[ $FAILS -eq 0 ]]
