/* AnuvadResult: what a translation gives back (anuvad.h), and the helpers that fill it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translator.h"

static char *vformat(const char *fmt, va_list ap) {
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    return strdup(line);
}

int result_fail(AnuvadResult *r, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    return r->status = status;
}

void result_warn(AnuvadResult *r, const char *fmt, ...) {
    char **w = realloc(r->warnings, ((size_t)r->n_warnings + 1) * sizeof *w);
    if (!w) {
        result_fail(r, ANUVAD_ERR_NOMEM, "out of memory");
        return;
    }
    r->warnings = w;
    va_list ap;
    va_start(ap, fmt);
    w[r->n_warnings] = vformat(fmt, ap);
    va_end(ap);
    if (w[r->n_warnings]) r->n_warnings++;
    else result_fail(r, ANUVAD_ERR_NOMEM, "out of memory");
}

void anuvad_result_free(AnuvadResult *r) {
    if (!r) return;
    for (int i = 0; i < r->n_hypotheses; i++) {
        AnuvadHypothesis *h = &r->hypotheses[i];
        free(h->text);
        free(h->tokens);
        free(h->log_probs);
        free(h->attention);
    }
    free(r->hypotheses);
    for (int i = 0; i < r->n_warnings; i++) free(r->warnings[i]);
    free(r->warnings);
    memset(r, 0, sizeof *r);
}
