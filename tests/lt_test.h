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

/* |got - want| <= rel * |want|, with a message naming both. */
#define assert_rel(got, want, rel)                                                        \
    do {                                                                                  \
        double g_ = (got), w_ = (want);                                                   \
        if (!(fabs(g_ - w_) <= (rel) * fabs(w_))) {                                       \
            print_error("%s = %.9g, expected %.9g within %g relative\n", #got, g_, w_,     \
                        (double)(rel));                                                   \
            fail();                                                                       \
        }                                                                                 \
    } while (0)

#endif
