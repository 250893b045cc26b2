/* nc3check.c — a netCDF-3 file cut short (see nc3check.h).
 *
 * The classic formats (CDF-1, CDF-2 = 64-bit offset, CDF-5) put every
 * variable at an offset ("begin") the header gives, with its size per record
 * ("vsize"); record variables repeat every recsize bytes, numrecs times. The
 * netCDF library reads past the end of a truncated file as fill values, so
 * the length the header implies is computed here and compared with the file:
 * the header layout is that of "The NetCDF Classic Format Specification"
 * (NetCDF Users Guide, Appendix: File Format Specifications). */
#include "io/nc3check.h"

#include <netcdf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct reader {
    FILE *f;
    int version;     /* 1, 2 or 5 */
    int bad;
} reader;

static uint64_t get_be(reader *r, int bytes)
{
    unsigned char b[8];
    if (r->bad || fread(b, 1, (size_t)bytes, r->f) != (size_t)bytes) {
        r->bad = 1;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | b[i];
    return v;
}

/* A count (NON_NEG): 4 bytes, 8 in CDF-5. */
static uint64_t get_count(reader *r) { return get_be(r, r->version == 5 ? 8 : 4); }

static void skip(reader *r, uint64_t n)
{
    if (!r->bad && (n > (1ull << 40) || fseek(r->f, (long)n, SEEK_CUR) != 0))
        r->bad = 1;
}

static uint64_t pad4(uint64_t n) { return (n + 3) & ~(uint64_t)3; }

static int type_size(uint64_t t)
{
    static const int sz[12] = {0, 1, 1, 2, 4, 4, 8, 1, 2, 4, 8, 8};
    return t >= 1 && t <= 11 ? sz[t] : 0;
}

static void skip_name(reader *r)
{
    skip(r, pad4(get_count(r)));
}

/* An attribute list (ABSENT or NC_ATTRIBUTE nelems [attr ...]). */
static void skip_atts(reader *r)
{
    uint64_t tag = get_be(r, 4), n = get_count(r);
    if (tag == 0)
        return;
    if (tag != 0x0C || n > 100000) {
        r->bad = 1;
        return;
    }
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        skip_name(r);
        int sz = type_size(get_be(r, 4));
        uint64_t ne = get_count(r);
        if (!sz)
            r->bad = 1;
        else
            skip(r, pad4(ne * (uint64_t)sz));
    }
}

int lt_nc3_check(const char *path, int ncid, lt_error *err)
{
    int fmt;
    if (nc_inq_format(ncid, &fmt) != NC_NOERR ||
        (fmt != NC_FORMAT_CLASSIC && fmt != NC_FORMAT_64BIT_OFFSET && fmt != NC_FORMAT_CDF5))
        return LT_OK;
    reader r = {fopen(path, "rb"), 0, 0};
    struct stat st;
    if (!r.f || stat(path, &st) != 0) {
        if (r.f)
            fclose(r.f);
        return LT_OK; /* opened by netCDF: nothing more to say */
    }
    unsigned char magic[4] = {0};
    r.bad = fread(magic, 1, 4, r.f) != 4 || memcmp(magic, "CDF", 3);
    r.version = magic[3];
    uint64_t numrecs = get_count(&r), nd = 0, nv = 0, expect = 0, recsize = 0, rec_begin = UINT64_MAX;
    uint64_t dimlen[1024];
    if (numrecs == (r.version == 5 ? UINT64_MAX : 0xFFFFFFFFu)) { /* streaming: numrecs unknown */
        fclose(r.f);
        return LT_OK;
    }
    uint64_t tag = get_be(&r, 4);
    nd = get_count(&r);
    if (tag && (tag != 0x0A || nd > 1024))
        r.bad = 1;
    for (uint64_t i = 0; i < nd && !r.bad; i++) {
        skip_name(&r);
        dimlen[i] = get_count(&r);
    }
    skip_atts(&r);
    tag = get_be(&r, 4);
    nv = get_count(&r);
    if (tag && (tag != 0x0B || nv > 100000))
        r.bad = 1;
    int nrecvars = 0;
    uint64_t last_rec_vsize = 0, last_rec_begin = 0;
    for (uint64_t v = 0; v < nv && !r.bad; v++) {
        skip_name(&r);
        uint64_t ndims = get_count(&r), first = 1;
        for (uint64_t d = 0; d < ndims && !r.bad; d++) {
            uint64_t id = get_count(&r);
            if (id >= nd)
                r.bad = 1;
            else if (d == 0)
                first = dimlen[id];
        }
        skip_atts(&r);
        get_be(&r, 4); /* nc_type */
        uint64_t vsize = get_count(&r), begin = get_be(&r, r.version == 1 ? 4 : 8);
        if (ndims > 0 && first == 0) { /* a record variable */
            recsize += vsize;
            rec_begin = begin < rec_begin ? begin : rec_begin;
            if (begin >= last_rec_begin) {
                last_rec_begin = begin;
                last_rec_vsize = vsize;
            }
            nrecvars++;
        } else if (begin + vsize > expect) {
            expect = begin + vsize;
        }
    }
    fclose(r.f);
    if (r.bad)
        return lt_error_set(err, LT_EINPUT, "%s: the netCDF-3 header cannot be read: expected a whole netCDF file", path);
    if (nrecvars && numrecs) {
        if (nrecvars == 1)
            recsize = last_rec_vsize; /* one record variable: records are not padded */
        uint64_t end = last_rec_begin + (numrecs - 1) * recsize + last_rec_vsize;
        if (end > expect)
            expect = end;
    }
    if ((uint64_t)st.st_size < expect)
        return lt_error_set(err, LT_EINPUT,
                            "%s: the file is cut short: %llu bytes where its netCDF-3 header describes %llu: "
                            "expected the whole file (an interrupted copy or download?)",
                            path, (unsigned long long)st.st_size, (unsigned long long)expect);
    return LT_OK;
}
