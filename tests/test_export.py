#!/usr/bin/python3
"""test_export.py — `lantian export` on a real run of the default case: the
GeoTIFF read back by GDAL's own tools (gdalinfo, gdallocationinfo) holds the
run's values at the right places in the run's projection, and the county
GeoJSON carries each county's grid mean (the mean of pm25_mean over the
county's cells), its sectors adding up to it; bad requests are one clear
line and leave nothing. Prints cmocka-style lines for tests/run_tests.sh."""
import hashlib
import json
import os
import subprocess
import sys

import netCDF4
import numpy as np

from lt_pycheck import check, run_suite

BUILD = os.environ.get("LT_BUILD", "build")
LT = f"{BUILD}/lantian"


def lantian(*args):
    return subprocess.run([LT, *args], capture_output=True, text=True)


def labels(var):
    """A text label variable as str (netCDF4 1.6's own decoding of multi-byte
    UTF-8 labels is broken: decoded here, as lantian's scripts do)."""
    return [bytes(r).split(b"\0")[0].decode("utf-8") for r in np.asarray(var[:])]


def opened(path):
    ds = netCDF4.Dataset(path)
    ds.set_auto_chartostring(False)
    return ds


def gdal(*args):
    r = subprocess.run(list(args), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def geotiff_mean(tmp, run):
    tif = os.path.join(tmp, "mean.tif")
    r = lantian("export", run, "--geotiff", "pm25_mean", "-o", tif)
    assert r.returncode == 0 and "1 band" in r.stdout, r.stderr
    info = json.loads(gdal("gdalinfo", "-json", tif))
    with netCDF4.Dataset(run) as ds:
        x, y, f = ds["x"][:], ds["y"][:], np.asarray(ds["pm25_mean"][:], dtype=float)
        clon = ds["crs"].longitude_of_central_meridian
    ny, nx = f.shape
    assert info["size"] == [nx, ny], info["size"]
    dx = x[1] - x[0]
    gt = info["geoTransform"]
    assert np.allclose(gt, [x[0] - dx / 2, dx, 0, y[-1] + dx / 2, 0, -dx]), gt
    wkt = info["coordinateSystem"]["wkt"]
    assert "Transverse Mercator" in wkt and f"{clon:g}" in wkt, wkt[:200]
    # a cell by its projected centre and by its pixel: the same value as the file's
    for j, i in [(0, 0), (ny - 1, nx - 1), (ny // 3, nx // 2), (5, nx - 7)]:
        v = float(gdal("gdallocationinfo", "-valonly", "-geoloc", tif, f"{x[i]}", f"{y[j]}"))
        assert abs(v - f[j, i]) <= 1e-6 * abs(f[j, i]), (j, i, v, f[j, i])
        v = float(gdal("gdallocationinfo", "-valonly", tif, str(i), str(ny - 1 - j)))
        assert abs(v - f[j, i]) <= 1e-6 * abs(f[j, i]), (j, i, v, f[j, i])


def geotiff_bands(tmp, run):
    tif = os.path.join(tmp, "coal.tif")
    r = lantian("export", run, "--geotiff", "pm25_src", "--level", "coal", "-o", tif)
    assert r.returncode == 0 and "24 bands" in r.stdout, r.stdout + r.stderr
    info = json.loads(gdal("gdalinfo", "-json", tif))
    assert len(info["bands"]) == 24
    assert info["bands"][5]["description"] == "2017-01-01T05:00:00Z/2017-01-01T06:00:00Z", info["bands"][5]
    with opened(run) as ds:
        names = labels(ds["source_name"])
        g = names.index("coal")
        want = float(ds["pm25_src"][5, g, 40, 70])
    v = float(gdal("gdallocationinfo", "-valonly", "-b", "6", tif, "70", str(160 - 1 - 40)))
    assert abs(v - want) <= 1e-6 * abs(want), (v, want)
    one = os.path.join(tmp, "one.tif")
    r = lantian("export", run, "--geotiff", "pm25_src", "--level", "coal", "--time", "2017-01-01T05:30:00Z", "-o", one)
    assert r.returncode == 0 and "1 band" in r.stdout, r.stderr
    v = float(gdal("gdallocationinfo", "-valonly", one, "70", str(160 - 1 - 40)))
    assert abs(v - want) <= 1e-6 * abs(want), (v, want)


def counties_geojson(tmp, run):
    out = os.path.join(tmp, "c.geojson")
    r = subprocess.run([os.path.abspath(LT), "export", run, "--counties", "-o", out], capture_output=True,
                       text=True, cwd=os.getcwd())
    assert r.returncode == 0 and "14 of 14" in r.stdout, r.stdout + r.stderr
    with opened(run) as ds:
        cell = np.asarray(ds["cell_region"][:])
        mean = np.asarray(ds["pm25_mean"][:], dtype=float)
        regions = labels(ds["region_name"])
    feats = json.load(open(out, encoding="utf-8"))["features"]
    assert len(feats) == 14
    for ft in feats:
        p = ft["properties"]
        k = regions.index(p["name"])
        want = mean[cell == k].mean()
        assert p["lantian_cells"] == int((cell == k).sum())
        assert abs(p["pm25_mean_ugm3"] - want) <= 1e-4 + 1e-5 * want, (p["name"], p["pm25_mean_ugm3"], want)
        tags = sum(v for key, v in p.items() if key.startswith("pm25_") and key != "pm25_mean_ugm3")
        assert abs(tags - p["pm25_mean_ugm3"]) <= 1e-3 * want + 1e-3, (p["name"], tags, p["pm25_mean_ugm3"])
        assert ft["geometry"]["type"] in ("Polygon", "MultiPolygon")


def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()


def bad_requests(tmp, run):
    before = {p: sha(p) for p in (run, run[:-3] + "_daily.nc")}
    cases = [
        (["--geotiff", "nothing"], "no variable 'nothing'"),
        (["--geotiff", "pm25_src"], "expected --level with one of them"),
        (["--geotiff", "pm25_src", "--level", "steel"], "not one of the source"),
        (["--geotiff", "pm25", "--time", "2030-01-01T00:00:00Z"], "no time step holds it"),
        (["--geotiff", "pm25", "--time", "99"], "expected an index from 0 to 23"),
        (["--geotiff", "station_pm25"], "is not a map"),
        (["--geotiff", "pm25_mean", "-o", run], "is one of the run's files"),
        (["--counties", "-o", run], "is one of the inputs"),
    ]
    for args, msg in cases:
        r = lantian("export", run, *args)
        lines = r.stderr.strip().split("\n")
        assert r.returncode == 1 and len(lines) == 1 and msg in lines[0], (args, r.returncode, r.stderr)
    r = lantian("export", os.path.join(tmp, "none.nc"), "--geotiff", "pm25")
    assert r.returncode == 1 and "cannot open as NetCDF" in r.stderr, r.stderr
    left = [f for f in os.listdir(tmp) if ".part" in f]
    assert not left, left
    assert before == {p: sha(p) for p in before}, "an input changed"


def suite(tmp):
    run = os.path.join(tmp, "run.nc")
    r = lantian("run", "inputs/xianyang/winter.ini", "--set", "run.hours=24", "--set", f"output.file={run}")
    assert r.returncode == 0, r.stderr
    check("geotiff_mean_in_place", geotiff_mean, tmp, run)
    check("geotiff_bands_and_time", geotiff_bands, tmp, run)
    check("counties_geojson", counties_geojson, tmp, run)
    check("export_bad_requests", bad_requests, tmp, run)


if __name__ == "__main__":
    sys.exit(run_suite("lantian-export-", suite))
