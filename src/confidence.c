/* Confidence warnings (anuvad.h AnuvadResult.warnings): source words outside the model's
 * training vocabulary, and a mean token log-probability below the model's calibrated
 * threshold. Both come from optional keys (scripts/confidence.py); a model without them gets
 * no such warnings. */
#include <stdio.h>
#include <string.h>

#include "translator.h"

static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int is_punct(unsigned char c) {
    return c < 128 && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) && c;
}

/* The words of text that the model never saw, as typed, into out ("" if none). A word is a
 * run of non-space bytes with ASCII punctuation stripped from both ends, ASCII lowercased
 * (as scripts/confidence.py splits the corpus). */
static void unknown_words(const Vocab *known, const char *text, char *out, size_t outlen) {
    char list[200], word[64];
    size_t used = 0;
    int n = 0, shown = 0;
    list[0] = 0;
    for (const char *p = text; *p;) {
        while (*p && is_space((unsigned char)*p)) p++;
        const char *start = p;
        while (*p && !is_space((unsigned char)*p)) p++;
        const char *a = start, *b = p;
        while (a < b && is_punct((unsigned char)*a)) a++;
        while (b > a && is_punct((unsigned char)b[-1])) b--;
        size_t len = (size_t)(b - a);
        if (!len) continue;
        int seen = 0;
        if (len < sizeof word) {
            for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)a[i];
                word[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            seen = vocab_id(known, word, len) >= 0;
        }
        if (seen) continue;
        n++;
        int w = (int)(len < 40 ? len : 40);
        if (used + (size_t)w + 8 < sizeof list) {
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%.*s", shown ? ", " : "",
                                     w, a);
            shown++;
        }
    }
    out[0] = 0;
    if (n)
        snprintf(out, outlen, "%d word%s the model never saw (%s%s)", n, n > 1 ? "s" : "", list,
                 shown < n ? ", ..." : "");
}

/* One warning line for both signs, so a line has at most one. */
void confidence_check(const Model *m, const char *text, AnuvadResult *r) {
    char words[300], low[120];
    words[0] = low[0] = 0;
    if (m->known_words.n) unknown_words(&m->known_words, text, words, sizeof words);
    const AnuvadHypothesis *h = r->n_hypotheses > 0 ? &r->hypotheses[0] : NULL;
    if (m->has_threshold && h && h->n_tokens > 0) {
        float mean = h->log_prob / (float)h->n_tokens;
        if (mean < m->min_mean_log_prob)
            snprintf(low, sizeof low, "mean token log-probability %.2f, below the model's %.2f",
                     mean, m->min_mean_log_prob);
    }
    if (*words || *low)
        result_warn(r, "low confidence, the translation may be wrong: %s%s%s", low,
                    *low && *words ? "; " : "", words);
}
