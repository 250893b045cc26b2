#!/usr/bin/python3
"""The statistics of scripts/lt_stats.py against values computed by hand.
Prints cmocka-style lines so tests/run_tests.sh counts them."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from lt_stats import stats  # noqa: E402

failed = 0
passed = 0


def check(name, got, want, tol=1e-12):
    global failed, passed
    if abs(got - want) <= tol * max(1.0, abs(want)):
        passed += 1
        print(f"[       OK ] {name}")
    else:
        failed += 1
        print(f"[  FAILED  ] {name}: got {got!r}, expected {want!r}")


# Co = (1, 2, 4), Cp = (2, 2, 1):
#   mean Co = 7/3, mean Cp = 5/3; FB = (2/3)/(0.5*4) = 1/3
#   NMSE = ((1 + 0 + 9)/3) / (35/9) = (10/3)*(9/35) = 6/7
#   ln Co = (0, ln2, 2ln2), ln Cp = (ln2, ln2, 0): mean diff = (−ln2 + 0 + 2ln2)/3 = ln2/3
#   MG = 2^(1/3); VG = exp((ln2^2 + 0 + 4 ln2^2)/3) = exp(5 ln2^2 / 3)
#   FAC2: 2/1 = 2 in, 2/2 in, 1/4 out -> 2/3;  NAD = ((1+0+3)/3)/(4) = 1/3
s = stats([1.0, 2.0, 4.0], [2.0, 2.0, 1.0])
check("FB", s["FB"], 1.0 / 3.0)
check("NMSE", s["NMSE"], 6.0 / 7.0)
check("MG", s["MG"], 2.0 ** (1.0 / 3.0))
check("VG", s["VG"], math.exp(5.0 * math.log(2.0) ** 2 / 3.0))
check("FAC2", s["FAC2"], 2.0 / 3.0)
check("NAD", s["NAD"], 1.0 / 3.0)
# A perfect model: FB = NMSE = NAD = 0, MG = VG = FAC2 = 1.
p = stats([0.3, 5.0, 7.0], [0.3, 5.0, 7.0])
check("perfect", abs(p["FB"]) + p["NMSE"] + p["NAD"] + abs(p["MG"] - 1) + abs(p["VG"] - 1) + abs(p["FAC2"] - 1), 0.0)
# The floor: a prediction of 0 is raised to it for MG and VG only.
f = stats([1.0], [0.0], floor=0.1)
check("floor MG", f["MG"], 10.0)
check("floor FAC2", f["FAC2"], 0.0)
# Chang & Hanna's bound NMSE >= 4 FB^2 / (4 - FB^2), equal with no scatter:
b = stats([2.0, 2.0], [1.0, 1.0])
check("NMSE bound", b["NMSE"], 4 * b["FB"] ** 2 / (4 - b["FB"] ** 2))

print(f"[  PASSED  ] {passed} test(s).")
if failed:
    print(f"[  FAILED  ] {failed} test(s).")
sys.exit(1 if failed else 0)
