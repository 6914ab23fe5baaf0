/* Reading tests/fixtures/spm/: whole files, input lines, and the library's expected output
 * (format in scripts/fixtures_spm.py). Shared by the tokenizer tests. */
#ifndef ANUVAD_TEST_SPM_FIXTURE_H
#define ANUVAD_TEST_SPM_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPM_FIXTURES "tests/fixtures/spm/"

/* Whole file into a malloc'd buffer (NUL-terminated past *len); NULL if unreadable. */
static inline char *fx_read(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    size_t got;
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(b, 2 * cap + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (b) {
        b[n] = 0;
        *len = n;
    }
    return b;
}

/* Splits buf in place at '\n' (a final newline ends the last line); returns the count. */
static inline size_t fx_lines(char *buf, size_t len, char ***lines, size_t **lens) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++) n += buf[i] == '\n';
    if (len && buf[len - 1] != '\n') n++;
    *lines = malloc((n + 1) * sizeof **lines);
    *lens = malloc((n + 1) * sizeof **lens);
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= len && k < n; i++) {
        if (i == len || buf[i] == '\n') {
            (*lines)[k] = buf + start;
            (*lens)[k] = i - start;
            if (i < len) buf[i] = 0;
            k++;
            start = i + 1;
        }
    }
    return n;
}

static inline int fx_hex(int c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Undoes the fixture's \xNN escapes of s[0..n) into dst (which has room for n + 1). */
static inline size_t fx_unescape(const char *s, size_t n, char *dst) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' && fx_hex(s[i + 2]) >= 0 &&
            fx_hex(s[i + 3]) >= 0) {
            dst[k++] = (char)(fx_hex(s[i + 2]) * 16 + fx_hex(s[i + 3]));
            i += 3;
        } else {
            dst[k++] = s[i];
        }
    }
    dst[k] = 0;
    return k;
}

#endif
