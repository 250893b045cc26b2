#!/usr/bin/python3
"""Print the share of PM2.5 by sector and by county at each station of a
lantian output (the time mean of station_pm25_split), and optionally write
them as CSV. With secondary PM2.5 on, also the secondary share at each
station and the sectors it comes from (station_pm25_component_src); with
the grid model's zero-out runs, tagging against zero-out per sector.

    /usr/bin/python3 scripts/shares.py outputs/xianyang_winter.nc [--csv shares.csv]

Shares are of the station's mean PM2.5 over the run, in percent; the
background tag (e.g. 'regional') is a sector and a county tag of its own.
"""
import argparse
import csv
import sys

import numpy as np

sys.path.insert(0, __import__("os").path.dirname(__file__))
import lt_plot  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--csv", help="also write station,kind,tag,ugm3,percent rows here")
    a = ap.parse_args()
    try:
        ds = lt_plot.open_output(a.file)
        if "station_pm25_split" not in ds.variables:
            raise lt_plot.LtError(f"{a.file}: no variable 'station_pm25_split': expected a lantian output of version 0.1 or later")
        split = np.asarray(ds["station_pm25_split"][:], dtype=float).mean(axis=0)  # source, county, station
        sectors = lt_plot.chars(ds["source_name"][:])
        counties = lt_plot.chars(ds["source_county_name"][:])
        stations = lt_plot.chars(ds["station_name"][:])
    except (OSError, KeyError, lt_plot.LtError) as e:
        print(f"shares.py: error: {e}", file=sys.stderr)
        return 1
    rows = []
    by_sector = split.sum(axis=1)   # source, station
    by_county = split.sum(axis=0)   # county, station
    total = by_sector.sum(axis=0)
    width = max(len(s) for s in sectors) + 2
    print("share of the station mean by sector (%)")
    print(f"{'station':22s}{'mean':>9s}" + "".join(f"{s:>{width}s}" for s in sectors))
    for k, st in enumerate(stations):
        t = total[k] if total[k] > 0 else 1.0
        print(f"{st:22s}{total[k]:9.2f}" + "".join(f"{100 * by_sector[g, k] / t:{width}.1f}" for g in range(len(sectors))))
        rows += [(st, "sector", sectors[g], by_sector[g, k], 100 * by_sector[g, k] / t) for g in range(len(sectors))]
    print("\nshare of the station mean by county of the sources (%)")
    print(f"{'station':22s}" + "".join(f"{c[:8]:>10s}" for c in counties))
    for k, st in enumerate(stations):
        t = total[k] if total[k] > 0 else 1.0
        print(f"{st:22s}" + "".join(f"{100 * by_county[c, k] / t:10.1f}" for c in range(len(counties))))
        rows += [(st, "county", counties[c], by_county[c, k], 100 * by_county[c, k] / t) for c in range(len(counties))]
    if "station_pm25_component_src" in ds.variables:
        cs = np.asarray(ds["station_pm25_component_src"][:], dtype=float).mean(axis=0)  # comp, source, station
        comps = lt_plot.chars(ds["component_name"][:])
        sec = cs[1:].sum(axis=0)  # source, station: everything but primary
        print("\nsecondary PM2.5 (" + " + ".join(comps[1:]) + "): share of the station mean, and the sectors it "
              "comes from (% of the secondary)")
        print(f"{'station':22s}{'second.':>9s}{'%':>7s}" + "".join(f"{s:>{width}s}" for s in sectors))
        for k, st in enumerate(stations):
            t = total[k] if total[k] > 0 else 1.0
            sk = sec[:, k].sum()
            d = sk if sk > 0 else 1.0
            print(f"{st:22s}{sk:9.2f}{100 * sk / t:7.1f}" + "".join(f"{100 * sec[g, k] / d:{width}.1f}" for g in range(len(sectors))))
            rows += [(st, "secondary", sectors[g], sec[g, k], 100 * sec[g, k] / d) for g in range(len(sectors))]
        allst = cs.sum(axis=2)  # comp, source over all stations
        print(f"{'all stations':22s}" + "".join(f"  {c} {100 * allst[i].sum() / max(total.sum(), 1e-30):.1f}%" for i, c in enumerate(comps)))
    if "station_pm25_zero_out" in ds.variables:
        zo = np.asarray(ds["station_pm25_zero_out"][:], dtype=float).mean(axis=(0, 2))
        tg = np.asarray(ds["station_pm25_tagged_grid"][:], dtype=float).mean(axis=(0, 2))
        print("\ngrid model, all-station mean: tagging against zero-out (ug/m3)")
        print(f"{'sector':14s}{'tagged':>10s}{'zero-out':>10s}{'diff %':>9s}")
        for g, sname in enumerate(sectors):
            print(f"{sname:14s}{tg[g]:10.3f}{zo[g]:10.3f}{(100 * (zo[g] - tg[g]) / tg[g] if tg[g] > 0 else 0):9.1f}")
    if a.csv:
        with open(a.csv, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["station", "kind", "tag", "ugm3", "percent"])
            for r in rows:
                w.writerow([r[0], r[1], r[2], f"{r[3]:.4f}", f"{r[4]:.3f}"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
