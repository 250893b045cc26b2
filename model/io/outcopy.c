/* outcopy.c — copies between the run's files: the checkpoint's copy of the
 * files so far and its restoring; the station series as a CSV table and a
 * CF discrete-sampling (timeSeries) file, made from the hourly file once it
 * is closed. */
#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lt_time.h"
#include "io/output_impl.h"

static const char *const group_name[LT_OUT_NFILES] = {"", "daily", "period"};

/* The values of variable sv of src into dv of dst, one record along the
 * first dimension at a time, or whole chunks of dst along it when dst is
 * chunked (the files have no chunk cache: a part of a chunk would be read,
 * changed and written); *buf is grown as needed. */
static int copy_values(lt_output *o, int src, int sv, int dst, int dv, void **buf, lt_error *err)
{
    int rc = LT_OK, nd, dims[NC_MAX_VAR_DIMS];
    nc_type t;
    size_t tsize, len[NC_MAX_VAR_DIMS], slab = 1;
    NC(nc_inq_var(src, sv, NULL, &t, &nd, dims, NULL));
    NC(nc_inq_type(src, t, NULL, &tsize));
    for (int d = 0; d < nd; d++) {
        NC(nc_inq_dimlen(src, dims[d], &len[d]));
        if (d > 0)
            slab *= len[d];
    }
    size_t nrec = nd ? len[0] : 1, step = 1, chunks[NC_MAX_VAR_DIMS];
    int storage = NC_CONTIGUOUS;
    if (nd && nc_inq_var_chunking(dst, dv, &storage, chunks) == NC_NOERR && storage == NC_CHUNKED && chunks[0] > 0)
        step = chunks[0];
    /* as many whole chunks at a time as fit in 32 MB: fewer, larger calls */
    size_t rec_bytes = (slab ? slab : 1) * tsize;
    while (step < nrec && 2 * step * rec_bytes <= ((size_t)32 << 20))
        step *= 2;
    void *nb = realloc(*buf, (slab ? slab : 1) * step * tsize);
    if (!nb)
        return lt_error_set(err, LT_ENOMEM, "out of memory copying the output");
    *buf = nb;
    if (!nd) {
        NC(nc_get_var(src, sv, nb));
        NC(nc_put_var(dst, dv, nb));
        return LT_OK;
    }
    for (size_t r = 0; r < nrec; r += step) {
        size_t start[NC_MAX_VAR_DIMS] = {0}, count[NC_MAX_VAR_DIMS];
        for (int d = 0; d < nd; d++)
            count[d] = d ? len[d] : (nrec - r < step ? nrec - r : step);
        start[0] = r;
        NC(nc_get_vara(src, sv, start, count, nb));
        NC(nc_put_vara(dst, dv, start, count, nb));
    }
    return LT_OK;
fail:
    return rc;
}

/* Variable v of src defined in dst (dimensions found by name; missing ones
 * defined with src's length, time unlimited), attributes and all; *dv its id. */
static int copy_definition(lt_output *o, int src, int v, int dst, int *dv, lt_error *err)
{
    int rc = LT_OK, nd, dims[NC_MAX_VAR_DIMS], nat, dd[NC_MAX_VAR_DIMS], unlim = -1;
    char name[NC_MAX_NAME + 1];
    nc_type t;
    NC(nc_inq_var(src, v, name, &t, &nd, dims, &nat));
    nc_inq_unlimdim(src, &unlim);
    for (int d = 0; d < nd; d++) {
        char dn[NC_MAX_NAME + 1];
        size_t len;
        NC(nc_inq_dim(src, dims[d], dn, &len));
        if (nc_inq_dimid(dst, dn, &dd[d]) != NC_NOERR)
            NC(nc_def_dim(dst, dn, dims[d] == unlim || !strcmp(dn, "time") ? NC_UNLIMITED : len, &dd[d]));
    }
    NC(nc_def_var(dst, name, t, nd, dd, dv));
    int storage = NC_CONTIGUOUS, shuffle = 0, deflate = 0, level = 0;
    size_t chunks[NC_MAX_VAR_DIMS];
    if (nd && nc_inq_var_chunking(src, v, &storage, chunks) == NC_NOERR && storage == NC_CHUNKED)
        NC(nc_def_var_chunking(dst, *dv, NC_CHUNKED, chunks));
    if (nc_inq_var_deflate(src, v, &shuffle, &deflate, &level) == NC_NOERR && deflate)
        NC(nc_def_var_deflate(dst, *dv, shuffle, 1, level));
    for (int a = 0; a < nat; a++) {
        char an[NC_MAX_NAME + 1];
        NC(nc_inq_attname(src, v, a, an));
        NC(nc_copy_att(src, v, an, dst, *dv));
    }
    return LT_OK;
fail:
    return rc;
}

/* Every variable of file src (open) into a new group gname of dst. */
static int copy_into_group(lt_output *o, int src, int dst, const char *gname, lt_error *err)
{
    int rc = LT_OK, g, nv, dv;
    void *buf = NULL;
    NC(nc_def_grp(dst, gname, &g));
    /* the group's own dimensions first, so that its time shadows the root's */
    int ndim, ids[NC_MAX_DIMS], unlim = -1;
    NC(nc_inq_dimids(src, &ndim, ids, 0));
    nc_inq_unlimdim(src, &unlim);
    for (int d = 0; d < ndim; d++) {
        char dn[NC_MAX_NAME + 1];
        size_t len;
        int id;
        NC(nc_inq_dim(src, ids[d], dn, &len));
        NC(nc_def_dim(g, dn, ids[d] == unlim ? NC_UNLIMITED : len, &id));
    }
    NC(nc_inq_nvars(src, &nv));
    for (int v = 0; v < nv && !rc; v++)
        rc = copy_definition(o, src, v, g, &dv, err);
    for (int v = 0; v < nv && !rc; v++)
        rc = copy_values(o, src, v, g, v, &buf, err);
fail:
    free(buf);
    return rc;
}

int lt_output_snapshot(lt_output *o, const char *dest, lt_error *err)
{
    int rc = lt_output_flush_chunks(o, err);
    if (rc)
        return rc;
    for (int w = 0; w < LT_OUT_NFILES; w++) /* everything written so far on disk, metadata too */
        if (o->fr[w].ncid >= 0)
            NC(nc_sync(o->fr[w].ncid));
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", dest);
    lt_temp_add(o->spec.temp_files, tmp);
    FILE *in = fopen(o->tmp, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
    int bad = !in || !out;
    char buf[1 << 16];
    size_t n;
    while (!bad && (n = fread(buf, 1, sizeof buf, in)) > 0)
        bad = fwrite(buf, 1, n, out) != n;
    bad |= in && ferror(in);
    if (in)
        fclose(in);
    if (out)
        bad |= fclose(out) != 0;
    /* the daily and period files as groups of the copy */
    int cp = -1;
    for (int w = 1; w < LT_OUT_NFILES && !bad && !rc; w++)
        if (o->fr[w].ncid >= 0) {
            if (cp < 0 && nc_open(tmp, NC_WRITE, &cp) != NC_NOERR) {
                cp = -1;
                bad = 1;
                break;
            }
            rc = copy_into_group(o, o->fr[w].ncid, cp, group_name[w], err);
        }
    if (cp >= 0)
        bad |= nc_close(cp) != NC_NOERR;
    if (rc || bad || rename(tmp, dest) != 0) {
        remove(tmp);
        lt_temp_drop(o->spec.temp_files, tmp);
        return rc ? rc : lt_error_set(err, LT_EIO, "%s: cannot copy the partial output for the checkpoint", dest);
    }
    lt_temp_drop(o->spec.temp_files, tmp);
    return LT_OK;
fail:
    return rc;
}

/* Every variable of src written into the variable of the same name in dst. */
static int restore_file(lt_output *o, int src, int dst, void **buf, lt_error *err)
{
    int rc = LT_OK, nv = 0, dv;
    NC(nc_inq_nvars(src, &nv));
    for (int v = 0; v < nv && !rc; v++) {
        char name[NC_MAX_NAME + 1];
        NC(nc_inq_varname(src, v, name));
        if (nc_inq_varid(dst, name, &dv) == NC_NOERR)
            rc = copy_values(o, src, v, dst, dv, buf, err);
    }
fail:
    return rc;
}

int lt_output_restore(lt_output *o, const char *from, lt_error *err)
{
    int rc = LT_OK, src = -1, g;
    void *buf = NULL;
    int st = nc_open(from, NC_NOWRITE, &src);
    if (st != NC_NOERR)
        return lt_error_set(err, LT_EIO, "%s: cannot open the checkpoint's output copy: %s", from, nc_strerror(st));
    rc = restore_file(o, src, o->fr[LT_OUT_HOURLY].ncid, &buf, err);
    for (int w = 1; w < LT_OUT_NFILES && !rc; w++) {
        int has = nc_inq_grp_ncid(src, group_name[w], &g) == NC_NOERR;
        if (has != (o->fr[w].ncid >= 0))
            rc = lt_error_set(err, LT_EINPUT, "%s: the checkpoint's copy %s the %s file this run writes", from,
                              has ? "has a group for" : "lacks", group_name[w]);
        else if (has)
            rc = restore_file(o, g, o->fr[w].ncid, &buf, err);
    }
    free(buf);
    nc_close(src);
    return rc;
}

/* --- the stations' side files --- */

/* n labels of variable name (n x strlen text) into *out (NULL: none). */
static int read_labels(int nc, const char *name, size_t *n, char **out)
{
    int v, dims[2];
    size_t len[2];
    *out = NULL;
    *n = 0;
    if (nc_inq_varid(nc, name, &v) != NC_NOERR)
        return NC_NOERR;
    int st = nc_inq_vardimid(nc, v, dims);
    if (!st)
        st = nc_inq_dimlen(nc, dims[0], &len[0]);
    if (!st)
        st = nc_inq_dimlen(nc, dims[1], &len[1]);
    if (st)
        return st;
    *out = calloc(len[0] * len[1] + 1, 1);
    if (!*out)
        return NC_ENOMEM;
    *n = len[0];
    return len[0] ? nc_get_var_text(nc, v, *out) : NC_NOERR;
}

/* The CSV: time (the hour's start, UTC), station, total, one column per tag. */
static int write_station_csv(lt_output *o, int nc, const char *csv, lt_error *err)
{
    int rc = LT_OK, v_st, v_src = -1;
    size_t nst, ntag, nh = (size_t)o->hours;
    char *st_names = NULL, *tag_names = NULL;
    float *tot = NULL, *src = NULL;
    FILE *f = NULL;
    NC(nc_inq_varid(nc, "station_pm25", &v_st));
    if (nc_inq_varid(nc, "station_pm25_src", &v_src) != NC_NOERR)
        v_src = -1;
    NC(read_labels(nc, "station_name", &nst, &st_names));
    NC(read_labels(nc, "source_name", &ntag, &tag_names));
    if (v_src < 0)
        ntag = 0;
    tot = malloc((nh * nst + 1) * sizeof *tot);
    src = malloc((nh * ntag * nst + 1) * sizeof *src);
    if (!tot || !src) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory writing the stations' table");
        goto fail;
    }
    NC(nc_get_var_float(nc, v_st, tot));
    if (ntag)
        NC(nc_get_var_float(nc, v_src, src));
    if (!(f = fopen(csv, "w"))) {
        rc = lt_error_set(err, LT_EIO, "%s: cannot write the stations' table", csv);
        goto fail;
    }
    fputs("time,station,total", f);
    for (size_t g = 0; g < ntag; g++)
        fprintf(f, ",%.*s", LT_OUT_STRLEN, tag_names + g * LT_OUT_STRLEN);
    fputc('\n', f);
    for (size_t h = 0; h < nh; h++) {
        char iso[32];
        lt_format_iso8601(o->start_s + 3600.0 * (double)h, iso, sizeof iso);
        for (size_t k = 0; k < nst; k++) {
            fprintf(f, "%s,%.*s,%.4f", iso, LT_OUT_STRLEN, st_names + k * LT_OUT_STRLEN, tot[h * nst + k]);
            for (size_t g = 0; g < ntag; g++)
                fprintf(f, ",%.4f", src[(h * ntag + g) * nst + k]);
            fputc('\n', f);
        }
    }
    if (ferror(f) | (fclose(f) != 0)) {
        f = NULL;
        rc = lt_error_set(err, LT_EIO, "%s: writing the stations' table failed (disk full?)", csv);
        goto fail;
    }
    f = NULL;
fail:
    if (f)
        fclose(f);
    free(st_names);
    free(tag_names);
    free(tot);
    free(src);
    return rc;
}

/* 1 when variable v of nc belongs in the stations' DSG file: a series
 * (time first, station last), or a coordinate or label they need. */
static int station_var(int nc, int v, int d_time, int d_st)
{
    int nd, dims[NC_MAX_VAR_DIMS];
    char name[NC_MAX_NAME + 1];
    nc_type t;
    if (nc_inq_var(nc, v, name, &t, &nd, dims, NULL) != NC_NOERR)
        return 0;
    if (nd >= 2 && dims[0] == d_time && dims[nd - 1] == d_st && t == NC_FLOAT)
        return 1;
    static const char *const keep[] = {"time", "time_bnds", "station_name", "station_id", "station_county", "station_code", "station_city",
                                       "station_lat", "station_lon", "source_name", "source_county_name",
                                       "component_name", "scenario_name", "county_name", "quantization_info"};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        if (!strcmp(name, keep[i]))
            return 1;
    return 0;
}

/* The DSG file: every station series of the hourly file with its labels. */
static int write_station_dsg(lt_output *o, int nc, const char *dsg, lt_error *err)
{
    int rc = LT_OK, out = -1, nv, d_time, d_st, nat;
    void *buf = NULL;
    NC(nc_inq_dimid(nc, "time", &d_time));
    NC(nc_inq_dimid(nc, "station", &d_st));
    NC(nc_create(dsg, NC_NETCDF4 | NC_CLOBBER, &out));
    NC(nc_inq_natts(nc, &nat));
    for (int a = 0; a < nat; a++) {
        char an[NC_MAX_NAME + 1];
        NC(nc_inq_attname(nc, NC_GLOBAL, a, an));
        NC(nc_copy_att(nc, NC_GLOBAL, an, out, NC_GLOBAL));
    }
    const char *title = "lantian PM2.5 dispersion run: hourly series at the stations";
    NC(nc_put_att_text(out, NC_GLOBAL, "title", strlen(title), title));
    NC(nc_put_att_text(out, NC_GLOBAL, "featureType", 10, "timeSeries"));
    NC(nc_inq_nvars(nc, &nv));
    int *dv = malloc((size_t)(nv ? nv : 1) * sizeof *dv);
    if (!dv) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto fail;
    }
    for (int v = 0; v < nv && !rc; v++) {
        dv[v] = -1;
        if (station_var(nc, v, d_time, d_st))
            rc = copy_definition(o, nc, v, out, &dv[v], err);
    }
    for (int v = 0; v < nv && !rc; v++)
        if (dv[v] >= 0)
            rc = copy_values(o, nc, v, out, dv[v], &buf, err);
    free(dv);
    if (rc)
        goto fail;
    int st = nc_close(out);
    out = -1;
    NC(st);
fail:
    if (out >= 0)
        nc_close(out);
    free(buf);
    return rc;
}

int lt_output_station_files(lt_output *o, const char *path, const char *csv, const char *dsg, lt_error *err)
{
    int nc = -1, rc = LT_OK, v;
    int st = nc_open(path, NC_NOWRITE, &nc);
    if (st != NC_NOERR)
        return lt_error_set(err, LT_EIO, "%s: cannot reopen the output for the stations' files: %s", o->path,
                            nc_strerror(st));
    if (nc_inq_varid(nc, "station_pm25", &v) == NC_NOERR) {
        if (csv)
            rc = write_station_csv(o, nc, csv, err);
        if (!rc && dsg)
            rc = write_station_dsg(o, nc, dsg, err);
    }
    nc_close(nc);
    return rc;
}
