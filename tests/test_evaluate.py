#!/usr/bin/python3
"""test_evaluate.py — `lantian evaluate` on a two-day run of the evaluation
case (inputs/xianyang/eval_2022-01.ini) against the real CNEMC sample:

- the pairing, recomputed here independently from the run's stations file and
  the CNEMC CSVs (hour-ending China Standard Time -> the model hour starting
  one hour and eight hours earlier in UTC; the 00:00 file's 24-h columns ->
  the day before), gives the statistics lantian writes;
- the same observations as a long CSV with hour-beginning UTC stamps give the
  same hourly statistics (the two time conventions agree);
- the relative response factors are the scenario / baseline means of the
  paired days;
- bad requests are one clear line, a non-zero exit, and no table left.
Prints cmocka-style lines for tests/run_tests.sh."""
import csv
import datetime as dt
import glob
import math
import os
import subprocess
import sys

import netCDF4
import numpy as np

from lt_pycheck import check, run_suite

BUILD = os.environ.get("LT_BUILD", "build")
LT = f"{BUILD}/lantian"
OBS = "inputs/observations/cnemc_2022-01"
CST = dt.timezone(dt.timedelta(hours=8))


def lantian(*args):
    return subprocess.run([LT, *args], capture_output=True, text=True)


def labels(var):
    return [bytes(r).split(b"\0")[0].decode("utf-8") for r in np.asarray(var[:])]


def read_run(path):
    with netCDF4.Dataset(path) as ds:
        ds.set_auto_chartostring(False)
        t0 = dt.datetime.strptime(ds["time"].units, "hours since %Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone.utc)
        starts = [t0 + dt.timedelta(hours=float(b)) for b in ds["time_bnds"][:, 0]]
        return (starts, labels(ds["station_code"]), np.asarray(ds["station_pm25"][:], dtype=float),
                labels(ds["scenario_name"]), np.asarray(ds["scenario_station_pm25"][:], dtype=float))


def read_cnemc():
    """{(code, hour start UTC): pm2_5} and {(code, CST date): pm2_5_24h}."""
    hourly, daily = {}, {}
    for path in sorted(glob.glob(f"{OBS}/*/*.csv")):
        for r in csv.DictReader(open(path, encoding="utf-8")):
            end = dt.datetime.strptime(r["timepoint"], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=CST)
            if r["pm2_5"]:
                hourly[(r["stationcode"], (end - dt.timedelta(hours=1)).astimezone(dt.timezone.utc))] = float(r["pm2_5"])
            if end.hour == 0 and r["pm2_5_24h"]:
                daily[(r["stationcode"], (end - dt.timedelta(days=1)).date())] = float(r["pm2_5_24h"])
    return hourly, daily


def stats(m, o):
    m, o = np.asarray(m), np.asarray(o)
    return {"n": len(m), "obs_mean": o.mean(), "mod_mean": m.mean(), "mb": (m - o).mean(),
            "nmb": 100 * (m - o).sum() / o.sum(), "nme": 100 * abs(m - o).sum() / o.sum(),
            "mfb": 100 * 2 * ((m - o) / (m + o)).mean(), "mfe": 100 * 2 * (abs(m - o) / (m + o)).mean(),
            "rmse": math.sqrt(((m - o) ** 2).mean()), "r": np.corrcoef(m, o)[0, 1],
            "ioa": 1 - ((m - o) ** 2).sum() / ((abs(m - o.mean()) + abs(o - o.mean())) ** 2).sum(),
            "fac2": np.mean((m >= 0.5 * o) & (m <= 2 * o))}


def model_days(starts, series):
    """CST-day means of an hourly series with all 24 hours in the run (this test's runs have no gaps)."""
    days = {}
    for t, v in zip(starts, series):
        days.setdefault(t.astimezone(CST).date(), []).append(v)
    return {d: float(np.mean(v)) for d, v in days.items() if len(v) >= 20}


def pairs(run, hourly, daily):
    starts, codes, pm, _, _ = run
    ph, pd = ([], []), ([], [])
    for i, code in enumerate(codes):
        for k, t in enumerate(starts):
            if (code, t) in hourly:
                ph[0].append(pm[k, i])
                ph[1].append(hourly[(code, t)])
        for d, v in model_days(starts, pm[:, i]).items():
            if (code, d) in daily:
                pd[0].append(v)
                pd[1].append(daily[(code, d)])
    return ph, pd


def table(path):
    return {(r["pollutant"], r["averaging"], r["level"], r["name"]): r for r in csv.DictReader(open(path, encoding="utf-8"))}


def same(row, want, what):
    assert int(row["n"]) == want["n"], f"{what}: n {row['n']}, expected {want['n']}"
    for k, v in want.items():
        if k != "n":
            got = float(row[k])
            assert abs(got - v) <= 2e-3 * max(1.0, abs(v)), f"{what}: {k} = {got}, expected {v:.6g}"


def statistics_match(tmp, run_nc, out):
    run = read_run(run_nc.replace(".nc", "_stations.nc"))
    hourly, daily = read_cnemc()
    (mh, oh), (md, od) = pairs(run, hourly, daily)
    assert len(mh) >= 40 and len(md) >= 15, f"{len(mh)} hourly and {len(md)} daily pairs"
    t = table(out)
    same(t[("pm25", "hour", "all", "all")], stats(mh, oh), "hourly, all stations")
    same(t[("pm25", "day", "all", "all")], stats(md, od), "daily, all stations")
    assert ("pm25", "day", "city", "咸阳市") in t and ("pm25", "day", "station", "1462A") in t, sorted(t)[:6]
    header = open(out, encoding="utf-8").readline().strip()
    assert header == "pollutant,averaging,level,name,n,obs_mean,mod_mean,mb,nmb,nme,mfb,mfe,rmse,r,ioa,fac2", header


def long_csv_agrees(tmp, run_nc, out):
    hourly, daily = read_cnemc()
    path = os.path.join(tmp, "long.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("station,time,pollutant,value,averaging\n")
        for (code, t), v in sorted(hourly.items()):
            f.write(f"{code},{t.strftime('%Y-%m-%dT%H:%M:%SZ')},pm25,{v},hour\n")
        for (code, d), v in sorted(daily.items()):
            f.write(f"{code},{d.isoformat()}T00:00:00+08:00,pm25,{v},day\n")
    out2 = os.path.join(tmp, "long_evaluation.csv")
    r = lantian("evaluate", run_nc, "--obs", path, "-o", out2)
    assert r.returncode == 0, r.stderr
    a, b = table(out), table(out2)
    for key in [("pm25", "hour", "all", "all"), ("pm25", "day", "all", "all"), ("pm25", "day", "station", "1919A")]:
        for col in ("n", "obs_mean", "mod_mean", "nmb", "r"):
            assert a[key][col] == b[key][col], f"{key} {col}: CNEMC {a[key][col]}, long CSV {b[key][col]}"


def rrf_matches(tmp, run_nc, out):
    starts, codes, pm, scen, spm = read_run(run_nc.replace(".nc", "_stations.nc"))
    _, daily = read_cnemc()
    rows = list(csv.DictReader(open(out.replace(".csv", "_rrf.csv"), encoding="utf-8")))
    assert rows, "no RRF rows"
    s = scen.index("red")
    i = codes.index("1919A")
    base, red = model_days(starts, pm[:, i]), model_days(starts, spm[:, s, i])
    days = [d for d in base if ("1919A", d) in daily]
    want = sum(red[d] for d in days) / sum(base[d] for d in days)
    row = next(r for r in rows if r["scenario"] == "red" and r["name"] == "1919A")
    assert abs(float(row["rrf"]) - want) < 1e-4, f"RRF {row['rrf']}, expected {want:.6f}"
    anchored = np.mean([daily[("1919A", d)] * want for d in days])
    assert abs(float(row["anchored_mean"]) - anchored) < 1e-3 * anchored, (row["anchored_mean"], anchored)
    assert 0 < want < 1, f"red-alert cuts should lower PM2.5: RRF {want}"


def printout(tmp, r):
    assert r.returncode == 0, r.stderr
    for want in ("stations: 21 of the run's 21 matched (21 by code", "1 observed station not in the run",
                 "Emery et al. 2017", "Boylan & Russell 2006", "heavy", "anchored", "wrote "):
        assert want in r.stdout, f"'{want}' not in:\n{r.stdout}"


def bad(tmp, run_nc):
    out = os.path.join(tmp, "bad_evaluation.csv")
    old = os.path.join(tmp, "old.csv")
    with open(old, "w") as f:
        f.write("station,time,pollutant,value\n1919A,2019-01-05T00:00:00Z,pm25,50\n")
    broken = os.path.join(tmp, "broken.csv")
    with open(broken, "w") as f:
        f.write("station,time,pollutant,value\n1919A,2022-01-01T05:00:00Z,pm25,fifty\n")
    cases = [
        (["--obs", old], 1, "the run covers 2022-01-01T00:00:00Z to 2022-01-03T00:00:00Z, the observations 2019-01-05"),
        (["--obs", broken], 1, "broken.csv:2: column 'value' = 'fifty': expected a concentration"),
        (["--obs", OBS, "--pollutant", "pm10"], 1, "the run models PM2.5 only"),
        (["--obs", OBS, "--pollutant", "pm1"], 2, "--pollutant: expected pm25"),
        ([], 2, "needs --obs"),
        (["--obs", os.path.join(tmp, "none")], 1, "none: cannot open the observations"),
    ]
    for args, code, want in cases:
        r = lantian("evaluate", run_nc, *args, "-o", out)
        assert r.returncode == code, f"{args}: exit {r.returncode}, expected {code}: {r.stderr}"
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and want in lines[0], f"{args}: stderr {r.stderr!r}, expected '{want}'"
        assert not glob.glob(out.replace(".csv", "*")), f"{args}: left {glob.glob(out.replace('.csv', '*'))}"
    r = lantian("evaluate", os.path.join(tmp, "missing.nc"), "--obs", OBS)
    assert r.returncode == 1 and "missing_stations.nc: cannot open the run's station series" in r.stderr, r.stderr


def episode(tmp, run_nc, other_nc):
    """Observations made as the run's 'red' scenario in its period (the measures were applied) and as the
    other run's baseline in another period: the emissions part of the change must be minus the measures'
    effect, the weather part the difference of the two baselines."""
    a = read_run(run_nc.replace(".nc", "_stations.nc"))
    b = read_run(other_nc.replace(".nc", "_stations.nc"))
    red = a[3].index("red")
    path = os.path.join(tmp, "episode_obs.csv")
    with open(path, "w") as f:
        f.write("station,time,pollutant,value\n")
        for (starts, codes, pm, _, spm), use_red in ((a, True), (b, False)):
            for i, code in enumerate(codes):
                for k, t in enumerate(starts):
                    v = spm[k, red, i] if use_red else pm[k, i]
                    f.write(f"{code},{t.strftime('%Y-%m-%dT%H:%M:%SZ')},pm25,{v!r}\n")
    out = os.path.join(tmp, "ep_evaluation.csv")
    r = lantian("evaluate", run_nc, "--obs", path, "--measures", "red", "--compare", other_nc, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "split into weather and emissions" in r.stdout, r.stdout[-1500:]
    rows = {(x["kind"], x["name"]): x for x in csv.DictReader(open(out.replace(".csv", "_episode.csv"), encoding="utf-8"))}
    base_a = np.mean([v for i in range(len(a[1])) for v in model_days(a[0], a[2][:, i]).values()])
    red_a = np.mean([v for i in range(len(a[1])) for v in model_days(a[0], a[4][:, red, i]).values()])
    base_b = np.mean([v for i in range(len(b[1])) for v in model_days(b[0], b[2][:, i]).values()])
    al = rows[("all", "all")]
    got = {k: float(al[k]) for k in ("effect", "change_obs", "change_weather", "change_emissions", "model_without")}
    assert abs(got["effect"] - (base_a - red_a)) < 1e-3 * base_a, (got, base_a - red_a)
    assert abs(got["change_weather"] - (base_a - base_b)) < 1e-3 * base_a, (got, base_a - base_b)
    assert abs(got["change_obs"] - (red_a - base_b)) < 1e-3 * base_a, (got, red_a - base_b)
    assert abs(got["change_emissions"] + got["effect"]) < 1e-3 * base_a, got
    assert got["effect"] > 0, got
    sectors = sum(float(x["effect"]) for (k, _), x in rows.items() if k == "sector")
    assert abs(sectors - got["effect"]) < 1e-3 * base_a, (sectors, got["effect"])
    r = lantian("evaluate", run_nc, "--obs", path, "--measures", "purple", "-o", out)
    assert r.returncode == 1 and "--measures 'purple': not a scenario" in r.stderr and "red" in r.stderr, r.stderr


def match_by_distance(tmp, run_nc):
    """A station known only by its position (a station list), 0.3 km from run station 1919A, is matched to
    it within --match-km 1 and not within 0.2."""
    hourly, daily = read_cnemc()
    d = os.path.join(tmp, "near")
    os.makedirs(d, exist_ok=True)
    lat = 34.3155 + 0.3 / 111.2
    with open(os.path.join(d, "stations.csv"), "w", encoding="utf-8") as f:
        f.write(f"stationcode,positionname,city,longitude,latitude\nZZ01,nearby,咸阳市,108.673,{lat:.6f}\n")
    with open(os.path.join(d, "obs.csv"), "w") as f:
        f.write("station,time,pollutant,value\n")
        for (code, t), v in sorted(hourly.items()):
            if code == "1919A":
                f.write(f"ZZ01,{t.strftime('%Y-%m-%dT%H:%M:%SZ')},pm25,{v}\n")
    out = os.path.join(tmp, "near_evaluation.csv")
    r = lantian("evaluate", run_nc, "--obs", d, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "1 of the run's 21 matched (0 by code, 1 by distance within 1 km)" in r.stdout, r.stdout[:800]
    assert "run station 1919A matched to ZZ01 at 0.30 km" in r.stdout, r.stdout[:800]
    r = lantian("evaluate", run_nc, "--obs", d, "--match-km", "0.2", "-o", out)
    assert r.returncode == 1 and "none of the run's 21 stations has observations" in r.stderr, r.stderr


def plots_and_report(tmp, run_nc):
    """evaluate_plots.py draws its four pictures from the tables; report.py adds the evaluation."""
    py = "/usr/bin/python3"
    d = os.path.join(tmp, "pics")
    r = subprocess.run([py, "scripts/evaluate_plots.py", run_nc, "-o", d], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for f in ("scatter.png", "series.png", "soccer.png"):
        assert os.path.getsize(os.path.join(d, f)) > 10000, f
    # one paired day per station in this two-day run: no Taylor diagram, said, the rest drawn
    assert "taylor.png not drawn: no station with 3 or more varying daily pairs" in r.stderr, r.stderr
    r = subprocess.run([py, "scripts/evaluate_plots.py", run_nc, "--stations", "NOPE", "-o", d],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "--stations: NOPE not among the run's stations" in r.stderr, r.stderr
    rep = os.path.join(tmp, "report")
    r = subprocess.run([py, "scripts/report.py", run_nc, "-o", rep], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    page = open(os.path.join(rep, "index.html"), encoding="utf-8").read()
    assert "Evaluation against the monitors" in page and "evaluation/soccer.png" in page, page[:300]
    assert os.path.exists(os.path.join(rep, "evaluation", "scatter.png"))


def suite(tmp):
    run_nc = os.path.join(tmp, "run.nc")
    r = lantian("run", "inputs/xianyang/eval_2022-01.ini", "--set", "run.hours=48", "--set", f"output.file={run_nc}")
    assert r.returncode == 0, r.stderr[-2000:]
    out = os.path.join(tmp, "run_evaluation.csv")
    r = lantian("evaluate", run_nc, "--obs", OBS)
    check("evaluate_printout", printout, tmp, r)
    check("evaluate_statistics_match_independent_pairing", statistics_match, tmp, run_nc, out)
    check("evaluate_long_csv_agrees_with_cnemc", long_csv_agrees, tmp, run_nc, out)
    check("evaluate_rrf", rrf_matches, tmp, run_nc, out)
    check("evaluate_bad_input", bad, tmp, run_nc)
    check("evaluate_plots_and_report", plots_and_report, tmp, run_nc)
    check("evaluate_match_by_distance", match_by_distance, tmp, run_nc)
    other_nc = os.path.join(tmp, "other.nc")
    r = lantian("run", "inputs/xianyang/eval_2022-01.ini", "--set", "run.hours=48", "--set",
                "run.start=2022-01-08T00:00:00Z", "--set", f"output.file={other_nc}")
    assert r.returncode == 0, r.stderr[-2000:]
    check("evaluate_episode_weather_and_emissions", episode, tmp, run_nc, other_nc)


if __name__ == "__main__":
    sys.exit(run_suite("lantian-evaluate-", suite))
