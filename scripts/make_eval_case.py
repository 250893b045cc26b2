#!/usr/bin/python3
"""make_eval_case.py: the default case moved onto the dates of the real CNEMC
observations in inputs/observations/cnemc_2022-01 (1-16 January 2022), so
that `lantian evaluate` has something to pair them with.

What it writes into inputs/xianyang/ (and why each number is what it is):
- met_2022-01.nc, background_2022-01.csv, hourly_2022-01.csv: the default
  case's SYNTHETIC January 2017 weather, regional background and stack
  emissions (scripts/make_xianyang_case.py) with only their dates moved by
  five years (2017-01-DD -> 2022-01-DD, same day of January, same hour).
  Nothing else changes: these are not the weather or emissions of 2022.
- stations_cnemc.csv: the 22 CNEMC stations of the sample (code, name, city,
  longitude, latitude as the network publishes them, from the sample's
  stations.csv); the county is left empty for the Xianyang stations (lantian
  assigns it from [domain] counties) and, for the stations of Xi'an and
  Xixian New Area outside Xianyang's county polygons, set to the Xi'an
  district holding them when ../shared/data/geo/xian_districts.geojson is at
  hand (point in polygon), else left empty. Station 3524A (文体局, Huyi
  district, 34.1164 N) is left out: it lies about 3 km south of the domain's
  southern edge (34.865 N - 80 km), so `lantian evaluate` reports it as an
  observed station not in the run.

The case's configuration, eval_2022-01.ini, is written by hand beside them.
So the evaluation it allows measures the illustrative inventory and the
synthetic weather against the real monitors, not the dispersion engine alone.

Run: /usr/bin/python3 scripts/make_eval_case.py [--geo ../shared/data/geo]
"""
import argparse
import csv
import json
import os

import netCDF4

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CASE = os.path.join(ROOT, "inputs", "xianyang")
OBS = os.path.join(ROOT, "inputs", "observations", "cnemc_2022-01")
OUTSIDE = {"3524A"}  # south of the default domain (see above)


def redate_csv(src, dst, note):
    with open(src, encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = [f"# {note}"]
    for line in lines:
        if line.startswith("#"):
            out.append(line.replace("SYNTHETIC", "SYNTHETIC (dates moved from 2017)"))
        elif line.startswith("2017-01-"):
            out.append("2022-01-" + line[len("2017-01-"):])
        else:
            out.append(line)
    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")


def redate_met(src, dst):
    with netCDF4.Dataset(src) as a, netCDF4.Dataset(dst, "w", format="NETCDF4_CLASSIC") as b:
        b.setncatts({k: a.getncattr(k) for k in a.ncattrs()})
        b.title = a.title.replace("January 2017", "January 2017 with its dates moved to January 2022")
        b.comment = ("The synthetic weather of met_2017-01.nc, every value unchanged, its time axis moved by five "
                     "years (scripts/make_eval_case.py). Not the weather of January 2022.")
        for name, dim in a.dimensions.items():
            b.createDimension(name, len(dim))
        for name, var in a.variables.items():
            v = b.createVariable(name, var.datatype, var.dimensions, zlib=True)
            v.setncatts({k: var.getncattr(k) for k in var.ncattrs()})
            v[:] = var[:]
        b["time"].units = "hours since 2022-01-01 00:00:00"


def inside(lon, lat, ring):
    """Ray casting: is (lon, lat) inside the polygon ring [(lon, lat), ...]?"""
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def district_of(lon, lat, features):
    for f in features:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for poly in polys:
            if inside(lon, lat, [tuple(p) for p in poly[0]]) and not any(
                    inside(lon, lat, [tuple(p) for p in hole]) for hole in poly[1:]):
                return f["properties"]["name"]
    return ""


def stations(dst, geo):
    xian = []
    path = os.path.join(geo, "xian_districts.geojson") if geo else ""
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            xian = json.load(f)["features"]
    with open(os.path.join(OBS, "stations.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        f.write("# 21 of the 22 CNEMC stations of inputs/observations/cnemc_2022-01 (positions as published; 3524A is outside the domain);\n"
                "# county: empty = lantian assigns it from [domain] counties; Xi'an districts from\n"
                "# xian_districts.geojson (scripts/make_eval_case.py)\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "lon", "lat", "county", "code", "city"])
        for r in rows:
            if r["stationcode"] in OUTSIDE:
                continue
            county = "" if r["city"] == "咸阳市" else district_of(float(r["longitude"]), float(r["latitude"]), xian)
            w.writerow([r["stationcode"], r["positionname"], r["longitude"], r["latitude"], county,
                        r["stationcode"], r["city"]])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--geo", default=os.path.join(ROOT, "..", "shared", "data", "geo"),
                    help="folder with xian_districts.geojson (optional)")
    a = ap.parse_args()
    note = "RE-DATED copy made by scripts/make_eval_case.py: January 2017's synthetic values on 2022 dates"
    redate_csv(os.path.join(CASE, "background_2017-01.csv"), os.path.join(CASE, "background_2022-01.csv"), note)
    redate_csv(os.path.join(CASE, "hourly_2017-01.csv"), os.path.join(CASE, "hourly_2022-01.csv"), note)
    redate_met(os.path.join(CASE, "met_2017-01.nc"), os.path.join(CASE, "met_2022-01.nc"))
    stations(os.path.join(CASE, "stations_cnemc.csv"), a.geo)
    print(f"wrote met_2022-01.nc, background_2022-01.csv, hourly_2022-01.csv, stations_cnemc.csv into "
          f"{os.path.normpath(CASE)}")


if __name__ == "__main__":
    main()
