/* Continuous batching (greedy_rows.h). Rows are filled shortest source first, so sentences that
 * run together have similar lengths; a finished row is handed to the next sentence in place
 * (encoder, cross K/V into the row's own source slot, position 0), so no cache is copied until
 * the queue is empty, when finished rows leave through decoder_reorder. */
#include "greedy_rows.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "anuvad.h"
#include "decoder.h"
#include "encoder.h"
#include "ops.h"
#include "search.h"

#define MAX_BATCH 256

/* Sentence j into row r, reading source slot src. */
static void start(RunState *s, RowsJob *job, int r, int src) {
    encoder_forward(s, src, job->ids, job->len);
    decoder_prepare(s, src);
    s->rows[r] = (Row){src, 0};
    job->n_out = 0;
    job->status = ANUVAD_OK;
    job->log_prob = 0;
}

int greedy_rows(RunState *s, RowsJob *jobs, int n, int sum_log_probs) {
    const Config *c = &s->m->c;
    int B = s->max_rows < s->max_sources ? s->max_rows : s->max_sources;
    if (B > MAX_BATCH) B = MAX_BATCH;
    int *order = malloc((size_t)(n > 0 ? n : 1) * sizeof *order);
    if (!order || search_length_order(jobs, sizeof *jobs, offsetof(RowsJob, len), n, order)) {
        free(order);
        return -1;
    }
    int job_of[MAX_BATCH], tok[MAX_BATCH], best[MAX_BATCH], from[MAX_BATCH], next = 0;
    s->n_rows = 0;
    while (s->n_rows < B && next < n) {
        int r = s->n_rows++;
        job_of[r] = order[next++];
        start(s, &jobs[job_of[r]], r, r);
        tok[r] = c->decoder_start;
    }
    while (s->n_rows > 0) {
        decoder_step_argmax(s, tok, best);
        int kept = 0;
        for (int r = 0; r < s->n_rows; r++) {
            RowsJob *j = &jobs[job_of[r]];
            int done = best[r] < 0;
            if (!done) { /* </s> forced at the last allowed step, as search_greedy */
                int t = c->forced_eos && j->n_out == j->max_len - 1 ? c->eos : best[r];
                const float *l = state_logits(s, r);
                float lp = 0;
                if (sum_log_probs || !search_surely_finite(l, t, best[r], c->pad))
                    lp = l[t] - ops_log_sum_exp(l, c->tgt_vocab_size, s->m->simd);
                done = !isfinite(lp); /* refused as search_greedy refuses it */
                if (sum_log_probs) j->log_prob += lp;
                if (!done) j->out[j->n_out++] = tok[r] = t;
            }
            if (done) j->status = ANUVAD_ERR_FORMAT;
            done = done || tok[r] == c->eos || j->n_out == j->max_len;
            if (done && next < n) { /* the row goes to the next sentence */
                job_of[r] = order[next++];
                start(s, &jobs[job_of[r]], r, s->rows[r].src);
                tok[r] = c->decoder_start;
                done = 0;
            }
            if (!done) from[kept++] = r;
        }
        if (kept < s->n_rows) {
            for (int i = 0; i < kept; i++) job_of[i] = job_of[from[i]], tok[i] = tok[from[i]];
            decoder_reorder(s, from, kept);
        }
    }
    free(order);
    return 0;
}
