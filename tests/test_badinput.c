/* test_badinput.c — malformed inputs through the real program: each must give
 * exactly one error line naming the file and the line or variable, a
 * non-zero exit, and no output file (not even a partial one). */
#include "lt_test.h"

#include <dirent.h>
#include <sys/wait.h>

#include "fixture.h"

static const char *bin_dir(void)
{
    const char *b = getenv("LT_BUILD");
    return b ? b : "build";
}

typedef void (*mutate_fn)(const char *dir);

static void path_in(char *buf, size_t n, const char *dir, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

static void points_text(const char *dir, const char *text)
{
    char p[512];
    path_in(p, sizeof p, dir, "points.csv");
    write_text(p, text);
}

static void met_with(const char *dir, met_opts o)
{
    char p[512];
    path_in(p, sizeof p, dir, "met.nc");
    write_met(p, &o);
}

/* Runs lantian on dir/case.ini and checks the failure; every substring in
 * want must appear in the one error line. */
static void expect_failure(const char *dir, const char *cmd_extra, const char *const *want, int nwant)
{
    char cmd[2048], errp[512], outp[512];
    path_in(errp, sizeof errp, dir, "stderr.txt");
    path_in(outp, sizeof outp, dir, "out.nc");
    char args[700] = "";
    if (cmd_extra) {
        const char *bg = strstr(cmd_extra, "=BG"), *vol = strstr(cmd_extra, "=VOL");
        const char *area = strstr(cmd_extra, "=AREA");
        const char *at = strstr(cmd_extra, "@D");
        if (at) /* "@D" stands for the case's folder */
            snprintf(args, sizeof args, "%.*s%s%s", (int)(at - cmd_extra), cmd_extra, dir, at + 2);
        else if (bg) /* "BG" stands for the case's bg.csv, "VOL" for its vol.csv */
            snprintf(args, sizeof args, "%.*s=%s/bg.csv", (int)(bg - cmd_extra), cmd_extra, dir);
        else if (vol)
            snprintf(args, sizeof args, "%.*s=%s/vol.csv", (int)(vol - cmd_extra), cmd_extra, dir);
        else if (area)
            snprintf(args, sizeof args, "%.*s=%s/area.csv", (int)(area - cmd_extra), cmd_extra, dir);
        else
            snprintf(args, sizeof args, "%s", cmd_extra);
    }
    snprintf(cmd, sizeof cmd, "%s/lantian run %s/case.ini %s >/dev/null 2>%s", bin_dir(), dir,
             args, errp);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    assert_int_not_equal(WEXITSTATUS(st), 0);
    FILE *f = fopen(errp, "r");
    assert_non_null(f);
    char line[4096], extra[4096];
    /* the run's progress lines (stderr is not a terminal here) are not errors */
    static const char progress[] = "lantian: progress ";
    do
        assert_non_null(fgets(line, sizeof line, f));
    while (!strncmp(line, progress, sizeof progress - 1));
    int more = 0;
    while (!more && fgets(extra, sizeof extra, f))
        more = strncmp(extra, progress, sizeof progress - 1) != 0;
    fclose(f);
    if (more)
        print_error("more than one error line: %s%s", line, extra);
    assert_false(more);
    for (int i = 0; i < nwant; i++) {
        if (!strstr(line, want[i]))
            print_error("error line lacks '%s': %s", want[i], line);
        assert_non_null(strstr(line, want[i]));
    }
    assert_int_equal(access(outp, F_OK), -1);
    DIR *d = opendir(dir);
    struct dirent *e;
    while ((e = readdir(d)))
        assert_null(strstr(e->d_name, ".part"));
    closedir(d);
}

#define CASE(name, body, ...)                                                   \
    static void name(void **state)                                              \
    {                                                                           \
        (void)state;                                                            \
        char *dir = make_case();                                                \
        assert_non_null(dir);                                                   \
        const char *extra = NULL;                                               \
        body;                                                                   \
        const char *const want[] = {__VA_ARGS__};                               \
        expect_failure(dir, extra, want, (int)(sizeof want / sizeof want[0])); \
        remove_case(dir);                                                       \
    }

CASE(missing_column,
     points_text(dir, "id,name,lon,lat,height_m,diameter_m,velocity_ms,temp_K,sector,county,grade\n"
                      "P1,x,108.4,34.8,100,3,10,400,coal,A,A\n"),
     "points.csv:1", "missing column 'pm25_tpy'")
CASE(non_numeric_field,
     points_text(dir, FIX_POINTS_HEADER "P1,x,108.4,34.8,100,3,10,400,coal,A,A,100\n"
                                        "P2,y,108.4E,34.8,100,3,10,400,coal,A,A,100\n"),
     "points.csv:3", "'lon'", "108.4E")
CASE(nan_field,
     points_text(dir, FIX_POINTS_HEADER "P1,x,108.4,34.8,nan,3,10,400,coal,A,A,100\n"),
     "points.csv:2", "'height_m'", "nan")
CASE(negative_stack_height,
     points_text(dir, FIX_POINTS_HEADER "P1,x,108.4,34.8,-5,3,10,400,coal,A,A,100\n"),
     "points.csv:2", "'height_m' = '-5'", "from 0 to 700")
CASE(source_far_outside,
     points_text(dir, FIX_POINTS_HEADER "P1,x,108.4,34.8,50,3,10,400,coal,A,A,100\n"
                                        "P9,far,116.4,39.9,50,3,10,400,coal,A,A,100\n"),
     "points.csv:3", "P9", "outside the domain")
CASE(unknown_sector,
     points_text(dir, FIX_POINTS_HEADER "P1,x,108.4,34.8,50,3,10,400,steel,A,A,100\n"),
     "points.csv:2", "'sector' = 'steel'", "industry, coal")
CASE(duplicate_id,
     points_text(dir, FIX_POINTS_HEADER "P1,x,108.4,34.8,50,3,10,400,coal,A,A,100\n"
                                        "P1,y,108.4,34.8,50,3,10,400,coal,A,A,100\n"),
     "points.csv:3", "unique")
CASE(temperature_in_celsius,
     points_text(dir, FIX_POINTS_HEADER "P1,x,108.4,34.8,50,3,10,120,coal,A,A,100\n"),
     "points.csv:2", "'temp_K' = '120'", "degrees C")
CASE(bad_grade,
     points_text(dir, FIX_POINTS_HEADER "P1,x,108.4,34.8,50,3,10,400,coal,A,E,100\n"),
     "points.csv:2", "'grade' = 'E'")
CASE(met_variable_missing,
     { met_opts o = met_defaults(); o.omit = "pblh"; met_with(dir, o); },
     "met.nc", "'pblh'", "missing")
CASE(met_no_stability_input,
     { met_opts o = met_defaults(); o.omit = "rmol"; met_with(dir, o); },
     "met.nc", "'rmol'", "stability = turner")
CASE(turner_without_cloud,
     extra = "--set dispersion.stability=turner",
     "met.nc", "'cloud'", "stability = turner")
CASE(met_time_gap,
     { met_opts o = met_defaults(); o.gap_at = 2; met_with(dir, o); extra = "--set met.max_gap_hours=1"; },
     "met.nc", "no record for 2017-01-01T02:00:00Z", "2 h apart", "max_gap_hours = 1")
CASE(met_too_short,
     extra = "--set run.hours=48",
     "met.nc", "no record for 2017-01-01T06:00:00Z", "hour 6")
CASE(met_nan_value,
     { met_opts o = met_defaults(); o.nan_at = 3; met_with(dir, o); },
     "met.nc", "'u10'", "2017-01-01T03:00:00Z", "nan")
CASE(met_bad_units,
     { met_opts o = met_defaults(); o.t2_units = "kg"; met_with(dir, o); },
     "met.nc", "'t2'", "units = 'kg'")
CASE(met_not_netcdf,
     { char p[512]; path_in(p, sizeof p, dir, "met.nc"); write_text(p, "not netcdf\n"); },
     "met.nc", "cannot open")
CASE(unknown_config_key,
     { write_config(dir, "colour = blue\n"); },
     "case.ini:28", "unknown key 'colour' in [output]")
CASE(unknown_config_section,
     { write_config(dir, "[outptu]\nfile = x.nc\n"); },
     "case.ini:29", "unknown section [outptu]")
CASE(unknown_set_key,
     extra = "--set run.hour=5",
     "--set run.hour=5", "unknown key 'hour' in [run]")
CASE(bad_config_value,
     extra = "--set domain.nx=ten",
     "--set domain.nx=ten", "expected a number of columns")
CASE(bad_start_time,
     extra = "--set run.start=2017-02-30T00:00:00Z",
     "run.start", "ISO 8601")
CASE(unreadable_points_file,
     extra = "--set sources.points=/nonexistent/points.csv",
     "/nonexistent/points.csv", "cannot open")
CASE(unknown_curves,
     extra = "--set dispersion.curves=pasquill",
     "dispersion.curves=pasquill", "briggs-rural, briggs-urban")
CASE(unknown_nh4no3_kp,
     extra = "--set chemistry.nh4no3_kp=stelson",
     "chemistry.nh4no3_kp=stelson", "mozurkewich", "isorropia")
CASE(station_outside,
     { char p[512]; path_in(p, sizeof p, dir, "stations.csv");
       write_text(p, "id,name,lon,lat,county\nS1,Far,110.0,34.8,X\n"); },
     "stations.csv", "S1", "outside the receptor grid")
CASE(background_missing_hour,
     { char p[512]; path_in(p, sizeof p, dir, "bg.csv");
       write_text(p, "time,pm25_ugm3\n2017-01-01T00:00:00Z,50\n2017-01-01T01:00:00Z,50\n"
                     "2017-01-01T03:00:00Z,50\n");
       extra = "--set background.file=BG"; },
     "bg.csv", "no row for 2017-01-01T02:00:00Z")
CASE(background_bad_value,
     { char p[512]; path_in(p, sizeof p, dir, "bg.csv");
       write_text(p, "time,pm25_ugm3\n2017-01-01T00:00:00Z,-3\n");
       extra = "--set background.file=BG"; },
     "bg.csv:2", "'pm25_ugm3' = '-3'")
CASE(background_unknown_column,
     { char p[512]; path_in(p, sizeof p, dir, "bg.csv");
       write_text(p, "time,pm25,pm2.5\n2017-01-01T00:00:00Z,50,50\n");
       extra = "--set background.file=BG"; },
     "bg.csv", "unknown column 'pm2.5'", "pm10, so2, no2, co, o3")
CASE(background_pm10_below_pm25,
     { char p[512]; path_in(p, sizeof p, dir, "bg.csv");
       write_text(p, "time,pm25,pm10\n2017-01-01T00:00:00Z,50,40\n");
       extra = "--set background.file=BG"; },
     "bg.csv:2", "pm10 = 40 is below pm25 = 50")
CASE(background_negative_o3,
     { char p[512]; path_in(p, sizeof p, dir, "bg.csv");
       write_text(p, "time,pm25,o3\n2017-01-01T00:00:00Z,50,-1\n");
       extra = "--set background.file=BG"; },
     "bg.csv:2", "'o3' = '-1'", "ug/m3")
CASE(target_unknown_county,
     { char p[512]; path_in(p, sizeof p, dir, "targets.csv");
       write_text(p, "level,name,pm25_max,good_days_min,heavy_days_max\ncity,city,53,270,\ncounty,C县,53,270,\n");
       extra = "--set assessment.aqi_rules=inputs/policy/aqi_HJ633-2012.ini --set assessment.targets=@D/targets.csv"; },
     "targets.csv:3", "county 'C县'", "A县, B县")
CASE(target_bad_value,
     { char p[512]; path_in(p, sizeof p, dir, "targets.csv");
       write_text(p, "level,name,pm25_max,good_days_min,heavy_days_max\ncity,city,53,270 days,\n");
       extra = "--set assessment.aqi_rules=inputs/policy/aqi_HJ633-2012.ini --set assessment.targets=@D/targets.csv"; },
     "targets.csv:2", "'good_days_min' = '270 days'")
CASE(volume_missing_column,
     { char p[512]; path_in(p, sizeof p, dir, "vol.csv");
       write_text(p, "id,name,lon,lat,height_m,sigma_y0_m,sector,county,grade,pm25_tpy\n"
                     "V1,yard,108.4,34.8,5,20,industry,A,C,10\n");
       extra = "--set sources.volumes=VOL"; },
     "vol.csv:1", "missing column 'sigma_z0_m'")
CASE(volume_duplicate_id,
     { char p[512]; path_in(p, sizeof p, dir, "vol.csv");
       write_text(p, "id,name,lon,lat,height_m,sigma_y0_m,sigma_z0_m,sector,county,grade,pm25_tpy\n"
                     "P2,yard,108.4,34.8,5,20,4,industry,A,C,10\n");
       extra = "--set sources.volumes=VOL"; },
     "vol.csv:2", "'P2'", "already used in the point sources")
CASE(negative_species,
     points_text(dir, "id,name,lon,lat,height_m,diameter_m,velocity_ms,temp_K,sector,county,grade,pm25_tpy,so2_tpy\n"
                      "P1,x,108.4,34.8,50,3,10,400,coal,A,A,100,-2\n"),
     "points.csv:2", "'so2_tpy' = '-2'")
CASE(area_bad_polygon,
     { char p[512]; path_in(p, sizeof p, dir, "area.csv");
       write_text(p, "id,name,polygon,height_m,sigma_z0_m,sector,county,grade,pm25_tpy\n"
                     "A1,city,108.39 34.79; 108.41 34.79,2,1,industry,A,-,100\n");
       extra = "--set sources.areas=AREA"; },
     "area.csv:2", "'polygon'", "3 to 256 vertices")
CASE(area_degenerate,
     { char p[512]; path_in(p, sizeof p, dir, "area.csv");
       write_text(p, "id,name,polygon,height_m,sigma_z0_m,sector,county,grade,pm25_tpy\n"
                     "A1,line,108.39 34.79; 108.40 34.79; 108.41 34.79,2,1,industry,A,-,100\n");
       extra = "--set sources.areas=AREA"; },
     "area.csv:2", "'A1'", "at least 1 m2")
CASE(unbalanced_quote,
     points_text(dir, FIX_POINTS_HEADER "P1,\"x,108.4,34.8,50,3,10,400,coal,A,A,100\n"),
     "points.csv:2", "double quote")

CASE(gridded_missing_file,
     extra = "--set gridded.layout=meic --set gridded.path=@D",
     "2017_01__power__PM25.nc", "cannot open the MEIC file")
CASE(gridded_bad_layout,
     extra = "--set gridded.layout=edgar",
     "gridded.layout", "'edgar'", "expected none, meic")
CASE(wrf_not_wrfout,
     extra = "--set met.format=wrf",
     "met.nc", "expected a WRF wrfout file")
CASE(met_map_unknown_variable,
     extra = "--set met.variables=t2:temp2",
     "'temp2' (mapped to t2", "missing")
CASE(hourly_missing_hour,
     { char p[512]; path_in(p, sizeof p, dir, "hourly.csv");
       write_text(p, "time,id,pm25_gs\n2017-01-01T00:00:00Z,P1,3\n");
       extra = "--set sources.hourly=@D/hourly.csv"; },
     "hourly.csv", "'P1'", "no row for 2017-01-01T01:00:00Z")
CASE(road_negative_species,
     { char p[512]; path_in(p, sizeof p, dir, "roads.csv");
       write_text(p, "id,name,polyline,width_m,height_m,sigma_z0_m,sector,county,grade,pm25_tpy_per_km,nox_tpy_per_km\n"
                     "R1,ring,108.39 34.79; 108.41 34.79,20,1,1,industry,A,,1,-3\n");
       extra = "--set sources.roads=@D/roads.csv"; },
     "roads.csv:2", "'nox_tpy_per_km' = '-3'")
CASE(bad_averaging,
     extra = "--set output.average_county=week",
     "average_county", "'week'", "expected hour, day")
CASE(bad_chemistry_rate,
     extra = "--set chemistry.k_so2_sun=-1",
     "k_so2_sun", "expected a rate in % per hour")
CASE(bad_solver,
     extra = "--set solver.method=eulerian",
     "solver.method", "'eulerian'", "expected plume", "grid", "hybrid")
CASE(bad_coarsen,
     extra = "--set solver.method=grid --set solver.coarsen=7",
     "solver.coarsen", "'7'", "divisor of both [domain] nx = 24 and ny = 20")
CASE(bad_layer_tops,
     extra = "--set solver.method=grid --set solver.coarsen=4 --set \"solver.layer_tops_m=50, 40, 300\"",
     "solver.layer_tops_m", "'50, 40, 300'", "increasing")
CASE(zero_out_with_plume,
     extra = "--set solver.zero_out=yes",
     "solver.zero_out", "'yes'", "method = plume")

/* The same fixture without a fault runs, and leaves its file. */
static void valid_case_runs(void **state)
{
    (void)state;
    char *dir = make_case();
    char cmd[1024], outp[512];
    snprintf(cmd, sizeof cmd, "%s/lantian run %s/case.ini >/dev/null 2>&1", bin_dir(), dir);
    assert_int_equal(system(cmd), 0);
    path_in(outp, sizeof outp, dir, "out.nc");
    assert_int_equal(access(outp, F_OK), 0);
    /* a 1 x 1 met grid (one station's weather) works too */
    met_opts o = met_defaults();
    o.nlon = o.nlat = 1;
    met_with(dir, o);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/lantian check %s/case.ini >/dev/null 2>&1", bin_dir(), dir);
    assert_int_equal(system(cmd), 0);
    remove_case(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_column),      cmocka_unit_test(non_numeric_field),
        cmocka_unit_test(nan_field),           cmocka_unit_test(negative_stack_height),
        cmocka_unit_test(source_far_outside),  cmocka_unit_test(unknown_sector),
        cmocka_unit_test(duplicate_id),        cmocka_unit_test(temperature_in_celsius),
        cmocka_unit_test(bad_grade),           cmocka_unit_test(met_variable_missing),
        cmocka_unit_test(met_time_gap),        cmocka_unit_test(met_no_stability_input),
        cmocka_unit_test(turner_without_cloud),        cmocka_unit_test(met_too_short),
        cmocka_unit_test(met_nan_value),       cmocka_unit_test(met_bad_units),
        cmocka_unit_test(met_not_netcdf),      cmocka_unit_test(unknown_config_key),
        cmocka_unit_test(unknown_config_section), cmocka_unit_test(unknown_set_key),
        cmocka_unit_test(bad_config_value),    cmocka_unit_test(bad_start_time),
        cmocka_unit_test(unreadable_points_file), cmocka_unit_test(unknown_curves),
        cmocka_unit_test(unknown_nh4no3_kp),
        cmocka_unit_test(station_outside),     cmocka_unit_test(unbalanced_quote),
        cmocka_unit_test(background_missing_hour), cmocka_unit_test(background_bad_value),
        cmocka_unit_test(background_unknown_column), cmocka_unit_test(background_pm10_below_pm25),
        cmocka_unit_test(background_negative_o3), cmocka_unit_test(target_unknown_county),
        cmocka_unit_test(target_bad_value),
        cmocka_unit_test(volume_missing_column), cmocka_unit_test(volume_duplicate_id),
        cmocka_unit_test(negative_species),    cmocka_unit_test(area_bad_polygon),
        cmocka_unit_test(area_degenerate),     cmocka_unit_test(gridded_missing_file),
        cmocka_unit_test(gridded_bad_layout),  cmocka_unit_test(wrf_not_wrfout),
        cmocka_unit_test(met_map_unknown_variable), cmocka_unit_test(hourly_missing_hour),
        cmocka_unit_test(road_negative_species), cmocka_unit_test(bad_averaging),
        cmocka_unit_test(bad_chemistry_rate), cmocka_unit_test(bad_solver),
        cmocka_unit_test(bad_coarsen), cmocka_unit_test(bad_layer_tops),
        cmocka_unit_test(zero_out_with_plume),
        cmocka_unit_test(valid_case_runs),
    };
    return cmocka_run_group_tests_name("bad input", tests, NULL, NULL);
}
