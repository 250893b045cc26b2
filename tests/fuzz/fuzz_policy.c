/* fuzz_policy.c — the policy files (INI data files read whole: the AQI
 * rules, the alert rules) on any bytes: the first byte chooses which. */
#include "fuzz_util.h"
#include "policy/alert.h"
#include "policy/aqi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (!n)
        return 0;
    const char *p = fuzz_file(data + 1, n - 1, ".ini");
    lt_error err;
    lt_error_clear(&err);
    if (data[0] & 1) {
        lt_aqi_table t;
        if (!lt_aqi_table_read(&t, p, &err)) /* and the table in use */
            for (double c = -1; c < 1200; c += 37.5)
                lt_aqi_category(&t, lt_iaqi_pm25(&t, c));
    } else {
        lt_alert_rules r;
        lt_alert_rules_read(&r, p, &err);
    }
    return 0;
}
