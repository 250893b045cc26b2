#!/usr/bin/python3
"""plot_optimize.py — the least-cost plan of `lantian optimize` in two panels:
the cost curve (OUTPUT_costcurve.csv: the least cost of each good-day target
of the city, the targets out of reach marked) and the plan's effect per
county and for the city (OUTPUT_optimize_summary.csv: baseline, predicted,
verified and best reachable mean PM2.5, with the target).

    /usr/bin/python3 scripts/plot_optimize.py outputs/xianyang_winter.nc -o outputs/optimize.png

OUTPUT is the run's [output] file (the CSV files are found beside it)."""
import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lt_plot import LtError, plt  # noqa: E402  (headless matplotlib with the CJK font)


def read_rows(path, columns):
    try:
        with open(path, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise LtError(f"{path}: cannot open: {e.strerror} (run lantian optimize first)") from None
    missing = [c for c in columns if rows and c not in rows[0]]
    if not rows or missing:
        raise LtError(f"{path}: expected the columns {', '.join(columns)} and at least one row")
    return rows


def number(row, key):
    v = row[key]
    return float(v) if v not in ("", "unreachable") else float("nan")


def draw(stem, out):
    curve_path = stem + "_costcurve.csv"
    summ = read_rows(stem + "_optimize_summary.csv",
                     ["name", "baseline_pm25", "predicted_pm25", "verified_pm25", "best_pm25", "target_pm25"])
    has_curve = os.path.exists(curve_path)
    fig, axes = plt.subplots(1, 2 if has_curve else 1, figsize=(13 if has_curve else 7, 4.8), squeeze=False)
    ax = axes[0][0]
    if has_curve:
        curve = read_rows(curve_path, ["good_days_target", "status", "cost_yuan", "good_days"])
        ok = [r for r in curve if r["status"] in ("optimal", "feasible")]
        ax.plot([float(r["good_days_target"]) for r in ok], [number(r, "cost_yuan") / 1e6 for r in ok], "o-",
                color="#1f77b4", label="least cost")
        far = [float(r["good_days_target"]) for r in curve if r["status"] == "infeasible"]
        if far:
            top = max([number(r, "cost_yuan") / 1e6 for r in ok] or [1.0])
            ax.plot(far, [top] * len(far), "x", color="#d62728", label="out of reach with every measure")
        unit = curve[0].get("name", "city")
        ax.set_xlabel(f"good days of {unit} in the period (target)")
        ax.set_ylabel("least cost (million yuan)")
        ax.set_title("cost curve")
        ax.grid(alpha=0.3)
        ax.legend()
        ax = axes[0][1]
    names = [r["name"] for r in summ]
    x = range(len(names))
    w = 0.2
    for i, (key, label, colour) in enumerate([("baseline_pm25", "baseline", "#7f7f7f"),
                                              ("predicted_pm25", "predicted", "#1f77b4"),
                                              ("verified_pm25", "verified", "#2ca02c"),
                                              ("best_pm25", "every measure", "#ff7f0e")]):
        ax.bar([k + (i - 1.5) * w for k in x], [number(r, key) for r in summ], w, label=label, color=colour)
    tgt = [number(r, "target_pm25") for r in summ]
    ax.plot([k for k in x], tgt, "_", color="#d62728", markersize=18, markeredgewidth=2, label="target")
    ax.set_xticks(list(x))
    ax.set_xticklabels(names, rotation=45, ha="right")
    ax.set_ylabel("mean PM2.5 over the period (ug/m3)")
    ax.set_title("the plan's effect")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output", help="the run's [output] file, e.g. outputs/xianyang_winter.nc")
    ap.add_argument("-o", "--out", default=None, help="the PNG to write (default OUTPUT_optimize.png)")
    a = ap.parse_args()
    stem = a.output[:-3] if a.output.endswith(".nc") else a.output
    out = a.out or stem + "_optimize.png"
    try:
        draw(stem, out)
    except LtError as e:
        print(f"plot_optimize.py: error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
