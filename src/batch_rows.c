/* anuvad_translate_stream with batch_size > 1 (anuvad.h): sentences decoded together as rows of
 * one decoder (engine/greedy_rows.c; with beam_size > 1, engine/beam_rows.c, every hypothesis a
 * row), each matrix product one pass over the weights for all of them. With several threads
 * the rows are split into lanes, one per thread, side by side (below). Input is read in chunks
 * of CHUNK_BATCHES batches, sorted by source length inside the chunk, and the chunk's results
 * are written in input order when it is done: more throughput, more latency than one sentence
 * at a time. The translations are the same bytes as one at a time. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine/beam_rows.h"
#include "engine/greedy_rows.h"
#include "translator.h"

#define CHUNK_BATCHES 32

typedef struct {
    AnuvadResult r;
    RowsJob job;
    BeamJob beam; /* beam_size > 1: instead of job */
    BeamHyp out[SEARCH_MAX_BEAM];
    int *ids;
    int queued;  /* has a job (not empty, not failed) */
    int dropped; /* source pieces cut at the model's positions */
    char *text;  /* for the confidence check once decoded */
} Item;

/* Room for the results: greedy, job.out; beam search, n_best hypotheses' arrays. */
static int alloc_out(Item *it, const AnuvadOptions *o, int max_len) {
    int n_best = o->beam_size > 1 && o->n_best > 1 ? o->n_best : 1;
    if (!(it->r.hypotheses = calloc((size_t)n_best, sizeof *it->r.hypotheses))) return -1;
    it->r.n_hypotheses = n_best;
    if (o->beam_size <= 1)
        return (it->job.out = malloc((size_t)max_len * sizeof *it->job.out)) ? 0 : -1;
    for (int i = 0; i < n_best; i++) {
        AnuvadHypothesis *h = &it->r.hypotheses[i];
        h->tokens = malloc((size_t)max_len * sizeof *h->tokens);
        h->log_probs = malloc((size_t)max_len * sizeof *h->log_probs);
        if (!h->tokens || !h->log_probs) return -1;
        it->out[i] = (BeamHyp){0, h->tokens, h->log_probs, NULL, 0};
    }
    return 0;
}

/* One sentence's source into it as ids; a failure or an empty line is its result already. */
static void prepare(AnuvadModel *a, const char *src, size_t len, SourceKind kind, const char *note,
                    const AnuvadOptions *o, Item *it) {
    const Config *c = &a->sh->m.c;
    AnuvadResult *r = &it->r;
    memset(it, 0, sizeof *it);
    if (note && *note) result_warn(r, "%s", note);
    SourceIn s;
    if (source_read(a, src, len, kind, &s, r)) {
        source_free(&s);
        return;
    }
    const SpmPieces *p = &s.p;
    int k = p->n < c->max_positions - 1 ? p->n : c->max_positions - 1;
    int max_len = o->max_len ? o->max_len : 2 * (k + 1) + 10; /* as anuvad.c's decode */
    if (max_len > c->max_positions) max_len = c->max_positions;
    if (p->n == 0) {
        translator_empty_result(o, r);
    } else if (!(it->ids = malloc((size_t)(k + 1) * sizeof *it->ids)) ||
               alloc_out(it, o, max_len) || !(it->text = strdup(source_text(&s)))) {
        result_fail(r, ANUVAD_ERR_NOMEM, "out of memory");
    } else {
        for (int i = 0; i < k; i++) {
            int id = vocab_id(&a->sh->m.vocab, p->pieces[i], strlen(p->pieces[i]));
            it->ids[i] = id < 0 ? c->src_unk : id;
        }
        it->ids[k] = c->src_eos; /* as anuvad.c's map_source */
        r->src_len = k + 1;
        it->job = (RowsJob){it->ids, k + 1, max_len, it->job.out, 0, ANUVAD_OK, 0};
        it->beam = (BeamJob){it->ids, k + 1, max_len, it->out, 0, ANUVAD_OK};
        it->queued = 1;
        it->dropped = p->n - k;
    }
    source_free(&s);
}

/* Beam search's hypotheses into the result, each detokenized; 0, or the status it failed with. */
static int finish_beam(AnuvadModel *a, Item *it) {
    AnuvadResult *r = &it->r;
    char msg[300];
    if (it->beam.status) return translator_search_failed(r, it->beam.status, 0);
    translator_beam_fill(r, it->out, it->beam.got, r->n_hypotheses);
    for (int i = 0; i < r->n_hypotheses; i++)
        if (anuvad_detokenize(&a->sh->tok[ANUVAD_TARGET], r->hypotheses[i].tokens,
                              r->hypotheses[i].n_tokens, &r->hypotheses[i].text, msg, sizeof msg))
            return result_fail(r, ANUVAD_ERR_INPUT, "cannot decode the output: %s", msg);
    return 0;
}

/* The decoded ids into the result. */
static void finish(AnuvadModel *a, const AnuvadOptions *o, Item *it) {
    AnuvadResult *r = &it->r;
    AnuvadHypothesis *h = r->hypotheses;
    char msg[300];
    if (o->beam_size > 1) {
        if (!finish_beam(a, it)) {
            int n = h->n_tokens;
            translator_warn_limits(r, it->dropped, a->sh->m.c.max_positions, n,
                                   n > 0 && h->tokens[n - 1] != a->sh->m.c.eos);
            if (!o->no_confidence) confidence_check(&a->sh->m, it->text, r);
        }
    } else if (it->job.status) {
        result_fail(r, it->job.status,
                    "the model computed a NaN or infinite score at output "
                    "token %d: its weights are broken",
                    it->job.n_out + 1);
    } else if (anuvad_detokenize(&a->sh->tok[ANUVAD_TARGET], it->job.out, it->job.n_out, &h->text,
                                 msg, sizeof msg)) {
        result_fail(r, ANUVAD_ERR_INPUT, "cannot decode the output: %s", msg);
    } else {
        h->tokens = it->job.out, h->n_tokens = it->job.n_out;
        h->log_prob = h->score = it->job.log_prob;
        it->job.out = NULL;
        int n = h->n_tokens;
        translator_warn_limits(r, it->dropped, a->sh->m.c.max_positions, n,
                               n > 0 && h->tokens[n - 1] != a->sh->m.c.eos);
        if (!o->no_confidence) confidence_check(&a->sh->m, it->text, r);
    }
    if (r->status) { /* a failed sentence has no hypotheses, as translator_run leaves it */
        AnuvadResult keep = *r;
        keep.n_hypotheses = 0, keep.hypotheses = NULL, keep.src_len = 0;
        r->n_warnings = 0, r->warnings = NULL;
        anuvad_result_free(r);
        *r = keep;
    }
}

/* Lanes: with T threads, T sets of rows decoded side by side, each on one thread with every
 * product whole, instead of one set whose every product is split over the threads. Splitting
 * costs a hand-off per product (about 20 a step), and a step of a small model is too little
 * work to share: on the default model at --batch-size 32, -t 2 was slower than -t 1. Side by
 * side nothing waits, and each lane still makes one pass over the weights for its rows. The
 * sentences are dealt to the lanes in order of source length, so each gets a like share. */
typedef struct {
    RunState s;
    RowsJob *jobs; /* the lane's sentences (greedy), copied in and out */
    BeamJob *beams; /* or (beam search) */
    int *from;      /* each one's index in the chunk's queue */
    int n, failed;
} Lane;

typedef struct {
    Lane *lane;
    const BeamParams *bp;
    int sum; /* greedy_rows' */
} Lanes;

static void run_lanes(void *ctx, int begin, int end) {
    const Lanes *l = ctx;
    for (int k = begin; k < end; k++) {
        Lane *ln = &l->lane[k];
        ln->failed = l->bp->beam > 1 ? beam_rows(&ln->s, ln->beams, ln->n, l->bp)
                                     : greedy_rows(&ln->s, ln->jobs, ln->n, l->sum);
    }
}

/* The queue's n sentences over the lanes and back; 0, or -1 when memory ran out (the lanes'
 * sentences then failed: jobs' status says nothing, so the caller fails them all). */
static int decode_lanes(Lane *lane, int K, RowsJob *jobs, BeamJob *beams, int n,
                        const BeamParams *bp, int sum, Pool *pool) {
    int *order = malloc((size_t)(n > 0 ? n : 1) * sizeof *order);
    if (!order || search_length_order(jobs, sizeof *jobs, offsetof(RowsJob, len), n, order)) {
        free(order);
        return -1;
    }
    for (int k = 0; k < K; k++) lane[k].n = 0;
    for (int i = 0; i < n; i++) {
        Lane *ln = &lane[i % K];
        int q = order[i];
        ln->from[ln->n] = q, ln->jobs[ln->n] = jobs[q], ln->beams[ln->n++] = beams[q];
    }
    free(order);
    pool_for(pool, K, 1, run_lanes, &(Lanes){lane, bp, sum});
    int rc = 0;
    for (int k = 0; k < K; k++) {
        rc |= lane[k].failed;
        for (int i = 0; i < lane[k].n; i++)
            jobs[lane[k].from[i]] = lane[k].jobs[i], beams[lane[k].from[i]] = lane[k].beams[i];
    }
    return rc ? -1 : 0;
}

static void free_lanes(Lane *lane, int K) {
    for (int k = 0; lane && k < K; k++) {
        state_free(&lane[k].s);
        free(lane[k].jobs);
        free(lane[k].beams);
        free(lane[k].from);
    }
    free(lane);
}

/* K lanes of S sentences' rows each (N rows a sentence), each up to W sentences a chunk;
 * NULL when memory runs out. */
static Lane *new_lanes(const Model *m, int K, int S, int N, int W) {
    Lane *lane = calloc((size_t)K, sizeof *lane);
    int k = 0;
    for (; lane && k < K; k++) {
        Lane *ln = &lane[k];
        ln->jobs = calloc((size_t)W, sizeof *ln->jobs);
        ln->beams = calloc((size_t)W, sizeof *ln->beams);
        ln->from = calloc((size_t)W, sizeof *ln->from);
        if (!ln->jobs || !ln->beams || !ln->from || state_init(&ln->s, m, NULL, S * N, S)) {
            free(ln->jobs), free(ln->beams), free(ln->from);
            break;
        }
    }
    if (lane && k < K) {
        free_lanes(lane, k);
        return NULL;
    }
    return lane;
}

int translator_run_rows(AnuvadModel *a, const AnuvadOptions *o, const AnuvadStream *io,
                        SourceKind kind) {
    int B = o->batch_size, W = B * CHUNK_BATCHES, N = o->beam_size > 1 ? o->beam_size : 1;
    /* Beam search: B sentences' hypotheses at once, at most 256 rows. */
    int S = N > 1 && B * N > 256 ? 256 / N : B;
    BeamParams bp = {N, o->n_best ? o->n_best : 1, o->length_penalty, o->early_stopping};
    /* The batch's rows shared out: K lanes of ceil(S / K) sentences, as much memory as one. */
    int K = pool_threads(a->pool) < S ? pool_threads(a->pool) : S;
    RunState s;
    Lane *lane = NULL;
    Item *items = calloc((size_t)W, sizeof *items);
    RowsJob *jobs = calloc((size_t)W, sizeof *jobs);
    BeamJob *beams = calloc((size_t)W, sizeof *beams);
    if (items && jobs && beams && K > 1)
        lane = new_lanes(&a->sh->m, K, (S + K - 1) / K, N, (W + K - 1) / K);
    if (!items || !jobs || !beams || (!lane && state_init(&s, &a->sh->m, a->pool, S * N, S))) {
        free(items);
        free(jobs);
        free(beams);
        return 1; /* the caller goes on one sentence at a time */
    }
    int rc = ANUVAD_OK, eof = 0;
    for (long base = 0; rc == ANUVAD_OK && !eof; base += W) {
        int n = 0, queued = 0;
        for (; n < W; n++) {
            const char *text;
            size_t len;
            char note[256] = "";
            if (io->read(io->user, &text, &len, note, sizeof note) <= 0) {
                eof = 1;
                break;
            }
            prepare(a, text, len, kind, note, o, &items[n]);
            if (items[n].queued) jobs[queued] = items[n].job, beams[queued++] = items[n].beam;
        }
        /* Greedy rows sum log-probabilities only for the confidence warning. */
        int sum = a->sh->m.has_threshold && !o->no_confidence;
        if (lane ? decode_lanes(lane, K, jobs, beams, queued, &bp, sum, a->pool)
            : N > 1 ? beam_rows(&s, beams, queued, &bp)
                    : greedy_rows(&s, jobs, queued, sum)) {
            for (int i = 0; i < n; i++)
                if (items[i].queued) result_fail(&items[i].r, ANUVAD_ERR_NOMEM, "out of memory");
        } else {
            for (int i = 0, j = 0; i < n; i++)
                if (items[i].queued)
                    items[i].job = jobs[j], items[i].beam = beams[j++], finish(a, o, &items[i]);
        }
        for (int i = 0; i < n; i++) {
            if (rc == ANUVAD_OK && io->write(io->user, base + i, &items[i].r))
                rc = ANUVAD_ERR_STOPPED;
            anuvad_result_free(&items[i].r);
            free(items[i].ids);
            free(items[i].job.out);
            free(items[i].text);
        }
    }
    if (lane)
        free_lanes(lane, K);
    else
        state_free(&s);
    free(items);
    free(jobs);
    free(beams);
    return rc;
}
