/* lt_quantize.h — lossy quantization of floats before compression.
 *
 * BitRound (Klöwer et al. 2021, "Compressing atmospheric data into its real
 * information content", Nature Computational Science 1, 713-724): the
 * mantissa of every value rounded to its nsb most significant explicit bits,
 * to nearest with ties to even, the other bits set to zero, so that deflate
 * finds long runs. The relative error of each value is at most 2^-(nsb+1);
 * zero, infinities, NaN and the fill value are left as they are. The output
 * describes it as CF-1.11 section 8.4 does (algorithm = "bitround",
 * quantization_nsb). */
#ifndef LT_QUANTIZE_H
#define LT_QUANTIZE_H

#include <stddef.h>

/* The explicit mantissa bits that keep nsd significant decimal digits:
 * the smallest nsb with 2^-(nsb+1) <= 0.5 * 10^-nsd, i.e.
 * ceil(nsd * log2(10)); at most 23 (a float's whole mantissa). */
int lt_quantize_bits_for_digits(int nsd);

/* Rounds v[0..n) in place to nsb explicit mantissa bits (0 <= nsb < 23;
 * nsb >= 23 leaves the values unchanged); values equal to fill are kept. */
void lt_bitround(float *v, size_t n, int nsb, float fill);

#endif
