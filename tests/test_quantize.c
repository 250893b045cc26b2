/* test_quantize.c — BitRound (core/lt_quantize.c) against its definition:
 * round to nearest of the mantissa kept to nsb explicit bits, ties to even
 * (Klöwer et al. 2021), and the digits-to-bits rule of the output. */
#include "lt_test.h"

#include <string.h>

#include "core/lt_quantize.h"

static uint32_t bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float of_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* nsd decimal digits need ceil(nsd log2 10) bits; 7 digits want more than a
 * float has (23 explicit bits: unchanged) */
static void digits_to_bits(void **state)
{
    (void)state;
    const int want[8] = {23, 4, 7, 10, 14, 17, 20, 23};
    for (int nsd = 0; nsd <= 7; nsd++)
        assert_int_equal(lt_quantize_bits_for_digits(nsd), want[nsd]);
}

/* Hand-made cases: 1 + 2^-10 + 2^-11 with 10 bits rounds up to 1 + 2^-9;
 * the tie 1 + 2^-11 with 10 bits goes to the even 1; 1 + 3 * 2^-11 (a tie
 * above an odd last bit) goes up to 1 + 2^-9; negatives are symmetric; the
 * carry into the exponent gives the next power of two. */
static void exact_cases(void **state)
{
    (void)state;
    float v[7] = {1.0f + 0x1p-10f + 0x1p-11f, 1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f,
                  -(1.0f + 0x1p-10f + 0x1p-11f), 2.0f - 0x1p-23f, 0.0f, 9.96921e36f};
    lt_bitround(v, 7, 10, 9.96921e36f);
    assert_true(v[0] == 1.0f + 0x1p-9f);
    assert_true(v[1] == 1.0f);
    assert_true(v[2] == 1.0f + 0x1p-9f);
    assert_true(v[3] == -(1.0f + 0x1p-9f));
    assert_true(v[4] == 2.0f);
    assert_true(v[5] == 0.0f);
    assert_true(v[6] == 9.96921e36f); /* the fill value is left alone */
}

/* Over a million values of every magnitude: the dropped bits are zero, the
 * relative error is at most 2^-(nsb+1), the result is the nearer of the two
 * neighbours kept to nsb bits, and rounding again changes nothing. */
static void bounds_and_idempotence(void **state)
{
    (void)state;
    const size_t n = 1 << 20;
    float *v = malloc(n * sizeof *v), *w = malloc(n * sizeof *w);
    uint64_t s = 88172645463325252ull;
    for (int nsb = 1; nsb <= 22; nsb += 3) {
        for (size_t i = 0; i < n; i++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17; /* xorshift64 */
            uint32_t u = (uint32_t)(s >> 32);
            u = (u & 0x807fffffu) | ((uint32_t)(64 + (s & 127)) << 23); /* exponents 2^-63 .. 2^63 */
            v[i] = w[i] = of_bits(u);
        }
        lt_bitround(v, n, nsb, 9.96921e36f);
        uint32_t drop = (1u << (23 - nsb)) - 1u;
        double worst = 0.0;
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(bits(v[i]) & drop, 0);
            double e = fabs((double)v[i] - (double)w[i]) / fabs((double)w[i]);
            worst = e > worst ? e : worst;
            uint32_t down = bits(w[i]) & ~drop, up = down + drop + 1u;
            double dd = fabs((double)of_bits(down) - w[i]), du = fabs((double)of_bits(up) - w[i]);
            assert_true(bits(v[i]) == (dd < du ? down : du < dd ? up : ((down >> (23 - nsb)) & 1u) ? up : down));
        }
        assert_true(worst <= ldexp(1.0, -(nsb + 1)));
        memcpy(w, v, n * sizeof *v);
        lt_bitround(v, n, nsb, 9.96921e36f);
        assert_memory_equal(v, w, n * sizeof *v);
    }
    free(v);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(digits_to_bits),
        cmocka_unit_test(exact_cases),
        cmocka_unit_test(bounds_and_idempotence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
