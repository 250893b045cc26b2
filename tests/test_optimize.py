#!/usr/bin/python3
"""test_optimize.py — `lantian optimize` through the real program on a small
case (four stacks of grades A-D in two counties, four stations, five days of
constant weather under a regional background that differs day by day):
- the plan's predicted county and city values equal the verification run's
  (the case simulated again with the cuts) to 1e-9 relative, good days alike;
- the targets are met, the cost is the sum of the groups' costs, and the
  A-grade plant, which the costs file spares, is never cut although it is
  the nearest and the largest;
- an unreachable target is reported (status infeasible, the best reachable
  value with every measure) with exit status 0, not hidden;
- the cost curve's costs do not decrease with the good-day target;
- bad input (a negative cost, a cut range outside [0, 1], a target for an
  unknown county, an unknown enterprise id, a section twice) is one clear error before any run,
  leaving no file. Prints cmocka-style lines for tests/run_tests.sh."""
import csv
import os
import shutil
import subprocess

import netCDF4
import numpy as np

from lt_pycheck import check, run_suite

BUILD = os.environ.get("LT_BUILD", "build")
LANTIAN = os.path.abspath(os.path.join(BUILD, "lantian"))
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLICY = os.path.join(ROOT, "inputs", "policy")
DAYS = 5
BG = [40, 50, 56, 60, 75]  # the regional background of each day, ug/m3

POINTS = ("id,name,lon,lat,height_m,diameter_m,velocity_ms,temp_K,sector,county,grade,pm25_tpy,so2_tpy,nox_tpy\n"
          "PA,Grade A power plant,108.37,34.80,30,3,10,350,coal,A县,A,1000,500,800\n"
          "PB,Grade B kiln,108.38,34.78,25,2,8,340,industry,A县,B,600,200,300\n"
          "PC,Grade C kiln,108.36,34.79,20,2,8,340,industry,B县,C,600,100,200\n"
          "PD,Grade D foundry,108.35,34.81,15,1.5,6,330,industry,B县,D,500,100,100\n")
STATIONS = ("id,name,lon,lat,county\nS1,East,108.40,34.80,A县\nS2,Near,108.41,34.81,A县\n"
            "S3,Far,108.44,34.79,B县\nS4,Farther,108.46,34.80,B县\n")
COSTS = ("sector,county,grade,cut_to,cost_yuan_per_t\n"
         "industry,*,D,0.5,5000\nindustry,*,D,0.9,20000\n"
         "industry,*,C,0.4,8000\nindustry,*,C,0.8,30000\n"
         "industry,*,B,0.3,12000\nindustry,*,B,0.6,50000\n"
         "coal,*,B,0.3,9000\n")
# the emergency measures: partial cuts and stops per grade; the A-grade plant has no row (spared);
# PD's own row overrides its grade's
EMG_COSTS = ("level,sector,county,grade,id,max_cut,cost_yuan_per_t,stop_yuan_per_day\n"
             "*,industry,*,B,*,0.3,20000,50000\n*,industry,*,C,*,0.5,10000,30000\n"
             "*,industry,*,D,*,0.5,5000,10000\n*,coal,*,B,*,0.2,15000,\n*,*,*,*,PD,0.6,4000,8000\n")
EPISODE = [120, 165, 175, 170, 60]  # a regional episode: alert days from the first
TARGETS = "level,name,pm25_max,good_days_min,heavy_days_max\ncity,city,,,\ncounty,A县,{a},,\ncounty,B县,,,\n"


def config(extra=""):
    return f"""[run]
start = 2017-01-01T00:00:00Z
hours = {24 * DAYS}

[domain]
center_lon = 108.4
center_lat = 34.8
nx = 16
ny = 12
dx_m = 1000

[met]
file = met.nc

[sources]
points = points.csv

[background]
file = bg.csv

[receptors]
stations = stations.csv

[assessment]
aqi_rules = aqi.ini

[optimize]
costs = costs.csv
targets = targets.csv
good_day_targets = 0, 1, 2, 3, 4, 5
time_limit_s = 30
mip_gap = 0

[output]
file = out.nc
{extra}"""


def write_met(path, hours):
    """Constant weather (2 m/s from the west, neutral, 400 m mixing) on 9 x 9 points 0.2 degrees apart."""
    nc = netCDF4.Dataset(path, "w")
    n = 9
    nc.createDimension("time", hours)
    nc.createDimension("lat", n)
    nc.createDimension("lon", n)
    t = nc.createVariable("time", "f8", ("time",))
    t.units = "hours since 2017-01-01 00:00:00"
    t[:] = np.arange(hours)
    nc.createVariable("lat", "f8", ("lat",))[:] = 34.0 + 0.2 * np.arange(n)
    nc.createVariable("lon", "f8", ("lon",))[:] = 107.6 + 0.2 * np.arange(n)
    for name, units, val in [("u10", "m s-1", 2.0), ("v10", "m s-1", 0.0), ("t2", "K", 272.0),
                             ("pblh", "m", 400.0), ("ust", "m s-1", 0.3), ("rmol", "m-1", 0.0)]:
        v = nc.createVariable(name, "f4", ("time", "lat", "lon"))
        v.units = units
        v[:] = val
    nc.close()


def make_case(tmp, name, a_target=80, extra="", costs=COSTS, targets=None, bg_days=BG):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    bg = "time,pm25\n" + "".join(f"2017-01-{1 + h // 24:02d}T{h % 24:02d}:00:00Z,{bg_days[h // 24]}\n"
                                 for h in range(24 * DAYS))
    files = {"points.csv": POINTS, "stations.csv": STATIONS, "case.ini": config(extra), "bg.csv": bg,
             "costs.csv": costs, "targets.csv": targets or TARGETS.format(a=a_target)}
    for fn, text in files.items():
        with open(os.path.join(d, fn), "w", encoding="utf-8") as f:
            f.write(text)
    shutil.copy(os.path.join(POLICY, "aqi_HJ633-2012.ini"), os.path.join(d, "aqi.ini"))
    shutil.copy(os.path.join(POLICY, "alert_2018.ini"), os.path.join(d, "alert.ini"))
    shutil.copy(os.path.join(POLICY, "measures_2018.csv"), os.path.join(d, "measures.csv"))
    with open(os.path.join(d, "emg_costs.csv"), "w", encoding="utf-8") as f:
        f.write(EMG_COSTS)
    write_met(os.path.join(d, "met.nc"), 24 * DAYS)
    return d


def optimize(d, *args):
    return subprocess.run([LANTIAN, "optimize", os.path.join(d, "case.ini"), "--threads", "2", *args],
                          capture_output=True, text=True)


def rows(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def plan_verified(d):
    r = optimize(d)
    assert r.returncode == 0, r.stderr
    summ = {x["name"]: x for x in rows(os.path.join(d, "out_optimize_summary.csv"))}
    a = summ["A县"]
    base, pred, ver = float(a["baseline_pm25"]), float(a["predicted_pm25"]), float(a["verified_pm25"])
    assert base > 80 + 1, f"the baseline ({base}) must need cuts for the test to mean anything"
    assert pred <= 80 + 1e-9 and a["attained"] == "yes", a
    for x in summ.values():
        p, v = float(x["predicted_pm25"]), float(x["verified_pm25"])
        assert abs(p - v) <= 1e-9 * abs(v), f"{x['name']}: predicted {p!r} verified {v!r}"
        assert x["predicted_good_days"] == x["verified_good_days"], x
    cuts = rows(os.path.join(d, "out_optimize.csv"))
    assert all(c["grade"] != "A" for c in cuts), cuts
    assert any(float(c["cut"]) > 0 for c in cuts), cuts
    total = sum(float(c["cost_yuan"]) for c in cuts)
    m = [ln for ln in r.stdout.splitlines() if "solver: GLPK" in ln]
    assert m and "optimal" in m[0], r.stdout[-2000:]
    cost = float(m[0].split("cost ")[1].split(" yuan")[0])
    assert abs(cost - total) <= 1e-6 * total + 1, (cost, total)
    # the plan as a scenario cuts_file, run by lantian run, gives the verified city mean
    sc = rows(os.path.join(d, "out_optimize_cuts.csv"))
    assert sc and all(float(x["factor"]) < 1 for x in sc), sc
    r2 = subprocess.run([LANTIAN, "run", os.path.join(d, "case.ini"), "--set", f"output.file={os.path.join(d, 'plan.nc')}", "--set",
                         f"scenario.plan.cuts_file={os.path.join(d, 'out_optimize_cuts.csv')}"],
                        capture_output=True, text=True)
    assert r2.returncode == 0, r2.stderr
    scen = {x["scenario"]: x for x in rows(os.path.join(d, "plan_scenarios.csv"))}
    city = float(summ["city"]["verified_pm25"])
    assert abs(float(scen["plan"]["city_mean_pm25_ugm3"]) - city) <= 6e-4, (scen["plan"], city)
    # the cost curve: costs never decrease as the good-day target rises
    curve = rows(os.path.join(d, "out_costcurve.csv"))
    assert len(curve) == 6 and all(c["name"] == "city" for c in curve), curve
    costs = [float(c["cost_yuan"]) for c in curve if c["status"] == "optimal"]
    assert costs == sorted(costs) and len(costs) >= 2, curve
    assert curve[0]["status"] == "optimal" and float(curve[0]["cost_yuan"]) == 0.0, curve[0]


def unreachable(d):
    r = optimize(d)
    assert r.returncode == 0, r.stderr
    assert "out of reach even with every cut" in r.stdout and "reaches" in r.stdout and "with every measure" in r.stdout, \
        r.stdout[-1500:]
    a = {x["name"]: x for x in rows(os.path.join(d, "out_optimize_summary.csv"))}["A县"]
    assert a["attained"] == "no" and float(a["best_pm25"]) > 5, a


def bad(d, want):
    before = set(os.listdir(d))
    r = optimize(d)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert len(lines) == 1 and all(w in lines[0] for w in want), r.stderr
    assert set(os.listdir(d)) == before, set(os.listdir(d)) - before


def emergency(tmp):
    extra = ("[assessment]\n")  # placeholder, replaced below
    d = make_case(tmp, "emg", bg_days=EPISODE)
    text = open(os.path.join(d, "case.ini"), encoding="utf-8").read()
    text = text.replace("aqi_rules = aqi.ini", "aqi_rules = aqi.ini\nalert_rules = alert.ini\nmeasures = measures.csv")
    text = text.replace("[optimize]\n", "[optimize]\nmode = emergency\nemergency_costs = emg_costs.csv\n"
                        "max_daily_pm25 = 195\n")
    open(os.path.join(d, "case.ini"), "w", encoding="utf-8").write(text)
    del extra
    r = optimize(d)
    assert r.returncode == 0, r.stderr
    assert "least-cost emergency list" in r.stdout and "optimal" in r.stdout, r.stdout[-2000:]
    days = rows(os.path.join(d, "out_emergency_days.csv"))
    assert days, "no alert day: the episode must bring one"
    valid = 0
    for x in days:
        for sp in ("cut_pm25", "cut_so2", "cut_nox"):
            assert x[sp] == "" or float(x[sp]) >= float(x["min_cut"]) - 1e-9, x
        if x["city_pm25_baseline"] == "":
            continue  # an alert day that is not a valid day (the run's first, partial): cuts, no daily value
        p, v = float(x["city_pm25_predicted"]), float(x["city_pm25_verified"])
        assert abs(p - v) <= 1e-9 * abs(v), x
        assert float(x["max_county_pm25_predicted"]) <= 195 + 1e-9, x
        assert float(x["city_pm25_predicted"]) < float(x["city_pm25_baseline"]), x
        valid += 1
    assert valid >= 2, days
    lst = rows(os.path.join(d, "out_emergency.csv"))
    assert lst and all(x["id"] != "PA" for x in lst), lst       # the A-grade plant is spared
    assert all(float(x["cut"]) >= float(x["required_cut"]) - 1e-9 for x in lst), lst
    # D-grade industry must stop from yellow (the measures table): PD stopped on every alert day
    assert sum(x["id"] == "PD" and x["measure"] == "stop" for x in lst) == len(days), lst
    solver = [ln for ln in r.stdout.splitlines() if "solver: GLPK" in ln][0]
    total = float(solver.split("), cost ")[1].split(" yuan")[0])
    assert abs(sum(float(x["cost_yuan"]) for x in lst) - total) < 1.0, (total, lst)
    # no stop allowed in any county: the required stop of PD cannot be met
    text = open(os.path.join(d, "case.ini"), encoding="utf-8").read()
    open(os.path.join(d, "case.ini"), "w", encoding="utf-8").write(
        text.replace("max_daily_pm25 = 195\n", "max_daily_pm25 = 195\nmax_stopped_per_county = 0\n"))
    r = optimize(d)
    assert r.returncode == 0 and "infeasible" in r.stdout, (r.stderr, r.stdout[-1500:])


def body(tmp):
    check("optimize_plan_verified", plan_verified, make_case(tmp, "plan"))
    check("optimize_unreachable_reported", unreachable, make_case(tmp, "far", a_target=5))
    check("optimize_emergency_list", emergency, tmp)
    check("optimize_negative_cost", bad, make_case(tmp, "neg", costs=COSTS + "dust,*,*,0.5,-10\n"),
          ["costs.csv:9", "cost_yuan_per_t", "-10"])
    check("optimize_cut_range", bad, make_case(tmp, "range", costs=COSTS + "dust,*,*,1.5,10\n"),
          ["costs.csv:9", "cut_to", "1.5"])
    check("optimize_unknown_county", bad,
          make_case(tmp, "cty", targets="level,name,pm25_max,good_days_min,heavy_days_max\ncounty,C县,50,,\n"),
          ["targets.csv:2", "C县"])
    d = make_case(tmp, "emgid", extra="")
    with open(os.path.join(d, "emg_costs.csv"), "a", encoding="utf-8") as f:
        f.write("*,*,*,*,PX,0.5,100,\n")
    text = open(os.path.join(d, "case.ini"), encoding="utf-8").read()
    text = text.replace("aqi_rules = aqi.ini", "aqi_rules = aqi.ini\nalert_rules = alert.ini\nmeasures = measures.csv")
    open(os.path.join(d, "case.ini"), "w", encoding="utf-8").write(
        text.replace("[optimize]\n", "[optimize]\nmode = emergency\nemergency_costs = emg_costs.csv\n"))
    check("optimize_emergency_unknown_id", bad, d, ["emg_costs.csv:7", "column 'id' = 'PX'", "PA"])
    check("optimize_section_twice", bad, make_case(tmp, "em", extra="[optimize]\n"), ["appears twice"])


if __name__ == "__main__":
    raise SystemExit(run_suite("lantian-test-optimize-", body))
