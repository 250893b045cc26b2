/* test_background.c — the [background] file's PM2.5 components and its
 * station column: the reader's rules and errors, the components in the
 * plume's and the grid model's planes, per-station values at the stations,
 * in the grid cells (inverse distance squared) and in the AQI. */
#include "lt_test.h"

#include <string.h>

#include "fixture.h"
#include "io/background.h"
#include "io/domain.h"
#include "run_helpers.h"

#define T0 1483228800.0 /* 2017-01-01T00:00:00Z */

/* Reads text as a background file of 3 hours from T0: the return code, the
 * message in msg. */
static int read_text(const char *text, lt_bgfile *bg, char *msg, size_t n)
{
    char path[] = "/tmp/lantian-test-bg-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_text(path, text);
    lt_error err;
    lt_error_clear(&err);
    int rc = lt_bgfile_read(path, T0, 3, bg, &err);
    snprintf(msg, n, "%s", err.msg);
    remove(path);
    return rc;
}

static void expect_error(const char *text, const char *needle)
{
    lt_bgfile bg;
    char msg[2048];
    int rc = read_text(text, &bg, msg, sizeof msg);
    if (rc == 0 || !strstr(msg, needle))
        print_error("expected an error with '%s', got rc %d: %s\n", needle, rc, msg);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(msg, needle));
    assert_null(bg.v); /* nothing kept */
}

#define COMP_HDR "time,station,pm25,no2,so4,no3,nh4,om,ec,other\n"

static void reader_rules(void **state)
{
    (void)state;
    lt_bgfile bg;
    char msg[2048];
    /* two stations, three hours each, rows in any order */
    const char *ok = COMP_HDR
        "2017-01-01T00:00:00Z,S1,40,20,8,10,6,10,2,4\n"
        "2017-01-01T00:00:00Z,S2,60,80,12,15,9,15,3,6\n"
        "2017-01-01T01:00:00Z,S2,60,80,12,15,9,15,3,6\n"
        "2017-01-01T01:00:00Z,S1,40,,8,10,6,10,2,4\n"
        "2017-01-01T02:00:00Z,S1,1.0,20,0.2,0.2,0.2,0.2,0.2,0.04\n"
        "2017-01-01T02:00:00Z,S2,60,80,12,15,9,15,3,6\n"
        "2017-01-01T03:00:00Z,S9,60,80,12,15,9,15,3,6\n"; /* outside the run's hours: ignored */
    int rc = read_text(ok, &bg, msg, sizeof msg);
    if (rc)
        print_error("%s\n", msg);
    assert_int_equal(rc, 0);
    assert_true(bg.by_station);
    assert_true(bg.components);
    assert_int_equal(bg.nsites, 2); /* S9 only outside the run */
    assert_string_equal(bg.site[0], "S1");
    assert_string_equal(bg.site[1], "S2");
    assert_rel(lt_bgfile_series(&bg, LT_BG_NCOL + LT_BGC_NO3, 1)[1], 15.0, 0.0);
    assert_rel(lt_bgfile_series(&bg, 0, 0)[2], 1.0, 0.0); /* sum 1.04: within 0.05 ug/m3 */
    assert_true(isnan(lt_bgfile_series(&bg, 3, 0)[1]));  /* NO2 missing that hour */
    assert_true(isnan(lt_bgfile_series(&bg, 1, 0)[0]));  /* PM10 absent */
    lt_bgfile_free(&bg);
    lt_bgfile_free(&bg); /* twice is harmless */
    /* the old two-column layout */
    assert_int_equal(read_text("time,pm25_ugm3\n2017-01-01T00:00:00Z,5\n2017-01-01T01:00:00Z,6\n"
                               "2017-01-01T02:00:00Z,7\n", &bg, msg, sizeof msg), 0);
    assert_false(bg.by_station);
    assert_false(bg.components);
    assert_int_equal(bg.nsites, 1);
    assert_rel(lt_bgfile_series(&bg, 0, 0)[2], 7.0, 0.0);
    lt_bgfile_free(&bg);
    /* the errors: each names the file's line, the column or the value */
    expect_error("time,pm25,so4,no3\n2017-01-01T00:00:00Z,4,1,1\n", "components given without 'nh4'");
    expect_error("time,pm25,so4,no3,nh4,om,ec,other\n2017-01-01T00:00:00Z,40,8,10,6,10,2,3\n",
                 ":2: so4 + no3 + nh4 + om + ec + other = 39 but pm25 = 40");
    expect_error("time,pm25,so4,no3,nh4,om,ec,other\n2017-01-01T00:00:00Z,40,8,10,6,,2,4\n",
                 ":2: column 'om' = '': expected a concentration in ug/m3 from 0 to 5000");
    expect_error("time,station,pm25\n2017-01-01T00:00:00Z,S1,4\n2017-01-01T01:00:00Z,S1,4\n"
                 "2017-01-01T02:00:00Z,S1,4\n2017-01-01T00:00:00Z,S2,4\n2017-01-01T01:00:00Z,S2,4\n",
                 "no row for 2017-01-01T02:00:00Z (hour 2 of the run) at station S2");
    expect_error("time,station,pm25\n2017-01-01T00:00:00Z,S1,4\n2017-01-01T00:00:00Z,S1,5\n",
                 ":3: time 2017-01-01T00:00:00Z at station S1 appears twice (first at line 2)");
    expect_error("time,station,pm25\n2017-01-01T00:00:00Z,,4\n", ":2: column 'station' = ''");
    expect_error("time,pm25,nh3\n2017-01-01T00:00:00Z,4,1\n", "unknown column 'nh3'");
}

static void write_bg(const char *dir, const char *name, const char *header, const char *row_fmt, int hours,
                     int by_station)
{
    char path[600], *text = malloc(65536);
    snprintf(text, 65536, "%s", header);
    for (int h = 0; h < hours; h++)
        for (int k = 0; k < (by_station ? 2 : 1); k++) {
            size_t l = strlen(text);
            char t[32];
            snprintf(t, sizeof t, "2017-01-%02dT%02d:00:00Z", 1 + h / 24, h % 24);
            if (by_station)
                snprintf(text + l, 65536 - l, "%s,%s,%s\n", t, k ? "S2" : "S1",
                         k ? "60,80,12,15,9,15,3,6" : row_fmt);
            else
                snprintf(text + l, 65536 - l, "%s,%s\n", t, row_fmt);
        }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_text(path, text);
    free(text);
}

/* The plume: the background's PM2.5 split into the file's components at
 * every station and hour; the total as without them. */
static void components_in_the_plume(void **state)
{
    (void)state;
    char *dir = make_case(), bg[600], out[600], p[600];
    write_bg(dir, "bgc.csv", "time,pm25,so4,no3,nh4,om,ec,other\n", "40,8,10,6,10,2,4", 6, 0);
    write_bg(dir, "bg.csv", "time,pm25\n", "40", 6, 0);
    snprintf(bg, sizeof bg, "background.file=%s/bgc.csv", dir);
    snprintf(out, sizeof out, "output.file=%s/c.nc", dir);
    const char *sets[] = {"chemistry.secondary=yes", bg, out};
    lt_summary s = run_case(dir, sets, 3, 2);
    lt_summary_free(&s);
    snprintf(bg, sizeof bg, "background.file=%s/bg.csv", dir);
    snprintf(out, sizeof out, "output.file=%s/b.nc", dir);
    s = run_case(dir, sets, 3, 2);
    lt_summary_free(&s);
    size_t n, nb, nt;
    snprintf(p, sizeof p, "%s/c.nc", dir);
    float *cs = read_path_var(p, "station_pm25_component_src", &n), *tc = read_path_var(p, "station_pm25", &nt);
    snprintf(p, sizeof p, "%s/b.nc", dir);
    float *bs = read_path_var(p, "station_pm25_component_src", &nb), *tb = read_path_var(p, "station_pm25", &nt);
    assert_int_equal(n, nb);
    const size_t ntag = 4, nst = 2, ncomp = 4; /* coal, industry, solvents, regional */
    assert_int_equal(n, 6 * ncomp * ntag * nst);
    const double want[4] = {22.0, 8.0, 10.0, 0.0}; /* primary (nh4 + om + ec + other), so4, no3, soa */
    for (size_t h = 0; h < 6; h++)
        for (size_t k = 0; k < nst; k++) {
            for (size_t c = 0; c < ncomp; c++) {
                size_t i = ((h * ncomp + c) * ntag + 3) * nst + k;
                assert_rel(cs[i], want[c], 1e-6);
                assert_rel(bs[i], c == 0 ? 40.0 : 0.0, 1e-6); /* without components: all primary */
            }
            assert_rel(tc[h * nst + k], tb[h * nst + k], 1e-6);
        }
    free(cs);
    free(bs);
    free(tc);
    free(tb);
    remove_case(dir);
}

/* Per-station values: each station its own, a grid cell the inverse-
 * distance-squared mean of the two; NO2 per station in the daily AQI. */
static void per_station_values(void **state)
{
    (void)state;
    char *dir = make_case(), bg[600], out[600], p[600];
    met_opts o = met_defaults();
    o.hours = 42;
    snprintf(p, sizeof p, "%s/met.nc", dir);
    write_met(p, &o);
    write_bg(dir, "bgs.csv", COMP_HDR, "40,20,8,10,6,10,2,4", 42, 1);
    snprintf(bg, sizeof bg, "background.file=%s/bgs.csv", dir);
    snprintf(out, sizeof out, "output.file=%s/s.nc", dir);
    const char *sets[] = {"chemistry.secondary=yes", "run.start=2017-01-01T16:00:00Z", "run.hours=24", bg, out,
                          "assessment.aqi_rules=inputs/policy/aqi_HJ633-2012.ini"};
    lt_summary s = run_case(dir, sets, 6, 2);
    lt_summary_free(&s);
    size_t n;
    snprintf(p, sizeof p, "%s/s.nc", dir);
    float *src = read_path_var(p, "station_pm25_src", &n);      /* [time][source][station] */
    float *comp = read_path_var(p, "station_pm25_component_src", &n);
    float *grid = read_path_var(p, "pm25_src", &n);             /* [time][source][y][x] */
    const size_t ntag = 4, nst = 2, nx = 24, ny = 20;
    for (size_t h = 0; h < 24; h += 7) {
        assert_rel(src[(h * ntag + 3) * nst + 0], 40.0, 1e-6);
        assert_rel(src[(h * ntag + 3) * nst + 1], 60.0, 1e-6);
        assert_rel(comp[((h * 4 + 2) * ntag + 3) * nst + 1], 15.0, 1e-6); /* S2's nitrate */
    }
    /* a grid cell: 1/d^2 weights from the projected positions */
    lt_domain *d;
    lt_error err;
    assert_int_equal(lt_domain_create(&d, 108.4, 34.8, (int)nx, (int)ny, 1000, &err), 0);
    double x1, y1, x2, y2;
    lt_domain_forward(d, 108.45, 34.81, &x1, &y1);
    lt_domain_forward(d, 108.40, 34.85, &x2, &y2);
    const int cells[3][2] = {{3, 4}, {12, 10}, {20, 17}};
    for (int c = 0; c < 3; c++) {
        double x = lt_domain_x(d, cells[c][0]), y = lt_domain_y(d, cells[c][1]);
        double w1 = 1.0 / ((x - x1) * (x - x1) + (y - y1) * (y - y1));
        double w2 = 1.0 / ((x - x2) * (x - x2) + (y - y2) * (y - y2));
        double want = (40.0 * w1 + 60.0 * w2) / (w1 + w2);
        size_t i = ((5 * ntag + 3) * ny + (size_t)cells[c][1]) * nx + (size_t)cells[c][0];
        assert_rel(grid[i], want, 1e-6);
    }
    lt_domain_free(&d);
    free(src);
    free(comp);
    free(grid);
    /* NO2 in the day's AQI: each station its own, the city their mean */
    snprintf(p, sizeof p, "%s/s_daily.csv", dir);
    assert_rel(csv_num(p, "baseline,station,S1,2017-01-02,", 7), 20.0, 1e-9);
    assert_rel(csv_num(p, "baseline,station,S2,2017-01-02,", 7), 80.0, 1e-9);
    assert_rel(csv_num(p, "baseline,county,A县,2017-01-02,", 7), 20.0, 1e-9);
    assert_rel(csv_num(p, "baseline,city,city,2017-01-02,", 7), 50.0, 1e-9);
    remove_case(dir);
}

/* The grid model: the background's sulfate, nitrate and ammonium enter as
 * sulfate, total nitrate and total ammonia. Hour 0 at the stations, the
 * boundary's tag: each particle component less the same hour's deposition.
 * Case 0: less ammonium than the sulfate binds (2.5 of the 3 ug/m3 of
 * (NH4)2SO4), dry air: all of it stays in the particle, the nitrate goes to
 * the gas (no NH4NO3, no solution). Case 1: ammonium to spare (6): most of
 * the nitrate stays as NH4NO3 in the cold (272 K). The rest is primary. */
static void components_in_the_grid(void **state)
{
    (void)state;
    const char *rows[2] = {"40,8,13.5,2.5,10,2,4", "40,8,10,6,10,2,4"};
    for (int cse = 0; cse < 2; cse++) {
        char *dir = make_case(), bg[600], out[600], p[600];
        write_bg(dir, "bgc.csv", "time,pm25,so4,no3,nh4,om,ec,other\n", rows[cse], 6, 0);
        snprintf(bg, sizeof bg, "background.file=%s/bgc.csv", dir);
        snprintf(out, sizeof out, "output.file=%s/g.nc", dir);
        const char *sets[] = {"chemistry.secondary=yes", "solver.method=grid", "solver.coarsen=4", "run.hours=3",
                              bg, out};
        lt_summary s = run_case(dir, sets, 6, 2);
        lt_summary_free(&s);
        size_t n;
        snprintf(p, sizeof p, "%s/g.nc", dir);
        float *comp = read_path_var(p, "station_pm25_component_src", &n); /* [time][5][tag][station] */
        const size_t ntag = 4, nst = 2, ncomp = 5;
        assert_int_equal(n, 3 * ncomp * ntag * nst);
        for (size_t k = 0; k < nst; k++) {
            double v[5];
            for (size_t c = 0; c < ncomp; c++)
                v[c] = comp[(c * ntag + 3) * nst + k];
            double kept = v[1] / 8.0; /* the share deposition left */
            assert_true(kept > 0.97 && kept <= 1.0);
            assert_rel(v[0], 16.0 * kept, 1e-3); /* om + ec + other */
            assert_rel(v[3], 0.0, 0.0);          /* no SOA in the background */
            if (cse == 0) {
                assert_rel(v[4], 2.5 * kept, 1e-3); /* ammonium, all of it, as NH4 */
                assert_true(v[2] < 1e-3);           /* nitrate: in the gas */
            } else {
                assert_true(v[2] > 0.9 * 10.0 * kept && v[2] <= 10.0 * kept); /* nitrate: most of it */
                assert_true(v[4] > 0.9 * 6.0 * kept && v[4] <= 6.0 * kept);   /* ammonium */
            }
        }
        free(comp);
        remove_case(dir);
    }
}

/* A station column naming a station the run does not have. */
static void unknown_station(void **state)
{
    (void)state;
    char *dir = make_case(), bg[600], p[600];
    snprintf(p, sizeof p, "%s/bgx.csv", dir);
    write_text(p, "time,station,pm25\n2017-01-01T00:00:00Z,S7,4\n");
    snprintf(bg, sizeof bg, "background.file=%s/bgx.csv", dir);
    const char *sets[] = {"run.hours=1", bg};
    lt_config cfg;
    lt_case *cs;
    lt_error err;
    assert_int_not_equal(load_case(dir, sets, 2, &cfg, &cs, &err), 0);
    assert_non_null(strstr(err.msg, "bgx.csv:2: column 'station' = 'S7': expected the code or id of a station of"));
    remove_case(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reader_rules),
        cmocka_unit_test(components_in_the_plume),
        cmocka_unit_test(per_station_values),
        cmocka_unit_test(components_in_the_grid),
        cmocka_unit_test(unknown_station),
    };
    return cmocka_run_group_tests_name("background", tests, NULL, NULL);
}
