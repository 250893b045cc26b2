/* gridconv.c — FFT convolution of gridded emissions with the area plume
 * (see gridconv.h). FFTW plans are made with FFTW_ESTIMATE: the same plan,
 * hence the same bits, on every run. The transforms are single precision
 * (FFTW's fftwf_): the convolution's error is then about 1e-6 of the
 * field's peak (tests/test_gridconv.c bounds it at 1e-5), far below the 4
 * significant digits the output keeps and the inventory's own uncertainty,
 * for half the memory traffic of double transforms. The kernel is computed
 * in double, the result returned in double. */
#include "solvers/gridconv.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct lt_gridconv {
    int nx, ny, NX, NY;     /* grid, and the padded transform size */
    size_t nc;              /* complex coefficients per transform: NY x (NX/2 + 1) */
    int nslots;
    fftwf_complex **kern;   /* [slot] */
    fftwf_complex **maps;
    int nmaps, cap;
    fftwf_plan fwd, inv;
    float *rbuf;            /* the plans' arrays (execution uses new-array calls) */
    fftwf_complex *cbuf;
};

int lt_gridconv_create(lt_gridconv **out, int nx, int ny, int nslots, lt_error *err)
{
    *out = NULL;
    lt_gridconv *gc = calloc(1, sizeof *gc);
    if (!gc)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    gc->nx = nx;
    gc->ny = ny;
    gc->NX = 2 * nx;
    gc->NY = 2 * ny;
    gc->nc = (size_t)gc->NY * (size_t)(gc->NX / 2 + 1);
    gc->nslots = nslots;
    gc->kern = calloc((size_t)nslots, sizeof *gc->kern);
    gc->rbuf = fftwf_alloc_real((size_t)gc->NX * gc->NY);
    gc->cbuf = fftwf_alloc_complex(gc->nc);
    int ok = gc->kern && gc->rbuf && gc->cbuf;
    for (int s = 0; ok && s < nslots; s++)
        ok = (gc->kern[s] = fftwf_alloc_complex(gc->nc)) != NULL;
    if (ok) {
#pragma omp critical(lt_fftw_plan)
        {
            gc->fwd = fftwf_plan_dft_r2c_2d(gc->NY, gc->NX, gc->rbuf, gc->cbuf, FFTW_ESTIMATE);
            gc->inv = fftwf_plan_dft_c2r_2d(gc->NY, gc->NX, gc->cbuf, gc->rbuf, FFTW_ESTIMATE);
        }
        ok = gc->fwd && gc->inv;
    }
    if (!ok) {
        lt_gridconv_free(&gc);
        return lt_error_set(err, LT_ENOMEM, "out of memory for the %d x %d convolution", 2 * nx, 2 * ny);
    }
    *out = gc;
    return LT_OK;
}

void lt_gridconv_free(lt_gridconv **p)
{
    lt_gridconv *gc = *p;
    if (!gc)
        return;
    for (int s = 0; s < gc->nslots && gc->kern; s++)
        fftwf_free(gc->kern[s]);
    for (int m = 0; m < gc->nmaps; m++)
        fftwf_free(gc->maps[m]);
    free(gc->kern);
    free(gc->maps);
#pragma omp critical(lt_fftw_plan)
    {
        if (gc->fwd)
            fftwf_destroy_plan(gc->fwd);
        if (gc->inv)
            fftwf_destroy_plan(gc->inv);
    }
    fftwf_free(gc->rbuf);
    fftwf_free(gc->cbuf);
    free(gc);
    *p = NULL;
}

/* map (ny x nx) zero-padded into the NY x NX real array, transformed to dst. */
static void transform_map(const lt_gridconv *gc, const double *map, float *real, fftwf_complex *dst)
{
    memset(real, 0, (size_t)gc->NX * gc->NY * sizeof *real);
    for (int j = 0; j < gc->ny; j++)
        for (int i = 0; i < gc->nx; i++)
            real[(size_t)j * gc->NX + i] = (float)map[(size_t)j * gc->nx + i];
    fftwf_execute_dft_r2c(gc->fwd, real, dst);
}

int lt_gridconv_add_map(lt_gridconv *gc, const double *map, int *index, lt_error *err)
{
    if (gc->nmaps == gc->cap) {
        int cap = gc->cap ? 2 * gc->cap : 16;
        fftwf_complex **m = realloc(gc->maps, (size_t)cap * sizeof *m);
        if (!m)
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        gc->maps = m;
        gc->cap = cap;
    }
    fftwf_complex *dst = fftwf_alloc_complex(gc->nc);
    if (!dst)
        return lt_error_set(err, LT_ENOMEM, "out of memory for gridded emission transforms (%d maps so far)",
                            gc->nmaps);
    transform_map(gc, map, gc->rbuf, dst);
    gc->maps[gc->nmaps] = dst;
    *index = gc->nmaps++;
    return LT_OK;
}

void lt_gridconv_set_map(lt_gridconv *gc, int index, const double *map)
{
    transform_map(gc, map, gc->rbuf, gc->maps[index]);
}

void lt_gridconv_set_kernel(lt_gridconv *gc, int slot0, const lt_plume_src *s, double dx_m,
                            double zr_m, int ncomp)
{
    const int NX = gc->NX, NY = gc->NY, nx = gc->nx, ny = gc->ny;
    double *k = malloc((size_t)NX * NY * (size_t)ncomp * sizeof *k);
    float *kf = fftwf_alloc_real((size_t)NX * NY);
    if (!k || !kf) {
        free(k);
        fftwf_free(kf);
        return;
    }
    memset(k, 0, (size_t)NX * NY * (size_t)ncomp * sizeof *k);
    long nrow = 2L * ny - 1;
#pragma omp parallel for schedule(dynamic, 4)
    for (long jj = 0; jj < nrow; jj++) {
        int dj = (int)jj - (ny - 1);
        for (int di = -(nx - 1); di <= nx - 1; di++) {
            double ox = di * dx_m, oy = dj * dx_m;
            double xd = ox * s->cos_t + oy * s->sin_t;
            if (xd < s->umin + LT_X_MIN_M)
                continue;
            double yd = oy * s->cos_t - ox * s->sin_t;
            double c = lt_plume_at(s, xd, yd, zr_m);
            if (!(c > 0.0))
                continue;
            size_t at = (size_t)((dj + NY) % NY) * NX + (size_t)((di + NX) % NX);
            if (ncomp == 1) {
                k[at] = c;
                continue;
            }
            double comp[LT_NCOMP];
            lt_chem_src_eval(s->chem, (xd > 0.0 ? xd : 0.0) / s->u_travel_ms, comp);
            for (int q = 0; q < ncomp; q++)
                k[(size_t)q * NX * NY + at] = c * comp[q];
        }
    }
    /* the transforms: 1 / (NX NY) of the inverse folded in here */
    double scale = 1.0 / ((double)NX * NY);
    for (int q = 0; q < ncomp; q++) {
        const double *kq = k + (size_t)q * NX * NY;
        for (size_t i = 0; i < (size_t)NX * NY; i++)
            kf[i] = (float)(kq[i] * scale);
        fftwf_execute_dft_r2c(gc->fwd, kf, gc->kern[slot0 + q]);
    }
    free(k);
    fftwf_free(kf);
}

struct lt_gridconv_scratch {
    fftwf_complex *acc;
    float *real;
};

lt_gridconv_scratch *lt_gridconv_scratch_new(const lt_gridconv *gc)
{
    lt_gridconv_scratch *w = malloc(sizeof *w);
    if (!w)
        return NULL;
    w->acc = fftwf_alloc_complex(gc->nc);
    w->real = fftwf_alloc_real((size_t)gc->NX * gc->NY);
    if (!w->acc || !w->real)
        lt_gridconv_scratch_free(&w);
    return w;
}

void lt_gridconv_scratch_free(lt_gridconv_scratch **p)
{
    if (!*p)
        return;
    fftwf_free((*p)->acc);
    fftwf_free((*p)->real);
    free(*p);
    *p = NULL;
}

int lt_gridconv_apply(const lt_gridconv *gc, lt_gridconv_scratch *scratch, int nterms, const int *slot,
                      const int *map, const double *weight, double *out)
{
    lt_gridconv_scratch *own = scratch ? NULL : lt_gridconv_scratch_new(gc), *w = scratch ? scratch : own;
    if (!w)
        return -1;
    fftwf_complex *acc = w->acc;
    float *real = w->real;
    memset(acc, 0, gc->nc * sizeof *acc);
    for (int t = 0; t < nterms; t++) {
        const fftwf_complex *a = gc->kern[slot[t]], *b = gc->maps[map[t]];
        const float wt = (float)weight[t];
        for (size_t i = 0; i < gc->nc; i++) {
            acc[i][0] += wt * (a[i][0] * b[i][0] - a[i][1] * b[i][1]);
            acc[i][1] += wt * (a[i][0] * b[i][1] + a[i][1] * b[i][0]);
        }
    }
    fftwf_execute_dft_c2r(gc->inv, acc, real);
    for (int j = 0; j < gc->ny; j++)
        for (int i = 0; i < gc->nx; i++) {
            double v = real[(size_t)j * gc->NX + i];
            out[(size_t)j * gc->nx + i] = v > 0.0 ? v : 0.0; /* round-off below zero */
        }
    lt_gridconv_scratch_free(&own);
    return 0;
}

double lt_gridconv_sample(const double *f, int nx, int ny, double fi, double fj)
{
    fi = fi < 0 ? 0 : (fi > nx - 1 ? nx - 1 : fi);
    fj = fj < 0 ? 0 : (fj > ny - 1 ? ny - 1 : fj);
    int i0 = (int)floor(fi), j0 = (int)floor(fj);
    int i1 = i0 + 1 < nx ? i0 + 1 : i0, j1 = j0 + 1 < ny ? j0 + 1 : j0;
    double a = fi - i0, b = fj - j0;
    return (1 - a) * (1 - b) * f[(size_t)j0 * nx + i0] + a * (1 - b) * f[(size_t)j0 * nx + i1] +
           (1 - a) * b * f[(size_t)j1 * nx + i0] + a * b * f[(size_t)j1 * nx + i1];
}
