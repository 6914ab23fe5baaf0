/* Pieces → whitespace words. */
#include <stdlib.h>
#include <string.h>

#include "view.h"

#define LOWER_BLOCK "\xe2\x96\x81" /* ▁ U+2581, SentencePiece's word-start mark */

/* <unk> is not special: it stands for text inside a word, and must not split the word. */
int view_is_special(const char *p) {
    size_t n = strlen(p);
    return n >= 3 && p[0] == '<' && p[n - 1] == '>' && !strchr(p, ' ') && strcmp(p, "<unk>") != 0;
}

static int starts_word(const char *p) { return strncmp(p, LOWER_BLOCK, 3) == 0; }

/* The piece without its ▁ marks (a piece holds at most a leading one, but be general). */
static void append_clean(VBuf *b, const char *p) {
    for (const char *q; (q = strstr(p, LOWER_BLOCK)); p = q + 3) vb_put(b, p, (size_t)(q - p));
    vb_puts(b, p);
}

int view_group(const char *const *pieces, int n, int *group, char **labels) {
    int g = -1, open = 0; /* open: the current group is a word that may continue */
    VBuf b = {0};
    for (int i = 0; i < n; i++) {
        int special = view_is_special(pieces[i]);
        if (special || !open || starts_word(pieces[i])) {
            if (labels && g >= 0) {
                labels[g] = b.oom ? NULL : strndup(b.p ? b.p : "", b.n);
                if (!labels[g]) goto oom;
            }
            b.n = 0;
            g++;
        }
        open = !special;
        group[i] = g;
        if (labels) {
            if (special) vb_puts(&b, pieces[i]);
            else append_clean(&b, pieces[i]);
        }
    }
    if (labels && g >= 0 && !(labels[g] = b.oom ? NULL : strndup(b.p ? b.p : "", b.n))) goto oom;
    vb_free(&b);
    return g + 1;
oom:
    vb_free(&b);
    return -1;
}

void view_free_labels(char **labels, int n) {
    if (!labels) return;
    for (int i = 0; i < n; i++) free(labels[i]);
    free(labels);
}
