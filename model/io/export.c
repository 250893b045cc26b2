/* export.c — a run's output as a GeoTIFF (GDAL) or as county GeoJSON
 * (cJSON); see export.h. */
#include "io/export.h"
#include "io/runseries.h"

#include <cjson/cJSON.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <math.h>
#include <netcdf.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/lt_time.h"

#define LABEL_LEN 64

static const char *const run_files[3] = {".nc", "_daily.nc", "_period.nc"};

/* OUTPUT (without .nc) + suffix into buf. */
static void sibling(const char *run, const char *suffix, char *buf, size_t n)
{
    size_t l = strlen(run);
    if (l > 3 && !strcmp(run + l - 3, ".nc"))
        l -= 3;
    snprintf(buf, n, "%.*s%s", (int)l, run, suffix);
}

/* The run file (OUTPUT.nc, _daily.nc or _period.nc) that holds var, open. */
static int open_with(const char *run, const char *var, int *nc, int *vid, char *from, size_t n, lt_error *err)
{
    int st = nc_open(run, NC_NOWRITE, nc);
    if (st != NC_NOERR)
        return lt_error_set(err, LT_EIO, "%s: cannot open as NetCDF: %s: expected the output of lantian run", run,
                            nc_strerror(st));
    size_t len;
    if (nc_inq_attlen(*nc, NC_GLOBAL, "lantian_version", &len) != NC_NOERR) {
        nc_close(*nc);
        return lt_error_set(err, LT_EINPUT, "%s: no lantian_version attribute: expected the output of lantian run",
                            run);
    }
    for (int f = 0; f < 3; f++) {
        if (f) {
            sibling(run, run_files[f], from, n);
            if (nc_open(from, NC_NOWRITE, nc) != NC_NOERR)
                continue;
        } else
            snprintf(from, n, "%s", run);
        if (nc_inq_varid(*nc, var, vid) == NC_NOERR)
            return LT_OK;
        nc_close(*nc);
    }
    return lt_error_set(err, LT_EINPUT,
                        "%s: no variable '%s' in it or in its _daily.nc and _period.nc files: expected a map such as "
                        "pm25, pm25_mean, pm25_src or pm25_county",
                        run, var);
}

/* The labels of dimension dim (a text variable (dim, strlen)): *n and
 * *text (n x LABEL_LEN, owned by the caller); none: *text NULL. */
static void labels_of(int nc, int dim, size_t *n, char **text)
{
    int nv = 0;
    *text = NULL;
    *n = 0;
    nc_inq_nvars(nc, &nv);
    for (int v = 0; v < nv; v++) {
        int nd, dims[NC_MAX_VAR_DIMS];
        nc_type t;
        size_t len[2];
        if (nc_inq_var(nc, v, NULL, &t, &nd, dims, NULL) || t != NC_CHAR || nd != 2 || dims[0] != dim ||
            nc_inq_dimlen(nc, dims[0], &len[0]) || nc_inq_dimlen(nc, dims[1], &len[1]) || len[1] != LABEL_LEN)
            continue;
        *text = calloc(len[0] * LABEL_LEN + 1, 1);
        if (*text && (!len[0] || nc_get_var_text(nc, v, *text) == NC_NOERR))
            *n = len[0];
        return;
    }
}

/* The index along dimension dim chosen by spec (a label or a whole number). */
static int pick_level(int nc, int dim, const char *var, const char *spec, size_t *idx, lt_error *err)
{
    char dname[NC_MAX_NAME + 1] = "?";
    size_t len = 0, n;
    char *text;
    nc_inq_dim(nc, dim, dname, &len);
    labels_of(nc, dim, &n, &text);
    char list[512] = "";
    for (size_t i = 0; i < n && strlen(list) < sizeof list - LABEL_LEN - 8; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.*s", i ? ", " : "", LABEL_LEN,
                 text + i * LABEL_LEN);
    int rc = LT_OK;
    if (!spec) {
        rc = lt_error_set(err, LT_EINPUT, "variable '%s' has the dimension %s (%s): expected --level with one of them",
                          var, dname, n ? list : "no labels");
        free(text);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        if (!strncmp(text + i * LABEL_LEN, spec, LABEL_LEN) && strlen(spec) < LABEL_LEN) {
            *idx = i;
            free(text);
            return LT_OK;
        }
    char *end;
    long k = strtol(spec, &end, 10);
    free(text);
    if (*spec && !*end && k >= 0 && (size_t)k < len) {
        *idx = (size_t)k;
        return LT_OK;
    }
    return lt_error_set(err, LT_EINPUT, "--level '%s': not one of the %s of '%s' (%s): expected a label or an index "
                        "from 0 to %zu", spec, dname, var, n ? list : "no labels", len ? len - 1 : 0);
}

/* The time step chosen by spec: an index, or an ISO 8601 time inside its
 * bounds; *t0 the step's start (UTC seconds). */
static int pick_time(int nc, const char *spec, size_t nt, size_t *idx, lt_error *err)
{
    char *end;
    long k = strtol(spec, &end, 10);
    if (*spec && !*end) {
        if (k < 0 || (size_t)k >= nt)
            return lt_error_set(err, LT_EINPUT, "--time %s: expected an index from 0 to %zu", spec, nt - 1);
        *idx = (size_t)k;
        return LT_OK;
    }
    double t;
    if (lt_parse_iso8601(spec, &t))
        return lt_error_set(err, LT_EINPUT, "--time '%s': expected an index or an ISO 8601 time such as "
                            "2017-01-05T06:00:00Z", spec);
    int vb;
    double origin = 0.0;
    double *b = malloc(2 * nt * sizeof *b);
    if (!b)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int ok = nc_inq_varid(nc, "time_bnds", &vb) == NC_NOERR && nc_get_var_double(nc, vb, b) == NC_NOERR &&
             lt_nc_time_origin(nc, &origin);
    for (size_t i = 0; ok && i < nt; i++)
        if (t >= origin + 3600.0 * b[2 * i] && t < origin + 3600.0 * b[2 * i + 1]) {
            *idx = i;
            free(b);
            return LT_OK;
        }
    free(b);
    return lt_error_set(err, LT_EINPUT, "--time %s: %s: expected a time inside the file's time bounds", spec,
                        ok ? "no time step holds it" : "the file's time axis is not lantian's");
}

/* x or y of the file: n regular centres from c0 with step d. */
static int axis_of(int nc, const char *name, size_t n, double *c0, double *d, lt_error *err)
{
    int v;
    double *a = malloc((n ? n : 1) * sizeof *a);
    if (!a)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int st = nc_inq_varid(nc, name, &v);
    if (!st)
        st = nc_get_var_double(nc, v, a);
    int rc = LT_OK;
    if (st)
        rc = lt_error_set(err, LT_EINPUT, "the file has no coordinate '%s': expected lantian's projected grid", name);
    else {
        *c0 = a[0];
        *d = n > 1 ? (a[n - 1] - a[0]) / (double)(n - 1) : 1.0;
        for (size_t i = 1; i < n && !rc; i++)
            if (fabs(a[i] - a[i - 1] - *d) > 1e-6 * fabs(*d) + 1e-9)
                rc = lt_error_set(err, LT_EINPUT, "coordinate '%s' is not evenly spaced: expected a regular grid",
                                  name);
    }
    free(a);
    return rc;
}

/* The WKT of the file's grid mapping (crs_wkt, else proj4_params). */
static char *crs_wkt(int nc, int var)
{
    char gm[NC_MAX_NAME + 1] = "crs";
    size_t l = 0;
    if (nc_inq_attlen(nc, var, "grid_mapping", &l) == NC_NOERR && l < sizeof gm) {
        nc_get_att_text(nc, var, "grid_mapping", gm);
        gm[l] = '\0';
    }
    int v;
    if (nc_inq_varid(nc, gm, &v) != NC_NOERR)
        return NULL;
    const char *att[2] = {"crs_wkt", "proj4_params"};
    for (int k = 0; k < 2; k++) {
        if (nc_inq_attlen(nc, v, att[k], &l) != NC_NOERR)
            continue;
        char *txt = calloc(l + 1, 1);
        if (!txt || nc_get_att_text(nc, v, att[k], txt) != NC_NOERR) {
            free(txt);
            continue;
        }
        OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
        char *wkt = NULL;
        if (OSRSetFromUserInput(srs, txt) == OGRERR_NONE)
            OSRExportToWkt(srs, &wkt);
        OSRDestroySpatialReference(srs);
        free(txt);
        if (wkt) {
            char *copy = strdup(wkt);
            CPLFree(wkt);
            return copy;
        }
    }
    return NULL;
}

/* 1 when a and b are the same file. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* What the export of one map needs: the variable's shape and choices. */
typedef struct tif_plan {
    int nc, var, nd, dims[NC_MAX_VAR_DIMS];
    int tdim, ldim;              /* positions of time and of the label dimension (-1: none) */
    size_t nt, t_first, t_count, level, nx, ny;
    double x0, dx, y0, dy;
    float fill;
} tif_plan;

/* The variable's dimensions checked and the time steps and level chosen. */
static int plan_geotiff(const lt_export_geotiff_opts *o, tif_plan *p, lt_error *err)
{
    int rc = LT_OK;
    nc_type t;
    if (nc_inq_var(p->nc, p->var, NULL, &t, &p->nd, p->dims, NULL) != NC_NOERR)
        return lt_error_set(err, LT_EIO, "variable '%s' cannot be read", o->var);
    char yn[NC_MAX_NAME + 1] = "", xn[NC_MAX_NAME + 1] = "";
    if (p->nd >= 2) {
        nc_inq_dim(p->nc, p->dims[p->nd - 2], yn, &p->ny);
        nc_inq_dim(p->nc, p->dims[p->nd - 1], xn, &p->nx);
    }
    if (p->nd < 2 || p->nd > 4 || strcmp(yn, "y") || strcmp(xn, "x") || t == NC_CHAR)
        return lt_error_set(err, LT_EINPUT, "variable '%s' is not a map: expected its last dimensions to be (y, x)",
                            o->var);
    p->tdim = p->ldim = -1;
    for (int d = 0; d < p->nd - 2; d++) {
        char dn[NC_MAX_NAME + 1];
        size_t len;
        nc_inq_dim(p->nc, p->dims[d], dn, &len);
        if (!strcmp(dn, "time")) {
            p->tdim = d;
            p->nt = len;
        } else if (p->ldim < 0)
            p->ldim = d;
        else
            return lt_error_set(err, LT_EINPUT, "variable '%s' has two dimensions besides time, y and x", o->var);
    }
    p->t_first = 0;
    p->t_count = p->tdim >= 0 ? p->nt : 1;
    if (p->tdim >= 0 && o->time) {
        if ((rc = pick_time(p->nc, o->time, p->nt, &p->t_first, err)))
            return rc;
        p->t_count = 1;
    } else if (o->time && p->tdim < 0)
        return lt_error_set(err, LT_EINPUT, "--time %s: variable '%s' has no time dimension", o->time, o->var);
    if (p->tdim >= 0 && !p->nt)
        return lt_error_set(err, LT_EINPUT, "variable '%s' has no time steps", o->var);
    p->level = 0;
    if (p->ldim >= 0 && (rc = pick_level(p->nc, p->dims[p->ldim], o->var, o->level, &p->level, err)))
        return rc;
    if (p->ldim < 0 && o->level)
        return lt_error_set(err, LT_EINPUT, "--level %s: variable '%s' has no dimension to choose along", o->level,
                            o->var);
    if ((rc = axis_of(p->nc, "x", p->nx, &p->x0, &p->dx, err)) || (rc = axis_of(p->nc, "y", p->ny, &p->y0, &p->dy, err)))
        return rc;
    p->fill = NC_FILL_FLOAT;
    if (nc_get_att_float(p->nc, p->var, "_FillValue", &p->fill) != NC_NOERR)
        p->fill = NC_FILL_FLOAT;
    return LT_OK;
}

/* The time step's start as ISO 8601 for band k (the variable's file). */
static void band_name(const tif_plan *p, size_t ti, char *buf, size_t n)
{
    int vb;
    double b[2], origin;
    size_t s[2] = {ti, 0}, c[2] = {1, 2};
    char a[32], z[32];
    snprintf(buf, n, "step %zu", ti);
    if (p->tdim < 0) {
        snprintf(buf, n, "whole field");
        return;
    }
    if (nc_inq_varid(p->nc, "time_bnds", &vb) || nc_get_vara_double(p->nc, vb, s, c, b) ||
        !lt_nc_time_origin(p->nc, &origin))
        return;
    lt_format_iso8601(origin + 3600.0 * b[0], a, sizeof a);
    lt_format_iso8601(origin + 3600.0 * b[1], z, sizeof z);
    snprintf(buf, n, "%s/%s", a, z);
}

/* The bands into the GeoTIFF ds, rows north first. */
static int write_bands(const tif_plan *p, GDALDatasetH ds, lt_error *err)
{
    size_t ng = p->nx * p->ny;
    float *f = malloc(ng * sizeof *f), *row = malloc(ng * sizeof *row);
    int rc = LT_OK;
    if (!f || !row)
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    for (size_t k = 0; k < p->t_count && !rc; k++) {
        size_t start[4] = {0}, count[4];
        for (int d = 0; d < p->nd; d++)
            count[d] = 1;
        count[p->nd - 2] = p->ny;
        count[p->nd - 1] = p->nx;
        if (p->tdim >= 0)
            start[p->tdim] = p->t_first + k;
        if (p->ldim >= 0)
            start[p->ldim] = p->level;
        int st = nc_get_vara_float(p->nc, p->var, start, count, f);
        if (st) {
            rc = lt_error_set(err, LT_EIO, "reading the variable: %s", nc_strerror(st));
            break;
        }
        for (size_t j = 0; j < p->ny; j++)
            memcpy(row + j * p->nx, f + (p->ny - 1 - j) * p->nx, p->nx * sizeof *f);
        for (size_t i = 0; i < ng; i++)
            if (!isfinite(row[i]))
                row[i] = p->fill;
        GDALRasterBandH b = GDALGetRasterBand(ds, (int)k + 1);
        char name[96];
        band_name(p, p->t_first + k, name, sizeof name);
        GDALSetDescription(b, name);
        GDALSetRasterNoDataValue(b, p->fill);
        if (GDALRasterIO(b, GF_Write, 0, 0, (int)p->nx, (int)p->ny, row, (int)p->nx, (int)p->ny, GDT_Float32, 0,
                         0) != CE_None)
            rc = lt_error_set(err, LT_EIO, "writing the GeoTIFF: %s", CPLGetLastErrorMsg());
    }
    free(f);
    free(row);
    return rc;
}

/* The text attribute name of var into buf ("" when absent). */
static void text_att(int nc, int var, const char *name, char *buf, size_t n)
{
    size_t l = 0;
    buf[0] = '\0';
    if (nc_inq_attlen(nc, var, name, &l) == NC_NOERR && l < n && nc_get_att_text(nc, var, name, buf) == NC_NOERR)
        buf[l] = '\0';
}

int lt_export_geotiff(const lt_export_geotiff_opts *o, lt_export_result *r, lt_error *err)
{
    memset(r, 0, sizeof *r);
    tif_plan p = {.nc = -1};
    int rc = open_with(o->run, o->var, &p.nc, &p.var, r->from, sizeof r->from, err);
    if (rc)
        return rc;
    char *wkt = NULL;
    lt_error why;
    lt_error_clear(&why);
    if ((rc = plan_geotiff(o, &p, &why))) {
        lt_error_set(err, rc, "%s: %s", r->from, why.msg);
        goto done;
    }
    if (!(wkt = crs_wkt(p.nc, p.var))) {
        rc = lt_error_set(err, LT_EINPUT, "%s: variable '%s' has no usable grid mapping (crs_wkt or proj4_params)",
                          r->from, o->var);
        goto done;
    }
    if (o->out)
        snprintf(r->path, sizeof r->path, "%s", o->out);
    else {
        char suffix[256];
        snprintf(suffix, sizeof suffix, "_%s%s%s%s%s.tif", o->var, o->level ? "_" : "", o->level ? o->level : "",
                 o->time ? "_" : "", o->time ? o->time : "");
        for (char *c = suffix; *c; c++)
            if (*c == ':' || *c == '/' || *c == ' ')
                *c = '-';
        sibling(o->run, suffix, r->path, sizeof r->path);
    }
    for (int f = 0; f < 3; f++) {
        char rf[4200];
        if (f)
            sibling(o->run, run_files[f], rf, sizeof rf);
        else
            snprintf(rf, sizeof rf, "%s", o->run);
        if (same_file(rf, r->path)) {
            rc = lt_error_set(err, LT_EINPUT, "%s: is one of the run's files: expected another name for the GeoTIFF",
                              r->path);
            goto done;
        }
    }
    GDALAllRegister();
    CPLSetErrorHandler(CPLQuietErrorHandler); /* GDAL's messages come back in the error, not on stderr */
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.part%ld", r->path, (long)getpid());
    char *opts[] = {"COMPRESS=DEFLATE", "PREDICTOR=3", "TILED=YES", NULL};
    GDALDatasetH ds = drv ? GDALCreate(drv, tmp, (int)p.nx, (int)p.ny, (int)p.t_count, GDT_Float32, opts) : NULL;
    if (!ds) {
        rc = lt_error_set(err, LT_EIO, "%s: cannot create the GeoTIFF: %s", r->path,
                          drv ? CPLGetLastErrorMsg() : "GDAL has no GTiff driver");
        goto done;
    }
    /* cell edges: x0 - dx/2 at the west, the northern row's top edge */
    double gt[6] = {p.x0 - 0.5 * p.dx, p.dx, 0.0, p.y0 + ((double)p.ny - 0.5) * p.dy, 0.0, -p.dy};
    GDALSetGeoTransform(ds, gt);
    GDALSetProjection(ds, wkt);
    char units[64], ln[256];
    text_att(p.nc, p.var, "units", units, sizeof units);
    text_att(p.nc, p.var, "long_name", ln, sizeof ln);
    GDALSetMetadataItem(ds, "lantian_variable", o->var, NULL);
    GDALSetMetadataItem(ds, "lantian_run", r->from, NULL);
    if (units[0])
        GDALSetMetadataItem(ds, "units", units, NULL);
    if (ln[0])
        GDALSetMetadataItem(ds, "long_name", ln, NULL);
    if (o->level)
        GDALSetMetadataItem(ds, "lantian_level", o->level, NULL);
    rc = write_bands(&p, ds, err);
    GDALClose(ds);
    if (!rc && rename(tmp, r->path) != 0)
        rc = lt_error_set(err, LT_EIO, "%s: cannot rename %s to it", r->path, tmp);
    if (rc)
        unlink(tmp);
    r->bands = (int)p.t_count;
    r->nx = (int)p.nx;
    r->ny = (int)p.ny;
done:
    free(wkt);
    if (p.nc >= 0)
        nc_close(p.nc);
    return rc;
}

/* --- counties --- */

/* key of [section] in INI text into buf ("" when absent). */
static void ini_value(const char *text, const char *section, const char *key, char *buf, size_t n)
{
    buf[0] = '\0';
    int in = 0;
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        const char *e = strchr(line, '\n');
        size_t len = e ? (size_t)(e - line) : strlen(line);
        while (len && (*line == ' ' || *line == '\t'))
            line++, len--;
        if (len && *line == '[') {
            in = len >= strlen(section) + 2 && !strncmp(line + 1, section, strlen(section)) &&
                 line[strlen(section) + 1] == ']';
            continue;
        }
        size_t kl = strlen(key);
        if (!in || len <= kl || strncmp(line, key, kl) || (line[kl] != ' ' && line[kl] != '='))
            continue;
        const char *v = memchr(line, '=', len);
        if (!v)
            continue;
        v++;
        size_t vl = len - (size_t)(v - line);
        while (vl && (*v == ' ' || *v == '\t'))
            v++, vl--;
        while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\r' || v[vl - 1] == '\t'))
            vl--;
        snprintf(buf, n, "%.*s", (int)vl, v);
        return;
    }
}

/* Per county of the run: grid-cell means of pm25_mean and of each tag of
 * pm25_src over the run, the county's station days from the daily file. */
typedef struct county_vals {
    size_t nreg, ntag, ncty;
    char *reg, *tags, *cty;      /* labels */
    long *cells;                 /* [nreg] */
    double *mean, *tag;          /* [nreg], [nreg][ntag] */
    double *st_mean;             /* [ncty] mean of valid daily PM2.5 */
    int *valid, *good, *heavy;   /* [ncty] */
} county_vals;

static void county_vals_free(county_vals *c)
{
    free(c->reg);
    free(c->tags);
    free(c->cty);
    free(c->cells);
    free(c->mean);
    free(c->tag);
    free(c->st_mean);
    free(c->valid);
    free(c->good);
    free(c->heavy);
}

/* The time mean of each tag of pm25_src (hourly file, or the period
 * file's) summed over each county's cells into c->tag. */
static int tag_means(const char *run, int nc, const int *cell, county_vals *c, size_t ng, lt_error *err)
{
    int v, f = nc, dims[4], nd;
    char from[4200];
    if (nc_inq_varid(f, "pm25_src", &v) != NC_NOERR) {
        sibling(run, "_period.nc", from, sizeof from);
        if (nc_open(from, NC_NOWRITE, &f) != NC_NOERR || nc_inq_varid(f, "pm25_src", &v) != NC_NOERR) {
            if (f != nc)
                nc_close(f);
            c->ntag = 0; /* no sector maps: no sector properties */
            return LT_OK;
        }
    }
    size_t nt = 0, ns = 0;
    nc_inq_varndims(f, v, &nd);
    nc_inq_vardimid(f, v, dims);
    nc_inq_dimlen(f, dims[0], &nt);
    nc_inq_dimlen(f, dims[1], &ns);
    int rc = LT_OK;
    float *buf = malloc(ns * ng * sizeof *buf);
    if (!buf || nd != 4 || ns != c->ntag)
        rc = buf ? lt_error_set(err, LT_EINPUT, "%s: pm25_src is not (time, source, y, x)", run)
                 : lt_error_set(err, LT_ENOMEM, "out of memory");
    for (size_t t = 0; t < nt && !rc; t++) {
        size_t s[4] = {t, 0, 0, 0}, n[4] = {1, ns, 0, 0};
        nc_inq_dimlen(f, dims[2], &n[2]);
        nc_inq_dimlen(f, dims[3], &n[3]);
        if (nc_get_vara_float(f, v, s, n, buf) != NC_NOERR) {
            rc = lt_error_set(err, LT_EIO, "%s: cannot read pm25_src", run);
            break;
        }
        for (size_t g = 0; g < ns; g++)
            for (size_t i = 0; i < ng; i++)
                if (cell[i] >= 0 && (size_t)cell[i] < c->nreg && isfinite(buf[g * ng + i]))
                    c->tag[(size_t)cell[i] * ns + g] += buf[g * ng + i] / (double)nt;
    }
    free(buf);
    if (f != nc)
        nc_close(f);
    return rc;
}

/* The counties' station days from the daily file (none: ncty 0). */
static void county_days(const char *run, county_vals *c)
{
    char from[4200];
    int nc, vp, va, d;
    sibling(run, "_daily.nc", from, sizeof from);
    c->ncty = 0;
    if (nc_open(from, NC_NOWRITE, &nc) != NC_NOERR)
        return;
    size_t nd = 0;
    int dt;
    if (nc_inq_varid(nc, "county_pm25_daily", &vp) || nc_inq_varid(nc, "county_aqi", &va) ||
        nc_inq_dimid(nc, "county", &d) || nc_inq_dimid(nc, "time", &dt)) {
        nc_close(nc);
        return;
    }
    nc_inq_dimlen(nc, dt, &nd);
    labels_of(nc, d, &c->ncty, &c->cty);
    size_t n = nd * c->ncty;
    float *pm = malloc((n ? n : 1) * sizeof *pm);
    int *aqi = malloc((n ? n : 1) * sizeof *aqi);
    c->st_mean = calloc(c->ncty + 1, sizeof *c->st_mean);
    c->valid = calloc(c->ncty + 1, sizeof *c->valid);
    c->good = calloc(c->ncty + 1, sizeof *c->good);
    c->heavy = calloc(c->ncty + 1, sizeof *c->heavy);
    if (!pm || !aqi || !c->st_mean || !c->valid || !c->good || !c->heavy ||
        (n && (nc_get_var_float(nc, vp, pm) || nc_get_var_int(nc, va, aqi))))
        c->ncty = 0;
    for (size_t i = 0; i < n && c->ncty; i++) {
        size_t k = i % c->ncty;
        if (aqi[i] < 0 || !isfinite(pm[i]) || pm[i] > 1e30f)
            continue;
        c->valid[k]++;
        c->st_mean[k] += pm[i];
        c->good[k] += aqi[i] <= 100;
        c->heavy[k] += aqi[i] > 200;
    }
    for (size_t k = 0; k < c->ncty; k++)
        if (c->valid[k])
            c->st_mean[k] /= c->valid[k];
    free(pm);
    free(aqi);
    nc_close(nc);
}

/* Everything per county the GeoJSON carries, from the run's files. */
static int county_values(const char *run, int nc, county_vals *c, lt_error *err)
{
    int d_reg, v_cell, v_mean, d_src;
    size_t ny, nx;
    int dy, dx;
    if (nc_inq_dimid(nc, "region", &d_reg) || nc_inq_varid(nc, "cell_region", &v_cell))
        return lt_error_set(err, LT_EINPUT, "%s: no county raster (cell_region): expected a run with [domain] counties",
                            run);
    if (nc_inq_varid(nc, "pm25_mean", &v_mean))
        return lt_error_set(err, LT_EINPUT, "%s: no pm25_mean: expected the hourly file of a lantian run", run);
    nc_inq_dimid(nc, "y", &dy);
    nc_inq_dimid(nc, "x", &dx);
    nc_inq_dimlen(nc, dy, &ny);
    nc_inq_dimlen(nc, dx, &nx);
    size_t ng = ny * nx;
    labels_of(nc, d_reg, &c->nreg, &c->reg);
    c->ntag = 0;
    if (!nc_inq_dimid(nc, "source", &d_src))
        labels_of(nc, d_src, &c->ntag, &c->tags);
    int *cell = malloc(ng * sizeof *cell);
    float *mean = malloc(ng * sizeof *mean);
    c->cells = calloc(c->nreg + 1, sizeof *c->cells);
    c->mean = calloc(c->nreg + 1, sizeof *c->mean);
    c->tag = calloc((c->nreg + 1) * (c->ntag + 1), sizeof *c->tag);
    int rc = LT_OK;
    if (!cell || !mean || !c->cells || !c->mean || !c->tag || !c->reg)
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    else if (nc_get_var_int(nc, v_cell, cell) || nc_get_var_float(nc, v_mean, mean))
        rc = lt_error_set(err, LT_EIO, "%s: cannot read cell_region and pm25_mean", run);
    for (size_t i = 0; i < ng && !rc; i++)
        if (cell[i] >= 0 && (size_t)cell[i] < c->nreg) {
            c->cells[cell[i]]++;
            c->mean[cell[i]] += mean[i];
        }
    if (!rc)
        rc = tag_means(run, nc, cell, c, ng, err);
    for (size_t k = 0; k < c->nreg && !rc; k++)
        if (c->cells[k]) {
            c->mean[k] /= (double)c->cells[k];
            for (size_t g = 0; g < c->ntag; g++)
                c->tag[k * c->ntag + g] /= (double)c->cells[k];
        }
    free(cell);
    free(mean);
    if (!rc)
        county_days(run, c);
    return rc;
}

static double r4(double v) { return round(v * 1e4) / 1e4; }

/* The run's values as properties of feature props, county k. */
static void add_properties(cJSON *props, const county_vals *c, size_t k, const char *name)
{
    cJSON_AddNumberToObject(props, "lantian_cells", (double)c->cells[k]);
    cJSON_AddNumberToObject(props, "pm25_mean_ugm3", r4(c->mean[k]));
    for (size_t g = 0; g < c->ntag; g++) {
        char key[96];
        snprintf(key, sizeof key, "pm25_%.*s_ugm3", LABEL_LEN, c->tags + g * LABEL_LEN);
        cJSON_AddNumberToObject(props, key, r4(c->tag[k * c->ntag + g]));
    }
    for (size_t j = 0; j < c->ncty; j++)
        if (!strncmp(c->cty + j * LABEL_LEN, name, LABEL_LEN)) {
            if (c->valid[j])
                cJSON_AddNumberToObject(props, "station_pm25_mean_ugm3", r4(c->st_mean[j]));
            else
                cJSON_AddNullToObject(props, "station_pm25_mean_ugm3"); /* no valid day */
            cJSON_AddNumberToObject(props, "valid_days", c->valid[j]);
            cJSON_AddNumberToObject(props, "good_days", c->good[j]);
            cJSON_AddNumberToObject(props, "heavy_days", c->heavy[j]);
        }
}

/* The counties file and its name property: as given, else the run's own. */
static int counties_source(const lt_export_counties_opts *o, int nc, char *path, size_t n, char *prop, size_t pn,
                           lt_error *err)
{
    size_t l = 0;
    char *cfg = NULL, cfgfile[4200] = "";
    if (nc_inq_attlen(nc, NC_GLOBAL, "lantian_config", &l) == NC_NOERR && (cfg = calloc(l + 1, 1)))
        nc_get_att_text(nc, NC_GLOBAL, "lantian_config", cfg);
    text_att(nc, NC_GLOBAL, "lantian_config_file", cfgfile, sizeof cfgfile);
    char rel[4200] = "";
    if (cfg) {
        ini_value(cfg, "domain", "counties", rel, sizeof rel);
        ini_value(cfg, "domain", "county_property", prop, pn);
    }
    free(cfg);
    if (o->property)
        snprintf(prop, pn, "%s", o->property);
    if (!prop[0])
        snprintf(prop, pn, "name");
    if (o->counties) {
        snprintf(path, n, "%s", o->counties);
        return LT_OK;
    }
    if (!rel[0])
        return lt_error_set(err, LT_EINPUT, "%s: the run had no [domain] counties: expected --counties FILE.geojson",
                            o->run);
    const char *slash = strrchr(cfgfile, '/');
    int k = rel[0] == '/' || !slash ? snprintf(path, n, "%s", rel)
                                    : snprintf(path, n, "%.*s/%s", (int)(slash - cfgfile), cfgfile, rel);
    if (k < 0 || (size_t)k >= n)
        return lt_error_set(err, LT_EINPUT, "%s: the run's counties path is too long: expected --counties FILE.geojson",
                            o->run);
    if (access(path, R_OK) != 0)
        return lt_error_set(err, LT_EIO, "%s: the run's counties file %s cannot be read from here: expected "
                            "--counties FILE.geojson", o->run, path);
    return LT_OK;
}

/* The GeoJSON text of a file, parsed. */
static cJSON *read_geojson(const char *path, lt_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        lt_error_set(err, LT_EIO, "%s: cannot open", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *txt = n >= 0 ? malloc((size_t)n + 1) : NULL;
    size_t got = txt ? fread(txt, 1, (size_t)n, f) : 0;
    fclose(f);
    cJSON *root = NULL;
    if (txt && got == (size_t)n) {
        txt[n] = '\0';
        root = cJSON_Parse(txt);
    }
    free(txt);
    if (!root || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "features"))) {
        cJSON_Delete(root);
        lt_error_set(err, LT_EINPUT, "%s: not a GeoJSON FeatureCollection: expected the counties' polygons", path);
        return NULL;
    }
    return root;
}

int lt_export_counties(const lt_export_counties_opts *o, lt_export_result *r, lt_error *err)
{
    memset(r, 0, sizeof *r);
    int nc, vid, rc;
    county_vals c = {0};
    if ((rc = open_with(o->run, "pm25_mean", &nc, &vid, r->from, sizeof r->from, err)))
        return rc;
    char gj[4200], prop[128] = "";
    cJSON *root = NULL;
    if ((rc = counties_source(o, nc, gj, sizeof gj, prop, sizeof prop, err)) ||
        (rc = county_values(o->run, nc, &c, err)))
        goto done;
    if (!(root = read_geojson(gj, err))) {
        rc = LT_EINPUT;
        goto done;
    }
    const cJSON *feats = cJSON_GetObjectItemCaseSensitive(root, "features"), *ft;
    cJSON_ArrayForEach(ft, feats)
    {
        cJSON *props = cJSON_GetObjectItemCaseSensitive(ft, "properties");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(props, prop);
        r->bands++;
        if (!cJSON_IsString(name))
            continue;
        for (size_t k = 0; k < c.nreg; k++)
            if (!strncmp(c.reg + k * LABEL_LEN, name->valuestring, LABEL_LEN)) {
                add_properties(props, &c, k, name->valuestring);
                r->matched++;
                break;
            }
    }
    if (!r->matched) {
        rc = lt_error_set(err, LT_EINPUT, "%s: no feature's '%s' is a county of the run: expected the run's counties "
                          "file", gj, prop);
        goto done;
    }
    if (o->out)
        snprintf(r->path, sizeof r->path, "%s", o->out);
    else
        sibling(o->run, "_counties.geojson", r->path, sizeof r->path);
    if (same_file(gj, r->path) || same_file(o->run, r->path)) {
        rc = lt_error_set(err, LT_EINPUT, "%s: is one of the inputs: expected another name for the GeoJSON", r->path);
        goto done;
    }
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.part%ld", r->path, (long)getpid());
    char *txt = cJSON_Print(root);
    FILE *f = txt ? fopen(tmp, "w") : NULL;
    int bad = !f || fputs(txt, f) < 0 || fputc('\n', f) < 0;
    if (f)
        bad |= fclose(f) != 0;
    free(txt);
    if (bad || rename(tmp, r->path) != 0) {
        unlink(tmp);
        rc = lt_error_set(err, LT_EIO, "%s: cannot write the GeoJSON", r->path);
    }
done:
    cJSON_Delete(root);
    county_vals_free(&c);
    nc_close(nc);
    return rc;
}
