/* The public API (anuvad.h): load = map + bind the model, start the thread pool, parse the
 * two tokenizers, allocate every buffer once; clone = a second translator over the same
 * weights and tokenizers with its own pool and buffers; translate = tokenize, encode, greedy
 * search, detokenize, into a result. */
#include "anuvad.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/decoder.h"
#include "engine/encoder.h"
#include "engine/search.h"
#include "err.h"
#include "translator.h"

#define MAX_THREADS 256

void anuvad_options_default(AnuvadOptions *o) {
    memset(o, 0, sizeof *o);
    o->beam_size = 1;
    o->n_best = 1;
    o->top_k = 5;
    o->length_penalty = 1.0f;
}

int anuvad_default_threads(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* A new translator with `threads` (0: the default) checked, or NULL and the error in *rc. */
static AnuvadModel *new_translator(int *threads, int *rc, char *err, size_t errlen) {
    if (!*threads) *threads = anuvad_default_threads();
    *rc = *threads < 1 || *threads > MAX_THREADS
              ? err_set(err, errlen, ANUVAD_ERR_USAGE, "threads must be 1 to %d, got %d",
                        MAX_THREADS, *threads)
              : ANUVAD_OK;
    AnuvadModel *a = *rc ? NULL : calloc(1, sizeof *a);
    if (!*rc && !a) *rc = err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    return a;
}

/* What load and clone return: the translator, or NULL (freed) on an error; *status = rc. */
static AnuvadModel *finish(AnuvadModel *a, int rc, int *status) {
    if (status) *status = rc;
    if (!rc) return a;
    anuvad_free(a);
    return NULL;
}

static int load_tokenizer(Shared *sh, AnuvadSide side, char *err, size_t errlen) {
    const Model *m = &sh->m;
    const char *key = side == ANUVAD_SOURCE ? "tokenizer.source.spm" : "tokenizer.target.spm";
    const uint8_t *bytes = side == ANUVAD_SOURCE ? m->src_spm : m->tgt_spm;
    size_t size = side == ANUVAD_SOURCE ? m->src_spm_size : m->tgt_spm_size;
    char msg[300];
    struct AnuvadTokenizer *t = &sh->tok[side];
    /* Separate vocabularies: each side its own list, and its own </s> and <unk>. */
    const Config *c = &m->c;
    int src = side == ANUVAD_SOURCE;
    t->spm = spm_load(bytes, size, msg, sizeof msg);
    t->vocab = src ? &m->vocab : model_tgt_vocab(m);
    t->unk = src ? c->src_unk : c->unk, t->eos = src ? c->src_eos : c->eos;
    t->pad = c->pad, t->marian = c->marian_text;
    if (!t->spm) return err_set(err, errlen, ANUVAD_ERR_FORMAT, "%s: %s", key, msg);
    return ANUVAD_OK;
}

static char *copy_str(GgufStr s) { return strndup(s.s, s.len); }

/* The model card's strings, NUL-terminated, and the file's size. */
static int describe(Shared *sh, const char *path, char *err, size_t errlen) {
    struct stat st;
    sh->file_size = stat(path, &st) == 0 ? (long long)st.st_size : 0;
    sh->path = strdup(path);
    sh->name = copy_str(sh->m.name);
    sh->description = copy_str(sh->m.description);
    sh->src_lang = copy_str(sh->m.src_lang);
    sh->tgt_lang = copy_str(sh->m.tgt_lang);
    if (!sh->path || !sh->name || !sh->description || !sh->src_lang || !sh->tgt_lang)
        return err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    return ANUVAD_OK;
}

/* The per-translator part: pool, run state (one row, one source) and buffers, over a->sh. */
static int start(AnuvadModel *a, int threads, char *err, size_t errlen) {
    size_t P = (size_t)a->sh->m.c.max_positions;
    a->pool = pool_new(threads);
    if (!a->pool && errno != ENOMEM) /* the thread limit, not memory: say which */
        return err_set(err, errlen, ANUVAD_ERR_NOMEM, "cannot create a thread: %s",
                       strerror(errno));
    a->src_ids = malloc(P * sizeof *a->src_ids);
    a->src_pieces = malloc(P * sizeof *a->src_pieces);
    a->prefix = malloc((P + 1) * sizeof *a->prefix);
    a->prefix_pieces = malloc((P + 1) * sizeof *a->prefix_pieces);
    if (!a->pool || !a->src_ids || !a->src_pieces || !a->prefix || !a->prefix_pieces ||
        state_init(&a->s, &a->sh->m, a->pool, 1, 1))
        return err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    return ANUVAD_OK;
}

AnuvadModel *anuvad_load(const char *path, int threads, int *status, char *err, size_t errlen) {
    int rc;
    AnuvadModel *a = new_translator(&threads, &rc, err, errlen);
    if (a) {
        a->sh = a->own = calloc(1, sizeof *a->own);
        rc = a->own ? model_load(&a->own->m, path, err, errlen)
                    : err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    }
    if (!rc) {
        char msg[400];
        rc = load_tokenizer(a->own, ANUVAD_SOURCE, msg, sizeof msg);
        if (!rc) rc = load_tokenizer(a->own, ANUVAD_TARGET, msg, sizeof msg);
        if (!rc) rc = describe(a->own, path, msg, sizeof msg);
        if (!rc) rc = start(a, threads, msg, sizeof msg);
        if (rc) err_set(err, errlen, rc, "%s: %s", path, msg);
    }
    return finish(a, rc, status);
}

AnuvadModel *anuvad_clone(const AnuvadModel *parent, int threads, int *status, char *err,
                          size_t errlen) {
    int rc;
    AnuvadModel *a = new_translator(&threads, &rc, err, errlen);
    if (a) {
        a->sh = parent->sh;
        rc = start(a, threads, err, errlen);
    }
    return finish(a, rc, status);
}

void anuvad_free(AnuvadModel *a) {
    if (!a) return;
    state_free(&a->s);
    pool_free(a->pool);
    free(a->src_ids);
    free(a->src_pieces);
    free(a->prefix);
    free(a->prefix_pieces);
    if (a->own) {
        Shared *sh = a->own;
        spm_free(sh->tok[ANUVAD_SOURCE].spm);
        spm_free(sh->tok[ANUVAD_TARGET].spm);
        model_free(&sh->m);
        free(sh->path);
        free(sh->name);
        free(sh->description);
        free(sh->src_lang);
        free(sh->tgt_lang);
        free(sh);
    }
    free(a);
}

int translator_check(const AnuvadModel *a, const AnuvadOptions *o, char *err, size_t errlen) {
    int beam = o->beam_size ? o->beam_size : 1, n_best = o->n_best ? o->n_best : 1;
    if (o->max_len < 0)
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "max-len must be positive, got %d",
                       o->max_len);
    if (beam < 1 || beam > SEARCH_MAX_BEAM)
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "beam size must be 1 to %d, got %d",
                       SEARCH_MAX_BEAM, beam);
    if (2 * beam > a->sh->m.c.tgt_vocab_size)
        return err_set(err, errlen, ANUVAD_ERR_USAGE,
                       "beam size %d needs a vocabulary of at "
                       "least %d pieces (the model has %d)",
                       beam, 2 * beam, a->sh->m.c.tgt_vocab_size);
    if (!isfinite(o->length_penalty))
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "the length penalty must be a number");
    if (n_best < 1 || n_best > beam)
        return err_set(err, errlen, ANUVAD_ERR_USAGE,
                       "n-best must be 1 to the beam size %d, "
                       "got %d",
                       beam, n_best);
    /* A model that forces </s> at the length limit has one output of one token, so one
     * hypothesis: more cannot be filled (fuzz_beam: the rest came out with scores of -1e9 and
     * -inf). */
    if (n_best > 1 && o->max_len == 1 && a->sh->m.c.forced_eos)
        return err_set(err, errlen, ANUVAD_ERR_USAGE,
                       "n-best %d needs max-len 2 or more: this model forces </s> at the length "
                       "limit, so one token is one hypothesis",
                       n_best);
    if (o->workers < 0 || o->workers > MAX_THREADS)
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "workers must be 0 to %d, got %d",
                       MAX_THREADS, o->workers);
    if (o->batch_size < 0 || o->batch_size > 256)
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "batch size must be 0 to 256, got %d",
                       o->batch_size);
    if (o->top_k < 0 || o->top_k > 64)
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "top-k must be 0 (default 5) to 64, got %d",
                       o->top_k);
    if (o->n_forced < 0 || (o->n_forced > 0 && !o->forced))
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "bad forced token list");
    for (int i = 0; i < o->n_forced; i++)
        if (o->forced[i] < 0 || o->forced[i] >= a->sh->m.c.tgt_vocab_size)
            return err_set(err, errlen, ANUVAD_ERR_USAGE, "forced token %d is not a vocabulary id",
                           o->forced[i]);
    return ANUVAD_OK;
}

/* Source pieces → ids (by string through the vocabulary, unknown → unk), truncated to leave
 * room for </s>. Returns the source length including </s>; *dropped gets the pieces cut. */
static int map_source(AnuvadModel *a, const SpmPieces *p, int *dropped) {
    const Config *c = &a->sh->m.c;
    int n = p->n < c->max_positions - 1 ? p->n : c->max_positions - 1;
    *dropped = p->n - n;
    for (int i = 0; i < n; i++) {
        int id = vocab_id(&a->sh->m.vocab, p->pieces[i], strlen(p->pieces[i]));
        a->src_ids[i] = id < 0 ? c->src_unk : id;
        a->src_pieces[i] = p->pieces[i];
    }
    a->src_ids[n] = c->src_eos;
    a->src_pieces[n] = a->sh->m.vocab.piece[c->src_eos];
    return n + 1;
}

/* Generated ids → target text (anuvad_detokenize: without </s> and pad, nor <unk> for Marian
 * models). */
static int detokenize(AnuvadModel *a, const int *ids, int n, char **out, AnuvadResult *r) {
    char msg[300];
    if (anuvad_detokenize(&a->sh->tok[ANUVAD_TARGET], ids, n, out, msg, sizeof msg))
        return result_fail(r, ANUVAD_ERR_INPUT, "cannot decode the output: %s", msg);
    return ANUVAD_OK;
}

/* Greedy decoding whose log-probabilities nobody reads (anuvad.h, no_confidence): the search
 * leaves out the log-softmax, as greedy batches do. */
static int no_log_probs(const AnuvadOptions *o) {
    return o->beam_size <= 1 && o->no_confidence && !o->return_scores && !o->on_step &&
           !o->n_forced;
}

/* n hypotheses' arrays, sized for max_len tokens (trimmed by nothing: a result is short-lived). */
static int alloc_hypotheses(AnuvadResult *r, const AnuvadOptions *o, int n, int max_len,
                            int src_len) {
    AnuvadHypothesis *h = r->hypotheses = calloc((size_t)n, sizeof *h);
    int log_probs = !no_log_probs(o);
    if (!h) return ANUVAD_ERR_NOMEM;
    r->n_hypotheses = n;
    for (int i = 0; i < n; i++) {
        h[i].tokens = malloc((size_t)max_len * sizeof *h[i].tokens);
        if (log_probs) h[i].log_probs = malloc((size_t)max_len * sizeof *h[i].log_probs);
        if (o->return_attention)
            h[i].attention = malloc((size_t)max_len * (size_t)src_len * sizeof *h[i].attention);
        if (!h[i].tokens || (log_probs && !h[i].log_probs) ||
            (o->return_attention && !h[i].attention))
            return ANUVAD_ERR_NOMEM;
    }
    return ANUVAD_OK;
}

/* Room for `rows` decoder rows (beam hypotheses); the old state stays if a new one cannot be
 * had. */
static int ensure_rows(AnuvadModel *a, int rows) {
    if (a->s.max_rows >= rows) return 0;
    RunState s;
    if (state_init(&s, &a->sh->m, a->pool, rows, 1)) return -1;
    state_free(&a->s);
    a->s = s;
    return 0;
}

int translator_search_failed(AnuvadResult *r, int rc, int at) {
    if (rc == ANUVAD_ERR_STOPPED) return result_fail(r, rc, "stopped by the step callback");
    if (rc == ANUVAD_ERR_NOMEM) return result_fail(r, rc, "out of memory");
    return result_fail(r, rc,
                       "the model computed a NaN or infinite score at output token %d: "
                       "its weights are broken",
                       at);
}

static int greedy(AnuvadModel *a, Search *q, AnuvadResult *r) {
    AnuvadHypothesis *h = &r->hypotheses[0];
    q->log_probs = h->log_probs, q->attention = h->attention;
    int rc = search_greedy(&a->s, q);
    if (rc) return translator_search_failed(r, rc, q->n_out + 1);
    h->n_tokens = q->n_out;
    memcpy(h->tokens, a->prefix + 1, (size_t)q->n_out * sizeof *h->tokens);
    for (int i = 0; h->log_probs && i < q->n_out; i++) h->log_prob += h->log_probs[i];
    h->score = h->log_prob;
    return ANUVAD_OK;
}

/* Beam search into the n_best hypotheses; with a step callback, the best one is replayed
 * through the greedy loop (its tokens forced) so the callback sees its steps, its attention
 * and the live beams of each step. */
static int beam(AnuvadModel *a, const AnuvadOptions *o, Search *q, AnuvadResult *r) {
    BeamParams p = {o->beam_size, o->n_best ? o->n_best : 1, o->length_penalty, o->early_stopping};
    BeamHyp out[SEARCH_MAX_BEAM];
    for (int i = 0; i < p.n_best; i++) {
        AnuvadHypothesis *h = &r->hypotheses[i];
        out[i] = (BeamHyp){0, h->tokens, h->log_probs, h->attention, 0};
    }
    BeamStep *steps = o->on_step ? malloc((size_t)q->max_len * sizeof *steps) : NULL;
    if (o->on_step && !steps) return result_fail(r, ANUVAD_ERR_NOMEM, "out of memory");
    int got = 0, rc = search_beam(&a->s, q, &p, out, &got, steps);
    if (!rc && steps) {
        Search replay = *q;
        replay.forced = out[0].tokens, replay.n_forced = out[0].n, replay.beams = steps;
        replay.n_user_forced = q->n_forced;
        replay.log_probs = NULL, replay.attention = NULL;
        rc = search_greedy(&a->s, &replay);
    }
    free(steps);
    if (rc) return translator_search_failed(r, rc, 0);
    translator_beam_fill(r, out, got, p.n_best);
    return ANUVAD_OK;
}

void translator_beam_fill(AnuvadResult *r, const BeamHyp *out, int got, int n_best) {
    for (int i = got; i < n_best; i++) { /* forced tokens ended the sentence: one result */
        AnuvadHypothesis *h = &r->hypotheses[i];
        free(h->tokens), free(h->log_probs), free(h->attention);
    }
    r->n_hypotheses = got;
    for (int i = 0; i < got; i++) {
        AnuvadHypothesis *h = &r->hypotheses[i];
        h->n_tokens = out[i].n;
        h->score = out[i].score;
        for (int k = 0; k < out[i].n; k++) h->log_prob += h->log_probs[k];
    }
}

void translator_warn_limits(AnuvadResult *r, int dropped, int positions, int n_out, int cut) {
    /* Stopped by max_len, not by </s>: the output may be cut mid-sentence. Both warnings can
     * happen; they are said on one line. */
    char trunc[120] = "", stop[120] = "";
    if (dropped)
        snprintf(trunc, sizeof trunc,
                 "source truncated: %d pieces dropped (the model takes %d "
                 "positions)",
                 dropped, positions);
    if (cut)
        snprintf(stop, sizeof stop,
                 "output cut at the length limit (%d token%s) before the "
                 "model ended the sentence",
                 n_out, n_out == 1 ? "" : "s");
    if (dropped || cut) result_warn(r, "%s%s%s", trunc, dropped && cut ? "; " : "", stop);
}

/* What a successful result holds: n_best hypotheses with a beam, else one. */
static int hypotheses_wanted(const AnuvadOptions *o) {
    return o->beam_size > 1 && o->n_best > 1 ? o->n_best : 1;
}

int translator_empty_result(const AnuvadOptions *o, AnuvadResult *r) {
    int k = hypotheses_wanted(o), ok = 1;
    r->hypotheses = calloc((size_t)k, sizeof *r->hypotheses);
    if (r->hypotheses) r->n_hypotheses = k;
    for (int i = 0; r->hypotheses && i < k; i++)
        ok &= (r->hypotheses[i].text = calloc(1, 1)) != NULL;
    return r->hypotheses && ok ? r->status : result_fail(r, ANUVAD_ERR_NOMEM, "out of memory");
}

/* Encode the source, search, fill the hypotheses. */
static int decode(AnuvadModel *a, const SpmPieces *p, const AnuvadOptions *o, AnuvadResult *r) {
    int dropped, n = map_source(a, p, &dropped);
    int P = a->sh->m.c.max_positions, N = o->beam_size > 1 ? o->beam_size : 1;
    int n_best = hypotheses_wanted(o);
    int max_len = o->max_len ? o->max_len : 2 * n + 10; /* as scripts/model.py */
    if (max_len > P) max_len = P;
    r->src_len = n;
    if (alloc_hypotheses(r, o, n_best, max_len, n) || ensure_rows(a, N))
        return result_fail(r, ANUVAD_ERR_NOMEM, "out of memory");
    Search q = {.src = 0,
                .max_len = max_len,
                .top_k = o->top_k ? o->top_k : 5,
                .forced = o->forced,
                .n_forced = o->n_forced,
                .on_step = o->on_step,
                .user = o->step_user,
                .src_pieces = a->src_pieces,
                .prefix = a->prefix,
                .prefix_pieces = a->prefix_pieces};
    encoder_forward(&a->s, 0, a->src_ids, n);
    decoder_prepare(&a->s, 0);
    int rc = N > 1 ? beam(a, o, &q, r) : greedy(a, &q, r);
    for (int i = 0; !rc && i < r->n_hypotheses; i++)
        rc = detokenize(a, r->hypotheses[i].tokens, r->hypotheses[i].n_tokens,
                        &r->hypotheses[i].text, r);
    if (rc) return rc;
    const AnuvadHypothesis *best = &r->hypotheses[0];
    translator_warn_limits(r, dropped, P, best->n_tokens,
                           best->n_tokens > 0 &&
                               best->tokens[best->n_tokens - 1] != a->sh->m.c.eos);
    return r->status;
}

int translator_run(AnuvadModel *a, const char *src, size_t len, SourceKind kind, const char *note,
                   const AnuvadOptions *o, AnuvadResult *r) {
    AnuvadOptions def;
    if (!o) anuvad_options_default(&def), o = &def;
    memset(r, 0, sizeof *r);
    char msg[300];
    int rc = translator_check(a, o, msg, sizeof msg);
    if (rc) return result_fail(r, rc, "%s", msg);
    if (note && *note) result_warn(r, "%s", note);
    SourceIn s;
    rc = source_read(a, src, len, kind, &s, r);
    if (!rc && s.p.n == 0) {
        rc = translator_empty_result(o, r);
    } else if (!rc) {
        rc = decode(a, &s.p, o, r);
        if (!rc && o->n_forced == 0 && !o->no_confidence) {
            confidence_check(&a->sh->m, source_text(&s), r); /* the model's own pick */
            rc = r->status;                                  /* its warning can run out of memory */
        }
    }
    source_free(&s); /* src_pieces pointed into it; not used after the search */
    if (rc) {        /* a failed sentence has no hypotheses, only its message and warnings */
        AnuvadResult keep = *r;
        keep.n_hypotheses = 0, keep.hypotheses = NULL, keep.src_len = 0;
        r->n_warnings = 0, r->warnings = NULL;
        anuvad_result_free(r);
        *r = keep;
    }
    return rc;
}

int anuvad_translate(AnuvadModel *a, const char *text, const AnuvadOptions *o, AnuvadResult *r) {
    return translator_run(a, text, strlen(text), SOURCE_TEXT, NULL, o, r);
}
