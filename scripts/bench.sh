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

# The cost of scenarios: the default case (744 h) with 1 and with 20 scenarios that
# are combined from one dispersion. The scenario sections of winter.ini are left out
# and given on the command line instead.
tmp=$(mktemp -d /tmp/lantian-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
awk '/^\[/ { skip = ($0 ~ /^\[scenario\./) } !skip' inputs/xianyang/winter.ini > "$tmp/winter.ini"
cp inputs/xianyang/*.csv inputs/xianyang/*.nc "$tmp/"
sed -i "s#^aqi_rules = .*#aqi_rules = $PWD/inputs/policy/aqi_HJ633-2012.ini#; s#^alert_rules = .*#alert_rules = $PWD/inputs/policy/alert_2018.ini#; s#^measures = .*#measures = $PWD/inputs/policy/measures_2018.csv#; s#^file = ../../outputs/.*#file = $tmp/out.nc#" "$tmp/winter.ini"
cp "$tmp/winter.ini" "$tmp/one.ini"
printf '\n[scenario.s1]\ncut = sector=coal|industry factor=0.5\n' >> "$tmp/one.ini"
cp "$tmp/winter.ini" "$tmp/twenty.ini"
i=1
while [ $i -le 20 ]; do
    printf '\n[scenario.s%d]\ncut = sector=coal|industry|regional factor=0.%d\n' $i $((i % 9 + 1)) >> "$tmp/twenty.ini"
    i=$((i + 1))
done
run() { # config
    start=$(date +%s.%N)
    "$build/lantian" run "$1" --threads 2 >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
best() { b=999999; for k in 1 2 3; do t=$(run "$1"); b=$(echo "if ($t < $b) $t else $b" | bc); done; echo "$b"; }
echo
echo "scenario cost (default case, 744 h, 2 threads, wall seconds, best of 3):"
t1=$(best "$tmp/one.ini")
t20=$(best "$tmp/twenty.ini")
ratio=$(echo "scale=3; $t20 / $t1" | bc)
printf "  1 scenario   %8.2f s\n  20 scenarios %8.2f s\n  ratio        %8.3f (20 scenarios relative to 1)\n" "$t1" "$t20" "$ratio"
printf '{"scenario_cost_1": %s, "scenario_cost_20": %s, "ratio_20_to_1": %s}\n' "$t1" "$t20" "$ratio" > outputs/bench_scenarios.json
