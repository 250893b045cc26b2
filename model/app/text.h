/* text.h — text for the terminal: UTF-8 display width (CJK characters take
 * two columns), padding by it, and paths written without "dir/.." detours. */
#ifndef LT_TEXT_H
#define LT_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Columns s takes on a terminal: East Asian wide and fullwidth characters
 * (Unicode's EastAsianWidth W and F: Hangul, CJK, Kana, fullwidth forms)
 * two, combining marks zero, the rest one. */
int lt_display_width(const char *s);

/* s, then spaces up to width columns (at least one column after s when
 * s is as wide or wider). */
void lt_put_padded(FILE *f, const char *s, int width);

/* path with "." segments and "dir/.." pairs removed, lexically (no links
 * followed): "inputs/xianyang/../../outputs/a.nc" -> "outputs/a.nc". */
void lt_tidy_path(const char *path, char *out, size_t n);

#endif
