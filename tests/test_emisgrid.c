/* test_emisgrid.c — gridded inventories: polygon clipping, conservative
 * regridding (mass kept to 1e-9), the MEIC layout (north-first rows, t per
 * month, VOC in moles) and the CF layout (fluxes and per-cell rates), the
 * vertical fractions, and bad files. */
#include "lt_test.h"

#include <netcdf.h>
#include <string.h>
#include <unistd.h>

#include "io/config.h"
#include "io/domain.h"
#include "io/emisgrid.h"
#include "fixture.h"

static void clip_area_of_squares(void **state)
{
    (void)state;
    const double sq[8] = {0, 0, 2, 0, 2, 2, 0, 2};
    assert_rel(lt_clip_area(sq, 4, 0, 2, 0, 2), 4.0, 1e-15);
    assert_rel(lt_clip_area(sq, 4, 1, 3, 0, 2), 2.0, 1e-15);
    assert_rel(lt_clip_area(sq, 4, 1, 3, 1, 3), 1.0, 1e-15);
    assert_true(lt_clip_area(sq, 4, 3, 4, 0, 2) == 0.0);
    /* a diamond inside a unit window: half of the window */
    const double dia[8] = {0.5, 0, 1, 0.5, 0.5, 1, 0, 0.5};
    assert_rel(lt_clip_area(dia, 4, 0, 1, 0, 1), 0.5, 1e-15);
    assert_rel(lt_clip_area(dia, 4, 0, 0.5, 0, 1), 0.25, 1e-15);
}

/* A 0.25 degree cell wholly inside a 1 km grid: every fraction found, sum 1. */
static void rectangle_fractions_sum_to_one(void **state)
{
    (void)state;
    lt_error err;
    lt_domain *d;
    assert_int_equal(lt_domain_create(&d, 108.4, 34.8, 80, 80, 1000.0, &err), 0);
    int cell[4096];
    double frac[4096], inside;
    int m = lt_regrid_rectangle(d, 108.25, 108.5, 34.75, 35.0, cell, frac, 4096, &inside);
    assert_true(m > 500);
    assert_rel(inside, 1.0, 1e-9);
    /* half outside the grid's west edge (the grid spans about +-40 km) */
    m = lt_regrid_rectangle(d, 107.85, 108.1, 34.7, 34.95, cell, frac, 4096, &inside);
    assert_true(m > 0 && inside > 0.05 && inside < 0.95);
    lt_domain_free(&d);
}

/* Writes a MEIC-style GMT-grd file: nxm x nym cells of 0.25 degree from
 * (lon0, lat0), z[r][c] with r from the north; one non-zero value per cell
 * given by value(r, c). */
static void write_meic(const char *path, double lon0, double lat0, int nxm, int nym,
                       double (*value)(int r, int c))
{
    int nc, dsd, dxy, v;
    nc_create(path, NC_NETCDF4 | NC_CLOBBER, &nc);
    nc_def_dim(nc, "side", 2, &dsd);
    nc_def_dim(nc, "xysize", (size_t)nxm * nym, &dxy);
    int vx, vy, vs, vdim;
    nc_def_var(nc, "x_range", NC_DOUBLE, 1, &dsd, &vx);
    nc_def_var(nc, "y_range", NC_DOUBLE, 1, &dsd, &vy);
    nc_def_var(nc, "spacing", NC_DOUBLE, 1, &dsd, &vs);
    nc_def_var(nc, "dimension", NC_INT, 1, &dsd, &vdim);
    nc_def_var(nc, "z", NC_FLOAT, 1, &dxy, &v);
    float nod = -9999.0f;
    nc_put_att_float(nc, v, "nodata_value", NC_FLOAT, 1, &nod);
    nc_enddef(nc);
    double xr[2] = {lon0, lon0 + 0.25 * nxm}, yr[2] = {lat0, lat0 + 0.25 * nym}, sp[2] = {0.25, 0.25};
    int dm[2] = {nxm, nym};
    nc_put_var_double(nc, vx, xr);
    nc_put_var_double(nc, vy, yr);
    nc_put_var_double(nc, vs, sp);
    nc_put_var_int(nc, vdim, dm);
    float *z = malloc((size_t)nxm * nym * sizeof *z);
    for (int r = 0; r < nym; r++)
        for (int c = 0; c < nxm; c++)
            z[r * nxm + c] = (float)value(r, c);
    nc_put_var_float(nc, v, z);
    free(z);
    nc_close(nc);
}

static double meic_pm(int r, int c) { return 10.0 + r + 0.5 * c; }   /* t per cell per month */
static double meic_north(int r, int c) { return r == 0 && c == 1 ? 31.0 : (r == 1 ? -9999.0 : 0.0); }
static double meic_voc(int r, int c) { return (double)(r == 2 && c == 2); } /* 1e6 mol */

/* A config for a 60 x 60 km grid at 2 km around 108.4 E, 34.8 N. */
static int load_cfg(lt_config *cfg, const char *dir, const char *const *extra, int nextra, lt_error *err)
{
    char path[600];
    write_config(dir, NULL);
    snprintf(path, sizeof path, "%s/case.ini", dir);
    const char *sets[16] = {"domain.nx=30", "domain.ny=30", "domain.dx_m=2000"};
    int n = 3;
    for (int i = 0; i < nextra; i++)
        sets[n++] = extra[i];
    return lt_config_load(cfg, path, sets, n, err);
}

/* Loads the config with extra overrides, a 60 x 60 km grid at 2 km and the
 * gridded inventory, asserting that all three succeed. */
static void load_grid(const char *dir, const char *const *extra, int nextra, lt_config *cfg,
                      lt_domain **d, lt_emisgrid *g)
{
    lt_error err;
    lt_error_clear(&err);
    assert_int_equal(load_cfg(cfg, dir, extra, nextra, &err), 0);
    assert_int_equal(lt_domain_create(d, 108.4, 34.8, 30, 30, 2000.0, &err), 0);
    int rc = lt_emisgrid_load(g, cfg, *d, cfg->start_s, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
}

static double map_sum(const lt_emisgrid *g, int k, int sp)
{
    double s = 0.0;
    for (int l = 0; l < g->nheights; l++)
        if (g->emis[k][l][sp])
            for (int i = 0; i < g->nx * g->ny; i++)
                s += g->emis[k][l][sp][i];
    return s;
}

static void meic_layout_conserves_mass(void **state)
{
    (void)state;
    char *dir = make_case();
    char path[700];
    /* an inventory wholly inside the 60 km grid: 0.5 x 0.5 degree at the centre */
    snprintf(path, sizeof path, "%s/2017_01__industry__PM25.nc", dir);
    write_meic(path, 108.15, 34.55, 2, 2, meic_pm);
    snprintf(path, sizeof path, "%s/2017_01__industry__SO2.nc", dir);
    write_meic(path, 108.15, 34.55, 2, 2, meic_pm);
    snprintf(path, sizeof path, "%s/2017_01__industry__TOL.nc", dir);
    write_meic(path, 108.15, 34.55, 2, 2, meic_pm);
    char pset[700];
    snprintf(pset, sizeof pset, "gridded.path=%s", dir);
    const char *extra[] = {"gridded.layout=meic", pset, "gridded.sectors=industry:industry",
                           "gridded.species=PM25:pm25, SO2:so2, TOL:voc:92.14"};
    lt_config cfg;
    lt_error err;
    lt_domain *d;
    lt_emisgrid g;
    load_grid(dir, extra, 4, &cfg, &d, &g);
    int k = lt_config_sector_index(&cfg, "industry");
    /* t per month in January -> ug/s */
    double t_month = 0;
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 2; c++)
            t_month += meic_pm(r, c);
    double want = t_month * 1e12 / (31 * 86400.0);
    assert_rel(map_sum(&g, k, LT_EG_PM25), want, 1e-9);
    assert_rel(g.total_kept_kgs[LT_EG_PM25], g.total_read_kgs[LT_EG_PM25], 1e-9);
    /* VOC: 1e6 mol x 92.14 g/mol */
    assert_rel(map_sum(&g, k, LT_EG_VOC), t_month * 1e6 * 92.14 * 1e6 / (31 * 86400.0), 1e-9);
    /* industry's default fractions: 0.602 at 10 m, 0.398 at 50 m */
    assert_int_equal(g.nheights, 2);
    double s10 = 0, s50 = 0;
    for (int i = 0; i < 900; i++) {
        s10 += g.emis[k][0][LT_EG_PM25][i];
        s50 += g.emis[k][1][LT_EG_PM25][i];
    }
    assert_rel(s10 / want, g.height_m[0] == 10.0 ? 0.602 : 0.398, 1e-9);
    assert_rel(s10 + s50, want, 1e-9);
    lt_emisgrid_free(&g);
    /* north-first rows: a single value in row 0 lands in the northern cell */
    snprintf(path, sizeof path, "%s/2017_01__industry__PM25.nc", dir);
    write_meic(path, 108.15, 34.55, 4, 2, meic_north);
    const char *extra2[] = {"gridded.layout=meic", pset, "gridded.sectors=industry:industry",
                            "gridded.species=PM25:pm25"};
    lt_config_free(&cfg);
    assert_int_equal(load_cfg(&cfg, dir, extra2, 4, &err), 0);
    assert_int_equal(lt_emisgrid_load(&g, &cfg, d, cfg.start_s, &err), 0);
    /* row 0 spans 34.80-35.05 N (north of the grid's centre), column 1
     * 108.40-108.65 E; read south-first it would lie at 34.55-34.80 N */
    double north = 0, south = 0;
    for (int j = 0; j < 30; j++)
        for (int i = 0; i < 30; i++) {
            double v = g.emis[k][0][LT_EG_PM25][j * 30 + i] + g.emis[k][1][LT_EG_PM25][j * 30 + i];
            if (lt_domain_y(d, j) > 0.0)
                north += v;
            else
                south += v;
        }
    assert_true(north > 0 && south == 0.0);
    assert_rel(north, 31.0 * 1e12 / (31 * 86400.0), 1e-9);
    lt_emisgrid_free(&g);
    lt_domain_free(&d);
    lt_config_free(&cfg);
    remove_case(dir);
}

/* CF layout: a flux in kg m-2 s-1 and a rate in t year-1 per cell. */
static void cf_layout_units(void **state)
{
    (void)state;
    char *dir = make_case();
    char path[700];
    snprintf(path, sizeof path, "%s/emis.nc", dir);
    int nc, dlat, dlon, vlat, vlon, v1, v2;
    nc_create(path, NC_NETCDF4 | NC_CLOBBER, &nc);
    nc_def_dim(nc, "lat", 4, &dlat);
    nc_def_dim(nc, "lon", 5, &dlon);
    nc_def_var(nc, "lat", NC_DOUBLE, 1, &dlat, &vlat);
    nc_def_var(nc, "lon", NC_DOUBLE, 1, &dlon, &vlon);
    int dims[2] = {dlat, dlon};
    nc_def_var(nc, "pm25_residential", NC_DOUBLE, 2, dims, &v1);
    nc_put_att_text(nc, v1, "units", 10, "kg m-2 s-1");
    nc_def_var(nc, "nh3_agriculture", NC_DOUBLE, 2, dims, &v2);
    nc_put_att_text(nc, v2, "units", 6, "t/year");
    nc_enddef(nc);
    double lat[4] = {34.65, 34.75, 34.85, 34.95}, lon[5] = {108.2, 108.3, 108.4, 108.5, 108.6};
    nc_put_var_double(nc, vlat, lat);
    nc_put_var_double(nc, vlon, lon);
    double flux[20], rate[20];
    for (int i = 0; i < 20; i++) {
        flux[i] = 1e-9;
        rate[i] = i;
    }
    nc_put_var_double(nc, v1, flux);
    nc_put_var_double(nc, v2, rate);
    nc_close(nc);
    char pset[800];
    snprintf(pset, sizeof pset, "gridded.path=%s", path);
    const char *extra[] = {"gridded.layout=cf", pset,
                           "gridded.sectors=residential:coal, agriculture:agriculture",
                           "gridded.species=pm25:pm25, nh3:nh3"};
    lt_config cfg;
    lt_domain *d;
    lt_emisgrid g;
    load_grid(dir, extra, 4, &cfg, &d, &g);
    /* the flux over the 0.5 x 0.4 degree area on the authalic sphere */
    const double r = 6371007.2, d2r = 3.14159265358979323846 / 180.0;
    double area = r * r * 0.5 * d2r * (sin(35.0 * d2r) - sin(34.6 * d2r));
    assert_rel(g.total_read_kgs[LT_EG_PM25], 1e-9 * area, 1e-12);
    /* udunits' year is the tropical year, 365.242198781 days */
    assert_rel(g.total_read_kgs[LT_EG_NH3], 190.0 * 1000.0 / (365.242198781 * 86400.0), 1e-9);
    /* the grid (60 x 60 km) holds part of it; what it holds is on the maps */
    /* the inventory lies inside the 60 x 60 km grid: all of it is kept */
    assert_rel(g.total_kept_kgs[LT_EG_PM25], g.total_read_kgs[LT_EG_PM25], 1e-9);
    int kc = lt_config_sector_index(&cfg, "coal"), ka = lt_config_sector_index(&cfg, "agriculture");
    assert_rel(map_sum(&g, kc, LT_EG_PM25) * 1e-9, g.total_kept_kgs[LT_EG_PM25], 1e-9);
    assert_rel(map_sum(&g, ka, LT_EG_NH3) * 1e-9, g.total_kept_kgs[LT_EG_NH3], 1e-9);
    lt_emisgrid_free(&g);
    lt_domain_free(&d);
    lt_config_free(&cfg);
    remove_case(dir);
}

/* Bad inventories: one clear error naming the file and what was expected. */
static void bad_inventories(void **state)
{
    (void)state;
    char *dir = make_case();
    char path[700], pset[800];
    snprintf(path, sizeof path, "%s/2017_01__industry__PM25.nc", dir);
    write_meic(path, 108.15, 34.55, 2, 2, meic_pm);
    snprintf(pset, sizeof pset, "gridded.path=%s", dir);
    struct {
        const char *sectors, *species, *want;
    } cases[] = {
        {"industry:steel", "PM25:pm25", "not in [sources] sectors"},
        {"industry:industry", "PM25:pm10", "expected pm25, so2, nox, nh3 or voc"},
        {"industry:industry", "PM25:voc", "expected its molar mass"},
        {"industry:industry", "SO2:so2", "2017_01__industry__SO2.nc"},
        {"industry", "PM25:pm25", "expected NAME_IN_FILE:LANTIAN_NAME"},
    };
    lt_domain *d;
    lt_error err;
    assert_int_equal(lt_domain_create(&d, 108.4, 34.8, 30, 30, 2000.0, &err), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char s1[200], s2[200];
        snprintf(s1, sizeof s1, "gridded.sectors=%s", cases[i].sectors);
        snprintf(s2, sizeof s2, "gridded.species=%s", cases[i].species);
        const char *extra[] = {"gridded.layout=meic", pset, s1, s2};
        lt_config cfg;
        lt_error_clear(&err);
        assert_int_equal(load_cfg(&cfg, dir, extra, 4, &err), 0);
        lt_emisgrid g;
        assert_int_not_equal(lt_emisgrid_load(&g, &cfg, d, cfg.start_s, &err), 0);
        if (!strstr(err.msg, cases[i].want))
            print_error("case %zu: '%s' lacks '%s'\n", i, err.msg, cases[i].want);
        assert_non_null(strstr(err.msg, cases[i].want));
        lt_config_free(&cfg);
    }
    /* a negative emission and a range that disagrees with the dimension */
    write_meic(path, 108.15, 34.55, 2, 2, meic_voc);
    int nc, v;
    nc_open(path, NC_WRITE, &nc);
    nc_inq_varid(nc, "z", &v);
    size_t i0 = 1;
    float neg = -1.0f;
    nc_put_var1_float(nc, v, &i0, &neg);
    nc_close(nc);
    const char *extra[] = {"gridded.layout=meic", pset, "gridded.sectors=industry:industry",
                           "gridded.species=PM25:pm25"};
    lt_config cfg;
    lt_error_clear(&err);
    assert_int_equal(load_cfg(&cfg, dir, extra, 4, &err), 0);
    lt_emisgrid g;
    assert_int_not_equal(lt_emisgrid_load(&g, &cfg, d, cfg.start_s, &err), 0);
    assert_non_null(strstr(err.msg, "z[1]"));
    assert_non_null(strstr(err.msg, "expected a non-negative emission"));
    nc_open(path, NC_WRITE, &nc);
    nc_inq_varid(nc, "dimension", &v);
    int bad[2] = {3, 2};
    nc_put_var_int(nc, v, bad);
    nc_close(nc);
    lt_error_clear(&err);
    assert_int_not_equal(lt_emisgrid_load(&g, &cfg, d, cfg.start_s, &err), 0);
    assert_non_null(strstr(err.msg, "expected range = dimension x spacing"));
    lt_config_free(&cfg);
    lt_domain_free(&d);
    remove_case(dir);
}

/* CF layout and vertical-fraction files with faults. */
static void bad_cf_and_vertical(void **state)
{
    (void)state;
    char *dir = make_case();
    char path[700], vpath[700], pset[800], vset[800];
    snprintf(path, sizeof path, "%s/emis.nc", dir);
    int nc, dlat, dlon, vlat, vlon, v1;
    nc_create(path, NC_NETCDF4 | NC_CLOBBER, &nc);
    nc_def_dim(nc, "lat", 2, &dlat);
    nc_def_dim(nc, "lon", 2, &dlon);
    nc_def_var(nc, "lat", NC_DOUBLE, 1, &dlat, &vlat);
    nc_def_var(nc, "lon", NC_DOUBLE, 1, &dlon, &vlon);
    int dims[2] = {dlat, dlon};
    nc_def_var(nc, "pm25_industry", NC_DOUBLE, 2, dims, &v1);
    nc_put_att_text(nc, v1, "units", 2, "kg");
    nc_enddef(nc);
    double lat[2] = {34.75, 34.85}, lon[2] = {108.35, 108.45}, val[4] = {1, 1, 1, 1};
    nc_put_var_double(nc, vlat, lat);
    nc_put_var_double(nc, vlon, lon);
    nc_put_var_double(nc, v1, val);
    nc_close(nc);
    snprintf(pset, sizeof pset, "gridded.path=%s", path);
    const char *extra[] = {"gridded.layout=cf", pset, "gridded.sectors=industry:industry", "gridded.species=pm25:pm25"};
    lt_config cfg;
    lt_error err;
    lt_domain *d;
    lt_emisgrid g;
    assert_int_equal(lt_domain_create(&d, 108.4, 34.8, 30, 30, 2000.0, &err), 0);
    lt_error_clear(&err);
    assert_int_equal(load_cfg(&cfg, dir, extra, 4, &err), 0);
    assert_int_not_equal(lt_emisgrid_load(&g, &cfg, d, cfg.start_s, &err), 0);
    assert_non_null(strstr(err.msg, "emis.nc: variable 'pm25_industry' units 'kg'"));
    lt_config_free(&cfg);
    /* fractions that do not add up to 1 */
    nc_open(path, NC_WRITE, &nc);
    nc_inq_varid(nc, "pm25_industry", &v1);
    nc_redef(nc);
    nc_put_att_text(nc, v1, "units", 10, "kg m-2 s-1");
    nc_enddef(nc);
    nc_close(nc);
    snprintf(vpath, sizeof vpath, "%s/vertical.csv", dir);
    write_text(vpath, "sector,height_m,fraction\nindustry,10,0.5\nindustry,50,0.4\n");
    snprintf(vset, sizeof vset, "gridded.vertical=%s", vpath);
    const char *extra2[] = {"gridded.layout=cf", pset, "gridded.sectors=industry:industry",
                            "gridded.species=pm25:pm25", vset};
    lt_error_clear(&err);
    assert_int_equal(load_cfg(&cfg, dir, extra2, 5, &err), 0);
    assert_int_not_equal(lt_emisgrid_load(&g, &cfg, d, cfg.start_s, &err), 0);
    assert_non_null(strstr(err.msg, "vertical.csv: the fractions of sector 'industry' add up to 0.9"));
    lt_config_free(&cfg);
    /* a sector the map does not know */
    write_text(vpath, "sector,height_m,fraction\npower,10,1\n");
    lt_error_clear(&err);
    assert_int_equal(load_cfg(&cfg, dir, extra2, 5, &err), 0);
    assert_int_not_equal(lt_emisgrid_load(&g, &cfg, d, cfg.start_s, &err), 0);
    assert_non_null(strstr(err.msg, "vertical.csv:2: column 'sector' = 'power'"));
    lt_config_free(&cfg);
    lt_domain_free(&d);
    remove_case(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clip_area_of_squares),
        cmocka_unit_test(rectangle_fractions_sum_to_one),
        cmocka_unit_test(meic_layout_conserves_mass),
        cmocka_unit_test(cf_layout_units),
        cmocka_unit_test(bad_inventories),
        cmocka_unit_test(bad_cf_and_vertical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
