/* output_impl.h — the body of lt_output, shared by the frame (output.c) and
 * the chunk writer (outchunks.c) only. */
#ifndef LT_OUTPUT_IMPL_H
#define LT_OUTPUT_IMPL_H

#include <hdf5.h>
#include <netcdf.h>

#include "io/output.h"

#define LT_OUT_STRLEN 64
#define LT_OUT_MAX_JOBS 64   /* hourly blocks waiting to be deflated, at most */
#define LT_OUT_MAX_H5 8      /* hourly maps written as chunks, at most */
#define LT_OUT_MAX_LABELS 16
#define LT_OUT_MAX_SIDE 8
#define LT_OUT_MAX_VARS 1024 /* variables a file may have, for the quantized set */

/* In the output's own files: a netCDF call whose failure sets rc to the
 * output's error (lt_output_fail) and jumps to the function's fail label;
 * needs o, rc and err in scope. */
#define NC(call)                                                                    \
    do {                                                                            \
        int st_ = (call);                                                           \
        if (st_ != NC_NOERR) {                                                      \
            rc = lt_output_fail(o, st_, __FILE__, __LINE__, err);                   \
            goto fail;                                                              \
        }                                                                           \
    } while (0)

/* One file of the run and the frame it was given: its dimensions, the
 * variables written at begin_data, which floats are quantized. */
struct out_frame {
    int ncid;                   /* -1: not open (never asked for) */
    char *final, *tmp;          /* its names (the hourly file's are lt_output's path and tmp) */
    int d_time, d_nv, d_y, d_x, d_src, d_str, d_st, d_cty, d_reg;
    int v_time, v_tb, v_x, v_y, v_lat, v_lon, v_sname, v_stname, v_stid, v_stcounty, v_stcode, v_stcity;
    int v_stlon, v_stlat, v_stx, v_sty, v_ctyname, v_rname, v_cell;
    int lab_dim[LT_OUT_MAX_LABELS], lab_var[LT_OUT_MAX_LABELS]; /* the products' labels here */
    int nlab;                   /* how many of them are defined here */
    unsigned char quantized[LT_OUT_MAX_VARS]; /* 1: varid is bit-rounded */
};

struct lt_output {
    char *path, *tmp;
    lt_output_spec spec;        /* as given (its pointers outlive the file) */
    int ny, nx, hours;
    size_t nst;
    int defining;               /* in define mode */
    size_t cache_size, cache_nelems; /* netCDF's default chunk cache before create */
    float cache_preemption;
    int cache_set;              /* the default is ours until begin_data */
    /* the files of the run: the hourly one (OUTPUT.nc) and, when products
     * ask for them, the daily and the whole-period ones (OUTPUT_daily.nc,
     * OUTPUT_period.nc), each with its own time axis (outframe.c) */
    struct out_frame fr[LT_OUT_NFILES];
    size_t ndays;               /* local days of the run (the daily file's time) */
    double day0_s, start_s;
    /* label dimensions defined by products, written at begin_data */
    struct out_label {
        char dim[LT_OUT_STRLEN], var[LT_OUT_STRLEN], long_name[256];
        size_t n;
        char *text;             /* [n][LT_OUT_STRLEN] */
    } labels[LT_OUT_MAX_LABELS];
    int nlabels;
    /* side files: final and temporary names */
    struct out_side {
        char *final, *tmp;
    } side[LT_OUT_MAX_SIDE];
    int nside;
    int side_stations;          /* the stations' CSV and DSG files: side[i], side[i + 1] (-1: none) */
    /* Hourly maps compressed here, chunk by chunk on every thread, and
     * written as chunks through HDF5 (outchunks.c). */
    int deflate, quantize;      /* quantize: significant digits (0: off) */
    int nsb;                    /* its mantissa bits (lt_quantize.h) */
    size_t ct, cy, cx, cs;      /* chunk: hours, cells along y and x, stations */
    size_t ty, tx;              /* chunks (tiles) of a map along y and x */
    hid_t h5file;               /* the file through HDF5 (-1: not opened yet) */
    hid_t h5var[LT_OUT_MAX_H5]; /* its datasets, by slot */
    int h5varid[LT_OUT_MAX_H5], nh5; /* the netCDF variable of each slot */
    struct put_job {            /* blocks waiting to be deflated: copies */
        int varid, h0, nh, nlev, four;
        float *data;            /* [nh][nlev][ny][nx] */
    } jobs[LT_OUT_MAX_JOBS];
    int njobs;
    long nchunks;               /* chunks in them */
};

/* outframe.c: the frame of file `which` (LT_OUT_HOURLY, _DAILY, _PERIOD)
 * defined in f (already created, in define mode); the products' labels so
 * far defined in every open file; the frame's values written into every
 * open file; the labels' and the grid's names added to each variable's
 * coordinates. */
int lt_output_def_frame(lt_output *o, int which, lt_error *err);
int lt_output_def_label_in(lt_output *o, struct out_frame *f, int i, lt_error *err);
int lt_output_put_frames(lt_output *o, lt_error *err);
int lt_output_set_coordinates(lt_output *o, struct out_frame *f, lt_error *err);

/* outcopy.c: the station series as a CSV and a DSG file from the closed
 * hourly file (path) into csv and dsg; NULL names skip them. */
int lt_output_station_files(lt_output *o, const char *path, const char *csv, const char *dsg, lt_error *err);

/* 1 when the output's file system is full (errno ENOSPC, or under 4 MB
 * free); *avail the bytes free (-1: unknown). */
int lt_output_disk_full(const lt_output *o, double *avail);

/* outchunks.c: every waiting block deflated and stored; the HDF5 handles
 * closed; the waiting copies freed. */
int lt_output_flush_chunks(lt_output *o, lt_error *err);
/* data[0..n) bit-rounded in place when varid of file which is quantized. */
void lt_output_quantize(const lt_output *o, int which, int varid, float *data, size_t n);
void lt_output_close_chunks(lt_output *o);
int lt_output_extend_all(lt_output *o, int w, size_t n, lt_error *err);

#endif
