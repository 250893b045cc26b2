#!/usr/bin/python3
"""Generate the illustrative Xianyang default case in inputs/xianyang/.

Writes stations.csv, points.csv, roads.csv, areas.csv, profiles.csv, the
MEIC-layout gridded inventory meic/2017_01__<sector>__<species>.nc,
met_2017-01.nc and background_2017-01.csv. Every number below is
either read from a cited source or is a stated assumption; the case is
ILLUSTRATIVE: the enterprises are plausible kinds and sizes of the sources
the Xianyang 2020 Blue Sky plan names, not a real emission inventory, and the
meteorology is synthetic, not observed. See inputs/xianyang/README.md.

Run with Debian's interpreter:  /usr/bin/python3 scripts/make_xianyang_case.py
The output is deterministic (fixed random seed).
"""
import csv
import json
import math
import os
import sys

import numpy as np
import netCDF4

HERE = os.path.dirname(os.path.abspath(__file__))
CASE = os.path.join(HERE, "..", "inputs", "xianyang")

# County names: Chinese as in the GeoJSON (DataV boundaries, adcode 6104xx),
# with pinyin for station ids.
COUNTY_PINYIN = {
    "秦都区": "Qindu", "杨陵区": "Yangling", "渭城区": "Weicheng", "三原县": "Sanyuan",
    "泾阳县": "Jingyang", "乾县": "Qianxian", "礼泉县": "Liquan", "永寿县": "Yongshou",
    "长武县": "Changwu", "旬邑县": "Xunyi", "淳化县": "Chunhua", "武功县": "Wugong",
    "兴平市": "Xingping", "彬州市": "Binzhou",
}


def stations():
    """County-seat stations: the 'center' property of each county feature in
    counties.geojson, which the DataV boundary set gives as the location of
    the county government (checked against the seat table in
    shared/reference/china-rules-and-inventories.md §5, agreeing to ±0.03°).
    The city's national monitoring sites could not be located from the
    sources available, so none are included."""
    with open(os.path.join(CASE, "counties.geojson"), encoding="utf-8") as f:
        gj = json.load(f)
    rows = []
    for feat in gj["features"]:
        p = feat["properties"]
        name = p["name"]
        lon, lat = p["center"]
        py = COUNTY_PINYIN[name]
        rows.append({"id": "seat_" + py.lower(), "name": py + " seat", "lon": f"{lon:.5f}",
                     "lat": f"{lat:.5f}", "county": name})
    return rows


# --- Point sources --------------------------------------------------------
# Stack emission = outlet concentration x normal flue-gas flow x operating
# hours x PM2.5 fraction of PM. Assumptions, stated once:
#  * PM outlet concentrations: 10 mg/Nm3 for coal power (China's ultra-low
#    emission level) and for cement kilns, glass furnaces and coke ovens
#    (the order of DB61/941-2018 Guanzhong limits); 20 mg/Nm3 for heating
#    boilers, brick kilns and coal chemistry; 5 mg/Nm3 for paint booths.
#  * Flow = pi d^2/4 * v at stack temperature, converted to 273 K.
#  * Hours: 5500 h/yr for power and industry, 2900 h for the heating season
#    (15 Nov - 15 Mar) for heating plants, 3000 h for brick kilns and paint.
#  * PM2.5/PM: 0.7 (combustion with high-efficiency filters), 0.5 for kilns.
#  * SO2 and NOx: 35 and 50 mg/Nm3 (ultra-low) for power, else 100 / 200;
#    VOC only for paint booths (40 mg/Nm3).
# Locations: near the seat of the county named, offset by up to 6 km to an
# assumed industrial site; none is a surveyed position.
SOURCES = [
    # id, name, county, dlon, dlat, h, d, v, T, sector, grade, pm, so2, nox, voc, hours, pm25frac
    ("PWR01", "Binzhou coal power plant (2x630 MW class)", "彬州市", 0.03, -0.02, 240, 7.5, 20, 323, "coal", "A", 10, 35, 50, 0, 5500, 0.7),
    ("PWR02", "Weihe coal power plant (Qindu)", "秦都区", -0.05, 0.02, 210, 7.0, 18, 323, "coal", "A", 10, 35, 50, 0, 5500, 0.7),
    ("PWR03", "Changwu coal power and heat plant", "长武县", 0.02, 0.02, 180, 5.5, 18, 323, "coal", "B", 10, 35, 50, 0, 5500, 0.7),
    ("HTG01", "Weicheng district heating plant", "渭城区", 0.02, 0.03, 100, 3.5, 12, 333, "coal", "B", 20, 100, 200, 0, 2900, 0.7),
    ("HTG02", "Xingping heating plant", "兴平市", 0.01, 0.02, 80, 3.0, 10, 333, "coal", "B", 20, 100, 200, 0, 2900, 0.7),
    ("HTG03", "Sanyuan heating plant", "三原县", -0.01, 0.02, 80, 3.0, 10, 333, "coal", "C", 20, 100, 200, 0, 2900, 0.7),
    ("HTG04", "Qianxian heating plant", "乾县", 0.02, -0.01, 60, 2.5, 10, 333, "coal", "C", 20, 100, 200, 0, 2900, 0.7),
    ("HTG05", "Jingyang heating plant", "泾阳县", 0.02, -0.02, 60, 2.5, 10, 333, "coal", "C", 20, 100, 200, 0, 2900, 0.7),
    ("CEM01", "Liquan cement plant, kiln (5000 t/d clinker)", "礼泉县", 0.05, 0.06, 105, 4.5, 14, 393, "industry", "B", 10, 100, 200, 0, 5500, 0.5),
    ("CEM02", "Qianxian cement plant, kiln (4500 t/d)", "乾县", -0.03, 0.07, 100, 4.2, 13, 393, "industry", "B", 10, 100, 200, 0, 5500, 0.5),
    ("CEM03", "Chunhua cement plant, kiln (2500 t/d)", "淳化县", 0.04, -0.03, 90, 3.5, 12, 393, "industry", "C", 10, 100, 200, 0, 5500, 0.5),
    ("CEM04", "Yongshou cement plant, kiln (2500 t/d)", "永寿县", 0.03, 0.04, 90, 3.5, 12, 393, "industry", "C", 10, 100, 200, 0, 5500, 0.5),
    ("CEM05", "Jingyang cement plant, kiln (2500 t/d)", "泾阳县", -0.06, 0.05, 85, 3.3, 12, 393, "industry", "D", 10, 100, 200, 0, 5500, 0.5),
    ("GLS01", "Jingyang float glass furnace", "泾阳县", 0.04, 0.01, 60, 2.8, 9, 423, "industry", "C", 10, 100, 200, 0, 5500, 0.7),
    ("CCH01", "Binzhou coal chemical plant", "彬州市", -0.05, 0.03, 80, 3.0, 12, 353, "industry", "B", 20, 100, 200, 0, 5500, 0.7),
    ("CCH02", "Changwu coal-to-clean-energy plant", "长武县", -0.03, -0.02, 80, 3.0, 12, 353, "industry", "C", 20, 100, 200, 0, 5500, 0.7),
    ("COK01", "Xunyi coking plant", "旬邑县", 0.05, -0.04, 50, 2.5, 8, 453, "industry", "D", 10, 100, 200, 0, 5500, 0.7),
    ("COK02", "Binzhou coking plant", "彬州市", 0.06, 0.05, 50, 2.5, 8, 453, "industry", "C", 10, 100, 200, 0, 5500, 0.7),
    ("CHE01", "Xingping chemical plant boiler", "兴平市", -0.04, -0.02, 45, 1.8, 10, 403, "industry", "C", 20, 100, 200, 0, 5500, 0.7),
    ("CER01", "Yangling ceramics kiln", "杨陵区", 0.02, 0.01, 35, 1.4, 8, 393, "industry", "C", 20, 100, 200, 0, 5500, 0.5),
]
BRICK_COUNTIES = ["三原县", "泾阳县", "礼泉县", "乾县", "兴平市", "武功县", "永寿县", "淳化县", "旬邑县", "彬州市"]
STEEL_OFFSETS = [(0.02, 0.01), (0.03, -0.01), (-0.02, 0.02), (-0.03, -0.02), (0.01, -0.03), (0.04, 0.03)]


def points(seats, rng):
    rows = []

    def add(sid, name, county, dlon, dlat, h, d, v, T, sector, grade, pm, so2, nox, voc, hours, f25):
        lon, lat = seats[county]
        t_flow = T if T > 0 else 273.0                       # ambient: ~0 C in January
        qn = math.pi * d * d / 4.0 * v * 273.0 / t_flow * 3600.0  # Nm3/h
        tpy = lambda c: c * qn * hours * 1e-9                # mg/Nm3 -> t/yr
        rows.append({
            "id": sid, "name": name, "lon": f"{lon + dlon:.4f}", "lat": f"{lat + dlat:.4f}",
            "height_m": h, "diameter_m": d, "velocity_ms": v, "temp_K": T, "sector": sector,
            "county": county, "grade": grade, "pm25_tpy": f"{tpy(pm) * f25:.2f}",
            "so2_tpy": f"{tpy(so2):.2f}", "nox_tpy": f"{tpy(nox):.2f}", "nh3_tpy": "0",
            "voc_tpy": f"{tpy(voc):.2f}"})

    for s in SOURCES:
        add(*s)
    # Brick kilns (tunnel kilns, one per county listed): 30 m, 1.2 m, 6 m/s, 353 K.
    for k, c in enumerate(BRICK_COUNTIES):
        dlon, dlat = rng.uniform(-0.06, 0.06, 2)
        add(f"BRK{k + 1:02d}", f"{COUNTY_PINYIN[c]} brick kiln", c, dlon, dlat, 30, 1.2, 6, 353,
            "industry", "D" if k % 3 == 0 else "C", 20, 100, 200, 0, 3000, 0.5)
    # Wugong steel-structure plants (the plan's six VOC source-substitution
    # firms): paint booth stacks at ambient temperature (temp_K = 0).
    for k, (dlon, dlat) in enumerate(STEEL_OFFSETS):
        add(f"STL{k + 1:02d}", f"Wugong steel-structure plant {k + 1}, paint booth", "武功县",
            dlon, dlat, 15, 0.8, 10, 0, "solvents", "C", 5, 0, 0, 40, 3000, 0.7)
    return rows


# --- Area-wide sectors: the gridded inventory ------------------------------
# City totals in t/yr, each an ASSUMPTION built from an activity and an
# emission factor of the usual order for Guanzhong around 2017 (no published
# county- or sector-level inventory of Xianyang was available to this project):
#  residential (coal sector): 1.4 million households, 60 % rural burning
#    0.6 t raw coal each per heating season = 500 kt; factors for raw coal in
#    household stoves, g/kg: PM2.5 6, SO2 16 (1 % S), NOx 1.5, VOC 5.
#  industry (area part: the many small works not in points.csv): PM2.5 2500,
#    SO2 3000, NOx 6000, VOC 8000.
#  transportation (urban streets, non-road machinery; the expressways are in
#    roads.csv): PM2.5 400, SO2 50, NOx 9000, VOC 5000.
#  agriculture: NH3 30 000 (fertiliser and livestock of an orchard and wheat
#    county-level city of 4.4 million people, ~7 kg NH3 per person).
#  solvent (not a MEIC sector; painting, printing, dry cleaning): VOC 10 000.
#  dust (not a MEIC sector; paved-road resuspension on streets): PM2.5 3000.
#  burning (not a MEIC sector; straw and wood burning, fireworks): PM2.5 600,
#    SO2 40, NOx 200, VOC 1200.
# January's share of the year: residential 0.25 (the heating season holds
# it), burning 0.15 (Spring Festival fireworks on 27-28 Jan 2017), agriculture
# 0.04 (winter), dust and the rest 1/12.
GRIDDED = {
    # sector: ({species: t/yr}, January share, lantian sector)
    "residential": ({"PM25": 3000, "SO2": 8000, "NOx": 750, "NMVOC": 2500}, 0.25, "coal"),
    "industry": ({"PM25": 2500, "SO2": 3000, "NOx": 6000, "NMVOC": 8000}, 1 / 12, "industry"),
    "transportation": ({"PM25": 400, "SO2": 50, "NOx": 9000, "NMVOC": 5000}, 1 / 12, "vehicles"),
    "agriculture": ({"NH3": 30000}, 0.04, "agriculture"),
    "solvent": ({"NMVOC": 10000}, 1 / 12, "solvents"),
    "dust": ({"PM25": 3000}, 1 / 12, "dust"),
    "burning": ({"PM25": 600, "SO2": 40, "NOx": 200, "NMVOC": 1200}, 0.15, "burning"),
}
NMVOC_G_PER_MOL = 70.0   # mean molar mass of the lumped VOC (assumption); MEIC stores 1e6 mol
SPECIES = ["PM25", "SO2", "NOx", "NH3", "NMVOC"]
# A window of the MEIC grid (0.25 degree, cell edges on multiples of 0.25)
# that holds the model domain; the real MEIC files span 70-150 E, 10-60 N.
MEIC_LON0, MEIC_NX, MEIC_LAT0, MEIC_NY = 107.25, 10, 33.75, 8


def county_shapes():
    """County polygons (matplotlib paths) from counties.geojson."""
    from matplotlib.path import Path
    with open(os.path.join(CASE, "counties.geojson"), encoding="utf-8") as f:
        gj = json.load(f)
    out = {}
    for feat in gj["features"]:
        g = feat["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        out[feat["properties"]["name"]] = [Path(np.array(p[0])) for p in polys]
    return out


def spatial_weights(seats):
    """Where area-wide emissions are, on a 0.01 degree lattice over the MEIC
    window (ASSUMPTION, a population proxy): every county gets the same share;
    within a county 40 % sits in an urban core around the seat (Gaussian,
    sigma 4 km) and 60 % is spread evenly over its polygon."""
    lon = MEIC_LON0 + 0.005 + 0.01 * np.arange(MEIC_NX * 25)
    lat = MEIC_LAT0 + 0.005 + 0.01 * np.arange(MEIC_NY * 25)
    LON, LAT = np.meshgrid(lon, lat)
    pts = np.column_stack([LON.ravel(), LAT.ravel()])
    w = np.zeros(LON.shape)
    for name, paths in county_shapes().items():
        inside = np.zeros(LON.size, bool)
        for pth in paths:
            inside |= pth.contains_points(pts)
        inside = inside.reshape(LON.shape)
        if not inside.any():
            continue
        clon, clat = seats[name]
        dx = (LON - clon) * 111.0 * math.cos(math.radians(clat))
        dy = (LAT - clat) * 111.0
        core = np.exp(-(dx * dx + dy * dy) / (2 * 4.0 ** 2)) * inside
        w += 0.4 * core / core.sum() + 0.6 * inside / inside.sum()
    return w / w.sum()


def meic(seats):
    """The gridded inventory in MEIC's layout: one file per sector and species
    for January 2017, t per 0.25 degree cell per month (VOC in 1e6 mol), rows
    stored north-first, GMT-grd variables (x_range, y_range, spacing,
    dimension, z)."""
    w = spatial_weights(seats)
    # 0.01 degree lattice -> 0.25 degree cells
    cells = w.reshape(MEIC_NY, 25, MEIC_NX, 25).sum(axis=(1, 3))
    folder = os.path.join(CASE, "meic")
    os.makedirs(folder, exist_ok=True)
    for sector, (totals, jan, _) in GRIDDED.items():
        for sp in SPECIES:
            t_month = totals.get(sp, 0.0) * jan
            z = cells * t_month
            if sp == "NMVOC":
                z = z * 1e6 / NMVOC_G_PER_MOL / 1e6       # t -> g -> mol -> 1e6 mol
            path = os.path.join(folder, f"2017_01__{sector}__{sp}.nc")
            ds = netCDF4.Dataset(path + ".tmp", "w", format="NETCDF4")
            ds.title = f"ILLUSTRATIVE {sector} {sp}, January 2017, MEIC layout (see scripts/make_xianyang_case.py)"
            ds.createDimension("side", 2)
            ds.createDimension("xysize", MEIC_NX * MEIC_NY)
            for name, vals, typ in (("x_range", [MEIC_LON0, MEIC_LON0 + 0.25 * MEIC_NX], "f8"),
                                    ("y_range", [MEIC_LAT0, MEIC_LAT0 + 0.25 * MEIC_NY], "f8"),
                                    ("spacing", [0.25, 0.25], "f8"), ("dimension", [MEIC_NX, MEIC_NY], "i4")):
                v = ds.createVariable(name, typ, ("side",))
                v[:] = vals
            zv = ds.createVariable("z", "f4", ("xysize",))
            zv.nodata_value = np.float32(-9999.0)
            zv.units = "1e6 mol per cell per month" if sp == "NMVOC" else "t per cell per month"
            zv[:] = z[::-1, :].ravel()                     # north-first
            ds.close()
            os.replace(path + ".tmp", path)


# --- Roads: the expressways as line sources ---------------------------------
# Alignments run through the county seats they serve (APPROXIMATE, not the
# surveyed routes): G30 Lianhuo (Yangling - Wugong - Xingping - Qindu -
# Weicheng), G70 Fuyin (Weicheng - Liquan - Qianxian - Yongshou - Binzhou -
# Changwu), G65 north (Sanyuan - Chunhua - Xunyi) and Weicheng - Jingyang -
# Sanyuan. Traffic 25 000 vehicles a day (assumption); factors per vehicle-km
# for a 2017 mixed fleet with trucks (assumption): PM2.5 exhaust and wear
# 0.03 g, NOx 1.0 g, VOC 0.2 g, SO2 0.005 g; 26 m carriageway, release 1 m,
# initial vertical spread 1.5 m (vehicle wake).
ROADS = [
    ("G30", "G30 Lianhuo expressway", ["杨陵区", "武功县", "兴平市", "秦都区", "渭城区"]),
    ("G70", "G70 Fuyin expressway", ["渭城区", "礼泉县", "乾县", "永寿县", "彬州市", "长武县"]),
    ("G65", "G65 north (Sanyuan - Xunyi)", ["三原县", "淳化县", "旬邑县"]),
    ("S107", "Weicheng - Jingyang - Sanyuan road", ["渭城区", "泾阳县", "三原县"]),
]


def roads(seats):
    vkm = 25000 * 365 * 1e-6      # t/yr per km per g/veh-km
    rows = []
    for rid, name, via in ROADS:
        line = "; ".join(f"{seats[c][0]:.4f} {seats[c][1]:.4f}" for c in via)
        rows.append({"id": rid, "name": name, "polyline": line, "width_m": 26, "height_m": 1,
                     "sigma_z0_m": 1.5, "sector": "vehicles", "county": "", "grade": "",
                     "pm25_tpy_per_km": f"{0.03 * vkm:.4f}", "so2_tpy_per_km": f"{0.005 * vkm:.4f}",
                     "nox_tpy_per_km": f"{1.0 * vkm:.4f}", "voc_tpy_per_km": f"{0.2 * vkm:.4f}"})
    return rows


# --- Area sources: construction sites ---------------------------------------
# Six large construction zones (dust sector), 2 x 1.5 km rectangles next to
# the fastest-growing seats (assumed positions), each 60 t/yr of PM2.5:
# AP-42 13.2.3's 1.2 t TSP per acre-month of activity, PM2.5/TSP ~ 0.1 and
# watering control ~ 50 %, over ~ 300 acres of active ground each (assumed).
SITES = [("秦都区", 0.05, 0.03), ("渭城区", 0.06, 0.05), ("兴平市", 0.04, 0.03),
         ("三原县", -0.04, 0.03), ("泾阳县", 0.05, 0.04), ("礼泉县", 0.04, -0.03)]


def areas(seats):
    rows = []
    for k, (c, dlon, dlat) in enumerate(SITES):
        lon, lat = seats[c][0] + dlon, seats[c][1] + dlat
        hx, hy = 1.0 / (111.0 * math.cos(math.radians(lat))), 0.75 / 111.0
        poly = "; ".join(f"{lon + a * hx:.5f} {lat + b * hy:.5f}" for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1)))
        rows.append({"id": f"CON{k + 1:02d}", "name": f"{COUNTY_PINYIN[c]} construction zone",
                     "polygon": poly, "height_m": 0, "sigma_z0_m": 1, "sector": "dust", "county": c,
                     "grade": "", "pm25_tpy": "60"})
    return rows


# --- Volume sources: open coal yards ----------------------------------------
# Wind-blown dust from the open coal storage of the three power plants (dust
# sector): 300 x 300 m yards as volume sources (sigma_y0 = side / 4.3 and
# sigma_z0 = pile height / 2.15, as ISC3 advises), 10 m high, 15 t/yr of PM2.5
# each (an assumption: fugitive PM2.5 of a covered-in-part yard).
YARDS = [("YRD01", "PWR01", "彬州市", 0.035, -0.015), ("YRD02", "PWR02", "秦都区", -0.045, 0.025),
         ("YRD03", "PWR03", "长武县", 0.025, 0.025)]


def volumes(seats):
    rows = []
    for yid, plant, c, dlon, dlat in YARDS:
        lon, lat = seats[c]
        rows.append({"id": yid, "name": f"{plant} open coal yard", "lon": f"{lon + dlon:.4f}",
                     "lat": f"{lat + dlat:.4f}", "height_m": 5, "sigma_y0_m": f"{300 / 4.3:.1f}",
                     "sigma_z0_m": f"{10 / 2.15:.2f}", "sector": "dust", "county": c, "grade": "",
                     "pm25_tpy": "15"})
    return rows


# --- Hourly emissions of monitored stacks (CEMS) -------------------------------
# The two large power plants report hourly rates (as China's online monitoring
# does): SYNTHETIC here, their annual rate shaped by a load curve (night 0.75,
# day 1.15 of the mean, LST) with 2 % noise, exit velocity following the load.
def hourly(pts, rng):
    rows = []
    for p in pts:
        if p["id"] not in ("PWR01", "PWR02"):
            continue
        mean = {k: float(p[k]) * 1e6 / (365 * 86400.0) for k in ("pm25_tpy", "so2_tpy", "nox_tpy")}
        for k in range(31 * 24):
            day, h = divmod(k, 24)
            lst = (h + 8) % 24
            load = (1.15 if 7 <= lst < 23 else 0.75) * (1.0 + rng.normal(0, 0.02))
            rows.append((f"2017-01-{day + 1:02d}T{h:02d}:00:00Z", p["id"], mean["pm25_tpy"] * load,
                         mean["so2_tpy"] * load, mean["nox_tpy"] * load, float(p["velocity_ms"]) * load))
    with open(os.path.join(CASE, "hourly_2017-01.csv"), "w", newline="") as f:
        f.write("# SYNTHETIC hourly stack emissions (CEMS-like), see scripts/make_xianyang_case.py\n")
        f.write("time,id,pm25_gs,so2_gs,nox_gs,velocity_ms\n")
        for r in rows:
            f.write(f"{r[0]},{r[1]},{r[2]:.5f},{r[3]:.5f},{r[4]:.5f},{r[5]:.3f}\n")


# --- Temporal profiles -------------------------------------------------------
# Hour-of-day factors in local time (ASSUMPTIONS of the usual shapes):
# vehicles with morning and evening peaks, residential heating peaking in the
# morning and evening, dust and construction by day, industry flat; month
# factors for the sectors given as point, road or area sources (the gridded
# ones are monthly already): heating plants and coal burn Nov-Mar.
def profiles():
    traffic = [0.3, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 1.8, 1.9, 1.4, 1.2, 1.2,
               1.2, 1.2, 1.2, 1.3, 1.5, 1.9, 1.8, 1.3, 1.0, 0.8, 0.6, 0.4]
    heating = [0.8, 0.7, 0.7, 0.7, 0.8, 1.0, 1.5, 1.6, 1.3, 1.0, 0.9, 0.9,
               1.0, 0.9, 0.9, 0.9, 1.0, 1.3, 1.6, 1.6, 1.4, 1.2, 1.0, 0.9]
    daywork = [0.2] * 6 + [0.8, 1.5, 1.8, 1.8, 1.8, 1.6, 1.4, 1.8, 1.8, 1.8, 1.6, 1.2] + [0.4] * 6
    coal_month = [1.9, 1.7, 1.3, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.7, 1.2, 1.9]
    rows = []
    for k, f in enumerate(traffic):
        rows.append(("vehicles", "hour", k, f))
    for k, f in enumerate(heating):
        rows.append(("coal", "hour", k, f))
    for sec in ("dust", "burning"):
        for k, f in enumerate(daywork):
            rows.append((sec, "hour", k, f))
    for k, f in enumerate(coal_month):
        rows.append(("coal", "month", k + 1, f))
    with open(os.path.join(CASE, "profiles.csv"), "w", newline="") as f:
        f.write("# ILLUSTRATIVE temporal profiles (assumed shapes; see scripts/make_xianyang_case.py)\n")
        f.write("sector,kind,index,factor\n")
        for r in rows:
            f.write(f"{r[0]},{r[1]},{r[2]},{r[3]}\n")


# --- Meteorology -----------------------------------------------------------
# Synthetic hourly weather for January 2017 on a 5 x 5 lon/lat grid. Not
# observations. Shaped on the Guanzhong winter: weak east-north-easterly
# basin winds, shallow nocturnal boundary layers, a stagnant multi-day
# episode at the start of the month (1-7 Jan) and another on 20-26 Jan, with
# north-westerly cold-air outbreaks between them. Values are assumptions
# of the right order for the season (winter PBL 50-150 m at night and 300-
# 900 m by day; 10 m winds 0.3-2 m/s when stagnant, 4-7 m/s in outbreaks).
def regime(day):
    """(wind m/s, wind direction from (deg), day PBL m, night PBL m, stable 1/L, unstable 1/L)."""
    if day < 7 or 19 <= day < 26:          # stagnant episodes
        return 0.9, 70.0, 380.0, 70.0, 0.08, -0.010
    if 7 <= day < 9 or 26 <= day < 28:     # cold-air outbreak
        return 5.5, 320.0, 1100.0, 400.0, 0.004, -0.004
    return 2.2, 60.0, 650.0, 140.0, 0.03, -0.025


def met(path, rng):
    lons = np.linspace(107.5, 109.3, 5)
    lats = np.linspace(34.1, 35.6, 5)
    nt = 31 * 24
    shape = (nt, len(lats), len(lons))
    u = np.zeros(shape, "f4"); v = np.zeros(shape, "f4"); t2 = np.zeros(shape, "f4")
    pblh = np.zeros(shape, "f4"); ust = np.zeros(shape, "f4"); rmol = np.zeros(shape, "f4")
    hfx = np.zeros(shape, "f4"); rh = np.zeros(shape, "f4"); cloud = np.zeros(shape, "f4")
    rain = np.zeros(shape, "f4")
    # Northern plateau is windier and mixes deeper than the basin (assumption).
    north = (lats[:, None] - lats[0]) / (lats[-1] - lats[0]) * np.ones((1, len(lons)))
    z0 = 0.3
    wobble_dir = np.cumsum(rng.normal(0, 6, nt))  # slow direction drift, degrees
    wobble_spd = rng.normal(0, 0.15, nt)
    for k in range(nt):
        day, hour_utc = divmod(k, 24)
        lst = (hour_utc + 8) % 24                       # China Standard Time
        sun = max(0.0, math.sin(math.pi * (lst - 7.5) / 10.0)) if 7.5 <= lst <= 17.5 else 0.0
        spd0, dir0, pbl_day, pbl_night, rm_stable, rm_unstable = regime(day)
        spd = spd0 * (0.7 + 0.6 * sun) * (1.0 + wobble_spd[k]) * (1.0 + 0.3 * north)
        spd = np.maximum(spd, 0.2)
        ddir = math.radians(dir0 + 25.0 * math.sin(wobble_dir[k] / 30.0))
        u[k] = -spd * math.sin(ddir)                    # wind from ddir
        v[k] = -spd * math.cos(ddir)
        pblh[k] = (pbl_night + (pbl_day - pbl_night) * sun) * (1.0 + 0.25 * north)
        rmol[k] = rm_unstable * sun + rm_stable * (1.0 - min(1.0, 3.0 * sun))
        # u* from the log law with a simple stability factor (assumption).
        ust[k] = 0.4 * spd / math.log(10.0 / z0) * (0.8 if rmol[k].mean() > 0 else 1.1)
        t2[k] = 270.5 + 6.0 * sun - 2.0 * north - (3.0 if 7 <= day < 9 else 0.0)
        # H = -rho cp T u*^3 / (kappa g L), consistent with rmol.
        hfx[k] = -1.2 * 1005.0 * t2[k] * ust[k] ** 3 * rmol[k] / (0.4 * 9.81)
        rh[k] = (85.0 if spd0 < 1.5 else 60.0) - 20.0 * sun
        cloud[k] = 0.7 if spd0 < 1.5 else 0.3
    ds = netCDF4.Dataset(path + ".tmp", "w", format="NETCDF4")
    ds.Conventions = "CF-1.8"
    ds.title = "Synthetic hourly meteorology for the illustrative Xianyang case, January 2017"
    ds.comment = ("SYNTHETIC, not observed: generated by scripts/make_xianyang_case.py with the "
                  "assumptions written in that script and inputs/xianyang/README.md.")
    ds.createDimension("time", nt)
    ds.createDimension("lat", len(lats))
    ds.createDimension("lon", len(lons))
    tv = ds.createVariable("time", "f8", ("time",))
    tv.units = "hours since 2017-01-01 00:00:00"
    tv.calendar = "standard"
    tv.standard_name = "time"
    tv[:] = np.arange(nt)
    la = ds.createVariable("lat", "f8", ("lat",)); la.units = "degrees_north"; la.standard_name = "latitude"; la[:] = lats
    lo = ds.createVariable("lon", "f8", ("lon",)); lo.units = "degrees_east"; lo.standard_name = "longitude"; lo[:] = lons
    spec = [("u10", u, "m s-1", "eastward_wind"), ("v10", v, "m s-1", "northward_wind"),
            ("t2", t2, "K", "air_temperature"), ("pblh", pblh, "m", "atmosphere_boundary_layer_thickness"),
            ("ust", ust, "m s-1", None), ("rmol", rmol, "m-1", None),
            ("hfx", hfx, "W m-2", "surface_upward_sensible_heat_flux"), ("rain", rain, "mm h-1", None),
            ("rh", rh, "%", "relative_humidity"), ("cloud", cloud, "1", "cloud_area_fraction")]
    for name, arr, units, stdname in spec:
        var = ds.createVariable(name, "f4", ("time", "lat", "lon"), zlib=True, complevel=4)
        var.units = units
        if stdname:
            var.standard_name = stdname
        var[:] = arr
    ds.close()
    os.replace(path + ".tmp", path)


# --- Regional background PM2.5 ----------------------------------------------
# PM2.5 carried in from outside the domain (Xi'an, the rest of the Guanzhong
# basin and beyond) and secondary aerosol formed regionally (ammonium, aged
# sulfate and nitrate), which a plume model of the city's own sources cannot
# make, as one hourly, spatially uniform concentration. SYNTHETIC: a relaxation
# dC/dt = (C_eq - C) / tau toward a regime equilibrium (stagnant: 170 ug/m3,
# tau 40 h; ordinary: 50 ug/m3, 24 h; outbreak: 15 ug/m3, 6 h), times a diurnal
# factor 1 + 0.2 cos(2 pi (LST - 2 h) / 24) peaking at night. The levels are
# assumptions chosen so that, with the city's own sources, multi-day
# Guanzhong-like episodes occur and the regional part is of the order of the
# 60 % that a WRF-Chem study of Xixian New District found for winter episodes
# (shared/reference/china-rules-and-inventories.md section 5); they are not
# observations.
def background(path):
    nt = 31 * 24
    c = 60.0
    rows = []
    for k in range(nt):
        day, hour_utc = divmod(k, 24)
        spd0 = regime(day)[0]
        c_eq, tau = (170.0, 40.0) if spd0 < 1.5 else ((15.0, 6.0) if spd0 > 4 else (50.0, 24.0))
        c += (c_eq - c) / tau
        lst = (hour_utc + 8) % 24
        rows.append((f"2017-01-{day + 1:02d}T{hour_utc:02d}:00:00Z",
                     c * (1.0 + 0.2 * math.cos(2 * math.pi * (lst - 2) / 24.0))))
    with open(path, "w", newline="") as f:
        f.write("# SYNTHETIC regional background PM2.5 (see scripts/make_xianyang_case.py)\n")
        f.write("time,pm25_ugm3\n")
        for t, v in rows:
            f.write(f"{t},{v:.2f}\n")


def main():
    rng = np.random.RandomState(2017)
    st = stations()
    with open(os.path.join(CASE, "stations.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["id", "name", "lon", "lat", "county"])
        w.writeheader()
        w.writerows(st)
    seats = {r["county"]: (float(r["lon"]), float(r["lat"])) for r in st}
    pts = points(seats, rng)
    cols = ["id", "name", "lon", "lat", "height_m", "diameter_m", "velocity_ms", "temp_K",
            "sector", "county", "grade", "pm25_tpy", "so2_tpy", "nox_tpy", "nh3_tpy", "voc_tpy"]
    with open(os.path.join(CASE, "points.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, cols)
        w.writeheader()
        w.writerows(pts)
    rd = roads(seats)
    rcols = ["id", "name", "polyline", "width_m", "height_m", "sigma_z0_m", "sector", "county", "grade",
             "pm25_tpy_per_km", "so2_tpy_per_km", "nox_tpy_per_km", "voc_tpy_per_km"]
    with open(os.path.join(CASE, "roads.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, rcols)
        w.writeheader()
        w.writerows(rd)
    ar = areas(seats)
    with open(os.path.join(CASE, "areas.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["id", "name", "polygon", "height_m", "sigma_z0_m", "sector", "county",
                               "grade", "pm25_tpy"])
        w.writeheader()
        w.writerows(ar)
    with open(os.path.join(CASE, "volumes.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["id", "name", "lon", "lat", "height_m", "sigma_y0_m", "sigma_z0_m", "sector",
                               "county", "grade", "pm25_tpy"])
        w.writeheader()
        w.writerows(volumes(seats))
    hourly(pts, np.random.RandomState(2018))  # its own stream: the weather stays as it was
    profiles()
    meic(seats)
    met(os.path.join(CASE, "met_2017-01.nc"), rng)
    background(os.path.join(CASE, "background_2017-01.csv"))
    total = sum(float(p["pm25_tpy"]) for p in pts)
    print(f"wrote {len(st)} stations, {len(pts)} point sources ({total:.0f} t/yr PM2.5), "
          f"met_2017-01.nc into {os.path.normpath(CASE)}")


if __name__ == "__main__":
    sys.exit(main())
