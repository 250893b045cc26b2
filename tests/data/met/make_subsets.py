#!/usr/bin/python3
"""make_subsets.py SHARED_MET_DIR: the real weather files the tests read, made
from the originals in ../shared/data/met (whose README gives where each comes
from) and written next to this script.

- pvlib_era5_testfile.nc, neobyte_era5.nc: copied unchanged (178 KB, 53 KB).
- salem_wrf_d01_allvars_subset.nc: the real cropped wrfout with only the
  variables lantian reads (U10 V10 T2 PBLH UST HFX RAINC RAINNC Q2 PSFC
  SWDOWN XLAT XLONG COSALPHA SINALPHA Times), every value, dimension, layout
  (2-D XLAT, XLONG, COSALPHA, SINALPHA), attribute and global attribute as in
  the original (986 KB, its 3-D fields dropped).
- salem_wrf_d01_aloft_subset.nc: the same variables plus U, V, PH, PHB and HGT
  (the 3-D winds on the 27 mass levels and the geopotential), for the winds
  aloft.
- salem_wrf_d01_norot_subset.nc: the same without COSALPHA and SINALPHA,
  for comparing the rotation lantian computes from the projection with WRF's.
- salem_wrf_cropped_subset.nc: the real wrfout without winds, with T2, XLAT,
  XLONG (3-D, with Time) and Times only (811 KB originally).

Run: /usr/bin/python3 tests/data/met/make_subsets.py ../shared/data/met
"""
import hashlib
import os
import shutil
import sys

import netCDF4

KEEP_ALLVARS = ["U10", "V10", "T2", "PBLH", "UST", "HFX", "RAINC", "RAINNC", "Q2", "PSFC", "SWDOWN",
                "XLAT", "XLONG", "COSALPHA", "SINALPHA", "Times"]
KEEP_NOWIND = ["T2", "XLAT", "XLONG", "Times"]


def subset(src, dst, keep):
    a = netCDF4.Dataset(src)
    b = netCDF4.Dataset(dst, "w", format=a.data_model)
    b.setncatts({k: a.getncattr(k) for k in a.ncattrs()})
    used = {d for v in keep for d in a[v].dimensions}
    for name, dim in a.dimensions.items():
        if name in used:
            b.createDimension(name, None if dim.isunlimited() else len(dim))
    for v in keep:
        x = a[v]
        x.set_auto_maskandscale(False)
        y = b.createVariable(v, x.dtype, x.dimensions)
        y.setncatts({k: x.getncattr(k) for k in x.ncattrs()})
        y[:] = x[:]
    b.close()
    a.close()


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    src, here = sys.argv[1], os.path.dirname(os.path.abspath(__file__))
    for f in ["era5/pvlib_era5_testfile.nc", "era5/neobyte_era5.nc"]:
        shutil.copyfile(os.path.join(src, f), os.path.join(here, os.path.basename(f)))
    subset(os.path.join(src, "wrf/salem_wrf_d01_allvars_cropped.nc"),
           os.path.join(here, "salem_wrf_d01_allvars_subset.nc"), KEEP_ALLVARS)
    subset(os.path.join(src, "wrf/salem_wrf_d01_allvars_cropped.nc"),
           os.path.join(here, "salem_wrf_d01_aloft_subset.nc"), KEEP_ALLVARS + ["U", "V", "PH", "PHB", "HGT"])
    subset(os.path.join(src, "wrf/salem_wrf_d01_allvars_cropped.nc"),
           os.path.join(here, "salem_wrf_d01_norot_subset.nc"), [v for v in KEEP_ALLVARS if "ALPHA" not in v])
    subset(os.path.join(src, "wrf/salem_wrf_cropped.nc"), os.path.join(here, "salem_wrf_cropped_subset.nc"),
           KEEP_NOWIND)
    for f in sorted(os.listdir(here)):
        if f.endswith(".nc"):
            h = hashlib.sha256(open(os.path.join(here, f), "rb").read()).hexdigest()[:16]
            print(f"{f}  {os.path.getsize(os.path.join(here, f))} bytes  sha256 {h}...")
    return 0


if __name__ == "__main__":
    sys.exit(main())
