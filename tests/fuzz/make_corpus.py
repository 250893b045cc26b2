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
tables = ["points.csv", "volumes.csv", "areas.csv", "roads.csv", "stations.csv", "background6_2017-01.csv",
          "profiles.csv", "hourly_2017-01.csv"]
for sel, name in enumerate(tables):
    put("fuzz_tables", f"{sel}_{name}", bytes([sel]) + head(os.path.join(CASE, name)))
# the background's old layout (time,pm25_ugm3) too
put("fuzz_tables", "5_background_2017-01.csv", bytes([5]) + head(os.path.join(CASE, "background_2017-01.csv")))
# per station, with PM2.5's components
put("fuzz_tables", "5_background_stations.csv", b"\x05time,station,pm25,no2,so4,no3,nh4,om,ec,other\n"
    + b"".join(f"2017-01-01T{h:02d}:00:00Z,{s},40,20,8,10,6,10,2,4\n".encode() for h in range(6) for s in ("S1", "S2")))
put("fuzz_policy", "aqi.ini", b"\x01" + open(os.path.join(POLICY, "aqi_HJ633-2012.ini"), "rb").read())
put("fuzz_policy", "alert.ini", b"\x00" + open(os.path.join(POLICY, "alert_2018.ini"), "rb").read())
put("fuzz_policy", "aqi2026.ini", b"\x01" + open(os.path.join(POLICY, "aqi_HJ633-2026.ini"), "rb").read())
put("fuzz_policy", "targets.csv", b"\x02" + b"level,name,pm25_max,good_days_min,heavy_days_max\ncity,city,53,270,\n"
    + "county,A县,53,,10\n".encode())
put("fuzz_geojson", "two.geojson",
    b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":'
    b'{"type":"Polygon","coordinates":[[[108.3,34.7],[108.5,34.7],[108.5,34.9],[108.3,34.9],[108.3,34.7]],'
    b'[[108.35,34.75],[108.4,34.75],[108.4,34.8],[108.35,34.75]]]}},{"type":"Feature","properties":'
    b'{"name":"B"},"geometry":{"type":"MultiPolygon","coordinates":[[[[108.5,34.7],[108.6,34.7],'
    b'[108.6,34.9],[108.5,34.7]]]]}}]}')
put("fuzz_met", "cf", bytes([0, 5, 2, 2]) + bytes(range(1, 200)))
put("fuzz_met", "wrf", bytes([1, 3, 1, 1, 2, 10, 20]) + bytes(range(1, 200)))
put("fuzz_pointmet", "station.csv", b"\x00time,wind_speed_ms,wind_dir_deg,temp_C,cloud_tenths,pressure_hPa\n"
    b"2017-01-01T08:00+08:00,3.0,270,-2.0,5,965\n2017-01-01T09:00+08:00,,,0.0,5,965\n"
    b"2017-01-01 10:00,4.0,180,2.0,,965\n")
put("fuzz_pointmet", "aermet.sfc", b"\x03   34.800N  108.400E   UA_ID: 99999  SF_ID: 99999\n"
    b"2017  1  1   1  1  -10.0  0.150 -9.000 -9.000  -999.   200.     15.0  0.3000   1.00   0.20    1.50"
    b"    5.0   10.0  268.0    2.0     0   0.00    60.   965.     0 NAD-SFC NoSubs\n"
    b"2017  1  1   1  2   45.0  0.160  0.800  0.005   100.   210.    -32.0  0.3000   1.00   0.20    1.60"
    b"   35.0   10.0  268.2    2.0     0   0.00    61.   965.     1 NAD-SFC NoSubs\n"
    b"\f17 01 01 01   10.0 0   5.0   1.50  -5.2   10.0   99.00\n17 01 01 02   10.0 1  35.0   1.60  -5.0   11.0   99.00\n")

OBS = os.path.join(ROOT, "inputs", "observations", "cnemc_2022-01")
put("fuzz_obs", "cnemc_T00.csv", head(os.path.join(OBS, "2022-01-02", "2022-01-02T00.csv")))
put("fuzz_obs", "cnemc_T14.csv", head(os.path.join(OBS, "2022-01-01", "2022-01-01T14.csv")))
put("fuzz_obs", "stations.csv", head(os.path.join(OBS, "stations.csv")))
put("fuzz_obs", "long.csv", b"station,time,pollutant,value,averaging\n1462A,2022-01-05T00:00:00Z,pm25,50,hour\n"
    b"1462A,2022-01-05T00:00:00+08:00,pm2.5,61,day\nS2,2022-01-05 10:00,o3_8h,40,day\n1462A,2022-01-05T00:00:00Z,pm25,,hour\n")
