/* fuzz_config.c — the INI configuration reader (io/config.c) on any bytes,
 * with a --set override taken from the input's last line. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *p = fuzz_file(data, n, ".ini");
    char set[256] = "";
    const uint8_t *nl = n ? memchr(data, '\n', n) : NULL;
    if (nl && (size_t)(nl - data) < sizeof set) {
        memcpy(set, data, (size_t)(nl - data));
        set[nl - data] = '\0';
    }
    const char *sets[] = {set};
    lt_config cfg;
    lt_error err;
    lt_error_clear(&err);
    if (!lt_config_load(&cfg, p, strchr(set, '=') ? sets : NULL, strchr(set, '=') ? 1 : 0, &err))
        lt_config_free(&cfg);
    return 0;
}
