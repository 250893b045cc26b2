#!/usr/bin/python3
"""Write the "city-year" benchmark case of make bench into a folder: 10
stacks, a 50 x 50 receptor grid at 100 m, every hour of 2017, synthetic
weather (winds turning through every direction, a daily cycle of stability
and mixing height; SYNTHETIC, for timing only), with its outputs written.

    /usr/bin/python3 scripts/make_cityyear.py FOLDER
"""
import math
import os
import sys

import numpy as np
import netCDF4


def main():
    if len(sys.argv) != 2:
        print("usage: make_cityyear.py FOLDER", file=sys.stderr)
        return 2
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "points.csv"), "w") as f:
        f.write("id,name,lon,lat,height_m,diameter_m,velocity_ms,temp_K,sector,county,grade,pm25_tpy\n")
        for k in range(10):
            a = 2 * math.pi * k / 10
            f.write(f"S{k},stack {k},{108.4 + 0.02 * math.cos(a):.5f},{34.8 + 0.015 * math.sin(a):.5f},"
                    f"{30 + 10 * k},{1.5 + 0.2 * k:.1f},12,{380 + 5 * k},{'industry' if k % 2 else 'coal'},X,B,{20 + 5 * k}\n")
    with open(os.path.join(d, "stations.csv"), "w") as f:
        f.write("id,name,lon,lat,county\nA,station A,108.40,34.80,X\nB,station B,108.402,34.801,X\n")
    nt = 8760
    ds = netCDF4.Dataset(os.path.join(d, "met.nc"), "w")
    ds.createDimension("time", nt)
    ds.createDimension("lat", 2)
    ds.createDimension("lon", 2)
    t = ds.createVariable("time", "f8", ("time",))
    t.units = "hours since 2017-01-01 00:00:00"
    t[:] = np.arange(nt)
    ds.createVariable("lat", "f8", ("lat",))[:] = [34.7, 34.9]
    ds.createVariable("lon", "f8", ("lon",))[:] = [108.3, 108.5]
    h = np.arange(nt)
    sun = np.clip(np.sin(np.pi * ((h + 8) % 24 - 6) / 12.0), 0, None)
    ang = np.radians(37.0 * h)
    spd = 1.5 + 3.0 * (0.5 + 0.5 * np.sin(h / 50.0))
    fields = {"u10": (spd * np.cos(ang), "m s-1"), "v10": (spd * np.sin(ang), "m s-1"),
              "t2": (275 + 8 * sun, "K"), "pblh": (150 + 900 * sun, "m"), "ust": (0.1 + 0.05 * spd, "m s-1"),
              "rmol": (np.where(sun > 0.2, -0.03 * sun, 0.02), "m-1")}
    for name, (vals, units) in fields.items():
        v = ds.createVariable(name, "f4", ("time", "lat", "lon"))
        v.units = units
        v[:] = np.repeat(vals[:, None, None], 4, axis=1).reshape(nt, 2, 2)
    ds.close()
    with open(os.path.join(d, "cityyear.ini"), "w") as f:
        f.write("[run]\nstart = 2017-01-01T00:00:00Z\nhours = 8760\n\n"
                "[domain]\ncenter_lon = 108.4\ncenter_lat = 34.8\nnx = 50\nny = 50\ndx_m = 100\n\n"
                "[met]\nfile = met.nc\n\n[sources]\npoints = points.csv\n\n"
                "[receptors]\nstations = stations.csv\nheight_m = 1.5\n\n"
                "[dispersion]\ncurves = briggs-urban\nz0_m = 1\n\n"
                "[output]\nfile = cityyear.nc\naverage_county = day\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
