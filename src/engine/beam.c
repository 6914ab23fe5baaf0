/* Beam search with the semantics of transformers' generate(num_beams=N, do_sample=False) for
 * Marian models (generation/utils.py _beam_search, 5.x), so results compare exactly:
 * - scores are log_softmax over the whole vocabulary, then pad is masked (-inf), and each live
 *   hypothesis carries the float sum of its tokens' log-probabilities;
 * - each step takes the 2N best continuations over all live hypotheses; a continuation "hits"
 *   when its token is </s> or the sequence reaches max_len; the N best that do not hit live on
 *   (a hitting one is pushed down by 1e9, as there);
 * - of the 2N, only the first N may finish: scored sum / n^length_penalty, n its tokens with
 *   the </s>, they join the N finished kept so far if better;
 * - the search stops when all 2N hit, when early_stopping and N are finished, or when N are
 *   finished and the best live sum / n^length_penalty (n its tokens so far) is no better than
 *   the worst finished (transformers' heuristic, which once satisfied stays so).
 * - a model with forced_eos (transformers' ForcedEOSTokenLogitsProcessor) may only end in
 *   </s> at the last step max_len allows: there each row's one candidate is </s>, ranked with
 *   score 0 added (the processor's value; its token keeps the model's log-prob), and the 2N
 *   are filled up with -inf ones that never finish;
 * The first step runs one row (the other N-1 beams start at -1e9 there and cannot be among
 * the 2N best); then the rows are the N live hypotheses, reordered (decoder_reorder), never
 * recomputed. Forced tokens (anuvad's own addition, for the step view's "what if?"): during
 * the first n_forced steps the one row takes them, so the search proper starts, as above,
 * from that prefix as its only hypothesis. A sentence's search is a sequence of beam_step
 * calls over its own rows, so several sentences can share one decoder (beam_rows.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decoder.h"
#include "search.h"

#define HIT_PENALTY 1.0e9f

typedef struct {
    float score; /* sum of log-probs (live) or the ranking score (finished) */
    int n;
    int *tok;   /* [max_len] */
    float *lp;  /* [max_len] */
    float *att; /* [max_len][src_len] or NULL */
} Hyp;

typedef struct {
    float acc; /* parent's sum + lp */
    float lp;  /* log-prob of tok */
    int row, tok;
} Cand;

struct Beam {
    int N, max_len, src_len, want_att;
    int n_live; /* live hypotheses, each a row: N, or 1 at the first step and while forced */
    BeamParams p;
    const int *forced; /* the caller's first n_forced tokens */
    int n_forced;
    Hyp *live, *next, *fin; /* [N] each */
    int n_fin;
    Cand *cand; /* [2N] best first */
    float *att; /* [N][src_len]: each row's attention of this step */
    /* progress: the next step, whether a live one can still win, whether it is over; the next
     * step's rows, each the row from[i] of this one extended by tokens[i] */
    int t, open, done;
    int from[SEARCH_MAX_BEAM], tokens[SEARCH_MAX_BEAM];
};

Beam *beam_new(const Search *q, const BeamParams *bp, int src_len, int decoder_start) {
    int N = bp->beam, max_len = q->max_len, want_att = q->attention != NULL;
    size_t per = (size_t)max_len * (sizeof(int) + sizeof(float)) +
                 (want_att ? (size_t)max_len * src_len * sizeof(float) : 0);
    size_t total = sizeof(Beam) + 3 * (size_t)N * (sizeof(Hyp) + per) +
                   2 * (size_t)N * sizeof(Cand) + (size_t)N * src_len * sizeof(float);
    char *p = malloc(total);
    if (!p) return NULL;
    Beam *b = (Beam *)(void *)p;
    *b = (Beam){.N = N, .max_len = max_len, .src_len = src_len, .want_att = want_att,
                .n_live = 1, .p = *bp, .forced = q->forced, .n_forced = q->n_forced, .open = 1};
    b->tokens[0] = decoder_start;
    p += sizeof(Beam);
    Hyp *h = (Hyp *)(void *)p;
    p += 3 * (size_t)N * sizeof(Hyp);
    b->cand = (Cand *)(void *)p;
    p += 2 * (size_t)N * sizeof(Cand);
    b->att = (float *)(void *)p;
    p += (size_t)N * src_len * sizeof(float);
    for (int i = 0; i < 3 * N; i++) { /* floats first: every pointer stays aligned */
        h[i].lp = (float *)(void *)p;
        p += (size_t)max_len * sizeof(float);
        h[i].att = want_att ? (float *)(void *)p : NULL;
        if (want_att) p += (size_t)max_len * src_len * sizeof(float);
        h[i].tok = (int *)(void *)p;
        p += (size_t)max_len * sizeof(int);
        h[i].n = 0, h[i].score = 0;
    }
    b->live = h, b->next = h + N, b->fin = h + 2 * N;
    return b;
}

void beam_free(Beam *b) { free(b); }

int beam_rows_next(const Beam *b) { return b->done ? 0 : b->n_live; }
const int *beam_from(const Beam *b) { return b->from; }
const int *beam_tokens(const Beam *b) { return b->tokens; }
int beam_done(const Beam *b) { return b->done; }

/* dst = src extended by one token (its log-prob, its attention row). */
static void extend(const Beam *b, Hyp *dst, const Hyp *src, int tok, float lp, const float *att) {
    int n = src->n;
    memcpy(dst->tok, src->tok, (size_t)n * sizeof *dst->tok);
    memcpy(dst->lp, src->lp, (size_t)n * sizeof *dst->lp);
    dst->tok[n] = tok, dst->lp[n] = lp;
    if (b->want_att) {
        memcpy(dst->att, src->att, (size_t)n * b->src_len * sizeof *dst->att);
        memcpy(dst->att + (size_t)n * b->src_len, att, (size_t)b->src_len * sizeof *att);
    }
    dst->n = n + 1;
}

/* Keeps c among the k best of list[0..*got) (best first; equal sums: the earlier row and id,
 * as the flat index order of torch.topk). */
static void keep_best(Cand *list, int *got, int k, Cand c) {
    if (*got == k && !(c.acc > list[k - 1].acc)) return;
    int j = *got < k ? (*got)++ : k - 1;
    while (j > 0 && c.acc > list[j - 1].acc) {
        list[j] = list[j - 1];
        j--;
    }
    list[j] = c;
}

/* The 2N best continuations over the rows' logits (log-softmax, pad masked); `eos_only`: the
 * forced </s> of the last step. 0, or ANUVAD_ERR_FORMAT for non-finite logits. */
static int candidates(RunState *s, Beam *b, int row0, int eos_only) {
    const Config *c = &s->m->c;
    int V = c->tgt_vocab_size, got = 0, K = 2 * b->N;
    for (int r = 0; r < b->n_live; r++) {
        float *x = state_logits(s, row0 + r);
        if (!search_finite(x, V)) return ANUVAD_ERR_FORMAT;
        float norm = search_log_norm(s, x, V), base = b->live[r].score;
        x[c->pad] = -INFINITY;
        if (b->want_att) search_mean_attention(s, row0 + r, b->att + (size_t)r * b->src_len);
        if (eos_only) {
            keep_best(b->cand, &got, K, (Cand){base, x[c->eos] - norm, r, c->eos});
            continue;
        }
        for (int v = 0; v < V; v++) {
            float lp = x[v] - norm, acc = base + lp;
            if (got < K || acc > b->cand[K - 1].acc)
                keep_best(b->cand, &got, K, (Cand){acc, lp, r, v});
        }
    }
    while (eos_only && got < K) b->cand[got++] = (Cand){-INFINITY, -INFINITY, 0, c->eos};
    return got == K ? 0 : ANUVAD_ERR_FORMAT; /* V ≥ 2N is checked by the caller */
}

/* The first N candidates that hit join the finished ones if better (at most N kept, best
 * first). `open`: transformers' heuristic still allows improvement. 0, or ANUVAD_ERR_FORMAT
 * when one that joins has a non-finite log-prob: finite logits near ±FLT_MAX (broken weights)
 * overflow x[tok] - norm, as for the forced </s> at the limit, whose sum stays finite. */
static int finish(Beam *b, const int *hit, int open, int early_stopping, float length_penalty) {
    if (!open || (early_stopping && b->n_fin == b->N)) return 0; /* as before this step */
    for (int j = 0; j < b->N; j++) {
        const Cand *k = &b->cand[j];
        if (!hit[j] || k->acc == -INFINITY) continue; /* a forced step's filler */
        const Hyp *parent = &b->live[k->row];
        float score = k->acc / (float)pow((double)(parent->n + 1), (double)length_penalty);
        if (b->n_fin == b->N && !(score > b->fin[b->N - 1].score)) continue;
        if (!isfinite(k->lp)) return ANUVAD_ERR_FORMAT;
        int at = b->n_fin < b->N ? b->n_fin++ : b->N - 1;
        Hyp spare = b->fin[at]; /* the slot that is overwritten (or the free one) */
        while (at > 0 && score > b->fin[at - 1].score) {
            b->fin[at] = b->fin[at - 1];
            at--;
        }
        b->fin[at] = spare;
        extend(b, &b->fin[at], parent, k->tok, k->lp, b->att + (size_t)k->row * b->src_len);
        b->fin[at].score = score;
    }
    return 0;
}

/* The N best candidates by sum less HIT_PENALTY for those that hit, as the next live ones;
 * from[i] = the row each extends. */
static void advance(Beam *b, const int *hit, int *from) {
    int order[2 * SEARCH_MAX_BEAM], n = 0, K = 2 * b->N;
    for (int j = 0; j < K; j++)
        if (!hit[j]) order[n++] = j;
    for (int j = 0; j < K; j++)
        if (hit[j]) order[n++] = j;
    for (int i = 0; i < b->N; i++) {
        const Cand *k = &b->cand[order[i]];
        Hyp *h = &b->next[i];
        extend(b, h, &b->live[k->row], k->tok, k->lp, b->att + (size_t)k->row * b->src_len);
        h->score = hit[order[i]] ? k->acc - HIT_PENALTY : k->acc;
        from[i] = k->row;
    }
    Hyp *t = b->live;
    b->live = b->next, b->next = t;
    b->n_live = b->N;
}

/* A forced step (the first q->n_forced): row 0, the only row, is extended by `tok` with its
 * log-probability (a forced pad keeps its finite one, as in search_greedy); a hit (</s>, or
 * the length limit) finishes it as the search's one result. 0 or ANUVAD_ERR_FORMAT. */
static int forced_step(RunState *s, Beam *b, int row0, int tok, int last) {
    const Config *c = &s->m->c;
    float *x = state_logits(s, row0);
    if (!search_finite(x, c->tgt_vocab_size)) return ANUVAD_ERR_FORMAT;
    float lp = x[tok] - search_log_norm(s, x, c->tgt_vocab_size);
    if (!isfinite(lp)) return ANUVAD_ERR_FORMAT; /* as finish() */
    if (b->want_att) search_mean_attention(s, row0, b->att);
    Hyp *to = tok == c->eos || last ? &b->fin[0] : &b->next[0];
    extend(b, to, &b->live[0], tok, lp, b->att);
    to->score = b->live[0].score + lp;
    if (to == &b->fin[0]) {
        b->n_fin = 1, b->n_live = 0;
        to->score /= (float)pow((double)to->n, (double)b->p.length_penalty);
        return 0;
    }
    Hyp t = b->live[0];
    b->live[0] = b->next[0], b->next[0] = t;
    b->n_live = 1;
    return 0;
}

/* Forced tokens that end the sentence leave one hypothesis; otherwise the last step finishes
 * N, and the live ones are only a safety net (beam_results). */
static int n_results(const Beam *b) {
    return b->n_fin + b->n_live < b->p.n_best ? b->n_fin + b->n_live : b->p.n_best;
}

/* 0, or ANUVAD_ERR_FORMAT when a live hypothesis that beam_results would return (the safety
 * net: too few finished) holds a non-finite log-prob; finished ones are checked by finish(). */
static int results_finite(const Beam *b) {
    for (int i = b->n_fin; i < n_results(b); i++)
        for (int k = 0; k < b->live[i - b->n_fin].n; k++)
            if (!isfinite(b->live[i - b->n_fin].lp[k])) return ANUVAD_ERR_FORMAT;
    return 0;
}

static void record(const Beam *b, BeamStep *st, const int *from) {
    st->n = b->n_live;
    for (int i = 0; i < b->n_live; i++) {
        const Hyp *h = &b->live[i];
        st->parent[i] = from[i], st->token[i] = h->tok[h->n - 1], st->score[i] = h->score;
    }
}

int beam_step(RunState *s, Beam *b, int row0, BeamStep *rec) {
    const Config *c = &s->m->c;
    const BeamParams *p = &b->p;
    int N = b->N, t = b->t, rc, hit[2 * SEARCH_MAX_BEAM];
    b->t++;
    if (t < b->n_forced) { /* the one live hypothesis takes the caller's token */
        if ((rc = forced_step(s, b, row0, b->forced[t], t + 1 >= b->max_len))) return b->done = 1, rc;
        if (rec) record(b, rec, b->from);
        b->done = b->n_fin > 0;
        b->tokens[0] = b->forced[t];
        return 0;
    }
    if ((rc = candidates(s, b, row0, c->forced_eos && t == b->max_len - 1))) return b->done = 1, rc;
    int all_hit = 1;
    for (int j = 0; j < 2 * N; j++) {
        hit[j] = b->cand[j].tok == c->eos || t + 1 >= b->max_len;
        all_hit &= hit[j];
    }
    if ((rc = finish(b, hit, b->open, p->early_stopping, p->length_penalty)))
        return b->done = 1, rc;
    advance(b, hit, b->from);
    if (rec) record(b, rec, b->from);
    /* Can a live hypothesis still beat the worst finished one? */
    if (b->open && b->n_fin == N &&
        !(b->live[0].score / (float)pow((double)(t + 1), (double)p->length_penalty) >
          b->fin[N - 1].score))
        b->open = 0;
    b->done = all_hit || !b->open || (p->early_stopping && b->n_fin == N);
    for (int i = 0; i < N; i++) b->tokens[i] = b->live[i].tok[t];
    return b->done ? results_finite(b) : 0;
}

int beam_results(const Beam *b, BeamHyp *out) {
    int got = n_results(b);
    for (int i = 0; i < got; i++) {
        const Hyp *h = i < b->n_fin ? &b->fin[i] : &b->live[i - b->n_fin];
        BeamHyp *o = &out[i];
        o->n = h->n;
        o->score = i < b->n_fin ? h->score
                                : h->score / (float)pow((double)h->n, (double)b->p.length_penalty);
        memcpy(o->tokens, h->tok, (size_t)h->n * sizeof *h->tok);
        memcpy(o->log_probs, h->lp, (size_t)h->n * sizeof *h->lp);
        if (o->attention)
            memcpy(o->attention, h->att, (size_t)h->n * b->src_len * sizeof *h->att);
    }
    return got;
}

int search_beam(RunState *s, const Search *q, const BeamParams *p, BeamHyp *out, int *got,
                BeamStep *steps) {
    /* Attention is kept when the caller has room for it in out: q->attention is the greedy
     * loop's buffer, NULL for beam search (reading it here was a NULL read with attention). */
    Search with_att = *q;
    with_att.attention = out[0].attention;
    Beam *b = beam_new(&with_att, p, s->src[q->src].len, s->m->c.decoder_start);
    if (!b) return ANUVAD_ERR_NOMEM;
    int rc;
    s->n_rows = 0;
    decoder_add_row(s, q->src);
    for (;;) {
        decoder_step(s, b->tokens);
        if ((rc = beam_step(s, b, 0, steps ? &steps[b->t] : NULL)) || b->done) break;
        decoder_reorder(s, b->from, beam_rows_next(b));
    }
    *got = rc ? 0 : beam_results(b, out);
    beam_free(b);
    return rc;
}
