/* preflight.c — what a run needs before it starts (see lt_run_preflight in
 * run.h): its memory and output estimated, its output paths checked against
 * its inputs and against files that are not lantian's. */
#include <errno.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "run/run_impl.h"

/* MemAvailable of /proc/meminfo, bytes (-1: unknown). */
static double memory_available(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    double kb = -1.0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %lf kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb >= 0 ? kb * 1024.0 : -1.0;
}

/* The folder of path ("." when it has none) into dir. */
static void folder_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, n, ".");
    else if (slash == path)
        snprintf(dir, n, "/");
    else
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

/* 1 when path is a NetCDF file lantian wrote (its lantian_version attribute). */
static int is_lantian_output(const char *path)
{
    int nc, ok = 0;
    size_t len;
    if (nc_open(path, NC_NOWRITE, &nc) != NC_NOERR)
        return 0;
    ok = nc_inq_attlen(nc, NC_GLOBAL, "lantian_version", &len) == NC_NOERR;
    nc_close(nc);
    return ok;
}

/* 1 when path begins as a lantian checkpoint does. */
static int is_lantian_checkpoint(const char *path)
{
    FILE *f = fopen(path, "rb");
    char magic[14] = "";
    int ok = f && fread(magic, 1, sizeof magic, f) == sizeof magic && !memcmp(magic, "LANTIAN-CKPT-", 13);
    if (f)
        fclose(f);
    return ok;
}

/* The output, its side files and its checkpoint into pf->files. */
static void output_files(const lt_run *run, lt_preflight *pf)
{
    const char *out = run->cfg->output_file;
    size_t n = strlen(out);
    if (n > 3 && !strcmp(out + n - 3, ".nc"))
        n -= 3;
    pf->nfiles = 0;
    snprintf(pf->files[pf->nfiles++], sizeof pf->files[0], "%s", out);
    if (run->cfg->checkpoint_hours || run->opt.restart)
        snprintf(pf->files[pf->nfiles++], sizeof pf->files[0], "%s", run->ck_path);
    /* the daily and period files (when products write them) and the
     * stations' files (when there are stations) */
    static const char *const frame_files[] = {"_daily.nc", "_period.nc", "_stations.csv", "_stations.nc"};
    for (size_t i = 0; i < sizeof frame_files / sizeof *frame_files; i++)
        snprintf(pf->files[pf->nfiles++], sizeof pf->files[0], "%.*s%s", (int)n, out, frame_files[i]);
    for (int i = 0; i < run->nprod; i++)
        for (const char *const *s = run->prod[i].ops->side_files; s && *s; s++)
            if (pf->nfiles < (int)(sizeof pf->files / sizeof pf->files[0]))
                snprintf(pf->files[pf->nfiles++], sizeof pf->files[0], "%.*s%s", (int)n, out, *s);
}

/* Output path f against the case's inputs, folders and what exists there. */
static int check_file(const lt_run *run, const char *f, int main_output, lt_error *err)
{
    const char *const *inputs;
    size_t nin = lt_case_inputs(run->cs, &inputs);
    char dir[LT_PATH_MAX + 64];
    folder_of(f, dir, sizeof dir);
    struct stat st, sd, si;
    if (stat(dir, &sd) != 0 || !S_ISDIR(sd.st_mode))
        return lt_error_set(err, LT_EIO, "%s: the folder %s does not exist: expected an existing folder for [output] file",
                            f, dir);
    if (access(dir, W_OK) != 0)
        return lt_error_set(err, LT_EIO, "%s: the folder %s is not writable: %s", f, dir, strerror(errno));
    if (stat(f, &st) != 0)
        return LT_OK; /* a new file */
    if (S_ISDIR(st.st_mode))
        return lt_error_set(err, LT_EINPUT, "%s: is a folder: expected a file name for the output", f);
    for (size_t i = 0; i < nin; i++)
        if (stat(inputs[i], &si) == 0 && si.st_dev == st.st_dev && si.st_ino == st.st_ino)
            return lt_error_set(err, LT_EINPUT,
                                "%s: the run would write over its own input %s (the same file%s): expected an output "
                                "path that is none of the run's inputs",
                                f, inputs[i], strcmp(inputs[i], f) ? ", through a link" : "");
    if (run->opt.force)
        return LT_OK;
    if (main_output && !is_lantian_output(f))
        return lt_error_set(err, LT_EINPUT,
                            "%s: exists and is not a lantian output (no lantian_version attribute): expected a new "
                            "file name, a lantian output to replace, or --force to replace it anyway",
                            f);
    if (!strcmp(f, run->ck_path) && !is_lantian_checkpoint(f))
        return lt_error_set(err, LT_EINPUT,
                            "%s: exists and is not a lantian checkpoint: expected the checkpoint's name free, or "
                            "--force to replace it",
                            f);
    return LT_OK;
}

int lt_run_preflight(const lt_run *run, lt_preflight *pf, lt_error *err)
{
    memset(pf, 0, sizeof *pf);
    pf->memory_bytes = lt_solver_memory(run->cs);
    pf->block_hours = lt_solver_block_hours(run->cs);
    const lt_run_shape *s = &run->shape;
    pf->memory_bytes += (double)(s->ntags + s->ncty + s->ncomp + 1) * s->ngrid * 8.0; /* the hour's sums */
    for (int i = 0; i < run->nprod; i++)
        if (run->prod[i].ops->estimate) {
            double m = 0.0, o = 0.0;
            run->prod[i].ops->estimate(run->prod[i].self, &m, &o);
            pf->memory_bytes += m;
            pf->output_bytes += o;
        }
    /* the output's blocks waiting to be compressed: up to 64 copies of a block */
    pf->memory_bytes += 2.0 * LT_BLOCK_HOURS * s->ngrid * 4.0 * (s->ntags > 4 ? 4 : s->ntags + 1);
    /* the libraries and the program (34 MB on a 10 x 10 case), and the
     * allocator's slack (the default month peaks 11 % above its 48 h: the
     * writer's block copies are allocated and freed every block) */
    pf->memory_bytes = 1.15 * pf->memory_bytes + 40.0 * 1048576;
    pf->memory_available = memory_available();
    output_files(run, pf);
    char dir[LT_PATH_MAX + 64];
    folder_of(run->cfg->output_file, dir, sizeof dir);
    struct statvfs v;
    pf->disk_free = statvfs(dir, &v) == 0 ? (double)v.f_bavail * (double)v.f_frsize : -1.0;
    for (int i = 0; i < pf->nfiles; i++) {
        size_t len = strlen(pf->files[i]);
        int netcdf = len > 3 && !strcmp(pf->files[i] + len - 3, ".nc"); /* a lantian file to replace, or new */
        int rc = check_file(run, pf->files[i], i == 0 || netcdf, err);
        if (rc)
            return rc;
    }
    if (!run->opt.ignore_memory && pf->memory_available > 0 && pf->memory_bytes > pf->memory_available)
        return lt_error_set(err, LT_ENOMEM,
                            "%s: the run needs about %.1f GB of memory and %.1f GB are available: expected a smaller "
                            "grid, fewer hours, tags or scenarios, or --ignore-memory to try anyway",
                            run->cfg->path, pf->memory_bytes / 1e9, pf->memory_available / 1e9);
    return LT_OK;
}
