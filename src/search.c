/* Greedy search (specs/marian.md "Tokens and decoding"): start from decoder_start, never pick
 * pad, take the argmax (the first one on ties, as torch.argmax), stop at </s> or max_len
 * (whose last token is </s> when the model asks for it, as transformers' forced_eos).
 * Each step is reported to the observer with its top-k candidates and attention rows. */
#include <math.h>

#include "forward.h"
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

static int report(RunState *s, Search *q, int step, int tok, int forced) {
    const Model *m = s->m;
    const Config *c = &m->c;
    AnuvadCandidate top[64];
    float *probs = s->logits;   /* the logits are not needed after the pick */
    ops_softmax(probs, c->tgt_vocab_size);
    decoder_norms_step(s);
    AnuvadStep ev = {
        .step = step, .token = tok, .piece = m->tgt_vocab[tok], .prob = probs[tok],
        .forced = forced, .top = top, .src_len = s->src_len, .src_pieces = q->src_pieces,
        .prefix_len = step + 1, .prefix = q->prefix, .prefix_pieces = q->prefix_pieces,
        .n_layers = c->dec_layers, .n_heads = c->heads, .cross = s->cross_w, .self = s->self_w,
        .cross_norm = s->cross_n, .cross_norm_layer = s->cross_nl,
    };
    ev.n_top = top_k(probs, c->tgt_vocab_size, q->top_k, top, m->tgt_vocab);
    return q->on_step(&ev, q->user);
}

int search_greedy(RunState *s, Search *q) {
    const Model *m = s->m;
    const Config *c = &m->c;
    decoder_prepare(s);
    if (q->on_step) decoder_norms_prepare(s);
    q->prefix[0] = c->decoder_start;
    q->prefix_pieces[0] = m->tgt_vocab[c->decoder_start];
    q->n_out = 0;
    for (int step = 0; step < q->max_len; step++) {
        decoder_step(s, q->prefix[step], step);
        if (!all_finite(s->logits, c->tgt_vocab_size)) return ANUVAD_ERR_FORMAT;
        s->logits[c->pad] = -INFINITY;
        int forced = step < q->n_forced;
        int tok = forced ? q->forced[step] : argmax(s->logits, c->tgt_vocab_size);
        if (!forced && c->forced_eos && step == q->max_len - 1) tok = c->eos;   /* as HF */
        if (q->on_step && report(s, q, step, tok, forced)) return ANUVAD_ERR_STOPPED;
        q->prefix[step + 1] = tok;
        q->prefix_pieces[step + 1] = m->tgt_vocab[tok];
        q->n_out++;
        if (tok == c->eos) break;
    }
    return ANUVAD_OK;
}
