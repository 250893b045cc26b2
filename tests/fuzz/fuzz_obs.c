/* fuzz_obs.c — the observation readers (io/obs.c) on any bytes: the file is
 * read as the CNEMC archive, a long CSV or a station list, whichever its
 * header says; then sorted, and every value looked up again. */
#include <math.h>

#include "fuzz_util.h"
#include "core/lt_time.h"
#include "io/obs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *p = fuzz_file(data, n, ".csv");
    lt_error err;
    lt_error_clear(&err);
    lt_obs *o = NULL;
    if (lt_obs_create(&o, &err))
        return 0;
    if (!lt_obs_read(o, p, &err) && !lt_obs_finish(o, &err)) {
        double a, b;
        lt_obs_period(o, &a, &b);
        for (size_t s = 0; s < lt_obs_nstations(o) && !isnan(a); s++)
            for (int pol = 0; pol < LT_OBS_NPOL; pol++) {
                (void)lt_obs_hourly(o, s, pol, a);
                (void)lt_obs_daily(o, s, pol, lt_local_day_start(a, 8.0), 20, NULL);
            }
    }
    lt_obs_free(&o);
    return 0;
}
