"""Plotting helpers shared by plot_map.py and report.py: read a lantian output
file and draw maps, apportionment bars and station time series with matplotlib
(headless). Everything here reads the NetCDF output alone, plus an optional
GeoJSON of county boundaries."""
import datetime
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager, patheffects  # noqa: E402
import netCDF4  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.path import Path  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_COUNTIES = os.path.join(HERE, "..", "inputs", "xianyang", "counties.geojson")

# HJ 633-2012 PM2.5 24-h breakpoints (ug/m3) and IAQI values; category colours of the standard.
PM25_BP = [0, 35, 75, 115, 150, 250, 350, 500]
IAQI_BP = [0, 50, 100, 150, 200, 300, 400, 500]
AQI_BANDS = [(0, 50, "#00e400", "excellent"), (50, 100, "#ffff00", "good"),
             (100, 150, "#ff7e00", "lightly polluted"), (150, 200, "#ff0000", "moderately polluted"),
             (200, 300, "#99004c", "heavily polluted"), (300, 500, "#7e0023", "severely polluted")]
TAG_COLOURS = ["#1f77b4", "#d62728", "#7f7f7f", "#bcbd22", "#ff7f0e", "#2ca02c", "#9467bd",
               "#8c564b", "#e377c2", "#17becf"]


# County and station names are Chinese: fall back to a CJK font when one is installed
# (Debian's fonts-wqy-microhei, which scripts/install-deps.sh installs).
_CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
if os.path.exists(_CJK_FONT):
    if not any("WenQuanYi" in f.name for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(_CJK_FONT)  # installed after matplotlib cached its list
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", "WenQuanYi Micro Hei"]


class LtError(Exception):
    """A problem with an input file, with a one-line message."""


def chars(arr):
    """A char(n, strlen) variable as a list of str."""
    out = []
    for row in np.ma.filled(arr, b""):
        b = b"".join(c if isinstance(c, bytes) else c.encode() for c in row)
        out.append(b.split(b"\0")[0].decode("utf-8").strip())
    return out


def open_output(path):
    try:
        ds = netCDF4.Dataset(path)
    except OSError as e:
        raise LtError(f"{path}: cannot open as NetCDF: {e}") from None
    for v in ("pm25", "lat", "lon", "time"):
        if v not in ds.variables:
            ds.close()
            raise LtError(f"{path}: variable '{v}' missing: expected a lantian output file")
    ds.set_auto_mask(False)
    ds.set_auto_chartostring(False)  # decoded here, as UTF-8, by chars()
    return ds


_DAILY = {}


def daily(ds):
    """The run's daily file (OUTPUT_daily.nc beside OUTPUT.nc: the daily means,
    AQI, alert levels and scenario days, on its own time axis of days), or None."""
    p = ds.filepath()
    if p not in _DAILY:
        q = (p[:-3] if p.endswith(".nc") else p) + "_daily.nc"
        d = None
        if os.path.exists(q):
            d = netCDF4.Dataset(q)
            d.set_auto_mask(False)
            d.set_auto_chartostring(False)
        _DAILY[p] = d
    return _DAILY[p]


def period_mean(ds, var="pm25", tag=None):
    """Time mean of pm25 (or of one tag of pm25_src), a day at a time to bound memory."""
    v = ds[var]
    nt = ds.dimensions["time"].size
    acc = None
    for h0 in range(0, nt, 24):
        sl = (slice(h0, min(nt, h0 + 24)),) + ((tag,) if tag is not None else ())
        part = v[sl].sum(axis=0)
        acc = part if acc is None else acc + part
    return acc / nt


def rings(geojson_path):
    """(name, Nx2 array) for every ring of every feature."""
    with open(geojson_path, encoding="utf-8") as f:
        gj = json.load(f)
    for feat in gj["features"]:
        geom = feat["geometry"]
        name = feat["properties"].get("name", "")
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polys:
            for k, ring in enumerate(poly):
                yield name, k == 0, np.asarray(ring)


UNITS = "µg m⁻³"
HALO = [patheffects.withStroke(linewidth=2, foreground="white")]  # text readable on any colour


def robust_range(field, lo=2.0, hi=98.0):
    """The colour range of a field: its 2nd to 98th percentiles (what is drawn,
    not 0: a city at 90-150 ug/m3 is not one colour), never empty."""
    f = np.asarray(field, dtype=float)
    f = f[np.isfinite(f)]
    if not f.size:
        return 0.0, 1.0
    a, b = float(np.percentile(f, lo)), float(np.percentile(f, hi))
    return (a, b) if b > a else (a, a + max(abs(a) * 1e-3, 1e-9))


def draw_field(ax, ds, field, title, counties, cmap="magma_r", symmetric=False, label=f"PM2.5 ({UNITS})",
               vrange=None):
    lat, lon = ds["lat"][:], ds["lon"][:]
    if symmetric:
        m = max(float(np.nanpercentile(np.abs(field), 98)), 1e-9) if vrange is None else max(map(abs, vrange))
        pc = ax.pcolormesh(lon, lat, field, shading="gouraud", cmap="RdBu_r", vmin=-m, vmax=m)
    else:
        vmin, vmax = robust_range(field) if vrange is None else vrange
        pc = ax.pcolormesh(lon, lat, field, shading="gouraud", cmap=cmap, vmin=vmin, vmax=vmax)
    ax.figure.colorbar(pc, ax=ax, shrink=0.8, label=label, extend="both")
    if counties and os.path.exists(counties):
        for name, outer, r in rings(counties):
            ax.plot(r[:, 0], r[:, 1], color="0.3", lw=0.7)
            if outer and name and len(r) > 20:  # the county's name at its ring's centre
                ax.annotate(name, (float(r[:, 0].mean()), float(r[:, 1].mean())), fontsize=6, color="0.2",
                            ha="center", va="center", path_effects=HALO)
    if "station" in ds.dimensions and ds.dimensions["station"].size:
        slon, slat = ds["station_lon"][:], ds["station_lat"][:]
        ax.plot(slon, slat, "o", ms=5, mfc="cyan", mec="k")
        # labels that do not collide: each takes the first of eight places around its
        # point where its box overlaps no label drawn before (measured by the renderer)
        ax.set_xlim(lon.min(), lon.max())
        ax.set_ylim(lat.min(), lat.max())
        ax.set_aspect(1.0 / np.cos(np.radians(lat.mean())))
        renderer = ax.figure.canvas.get_renderer()
        boxes = []
        spots = [((4, 3), "left"), ((4, -10), "left"), ((-4, 3), "right"), ((-4, -10), "right"),
                 ((4, 12), "left"), ((-4, 12), "right"), ((4, -19), "left"), ((-4, -19), "right")]
        for x, y, n in zip(slon, slat, chars(ds["station_name"][:])):
            for i, (off, ha) in enumerate(spots):
                t = ax.annotate(n, (x, y), xytext=off, textcoords="offset points", fontsize=7, ha=ha,
                                path_effects=HALO)
                bb = t.get_window_extent(renderer).expanded(1.05, 1.1)
                if not any(bb.overlaps(o) for o in boxes) or i == len(spots) - 1:
                    boxes.append(bb)
                    break
                t.remove()
    ax.set_xlim(lon.min(), lon.max())
    ax.set_ylim(lat.min(), lat.max())
    ax.set_aspect(1.0 / np.cos(np.radians(lat.mean())))
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    ax.set_title(title, fontsize=10)


def save(fig, png):
    fig.savefig(png, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return png


def background_index(ds):
    """The index of the regional background's tag in source_name, or None: the
    run's [background] (its file or from_observations given) names it (default
    'regional'), read from the configuration the file carries."""
    cfg = getattr(ds, "lantian_config", "")
    sec, keys = None, {}
    for line in cfg.split("\n"):
        line = line.strip()
        if line.startswith("["):
            sec = line.strip("[]")
        elif sec == "background" and "=" in line:
            k, v = (x.strip() for x in line.split("=", 1))
            keys[k] = v
    if not (keys.get("file") or keys.get("from_observations")):
        return None
    names = chars(ds["source_name"][:])
    name = keys.get("name") or "regional"
    return names.index(name) if name in names else None


def background_means(ds):
    """(name, baseline mean, [scenario means]) of the background tag at the
    stations, or None. The plume solver adds the background uniformly, so its
    value at any station is its value everywhere."""
    bg = background_index(ds)
    if bg is None or "station_pm25_src" not in ds.variables or getattr(ds, "lantian_solver", "plume") != "plume":
        return None
    base = float(np.mean(ds["station_pm25_src"][:, bg, 0]))
    scen = []
    if "scenario_station_pm25_src" in ds.variables:
        v = ds["scenario_station_pm25_src"]
        scen = [float(np.mean(v[:, k, bg, 0])) for k in range(v.shape[1])]
    return chars(ds["source_name"][:])[bg], base, scen


def map_png(ds, png, counties=DEFAULT_COUNTIES, hour=None, source=None, vrange=None, local=False):
    """PM2.5 map: period mean (hour None) or one hour; total, one source tag, or
    (local) the total without the regional background; the colour range the
    field's 2nd-98th percentiles unless vrange (lo, hi)."""
    nt = ds.dimensions["time"].size
    if local:
        bgm = background_means(ds)
        if bgm is None:
            raise LtError("no uniform background tag to take out (the run has no [background], or is not the plume "
                          "solver): map the total, or --source a tag")
        if hour is not None:
            field = ds["pm25"][hour] - ds["station_pm25_src"][hour, background_index(ds), 0]
            when = f"hour {hour} ({hour_label(ds, hour)})"
        else:
            field = ds["pm25_mean"][:] - bgm[1]
            when = f"mean of {nt} h from {ds.time_coverage_start}"
        fig, ax = plt.subplots(figsize=(8, 8))
        draw_field(ax, ds, field, f"Local PM2.5 (total without the '{bgm[0]}' background), {when}", counties,
                   vrange=vrange, label=f"local PM2.5 ({UNITS})")
        return save(fig, png)
    tag = None
    if source:
        names = chars(ds["source_name"][:])
        if source not in names:
            raise LtError(f"source '{source}' not in source_name {names}")
        tag = names.index(source)
    if hour is not None and not 0 <= hour < nt:
        raise LtError(f"hour {hour}: expected 0 to {nt - 1}")
    var = "pm25_src" if tag is not None else "pm25"
    if hour is None:
        field = period_mean(ds, var, tag)
        when = f"mean of {nt} h from {ds.time_coverage_start}"
    else:
        field = ds[var][(hour,) + ((tag,) if tag is not None else ())]
        when = f"hour {hour} ({hour_label(ds, hour)})"
    fig, ax = plt.subplots(figsize=(8, 8))
    draw_field(ax, ds, field, f"PM2.5{' from ' + source if source else ''}, {when}", counties, vrange=vrange)
    return save(fig, png)


def hour_label(ds, h):
    t = netCDF4.num2date(ds["time"][h], ds["time"].units, calendar="standard")
    return t.strftime("%Y-%m-%d %H:30 UTC")


def diff_png(base, other, png, counties=DEFAULT_COUNTIES, other_label="scenario"):
    """Map of the period-mean difference other - base (same grid required)."""
    if base["lat"].shape != other["lat"].shape or not np.allclose(base["lat"][:], other["lat"][:]):
        raise LtError("the two files are on different grids: expected a scenario of the same case")
    d = period_mean(other) - period_mean(base)
    fig, ax = plt.subplots(figsize=(8, 8))
    draw_field(ax, base, d, f"PM2.5 difference, {other_label} minus baseline (period mean)", counties,
               symmetric=True, label=f"change in PM2.5 ({UNITS})")
    return save(fig, png)


def scenario_names(ds):
    return chars(ds["scenario_name"][:]) if "scenario_name" in ds.variables else []


def scenario_diff_png(ds, s, png, counties=DEFAULT_COUNTIES, local=True):
    """Map of scenario s's period-mean PM2.5 minus the baseline's (both in the file);
    local: without the change of the uniform regional background (which would
    paint the whole map one colour), said in the title with its size."""
    names = scenario_names(ds)
    d = ds["scenario_pm25_mean"][s] - ds["pm25_mean"][:]
    title = f"PM2.5 change under scenario '{names[s]}' (period mean)"
    bgm = background_means(ds) if local else None
    if bgm is not None and len(bgm[2]) > s:
        dbg = bgm[2][s] - bgm[1]
        d = d - dbg
        title = (f"Local PM2.5 change under '{names[s]}' (period mean)\n"
                 f"without the '{bgm[0]}' background's change of {dbg:+.2f} {UNITS}, the same everywhere")
    fig, ax = plt.subplots(figsize=(8, 8))
    draw_field(ax, ds, d, title, counties, symmetric=True, label=f"change in PM2.5 ({UNITS})")
    return save(fig, png)


def scenario_table(ds):
    """Rows (name, city mean, good, heavy, exceedance days, alert days) from the file."""
    rows = []
    lim = 75.0

    def days(pm, aqi, alert):
        ok = aqi >= 0
        return (float(np.mean(pm[ok])) if ok.any() else float("nan"), int(((aqi <= 100) & ok).sum()),
                int((aqi > 200).sum()), int(((pm > lim) & ok).sum()),
                int((alert > 0).sum()) if alert is not None else 0)
    dd = daily(ds)
    if dd is None or "city_aqi" not in dd.variables:
        return rows
    rows.append(("baseline",) + days(dd["city_pm25_daily"][:], dd["city_aqi"][:],
                                     dd["alert_level"][:] if "alert_level" in dd.variables else None))
    for s, n in enumerate(scenario_names(ds)):  # daily scenario values are (time, scenario)
        rows.append((n,) + days(dd["scenario_city_pm25_daily"][:, s], dd["scenario_city_aqi"][:, s],
                                dd["scenario_alert_level"][:, s] if "scenario_alert_level" in dd.variables else None))
    return rows


def station_tag_means(ds):
    """(station names, counties, tag names, array station x tag of period means)."""
    names = chars(ds["station_name"][:])
    counties = chars(ds["station_county"][:]) if "station_county" in ds.variables else [""] * len(names)
    tags = chars(ds["source_name"][:])
    v = ds["station_pm25_src"][:]            # time, source, station
    return names, counties, tags, v.mean(axis=0).T


def county_tag_means(ds, counties_geojson):
    """Grid-cell means of each tag inside each county: (counties, tags, array). Uses the
    file's cell_region raster when the run had [domain] counties, else the polygons."""
    lat, lon = ds["lat"][:], ds["lon"][:]
    pts = np.column_stack([lon.ravel(), lat.ravel()])
    tags = chars(ds["source_name"][:])
    ntag = len(tags)
    means = [period_mean(ds, "pm25_src", g).ravel() for g in range(ntag)]
    if "cell_region" in ds.variables:
        cell = ds["cell_region"][:].ravel()
        rnames = chars(ds["region_name"][:])
        names = [n for i, n in enumerate(rnames) if (cell == i).any()]
        arr = np.array([[means[g][cell == rnames.index(n)].mean() for g in range(ntag)] for n in names])
        return names, tags, arr
    inside = {}
    for name, outer, r in rings(counties_geojson):
        if not outer:
            continue  # holes are ignored: a simplification noted in the caption
        m = Path(r).contains_points(pts)
        inside[name] = inside.get(name, np.zeros(len(pts), bool)) | m
    names = [n for n in inside if inside[n].any()]
    arr = np.array([[means[g][inside[n]].mean() for g in range(ntag)] for n in names])
    return names, tags, arr


def bars_png(labels, tags, arr, title, png):
    """Stacked bars of arr (item x tag), with each tag's share in the legend."""
    fig, ax = plt.subplots(figsize=(max(6, 0.55 * len(labels) + 2), 5))
    bottom = np.zeros(len(labels))
    tot = arr.sum()
    for g, tag in enumerate(tags):
        share = 100 * arr[:, g].sum() / tot if tot > 0 else 0
        ax.bar(labels, arr[:, g], bottom=bottom, color=TAG_COLOURS[g % len(TAG_COLOURS)],
               label=f"{tag} ({share:.0f} %)")
        bottom += arr[:, g]
    ax.set_ylabel(f"period-mean PM2.5 ({UNITS})")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    plt.setp(ax.get_xticklabels(), rotation=60, ha="right", fontsize=8)
    return save(fig, png)


def iaqi_pm25(c):
    """HJ 633-2012 IAQI of a 24-h PM2.5 concentration (linear between breakpoints, rounded up)."""
    if c >= PM25_BP[-1]:
        return 500
    for k in range(1, len(PM25_BP)):
        if c <= PM25_BP[k]:
            lo, hi = PM25_BP[k - 1], PM25_BP[k]
            return int(np.ceil(IAQI_BP[k - 1] + (IAQI_BP[k] - IAQI_BP[k - 1]) * (c - lo) / (hi - lo)))
    return 500


def station_series_png(ds, png, max_stations=6, stations=None):
    """Hourly PM2.5 and the CST-day AQI at the stations, on AQI category colour bands;
    alert windows shaded when the daily file has alert_level. stations: a list of
    station ids or names, or "all"; default the max_stations highest means."""
    dd = daily(ds)
    names = chars(ds["station_name"][:])
    ids = chars(ds["station_id"][:]) if "station_id" in ds.variables else names
    st = ds["station_pm25"][:]                 # time, station
    t = netCDF4.num2date(ds["time"][:], ds["time"].units, calendar="standard",
                         only_use_cftime_datetimes=False, only_use_python_datetimes=True)
    if stations == "all":
        order = list(range(len(names)))
    elif stations:
        order = []
        for s_ in stations:
            if s_ in ids:
                order.append(ids.index(s_))
            elif s_ in names:
                order.append(names.index(s_))
            else:
                raise LtError(f"station '{s_}' is neither an id nor a name of the file's stations ({', '.join(ids)})")
    else:
        order = np.argsort(-st.mean(axis=0))[:max_stations]
    fig, axes = plt.subplots(len(order), 1, figsize=(10, 2.0 * len(order)), sharex=True, squeeze=False)
    hours = np.arange(len(t))
    for ax, k in zip(axes[:, 0], order):
        # Daily means over China Standard Time days (UTC+8): hour h covers UTC start + h.
        ax2 = ax.twinx()
        for lo, hi, col, _ in AQI_BANDS:
            ax2.axhspan(lo, hi, color=col, alpha=0.15, lw=0)
        cst_day = np.array([(tt.hour + 8) // 24 + tt.toordinal() for tt in t])
        days = np.unique(cst_day)
        # The file's own daily AQI when the run made the assessment; else computed here.
        from_file = dd["station_aqi"][:, k] if dd is not None and "station_aqi" in dd.variables else None
        if from_file is not None and len(from_file) != len(days):
            from_file = None
        aqi = []
        for i, d in enumerate(days):
            sel = cst_day == d
            if from_file is not None:
                a = int(from_file[i]) if from_file[i] >= 0 else None
            else:
                a = iaqi_pm25(st[sel, k].mean()) if sel.sum() >= 20 else None
            aqi.append((hours[sel].min(), hours[sel].max() + 1, a))
        for h0, h1, a in aqi:
            if a is not None:
                ax2.plot([h0, h1], [a, a], color="k", lw=2)
        ax2.set_ylim(0, max(120, max((a for _, _, a in aqi if a is not None), default=0) * 1.2))
        ax2.set_ylabel("daily AQI", fontsize=7)
        ax.plot(hours, st[:, k], color="tab:blue", lw=0.8)
        ax.set_zorder(ax2.get_zorder() + 1)
        ax.patch.set_visible(False)
        ax.set_ylabel(UNITS, fontsize=7)
        ax.set_title(names[k], fontsize=8, loc="left")
        if dd is not None and "alert_level" in dd.variables:
            lv = dd["alert_level"][:]
            for d, level in enumerate(lv):
                if level > 0 and d < len(aqi):
                    ax.axvspan(aqi[d][0], aqi[d][1], color="red", alpha=0.12 * level, lw=0)
    # dates (China Standard Time) at each CST midnight, not hours since the start
    first = (24 - (t[0].hour + 8) % 24) % 24
    ticks = list(range(first, len(t), 24 * max(1, len(t) // (24 * 12))))
    axes[-1, 0].set_xticks(ticks)
    axes[-1, 0].set_xticklabels([(t[h] + datetime.timedelta(hours=8)).strftime("%m-%d") for h in ticks],
                                fontsize=7)
    axes[-1, 0].set_xlabel("date (China Standard Time)")
    h = fig.get_figheight()
    fig.suptitle("Hourly PM2.5 (blue) and daily AQI from 24-h PM2.5 (black), on AQI category bands",
                 fontsize=10, y=1 - 0.12 / h)
    fig.subplots_adjust(top=1 - 0.55 / h, bottom=0.5 / h, hspace=0.45)
    return save(fig, png)
