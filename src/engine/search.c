/* Greedy search (specs/marian.md "Tokens and decoding"): start from decoder_start, never pick
 * pad, take the argmax (the first one on ties, as torch.argmax), stop at </s> or max_len.
 * Each step is reported to the observer with its top-k candidates and attention rows. */
#include "search.h"

#include <math.h>

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

/* NaN or infinite weights (or finite ones large enough to overflow) give non-finite logits,
 * and the argmax of NaNs is meaningless: refuse instead of printing an arbitrary line. */
static int all_finite(const float *x, int n) {
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

/* log softmax(x)[tok] over the n logits (-inf ones excluded), as torch.log_softmax. */
static float log_prob(const float *x, int n, int tok) {
    float max = -INFINITY, sum = 0;
    for (int i = 0; i < n; i++)
        if (x[i] > max) max = x[i];
    for (int i = 0; i < n; i++)
        if (x[i] != -INFINITY) sum += expf(x[i] - max);
    return x[tok] - max - logf(sum);
}

/* out[j] = the mean over layers and heads of the row's cross-attention to source position j. */
static void mean_attention(const RunState *s, float *out) {
    const Config *c = &s->m->c;
    int n = s->src[s->rows[0].src].len, LH = c->dec_layers * c->heads;
    const float *w = state_cross_w(s, 0);
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
    ops_softmax(probs, c->vocab_size);
    norms_step(s, 0);
    AnuvadStep ev = {
        .step = step,
        .token = tok,
        .piece = m->vocab.piece[tok],
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
    ev.n_top = top_k(probs, c->vocab_size, q->top_k, top, m->vocab.piece);
    return q->on_step(&ev, q->user);
}

int search_greedy(RunState *s, Search *q) {
    const Model *m = s->m;
    const Config *c = &m->c;
    int V = c->vocab_size, src_len = s->src[q->src].len;
    s->n_rows = 0;
    decoder_add_row(s, q->src);
    float *logits = state_logits(s, 0);
    if (q->on_step) norms_prepare(s, q->src);
    q->prefix[0] = c->decoder_start;
    q->prefix_pieces[0] = m->vocab.piece[c->decoder_start];
    q->n_out = 0;
    for (int step = 0; step < q->max_len; step++) {
        decoder_step(s, &q->prefix[step]);
        if (!all_finite(logits, V)) return ANUVAD_ERR_FORMAT;
        logits[c->pad] = -INFINITY;
        int forced = step < q->n_forced;
        int tok = forced ? q->forced[step] : argmax(logits, V);
        if (q->log_probs) q->log_probs[step] = log_prob(logits, V, tok);
        if (q->attention) mean_attention(s, q->attention + (size_t)step * src_len);
        if (q->on_step && report(s, q, step, tok, forced)) return ANUVAD_ERR_STOPPED;
        q->prefix[step + 1] = tok;
        q->prefix_pieces[step + 1] = m->vocab.piece[tok];
        q->n_out++;
        if (tok == c->eos) break;
    }
    return ANUVAD_OK;
}
