/* The public API (anuvad.h): load = map + bind the model, start the thread pool, parse the
 * two tokenizers, allocate every buffer once; clone = a second translator over the same
 * weights and tokenizers with its own pool and buffers; translate = tokenize, encode, greedy
 * search, detokenize. */
#include "anuvad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "forward.h"
#include "marian_text.h"
#include "model.h"
#include "pool.h"
#include "spm.h"

#define MAX_THREADS 256

/* What translators share: written once by anuvad_load, then only read (model.c, spm*.c and
 * the forward passes take them const), so clones may use them from other threads. */
typedef struct {
    Model m;
    SpmModel *src_spm, *tgt_spm;
} Shared;

/* One translator: the shared parts, plus the per-translation state only it writes. */
struct AnuvadModel {
    const Shared *sh;
    Shared *own;                  /* the loaded model owns sh; NULL in a clone */
    Pool *pool;
    RunState s;
    int *src_ids;                 /* [P] */
    const char **src_pieces;      /* [P] */
    int *prefix;                  /* [P + 1] */
    const char **prefix_pieces;   /* [P + 1] */
};

void anuvad_options_default(AnuvadOptions *o) {
    memset(o, 0, sizeof *o);
    o->top_k = 5;
}

int anuvad_default_threads(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static int check_threads(int threads, char *err, size_t errlen) {
    if (threads < 1 || threads > MAX_THREADS)
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "threads must be 1 to %d, got %d",
                       MAX_THREADS, threads);
    return ANUVAD_OK;
}

static int load_tokenizers(Shared *sh, char *err, size_t errlen) {
    char msg[300];
    sh->src_spm = spm_load(sh->m.src_spm, sh->m.src_spm_size, msg, sizeof msg);
    if (!sh->src_spm)
        return err_set(err, errlen, ANUVAD_ERR_FORMAT, "tokenizer.source.spm: %s", msg);
    sh->tgt_spm = spm_load(sh->m.tgt_spm, sh->m.tgt_spm_size, msg, sizeof msg);
    if (!sh->tgt_spm)
        return err_set(err, errlen, ANUVAD_ERR_FORMAT, "tokenizer.target.spm: %s", msg);
    return ANUVAD_OK;
}

/* The per-translator part: pool, run state and buffers, over a->sh. */
static int start(AnuvadModel *a, int threads, char *err, size_t errlen) {
    size_t P = (size_t)a->sh->m.c.max_positions;
    a->pool = pool_new(threads);
    a->src_ids = malloc(P * sizeof *a->src_ids);
    a->src_pieces = malloc(P * sizeof *a->src_pieces);
    a->prefix = malloc((P + 1) * sizeof *a->prefix);
    a->prefix_pieces = malloc((P + 1) * sizeof *a->prefix_pieces);
    if (!a->pool || !a->src_ids || !a->src_pieces || !a->prefix || !a->prefix_pieces ||
        state_init(&a->s, &a->sh->m, a->pool))
        return err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    return ANUVAD_OK;
}

AnuvadModel *anuvad_load(const char *path, const AnuvadOptions *o, int *status, char *err,
                         size_t errlen) {
    int threads = o && o->threads ? o->threads : anuvad_default_threads();
    int rc = check_threads(threads, err, errlen);
    AnuvadModel *a = NULL;
    if (!rc) {
        a = calloc(1, sizeof *a);
        if (a) a->sh = a->own = calloc(1, sizeof *a->own);
        rc = a && a->own ? model_load(&a->own->m, path, err, errlen)
                         : err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    }
    if (!rc) {
        char msg[400];
        rc = load_tokenizers(a->own, msg, sizeof msg);
        if (!rc) rc = start(a, threads, msg, sizeof msg);
        if (rc) err_set(err, errlen, rc, "%s: %s", path, msg);
    }
    if (status) *status = rc;
    if (rc) {
        anuvad_free(a);
        return NULL;
    }
    return a;
}

AnuvadModel *anuvad_clone(const AnuvadModel *parent, int threads, int *status, char *err,
                          size_t errlen) {
    if (!threads) threads = anuvad_default_threads();
    int rc = check_threads(threads, err, errlen);
    AnuvadModel *a = NULL;
    if (!rc) {
        a = calloc(1, sizeof *a);
        rc = a ? ANUVAD_OK : err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    }
    if (!rc) {
        a->sh = parent->sh;
        rc = start(a, threads, err, errlen);
    }
    if (status) *status = rc;
    if (rc) {
        anuvad_free(a);
        return NULL;
    }
    return a;
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
        spm_free(a->own->src_spm);
        spm_free(a->own->tgt_spm);
        model_free(&a->own->m);
        free(a->own);
    }
    free(a);
}

static int check_options(const AnuvadModel *a, const AnuvadOptions *o, char *err,
                         size_t errlen) {
    if (o->max_len < 0)
        return err_set(err, errlen, ANUVAD_ERR_USAGE, "max-len must be positive, got %d",
                       o->max_len);
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
        int id = model_piece_id(&a->sh->m, p->pieces[i], strlen(p->pieces[i]));
        a->src_ids[i] = id < 0 ? c->src_unk : id;
        a->src_pieces[i] = p->pieces[i];
    }
    a->src_ids[n] = c->src_eos;
    a->src_pieces[n] = a->sh->m.vocab[c->src_eos];
    return n + 1;
}

/* Generated ids → vocabulary pieces (without </s> and pad; nor <unk> for Marian models, as
 * MarianTokenizer.decode skips it) → target SentencePiece decode. */
static int detokenize(AnuvadModel *a, int n_out, char **out, char *err, size_t errlen) {
    const Config *c = &a->sh->m.c;
    int n = 0;
    for (int i = 1; i <= n_out; i++) {
        int id = a->prefix[i];
        if (id != c->eos && id != c->pad && !(c->marian_text && id == c->unk))
            a->src_pieces[n++] = a->sh->m.tgt_vocab[id];
    }
    char msg[300];
    if (spm_decode(a->sh->tgt_spm, a->src_pieces, n, out, msg, sizeof msg))
        return err_set(err, errlen, ANUVAD_ERR_INPUT, "cannot decode the output: %s", msg);
    if (c->marian_text) marian_clean(*out);
    return ANUVAD_OK;
}

int anuvad_translate(AnuvadModel *a, const char *text, const AnuvadOptions *o,
                     AnuvadStepFn on_step, void *user, char **out, char *err, size_t errlen) {
    AnuvadOptions def;
    if (!o) anuvad_options_default(&def), o = &def;
    *out = NULL;
    if (err && errlen) err[0] = 0;
    int rc = check_options(a, o, err, errlen);
    if (rc) return rc;
    SpmPieces p = {0};
    char msg[300];
    if ((a->sh->m.c.marian_text ? marian_encode : spm_encode)(a->sh->src_spm, text, strlen(text),
                                                              &p, msg, sizeof msg))
        return err_set(err, errlen, ANUVAD_ERR_INPUT, "cannot tokenize: %s", msg);
    if (p.n == 0) {   /* nothing to translate: an empty line stays empty */
        spm_pieces_free(&p);
        *out = calloc(1, 1);
        return *out ? ANUVAD_OK : err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    }
    int dropped, n = map_source(a, &p, &dropped);
    int P = a->sh->m.c.max_positions;
    int max_len = o->max_len ? o->max_len : 2 * n + 10;   /* as scripts/model.py */
    Search q = {max_len < P ? max_len : P, o->top_k ? o->top_k : 5, o->forced, o->n_forced, on_step, user,
                a->src_pieces, a->prefix, a->prefix_pieces, 0};
    encoder_forward(&a->s, a->src_ids, n);
    rc = search_greedy(&a->s, &q);
    spm_pieces_free(&p);   /* src_pieces pointed into it; not used after the search */
    if (rc == ANUVAD_ERR_STOPPED) return err_set(err, errlen, rc, "stopped by the step observer");
    if (rc) return err_set(err, errlen, rc, "the model computed a NaN or infinite score at output "
                                            "token %d: its weights are broken", q.n_out + 1);
    /* Stopped by max_len, not by </s>: the output may be cut mid-sentence. */
    int cut = q.n_out > 0 && a->prefix[q.n_out] != a->sh->m.c.eos;
    rc = detokenize(a, q.n_out, out, err, errlen);
    if (rc) return rc;
    /* Success with warnings (anuvad.h): both can happen, so both are said on one line. */
    char trunc[120] = "", stop[120] = "";
    if (dropped)
        snprintf(trunc, sizeof trunc, "source truncated: %d pieces dropped (the model takes %d "
                 "positions)", dropped, P);
    if (cut)
        snprintf(stop, sizeof stop, "output cut at the length limit (%d token%s) before the "
                 "model ended the sentence", q.n_out, q.n_out == 1 ? "" : "s");
    if (dropped || cut)
        err_set(err, errlen, 0, "%s%s%s", trunc, dropped && cut ? "; " : "", stop);
    return rc;
}
