#!/usr/bin/python3
"""plot_aqi.py: the whole AQI of a run, from OUTPUT_daily.csv (lantian writes it
beside the output with [assessment] aqi_rules).

Draws, for one place (the city by default, or a county or station name):
- top: the baseline's daily AQI as bars in the HJ 633-2012 category colours,
  with each pollutant's IAQI as a line, so that the primary pollutant of each
  day can be read off (the highest line at the bar's top);
- bottom: the daily AQI under every scenario, with the good (100) and heavy
  (200) limits.

Usage: /usr/bin/python3 scripts/plot_aqi.py outputs/xianyang_winter_daily.csv [--place city] [-o aqi.png]
"""
import argparse
import csv
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lt_plot  # noqa: E402  (fonts, category colours, headless matplotlib)

plt = lt_plot.plt
POLLUTANTS = ["pm25", "pm10", "so2", "no2", "co", "o3"]
LABELS = {"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3"}
COLOURS = {"pm25": "#1f77b4", "pm10": "#8c564b", "so2": "#7f7f7f", "no2": "#d62728", "co": "#2ca02c", "o3": "#9467bd"}
HEADER = ["scenario", "level", "name", "date", "pm25", "pm10", "so2", "no2", "co", "o3_8h", "o3_1h", "iaqi_pm25",
          "iaqi_pm10", "iaqi_so2", "iaqi_no2", "iaqi_co", "iaqi_o3", "aqi", "category", "primary"]


def read(path, place):
    """{scenario: [(date, aqi or None, {pollutant: iaqi or None})]} for the place."""
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise lt_plot.LtError(f"{path}: cannot open: {e.strerror}") from None
    with f:
        rows = csv.reader(f)
        head = next(rows, None)
        if head != HEADER:
            raise lt_plot.LtError(f"{path}: header {head}: expected lantian's daily AQI table ({','.join(HEADER[:5])},...)")
        out = {}
        for r in rows:
            if len(r) != len(HEADER):
                raise lt_plot.LtError(f"{path}:{rows.line_num}: {len(r)} fields: expected {len(HEADER)}")
            if r[2] != place:
                continue
            iaqi = {p: int(r[11 + i]) if r[11 + i] else None for i, p in enumerate(POLLUTANTS)}
            day = datetime.date.fromisoformat(r[3])
            out.setdefault(r[0], []).append((day, int(r[17]) if r[17] else None, iaqi))
    if "baseline" not in out:
        raise lt_plot.LtError(f"{path}: no rows for the place '{place}': expected city, a county or a station id")
    return out


def colour_of(aqi):
    for lo, hi, col, _ in lt_plot.AQI_BANDS:
        if aqi <= hi:
            return col
    return lt_plot.AQI_BANDS[-1][2]


def plot(days, place, png):
    base = days["baseline"]
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(11, 7), sharex=True)
    dates = [d for d, _, _ in base]
    vals = [a if a is not None else 0 for _, a, _ in base]
    a1.bar(dates, vals, color=[colour_of(a) if a is not None else "#dddddd" for _, a, _ in base],
           edgecolor="#555555", linewidth=0.3, label="AQI (category colour)")
    for p in POLLUTANTS:
        ys = [i[p] for _, _, i in base]
        if any(y is not None for y in ys):
            a1.plot(dates, [y if y is not None else float("nan") for y in ys], color=COLOURS[p], lw=1.2,
                    marker=".", label=f"IAQI {LABELS[p]}")
    good = sum(1 for _, a, _ in base if a is not None and a <= 100)
    valid = sum(1 for _, a, _ in base if a is not None)
    a1.set_title(f"{place}: daily AQI of the baseline (HJ 633-2012), {good} good days of {valid} valid")
    a1.set_ylabel("AQI / IAQI")
    a1.legend(fontsize=7, ncol=4, loc="upper right")
    for name, rows in days.items():
        a2.plot([d for d, _, _ in rows], [a if a is not None else float("nan") for _, a, _ in rows],
                lw=2.0 if name == "baseline" else 1.0, color="k" if name == "baseline" else None, label=name)
    for y, txt in ((100, "good"), (200, "heavy")):
        a2.axhline(y, color="#999999", lw=0.8, ls="--")
        a2.text(dates[0], y + 3, txt, fontsize=7, color="#666666")
    a2.set_ylabel("daily AQI")
    a2.set_title("daily AQI under each scenario")
    a2.legend(fontsize=7, ncol=3)
    fig.autofmt_xdate()
    lt_plot.save(fig, png)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("daily_csv", help="OUTPUT_daily.csv of a run")
    ap.add_argument("--place", default="city", help="city (default), a county name or a station id")
    ap.add_argument("-o", "--output", default=None, help="PNG to write (default: beside the CSV, _aqi.png)")
    a = ap.parse_args(argv)
    png = a.output or a.daily_csv[:-len(".csv")] + "_aqi.png"
    try:
        plot(read(a.daily_csv, a.place), a.place, png)
    except lt_plot.LtError as e:
        print(f"plot_aqi.py: error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
