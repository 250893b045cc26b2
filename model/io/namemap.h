/* namemap.h — the "a:b[:number], ..." name maps of the configuration: the
 * gridded inventory's sectors and species ([gridded] sectors, species) and
 * the meteorology's variable names ([met] variables). */
#ifndef LT_NAMEMAP_H
#define LT_NAMEMAP_H

#include "core/lt_error.h"

typedef struct lt_namemap_item {
    char a[64], b[64];
    double number;     /* NAN when absent */
} lt_namemap_item;

/* Parses list into items[0..*n). where names the setting in messages (e.g.
 * "winter.ini: [gridded] species"), form the expected shape of an item (e.g.
 * "NAME_IN_FILE:LANTIAN_NAME"); a number, when present, must be positive
 * (positive = 1) or non-zero (positive = 0). */
int lt_namemap_parse(const char *list, const char *where, const char *form, int positive,
                     lt_namemap_item *items, int cap, int *n, lt_error *err);

#endif
