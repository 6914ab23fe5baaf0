/* Greedy search (specs/marian.md "Tokens and decoding"): start from decoder_start, never pick
 * pad, take the argmax (the first one on ties, as torch.argmax), stop at </s> or max_len (whose
 * last token is </s> when the model asks for it, as transformers' forced_eos_token_id).
 * Each step is reported to the observer with its top-k candidates and attention rows. */
#include "search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decoder.h"
#include "norms.h"
#include "ops.h"

static int argmax(const float *x, int n) {
    int best = 0;
    float v = x[0];
    for (int i = 1; i < n; i++)
        if (x[i] > v) v = x[i], best = i;
    return best;
}

static int cmp_u64(const void *a, const void *b) {
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return (x > y) - (x < y);
}

int search_length_order(const void *jobs, size_t size, size_t len_at, int n, int *order) {
    unsigned long long *key = malloc((size_t)(n > 0 ? n : 1) * sizeof *key);
    if (!key) return -1;
    for (int i = 0; i < n; i++) { /* (length, index) keys: sorted, the order wanted */
        int len;
        memcpy(&len, (const char *)jobs + (size_t)i * size + len_at, sizeof len);
        key[i] = (unsigned long long)(unsigned)len << 32 | (unsigned)i;
    }
    qsort(key, (size_t)n, sizeof *key, cmp_u64);
    for (int i = 0; i < n; i++) order[i] = (int)(key[i] & 0xffffffffu);
    free(key);
    return 0;
}

/* NaN or infinite weights (or finite ones large enough to overflow) give non-finite logits,
 * and the argmax of NaNs is meaningless: refuse instead of printing an arbitrary line. */
int search_finite(const float *x, int n) {
    for (int i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

/* The k most probable ids, most probable first (lower id first on ties). */
static int top_k(const float *p, int n, int k, AnuvadCandidate *out, char *const *vocab) {
    int got = 0;
    for (int i = 0; i < n; i++) {
        if (got == k && !(p[i] > out[got - 1].prob)) continue;
        int j = got < k ? got++ : got - 1;
        while (j > 0 && p[i] > out[j - 1].prob) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = (AnuvadCandidate){i, vocab[i], p[i]};
    }
    return got;
}

/* As torch.log_softmax: x[i] - this is log softmax(x)[i]. Scores are log-probabilities under
 * the whole vocabulary, pad included, as transformers' beam search takes log_softmax before
 * its logits processors mask pad. x must be finite (search_finite). */
float search_log_norm(const RunState *s, const float *x, int n) {
    return ops_log_sum_exp(x, n, s->m->simd);
}

/* logsumexp is at most the largest logit plus log V, so only logits beyond ±1e38 (broken
 * weights) can overflow the difference. */
int search_surely_finite(const float *l, int t, int best, int pad) {
    float max = l[best] > l[pad] ? l[best] : l[pad];
    return l[t] > -1e38f && max < 1e38f;
}

void search_mean_attention(const RunState *s, int r, float *out) {
    const Config *c = &s->m->c;
    int n = s->src[s->rows[r].src].len, LH = c->dec_layers * c->heads;
    const float *w = state_cross_w(s, r);
    for (int j = 0; j < n; j++) out[j] = 0;
    for (int k = 0; k < LH; k++)
        for (int j = 0; j < n; j++) out[j] += w[(size_t)k * n + j];
    for (int j = 0; j < n; j++) out[j] /= (float)LH;
}

static int report(RunState *s, Search *q, int step, int tok, int forced) {
    const Model *m = s->m;
    const Config *c = &m->c;
    AnuvadCandidate top[64];
    float *probs = state_logits(s, 0); /* the logits are not needed after the pick */
    ops_softmax(probs, c->tgt_vocab_size);
    norms_step(s, 0);
    AnuvadStep ev = {
        .step = step,
        .token = tok,
        .piece = model_tgt_vocab(m)->piece[tok],
        .prob = probs[tok],
        .forced = forced,
        .top = top,
        .src_len = s->src[q->src].len,
        .src_pieces = q->src_pieces,
        .prefix_len = step + 1,
        .prefix = q->prefix,
        .prefix_pieces = q->prefix_pieces,
        .n_layers = c->dec_layers,
        .n_heads = c->heads,
        .cross = state_cross_w(s, 0),
        .self = state_self_w(s, 0),
        .cross_norm = state_cross_n(s, 0),
        .cross_norm_layer = state_cross_nl(s, 0),
    };
    ev.n_top = top_k(probs, c->tgt_vocab_size, q->top_k, top, model_tgt_vocab(m)->piece);
    AnuvadBeam beams[SEARCH_MAX_BEAM];
    if (q->beams) { /* a replayed beam hypothesis: its tokens were picked, not forced */
        const BeamStep *b = (const BeamStep *)q->beams + step;
        ev.forced = step < q->n_user_forced;
        ev.n_beams = b->n;
        ev.beams = beams;
        for (int i = 0; i < b->n; i++)
            beams[i] = (AnuvadBeam){b->token[i], model_tgt_vocab(m)->piece[b->token[i]],
                                    b->parent[i], b->score[i]};
    }
    return q->on_step(&ev, q->user);
}

int search_greedy(RunState *s, Search *q) {
    const Model *m = s->m;
    const Config *c = &m->c;
    int V = c->tgt_vocab_size, src_len = s->src[q->src].len;
    char *const *pieces = model_tgt_vocab(m)->piece;
    s->n_rows = 0;
    decoder_add_row(s, q->src);
    float *logits = state_logits(s, 0);
    if (q->on_step) norms_prepare(s, q->src);
    q->prefix[0] = c->decoder_start;
    q->prefix_pieces[0] = pieces[c->decoder_start];
    q->n_out = 0;
    for (int step = 0; step < q->max_len; step++) {
        int forced = step < q->n_forced, tok, fast = !q->on_step && !forced && !q->log_probs;
        float norm = 0, pad = 0;
        if (fast) { /* nobody reads the logits */
            decoder_step_argmax(s, &q->prefix[step], &tok);
            if (tok < 0) return ANUVAD_ERR_FORMAT;
            int t = c->forced_eos && step == q->max_len - 1 ? c->eos : tok;
            /* Refused where the log-probability would be (a -inf </s> at the limit), as
             * greedy_rows does. */
            if (!search_surely_finite(logits, t, tok, c->pad) &&
                !isfinite(logits[t] - search_log_norm(s, logits, V)))
                return ANUVAD_ERR_FORMAT;
        } else {
            decoder_step(s, &q->prefix[step]);
            if (!search_finite(logits, V)) return ANUVAD_ERR_FORMAT;
            norm = q->log_probs ? search_log_norm(s, logits, V) : 0, pad = logits[c->pad];
            logits[c->pad] = -INFINITY;
            tok = forced ? q->forced[step] : argmax(logits, V);
        }
        if (!forced && c->forced_eos && step == q->max_len - 1) tok = c->eos;
        if (q->log_probs) { /* a forced pad keeps its (finite) log-probability */
            q->log_probs[step] = (tok == c->pad ? pad : logits[tok]) - norm;
            /* Finite logits near ±FLT_MAX (broken weights) overflow the difference: a -inf
             * token (a forced one, or </s> at the limit) is refused as non-finite logits are. */
            if (!isfinite(q->log_probs[step])) return ANUVAD_ERR_FORMAT;
        }
        if (q->attention) search_mean_attention(s, 0, q->attention + (size_t)step * src_len);
        if (q->on_step && report(s, q, step, tok, forced)) return ANUVAD_ERR_STOPPED;
        q->prefix[step + 1] = tok;
        q->prefix_pieces[step + 1] = pieces[tok];
        q->n_out++;
        if (tok == c->eos) break;
    }
    return ANUVAD_OK;
}
