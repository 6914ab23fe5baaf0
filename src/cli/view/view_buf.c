/* A growing string: screens, JSON and SVG are built in memory, then written at once. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

static int reserve(VBuf *b, size_t more) {
    if (b->oom) return -1;
    if (more > (size_t)-1 / 2 - b->n) return b->oom = 1, -1;
    if (b->n + more + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + more + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return b->oom = 1, -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

void vb_put(VBuf *b, const char *s, size_t n) {
    if (reserve(b, n)) return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void vb_puts(VBuf *b, const char *s) { vb_put(b, s, strlen(s)); }

void vb_printf(VBuf *b, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        vb_put(b, tmp, (size_t)n);
        return;
    }
    if (reserve(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void vb_pad(VBuf *b, const char *s, int cols, int right) {
    size_t n = view_fit(s, cols);
    int w = view_width_n(s, n);
    if (right) vb_repeat(b, " ", cols - w);
    vb_put(b, s, n);
    if (!right) vb_repeat(b, " ", cols - w);
}

void vb_repeat(VBuf *b, const char *s, int times) {
    for (int i = 0; i < times; i++) vb_puts(b, s);
}

void vb_bar(VBuf *b, float w, int cols) {
    static const char *eighths[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (!(w > 0)) w = 0; /* also NaN */
    if (w > 1) w = 1;
    int units = (int)(w * (float)cols * 8 + 0.5f);
    vb_repeat(b, "█", units / 8);
    vb_puts(b, eighths[units % 8]);
}

/* JSON (json = 1) or XML escaping of UTF-8 text; malformed bytes become U+FFFD, so the
 * output is always valid UTF-8. */
static void escape(VBuf *b, const char *s, int json) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int len;
        int c = view_utf8_decode(s + i, n - i, &len);
        if (c < 0) {
            vb_puts(b, json ? "\\ufffd" : "\xef\xbf\xbd");
        } else if (json && (c == '"' || c == '\\')) {
            vb_printf(b, "\\%c", c);
        } else if (json && c < 0x20) {
            vb_printf(b, "\\u%04x", c);
        } else if (!json && c == '<') {
            vb_puts(b, "&lt;");
        } else if (!json && c == '>') {
            vb_puts(b, "&gt;");
        } else if (!json && c == '&') {
            vb_puts(b, "&amp;");
        } else if (!json && c == '"') {
            vb_puts(b, "&quot;");
        } else if (!json && c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            vb_puts(b, "\xef\xbf\xbd"); /* not allowed in XML 1.0 at all */
        } else {
            vb_put(b, s + i, (size_t)len);
        }
        i += (size_t)len;
    }
}

void vb_json_str(VBuf *b, const char *s) {
    vb_puts(b, "\"");
    escape(b, s ? s : "", 1);
    vb_puts(b, "\"");
}

void vb_xml(VBuf *b, const char *s) { escape(b, s ? s : "", 0); }

void vb_free(VBuf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}
