#!/usr/bin/env bash
# Whole-process timings for the performance budget (issue 5 §4). Not part of `cargo test`.
#
#   benches/time-run.sh [RUNS]       (default 5 runs of each command)
#
# Builds the release binary, then prints min / median wall time of:
#   * `costplan run scenarios/prod.toml --out TMPDIR`   (budget: < 150 ms)
#   * `costplan sweep scenarios/ec2-phases.toml --rps 1..2000 --steps 1000`
#     (1,000 points x 4 phases; budget: < 2 s on 2 cores)
#   * the same sweep at --steps 250 and 500, to check that the cost grows linearly with points
#     (the break-even refinement adds a fixed number of evaluations, independent of --steps).
# Set COSTPLAN_BIN to time an already built binary instead (e.g. an older build, to compare).
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS="${1:-5}"
if [[ -z "${COSTPLAN_BIN:-}" ]]; then
    cargo build --release --quiet
    COSTPLAN_BIN=target/release/costplan
fi
BIN="$COSTPLAN_BIN"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Wall time of one command in milliseconds (stdout/stderr discarded).
wall_ms() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

# time_cmd LABEL CMD...: RUNS timings, prints min and median; sets MEDIAN.
time_cmd() {
    local label="$1"
    shift
    local times=()
    for _ in $(seq "$RUNS"); do
        times+=("$(wall_ms "$@")")
    done
    local sorted
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    local min median
    min=$(head -1 <<<"$sorted")
    median=$(sed -n "$(((RUNS + 1) / 2))p" <<<"$sorted")
    MEDIAN=$median
    printf '%-58s min %6d ms  median %6d ms  (%s)\n' "$label" "$min" "$median" "${times[*]}"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
time_cmd "run scenarios/prod.toml --out DIR" \
    bash -c "rm -rf '$TMP/out' && exec '$BIN' run scenarios/prod.toml --out '$TMP/out'"
RUN_MEDIAN=$MEDIAN

declare -A SWEEP
for steps in 250 500 1000; do
    time_cmd "sweep ec2-phases.toml --rps 1..2000 --steps $steps (x4 phases)" \
        "$BIN" sweep scenarios/ec2-phases.toml --rps 1..2000 --steps "$steps"
    SWEEP[$steps]=$MEDIAN
done

echo
echo "budget: run < 150 ms: median ${RUN_MEDIAN} ms $([[ $RUN_MEDIAN -lt 150 ]] && echo met || echo NOT met)"
echo "budget: 1000x4 sweep < 2000 ms: median ${SWEEP[1000]} ms $([[ ${SWEEP[1000]} -lt 2000 ]] && echo met || echo NOT met)"
# Linear scaling: time per point at 1000 within 25 % of the time per point at 250 and 500.
awk -v a="${SWEEP[250]}" -v b="${SWEEP[500]}" -v c="${SWEEP[1000]}" 'BEGIN {
    printf "scaling: ms per point at 250 / 500 / 1000 steps: %.3f / %.3f / %.3f", a/250, b/500, c/1000
    r = (c/1000) / (a/250)
    printf "  (1000 vs 250: x%.2f per point; ~1 is linear)\n", r
}'
