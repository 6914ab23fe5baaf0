/* Greedy search (specs/marian.md "Tokens and decoding"): start from decoder_start, never pick
 * pad, take the argmax (the first one on ties, as torch.argmax), stop at </s> or max_len.
 * Each step is reported to the observer with its top-k candidates and attention rows. */
#include "search.h"

#include <math.h>

#include "decoder.h"
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
    ops_softmax(probs, c->vocab_size);
    AnuvadStep ev = {
        .step = step, .token = tok, .piece = m->vocab.piece[tok], .prob = probs[tok], .forced = forced,
        .top = top, .src_len = s->src_len, .src_pieces = q->src_pieces,
        .prefix_len = step + 1, .prefix = q->prefix, .prefix_pieces = q->prefix_pieces,
        .n_layers = c->dec_layers, .n_heads = c->heads, .cross = s->cross_w, .self = s->self_w,
    };
    ev.n_top = top_k(probs, c->vocab_size, q->top_k, top, m->vocab.piece);
    return q->on_step(&ev, q->user);
}

int search_greedy(RunState *s, Search *q) {
    const Model *m = s->m;
    const Config *c = &m->c;
    decoder_prepare(s);
    q->prefix[0] = c->decoder_start;
    q->prefix_pieces[0] = m->vocab.piece[c->decoder_start];
    q->n_out = 0;
    for (int step = 0; step < q->max_len; step++) {
        int forced = step < q->n_forced, tok;
        if (!q->on_step && !forced) {   /* nobody looks at the logits: pick as they are made */
            if ((tok = decoder_step_argmax(s, q->prefix[step], step)) < 0) return ANUVAD_ERR_FORMAT;
        } else {
            decoder_step(s, q->prefix[step], step);
            if (!all_finite(s->logits, c->vocab_size)) return ANUVAD_ERR_FORMAT;
            s->logits[c->pad] = -INFINITY;
            tok = forced ? q->forced[step] : argmax(s->logits, c->vocab_size);
        }
        if (q->on_step && report(s, q, step, tok, forced)) return ANUVAD_ERR_STOPPED;
        q->prefix[step + 1] = tok;
        q->prefix_pieces[step + 1] = m->vocab.piece[tok];
        q->n_out++;
        if (tok == c->eos) break;
    }
    return ANUVAD_OK;
}
