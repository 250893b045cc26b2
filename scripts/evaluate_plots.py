#!/usr/bin/python3
"""evaluate_plots.py: the pictures of a model evaluation, from the tables
`lantian evaluate RUN.nc --obs ...` wrote beside the run (RUN_evaluation.csv,
RUN_evaluation_pairs.csv; station names and cities from RUN_stations.nc):

- scatter.png   daily (and hourly) PM2.5, model against observation, with the
                1:1 line and the 1:2 and 2:1 lines (the factor-of-two band)
- series.png    observed and modelled daily PM2.5 per station on the HJ 633
                AQI category bands (all stations, or --stations ID,ID)
- soccer.png    MFB against MFE of every station's daily means with the goal
                and criteria boxes of Boylan & Russell (2006)
- taylor.png    Taylor (2001) diagram of the stations' daily series: the
                model's standard deviation normalised by the observed one, and
                the correlation, with the centred RMS difference as arcs

Run: /usr/bin/python3 scripts/evaluate_plots.py RUN.nc [-o DIR] [--stations ID,...]
(Debian's python3-matplotlib and python3-netcdf4)."""
import argparse
import csv
import datetime as dt
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lt_plot  # noqa: E402
from lt_plot import AQI_BANDS, IAQI_BP, PM25_BP, LtError, plt, save  # noqa: E402
import netCDF4  # noqa: E402
import numpy as np  # noqa: E402

UNITS = "µg m⁻³"


class TooFew(LtError):
    """Too few pairs for one picture: that picture is skipped, the others drawn."""
CST = dt.timezone(dt.timedelta(hours=8))


def stem(run):
    for tail in ("_stations.nc", "_daily.nc", "_period.nc", ".nc"):
        if run.endswith(tail):
            return run[: -len(tail)]
    return run


def read_csv(path, what):
    if not os.path.exists(path):
        raise LtError(f"{path}: not found: expected the {what} `lantian evaluate` writes")
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def stations(run):
    path = stem(run) + "_stations.nc"
    try:
        with netCDF4.Dataset(path) as ds:
            ds.set_auto_chartostring(False)
            ids = lt_plot.chars(ds["station_id"][:])
            names = lt_plot.chars(ds["station_name"][:])
            city = lt_plot.chars(ds["station_city"][:]) if "station_city" in ds.variables else [""] * len(ids)
    except OSError as e:
        raise LtError(f"{path}: cannot open: {e}") from None
    return {i: (n, c) for i, n, c in zip(ids, names, city)}


def pairs_of(rows, averaging):
    out = {}
    for r in rows:
        if r["averaging"] == averaging:
            out.setdefault(r["station"], []).append(
                (dt.datetime.strptime(r["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc),
                 float(r["obs"]), float(r["model"])))
    return out


def scatter_png(pairs, meta, png):
    fig, axes = plt.subplots(1, 2, figsize=(11, 5.2))
    for ax, avg in zip(axes, ("day", "hour")):
        p = pairs_of(pairs, avg)
        cities = sorted({meta.get(s, ("", ""))[1] for s in p})
        hi = 1.0
        for k, c in enumerate(cities):
            o = [v[1] for s in p if meta.get(s, ("", ""))[1] == c for v in p[s]]
            m = [v[2] for s in p if meta.get(s, ("", ""))[1] == c for v in p[s]]
            if o:
                ax.scatter(o, m, s=14, alpha=0.7, color=lt_plot.TAG_COLOURS[k % 10], label=c or "no city",
                           edgecolors="none")
                hi = max(hi, max(o), max(m))
        hi *= 1.05
        x = np.array([0, hi])
        ax.plot(x, x, "k-", lw=1, label="1:1")
        ax.plot(x, 2 * x, "k--", lw=0.8, label="2:1 and 1:2")
        ax.plot(x, 0.5 * x, "k--", lw=0.8)
        ax.set_xlim(0, hi)
        ax.set_ylim(0, hi)
        ax.set_aspect("equal")
        n = sum(len(v) for v in p.values())
        ax.set_title(f"PM2.5, {'daily means (CST days)' if avg == 'day' else 'hourly values'}: {n} pairs")
        ax.set_xlabel(f"observed ({UNITS})")
        ax.set_ylabel(f"modelled ({UNITS})")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(6, len(labels)), frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    save(fig, png)


def aqi_of(c):
    return float(np.interp(c, PM25_BP, IAQI_BP))


def series_png(pairs, meta, png, chosen):
    p = pairs_of(pairs, "day")
    if chosen and any(s not in meta for s in chosen):
        raise LtError(f"--stations: {', '.join(s for s in chosen if s not in meta)} not among the run's stations "
                      f"({', '.join(meta)})")
    ids = [s for s in (chosen or sorted(p, key=lambda s: (meta.get(s, ("", ""))[1], s))) if s in p]
    if not ids:
        raise TooFew("no daily pairs to draw" + (f" for stations {','.join(chosen)}" if chosen else ""))
    ncol = 3 if len(ids) > 4 else len(ids)
    nrow = math.ceil(len(ids) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 2.6 * nrow + 0.8), sharex=True, squeeze=False)
    top = max(max(v[1], v[2]) for s in ids for v in p[s]) * 1.1
    for ax, s in zip(axes.flat, ids):
        for lo, hi, colour, _ in AQI_BANDS:
            c_lo, c_hi = np.interp([lo, hi], IAQI_BP, PM25_BP)
            ax.axhspan(c_lo, min(c_hi, top), color=colour, alpha=0.18, lw=0)
        t = [v[0].astimezone(CST).replace(tzinfo=None) for v in p[s]]
        ax.plot(t, [v[1] for v in p[s]], "k.-", lw=1.2, ms=4, label="observed")
        ax.plot(t, [v[2] for v in p[s]], ".-", color="#1f77b4", lw=1.2, ms=4, label="modelled")
        name, city = meta.get(s, (s, ""))
        ax.set_title(f"{s} {name} ({city})", fontsize=9)
        ax.set_ylim(0, top)
        ax.tick_params(labelsize=7)
        for lab in ax.get_xticklabels():
            lab.set_rotation(30)
    for ax in list(axes.flat)[len(ids):]:
        ax.axis("off")
    for ax in axes[:, 0]:
        ax.set_ylabel(f"PM2.5 ({UNITS})", fontsize=8)
    handles = [plt.Line2D([], [], color="k", marker=".", label="observed"),
               plt.Line2D([], [], color="#1f77b4", marker=".", label="modelled")]
    handles += [plt.Rectangle((0, 0), 1, 1, color=c, alpha=0.3, label=n) for _, _, c, n in AQI_BANDS]
    fig.legend(handles=handles, loc="lower center", ncol=8, frameon=False, fontsize=8)
    fig.suptitle("Daily mean PM2.5 (CST days) on the HJ 633-2012 AQI category bands", fontsize=11)
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    save(fig, png)


def soccer_png(rows, meta, png):
    st = [r for r in rows if r["pollutant"] == "pm25" and r["averaging"] == "day" and r["level"] == "station"
          and r["mfb"] and r["mfe"]]
    if not st:
        raise TooFew("no station rows with MFB and MFE to draw")
    fig, ax = plt.subplots(figsize=(7.5, 6))
    for lim_b, lim_e, style, name in ((60, 75, "--", "criteria (±60 %, 75 %)"), (30, 50, "-", "goal (±30 %, 50 %)")):
        ax.add_patch(plt.Rectangle((-lim_b, 0), 2 * lim_b, lim_e, fill=False, ls=style, lw=1.2, label=name))
    cities = sorted({meta.get(r["name"], ("", ""))[1] for r in st})
    for k, c in enumerate(cities):
        sel = [r for r in st if meta.get(r["name"], ("", ""))[1] == c]
        ax.scatter([float(r["mfb"]) for r in sel], [float(r["mfe"]) for r in sel], s=36,
                   color=lt_plot.TAG_COLOURS[k % 10], label=c or "no city", zorder=3)
    allrow = [r for r in rows if r["pollutant"] == "pm25" and r["averaging"] == "day" and r["level"] == "all"]
    if allrow and allrow[0]["mfb"]:
        ax.scatter([float(allrow[0]["mfb"])], [float(allrow[0]["mfe"])], marker="*", s=220, color="k",
                   label="all stations", zorder=4)
    xb = max(100, max(abs(float(r["mfb"])) for r in st) * 1.1)
    ax.set_xlim(-xb, xb)
    ax.set_ylim(0, max(100, max(float(r["mfe"]) for r in st) * 1.1))
    ax.axvline(0, color="grey", lw=0.6)
    ax.set_xlabel("mean fractional bias, MFB (%)")
    ax.set_ylabel("mean fractional error, MFE (%)")
    ax.set_title("Daily PM2.5 per station against Boylan & Russell (2006)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False, fontsize=9)
    fig.tight_layout()
    save(fig, png)


def taylor_png(pairs, meta, png):
    p = pairs_of(pairs, "day")
    pts = []
    for s, v in p.items():
        o = np.array([x[1] for x in v])
        m = np.array([x[2] for x in v])
        if len(o) >= 3 and o.std() > 0 and m.std() > 0:
            pts.append((s, m.std() / o.std(), float(np.corrcoef(m, o)[0, 1])))
    if not pts:
        raise TooFew("no station with 3 or more varying daily pairs for a Taylor diagram")
    fig = plt.figure(figsize=(7.5, 6.2))
    ax = fig.add_subplot(111, projection="polar")
    ax.set_thetamin(0)
    ax.set_thetamax(180 if min(r for _, _, r in pts) < 0 else 90)
    rmax = max(1.6, max(sd for _, sd, _ in pts) * 1.15)
    ax.set_rlim(0, rmax)
    corr = [-0.99, -0.9, -0.6, -0.3, 0, 0.3, 0.6, 0.8, 0.9, 0.95, 0.99]
    ax.set_thetagrids([math.degrees(math.acos(c)) for c in corr], [f"{c:g}" for c in corr])
    th = np.linspace(0, math.pi, 200)
    for crmsd in (0.25, 0.5, 0.75, 1.0, 1.25):  # centred RMS difference arcs around the reference (1, 0)
        x, y = 1 + crmsd * np.cos(th), crmsd * np.sin(th)
        ax.plot(np.arctan2(y, x), np.hypot(x, y), color="#2ca02c", lw=0.6, ls=":")
    ax.plot(np.linspace(0, math.pi, 200), np.ones(200), color="k", lw=0.6, ls="--")
    ax.plot([0], [1], "k*", ms=14, label="observed (reference)")
    cities = sorted({meta.get(s, ("", ""))[1] for s, _, _ in pts})
    for k, c in enumerate(cities):
        sel = [(sd, r) for s, sd, r in pts if meta.get(s, ("", ""))[1] == c]
        ax.plot([math.acos(max(-1, min(1, r))) for _, r in sel], [sd for sd, _ in sel], "o",
                color=lt_plot.TAG_COLOURS[k % 10], label=c or "no city")
    ax.set_xlabel("normalised standard deviation (model / observed)")
    ax.set_title("Taylor diagram of daily PM2.5 per station\n(angle: correlation; green arcs: centred RMS "
                 "difference / observed s.d.)", fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.05, 1.0), frameon=False, fontsize=9)
    fig.tight_layout()
    save(fig, png)


def main():
    ap = argparse.ArgumentParser(description="pictures of a lantian evaluation (see the module's docstring)")
    ap.add_argument("run", help="RUN.nc (the run `lantian evaluate` was given)")
    ap.add_argument("-o", "--outdir", default=None, help="folder for the PNGs (default RUN_evaluation/)")
    ap.add_argument("--stations", default=None, help="station ids for series.png, comma-separated (default all)")
    ap.add_argument("--evaluation", default=None, help="the statistics table if not RUN_evaluation.csv")
    a = ap.parse_args()
    try:
        table = a.evaluation or stem(a.run) + "_evaluation.csv"
        rows = read_csv(table, "statistics table")
        pairs = read_csv(table[:-4] + "_pairs.csv", "pairs table")
        meta = stations(a.run)
        out = a.outdir or stem(a.run) + "_evaluation"
        chosen = [s.strip() for s in a.stations.split(",")] if a.stations else None
        if chosen and any(s not in meta for s in chosen):
            raise LtError(f"--stations: {', '.join(s for s in chosen if s not in meta)} not among the run's "
                          f"stations ({', '.join(meta)})")
        os.makedirs(out, exist_ok=True)
        drawn = draw_all(rows, pairs, meta, out, chosen)
    except LtError as e:
        print(f"evaluate_plots.py: error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {', '.join(os.path.basename(p) for p in drawn) or 'nothing'} into {out}")
    return 0 if drawn else 1


def draw_all(rows, pairs, meta, out, chosen=None):
    """The four pictures into out; one with too few pairs is skipped with a note on stderr. Returns the paths drawn."""
    drawn = []
    for name, fn, args in (("scatter.png", scatter_png, (pairs, meta)), ("series.png", series_png, (pairs, meta)),
                           ("soccer.png", soccer_png, (rows, meta)), ("taylor.png", taylor_png, (pairs, meta))):
        png = os.path.join(out, name)
        try:
            fn(*args, png, chosen) if fn is series_png else fn(*args, png)
            drawn.append(png)
        except TooFew as e:
            print(f"evaluate_plots.py: {name} not drawn: {e}", file=sys.stderr)
    return drawn


if __name__ == "__main__":
    sys.exit(main())
