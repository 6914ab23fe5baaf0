/* Unigram segmentation: the library's optimized Viterbi (unigram_model.cc EncodeOptimized).
 * One pass over character starts; from each, walk the piece trie and relax every piece that
 * ends later. Tie-breaking and float/double arithmetic follow the library exactly:
 * a candidate replaces the best path ending at a position only if strictly better, so the
 * earliest start (the longest piece) wins exact ties, and a piece beats an unknown node;
 * which of two orders of the same pieces wins depends on float rounding, so the sums are
 * done in the same precision as the library's. */
#include <stdlib.h>

#include "spm_segment.h"

typedef struct {
    int32_t id;    /* -1 until some path reaches this position */
    int32_t start; /* where the last piece of the best path starts */
    float score;   /* best path score ending here */
} Best;

int spm_unigram_encode(const SpmModel *m, const char *s_, size_t n, SpmSegs *out,
                       const char **why) {
    const uint8_t *s = (const uint8_t *)s_;
    const SpmTrie *t = &m->trie;
    if (n == 0) return 0;
    if (n > INT32_MAX - 1 || n + 1 > SIZE_MAX / sizeof(Best)) {
        *why = "input too long";
        return -1;
    }
    Best *best = malloc((n + 1) * sizeof *best);
    if (!best) {
        *why = "out of memory";
        return -1;
    }
    for (size_t i = 0; i <= n; i++) {
        best[i].id = -1;
        best[i].start = -1;
        best[i].score = 0;
    }
    const float unk_score = m->min_score - 10.0f; /* kUnkPenalty */
    size_t start = 0;
    while (start < n) {
        const float here = best[start].score;
        size_t mblen = spm_one_char_len(s[start]);
        if (mblen > n - start) mblen = n - start;
        int has_single = 0;
        int32_t node = 0;
        for (size_t k = start; k < n; k++) {
            node = spm_trie_child(t, node, s[k]);
            if (node < 0) break;
            int32_t id = t->normal_id[node];
            if (id < 0 || m->type[id] == SPM_UNUSED) continue;
            size_t length = k + 1 - start;
            Best *b = &best[k + 1];
            /* The library's `cond ? length * max_score_ - 0.1 : score` is a double either
             * way, so the sum and the comparison are in double; the best is stored as float. */
            double score = m->type[id] == SPM_USER_DEFINED
                               ? (double)((float)length * m->max_score) - 0.1
                               : (double)m->score[id];
            double cand = score + (double)here;
            if (b->start == -1 || cand > (double)b->score) {
                b->score = (float)cand;
                b->start = (int32_t)start;
                b->id = id;
            }
            if (length == mblen) has_single = 1;
        }
        if (!has_single) {
            Best *b = &best[start + mblen];
            float cand = unk_score + here;
            if (b->start == -1 || cand > b->score) {
                b->score = cand;
                b->start = (int32_t)start;
                b->id = m->unk_id;
            }
        }
        start += mblen;
    }
    /* Backtrack from the end, then reverse the segments in place. */
    size_t first = out->n;
    for (size_t end = n; end > 0;) {
        const Best *b = &best[end];
        if (b->start < 0 || (size_t)b->start >= end) {
            free(best);
            *why = "unigram lattice is broken";
            return -1;
        }
        if (spm_segs_push(out, (uint32_t)b->start, (uint32_t)(end - (size_t)b->start), b->id) < 0) {
            free(best);
            *why = "out of memory";
            return -1;
        }
        end = (size_t)b->start;
    }
    for (size_t i = first, j = out->n - 1; i < j; i++, j--) {
        SpmSeg tmp = out->v[i];
        out->v[i] = out->v[j];
        out->v[j] = tmp;
    }
    free(best);
    return 0;
}
