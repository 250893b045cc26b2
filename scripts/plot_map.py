#!/usr/bin/python3
"""Draw a PM2.5 map from a lantian output file, with county boundaries and stations.

Usage:
  /usr/bin/python3 scripts/plot_map.py OUTPUT.nc [-o map.png] [--hour H | --mean]
                                       [--source NAME] [--counties FILE.geojson]

--mean (the default) maps the period mean; --hour H maps hour H (0-based);
--source NAME maps one source tag (sector) instead of the total.
County boundaries come from a GeoJSON file (default: the Xianyang case's).
Needs Debian's python3-netcdf4, python3-numpy and python3-matplotlib.
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")  # headless
import matplotlib.pyplot as plt  # noqa: E402
import netCDF4  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_COUNTIES = os.path.join(HERE, "..", "inputs", "xianyang", "counties.geojson")


def chars(arr):
    """A char(n, strlen) variable as a list of str."""
    return ["".join(c.decode("utf-8") if isinstance(c, bytes) else c for c in row if c not in (b"", "")).strip()
            for row in np.ma.filled(arr, b"")]


def rings(geojson_path):
    with open(geojson_path, encoding="utf-8") as f:
        gj = json.load(f)
    for feat in gj["features"]:
        geom = feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polys:
            for ring in poly:
                yield np.asarray(ring)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output", help="a lantian NetCDF output file")
    ap.add_argument("-o", "--png", help="image to write (default: OUTPUT with .png)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--hour", type=int, help="hour index to map (0-based)")
    g.add_argument("--mean", action="store_true", help="map the period mean (default)")
    ap.add_argument("--source", help="map one source tag (sector) instead of the total")
    ap.add_argument("--counties", default=DEFAULT_COUNTIES, help="GeoJSON of boundaries ('' for none)")
    a = ap.parse_args(argv)

    try:
        ds = netCDF4.Dataset(a.output)
    except OSError as e:
        sys.exit(f"plot_map: error: {a.output}: cannot open: {e}")
    ds.set_auto_mask(False)
    lat, lon = ds["lat"][:], ds["lon"][:]
    nt = ds.dimensions["time"].size
    if a.source:
        names = chars(ds["source_name"][:])
        if a.source not in names:
            sys.exit(f"plot_map: error: {a.output}: source '{a.source}' not in source_name {names}")
        var, idx = ds["pm25_src"], (slice(None), names.index(a.source))
    else:
        var, idx = ds["pm25"], (slice(None),)
    if a.hour is not None:
        if not 0 <= a.hour < nt:
            sys.exit(f"plot_map: error: --hour {a.hour}: expected 0 to {nt - 1}")
        field = var[(a.hour,) + idx[1:]]
        when = f"hour {a.hour}"
    else:
        field = np.zeros(lat.shape)
        for h0 in range(0, nt, 24):  # a day at a time: bounded memory
            field += var[(slice(h0, min(nt, h0 + 24)),) + idx[1:]].sum(axis=0)
        field /= nt
        when = f"mean of {nt} h from {ds.time_coverage_start}"

    fig, ax = plt.subplots(figsize=(8, 8))
    vmax = max(float(np.percentile(field, 99.9)), 1e-6)
    pc = ax.pcolormesh(lon, lat, field, shading="gouraud", cmap="magma_r", vmin=0, vmax=vmax)
    fig.colorbar(pc, ax=ax, shrink=0.8, label="PM2.5 (ug m-3)")
    if a.counties:
        for r in rings(a.counties):
            ax.plot(r[:, 0], r[:, 1], color="0.3", lw=0.7)
    if "station" in ds.dimensions and ds.dimensions["station"].size:
        slon, slat = ds["station_lon"][:], ds["station_lat"][:]
        ax.plot(slon, slat, "o", ms=5, mfc="cyan", mec="k")
        for x, y, n in zip(slon, slat, chars(ds["station_name"][:])):
            ax.annotate(n, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=7)
    ax.set_xlim(lon.min(), lon.max())
    ax.set_ylim(lat.min(), lat.max())
    ax.set_aspect(1.0 / np.cos(np.radians(lat.mean())))
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    ax.set_title(f"PM2.5{' from ' + a.source if a.source else ''}, {when}", fontsize=10)
    png = a.png or os.path.splitext(a.output)[0] + ".png"
    fig.savefig(png, dpi=120, bbox_inches="tight")
    print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
