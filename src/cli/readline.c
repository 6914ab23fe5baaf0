/* Reading input lines with a bound on memory and without mistaking a read error for the end
 * of the input. getline() keeps the whole line (a 40 MB line cost 925 MB downstream) and
 * returns -1 both at EOF and on EISDIR/EBADF/ENOMEM, which lost lines silently. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Grows l->buf to hold at least `need` bytes. 0, or -1 with errno ENOMEM. */
static int reserve(CliLine *l, size_t need) {
    if (need <= l->cap) return 0;
    size_t cap = l->cap ? l->cap : 256;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(l->buf, cap);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    l->buf = p;
    l->cap = cap;
    return 0;
}

/* The cut must not split a UTF-8 sequence: back off over continuation bytes (10xxxxxx) to
 * the start of the character that would be split. */
static size_t utf8_cut(const char *s, size_t n, size_t len) {
    if (n >= len) return len;
    size_t k = n;
    while (k > 0 && n - k < 3 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
    return ((unsigned char)s[k] & 0xC0) == 0x80 ? n : k;
}

int cli_read_line(FILE *f, CliLine *l, size_t max) {
    size_t len = 0, total = 0;
    int c = EOF;
    l->len = l->full_len = 0;
    errno = 0;
    /* Keep up to max + 3 bytes so the cut can see the character that straddles the limit;
     * the rest of an over-long line is counted and dropped. */
    size_t keep = max > SIZE_MAX - 4 ? SIZE_MAX - 4 : max + 3;
    while ((c = getc_unlocked(f)) != EOF && c != '\n') {
        total++;
        if (len < keep) {
            if (reserve(l, len + 2)) return -1;
            l->buf[len++] = (char)c;
        }
    }
    if (c == EOF) {
        if (ferror(f)) {
            if (!errno) errno = EIO;
            return -1;
        }
        if (total == 0) return 0; /* the end; a last line without '\n' still counts */
    }
    if (reserve(l, len + 1)) return -1;
    while (len > 0 && l->buf[len - 1] == '\r' && len == total) total--, len--;
    if (total > max) len = utf8_cut(l->buf, max, len);
    l->buf[len] = 0;
    l->len = len;
    l->full_len = total;
    return 1;
}

void cli_line_free(CliLine *l) {
    free(l->buf);
    l->buf = NULL;
    l->cap = 0;
}
