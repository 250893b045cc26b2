#!/usr/bin/python3
"""test_cf.py — the run's files against the CF conventions and the tools that
read them. No CF checker is packaged for Debian 12, so this asserts on real
outputs of the default case each point of CF-1.8 (and CF-1.11's description
of quantization) the files are expected to meet, and then has NCO and CDO
read them (when installed). The README says how to run cf-checker by hand.

Prints "[       OK ] name" / "[  FAILED  ] name" per check and cmocka's
closing lines, for tests/run_tests.sh."""
import csv
import os
import re
import shutil
import subprocess
import sys

import netCDF4
import numpy as np

from lt_pycheck import check, run_suite

BUILD = os.environ.get("LT_BUILD", "build")
CASE = "inputs/xianyang/winter.ini"


def run(out, *sets):
    cmd = [f"{BUILD}/lantian", "run", CASE, "--set", "run.hours=30", "--set", f"output.file={out}"]
    for s in sets:
        cmd += ["--set", s]
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def files_of(base):
    stem = base[:-3]
    return [p for p in (base, stem + "_daily.nc", stem + "_period.nc", stem + "_stations.nc") if os.path.exists(p)]


def open_nc(p):
    ds = netCDF4.Dataset(p)
    ds.set_auto_mask(False)
    ds.set_auto_chartostring(False)
    return ds


RESERVED = {"_FillValue", "_Encoding"}  # CF and netCDF attributes that begin with an underscore


def no_private_attributes(paths):
    for p in paths:
        with open_nc(p) as ds:
            for scope, names in [("global", ds.ncattrs())] + [(v, ds[v].ncattrs()) for v in ds.variables]:
                bad = [a for a in names if a.startswith("_") and a not in RESERVED]
                assert not bad, f"{p}: {scope} has {bad} (not CF attributes)"
            assert ds.Conventions.startswith("CF-1.8"), f"{p}: Conventions = {ds.Conventions}"


def quantization_described(paths, nsd):
    for p in paths:
        with open_nc(p) as ds:
            q = [v for v in ds.variables if "quantization" in ds[v].ncattrs()]
            if nsd == 0:
                assert not q, f"{p}: {q} quantized with significant_digits = 0"
                continue
            assert q, f"{p}: no variable describes its quantization"
            for v in q:
                info = ds[ds[v].getncattr("quantization")]
                assert info.algorithm == "bitround", f"{p}: {v}: algorithm {info.algorithm}"
                assert "implementation" in info.ncattrs()
                nsb = int(ds[v].quantization_nsb)
                assert nsb == int(np.ceil(nsd * np.log2(10))), f"{p}: {v}: nsb {nsb} for {nsd} digits"
                # the values are rounded as said: the dropped mantissa bits are zero
                a = np.ascontiguousarray(ds[v][:], dtype=np.float32).view(np.uint32)
                low = a & np.uint32((1 << (23 - nsb)) - 1)
                fill = np.float32(netCDF4.default_fillvals["f4"]).view(np.uint32)
                assert np.all((low == 0) | (a == fill)), f"{p}: {v}: values not rounded to {nsb} bits"


def bounds_and_time(paths):
    for p in paths:
        with open_nc(p) as ds:
            assert ds.dimensions["time"].isunlimited(), f"{p}: time is not the unlimited dimension"
            t = ds["time"]
            assert t.standard_name == "time" and t.axis == "T" and t.calendar == "standard"
            assert re.match(r"hours since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", t.units), t.units
            for v in ds.variables:
                if "bounds" not in ds[v].ncattrs():
                    continue
                b = ds[ds[v].bounds]
                assert b.shape == ds[v].shape + (2,), f"{p}: {b.name} shape {b.shape}"
                bad = [a for a in ("units", "calendar") if a in b.ncattrs()]
                assert not bad, f"{p}: bounds {b.name} carries {bad} (CF 7.1: inherited)"
                x, xb = ds[v][:], ds[b.name][:]
                assert np.all((xb[..., 0] <= x) & (x <= xb[..., 1])), f"{p}: {v} outside its bounds"
            for v in ds.variables:  # every time series has time first (CDO reads no other)
                dims = ds[v].dimensions
                assert "time" not in dims or dims[0] == "time", f"{p}: {v}{dims}: time not first"


def labels_and_coordinates(paths):
    for p in paths:
        with open_nc(p) as ds:
            labels = {}
            for v in ds.variables:
                var = ds[v]
                if var.dtype == "S1" and var.ndim == 2:
                    assert getattr(var, "_Encoding", None) == "utf-8", f"{p}: label {v} without _Encoding utf-8"
                    labels.setdefault(var.dimensions[0], []).append(v)
            named = {c for v in ds.variables for c in getattr(ds[v], "coordinates", "").split()}
            for v in ds.variables:
                var = ds[v]
                if var.dtype == "S1" or v in ds.dimensions or v.endswith("_bnds") or v in named or \
                        var.dimensions == ("station",):
                    continue  # labels, coordinates, bounds, the stations' positions
                coords = getattr(var, "coordinates", "").split()
                for c in coords:
                    assert c in ds.variables, f"{p}: {v}: coordinates names a missing {c}"
                for d in var.dimensions:
                    for lab in labels.get(d, []):
                        if lab in ("station_county", "station_code", "station_city"):  # properties of the station, not its name
                            continue
                        assert lab in coords, f"{p}: {v}{var.dimensions}: {lab} not in coordinates '{var.coordinates if coords else ''}'"
                if "y" in var.dimensions and "x" in var.dimensions:
                    assert "lat" in coords and "lon" in coords, f"{p}: {v}: no lat lon in coordinates"
                    gm = ds[var.grid_mapping]
                    assert gm.grid_mapping_name == "transverse_mercator"


def flags(paths):
    seen = 0
    for p in paths:
        with open_nc(p) as ds:
            for v in ds.variables:
                var = ds[v]
                if var.dtype != np.int8:
                    continue
                if "flag_masks" in var.ncattrs():  # bit fields (the primary pollutants)
                    masks, fm = np.atleast_1d(var.flag_masks).astype(int), var.flag_meanings.split()
                    assert len(masks) == len(fm), f"{p}: {v}: {masks} vs {fm}"
                    vals = np.asarray(var[:]).astype(int)
                    assert ((vals & ~int(np.bitwise_or.reduce(masks))) == 0).all(), f"{p}: {v} has bits outside flag_masks"
                    seen += 1
                    continue
                assert "flag_values" in var.ncattrs() and "flag_meanings" in var.ncattrs(), f"{p}: {v} without flags"
                fv, fm = np.atleast_1d(var.flag_values), var.flag_meanings.split()
                assert len(fv) == len(fm) and len(set(fm)) == len(fm), f"{p}: {v}: {fv} vs {fm}"
                vals = np.asarray(var[:])
                fill = getattr(var, "_FillValue", None)
                ok = np.isin(vals, fv) | (vals == fill if fill is not None else False)
                assert ok.all(), f"{p}: {v} holds values outside flag_values"
                seen += 1
    assert seen >= 4, f"only {seen} flag variables"


def summary_says_the_run(paths):
    for p in paths:
        with open_nc(p) as ds:
            s = ds.summary
            assert "30 hours" in s and "Gaussian plume" in s and "150 x 160" in s, f"{p}: summary '{s}'"
            assert ds.time_coverage_start == "2017-01-01T00:00:00Z"


def station_files(base):
    stem = base[:-3]
    with open_nc(stem + "_stations.nc") as ds, open_nc(base) as h:
        assert ds.featureType == "timeSeries"
        ids = [v for v in ds.variables if getattr(ds[v], "cf_role", "") == "timeseries_id"]
        assert ids == ["station_name"], ids
        for v in ("station_pm25", "station_pm25_src"):
            assert np.array_equal(ds[v][:], h[v][:]), f"{v} differs from the hourly file"
            assert "station_lat" in ds[v].coordinates and "station_lon" in ds[v].coordinates
        tags = [bytes(r).split(b"\0")[0].decode() for r in np.asarray(h["source_name"][:])]
        names = [bytes(r).split(b"\0")[0].decode() for r in np.asarray(h["station_name"][:])]
        st, src = np.asarray(h["station_pm25"][:]), np.asarray(h["station_pm25_src"][:])
    with open(stem + "_stations.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["time", "station", "total"] + tags, rows[0]
    assert len(rows) == 1 + 30 * len(names), len(rows)
    for i, r in enumerate(rows[1:]):
        h, k = divmod(i, len(names))
        assert r[1] == names[k]
        assert abs(float(r[2]) - st[h, k]) <= 5e-5 * max(1.0, st[h, k])
        parts = [float(x) for x in r[3:]]
        assert abs(sum(parts) - float(r[2])) <= 1e-3 * max(1.0, float(r[2])) + 1e-3 * len(parts)
        assert abs(parts[0] - src[h, 0, k]) <= 5e-5 * max(1.0, src[h, 0, k])
    assert rows[1][0] == "2017-01-01T00:00:00Z" and rows[-1][0] == "2017-01-02T05:00:00Z", (rows[1][0], rows[-1][0])


def nco_and_cdo(tmp, a, b):
    if shutil.which("ncrcat"):
        out = os.path.join(tmp, "cat.nc")
        r = subprocess.run(["ncrcat", "-O", a, b, out], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        with open_nc(out) as ds, open_nc(a) as x:
            assert ds.dimensions["time"].size == 2 * x.dimensions["time"].size
            assert np.array_equal(ds["pm25"][:30], x["pm25"][:])
    if shutil.which("cdo"):
        out = os.path.join(tmp, "tm.nc")
        daily = a[:-3] + "_daily.nc"
        r = subprocess.run(["cdo", "-s", "timmean", "-selname,pm25_county", daily, out], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        with open_nc(out) as ds, open_nc(daily) as d:
            want = np.asarray(d["pm25_county"][:], dtype=float).mean(axis=0)
            got = np.asarray(ds["pm25_county"][:], dtype=float)[0]
            assert np.allclose(got, want, rtol=1e-5, atol=1e-4), abs(got - want).max()
        r = subprocess.run(["cdo", "-s", "sinfon", a], capture_output=True, text=True)
        assert r.returncode == 0 and "pm25_src" in r.stdout, r.stderr
        for v in ("pm25", "station_pm25", "scenario_station_pm25"):  # read, not skipped
            assert re.search(rf": {v}\s*$", r.stdout, re.M), f"cdo does not read {v}"


def suite(tmp):
    a, b, c = (os.path.join(tmp, n) for n in ("a.nc", "b.nc", "c.nc"))
    run(a)                                            # the default case's settings (4 digits, deflate)
    run(b, "run.start=2017-01-02T06:00:00Z")          # the next 30 hours
    run(c, "output.significant_digits=0", "output.average_src=period")
    fa, fc = files_of(a), files_of(c)
    assert len(fa) == 3 and len(fc) == 4, (fa, fc)
    check("no_private_attributes", no_private_attributes, fa + fc)
    check("quantization_described", quantization_described, fa, 4)
    check("no_quantization_at_full_precision", quantization_described, fc, 0)
    check("time_unlimited_and_bounds", bounds_and_time, fa + fc)
    check("labels_in_coordinates", labels_and_coordinates, fa + fc)
    check("flag_variables", flags, fa)
    check("summary_of_the_run", summary_says_the_run, fa)
    check("station_dsg_and_csv", station_files, a)
    check("nco_ncrcat_and_cdo_timmean", nco_and_cdo, tmp, a, b)


if __name__ == "__main__":
    sys.exit(run_suite("lantian-cf-", suite))
