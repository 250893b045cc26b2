/* text.c — display width, padding and tidy paths (see text.h). */
#include "app/text.h"

#include <string.h>

/* The code point at s (UTF-8) and its length; a stray byte counts as one. */
static unsigned decode(const unsigned char *s, int *len)
{
    if (s[0] < 0x80 || (s[0] & 0xE0) == 0x80) {
        *len = 1;
        return s[0];
    }
    int n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : 4;
    unsigned c = s[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *len = 1;
            return s[0];
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *len = n;
    return c;
}

/* Unicode East Asian Width W or F (the ranges of EastAsianWidth.txt that
 * matter for names: Hangul Jamo, CJK radicals to Yi, Hangul syllables,
 * CJK compatibility, vertical and fullwidth forms, the supplementary ideographs). */
static int wide(unsigned c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

int lt_display_width(const char *s)
{
    int w = 0, len;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += len) {
        unsigned c = decode(p, &len);
        if ((c >= 0x300 && c <= 0x36F) || c == 0x200B) /* combining marks, zero width space */
            continue;
        w += wide(c) ? 2 : 1;
    }
    return w;
}

void lt_put_padded(FILE *f, const char *s, int width)
{
    int w = lt_display_width(s);
    fputs(s, f);
    for (int i = w; i < width || i == w; i++)
        fputc(' ', f);
}

void lt_tidy_path(const char *path, char *out, size_t n)
{
    const char *seg[256];
    size_t len[256];
    int ns = 0, abs = path[0] == '/';
    for (const char *p = path; *p && ns < 256;) {
        while (*p == '/')
            p++;
        const char *e = strchr(p, '/');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (!l)
            break;
        if (l == 1 && p[0] == '.') {
        } else if (l == 2 && p[0] == '.' && p[1] == '.' && ns > 0 &&
                   !(len[ns - 1] == 2 && !strncmp(seg[ns - 1], "..", 2))) {
            ns--;
        } else if (!(l == 2 && p[0] == '.' && p[1] == '.' && abs && ns == 0)) {
            seg[ns] = p;
            len[ns++] = l;
        }
        p += l;
    }
    size_t o = 0;
    if (n)
        out[0] = '\0';
    if (abs && o + 1 < n)
        out[o++] = '/';
    for (int i = 0; i < ns && o < n; i++)
        o += (size_t)snprintf(out + o, n - o, "%s%.*s", i ? "/" : "", (int)len[i], seg[i]);
    if (!ns && !abs && n > 1)
        snprintf(out, n, ".");
    else if (o < n)
        out[o] = '\0';
}
