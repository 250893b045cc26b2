#!/bin/sh
# The plotting script, headless, on a real output: it must write a non-empty
# PNG, and fail with one clear line on a file that is not a lantian output.
# Prints "[  PASSED  ] 1 test(s)." or "[  FAILED  ] 1 test(s)." per check.
build=${LT_BUILD:-build}
tmp=$(mktemp -d /tmp/lantian-scripts-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
check() { # name, command...
    name=$1; shift
    if "$@" >"$tmp/log" 2>&1; then echo "[       OK ] $name"; echo "[  PASSED  ] 1 test(s)."
    else echo "[  FAILED  ] $name"; cat "$tmp/log"; echo "[  FAILED  ] 1 test(s)."; fi
}
"$build/lantian" run inputs/xianyang/winter.ini --set run.hours=24 --set output.file="$tmp/day.nc" >/dev/null
png_ok() { # output.nc image.png [options]
    nc=$1; png=$2; shift 2
    /usr/bin/python3 scripts/plot_map.py "$nc" -o "$png" "$@" && [ -s "$png" ] && head -c 8 "$png" | grep -q PNG
}
check plot_map_mean png_ok "$tmp/day.nc" "$tmp/mean.png"
check plot_map_hour_sector png_ok "$tmp/day.nc" "$tmp/hour.png" --hour 5 --source coal
bad_input() {
    echo "not netcdf" >"$tmp/bad.nc"
    ! /usr/bin/python3 scripts/plot_map.py "$tmp/bad.nc" -o "$tmp/bad.png" 2>"$tmp/err" &&
        [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "bad.nc" "$tmp/err" && [ ! -e "$tmp/bad.png" ]
}
check plot_map_bad_input bad_input
range_ok() { # the colour range is the field's 2nd-98th percentiles, or the one asked for
    /usr/bin/python3 -c '
import sys; sys.path.insert(0, "scripts")
import numpy as np, lt_plot
lo, hi = lt_plot.robust_range(np.linspace(88, 155, 1001))
assert abs(lo - 89.34) < 0.01 and abs(hi - 153.66) < 0.01, (lo, hi)
assert lt_plot.robust_range(np.full(5, 7.0))[1] > 7.0
' && /usr/bin/python3 scripts/plot_map.py "$tmp/day.nc" -o "$tmp/r.png" --range 20,180 && [ -s "$tmp/r.png" ] &&
    ! /usr/bin/python3 scripts/plot_map.py "$tmp/day.nc" -o "$tmp/r2.png" --range 5,1 2>"$tmp/err" &&
    grep -q "expected LO,HI" "$tmp/err" && [ ! -e "$tmp/r2.png" ]
}
check plot_map_colour_range range_ok
aqi_ok() { # the daily AQI table of a run, drawn; a CSV that is not one fails with one line
    /usr/bin/python3 scripts/plot_aqi.py "$tmp/day_daily.csv" -o "$tmp/aqi.png" && [ -s "$tmp/aqi.png" ] &&
    head -c 8 "$tmp/aqi.png" | grep -q PNG &&
    /usr/bin/python3 scripts/plot_aqi.py "$tmp/day_daily.csv" --place seat_qindu -o "$tmp/aqi2.png" &&
    printf 'a,b\n1,2\n' > "$tmp/x.csv" && ! /usr/bin/python3 scripts/plot_aqi.py "$tmp/x.csv" 2>"$tmp/err" &&
    [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q "x.csv: header" "$tmp/err" &&
    ! /usr/bin/python3 scripts/plot_aqi.py "$tmp/day_daily.csv" --place nowhere 2>"$tmp/err" &&
    grep -q "no rows for the place 'nowhere'" "$tmp/err"
}
check plot_aqi aqi_ok
report_ok() {
    "$build/lantian" run inputs/xianyang/winter.ini --set run.hours=24 --set output.file="$tmp/b.nc" \
        --set dispersion.curves=briggs-urban >/dev/null &&
    /usr/bin/python3 scripts/report.py "$tmp/day.nc" -o "$tmp/report" --compare "$tmp/b.nc" --label urban &&
    for f in map_mean map_peak map_0 bars_stations bars_counties series diff aqi; do
        [ -s "$tmp/report/$f.png" ] && head -c 8 "$tmp/report/$f.png" | grep -q PNG || return 1
    done &&
    grep -q "<img src='series.png'" "$tmp/report/index.html" &&
    grep -q "Assessment of the period" "$tmp/report/index.html" && grep -q "<img src='aqi.png'" "$tmp/report/index.html"
}
check report_page report_ok
init_ok() { # lantian init at another city centre: a case that check accepts and run runs, from any folder
    d="$tmp/newcity"
    "$build/lantian" init "$d" --center 108.94,34.34 --met inputs/xianyang/met_2017-01.nc \
        --counties inputs/xianyang/counties.geojson --size 30,30 >"$tmp/init.out" &&
    grep -q "744 hours from 2017-01-01T00:00:00Z" "$tmp/init.out" &&
    [ -s "$d/counties.geojson" ] && [ -d "$d/output" ] &&
    (cd / && "$OLDPWD/$build/lantian" check "$d/case.ini" >/dev/null) &&
    "$build/lantian" run "$d/case.ini" --set run.hours=6 >/dev/null &&
    [ -s "$d/output/newcity.nc" ] &&
    ! "$build/lantian" init "$d" --center 108.94,34.34 2>"$tmp/err" && grep -q "already holds a case.ini" "$tmp/err" &&
    ! "$build/lantian" init "$tmp/x" --center 108.94 2>"$tmp/err" && grep -q "expected LON,LAT" "$tmp/err" &&
    [ ! -e "$tmp/x" ]
}
check init_new_city init_ok
shares_ok() { # the sector and county shares (and the secondary's sectors) add to 100 % at every station
    /usr/bin/python3 scripts/shares.py "$tmp/day.nc" --csv "$tmp/shares.csv" >/dev/null &&
    /usr/bin/python3 - "$tmp/shares.csv" <<'PY'
import csv, sys, collections
tot = collections.defaultdict(float)
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    tot[(r["station"], r["kind"])] += float(r["percent"])
# sector and county shares of the station mean, and the sectors of the secondary part: each 100 %
assert len(tot) == 42, len(tot)
assert all(abs(v - 100) < 0.05 for v in tot.values()), tot
PY
}
check shares_per_station shares_ok
slurm_array_ok() { # the job-array script, run as tasks 0 and 1 outside Slurm
    printf '# a batch\nbase\n\nurban --set dispersion.curves=briggs-urban\n' > "$tmp/batch.txt"
    for k in 0 1; do
        SLURM_ARRAY_TASK_ID=$k SLURM_CPUS_PER_TASK=1 LANTIAN="$build/lantian" \
            bash scripts/slurm/scenario_array.sbatch "$tmp/case.ini" "$tmp/batch.txt" "$tmp/batch" || return 1
    done
    [ -s "$tmp/batch/base.nc" ] && [ -s "$tmp/batch/urban.nc" ] &&
    ! cmp -s "$tmp/batch/base.nc" "$tmp/batch/urban.nc" &&
    ! SLURM_ARRAY_TASK_ID=2 LANTIAN="$build/lantian" bash scripts/slurm/scenario_array.sbatch \
        "$tmp/case.ini" "$tmp/batch.txt" "$tmp/batch" 2>"$tmp/err" &&
    grep -q "has no run number 2" "$tmp/err"
}
# a short case for it: the default case cut to its first 2 hours
cp -r inputs/xianyang/* "$tmp/"
sed -e 's/^hours = .*/hours = 2/' -e "s#^file = ../../outputs/.*#file = $tmp/unused.nc#" \
    -e "s#\.\./policy/#$PWD/inputs/policy/#" inputs/xianyang/winter.ini > "$tmp/case.ini"
check slurm_array_script slurm_array_ok
threads_ok() { # the whole default case (gridded FFT path, chemistry, scenarios): 1 and 2 threads agree bit for bit
    "$build/lantian" run "$tmp/case.ini" --threads 1 --set output.file="$tmp/t1.nc" >/dev/null &&
    "$build/lantian" run "$tmp/case.ini" --threads 2 --set output.file="$tmp/t2.nc" >/dev/null &&
    /usr/bin/python3 tests/ncsame.py "$tmp/t1.nc" "$tmp/t2.nc" pm25 pm25_src \
        station_pm25_split scenario_station_pm25 &&
    /usr/bin/python3 tests/ncsame.py "$tmp/t1_daily.nc" "$tmp/t2_daily.nc" pm25_county so4 no3 \
        station_pm25_daily scenario_station_pm25_daily city_aqi
}
check default_case_thread_invariance threads_ok
hybrid_ok() { # the default case with method = hybrid and zero-out: 1 and 2 threads agree bit for bit,
              # the budget in the file closes, the components add up to pm25
    for t in 1 2; do
        "$build/lantian" run "$tmp/case.ini" --threads $t --set solver.method=hybrid --set solver.zero_out=yes \
            --set output.average_components=hour --set output.significant_digits=0 \
            --set output.file="$tmp/h$t.nc" >/dev/null || return 1
    done
    /usr/bin/python3 tests/ncsame.py "$tmp/h1.nc" "$tmp/h2.nc" pm25 pm25_src nh4 no3 \
        station_pm25_split scenario_station_pm25 mass_budget station_pm25_zero_out || return 1
    /usr/bin/python3 tests/ncsame.py "$tmp/h1_daily.nc" "$tmp/h2_daily.nc" pm25_county || return 1
    /usr/bin/python3 - "$tmp/h1.nc" <<'PY'
import sys
import netCDF4
import numpy as np
a = netCDF4.Dataset(sys.argv[1])
pm = np.asarray(a["pm25"][:], dtype=float)
comp = sum(np.asarray(a[c][:], dtype=float) for c in ("pm25_primary", "so4", "no3", "soa", "nh4"))
assert np.allclose(comp, pm, rtol=1e-5, atol=1e-6), abs(comp - pm).max()
bud = np.asarray(a["mass_budget"][:])
terms = list(a["budget_term_name"][:])  # text: the label is UTF-8 (_Encoding), decoded by netCDF4
i = {t: k for k, t in enumerate(terms)}
res = (bud[:, i["final"]] - bud[:, i["initial"]] - bud[:, i["emitted"]] - bud[:, i["inflow"]]
       + bud[:, i["outflow"]] - bud[:, i["chemistry"]] + bud[:, i["dry_deposition"]] + bud[:, i["wet_deposition"]])
assert np.all(np.abs(res) <= 1e-9 * np.abs(bud).max(axis=1)), res
assert a.getncattr("lantian_solver") == "hybrid"
PY
}
check default_case_hybrid hybrid_ok
restart_ok() { # method: a run killed (SIGKILL) after its first checkpoint, restarted, equals the run never stopped
    method=$1
    sed -e 's/^hours = .*/hours = 96/' "$tmp/case.ini" > "$tmp/ck.ini"
    o="--set run.checkpoint_hours=24 --set solver.method=$method --set domain.nx=30 --set domain.ny=32 --set domain.dx_m=5000 --set solver.coarsen=2 --set output.significant_digits=0"
    # shellcheck disable=SC2086
    "$build/lantian" run "$tmp/ck.ini" $o --set output.file="$tmp/ck_full.nc" >/dev/null || return 1
    [ ! -e "$tmp/ck_full.nc.ckpt" ] || return 1 # a complete run leaves no checkpoint
    # shellcheck disable=SC2086
    "$build/lantian" run "$tmp/ck.ini" $o --set output.file="$tmp/ck_cut.nc" >/dev/null 2>&1 &
    pid=$!
    n=0
    while [ ! -e "$tmp/ck_cut.nc.ckpt" ]; do
        n=$((n + 1)); [ $n -gt 2000 ] && return 1
        sleep 0.05
    done
    kill -9 $pid; wait $pid 2>/dev/null
    [ ! -e "$tmp/ck_cut.nc" ] || { echo "the run ended before the kill"; return 1; }
    [ -e "$tmp/ck_cut.nc.part$pid" ] || { echo "no partial file of the killed run"; return 1; }
    # shellcheck disable=SC2086
    "$build/lantian" run "$tmp/ck.ini" $o --set output.file="$tmp/ck_cut.nc" --restart >/dev/null || return 1
    # the killed run's partial file is gone, the checkpoint and its copy too
    [ ! -e "$tmp/ck_cut.nc.part$pid" ] || { echo "the killed run's partial file is left"; return 1; }
    [ -z "$(ls "$tmp"/ck_cut.nc.ckpt* 2>/dev/null)" ] || return 1
    /usr/bin/python3 tests/ncsame.py "$tmp/ck_full.nc" "$tmp/ck_cut.nc" || return 1
    /usr/bin/python3 tests/ncsame.py "$tmp/ck_full_daily.nc" "$tmp/ck_cut_daily.nc" || return 1
    cmp -s "$tmp/ck_full_stations.csv" "$tmp/ck_cut_stations.csv" || { echo "the stations' tables differ"; return 1; }
    rm -f "$tmp"/ck_*
}
check restart_plume_equals_uninterrupted restart_ok plume
check restart_hybrid_equals_uninterrupted restart_ok hybrid
restart_bad() { # restarting without a checkpoint, or with another configuration, is one clear error
    ! "$build/lantian" run "$tmp/case.ini" --set output.file="$tmp/none.nc" --restart 2>"$tmp/err" &&
    grep -q "none.nc.ckpt: cannot open the checkpoint" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
    printf 'LANTIAN-CKPT-1\n' > "$tmp/none.nc.ckpt" && head -c 20 /dev/zero >> "$tmp/none.nc.ckpt" &&
    ! "$build/lantian" run "$tmp/case.ini" --set output.file="$tmp/none.nc" --restart 2>"$tmp/err" &&
    grep -q "another configuration or version" "$tmp/err" && [ ! -e "$tmp/none.nc" ]
}
check restart_errors restart_bad
deflate_ok() { # the hourly maps deflated by lantian (every thread, HDF5 direct chunk writes) hold
    # the values netCDF writes uncompressed: every field hourly, a grid of partial 64-cell tiles,
    # a last block of 12 h; and the filters are the standard ones
    o="--set run.hours=60 --set domain.nx=70 --set domain.ny=80 --set domain.dx_m=2000 --set output.significant_digits=0
       --set output.average_county=hour --set output.average_components=hour"
    # shellcheck disable=SC2086
    "$build/lantian" run inputs/xianyang/winter.ini $o --set output.file="$tmp/z1.nc" >/dev/null &&
    # shellcheck disable=SC2086
    "$build/lantian" run inputs/xianyang/winter.ini $o --set output.deflate=0 --set output.file="$tmp/z0.nc" \
        >/dev/null &&
    /usr/bin/python3 tests/ncsame.py "$tmp/z1.nc" "$tmp/z0.nc" &&
    ncdump -hs "$tmp/z1.nc" | grep -A12 "float pm25_county(" | grep -q '_DeflateLevel = 1' &&
    ncdump -hs "$tmp/z1.nc" | grep -A12 "float pm25_county(" | grep -q '_Shuffle = "true"' &&
    [ "$(stat -c %s "$tmp/z1.nc")" -lt "$(stat -c %s "$tmp/z0.nc")" ] &&
    ncdump -v no3 "$tmp/z1.nc" | tail -3 | grep -q "[0-9]" && rm -f "$tmp"/z*.nc
}
check deflated_equals_uncompressed deflate_ok
year_inputs_reproduce() { # scripts/make_xianyang_year.py writes the committed year inputs again, value for value
    LT_YEAR_OUT="$tmp/yr" /usr/bin/python3 scripts/make_xianyang_year.py >/dev/null &&
    cmp -s "$tmp/yr/background_2017.csv" inputs/xianyang/year/background_2017.csv &&
    for f in inputs/xianyang/year/meic/*.nc; do cmp -s "$f" "$tmp/yr/meic/${f##*/}" || return 1; done &&
    [ "$(ls inputs/xianyang/year/meic | wc -l)" -eq 420 ] &&
    /usr/bin/python3 - "$tmp/yr/met_2017.nc" inputs/xianyang/year/met_2017.nc <<'PY'
import sys
import netCDF4
import numpy as np
a, b = netCDF4.Dataset(sys.argv[1]), netCDF4.Dataset(sys.argv[2])
assert sorted(a.variables) == sorted(b.variables)
for v in a.variables:
    assert np.array_equal(a[v][:], b[v][:]), v
assert a.dimensions["time"].size == 8760
PY
    rm -rf "$tmp/yr"
}
check year_inputs_reproduce year_inputs_reproduce
year_summer_ozone() { # the year case is valid, and in its summer the sources' NO titrates the
    # background ozone at the stations: the city's daily 1-h O3 below the background's maximum hour
    "$build/lantian" check inputs/xianyang/year.ini >/dev/null &&
    "$build/lantian" run inputs/xianyang/year.ini --set run.start=2017-06-14T16:00:00Z --set run.hours=48 \
        --set output.file="$tmp/y.nc" >/dev/null &&
    /usr/bin/python3 - "$tmp/y_daily.csv" inputs/xianyang/year/background_2017.csv <<'PY'
import csv
import sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["scenario"] == "baseline" and r["level"] == "city"]
bg = [r for r in csv.DictReader(l for l in open(sys.argv[2]) if not l.startswith("#"))]
day = [r for r in rows if r["date"] == "2017-06-15"][0]
peak = max(float(r["o3"]) for r in bg if "2017-06-14T16" <= r["time"] <= "2017-06-15T15")
assert 0 < float(day["o3_1h"]) < peak, (day["o3_1h"], peak)
assert float(day["no2"]) > 0 and day["aqi"] != "", day
PY
}
check year_summer_ozone year_summer_ozone
