/* stability.h — Pasquill–Gifford stability class and the wind at stack height. */
#ifndef LT_STABILITY_H
#define LT_STABILITY_H

/* Pasquill–Gifford classes A (very unstable) .. F (moderately stable). */
typedef enum { LT_PG_A = 0, LT_PG_B, LT_PG_C, LT_PG_D, LT_PG_E, LT_PG_F, LT_PG_NCLASS } lt_pg_class;

/* The range of roughness lengths over which Golder's (1972) nomogram is used;
 * z0 outside it is clamped (the fit is not defined beyond). */
#define LT_GOLDER_Z0_MIN_M 0.001
#define LT_GOLDER_Z0_MAX_M 3.0

/* The centre line of class cls in Golder's nomogram: 1/L = a + b log10(z0). */
double lt_golder_rmol(lt_pg_class cls, double z0_m);

/* The class whose Golder line is nearest to rmol (1/L, m-1) at roughness z0_m;
 * boundaries lie half-way between neighbouring lines. */
lt_pg_class lt_stability_golder(double rmol_m1, double z0_m);

/* Solar altitude (degrees) at lon/lat and time t_s (UTC seconds): declination
 * from Cooper (1969), equation of time from Spencer (1971). */
double lt_solar_altitude(double lon, double lat, double t_s);

/* Turner's (1964) net radiation index: 0 for overcast skies (cloud >= 0.95,
 * taken as a ceiling below 7000 ft), at night (the sun below the horizon an
 * hour before or after t_s) -2 for cloud <= 0.4 and -1 above; by day the
 * insolation class of the solar altitude (> 60: 4, > 35: 3, > 15: 2, else 1),
 * less 1 when cloud > 0.5 (a ceiling of 7000-16000 ft assumed), at least 1.
 * EPA (2000) Meteorological Monitoring Guidance, EPA-454/R-99-005, §6.4.1. */
int lt_turner_nri(double lon, double lat, double t_s, double cloud);

/* Pasquill-Gifford class from the 10 m wind (m/s) and the net radiation index
 * by Turner's key (EPA-454/R-99-005 table 6-4); class G is taken as F. */
lt_pg_class lt_stability_turner(double u10_ms, int nri);

/* 'A'..'F'. */
char lt_pg_letter(lt_pg_class cls);

/* Exponent p of the power-law wind profile u(z) = u10 (z/10)^p (ISC3). */
double lt_wind_exponent(lt_pg_class cls, int urban);

/* Wind at height z_m from the wind u_ref_ms measured at zref_m (10 m for
 * standard met); below zref_m the measured wind is kept (ISC3). */
double lt_wind_at_height(double u_ref_ms, double zref_m, double z_m, lt_pg_class cls, int urban);

/* The wind at release height z_m ([dispersion] stack_wind): with profile 0
 * lt_wind_at_height (ISC3); with profile 1 the similarity profile through
 * the measured wind (lt_wind_ratio, Businger-Dyer; 1/L rmol_m1, or Golder's
 * for the class when it is not finite), below and above the anemometer
 * alike, at least at 7 z0 and held above zi (AERMOD's profile rules, EPA
 * 2004, AERMOD formulation, sec. 3.3), so that a 10 m and a 2 m wind on
 * the same profile give a near-ground release the same wind. */
double lt_stack_wind(int profile, double u_ref_ms, double zref_m, double z_m, lt_pg_class cls, int urban,
                     double z0_m, double rmol_m1, double zi_m);

#endif
