/* fuzz_policy.c — the policy files (INI data files read whole: the AQI
 * rules, the alert rules; the targets CSV) on any bytes: the first byte
 * chooses which. */
#include <math.h>

#include "fuzz_util.h"
#include "policy/alert.h"
#include "policy/aqi.h"
#include "policy/targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (!n)
        return 0;
    const char *p = fuzz_file(data + 1, n - 1, data[0] % 3 == 2 ? ".csv" : ".ini");
    lt_error err;
    lt_error_clear(&err);
    if (data[0] % 3 == 2) {
        static const char *const names[] = {"A县", "B县"};
        lt_targets tg;
        if (!lt_targets_read(&tg, p, names, 2, &err)) {
            lt_annual a;
            memset(&a, 0, sizeof a);
            a.valid_days = 30;
            a.good_days = 20;
            a.mean[LT_POL_PM25] = 60.0;
            double g1, g2;
            for (int c = -1; c < 2; c++)
                lt_target_verdict(lt_targets_find(&tg, c), &a, 365, &g1, &g2);
            lt_targets_free(&tg);
        }
    } else if (data[0] % 3 == 1) {
        lt_aqi_table t;
        if (!lt_aqi_table_read(&t, p, &err)) { /* and the table in use: every scale, a day */
            for (double c = -1; c < 1200; c += 37.5) {
                lt_aqi_category(&t, lt_iaqi_pm25(&t, c));
                for (int sc = 0; sc < LT_NSCALE; sc++)
                    lt_iaqi(&t, sc, c);
            }
            lt_aqi_day d;
            memset(&d, 0, sizeof d);
            for (int q = 0; q < LT_NPOL; q++)
                d.c[q] = 40.0 * (q + 1);
            d.o3_1h = 900.0;
            lt_aqi_day_index(&t, &d);
        }
    } else {
        lt_alert_rules r;
        lt_alert_rules_read(&r, p, &err);
    }
    return 0;
}
