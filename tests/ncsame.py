#!/usr/bin/python3
"""ncsame.py A.nc B.nc [VAR ...]: exit 0 when the two lantian outputs hold the
same values, bit for bit, in the variables named (default: every variable,
and the two files must have the same ones), and some PM2.5 above zero (pm25,
or the first PM2.5 variable of a daily or period file); else
print the first difference and exit 1. Used by the tests that compare runs
(threads, MPI, restart)."""
import sys

import netCDF4
import numpy as np


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    a, b = netCDF4.Dataset(sys.argv[1]), netCDF4.Dataset(sys.argv[2])
    a.set_auto_chartostring(False)
    b.set_auto_chartostring(False)
    names = sys.argv[3:]
    if not names:
        if set(a.variables) != set(b.variables):
            print(f"ncsame.py: the files hold different variables: {sorted(set(a.variables) ^ set(b.variables))}")
            return 1
        names = list(a.variables)
    for v in names:
        x, y = np.asarray(a[v][:]), np.asarray(b[v][:])
        if x.shape != y.shape or not np.array_equal(x, y):
            print(f"ncsame.py: {v} differs between {sys.argv[1]} and {sys.argv[2]}")
            return 1
    pm = [v for v in ("pm25", "pm25_county", "pm25_src", "station_pm25_daily") if v in a.variables]
    if not pm:
        print(f"ncsame.py: {sys.argv[1]} has no PM2.5 variable")
        return 1
    if not float(np.nanmax(np.asarray(a[pm[0]][:], dtype=float))) > 0:
        print(f"ncsame.py: {pm[0]} is zero everywhere")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
