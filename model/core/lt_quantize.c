/* lt_quantize.c — BitRound of float mantissas (see lt_quantize.h). */
#include "core/lt_quantize.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

int lt_quantize_bits_for_digits(int nsd)
{
    if (nsd <= 0)
        return 23;
    /* log2(10) = 3.321928...; a small margin keeps exact products (none for
     * integer nsd > 0) from rounding up */
    int nsb = (int)ceil(nsd * 3.32192809488736234787 - 1e-9);
    return nsb > 23 ? 23 : nsb;
}

void lt_bitround(float *v, size_t n, int nsb, float fill)
{
    if (nsb >= 23 || nsb < 0)
        return;
    const int drop = 23 - nsb;               /* mantissa bits set to zero */
    const uint32_t mask = ~((1u << drop) - 1u);
    const uint32_t half = (1u << (drop - 1)) - 1u; /* just under half a unit */
    for (size_t i = 0; i < n; i++) {
        float f = v[i];
        if (f == 0.0f || f == fill || !isfinite(f))
            continue;
        uint32_t u;
        memcpy(&u, &f, sizeof u);
        /* to nearest, ties to even: add half a unit of the kept last bit,
         * less one unless that bit is odd; a carry into the exponent is the
         * correct next power of two (and at the top, infinity, which a
         * finite float32 that close to FLT_MAX would round to) */
        u += half + ((u >> drop) & 1u);
        u &= mask;
        memcpy(&v[i], &u, sizeof u);
    }
}
