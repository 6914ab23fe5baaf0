/* What the files behind anuvad.h share (not a public interface): the translator and
 * tokenizer structs, and the helpers that fill results. */
#ifndef ANUVAD_TRANSLATOR_H
#define ANUVAD_TRANSLATOR_H

#include "anuvad.h"
#include "engine/model.h"
#include "engine/pool.h"
#include "engine/search.h"
#include "engine/state.h"
#include "spm/spm.h"

struct AnuvadTokenizer {
    SpmModel *spm;
    const Vocab *vocab; /* the model's side (ids by string), or NULL: the .model's ids */
    int unk, eos, pad;
    int marian; /* text as MarianTokenizer (spm/marian_text.h): the model's anuvad.tokenizer.marian */
};

/* What translators share: written once by anuvad_load, then only read (model.c, spm*.c and
 * the forward passes take them const), so clones may use them from other threads. */
typedef struct {
    Model m;
    struct AnuvadTokenizer tok[2]; /* AnuvadSide */
    char *path, *name, *description, *src_lang, *tgt_lang;
    long long file_size;
} Shared;

/* One translator: the shared parts, plus the per-translation state only it writes. */
struct AnuvadModel {
    const Shared *sh;
    Shared *own; /* the loaded model owns sh; NULL in a clone */
    Pool *pool;
    RunState s;
    int *src_ids;               /* [P] */
    const char **src_pieces;    /* [P] */
    int *prefix;                /* [P + 1] */
    const char **prefix_pieces; /* [P + 1] */
};

/* What a sentence's source bytes are: text, or pieces (anuvad_translate_tokens) as one
 * buffer of NUL-terminated strings, one after another. */
typedef enum { SOURCE_TEXT, SOURCE_PIECES } SourceKind;

/* source.c: one sentence's source as pieces (the text tokenized, or the buffer split) and, for
 * the confidence check, its text (pieces: what the source tokenizer decodes them to, made only
 * when the model has a list of known words). */
typedef struct {
    SourceKind kind;
    SpmPieces p;
    char *text;
    int tokenized; /* p came from the tokenizer (freed as such) */
} SourceIn;
/* Text: a NUL byte ends it (with a warning in r). Returns r->status: a failure is in r. Free s
 * with source_free whatever it returns. */
int source_read(const AnuvadModel *m, const char *src, size_t len, SourceKind kind, SourceIn *s,
                AnuvadResult *r);
void source_free(SourceIn *s);
const char *source_text(const SourceIn *s); /* "" when there is none */

/* anuvad_translate over `len` bytes of a source of that kind. `note` (NULL or "": none) is a
 * warning of the caller's, put first. */
int translator_run(AnuvadModel *m, const char *src, size_t len, SourceKind kind, const char *note,
                   const AnuvadOptions *o, AnuvadResult *r);
/* anuvad_translate_stream over sources of that kind (what io->read gives). */
int translator_stream(AnuvadModel *m, const AnuvadOptions *o, const AnuvadStream *io,
                      SourceKind kind, char *err, size_t errlen);
/* The one warning line about a sentence's limits: `dropped` source pieces beyond the model's
 * `positions`, and/or (cut) the output stopped at the length limit after n_out tokens. */
void translator_warn_limits(AnuvadResult *r, int dropped, int positions, int n_out, int cut);
/* An AnuvadStream write that moves result `index` into an array: user points at a struct
 * whose first member is that array (AnuvadResult *). */
int translator_keep_result(void *user, long index, AnuvadResult *r);
/* batch.c's stream with o->batch_size > 1 (batch_rows.c). 1 when it cannot start (out of
 * memory: nothing was read), else as anuvad_translate_stream. */
int translator_run_rows(AnuvadModel *m, const AnuvadOptions *o, const AnuvadStream *io,
                        SourceKind kind);
/* Beam search's got hypotheses (out[i] filled into r->hypotheses[i]'s arrays) into the
 * result: lengths, scores and log-probabilities; of the n_best allocated, those beyond got
 * are freed. */
void translator_beam_fill(AnuvadResult *r, const BeamHyp *out, int got, int n_best);
/* A failed search (rc: stopped, out of memory, or a NaN/inf score at output token `at`) as
 * the result's error; returns rc. */
int translator_search_failed(AnuvadResult *r, int rc, int at);
/* An empty source's result: nothing to translate, so an empty line stays empty, as many times
 * as a result holds hypotheses (n_best with a beam; with one, `anuvad --beam 4 --n-best 3` read
 * past it: fuzz_beam). r->status, or ANUVAD_ERR_NOMEM. */
int translator_empty_result(const AnuvadOptions *o, AnuvadResult *r);
/* Checks the options against the model: ANUVAD_OK, or ANUVAD_ERR_USAGE and err. */
int translator_check(const AnuvadModel *m, const AnuvadOptions *o, char *err, size_t errlen);

/* tokens.c: t's text -> pieces (SentencePiece, or Marian's rules first); as spm_encode. */
int tokenizer_encode(const struct AnuvadTokenizer *t, const char *text, size_t len, SpmPieces *out,
                     char *err, size_t errlen);

/* confidence.c: the warnings of unknown source words and of low confidence, for a model that
 * has the keys (text: the source as translated). */
void confidence_check(const Model *m, const char *text, AnuvadResult *r);

/* result.c: a failure (status and message) or a warning added to r. Out of memory while
 * adding a warning turns the result into an ANUVAD_ERR_NOMEM failure. */
int result_fail(AnuvadResult *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void result_warn(AnuvadResult *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
