#!/usr/bin/python3
"""make_background6.py: the default case's background for all six pollutants of
China's AQI, inputs/xianyang/background6_2017-01.csv, so that the winter case's
daily AQI is the whole AQI (HJ 633-2012) and not PM2.5 alone.

Where every number comes from:
- pm25: the case's SYNTHETIC regional background PM2.5, copied unchanged from
  inputs/xianyang/background_2017-01.csv (scripts/make_xianyang_case.py).
- pm10 - pm25 (the coarse part), so2, no2, co and o3: the REAL daily values of
  the CNEMC stations of Xianyang city (咸阳市: 1918A, 1919A, 1920A, 3525A; 3165A
  has one hour only) in inputs/observations/cnemc_2022-01, averaged over the
  stations reporting: the 00:00 file of day D+1 holds day D's 24-h means
  (pm10_24h, pm2_5_24h, so2_24h, no2_24h, co_24h), the day's maximum 8-h O3
  (o3_8h) and maximum 1-h O3 (o3; the archive swaps the O3 columns, see that
  folder's README). The sample holds 1-15 January 2022; they are put on 1-15
  January 2017 (same day of the month), and days 16-31 repeat days 1-15 and 1
  in turn. So the days' statistics are real Xianyang winter values, but of
  other days than the synthetic weather's.
- the hours within a day: SO2, NO2, CO and the coarse part flat at the day's
  mean (their 24-h means are then the observed ones); O3 follows a Gaussian
  bump b + A exp(-((j - 14) / 2.5)^2 / 2) over the CST hour j (peak in
  14:00-15:00, 2.5 h wide: an assumption of the usual afternoon maximum;
  narrow enough that winter's observed 8-h/1-h ratios are reachable), b and A
  solved so that the day's maximum 1-h and maximum 8-h means are the observed
  ones exactly (b is kept >= 0; where that binds the 8-h mean is the nearest
  reachable, and the script says how many days).
- so4, no3, nh4, om, ec, other: pm25 split by an ILLUSTRATIVE composition, the
  same every hour, from the annual PM2.5 of Xixian New District 2017-18 (between
  Xi'an and Xianyang; AAQR 21:200146, see ../shared/reference/
  china-rules-and-inventories.md): SO4 13.1 %, NO3 17.0 %, OC 18.2 %; organic
  matter = 1.6 x OC (Turpin and Lim 2001, urban aerosol) = 29.1 %; NH4 as if it
  neutralised both, (NH4)2SO4 and NH4NO3: 18.04 (2 x 13.1/96.06 + 17.0/62.00) =
  9.9 % (an assumption: the source gives no NH4); EC is not given there, so it is
  0 here and its mass is in 'other' (the rest, 30.8 %).
- no2: half of the stations' (NO2_REGIONAL, an ASSUMPTION): the city's own
  traffic and combustion make most of an urban station's NO2, and lantian
  adds its sources' NOx as NO2 (the ozone-limiting method) on top.
The others are taken as the regional background, which they are not quite:
the observations at the city's stations include the city's own sources, so
where lantian adds its explicit sources' SO2 on top the stations count that
part twice (an overestimate of the order of station_so2_local in the
output). The default case's sources carry no co_tpy or pm10_tpy, so CO and
the coarse part of PM10 are these columns alone.

Run: /usr/bin/python3 scripts/make_background6.py
"""
import csv
import datetime as dt
import glob
import math
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CASE = os.path.join(ROOT, "inputs", "xianyang")
OBS = os.path.join(ROOT, "inputs", "observations", "cnemc_2022-01")
XIANYANG = {"1918A", "1919A", "1920A", "3525A", "3165A"}
COLS = {"pm10": "pm10_24h", "pm25": "pm2_5_24h", "so2": "so2_24h", "no2": "no2_24h", "co": "co_24h",
        "o3_8h": "o3_8h", "o3_1h": "o3"}


# The regional share of the stations' NO2: ASSUMPTION. NO2 at urban stations is
# mostly the city's own traffic and combustion, which lantian adds from its
# sources (the ozone-limiting method); the regional level is taken as half
# of what the city's stations observe (rural Guanzhong sites see of the order
# of half the urban NO2; an assumption of the order, not a measured split).
NO2_REGIONAL = 0.5

# PM2.5's composition (shares of PM2.5; see the docstring)
SO4, NO3, OC = 0.131, 0.170, 0.182
OM = 1.6 * OC
NH4 = 18.04 * (2.0 * SO4 / 96.06 + NO3 / 62.00)
EC = 0.0


def components(p):
    """so4, no3, nh4, om, ec, other of pm25 p, rounded to 0.01, summing to p."""
    c = [round(p * f, 2) for f in (SO4, NO3, NH4, OM, EC)]
    return c + [round(p - sum(c), 2)]


def observed_days():
    """{day of January 2022: {quantity: mean over the Xianyang stations}}."""
    days = {}
    for path in sorted(glob.glob(os.path.join(OBS, "*", "*T00.csv"))):
        stamp = dt.datetime.strptime(os.path.basename(path)[:10], "%Y-%m-%d")
        day = (stamp - dt.timedelta(days=1)).day if stamp.month == 1 and stamp.day > 1 else None
        if day is None:
            continue
        sums = {k: [] for k in COLS}
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["stationcode"] not in XIANYANG:
                    continue
                for k, col in COLS.items():
                    if row.get(col, "") != "":
                        sums[k].append(float(row[col]))
        days[day] = {k: sum(v) / len(v) for k, v in sums.items() if v}
    return days


def shape(j):
    return math.exp(-0.5 * ((j - 14) / 2.5) ** 2)


def o3_day(mx, mda8):
    """24 hourly O3 values with maximum mx and maximum 8-h mean mda8 (b >= 0)."""
    f = [shape(j) for j in range(24)]
    m8 = max(sum(f[j - 7:j + 1]) / 8.0 for j in range(7, 24))
    a = (mx - mda8) / (1.0 - m8)
    b = mx - a
    bound = b < 0
    if bound:
        a, b = mx, 0.0
    return [b + a * v for v in f], bound


def main():
    obs = observed_days()
    have = sorted(obs)
    assert have == list(range(1, 16)), f"expected 1-15 January in {OBS}, found {have}"
    src = os.path.join(CASE, "background_2017-01.csv")
    with open(src, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]
    pm25 = {r["time"]: float(r["pm25_ugm3"]) for r in rows}
    bound = 0
    out = []
    o3_cache = {}
    for t in sorted(pm25):
        utc = dt.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ")
        cst = utc + dt.timedelta(hours=8)
        if cst.year != 2017 or cst.month != 1:
            day = 1 if cst.month == 2 else 31  # the hours past the month take its edge days
        else:
            day = cst.day
        src_day = (day - 1) % 15 + 1
        d = obs[src_day]
        if src_day not in o3_cache:
            o3_cache[src_day] = o3_day(d["o3_1h"], d["o3_8h"])
            bound += o3_cache[src_day][1]
        o3 = o3_cache[src_day][0][cst.hour]
        coarse = max(d["pm10"] - d["pm25"], 0.0)
        p = pm25[t]
        out.append((t, p, p + coarse, d["so2"], NO2_REGIONAL * d["no2"], d["co"], o3))
    dst = os.path.join(CASE, "background6_2017-01.csv")
    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Background of the six AQI pollutants for the winter case (scripts/make_background6.py):\n")
        f.write("# pm25 SYNTHETIC (background_2017-01.csv); pm10-pm25, so2, no2, co, o3 from the REAL daily values\n")
        f.write("# of the CNEMC Xianyang stations, 1-15 January 2022, on 1-15 January 2017 and repeated after;\n")
        f.write("# hours within a day flat (O3: an afternoon bump matching the day's max 1-h and max 8-h). ug/m3, CO mg/m3\n")
        f.write("# no2: half the stations' (an ASSUMED regional share; the sources' own NO2 is added by the run)\n")
        f.write("# so4..other: pm25 split by an ILLUSTRATIVE composition (Xixian 2017-18 annual; NH4 assumed, EC in other)\n")
        f.write("time,pm25,pm10,so2,no2,co,o3,so4,no3,nh4,om,ec,other\n")
        for t, p, p10, s, n, c, o in out:
            comp = ",".join(f"{x:.2f}" for x in components(round(p, 2)))
            f.write(f"{t},{p:.2f},{p10:.2f},{s:.2f},{n:.2f},{c:.3f},{o:.2f},{comp}\n")
    print(f"wrote {dst}: {len(out)} hours; O3 shape bound by b >= 0 on {bound} of 15 observed days")


if __name__ == "__main__":
    main()
