/* test_regions.c — GeoJSON regions: point in polygon with holes and multipolygons,
 * sources and stations given their county, the cell raster, and bad files. */
#include "lt_test.h"

#include <string.h>

#include "io/config.h"
#include "fixture.h"
#include "io/regions.h"
#include "run/case.h"

/* Region A: a square 108.30-108.40 x 34.75-34.85 with a hole 108.34-108.36 x
 * 34.79-34.81; region B: two squares (a MultiPolygon), one being the hole. */
static const char *GJ =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"A县\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
    "[[108.30,34.75],[108.40,34.75],[108.40,34.85],[108.30,34.85],[108.30,34.75]],"
    "[[108.34,34.79],[108.36,34.79],[108.36,34.81],[108.34,34.81],[108.34,34.79]]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"B县\"},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":["
    "[[[108.34,34.79],[108.36,34.79],[108.36,34.81],[108.34,34.81],[108.34,34.79]]],"
    "[[[108.40,34.75],[108.50,34.75],[108.50,34.85],[108.40,34.85],[108.40,34.75]]]]}}\n]}\n";

static void point_in_polygon(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[600];
    snprintf(p, sizeof p, "%s/c.geojson", dir);
    write_text(p, GJ);
    lt_regions *r;
    lt_error err;
    lt_error_clear(&err);
    assert_int_equal(lt_regions_read(&r, p, "name", &err), 0);
    assert_int_equal(lt_regions_count(r), 2);
    assert_string_equal(lt_regions_name(r, 1), "B县");
    assert_int_equal(lt_regions_find(r, 108.32, 34.80), 0);  /* A */
    assert_int_equal(lt_regions_find(r, 108.35, 34.80), 1);  /* A's hole, B's island */
    assert_int_equal(lt_regions_find(r, 108.45, 34.80), 1);  /* B's square */
    assert_int_equal(lt_regions_find(r, 108.60, 34.80), -1); /* outside both */
    lt_regions_free(&r);
    assert_null(r);
    remove_case(dir);
}

/* A source and a station without a county get the polygon's; cells get theirs. */
static void assignment_and_raster(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[600], s1[700], s2[700];
    snprintf(p, sizeof p, "%s/c.geojson", dir);
    write_text(p, GJ);
    snprintf(s1, sizeof s1, "%s/pts.csv", dir);
    write_text(s1, FIX_POINTS_HEADER "P1,x,108.45,34.80,50,2,10,400,coal,,A,10\n");
    char cfgp[600], set1[700], set2[760];
    snprintf(cfgp, sizeof cfgp, "%s/case.ini", dir);
    snprintf(set1, sizeof set1, "domain.counties=%s", p);
    snprintf(set2, sizeof set2, "sources.points=%s", s1);
    snprintf(s2, sizeof s2, "%s/st.csv", dir);
    write_text(s2, "id,name,lon,lat,county\nS1,East,108.32,34.81,\n");
    char set3[760];
    snprintf(set3, sizeof set3, "receptors.stations=%s", s2);
    const char *sets[] = {set1, set2, set3};
    lt_config cfg;
    lt_case *cs = NULL;
    lt_error err;
    lt_error_clear(&err);
    assert_int_equal(lt_config_load(&cfg, cfgp, sets, 3, &err), 0);
    int rc = lt_case_load(&cs, &cfg, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    size_t np, nst;
    assert_string_equal(lt_case_sources(cs, &np)[0].county, "B县");
    assert_string_equal(lt_case_stations(cs, &nst)[0].county, "A县");
    assert_int_equal(lt_case_assigned_counties(cs), 2);
    const int *cell_region = lt_case_cell_region(cs);
    /* the grid is 24 x 20 km around 108.4, 34.8: its centre cells straddle A and B */
    int na = 0, nb = 0, nout = 0;
    for (int k = 0; k < cfg.nx * cfg.ny; k++) {
        na += cell_region[k] == 0;
        nb += cell_region[k] == 1;
        nout += cell_region[k] < 0;
    }
    /* A: about 9.1 x 11.1 km less the hole (2 x 2 km^2): ~97 cells; B: ~113 */
    assert_true(na > 80 && na < 115);
    assert_true(nb > 95 && nb < 130);
    assert_true(nout > 200);
    lt_case_free(&cs);
    lt_config_free(&cfg);
    remove_case(dir);
}

static void bad_geojson(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[600];
    snprintf(p, sizeof p, "%s/c.geojson", dir);
    const char *cases[][2] = {
        {"{\"type\":\"FeatureCollection\",\n\"features\":[ {\"type\": } ]}", "c.geojson:2: not valid JSON"},
        {"{\"type\":\"FeatureCollection\",\"features\":[{\"properties\":{\"adcode\":1},"
         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1]]]}}]}",
         "no string property 'name'"},
        {"{\"type\":\"FeatureCollection\",\"features\":[{\"properties\":{\"name\":\"x\"},"
         "\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}]}",
         "geometry type Point: expected Polygon or MultiPolygon"},
        {"{\"type\":\"Feature\"}", "no 'features' array"},
    };
    for (int i = 0; i < 4; i++) {
        write_text(p, cases[i][0]);
        lt_regions *r;
        lt_error err;
        lt_error_clear(&err);
        assert_int_not_equal(lt_regions_read(&r, p, "name", &err), 0);
        if (!strstr(err.msg, cases[i][1]))
            print_error("got: %s\n", err.msg);
        assert_non_null(strstr(err.msg, cases[i][1]));
    }
    remove_case(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(point_in_polygon),
        cmocka_unit_test(assignment_and_raster),
        cmocka_unit_test(bad_geojson),
    };
    return cmocka_run_group_tests_name("regions", tests, NULL, NULL);
}
