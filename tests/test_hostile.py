#!/usr/bin/python3
"""test_hostile.py: malformed and hostile inputs through the real program.

Every case builds a small valid case in a fresh folder (2 stacks, an area, 2
stations, 6 hours of constant weather, the AQI, alert and measures tables),
breaks it in one way, runs `lantian run` (or `check`) and asserts:
- the exit code (1 for an error, 128+n for a signal, 0 where a case must run);
- one error line on stderr holding every expected piece (the file, the line
  or variable, the value, what was expected);
- nothing left behind: no output, no partial file, no side file;
- no input changed: every file of the case has the same SHA-256 after.
Prints "[       OK ] name" / "[  FAILED  ] name" per case and the cmocka-style
totals the test runner counts; a case the machine cannot stage (the full-disk
ones need a tmpfs mount) prints "[  SKIPPED ]" and counts neither way."""
import hashlib
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import netCDF4
import numpy as np

BUILD = os.environ.get("LT_BUILD", "build")
LANTIAN = os.path.abspath(os.path.join(BUILD, "lantian"))
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLICY = os.path.join(ROOT, "inputs", "policy")

POINTS = ("id,name,lon,lat,height_m,diameter_m,velocity_ms,temp_K,sector,county,grade,pm25_tpy,so2_tpy\n"
          "P1,Power plant,108.40,34.80,120,4,15,400,coal,A县,A,100,50\n"
          "P2,Cement kiln,108.38,34.79,60,2,10,380,industry,B县,C,50,20\n")
AREAS = ("id,name,polygon,height_m,sigma_z0_m,sector,county,grade,pm25_tpy\n"
         "A1,yard,108.39 34.79; 108.41 34.79; 108.41 34.81; 108.39 34.81,2,1,industry,A县,-,10\n")
STATIONS = "id,name,lon,lat,county\nS1,East,108.45,34.81,A县\nS2,North,108.40,34.85,B县\n"


def config(hours=6, extra=""):
    return f"""[run]
start = 2017-01-01T00:00:00Z
hours = {hours}

[domain]
center_lon = 108.4
center_lat = 34.8
nx = 24
ny = 20
dx_m = 1000

[met]
file = met.nc

[sources]
points = points.csv
areas = areas.csv
profiles = profiles.csv

[background]
file = bg.csv

[receptors]
stations = stations.csv

[assessment]
aqi_rules = aqi.ini
alert_rules = alert.ini
measures = measures.csv

[scenario.cut]
cut = sector=coal factor=0.5

[output]
file = out.nc
{extra}"""


def write_met(path, hours=6, lon0=107.6, lat0=34.0, fmt="NETCDF4", u10=3.0, n=9):
    """Constant weather on n x n points 0.2 degrees apart from lon0, lat0."""
    nc = netCDF4.Dataset(path, "w", format=fmt)
    nc.createDimension("time", hours)
    nc.createDimension("lat", n)
    nc.createDimension("lon", n)
    t = nc.createVariable("time", "f8", ("time",))
    t.units = "hours since 2017-01-01 00:00:00"
    t[:] = np.arange(hours)
    nc.createVariable("lat", "f8", ("lat",))[:] = lat0 + 0.2 * np.arange(n)
    nc.createVariable("lon", "f8", ("lon",))[:] = lon0 + 0.2 * np.arange(n)
    for name, units, val in [("u10", "m s-1", u10), ("v10", "m s-1", 1.0), ("t2", "K", 272.0),
                             ("pblh", "m", 500.0), ("ust", "m s-1", 0.3), ("rmol", "m-1", 0.0)]:
        v = nc.createVariable(name, "f4", ("time", "lat", "lon"))
        v.units = units
        v[:] = val
    nc.close()


def make_case(hours=6):
    d = tempfile.mkdtemp(prefix="lantian-hostile-")
    files = {"points.csv": POINTS, "areas.csv": AREAS, "stations.csv": STATIONS, "case.ini": config(hours),
             "profiles.csv": "sector,kind,index,factor\ncoal,hour,0,1.2\ncoal,hour,12,0.8\n",
             "bg.csv": "time,pm25_ugm3\n" + "".join(f"2017-01-{1 + h // 24:02d}T{h % 24:02d}:00:00Z,40\n"
                                                    for h in range(hours))}
    for name, text in files.items():
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(text)
    for name, src in [("aqi.ini", "aqi_HJ633-2012.ini"), ("alert.ini", "alert_2018.ini"),
                      ("measures.csv", "measures_2018.csv")]:
        shutil.copy(os.path.join(POLICY, src), os.path.join(d, name))
    write_met(os.path.join(d, "met.nc"), hours)
    return d


def sums(d):
    out = {}
    for dp, _, fn in os.walk(d):
        for f in fn:
            p = os.path.join(dp, f)
            if os.path.isfile(p) and not os.path.islink(p):
                out[os.path.relpath(p, d)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


def edit(d, name, old, new):
    p = os.path.join(d, name)
    text = open(p, encoding="utf-8").read()
    assert old in text, (name, old)
    open(p, "w", encoding="utf-8").write(text.replace(old, new, 1))


def append(d, name, text):
    with open(os.path.join(d, name), "a", encoding="utf-8") as f:
        f.write(text)


results = {"passed": 0, "failed": 0, "skipped": 0}


def report(name, problems):
    if problems:
        results["failed"] += 1
        print(f"[  FAILED  ] {name}")
        for p in problems:
            print(f"    {p}")
    else:
        results["passed"] += 1
        print(f"[       OK ] {name}")


def lantian(d, args, cmd="run", prefix=(), **kw):
    args = [a.replace("@D", d) for a in args]
    return subprocess.run(list(prefix) + [LANTIAN, cmd, os.path.join(d, "case.ini")] + args,
                          capture_output=True, text=True, **kw)


def expect_error(name, setup, args=(), want=(), cmd="run", code=1, changed=(), prefix=()):
    """A case that must fail with one clear line and leave everything as it was
    (but the files in changed, which the setup made on purpose after the sums)."""
    d = make_case()
    try:
        staged = setup(d) if setup else None
        if staged == "skip":
            results["skipped"] += 1
            print(f"[  SKIPPED ] {name} (cannot be staged on this machine)")
            return
        before = sums(d)
        p = lantian(d, list(args), cmd, prefix)
        problems = []
        if p.returncode != code:
            problems.append(f"exit {p.returncode}, expected {code}")
        lines = [x for x in p.stderr.split("\n") if x and not x.startswith("lantian: progress ")]
        if len(lines) != 1:
            problems.append(f"{len(lines)} lines on stderr, expected one: {p.stderr[:500]!r}")
        line = lines[0] if lines else ""
        for w in want:
            if w.replace("@D", d) not in line:
                problems.append(f"the error line lacks {w!r}: {line[:600]}")
        after = sums(d)
        for f in before:
            if f not in after:
                problems.append(f"the input {f} is gone")
            elif after[f] != before[f] and f not in changed:
                problems.append(f"the input {f} changed")
        for f in after:
            if f not in before:
                problems.append(f"{f} was left behind")
        report(name, problems)
    finally:
        subprocess.run(["umount", "-l", os.path.join(d, "full")], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


# --- the output must never replace an input -----------------------------------------------------

for what in ["points.csv", "met.nc", "case.ini", "bg.csv"]:
    expect_error(f"output_is_input_{what.replace('.', '_')}", None, ["--set", f"output.file=@D/{what}"],
                 [f"@D/{what}", "would write over its own input", "expected an output path"])


def symlink_to_met(d):
    os.symlink(os.path.join(d, "met.nc"), os.path.join(d, "link.nc"))


expect_error("output_is_input_through_symlink", symlink_to_met, ["--set", "output.file=@D/link.nc"],
             ["link.nc", "met.nc", "through a link"])


def hardlink_to_points(d):
    os.link(os.path.join(d, "points.csv"), os.path.join(d, "hard.nc"))


expect_error("output_is_input_through_hard_link", hardlink_to_points, ["--set", "output.file=@D/hard.nc"],
             ["hard.nc", "points.csv", "would write over its own input"])
expect_error("check_notices_output_is_input", None, ["--set", "output.file=@D/points.csv"],
             ["points.csv", "would write over its own input"], cmd="check")
expect_error("output_is_input_even_with_force", None, ["--force", "--set", "output.file=@D/met.nc"],
             ["met.nc", "would write over its own input"])


def foreign_output(d):
    open(os.path.join(d, "out.nc"), "w").write("my notes, not a lantian output\n")


expect_error("output_replaces_foreign_file", foreign_output, [],
             ["out.nc", "not a lantian output", "--force"])
expect_error("output_folder_missing", None, ["--set", "output.file=@D/nowhere/out.nc"],
             ["nowhere", "does not exist", "expected an existing folder"])


def output_folder(d):
    os.mkdir(os.path.join(d, "out.nc"))


expect_error("output_is_a_folder", output_folder, [], ["out.nc", "is a folder"])


def force_replaces(name):
    d = make_case()
    try:
        foreign_output(d)
        p = lantian(d, ["--force"])
        q = lantian(d, [])  # a lantian output is replaced without --force
        problems = []
        if p.returncode or q.returncode:
            problems.append(f"exit {p.returncode}, {q.returncode}: {p.stderr}{q.stderr}")
        elif "lantian_version" not in netCDF4.Dataset(os.path.join(d, "out.nc")).ncattrs():
            problems.append("out.nc is not a lantian output after --force")
        report(name, problems)
    finally:
        shutil.rmtree(d, ignore_errors=True)


force_replaces("force_replaces_foreign_file_and_reruns_replace")

# --- duplicates are errors naming both places -----------------------------------------------------

expect_error("ini_key_twice", lambda d: edit(d, "case.ini", "hours = 6\n", "hours = 6\nhours = 3\n"), [],
             ["case.ini:4", "[run] hours is given twice", "first at line 3"])
expect_error("ini_section_twice", lambda d: append(d, "case.ini", "\n[scenario.cut]\ncut = sector=industry factor=0.5\n"),
             [], ["case.ini:", "section [scenario.cut] appears twice", "first at line"])
expect_error("set_twice", None, ["--set", "run.hours=4", "--set", "run.hours=5"],
             ["--set run.hours=5", "set twice on the command line", "--set run.hours=4"])
expect_error("csv_column_twice", lambda d: edit(d, "points.csv", "pm25_tpy,so2_tpy", "pm25_tpy,pm25_tpy"), [],
             ["points.csv:1", "column 'pm25_tpy' appears twice", "columns 12 and 13"])
expect_error("background_hour_twice", lambda d: append(d, "bg.csv", "2017-01-01T02:00:00Z,500\n"), [],
             ["bg.csv:8", "2017-01-01T02:00:00Z appears twice", "first at line 4"])
expect_error("profile_entry_twice", lambda d: append(d, "profiles.csv", "coal,hour,12,5\n"), [],
             ["profiles.csv:4", "sector 'coal' hour 12 appears twice", "first at line 3"])
expect_error("policy_key_twice", lambda d: append(d, "alert.ini", "min_emission_cut = 0.5\n"), [],
             ["alert.ini:", "[red] min_emission_cut is given twice", "first at line"])


def hourly_twice(d):
    open(os.path.join(d, "hourly.csv"), "w").write(
        "time,id,pm25_gs\n" + "".join(f"2017-01-01T{h:02d}:00:00Z,P1,3\n" for h in range(6)) +
        "2017-01-01T03:00:00Z,P1,30\n")


expect_error("hourly_row_twice", hourly_twice, ["--set", "sources.hourly=@D/hourly.csv"],
             ["hourly.csv:8", "stack 'P1' at 2017-01-01T03:00:00Z appears twice", "first at line 5"])

# --- files that are not what they claim ---------------------------------------------------------------


def met_elsewhere(d):
    write_met(os.path.join(d, "met.nc"), lon0=0.0, lat0=34.6, n=3)


expect_error("met_grid_far_from_domain", met_elsewhere, [],
             ["met.nc", "weather grid spans 0.00 to 0.40 E", "lies", "expected weather covering"])
expect_error("met_grid_far_from_domain_check", met_elsewhere, [], ["met.nc", "weather grid spans"], cmd="check")


def met_truncated(d):
    p = os.path.join(d, "met.nc")
    write_met(p, fmt="NETCDF3_CLASSIC")
    data = open(p, "rb").read()
    open(p, "wb").write(data[:len(data) - 200])


expect_error("met_netcdf3_truncated", met_truncated, [], ["met.nc", "cut short", "bytes where its netCDF-3 header"])
expect_error("config_is_a_folder", lambda d: (os.remove(os.path.join(d, "case.ini")), os.mkdir(os.path.join(d, "case.ini"))),
             [], ["case.ini", "is a folder"])
expect_error("self_intersecting_area",
             lambda d: edit(d, "areas.csv", "108.39 34.79; 108.41 34.79; 108.41 34.81; 108.39 34.81",
                            "108.39 34.79; 108.41 34.81; 108.41 34.79; 108.39 34.81"),
             [], ["areas.csv:2", "edges 1 and 3 of the polygon cross", "expected a simple polygon"])


def geojson_lat_lon(d):
    open(os.path.join(d, "c.geojson"), "w").write(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A县"},'
        '"geometry":{"type":"Polygon","coordinates":[[[34.7,108.3],[34.7,108.5],[34.9,108.5],[34.7,108.3]]]}}]}')


expect_error("geojson_lat_lon_swapped", geojson_lat_lon, ["--set", "domain.counties=@D/c.geojson"],
             ["c.geojson", "[34.7, 108.3]", "latitude out of range", "given as [lat, lon]?"])
expect_error("grid_too_large_for_memory", None,
             ["--set", "domain.nx=20000", "--set", "domain.ny=20000", "--set", "domain.dx_m=5",
              "--set", "receptors.stations=@D/stations.csv"],
             ["case.ini", "GB of memory", "available", "--ignore-memory"], cmd="check")
expect_error("long_path_keeps_its_expectation", None,
             ["--set", "sources.points=@D/" + "d" * 180 + "/" + "p" * 200 + "/" + "q" * 200 + "/points.csv"],
             ["cannot open", "No such file"])
expect_error("measures_file_broken_though_unused",
             lambda d: (edit(d, "case.ini", "[scenario.cut]\ncut = sector=coal factor=0.5\n", ""),
                        edit(d, "measures.csv", "level,sector", "levle,sector")),
             [], ["measures.csv"], cmd="check")
expect_error("measures_file_missing_though_unused",
             lambda d: (edit(d, "case.ini", "[scenario.cut]\ncut = sector=coal factor=0.5\n", ""),
                        os.remove(os.path.join(d, "measures.csv"))),
             [], ["measures.csv", "cannot open"], cmd="check")
expect_error("aqi_breakpoint_overflow",
             lambda d: edit(d, "aqi.ini", "500\n", "1e308\n"), [],
             ["aqi.ini", "breakpoint", "expected concentrations from 0 to 10000"])

# --- checkpoints that lie -----------------------------------------------------------------------------


def checkpointed(d, hours=48):
    """A run of `hours` killed after its first checkpoint: leaves out.nc.ckpt."""
    edit(d, "case.ini", "hours = 6", f"hours = {hours}")
    write_met(os.path.join(d, "met.nc"), hours)
    open(os.path.join(d, "bg.csv"), "w").write("time,pm25_ugm3\n" + "".join(
        f"2017-01-{1 + h // 24:02d}T{h % 24:02d}:00:00Z,40\n" for h in range(hours)))
    edit(d, "case.ini", "[output]\n", "[output]\nsignificant_digits = 0\n")
    edit(d, "case.ini", "[run]\n", "[run]\ncheckpoint_hours = 24\n")
    edit(d, "case.ini", "nx = 24\nny = 20", "nx = 240\nny = 200")
    edit(d, "case.ini", "dx_m = 1000", "dx_m = 100")
    p = subprocess.Popen([LANTIAN, "run", os.path.join(d, "case.ini"), "--threads", "1"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ck = os.path.join(d, "out.nc.ckpt")
    t0 = time.time()
    while not os.path.exists(ck) and p.poll() is None and time.time() - t0 < 120:
        time.sleep(0.02)
    p.kill()
    p.wait()
    if not os.path.exists(ck) or os.path.exists(os.path.join(d, "out.nc")):
        raise RuntimeError("could not stop the run between its checkpoint and its end")
    for f in os.listdir(d):  # the killed run's partial file: a restart would remove it
        if ".part" in f:
            os.remove(os.path.join(d, f))
    return ck


def flip_bytes(d):
    ck = checkpointed(d)
    data = bytearray(open(ck, "rb").read())
    for k in range(64):
        data[len(data) // 2 + 97 * k] ^= 0x5A
    open(ck, "wb").write(bytes(data))


def restart_case(name, setup, want):
    """--restart from a checkpoint the setup spoiled: one clear error; every
    file (the checkpoint and its copy too) stays as it was."""
    expect_error(name, setup, ["--restart"], want)


restart_case("restart_checkpoint_bytes_flipped", flip_bytes, ["out.nc.ckpt", "damaged", "CRC-32"])
restart_case("restart_after_points_edited",
             lambda d: (checkpointed(d), edit(d, "points.csv", "100,50", "200,50")),
             ["out.nc.ckpt", "points.csv changed since the checkpoint"])
restart_case("restart_after_met_replaced",
             lambda d: (checkpointed(d), write_met(os.path.join(d, "met.nc"), 48, u10=3.5)),
             ["out.nc.ckpt", "met.nc changed since the checkpoint"])


def negative_hours(d):
    """A checkpoint whose hour is -24, with its checksum made to match: the
    bounds still refuse it."""
    ck = checkpointed(d)
    data = bytearray(open(ck, "rb").read()[:-4])
    off = len(b"LANTIAN-CKPT-3\n") + 8
    data[off:off + 4] = struct.pack("<i", -24)
    open(ck, "wb").write(bytes(data) + struct.pack("<I", zlib.crc32(bytes(data))))


restart_case("restart_negative_hour", negative_hours, ["out.nc.ckpt", "hour -24", "expected an hour from 1"])


def pid_of_a_sentinel(d):
    """The pid field pointed at another run's partial file: with the checksum
    matching, the restart removes only OUTPUT.part<pid> -- a name of its own
    output -- and never an unrelated file."""
    ck = checkpointed(d)
    data = bytearray(open(ck, "rb").read()[:-4])
    off = len(b"LANTIAN-CKPT-3\n") + 8 + 4
    data[off:off + 8] = struct.pack("<q", 0)
    open(ck, "wb").write(bytes(data) + struct.pack("<I", zlib.crc32(bytes(data))))
    open(os.path.join(d, "sentinel.txt"), "w").write("must stay\n")


restart_case("restart_pid_zero", pid_of_a_sentinel, ["out.nc.ckpt", "process id 0"])

# --- signals: nothing left, exit 128 + n ----------------------------------------------------------------


def signal_case(name, sig):
    d = make_case()
    try:
        edit(d, "case.ini", "nx = 24\nny = 20", "nx = 400\nny = 400")
        edit(d, "case.ini", "dx_m = 1000", "dx_m = 60")
        before = sums(d)
        p = subprocess.Popen([LANTIAN, "run", os.path.join(d, "case.ini"), "--threads", "1"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        t0 = time.time()
        while not any(".part" in f for f in os.listdir(d)) and p.poll() is None and time.time() - t0 < 60:
            time.sleep(0.01)
        p.send_signal(sig)
        _, err = p.communicate(timeout=120)
        problems = []
        if p.returncode != 128 + sig:
            problems.append(f"exit {p.returncode}, expected {128 + sig}: {err}")
        if len([x for x in err.split("\n") if x]) != 1 or "stopped by signal" not in err:
            problems.append(f"stderr: {err!r}")
        if sums(d) != before:
            problems.append(f"files changed or left: {sorted(set(sums(d)) ^ set(before))}")
        report(name, problems)
    finally:
        shutil.rmtree(d, ignore_errors=True)


for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal_case(f"signal_{signal.Signals(s).name}_leaves_nothing", s)

# --- a full disk: one clear error, no crash, nothing left ---------------------------------------------


def full_disk(size):
    def setup(d):
        os.mkdir(os.path.join(d, "full"))
        edit(d, "case.ini", "nx = 24\nny = 20", "nx = 150\nny = 150")
        if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", os.path.join(d, "full")],
                          capture_output=True).returncode != 0:
            os.rmdir(os.path.join(d, "full"))
            return "skip"
        return None
    return setup


# the file's definition (64 KB), HDF5's direct chunk writes (deflate, 200 KB), netCDF's quantized
# path (200 KB) and its uncompressed one (1 MB) each meet the full disk
for size, path in [("64k", "deflate=1 significant_digits=0"), ("200k", "deflate=1 significant_digits=0"),
                   ("200k", "deflate=1 significant_digits=4"), ("1m", "deflate=0 significant_digits=0")]:
    opts = []
    for kv in path.split():
        opts += ["--set", "output." + kv]
    expect_error(f"disk_full_{size}_{path.replace(' ', '_').replace('=', '')}", full_disk(size),
                 ["--set", "output.file=@D/full/out.nc"] + opts,
                 ["full/out.nc", "writing the output", "the disk is full"])

total = results["passed"] + results["failed"]
print(f"[==========] {total} test(s) run.")
if results["passed"]:
    print(f"[  PASSED  ] {results['passed']} test(s).")
if results["failed"]:
    print(f"[  FAILED  ] {results['failed']} test(s).")
sys.exit(1 if results["failed"] else 0)
