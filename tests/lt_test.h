/* lt_test.h — what every cmocka test file of lantian includes. */
#ifndef LT_TEST_H
#define LT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>

#include <stdlib.h>

/* |got - want| <= rel * |want|, with a message naming both. With LT_VERIFY set
 * in the environment every check is also printed as a tab-separated line
 * (VERIFY, function, expression, got, want, tolerance), which
 * scripts/validate_prairie_grass.py collects into docs/validation.md. */
#define assert_rel(got, want, rel)                                                        \
    do {                                                                                  \
        double g_ = (got), w_ = (want);                                                   \
        if (getenv("LT_VERIFY"))                                                          \
            printf("VERIFY\t%s\t%s\t%.17g\t%.17g\t%g\n", __func__, #got, g_, w_,          \
                   (double)(rel));                                                        \
        if (!(fabs(g_ - w_) <= (rel) * fabs(w_))) {                                       \
            print_error("%s = %.9g, expected %.9g within %g relative\n", #got, g_, w_,     \
                        (double)(rel));                                                   \
            fail();                                                                       \
        }                                                                                 \
    } while (0)

#endif
