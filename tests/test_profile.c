/* test_profile.c — temporal profiles keep annual totals exactly, are applied in
 * local time, and reject malformed files with the line. */
#include "lt_test.h"

#include <string.h>

#include "io/config.h"
#include "fixture.h"
#include "io/profile.h"

static lt_config cfg;

static int setup(void **state)
{
    (void)state;
    memset(&cfg, 0, sizeof cfg);
    cfg.nsectors = 2;
    strcpy(cfg.sectors[0], "industry");
    strcpy(cfg.sectors[1], "coal");
    return 0;
}

static double year_mean(const lt_profiles *p, int k, double a, double b)
{
    double s = 0.0;
    long n = 0;
    for (double t = a; t < b; t += 3600.0, n++)
        s += lt_profile_factor(p, k, t);
    return s / (double)n;
}

/* Strong month, weekday and hour shapes: the mean over every hour of the local
 * year is exactly 1, for a leap year and a common one. */
static void annual_totals_kept(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[600];
    snprintf(p, sizeof p, "%s/prof.csv", dir);
    FILE *f = fopen(p, "w");
    fprintf(f, "sector,kind,index,factor\n");
    for (int m = 1; m <= 12; m++) /* heating: winter months x3 */
        fprintf(f, "coal,month,%d,%g\n", m, (m <= 3 || m >= 11) ? 3.0 : 0.5);
    for (int d = 1; d <= 7; d++)
        fprintf(f, "coal,weekday,%d,%g\n", d, d <= 5 ? 1.2 : 0.5);
    for (int h = 0; h < 24; h++)
        fprintf(f, "industry,hour,%d,%g\n", h, (h >= 8 && h < 20) ? 2.0 : 0.2);
    fclose(f);
    lt_error err;
    const double years[2][2] = {{1483228800.0, 1514764800.0},  /* 2017 */
                                {1577836800.0, 1609459200.0}}; /* 2020, leap */
    for (int y = 0; y < 2; y++) {
        lt_profiles pr;
        lt_error_clear(&err);
        int rc = lt_profiles_read(&pr, p, &cfg, years[y][0] + 86400.0 * 40, 8.0, &err);
        if (rc)
            print_error("%s\n", err.msg);
        assert_int_equal(rc, 0);
        double off = 8 * 3600.0; /* local year: from local midnight of 1 January */
        assert_rel(year_mean(&pr, 0, years[y][0] - off, years[y][1] - off), 1.0, 1e-12);
        assert_rel(year_mean(&pr, 1, years[y][0] - off, years[y][1] - off), 1.0, 1e-12);
        /* the shapes are there: January is six times July for coal */
        double jan = lt_profile_factor(&pr, 1, years[y][0] + 86400.0 * 2 + 3 * 3600.0);
        double jul = lt_profile_factor(&pr, 1, years[y][0] + 86400.0 * 183 + 3 * 3600.0);
        assert_true(jan > 2.0 * jul);
    }
    remove_case(dir);
}

/* Hours are local: 01:00 UTC is 09:00 China Standard Time. */
static void local_time(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[600];
    snprintf(p, sizeof p, "%s/prof.csv", dir);
    FILE *f = fopen(p, "w");
    fprintf(f, "sector,kind,index,factor\n");
    for (int h = 0; h < 24; h++)
        fprintf(f, "industry,hour,%d,%d\n", h, h == 9 ? 1 : 0);
    fclose(f);
    lt_profiles pr;
    lt_error err;
    lt_error_clear(&err);
    assert_int_equal(lt_profiles_read(&pr, p, &cfg, 1483228800.0, 8.0, &err), 0);
    assert_rel(lt_profile_factor(&pr, 0, 1483228800.0 + 3600.0), 24.0, 1e-12);
    assert_true(lt_profile_factor(&pr, 0, 1483228800.0 + 9 * 3600.0) == 0.0);
    assert_rel(lt_profile_factor(&pr, 1, 1483228800.0), 1.0, 1e-12); /* no profile: flat */
    remove_case(dir);
}

static void bad_profile_files(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[600];
    snprintf(p, sizeof p, "%s/prof.csv", dir);
    const char *cases[][2] = {
        {"sector,kind,index,factor\nindustry,season,1,2\n", "prof.csv:2: column 'kind' = 'season'"},
        {"sector,kind,index,factor\nindustry,hour,24,2\n", "prof.csv:2: column 'index' = '24'"},
        {"sector,kind,index,factor\nsteel,hour,1,2\n", "prof.csv:2: column 'sector' = 'steel'"},
        {"sector,kind,index\nindustry,hour,1\n", "missing column 'factor'"},
    };
    for (int i = 0; i < 4; i++) {
        write_text(p, cases[i][0]);
        lt_profiles pr;
        lt_error err;
        lt_error_clear(&err);
        assert_int_not_equal(lt_profiles_read(&pr, p, &cfg, 1483228800.0, 8.0, &err), 0);
        if (!strstr(err.msg, cases[i][1]))
            print_error("got: %s\n", err.msg);
        assert_non_null(strstr(err.msg, cases[i][1]));
    }
    remove_case(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(annual_totals_kept),
        cmocka_unit_test(local_time),
        cmocka_unit_test(bad_profile_files),
    };
    return cmocka_run_group_tests_name("profiles", tests, setup, NULL);
}
