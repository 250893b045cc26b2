/* no2.c — the ozone-limiting method (see no2.h). */
#include "physics/no2.h"

void lt_no2_olm(double nox, double no2_is, double o3, int full, double *no2, double *o3_left)
{
    nox = nox > 0.0 ? nox : 0.0;
    o3 = o3 > 0.0 ? o3 : 0.0;
    if (full) {
        *no2 = nox;
        *o3_left = o3;
        return;
    }
    no2_is = no2_is < 0.0 ? 0.0 : no2_is > nox ? nox : no2_is;
    double no = nox - no2_is, avail = (LT_MW_NO2 / LT_MW_O3) * o3; /* NO2 the ozone can make */
    double made = no < avail ? no : avail;
    *no2 = no2_is + made;
    double left = o3 - (LT_MW_O3 / LT_MW_NO2) * made;
    *o3_left = left > 0.0 ? left : 0.0;
}
