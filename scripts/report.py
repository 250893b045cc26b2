#!/usr/bin/python3
"""Write a small HTML report of a lantian run from its NetCDF output alone.

Usage:
  /usr/bin/python3 scripts/report.py OUTPUT.nc [-o DIR] [--compare OTHER.nc [--label NAME]]
                                     [--counties FILE.geojson]

DIR (default: outputs/report_<OUTPUT name>/) receives index.html and its PNGs: the
period-mean map, the map of the hour with the highest station mean, a map per source tag,
apportionment bars by station and by county, station time series with daily AQI on the
category bands (and alert windows when the file has them), and, with --compare, the map of
OTHER minus OUTPUT (a scenario against its baseline). When `lantian evaluate` has been run on
OUTPUT (OUTPUT_evaluation.csv beside it), the report adds the evaluation: the statistics of
the cities and of all stations with their benchmark verdicts, the anchored scenarios, and
the pictures of scripts/evaluate_plots.py (scatter, series, soccer plot, Taylor diagram).
"""
import argparse
import html
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate_plots  # noqa: E402
import lt_plot  # noqa: E402
import plot_aqi  # noqa: E402


def assessment_section(run, out, esc):
    """HTML and the figure of the run's six-pollutant assessment, when RUN_annual.csv and
    RUN_daily.csv exist (runs with [assessment] aqi_rules); else ([], [])."""
    stem = evaluate_plots.stem(run)
    table, daily = stem + "_annual.csv", stem + "_daily.csv"
    if not (os.path.exists(table) and os.path.exists(daily)):
        return [], []
    rows = evaluate_plots.read_csv(table, "annual table")
    h = ["<h2>Assessment of the period (HJ 663-2013, the whole AQI)</h2><p>From <code>" +
         esc(os.path.basename(table)) + "</code>: valid, good (AQI &le; 100) and heavy (AQI &gt; 200) days, "
         "mean PM2.5 (ug/m3), the comprehensive index and the targets. Counties under the baseline, the city "
         "under every scenario; every station in the file.</p><table><tr><th>scenario</th><th>place</th>"
         "<th>valid</th><th>good</th><th>heavy</th><th>PM2.5</th><th>index</th><th>target PM2.5</th>"
         "<th>target good days</th><th>attained</th><th>good days short</th></tr>"]
    for r in rows:
        if r["level"] == "station" or (r["level"] == "county" and r["scenario"] != "baseline"):
            continue
        cells = [r["scenario"], r["name"], r["valid_days"], r["good_days"], r["heavy_days"], r["pm25"],
                 r["comprehensive_index"] or "-", r["target_pm25"] or "-", r["target_good_days"] or "-",
                 r["attained"] or "-", r["good_days_short"] or "-"]
        h.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    h.append("</table>")
    png = os.path.join(out, "aqi.png")
    plot_aqi.plot(plot_aqi.read(daily, "city"), "city", png)
    return h, [("The city's daily AQI (HJ 633-2012, all pollutants) and the scenarios'", png)]


def evaluation_section(run, out, esc):
    """HTML and figures of the run's evaluation, when RUN_evaluation.csv exists; else ([], [])."""
    table = evaluate_plots.stem(run) + "_evaluation.csv"
    if not os.path.exists(table):
        return [], []
    rows = evaluate_plots.read_csv(table, "statistics table")
    pairs = evaluate_plots.read_csv(table[:-4] + "_pairs.csv", "pairs table")
    meta = evaluate_plots.stations(run)
    titles = {"scatter.png": "Evaluation: model against observation",
              "series.png": "Evaluation: daily series at the stations",
              "soccer.png": "Evaluation: soccer plot (Boylan & Russell 2006)", "taylor.png": "Evaluation: Taylor diagram"}
    d = os.path.join(out, "evaluation")
    os.makedirs(d, exist_ok=True)
    figs = [(titles[os.path.basename(p)], os.path.join("evaluation", os.path.basename(p)))
            for p in evaluate_plots.draw_all(rows, pairs, meta, d)]
    h = ["<h2>Evaluation against the monitors</h2><p>From <code>" + esc(os.path.basename(table)) +
         "</code>: daily means (CST days), pooled pairs; NMB, NME, MFB, MFE in %. Benchmarks: Emery et al. "
         "(2017) for NMB, NME and r (goal &lt;&plusmn;10 %, &lt;35 %, &gt;0.70; criteria &lt;&plusmn;30 %, "
         "&lt;50 %, &gt;0.40), Boylan &amp; Russell (2006) for MFB, MFE (goal &le;&plusmn;30 %, &le;50 %; "
         "criteria &le;&plusmn;60 %, &le;75 %).</p><table><tr><th>level</th><th>name</th><th>n</th>"
         "<th>observed</th><th>model</th><th>NMB</th><th>NME</th><th>r</th><th>MFB</th><th>MFE</th></tr>"]
    for r in rows:
        if r["averaging"] == "day" and r["level"] in ("city", "all"):
            cells = "".join(f"<td>{float(r[k]):.2f}</td>" if r[k] else "<td>-</td>"
                            for k in ("obs_mean", "mod_mean", "nmb", "nme", "r", "mfb", "mfe"))
            h.append(f"<tr><td>{esc(r['level'])}</td><td>{esc(r['name'])}</td><td>{r['n']}</td>{cells}</tr>")
    h.append("</table>")
    rrf = table[:-4] + "_rrf.csv"
    if os.path.exists(rrf):
        h.append("<h3>Scenarios anchored to the observations (RRF)</h3><table><tr><th>scenario</th><th>RRF</th>"
                 "<th>observed mean</th><th>anchored mean</th><th>good days observed</th><th>anchored</th></tr>")
        for r in evaluate_plots.read_csv(rrf, "RRF table"):
            if r["level"] == "all" and r["rrf"]:
                h.append(f"<tr><td>{esc(r['scenario'])}</td><td>{float(r['rrf']):.3f}</td>"
                         f"<td>{float(r['obs_mean']):.1f}</td><td>{float(r['anchored_mean']):.1f}</td>"
                         f"<td>{r['good_days_obs']}</td><td>{r['good_days_anchored']}</td></tr>")
        h.append("</table>")
    return h, figs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output")
    ap.add_argument("-o", "--dir")
    ap.add_argument("--compare", help="a second output of the same case (e.g. a scenario)")
    ap.add_argument("--label", default="scenario", help="name of the --compare run")
    ap.add_argument("--counties", default=lt_plot.DEFAULT_COUNTIES)
    a = ap.parse_args(argv)
    name = os.path.splitext(os.path.basename(a.output))[0]
    out = a.dir or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "outputs", f"report_{name}")
    try:
        ds = lt_plot.open_output(a.output)
        other = lt_plot.open_output(a.compare) if a.compare else None
    except lt_plot.LtError as e:
        sys.exit(f"report: error: {e}")
    os.makedirs(out, exist_ok=True)
    figs = []
    srows = []
    try:
        p = lambda f: os.path.join(out, f)  # noqa: E731
        figs.append(("Period-mean PM2.5", lt_plot.map_png(ds, p("map_mean.png"), a.counties)))
        if lt_plot.background_means(ds) is not None:
            figs.append(("Period-mean local PM2.5 (without the regional background)",
                         lt_plot.map_png(ds, p("map_local.png"), a.counties, local=True)))
        st = ds["station_pm25"][:]
        peak = int(np.argmax(st.mean(axis=1)))
        figs.append((f"Hour with the highest station mean (hour {peak})",
                     lt_plot.map_png(ds, p("map_peak.png"), a.counties, hour=peak)))
        tags = lt_plot.chars(ds["source_name"][:])
        for g, tag in enumerate(tags):
            figs.append((f"Period-mean PM2.5 from {tag}",
                         lt_plot.map_png(ds, p(f"map_{g}.png"), a.counties, source=tag)))
        names, counties, tags, arr = lt_plot.station_tag_means(ds)
        figs.append(("Apportionment by station", lt_plot.bars_png(
            names, tags, arr, "Period-mean PM2.5 at each station by source tag", p("bars_stations.png"))))
        rows = []
        if a.counties and os.path.exists(a.counties):
            cn, ctags, carr = lt_plot.county_tag_means(ds, a.counties)
            figs.append(("Apportionment by county", lt_plot.bars_png(
                cn, ctags, carr, "Period-mean PM2.5 averaged over each county's grid cells, by source tag",
                p("bars_counties.png"))))
        figs.append(("Station time series", lt_plot.station_series_png(ds, p("series.png"), stations="all")))
        for s, sn in enumerate(lt_plot.scenario_names(ds)):
            figs.append((f"Scenario '{sn}' minus baseline",
                         lt_plot.scenario_diff_png(ds, s, p(f"scenario_{s}.png"), a.counties)))
        srows = lt_plot.scenario_table(ds)
        if other is not None:
            figs.append((f"{a.label} minus baseline", lt_plot.diff_png(ds, other, p("diff.png"), a.counties, a.label)))
        for k, n in enumerate(names):
            rows.append((n, counties[k], float(st[:, k].mean()), float(st[:, k].max()),
                         [100 * arr[k, g] / arr[k].sum() if arr[k].sum() > 0 else 0 for g in range(len(tags))]))
    except lt_plot.LtError as e:
        sys.exit(f"report: error: {a.output}: {e}")

    esc = html.escape
    h = ["<!doctype html><html><head><meta charset='utf-8'>",
         f"<title>lantian report: {esc(name)}</title>",
         "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}img{max-width:100%}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
         "td:first-child,td:nth-child(2){text-align:left}</style></head><body>",
         f"<h1>lantian run: {esc(name)}</h1>",
         f"<p>{esc(getattr(ds, 'time_coverage_start', ''))} to {esc(getattr(ds, 'time_coverage_end', ''))}; "
         f"{ds.dimensions['time'].size} hours; {esc(getattr(ds, 'source', ''))}; "
         f"file <code>{esc(os.path.abspath(a.output))}</code></p>",
         f"<p>{esc(getattr(ds, 'lantian_physics', ''))}</p>",
         "<h2>Stations</h2><table><tr><th>station</th><th>county</th><th>mean (ug/m3)</th>"
         "<th>max 1-h</th>" + "".join(f"<th>{esc(t)} %</th>" for t in tags) + "</tr>"]
    for n, c, m, mx, shares in rows:
        h.append(f"<tr><td>{esc(n)}</td><td>{esc(c)}</td><td>{m:.3f}</td><td>{mx:.2f}</td>" +
                 "".join(f"<td>{s:.1f}</td>" for s in shares) + "</tr>")
    h.append("</table>")
    if srows:
        h.append("<h2>Scenarios</h2><p>City daily values (mean of the stations, China Standard Time "
                 "days); good: AQI &le; 100; heavy: AQI &gt; 200; exceedance: 24-h PM2.5 &gt; 75 ug/m3; "
                 "alert days: by each run's own forecast.</p><table><tr><th>scenario</th>"
                 "<th>city mean (ug/m3)</th><th>good days</th><th>heavy days</th><th>exceedance days</th>"
                 "<th>alert days</th></tr>")
        for n, m, g, hv, ex, al in srows:
            h.append(f"<tr><td>{esc(n)}</td><td>{m:.2f}</td><td>{g}</td><td>{hv}</td><td>{ex}</td><td>{al}</td></tr>")
        h.append("</table>")
    try:
        ah, afigs = assessment_section(a.output, out, esc)
        eh, efigs = evaluation_section(a.output, out, esc)
    except lt_plot.LtError as e:
        sys.exit(f"report: error: {e}")
    h.extend(ah)
    h.extend(eh)
    for title, png in figs + afigs + efigs:
        src = png if png.startswith("evaluation" + os.sep) else os.path.basename(png)
        h.append(f"<h2>{esc(title)}</h2><img src='{esc(src)}' alt='{esc(title)}'>")
    h.append("<details><summary>Configuration</summary><pre>" + esc(getattr(ds, "lantian_config", "")) +
             "</pre></details></body></html>")
    index = os.path.join(out, "index.html")
    with open(index, "w", encoding="utf-8") as f:
        f.write("\n".join(h))
    print(index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
