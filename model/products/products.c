/* products.c — which products a run gets, in which order (products.h). */
#include "products/products.h"

#include <string.h>

int lt_products_attach(lt_run *run, lt_error *err)
{
    const lt_case *cs = lt_run_case_of(run);
    const lt_config *cfg = lt_case_config(cs);
    const lt_scenarios *sc = lt_case_scenarios(cs);
    lt_stations_product *st = NULL;
    lt_assessment_product *as = NULL;
    lt_scenarios_product *scp = NULL;
    lt_gases_product *gas = NULL;
    int grid = cfg->solver != LT_SOLVER_PLUME, rc;
    if ((grid && cfg->zero_out && (rc = lt_zeroout_attach(run, err))) || (rc = lt_maps_attach(run, err)) ||
        (rc = lt_calm_attach(run, err)) || (cfg->bg_obs_path[0] && (rc = lt_bgobs_attach(run, err))) || (rc = lt_weather_attach(run, err)) || (rc = lt_fields_attach(run, err)) ||
        (rc = lt_stations_attach(run, &st, err)) || (rc = lt_split_attach(run, st, err)) ||
        (lt_case_ncomp(cs) > 1 && (rc = lt_components_attach(run, st, err))) ||
        (grid && (rc = lt_budget_attach(run, err))) ||
        (lt_case_aqi(cs) && (rc = lt_assessment_attach(run, st, &as, err))) ||
        (as && sc && sc->n > 0 && (rc = lt_scenarios_attach(run, st, as, &scp, err))) ||
        (as && lt_run_shape_of(run)->nst && cfg->solver != LT_SOLVER_GRID && (rc = lt_gases_attach(run, as, &gas, err))) ||
        (as && (rc = lt_airquality_attach(run, st, scp, gas, err))))
        return rc;
    return LT_OK;
}

int lt_run_case(lt_case *cs, const lt_run_options *opt, lt_summary *sum, lt_error *err)
{
    lt_run *run = NULL;
    memset(sum, 0, sizeof *sum);
    int rc = lt_run_create(&run, cs, opt, err);
    if (!rc && !(rc = lt_products_attach(run, err)))
        rc = lt_run_exec(run, sum, err);
    lt_run_free(&run);
    return rc;
}

int lt_run_case_preflight(lt_case *cs, const lt_run_options *opt, lt_preflight *pf, lt_error *err)
{
    lt_run *run = NULL;
    int rc = lt_run_create(&run, cs, opt, err);
    if (!rc && !(rc = lt_products_attach(run, err)))
        rc = lt_run_preflight(run, pf, err);
    lt_run_free(&run);
    return rc;
}
