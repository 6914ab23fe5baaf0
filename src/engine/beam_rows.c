/* Continuous batching for beam search (beam_rows.h). The rows are the live hypotheses of the
 * sentences in progress, each sentence's rows together: after a step, every sentence's
 * beam_step says which of its rows go on (beam_from) and one decoder_reorder moves them all;
 * a finished sentence's rows simply are not taken, and the next sentence starts with one row
 * at the end, its encoder output in the freed source slot. */
#include "beam_rows.h"

#include <stddef.h>
#include <stdlib.h>

#include "anuvad.h"
#include "decoder.h"
#include "encoder.h"

#define MAX_ROWS 256

typedef struct {
    Beam *b;
    int job, slot, row0;
} Live;

/* The next job into source slot `slot`, one row at the end; 0, or -1 when its beam cannot be
 * had (the job fails with ANUVAD_ERR_NOMEM). */
static int start(RunState *s, BeamJob *job, int slot, const BeamParams *p, Live *l) {
    Search q = {.max_len = job->max_len};
    job->got = 0;
    if (!(l->b = beam_new(&q, p, job->len, s->m->c.decoder_start))) {
        job->status = ANUVAD_ERR_NOMEM;
        return -1;
    }
    job->status = ANUVAD_OK;
    encoder_forward(s, slot, job->ids, job->len);
    decoder_prepare(s, slot);
    l->slot = slot, l->row0 = decoder_add_row(s, slot);
    return 0;
}

int beam_rows(RunState *s, BeamJob *jobs, int n, const BeamParams *p) {
    int N = p->beam, rows = s->max_rows < MAX_ROWS ? s->max_rows : MAX_ROWS;
    int S = rows / N < s->max_sources ? rows / N : s->max_sources;
    if (S < 1) S = 1;
    int *order = malloc((size_t)(n > 0 ? n : 1) * sizeof *order);
    Live *live = malloc((size_t)S * sizeof *live);
    int *free_slot = malloc((size_t)S * sizeof *free_slot);
    if (!order || !live || !free_slot ||
        search_length_order(jobs, sizeof *jobs, offsetof(BeamJob, len), n, order)) {
        free(order), free(live), free(free_slot);
        return -1;
    }
    int tok[MAX_ROWS], from[MAX_ROWS], next = 0, n_live = 0, n_free = S;
    for (int i = 0; i < S; i++) free_slot[i] = S - 1 - i;
    s->n_rows = 0;
    for (;;) {
        while (n_free > 0 && next < n) { /* fill the free slots */
            Live *l = &live[n_live];
            l->job = order[next++];
            if (start(s, &jobs[l->job], free_slot[n_free - 1], p, l) == 0) n_free--, n_live++;
        }
        if (n_live == 0) break;
        for (int i = 0; i < n_live; i++)
            for (int r = 0; r < beam_rows_next(live[i].b); r++)
                tok[live[i].row0 + r] = beam_tokens(live[i].b)[r];
        decoder_step(s, tok);
        int kept = 0, m = 0;
        for (int i = 0; i < n_live; i++) {
            Live l = live[i];
            BeamJob *job = &jobs[l.job];
            int rc = beam_step(s, l.b, l.row0, NULL);
            if (rc || beam_done(l.b)) {
                job->status = rc;
                if (!rc) job->got = beam_results(l.b, job->out);
                beam_free(l.b);
                free_slot[n_free++] = l.slot;
                continue;
            }
            int k = beam_rows_next(l.b);
            for (int r = 0; r < k; r++) from[m + r] = l.row0 + beam_from(l.b)[r];
            l.row0 = m, m += k;
            live[kept++] = l;
        }
        n_live = kept;
        decoder_reorder(s, from, m);
    }
    free(order);
    free(live);
    free(free_slot);
    return 0;
}
