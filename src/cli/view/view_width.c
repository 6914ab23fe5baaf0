/* How many terminal columns UTF-8 text takes, and the UTF-8 decoding under it. */
#include <stdio.h>
#include <string.h>

#include "view.h"

/* One UTF-8 sequence at s (n bytes available): its code point, or -1 if malformed (then
 * *len = 1, so a caller skips one byte). */
static long decode(const unsigned char *s, size_t n, int *len) {
    *len = 1;
    if (s[0] < 0x80) return s[0];
    int k = s[0] >= 0xf0 && s[0] <= 0xf4  ? 4
            : s[0] >= 0xe0                ? 3
            : s[0] >= 0xc2 && s[0] < 0xe0 ? 2
                                          : 0;
    if (!k || (size_t)k > n) return -1;
    long c = s[0] & (0x7f >> k);
    for (int i = 1; i < k; i++) {
        if ((s[i] & 0xc0) != 0x80) return -1;
        c = c << 6 | (s[i] & 0x3f);
    }
    static const long min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[k] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return -1;
    *len = k;
    return c;
}

int view_utf8_decode(const char *s, size_t n, int *len) {
    return (int)decode((const unsigned char *)s, n, len);
}

typedef struct {
    long lo, hi;
} Range;

static int in(const Range *r, size_t n, long c) {
    for (size_t i = 0; i < n; i++)
        if (c >= r[i].lo && c <= r[i].hi) return 1;
    return 0;
}

/* Zero-width: the nonspacing marks of the scripts we show (Latin combining, Devanagari Mn:
 * candrabindu, anusvara, nukta, the vowel signs below/above, virama, stress and Vedic signs),
 * joiners, direction marks, variation selectors. Devanagari Mc signs (ा ि ी ो ौ, visarga)
 * are one column: that is what tmux 3.3 (glibc wcwidth) does, measured with cursor_x. */
static const Range zero[] = {
    {0x0300, 0x036f}, {0x0483, 0x0489}, {0x0900, 0x0902}, {0x093a, 0x093a}, {0x093c, 0x093c},
    {0x0941, 0x0948}, {0x094d, 0x094d}, {0x0951, 0x0957}, {0x0962, 0x0963}, {0x1ab0, 0x1aff},
    {0x1dc0, 0x1dff}, {0x200b, 0x200f}, {0x202a, 0x202e}, {0x2060, 0x2064}, {0x20d0, 0x20ff},
    {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f}, {0xfeff, 0xfeff},
};
static const Range wide[] = {
    {0x1100, 0x115f}, {0x2e80, 0x303e},   {0x3041, 0x33ff},   {0x3400, 0x4dbf},   {0x4e00, 0x9fff},
    {0xa000, 0xa4cf}, {0xac00, 0xd7a3},   {0xf900, 0xfaff},   {0xfe30, 0xfe4f},   {0xff00, 0xff60},
    {0xffe0, 0xffe6}, {0x1f300, 0x1f64f}, {0x1f900, 0x1f9ff}, {0x20000, 0x3fffd},
};

static int char_width(long c) {
    if (c < 0) return 1; /* a malformed byte is shown as one replacement character */
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return 0;
    if (in(zero, sizeof zero / sizeof *zero, c)) return 0;
    if (in(wide, sizeof wide / sizeof *wide, c)) return 2;
    return 1;
}

/* Vowel signs and other marks that attach to a preceding letter (Devanagari, Latin combining):
 * shown alone they need a base, and the dotted circle U+25CC is the conventional one. */
static const Range marks[] = {
    {0x0300, 0x036f}, {0x0900, 0x0903}, {0x093a, 0x093c},
    {0x093e, 0x094f}, {0x0951, 0x0957}, {0x0962, 0x0963},
};

const char *view_show(const char *piece, char *buf, size_t n) {
    int len;
    long c = decode((const unsigned char *)piece, strlen(piece), &len);
    if (!*piece || !in(marks, sizeof marks / sizeof *marks, c)) return piece;
    snprintf(buf, n, "\u25cc%s", piece);
    return buf;
}

int view_width_n(const char *s, size_t n) {
    int w = 0, len;
    for (size_t i = 0; i < n && s[i]; i += (size_t)len)
        w += char_width(decode((const unsigned char *)s + i, n - i, &len));
    return w;
}

int view_width(const char *s) { return view_width_n(s, strlen(s)); }

size_t view_fit(const char *s, int cols) {
    size_t n = strlen(s), i = 0;
    int w = 0, len;
    while (i < n) {
        int cw = char_width(decode((const unsigned char *)s + i, n - i, &len));
        if (w + cw > cols) break;
        w += cw;
        i += (size_t)len;
        /* keep the marks that follow a character with it */
        while (i < n) {
            int l2;
            long c = decode((const unsigned char *)s + i, n - i, &l2);
            if (c < 0 || char_width(c) != 0 || c < 0x20) break;
            i += (size_t)l2;
        }
    }
    return i;
}
