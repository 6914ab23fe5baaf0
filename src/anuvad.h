/* anuvad — a small encoder-decoder translation engine that shows its work.
 *
 * The public API. The library never prints and never exits: every function that can fail
 * returns a status and writes a one-line message into the caller's `err` buffer.
 *
 *     AnuvadModel *m = anuvad_load("models/en-hi.gguf", NULL, err, sizeof err);
 *     char *out;
 *     if (m && anuvad_translate(m, "we are friends", NULL, NULL, NULL, &out, err, sizeof err) == 0)
 *         puts(out);                       // हम दोस्त हैं
 *     free(out); anuvad_free(m);
 */
#ifndef ANUVAD_H
#define ANUVAD_H

#include <stddef.h>

#define ANUVAD_VERSION "0.1.0"

/* Status codes. Usage errors map to CLI exit 1, the rest to exit 2 (DESIGN.md). */
enum {
    ANUVAD_OK = 0,
    ANUVAD_ERR_IO = -1,       /* cannot open/read/map a file */
    ANUVAD_ERR_FORMAT = -2,   /* malformed or inconsistent model file */
    ANUVAD_ERR_INPUT = -3,    /* input text the model cannot handle */
    ANUVAD_ERR_NOMEM = -4,
    ANUVAD_ERR_USAGE = -5,    /* bad option value */
    ANUVAD_ERR_STOPPED = -6   /* the step callback asked to stop */
};

/* Opaque: a translator. Weights (mmapped) and tokenizers, which clones share read-only, plus
 * its own thread pool and buffers. */
typedef struct AnuvadModel AnuvadModel;

typedef struct {
    int threads;          /* worker threads for the matrix products; 0 = number of cores */
    int max_len;          /* most target tokens generated; 0 = default from the source length,
                             always capped by the model's positions */
    int top_k;            /* candidates reported per step (0 or default: 5, at most 64) */
    const int *forced;    /* if n_forced > 0: the first n_forced generated tokens are these ids
                             instead of the model's pick (step view: "what if?", replay) */
    int n_forced;
} AnuvadOptions;

void anuvad_options_default(AnuvadOptions *o);

/* What threads = 0 means: the number of online cores, at least 1, at most 256. */
int anuvad_default_threads(void);

/* Load a model file. `o` may be NULL (defaults); only o->threads is used here.
 * Returns NULL and fills err on failure; *status (if not NULL) gets the code. */
AnuvadModel *anuvad_load(const char *path, const AnuvadOptions *o, int *status,
                         char *err, size_t errlen);
/* Free a model or a clone. A model must outlive its clones: free the clones first. */
void anuvad_free(AnuvadModel *m);

/* A second translator over the same weights and tokenizers (nothing is copied or mapped
 * again) with its own buffers and a pool of `threads` threads (0 = number of cores). It and
 * its parent (and other clones) may translate at the same time from different threads: each
 * translator is used by one thread at a time. Gives the same translations as the parent.
 * Returns NULL and fills err on failure; *status (if not NULL) gets the code. */
AnuvadModel *anuvad_clone(const AnuvadModel *m, int threads, int *status, char *err,
                          size_t errlen);

typedef struct {
    int id;               /* model vocabulary id */
    const char *piece;    /* its vocabulary string */
    float prob;           /* softmax probability (pad excluded) */
} AnuvadCandidate;

/* One generated token, as an observer sees it. Pointers are valid only during the callback:
 * an observer that keeps anything copies it. Attention weights are after the softmax, per
 * layer and head; the head mean is left to the observer. */
typedef struct {
    int step;                 /* 0 for the first generated token */
    int token;                /* the id chosen at this step (forced or picked) */
    const char *piece;
    float prob;               /* model probability of `token` */
    int forced;               /* 1 if the token came from AnuvadOptions.forced */
    int n_top;
    const AnuvadCandidate *top;   /* n_top candidates, most probable first */

    int src_len;                  /* source positions, including the final </s> */
    const char *const *src_pieces;/* [src_len] source pieces as tokenized ("</s>" last) */
    int prefix_len;               /* decoder positions this step attends: step + 1 */
    const int *prefix;            /* [prefix_len] decoder input ids: decoder_start, then
                                     the tokens generated before this step */
    const char *const *prefix_pieces; /* [prefix_len] their vocabulary strings */

    int n_layers, n_heads;
    const float *cross;       /* [n_layers][n_heads][src_len]: cross-attention of this step */
    const float *self;        /* [n_layers][n_heads][prefix_len]: masked self-attention */
} AnuvadStep;

/* Called once per generated token (including the final </s>). Return 0 to go on, non-zero
 * to stop decoding (anuvad_translate then returns ANUVAD_ERR_STOPPED). */
typedef int (*AnuvadStepFn)(const AnuvadStep *ev, void *user);

/* Translate one line of text. `o` may be NULL. `on_step` may be NULL. On success *out is a
 * malloc'd NUL-terminated string (possibly empty) that the caller frees, and err is empty or
 * holds a one-line warning (the source was longer than the model's positions and was
 * truncated). Not reentrant: one translation at a time per model; translate on different
 * threads with clones (anuvad_clone). */
int anuvad_translate(AnuvadModel *m, const char *text, const AnuvadOptions *o,
                     AnuvadStepFn on_step, void *user, char **out, char *err, size_t errlen);

/* Write the model file `in` to `out` with its matrices as Q8_0 (8-bit blocks of 32 with one
 * half scale: about half the size of F16 and a quarter of F32; docs/format.md). `in` is
 * validated as a model first; `out` is written whole or not at all. ANUVAD_OK, or a code with
 * a one-line message. */
int anuvad_quantize(const char *in, const char *out, char *err, size_t errlen);

#endif
