#!/bin/sh
# make bench: builds the kernel benchmark with release flags and prints its
# table (JSON in outputs/bench.json), then times the default case end to end.
set -eu
build=${1:-build}
mkdir -p "$build/bench" outputs
cc -std=c11 -D_DEFAULT_SOURCE -O3 -march=native -fopenmp -Imodel -Wall -Wextra -Werror \
    tests/bench_plume.c model/plume.c model/rise.c model/sigma.c model/stability.c -lm \
    -o "$build/bench/bench_plume"
"$build/bench/bench_plume" outputs/bench.json
echo
echo "default case (make run), 2 threads:"
/usr/bin/time -f "wall %e s, peak memory %M kB" "$build/lantian" run inputs/xianyang/winter.ini \
    --threads 2 | grep -E "plume kernel|wall time"
