/* budget.c — the grid model's mass budget per species over the run
 * (mass_budget, kg: initial, emitted, inflow, outflow, chemistry, dry and wet
 * deposition, final) with its worst residual, and the grid model's
 * statistics for the summary. Read after the first pass, before a second
 * one starts the grid again. */
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>

#include "products/product_util.h"
#include "products/products.h"

typedef struct budget {
    const lt_run *run;
    lt_gridrun *gr;                     /* from start on */
    lt_output *out;
    int v_budget;
} budget;

static int budget_start(void *self, lt_output *out, lt_error *err)
{
    budget *p = self;
    p->out = out;
    p->gr = lt_run_gridrun(p->run);
    int d_bs, d_bt, rc;
    if ((rc = lt_output_def_labels(out, "grid_species", "grid_species_name",
                                   "species carried by the grid model (total nitrate as NO3, total ammonia as NH3, "
                                   "NOx as NO2)", LT_GS_N, lt_grid_species_names, &d_bs, err)) ||
        (rc = lt_output_def_labels(out, "budget_term", "budget_term_name", "term of the mass budget", LT_GB_N,
                                   lt_grid_budget_names, &d_bt, err)))
        return rc;
    int db[2] = {d_bs, d_bt};
    LT_NC(out, err, nc_def_var(lt_output_ncid(out), "mass_budget", NC_DOUBLE, 2, db, &p->v_budget));
    return lt_output_atts(out, p->v_budget, err, "long_name", "mass budget of the grid model over the run, per species",
                          "units", "kg", "comment",
                          "final = initial + emitted + inflow - outflow + chemistry - dry_deposition - wet_deposition; "
                          "chemistry is negative for a precursor and positive for its product; the residual is in "
                          "the global attribute lantian_budget_residual",
                          NULL);
}

static int budget_end_pass(void *self, int pass, lt_summary *sum, lt_error *err)
{
    budget *p = self;
    if (pass != 1)
        return LT_OK;
    lt_gridrun_stats_get(p->gr, &sum->grid);
    LT_NC(p->out, err, nc_put_var_double(lt_output_ncid(p->out), p->v_budget, sum->grid.budget));
    char note[64];
    snprintf(note, sizeof note, "%.3g", sum->grid.worst_residual);
    return lt_output_note(p->out, "lantian_budget_residual", note, err);
}

static const lt_product_ops budget_ops = {
    .name = "budget", .start = budget_start, .end_pass = budget_end_pass, .destroy = free};

int lt_budget_attach(lt_run *run, lt_error *err)
{
    budget *p = calloc(1, sizeof *p);
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->run = run;
    return lt_run_attach(run, &budget_ops, p, err);
}
