/* stability.c — Pasquill–Gifford class from the Obukhov length (Golder 1972)
 * and the power-law wind profile of ISC3.
 *
 * Golder, D. (1972) Relations among stability parameters in the surface layer.
 * Boundary-Layer Meteorology 3, 47–58. The straight-line fit of his nomogram,
 * 1/L = a + b log10 z0, is Seinfeld & Pandis (2006) eq. 16.83 and table 16.4.
 *
 * Wind exponents: U.S. EPA (1995) User's guide for the Industrial Source
 * Complex (ISC3) dispersion models, Vol. II, EPA-454/B-95-003b, §1.1.3. */
#include "physics/stability.h"
#include "physics/surface.h"

#include <math.h>
#include <time.h>

static const double golder_a[LT_PG_NCLASS] = {-0.096, -0.037, -0.002, 0.0, 0.004, 0.035};
static const double golder_b[LT_PG_NCLASS] = {0.029, 0.029, 0.018, 0.0, -0.018, -0.036};

static const double p_rural[LT_PG_NCLASS] = {0.07, 0.07, 0.10, 0.15, 0.35, 0.55};
static const double p_urban[LT_PG_NCLASS] = {0.15, 0.15, 0.20, 0.25, 0.30, 0.30};

static double clamp_z0(double z0_m)
{
    if (!(z0_m >= LT_GOLDER_Z0_MIN_M))
        return LT_GOLDER_Z0_MIN_M;
    if (z0_m > LT_GOLDER_Z0_MAX_M)
        return LT_GOLDER_Z0_MAX_M;
    return z0_m;
}

double lt_golder_rmol(lt_pg_class cls, double z0_m)
{
    return golder_a[cls] + golder_b[cls] * log10(clamp_z0(z0_m));
}

lt_pg_class lt_stability_golder(double rmol_m1, double z0_m)
{
    /* The lines are ordered A < B < ... < F in 1/L for every z0 in range, so
     * the first class whose upper boundary lies above rmol is the answer. */
    for (int k = LT_PG_A; k < LT_PG_F; k++) {
        double upper = 0.5 * (lt_golder_rmol((lt_pg_class)k, z0_m) +
                              lt_golder_rmol((lt_pg_class)(k + 1), z0_m));
        if (rmol_m1 < upper)
            return (lt_pg_class)k;
    }
    return LT_PG_F;
}

char lt_pg_letter(lt_pg_class cls)
{
    return (char)('A' + (int)cls);
}

double lt_wind_exponent(lt_pg_class cls, int urban)
{
    return urban ? p_urban[cls] : p_rural[cls];
}

double lt_wind_at_height(double u_ref_ms, double zref_m, double z_m, lt_pg_class cls, int urban)
{
    if (z_m <= zref_m)
        return u_ref_ms;
    return u_ref_ms * pow(z_m / zref_m, lt_wind_exponent(cls, urban));
}

double lt_stack_wind(int profile, double u_ref, double zref, double z, lt_pg_class cls, int urban, double z0,
                     double rmol, double zi)
{
    if (!profile)
        return lt_wind_at_height(u_ref, zref, z, cls, urban);
    double zmin = 7.0 * z0, zr = zref;
    double zt = z > zmin ? z : zmin;
    if (zi > zr && zt > zi)
        zt = zi;
    return u_ref * lt_wind_ratio(zt, zr, z0, isfinite(rmol) ? rmol : lt_golder_rmol(cls, z0));
}

/* Turner's key: stability class 1-7 by wind speed row and net radiation index
 * 4 .. -2 (EPA-454/R-99-005 table 6-4; wind in knots, row upper bounds). */
static const double turner_kt[9] = {1.5, 3.5, 5.5, 6.5, 7.5, 9.5, 10.5, 11.5, 1e9};
static const int turner_key[9][7] = {
    {1, 1, 2, 3, 4, 6, 7}, {1, 2, 2, 3, 4, 6, 7}, {1, 2, 3, 4, 4, 5, 6},
    {2, 2, 3, 4, 4, 5, 6}, {2, 2, 3, 4, 4, 4, 5}, {2, 3, 3, 4, 4, 4, 5},
    {3, 3, 4, 4, 4, 4, 5}, {3, 3, 4, 4, 4, 4, 4}, {3, 4, 4, 4, 4, 4, 4},
};

double lt_solar_altitude(double lon, double lat, double t_s)
{
    const double d2r = 3.14159265358979323846 / 180.0;
    double days = t_s / 86400.0;
    double frac = days - floor(days);                    /* UTC fraction of the day */
    /* day of the year, from 1 January of the year holding t_s */
    time_t t = (time_t)floor(t_s);
    struct tm tm;
    gmtime_r(&t, &tm);
    double n = tm.tm_yday + 1;
    double gamma = 2.0 * 3.14159265358979323846 / 365.0 * (n - 1 + frac - 0.5);
    double eot_min = 229.18 * (0.000075 + 0.001868 * cos(gamma) - 0.032077 * sin(gamma) -
                               0.014615 * cos(2 * gamma) - 0.040849 * sin(2 * gamma));
    double decl = 23.45 * sin(d2r * 360.0 / 365.0 * (284.0 + n));
    double solar_min = frac * 1440.0 + 4.0 * lon + eot_min;  /* true solar time, minutes */
    double hour_angle = (solar_min / 4.0 - 180.0) * d2r;
    double s = sin(lat * d2r) * sin(decl * d2r) + cos(lat * d2r) * cos(decl * d2r) * cos(hour_angle);
    return asin(s > 1 ? 1 : (s < -1 ? -1 : s)) / d2r;
}

int lt_turner_nri(double lon, double lat, double t_s, double cloud)
{
    if (cloud >= 0.95)
        return 0;
    if (lt_solar_altitude(lon, lat, t_s - 3600.0) <= 0.0 ||
        lt_solar_altitude(lon, lat, t_s + 3600.0) <= 0.0)
        return cloud <= 0.4 ? -2 : -1;
    double alt = lt_solar_altitude(lon, lat, t_s);
    int ic = alt > 60.0 ? 4 : (alt > 35.0 ? 3 : (alt > 15.0 ? 2 : 1));
    if (cloud > 0.5)
        ic -= 1;
    return ic < 1 ? 1 : ic;
}

lt_pg_class lt_stability_turner(double u10_ms, int nri)
{
    double kt = u10_ms / 0.514444;
    int row = 0;
    while (kt > turner_kt[row])
        row++;
    int col = 4 - nri; /* nri 4 .. -2 -> column 0 .. 6 */
    if (col < 0)
        col = 0;
    if (col > 6)
        col = 6;
    int cls = turner_key[row][col];
    return (lt_pg_class)((cls > 6 ? 6 : cls) - 1);
}
