#!/usr/bin/python3
"""make_corpus.py: writes the seed corpus of the fuzz harnesses
(tests/fuzz/corpus/HARNESS/) from the default case's own small files: each
seed is a real input (cut to its first lines where long), with the selector
byte the harness reads first. Run from the repository's top folder."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASE = os.path.join(ROOT, "inputs", "xianyang")
POLICY = os.path.join(ROOT, "inputs", "policy")
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")


def head(path, lines=12):
    with open(path, "rb") as f:
        return b"".join(f.readlines()[:lines])


def put(harness, name, data):
    d = os.path.join(OUT, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


put("fuzz_config", "winter.ini", open(os.path.join(CASE, "winter.ini"), "rb").read())
put("fuzz_config", "minimal.ini", b"run.hours=3\n[run]\nstart = 2017-01-01T00:00:00Z\nhours = 6\n[domain]\n"
    b"center_lon = 108.4\ncenter_lat = 34.8\nnx = 24\nny = 20\ndx_m = 1000\n[met]\nfile = met.nc\n"
    b"[sources]\npoints = points.csv\n[receptors]\nstations = stations.csv\n[output]\nfile = out.nc\n"
    b"[scenario.a]\ncut = sector=coal factor=0.5\n")
tables = ["points.csv", "volumes.csv", "areas.csv", "roads.csv", "stations.csv", "background_2017-01.csv",
          "profiles.csv", "hourly_2017-01.csv"]
for sel, name in enumerate(tables):
    put("fuzz_tables", f"{sel}_{name}", bytes([sel]) + head(os.path.join(CASE, name)))
put("fuzz_policy", "aqi.ini", b"\x01" + open(os.path.join(POLICY, "aqi_HJ633-2012.ini"), "rb").read())
put("fuzz_policy", "alert.ini", b"\x00" + open(os.path.join(POLICY, "alert_2018.ini"), "rb").read())
put("fuzz_geojson", "two.geojson",
    b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":'
    b'{"type":"Polygon","coordinates":[[[108.3,34.7],[108.5,34.7],[108.5,34.9],[108.3,34.9],[108.3,34.7]],'
    b'[[108.35,34.75],[108.4,34.75],[108.4,34.8],[108.35,34.75]]]}},{"type":"Feature","properties":'
    b'{"name":"B"},"geometry":{"type":"MultiPolygon","coordinates":[[[[108.5,34.7],[108.6,34.7],'
    b'[108.6,34.9],[108.5,34.7]]]]}}]}')
put("fuzz_met", "cf", bytes([0, 5, 2, 2]) + bytes(range(1, 200)))
put("fuzz_met", "wrf", bytes([1, 3, 1, 1, 2, 10, 20]) + bytes(range(1, 200)))
