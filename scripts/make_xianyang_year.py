#!/usr/bin/python3
"""Generate the year-long inputs of the illustrative Xianyang case in
inputs/xianyang/year/ (inputs/xianyang/year.ini runs them; `make year`).

Writes:
  met_2017.nc         SYNTHETIC hourly weather for 2017 (8760 hours) on the
                      winter case's 5 x 5 lon/lat grid;
  background_2017.csv the regional background of the six AQI pollutants,
                      hourly, with PM2.5's components;
  meic/2017_MM__<sector>__<species>.nc the gridded inventory of the winter
                      case (scripts/make_xianyang_case.py) for all twelve
                      months, each month its share of the year.
The sources (points.csv, roads.csv, areas.csv, volumes.csv), their temporal
profiles (profiles.csv: the coal sector's month factors carry the heating
season), the stations, counties and targets are the winter case's, read
from inputs/xianyang/.

Every number is either a cited figure or a stated ASSUMPTION (marked so);
the weather is synthetic, shaped on the Guanzhong basin's seasons: winter
stagnation with shallow boundary layers, spring cold-air outbreaks, summer
convection with deep daytime mixing and showers. January's gases and coarse
PM are anchored on the real CNEMC observations of the Xianyang stations
(1-15 January 2022, inputs/observations/cnemc_2022-01, as in
scripts/make_background6.py); NO2 as half the stations' (the regional share assumed in
make_background6.py: the sources' own NO2 is added by the run), and
the other months follow monthly factors that
are ASSUMPTIONS of the usual shape of the Guanzhong cycle (PM2.5 and the
heating-season gases high in winter and low in summer, ozone the reverse
with its maximum in June; Huang et al. 2015, Int. J. Environ. Res. Public
Health 12, 6608, report Xi'an's monthly PM2.5 above 50 ug/m3 in every month
but June and July of 2013-14; the factors below are not read from that
paper's figures). See inputs/xianyang/README.md.

Run with Debian's interpreter:  /usr/bin/python3 scripts/make_xianyang_year.py
The output is deterministic (fixed random seed).
"""
import calendar
import datetime as dt
import math
import os
import sys

import numpy as np
import netCDF4

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_background6 as bg6      # noqa: E402  (the CNEMC January and the O3 day shape)
import make_xianyang_case as case   # noqa: E402  (stations, the gridded inventory's weights)

OUT = os.environ.get("LT_YEAR_OUT", os.path.join(case.CASE, "year"))  # LT_YEAR_OUT: elsewhere (the tests)
YEAR = 2017
NDAYS = 366 if calendar.isleap(YEAR) else 365
# The files start at 00:00 China Standard Time on 1 January, 16:00 UTC the
# day before, so that the run's local days are the calendar year's (HJ 663
# counts CST days): hour k is CST day k // 24, CST hour k % 24.
START = dt.datetime(YEAR - 1, 12, 31, 16)

# --- The months (index 0 = January) ------------------------------------------
# 2-m temperature, monthly mean in deg C: ASSUMPTION of the order of Xi'an's
# climate (cold, dry winters near 0 C, hot summers near 27 C), rounded.
T2_C = [0.5, 4.5, 10.5, 16.5, 21.5, 26.0, 27.5, 26.0, 21.0, 15.0, 8.0, 2.0]
# Boundary-layer height by day and by night, m: ASSUMPTIONS (January as the
# winter case's ordinary regime; summer convective days mix to ~1.8 km).
PBL_DAY = [650, 800, 1100, 1400, 1600, 1800, 1800, 1600, 1200, 900, 700, 600]
PBL_NIGHT = [140, 160, 200, 240, 270, 300, 300, 280, 220, 170, 140, 130]
# Probability that a day starts a stagnant episode or a cold-air outbreak
# (episodes then persist, below): ASSUMPTIONS, stagnation in the heating
# season, outbreaks in spring and autumn.
P_STAGNANT = [0.10, 0.08, 0.04, 0.02, 0.02, 0.02, 0.02, 0.02, 0.03, 0.05, 0.08, 0.10]
P_OUTBREAK = [0.06, 0.08, 0.12, 0.12, 0.07, 0.03, 0.02, 0.02, 0.04, 0.08, 0.08, 0.06]
# Share of days with rain, and rain rate on them, mm/h: ASSUMPTIONS (a dry
# winter, the wettest months July-September).
P_RAIN = [0.08, 0.10, 0.18, 0.22, 0.26, 0.28, 0.33, 0.30, 0.33, 0.28, 0.14, 0.07]
RAIN_MMH = [0.3, 0.4, 0.8, 1.0, 1.5, 2.5, 3.0, 3.0, 2.0, 1.2, 0.6, 0.3]
# Relative humidity, %: ASSUMPTION.
RH = [68, 62, 60, 60, 62, 62, 72, 75, 78, 76, 72, 68]

# Background: factors on January (ASSUMPTIONS of the Guanzhong cycle's shape).
F_PM25 = [1.00, 0.80, 0.60, 0.50, 0.45, 0.40, 0.35, 0.35, 0.40, 0.55, 0.80, 1.00]
F_COARSE = [1.00, 1.10, 1.40, 1.50, 1.20, 0.90, 0.70, 0.70, 0.80, 0.90, 1.00, 1.00]  # spring dust
F_SO2 = [1.00, 0.85, 0.60, 0.45, 0.40, 0.35, 0.35, 0.35, 0.40, 0.50, 0.75, 1.00]    # heating
F_NO2 = [1.00, 0.85, 0.80, 0.70, 0.60, 0.55, 0.50, 0.55, 0.70, 0.85, 0.95, 1.00]
F_CO = [1.00, 0.80, 0.60, 0.50, 0.45, 0.45, 0.45, 0.45, 0.50, 0.60, 0.80, 1.00]
F_O3 = [1.00, 1.40, 2.00, 2.60, 3.20, 3.60, 3.40, 3.00, 2.40, 1.70, 1.10, 0.90]     # max in June
# the day's maximum 1-h O3 over its maximum 8-h mean: ASSUMPTION, 1.15 in
# summer's broad afternoon maximum to January's observed ratio.
O3_PEAK = [None, 1.25, 1.2, 1.18, 1.15, 1.15, 1.15, 1.15, 1.18, 1.2, 1.25, None]

# Gridded inventory: each sector's share of the year by month (the winter
# case's January shares kept): ASSUMPTIONS. Residential heating 15 Nov -
# 15 Mar with a little cooking coal all year; agriculture's NH3 with spring
# and summer fertiliser; burning with the winter fireworks and the June
# (wheat) and October (maize) harvests.
MONTH_SHARE = {
    "residential": [0.25, 0.20, 0.10, 0.0143, 0.0143, 0.0143, 0.0143, 0.0143, 0.0143, 0.0142, 0.12, 0.23],
    "agriculture": [0.04, 0.04, 0.08, 0.11, 0.11, 0.13, 0.13, 0.10, 0.08, 0.07, 0.06, 0.05],
    "burning": [0.15, 0.12, 0.06, 0.03, 0.04, 0.12, 0.03, 0.02, 0.04, 0.12, 0.12, 0.15],
}


def month_of(day):
    return (dt.date(YEAR, 1, 1) + dt.timedelta(days=day)).month - 1


def regimes(rng):
    """The regime of each day: 'stagnant', 'outbreak' or 'ordinary'. An
    episode, once started, lasts 3-7 days of stagnation or 2 days of
    outbreak (ASSUMPTION, the Guanzhong winter's multi-day episodes)."""
    out, left, kind = [], 0, "ordinary"
    for d in range(NDAYS):
        m = month_of(d)
        if left == 0:
            u = rng.uniform()
            if u < P_STAGNANT[m]:
                kind, left = "stagnant", int(rng.randint(3, 8))
            elif u < P_STAGNANT[m] + P_OUTBREAK[m]:
                kind, left = "outbreak", 2
            else:
                kind, left = "ordinary", 1
        out.append(kind)
        left -= 1
    return out


def regime_params(kind, m):
    """(10 m wind m/s, direction from (deg), day PBL, night PBL, stable 1/L,
    unstable 1/L). January's values are the winter case's; the PBL follows
    the month (ASSUMPTIONS)."""
    summer = 4 <= m <= 8
    if kind == "stagnant":
        return 0.9, 70.0, 0.55 * PBL_DAY[m], 0.5 * PBL_NIGHT[m], 0.08, -0.010
    if kind == "outbreak":
        return 5.5, 320.0, 1.5 * PBL_DAY[m], 2.8 * PBL_NIGHT[m], 0.004, -0.004
    return 2.2, (110.0 if summer else 60.0), PBL_DAY[m], PBL_NIGHT[m], 0.03, (-0.06 if summer else -0.025)


def met(path, kinds, rain_day, rng):
    lons = np.linspace(107.5, 109.3, 5)
    lats = np.linspace(34.1, 35.6, 5)
    nt = NDAYS * 24
    shape = (nt, len(lats), len(lons))
    names = ["u10", "v10", "t2", "pblh", "ust", "rmol", "hfx", "rain", "rh", "cloud"]
    a = {n: np.zeros(shape, "f4") for n in names}
    north = (lats[:, None] - lats[0]) / (lats[-1] - lats[0]) * np.ones((1, len(lons)))
    z0 = 0.3
    wobble_dir = np.cumsum(rng.normal(0, 6, nt))
    wobble_spd = rng.normal(0, 0.15, nt)
    for k in range(nt):
        day, lst = divmod(k, 24)
        m = month_of(day)
        # the day's length through the year (ASSUMPTION: 10 h at the winter
        # solstice, 14 h at the summer one, centred on 12:30 CST)
        half = 5.0 + 2.0 * math.sin(2 * math.pi * (day - 80) / NDAYS)
        sun = max(0.0, math.cos(math.pi * (lst - 12.5) / (2 * half))) if abs(lst - 12.5) < half else 0.0
        spd0, dir0, pbl_day, pbl_night, rm_stable, rm_unstable = regime_params(kinds[day], m)
        wet = rain_day[day]
        if wet:
            sun *= 0.4
        spd = spd0 * (0.7 + 0.6 * sun) * (1.0 + wobble_spd[k]) * (1.0 + 0.3 * north)
        spd = np.maximum(spd, 0.2)
        ddir = math.radians(dir0 + 25.0 * math.sin(wobble_dir[k] / 30.0))
        a["u10"][k] = -spd * math.sin(ddir)
        a["v10"][k] = -spd * math.cos(ddir)
        a["pblh"][k] = (pbl_night + (pbl_day - pbl_night) * sun) * (1.0 + 0.25 * north)
        a["rmol"][k] = rm_unstable * sun + rm_stable * (1.0 - min(1.0, 3.0 * sun))
        a["ust"][k] = 0.4 * spd / math.log(10.0 / z0) * (0.8 if a["rmol"][k].mean() > 0 else 1.1)
        a["t2"][k] = 273.15 + T2_C[m] + 10.0 * (sun - 0.35) - 2.0 * north - (3.0 if kinds[day] == "outbreak" else 0.0)
        a["hfx"][k] = -1.2 * 1005.0 * a["t2"][k] * a["ust"][k] ** 3 * a["rmol"][k] / (0.4 * 9.81)
        # rain: summer showers in the afternoon (13-19 CST), else all day
        summer = 4 <= m <= 8
        raining = wet and ((13 <= lst < 19) if summer else True)
        a["rain"][k] = RAIN_MMH[m] if raining else 0.0
        a["rh"][k] = min(98.0, RH[m] + (15.0 if kinds[day] == "stagnant" else 0.0) - 20.0 * sun + (15.0 if raining else 0.0))
        a["cloud"][k] = 0.9 if wet else (0.7 if kinds[day] == "stagnant" else 0.3)
    ds = netCDF4.Dataset(path + ".tmp", "w", format="NETCDF4")
    ds.Conventions = "CF-1.8"
    ds.title = f"Synthetic hourly meteorology for the illustrative Xianyang case, {YEAR}"
    ds.comment = ("SYNTHETIC, not observed: generated by scripts/make_xianyang_year.py with the "
                  "assumptions written in that script and inputs/xianyang/README.md.")
    ds.createDimension("time", nt)
    ds.createDimension("lat", len(lats))
    ds.createDimension("lon", len(lons))
    tv = ds.createVariable("time", "f8", ("time",))
    tv.units = START.strftime("hours since %Y-%m-%d %H:%M:%S")
    tv.calendar = "standard"
    tv.standard_name = "time"
    tv[:] = np.arange(nt)
    la = ds.createVariable("lat", "f8", ("lat",)); la.units = "degrees_north"; la.standard_name = "latitude"; la[:] = lats
    lo = ds.createVariable("lon", "f8", ("lon",)); lo.units = "degrees_east"; lo.standard_name = "longitude"; lo[:] = lons
    spec = {"u10": ("m s-1", "eastward_wind"), "v10": ("m s-1", "northward_wind"), "t2": ("K", "air_temperature"),
            "pblh": ("m", "atmosphere_boundary_layer_thickness"), "ust": ("m s-1", None), "rmol": ("m-1", None),
            "hfx": ("W m-2", "surface_upward_sensible_heat_flux"), "rain": ("mm h-1", None),
            "rh": ("%", "relative_humidity"), "cloud": ("1", "cloud_area_fraction")}
    for name in names:
        units, stdname = spec[name]
        var = ds.createVariable(name, "f4", ("time", "lat", "lon"), zlib=True, complevel=6,
                                least_significant_digit=3)
        var.units = units
        if stdname:
            var.standard_name = stdname
        var[:] = a[name]
    ds.close()
    os.replace(path + ".tmp", path)


def january_anchor():
    """The CNEMC Xianyang means of 1-15 January 2022 (make_background6.py):
    coarse PM, SO2, NO2, CO, O3 maximum 8-h and maximum 1-h."""
    obs = bg6.observed_days()
    mean = lambda k: sum(d[k] for d in obs.values()) / len(obs)
    coarse = sum(max(d["pm10"] - d["pm25"], 0.0) for d in obs.values()) / len(obs)
    return {"coarse": coarse, "so2": mean("so2"), "no2": bg6.NO2_REGIONAL * mean("no2"), "co": mean("co"),
            "o3_8h": mean("o3_8h"), "o3_1h": mean("o3_1h")}


def background(path, kinds, rain_day, rng):
    """Hourly regional background. PM2.5: the winter case's relaxation toward
    a regime equilibrium (stagnant 170, ordinary 50, outbreak 15 ug/m3 in
    January; tau 40, 24, 6 h), the equilibria times F_PM25 of the month,
    with the same night-peaking diurnal factor. The gases and coarse PM: the
    January anchor times the month's factor, times a day factor (stagnant
    1.4, outbreak 0.5, rain 0.7; lognormal noise sigma 0.15: ASSUMPTIONS),
    flat within the day. O3: the day's maximum 8-h mean is the anchor times
    F_O3 (stagnant 0.8, rain 0.7, noise 0.15), the maximum hour O3_PEAK times
    it (January: the observed ratio), shaped by make_background6.o3_day."""
    jan = january_anchor()  # NO2: the regional share of the stations' (make_background6.NO2_REGIONAL)
    c = 60.0
    rows = []
    day_f = {}
    for d in range(NDAYS):
        f = {"stagnant": 1.4, "outbreak": 0.5}.get(kinds[d], 1.0) * (0.7 if rain_day[d] else 1.0)
        fo3 = {"stagnant": 0.8}.get(kinds[d], 1.0) * (0.7 if rain_day[d] else 1.0)
        day_f[d] = (f * math.exp(rng.normal(0, 0.15)), fo3 * math.exp(rng.normal(0, 0.15)))
    o3_days = {}
    for k in range(NDAYS * 24):
        utc = START + dt.timedelta(hours=k)
        d, lst = divmod(k, 24)
        m = month_of(d)
        kind = kinds[d]
        c_eq, tau = (170.0, 40.0) if kind == "stagnant" else ((15.0, 6.0) if kind == "outbreak" else (50.0, 24.0))
        c += (c_eq * F_PM25[m] - c) / tau
        pm25 = c * (1.0 + 0.2 * math.cos(2 * math.pi * (lst - 2) / 24.0))
        fg, fo = day_f[d]
        if d not in o3_days:
            mda8 = jan["o3_8h"] * F_O3[m] * fo
            peak = jan["o3_1h"] / jan["o3_8h"] if O3_PEAK[m] is None else O3_PEAK[m]
            o3_days[d] = bg6.o3_day(mda8 * peak, mda8)[0]
        coarse = jan["coarse"] * F_COARSE[m] * fg
        p = round(pm25, 2)
        rows.append((utc.strftime("%Y-%m-%dT%H:%M:%SZ"), p, p + coarse, jan["so2"] * F_SO2[m] * fg,
                     jan["no2"] * F_NO2[m] * fg, jan["co"] * F_CO[m] * fg, o3_days[d][lst]))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Regional background of the six AQI pollutants for the year case (scripts/make_xianyang_year.py):\n")
        f.write("# SYNTHETIC; January's gases and coarse PM anchored on the CNEMC Xianyang stations (1-15 Jan 2022),\n")
        f.write("# the other months by ASSUMED monthly factors; no2 half the stations' (an ASSUMED regional share);\n")
        f.write("# ug/m3, CO mg/m3; so4..other an ILLUSTRATIVE split\n")
        f.write("time,pm25,pm10,so2,no2,co,o3,so4,no3,nh4,om,ec,other\n")
        for t, p, p10, s, n, co, o in rows:
            comp = ",".join(f"{x:.2f}" for x in bg6.components(p))
            f.write(f"{t},{p:.2f},{p10:.2f},{s:.2f},{n:.2f},{co:.3f},{o:.2f},{comp}\n")


def meic(seats):
    """The winter case's gridded inventory for every month of the year (its
    annual totals, make_xianyang_case.GRIDDED, times MONTH_SHARE or 1/12),
    as classic NetCDF (small files; the reader takes either)."""
    w = case.spatial_weights(seats)
    cells = w.reshape(case.MEIC_NY, 25, case.MEIC_NX, 25).sum(axis=(1, 3))
    folder = os.path.join(OUT, "meic")
    os.makedirs(folder, exist_ok=True)
    for sector, (totals, jan, _) in case.GRIDDED.items():
        shares = MONTH_SHARE.get(sector, [1.0 / 12] * 12)
        assert abs(sum(shares) - 1.0) < 1e-3 and abs(shares[0] - jan) < 1e-9, sector
        for m in range(12):
            for sp in case.SPECIES:
                z = cells * totals.get(sp, 0.0) * shares[m]
                if sp == "NMVOC":
                    z = z * 1e6 / case.NMVOC_G_PER_MOL / 1e6
                path = os.path.join(folder, f"{YEAR}_{m + 1:02d}__{sector}__{sp}.nc")
                ds = netCDF4.Dataset(path + ".tmp", "w", format="NETCDF3_CLASSIC")
                ds.title = f"ILLUSTRATIVE {sector} {sp}, {YEAR}-{m + 1:02d}, MEIC layout (scripts/make_xianyang_year.py)"
                ds.createDimension("side", 2)
                ds.createDimension("xysize", case.MEIC_NX * case.MEIC_NY)
                for name, vals, typ in (("x_range", [case.MEIC_LON0, case.MEIC_LON0 + 0.25 * case.MEIC_NX], "f8"),
                                        ("y_range", [case.MEIC_LAT0, case.MEIC_LAT0 + 0.25 * case.MEIC_NY], "f8"),
                                        ("spacing", [0.25, 0.25], "f8"),
                                        ("dimension", [case.MEIC_NX, case.MEIC_NY], "i4")):
                    v = ds.createVariable(name, typ, ("side",))
                    v[:] = vals
                zv = ds.createVariable("z", "f4", ("xysize",))
                zv.nodata_value = np.float32(-9999.0)
                zv.units = "1e6 mol per cell per month" if sp == "NMVOC" else "t per cell per month"
                zv[:] = z[::-1, :].ravel()
                ds.close()
                os.replace(path + ".tmp", path)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(2017)
    kinds = regimes(rng)
    rain_day = [bool(rng.uniform() < P_RAIN[month_of(d)]) and kinds[d] != "stagnant" for d in range(NDAYS)]
    met(os.path.join(OUT, f"met_{YEAR}.nc"), kinds, rain_day, rng)
    background(os.path.join(OUT, f"background_{YEAR}.csv"), kinds, rain_day, np.random.RandomState(2018))
    seats = {r["county"]: (float(r["lon"]), float(r["lat"])) for r in case.stations()}
    meic(seats)
    n = {k: kinds.count(k) for k in ("stagnant", "ordinary", "outbreak")}
    print(f"wrote {NDAYS} days ({n['stagnant']} stagnant, {n['ordinary']} ordinary, {n['outbreak']} outbreak, "
          f"{sum(rain_day)} with rain) into {os.path.normpath(OUT)}")


if __name__ == "__main__":
    sys.exit(main())
