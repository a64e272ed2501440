#!/usr/bin/env bash
# Build and run one fuzz target without cargo-fuzz: the same flags `cargo fuzz run` passes
# (SanitizerCoverage for libFuzzer, overflow checks and debug assertions on, AddressSanitizer).
# ASan needs a nightly toolchain (or RUSTC_BOOTSTRAP=1 on stable); FUZZ_ASAN=0 builds without it.
#
#   fuzz/run.sh TARGET [SECONDS]      e.g. nice -n 19 fuzz/run.sh pricing_dir 600
#
# Corpus in fuzz/corpus/TARGET, crashes in fuzz/artifacts/TARGET (both ignored by git).
set -euo pipefail
target=${1:?target: scenario, price_book, plan or pricing_dir}
secs=${2:-600}
cd "$(dirname "$0")"
triple=$(rustc -vV | sed -n 's/^host: //p')
toolchain=${FUZZ_TOOLCHAIN:-+nightly}
flags="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
flags+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table"
flags+=" -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
if [ "${FUZZ_ASAN:-1}" = 1 ]; then flags+=" -Zsanitizer=address"; fi
# --target keeps build scripts and proc macros uninstrumented, as cargo-fuzz does.
RUSTFLAGS="$flags" cargo $toolchain build --release --target "$triple" --bin "$target"
mkdir -p "corpus/$target" "artifacts/$target"
seeds=()
case $target in
  scenario|plan) seeds=(../scenarios) ;;
  price_book) seeds=(../pricing) ;;
  pricing_dir)
    # First byte: even replaces the book, odd the catalog.
    [ -e corpus/pricing_dir/book ] || { printf '\0'; cat ../pricing/ap-northeast-1.toml; } > corpus/pricing_dir/book
    [ -e corpus/pricing_dir/catalog ] || { printf '\1'; cat ../pricing/instances.toml; } > corpus/pricing_dir/catalog ;;
esac
exec "target/$triple/release/$target" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 \
  -artifact_prefix="artifacts/$target/" "corpus/$target" "${seeds[@]}"
