#!/usr/bin/python3
"""Draw a PM2.5 map from a lantian output file, with county boundaries and stations.

Usage:
  /usr/bin/python3 scripts/plot_map.py OUTPUT.nc [-o map.png] [--hour H | --mean]
                                       [--source NAME | --local] [--counties FILE.geojson] [--range LO,HI]
  /usr/bin/python3 scripts/plot_map.py OUTPUT.nc --series all|ID,ID,... [-o series.png]

--mean (the default) maps the period mean; --hour H maps hour H (0-based);
--source NAME maps one source tag (sector) instead of the total; --local the total
without the regional background (the city's own PM2.5, plume solver).
--series draws the hourly station series with the daily AQI instead of a map.
County boundaries come from a GeoJSON file (default: the Xianyang case's; '' for none).
Needs Debian's python3-netcdf4, python3-numpy and python3-matplotlib.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lt_plot  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output", help="a lantian NetCDF output file")
    ap.add_argument("-o", "--png", help="image to write (default: OUTPUT with .png)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--hour", type=int, help="hour index to map (0-based)")
    g.add_argument("--mean", action="store_true", help="map the period mean (default)")
    ap.add_argument("--source", help="map one source tag (sector) instead of the total")
    ap.add_argument("--local", action="store_true",
                    help="map the total without the regional background (the city's own PM2.5)")
    ap.add_argument("--series", metavar="STATIONS",
                    help="draw station time series instead of a map: 'all' or station ids/names, comma-separated")
    ap.add_argument("--counties", default=lt_plot.DEFAULT_COUNTIES, help="GeoJSON of boundaries")
    ap.add_argument("--range", help="colour range LO,HI in ug/m3 (default: the field's 2nd-98th percentiles)")
    a = ap.parse_args(argv)
    png = a.png or os.path.splitext(a.output)[0] + ".png"
    vrange = None
    if a.range:
        try:
            vrange = tuple(float(v) for v in a.range.split(","))
            assert len(vrange) == 2 and vrange[1] > vrange[0]
        except (ValueError, AssertionError):
            sys.exit(f"plot_map: error: --range '{a.range}': expected LO,HI with HI > LO")
    try:
        ds = lt_plot.open_output(a.output)
        if a.series:
            chosen = "all" if a.series == "all" else [x.strip() for x in a.series.split(",")]
            print(lt_plot.station_series_png(ds, png, stations=chosen))
        else:
            print(lt_plot.map_png(ds, png, a.counties, a.hour, a.source, vrange, local=a.local))
    except lt_plot.LtError as e:
        sys.exit(f"plot_map: error: {a.output}: {e}" if not str(e).startswith(a.output) else f"plot_map: error: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
