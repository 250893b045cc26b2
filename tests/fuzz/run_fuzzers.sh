#!/bin/sh
# run_fuzzers.sh BUILD SECONDS HARNESS...: runs each libFuzzer harness for
# SECONDS on a copy of its seed corpus (tests/fuzz/corpus/HARNESS) and prints
# its executions; a crash keeps its input in BUILD/artifacts and fails.
build=$1; secs=$2; shift 2
mkdir -p "$build/artifacts"
failed=0
for h in "$@"; do
    work="$build/corpus/$h"
    rm -rf "$work"; mkdir -p "$work"
    [ -d "tests/fuzz/corpus/$h" ] && cp tests/fuzz/corpus/$h/* "$work/" 2>/dev/null
    log="$build/$h.log"
    if "$build/bin/$h" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$h-" "$work" >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        echo "fuzz $h: $execs executions in $secs s ($rate/s), no crash"
    else
        echo "fuzz $h: FAILED (input in $build/artifacts, log in $log):"
        grep -E "ERROR|SUMMARY|runtime error" "$log" | head -5
        failed=1
    fi
done
exit $failed
