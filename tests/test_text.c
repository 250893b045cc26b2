/* test_text.c — the terminal text helpers of the program (app/text.c):
 * display widths of ASCII, CJK and mixed names against Unicode's East Asian
 * Width (W: two columns), padding, and lexically tidied paths. */
#include "lt_test.h"

#include <string.h>

#include "app/text.c"

static void display_width(void **state)
{
    (void)state;
    assert_int_equal(lt_display_width(""), 0);
    assert_int_equal(lt_display_width("Qindu seat"), 10);
    assert_int_equal(lt_display_width("秦都区"), 6);          /* three CJK ideographs, 9 bytes */
    assert_int_equal(lt_display_width("兴平市 station"), 14);
    assert_int_equal(lt_display_width("ＰＭ２．５"), 10);      /* fullwidth forms */
    assert_int_equal(lt_display_width("µg m⁻³"), 6);          /* narrow non-ASCII */
    assert_int_equal(lt_display_width("e\xcc\x81"), 1);       /* e + combining acute */
    assert_int_equal(lt_display_width("\xff"), 1);            /* a stray byte */
}

static void padding(void **state)
{
    (void)state;
    char buf[128];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    lt_put_padded(f, "秦都区", 10);
    lt_put_padded(f, "Yangling", 10);
    lt_put_padded(f, "a-name-too-long", 4);
    fclose(f);
    assert_string_equal(buf, "秦都区    Yangling  a-name-too-long ");
}

static void tidy_paths(void **state)
{
    (void)state;
    const char *cases[][2] = {{"inputs/xianyang/../../outputs/a.nc", "outputs/a.nc"},
                              {"./a/./b/", "a/b"},
                              {"../x/../y", "../y"},
                              {"/tmp/../etc/./p", "/etc/p"},
                              {"/../a", "/a"},
                              {"a/..", "."},
                              {"../../a", "../../a"},
                              {"plain.nc", "plain.nc"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[256];
        lt_tidy_path(cases[i][0], out, sizeof out);
        if (strcmp(out, cases[i][1]))
            print_error("%s -> %s, expected %s\n", cases[i][0], out, cases[i][1]);
        assert_string_equal(out, cases[i][1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(display_width),
        cmocka_unit_test(padding),
        cmocka_unit_test(tidy_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
