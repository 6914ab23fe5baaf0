/* anuvad — a small encoder-decoder translation engine that shows its work.
 *
 * The public API (docs/api.md has a complete program). The library never prints and never
 * exits: every function that can fail returns a status (ANUVAD_OK = 0, or a negative
 * ANUVAD_ERR_*) with a one-line message, in the caller's `err` buffer or in the result.
 *
 *     AnuvadModel *m = anuvad_load("models/en-hi.gguf", NULL, NULL, err, sizeof err);
 *     AnuvadResult r;
 *     if (m && anuvad_translate(m, "we are friends", NULL, &r) == ANUVAD_OK)
 *         puts(r.hypotheses[0].text);      // हम दोस्त हैं
 *     anuvad_result_free(&r);
 *     anuvad_free(m);
 */
#ifndef ANUVAD_H
#define ANUVAD_H

#include <stddef.h>

#define ANUVAD_VERSION "0.1.0"

/* Status codes. Usage errors map to CLI exit 1, the rest to exit 2. */
enum {
    ANUVAD_OK = 0,
    ANUVAD_ERR_IO = -1,     /* cannot open/read/map a file */
    ANUVAD_ERR_FORMAT = -2, /* malformed or inconsistent model file */
    ANUVAD_ERR_INPUT = -3,  /* input text the model cannot handle */
    ANUVAD_ERR_NOMEM = -4,
    ANUVAD_ERR_USAGE = -5,  /* bad option value */
    ANUVAD_ERR_STOPPED = -6 /* a callback asked to stop */
};

/* Opaque: a translator. Weights (mmapped) and tokenizers, which clones share read-only, plus
 * its own thread pool and buffers. */
typedef struct AnuvadModel AnuvadModel;

/* ---- loading ---- */

/* What threads = 0 means: the number of online cores, at least 1, at most 256. */
int anuvad_default_threads(void);

/* Load a model file with a pool of `threads` threads for the matrix products (0: the number of
 * cores). Returns NULL and fills err on failure; *status (if not NULL) gets the code. */
AnuvadModel *anuvad_load(const char *path, int threads, int *status, char *err, size_t errlen);
/* Free a model or a clone. A model must outlive its clones: free the clones first. */
void anuvad_free(AnuvadModel *m);

/* A second translator over the same weights and tokenizers (nothing is copied or mapped
 * again) with its own buffers and a pool of `threads` threads (0 = number of cores). It and
 * its parent (and other clones) may translate at the same time from different threads: each
 * translator is used by one thread at a time. Gives the same translations as the parent.
 * Returns NULL and fills err on failure; *status (if not NULL) gets the code. */
AnuvadModel *anuvad_clone(const AnuvadModel *m, int threads, int *status, char *err, size_t errlen);

/* ---- what a model is ---- */

typedef struct {
    const char *path;    /* as given to anuvad_load */
    long long file_size; /* bytes */
    const char *name, *description, *source_language, *target_language; /* "" if absent */
    const char *activation; /* "relu", "gelu" or "swish" */
    const char *norm;       /* "post" (Marian) or "pre" */
    const char *positions;  /* "sinusoidal" or "learned" */
    int scale_embedding, tie_output, logits_bias;
    int d_model, heads, ffn_dim, encoder_layers, decoder_layers, max_positions, vocab_size;
    int pad, eos, unk, decoder_start; /* token ids (target vocabulary) */
    size_t source_tokenizer_bytes, target_tokenizer_bytes;
    unsigned long long parameters;
    int n_tensors, f32_tensors, f16_tensors, q8_0_tensors;
    /* Confidence warnings (scripts/confidence.py): source words the model saw in training
     * (0: the file has no list, and unknown words are not checked), and the mean token
     * log-probability below which a translation is flagged (has_min_mean_log_prob 0: none). */
    int known_words;
    int has_min_mean_log_prob;
    float min_mean_log_prob;
    /* Converted Hugging Face / Marian models (docs/format.md, optional keys): vocab_size is the
     * source vocabulary and target_vocab_size the target one (equal, and one list, unless
     * separate_vocabularies); the source side's </s> and <unk> ids; whether one embedding
     * matrix serves both stacks; MarianTokenizer's text rules; </s> forced at the length limit. */
    int target_vocab_size, separate_vocabularies, source_eos, source_unk;
    int shared_embeddings, marian_text, forced_eos;
} AnuvadInfo;

void anuvad_info(const AnuvadModel *m, AnuvadInfo *info);

typedef struct {
    const char *name;
    int n_dims;
    unsigned long long dims[4]; /* PyTorch order: dims[0] is the outermost */
    const char *type;           /* "F32", "F16", "Q8_0" */
} AnuvadTensor;

/* Tensor i (0 ≤ i < info.n_tensors) in file order. */
void anuvad_tensor(const AnuvadModel *m, int i, AnuvadTensor *t);
/* The target vocabulary piece of id (0 ≤ id < target_vocab_size; the pieces of the generated
 * tokens), or NULL. */
const char *anuvad_piece(const AnuvadModel *m, int id);
/* The source vocabulary piece of id (0 ≤ id < vocab_size), or NULL. */
const char *anuvad_source_piece(const AnuvadModel *m, int id);

/* ---- tokenizers ---- */

typedef enum { ANUVAD_SOURCE = 0, ANUVAD_TARGET = 1 } AnuvadSide;

/* A SentencePiece tokenizer: one of a model's two (ids are the model's vocabulary ids: pieces
 * are looked up by string, an unknown one is the unk id), or a bare .model file (ids are the
 * file's own). */
typedef struct AnuvadTokenizer AnuvadTokenizer;

/* The model's tokenizer of that side; it lives as long as the model. */
const AnuvadTokenizer *anuvad_tokenizer(const AnuvadModel *m, AnuvadSide side);
/* A SentencePiece .model file. NULL and err on failure; *status (if not NULL) gets the code. */
AnuvadTokenizer *anuvad_tokenizer_load(const char *path, int *status, char *err, size_t errlen);
/* Frees one from anuvad_tokenizer_load (a model's own are freed with the model). */
void anuvad_tokenizer_free(AnuvadTokenizer *t);

typedef struct {
    int n;
    char **pieces; /* [n] NUL-terminated, as SentencePiece's EncodeAsPieces */
    int *ids;      /* [n] */
} AnuvadTokens;

/* `len` bytes of text (NULs and invalid UTF-8 allowed). Free *out with anuvad_tokens_free. */
int anuvad_tokenize(const AnuvadTokenizer *t, const char *text, size_t len, AnuvadTokens *out,
                    char *err, size_t errlen);
void anuvad_tokens_free(AnuvadTokens *tokens);
/* Model ids back to text (a model's tokenizer only; </s> and pad are skipped). *out is
 * malloc'd. */
int anuvad_detokenize(const AnuvadTokenizer *t, const int *ids, int n, char **out, char *err,
                      size_t errlen);

/* ---- translating ---- */

typedef struct {
    int id;            /* model vocabulary id */
    const char *piece; /* its vocabulary string */
    float prob;        /* softmax probability (pad excluded) */
} AnuvadCandidate;

/* A live beam hypothesis after a step (beam search): the token it ended with, the index of
 * the hypothesis of the step before that it extends, and its sum of log-probabilities. */
typedef struct {
    int token;
    const char *piece;
    int parent;
    float score;
} AnuvadBeam;

/* One generated token, as a step callback sees it. Pointers are valid only during the
 * callback: keep a copy of what you need. Attention weights are after the softmax, per layer
 * and head; the head mean is left to the callback. */
typedef struct {
    int step;  /* 0 for the first generated token */
    int token; /* the id chosen at this step (forced or picked) */
    const char *piece;
    float prob; /* model probability of `token` */
    int forced; /* 1 if the token came from AnuvadOptions.forced */
    int n_top;
    const AnuvadCandidate *top; /* n_top candidates, most probable first */

    int src_len;                      /* source positions, including the final </s> */
    const char *const *src_pieces;    /* [src_len] source pieces as tokenized ("</s>" last) */
    int prefix_len;                   /* decoder positions this step attends: step + 1 */
    const int *prefix;                /* [prefix_len] decoder input ids: decoder_start, then
                                     the tokens generated before this step */
    const char *const *prefix_pieces; /* [prefix_len] their vocabulary strings */

    int n_layers, n_heads;
    const float *cross; /* [n_layers][n_heads][src_len]: cross-attention of this step */
    const float *self;  /* [n_layers][n_heads][prefix_len]: masked self-attention */

    /* Beam search (beam_size > 1): the steps are those of the best hypothesis, replayed after
     * the search, and n_beams live hypotheses after this step, best first (else 0, NULL). */
    int n_beams;
    const AnuvadBeam *beams;
    /* A second reading of the cross-attention (Kobayashi et al. 2020, "Attention is not only
     * a weight"): what source position j adds to the attention output is α_j·(v_j W_o), whose
     * norm, unlike α_j alone, also counts how large the transformed value vector is. */
    const float *cross_norm;       /* [n_layers][n_heads][src_len]: α·‖v W_o‖ per head */
    const float *cross_norm_layer; /* [n_layers][src_len]: ‖Σ_heads α·v W_o‖ (heads together) */
} AnuvadStep;

/* Called once per generated token (including the final </s>). Return 0 to go on, non-zero
 * to stop decoding (the sentence then fails with ANUVAD_ERR_STOPPED). */
typedef int (*AnuvadStepFn)(const AnuvadStep *ev, void *user);

typedef struct {
    int max_len;          /* most target tokens generated; 0 = 2 x source + 10, always capped
                             by the model's positions */
    int beam_size;        /* hypotheses kept per step: 1 = greedy (0 means 1), at most 16; beam
                             search as transformers' generate(num_beams=beam_size,
                             do_sample=False, length_penalty, early_stopping) */
    int n_best;           /* hypotheses returned per sentence, 1..beam_size (0 means 1) */
    int return_scores;    /* 1: scores and log-probs are read. Greedy batches (batch_size) do not
                             compute them (0 in the result), so they are then off; every other
                             way of decoding returns them (greedy with no_confidence only when
                             asked) */
    int return_attention; /* 1: per-token cross-attention over the source */
    int workers;          /* anuvad_translate_batch/_stream: sentences translated at once, each
                             on its own thread with its own translator (the model and clones of
                             it, 1 thread each); 0 or 1: one after another on the calling
                             thread, with the model's own pool */
    int batch_size;       /* anuvad_translate_batch/_stream: up to this many sentences decoded
                             together, as rows of one decoder (one pass over each weight matrix
                             per step for all of them; with the model's T threads, T lanes of
                             about batch_size / T rows side by side; workers is then ignored);
                             input is read in chunks of 32 batches, sorted by
                             length, and written when the chunk is done. Same translations as
                             one at a time. 0 or 1: off. Off as well with on_step, forced
                             tokens or attention, and for greedy decoding with return_scores:
                             sentences then go one at a time, or to `workers`, with the same
                             results (anuvad_options_use_rows says which). At most 256 rows
                             (beam search: a row per hypothesis). */
    AnuvadStepFn on_step; /* called for every generated token (NULL: none); with workers > 1,
                             from several threads at once */
    void *step_user;
    int top_k;         /* candidates reported per step (0: 5, at most 64) */
    const int *forced; /* if n_forced > 0: the first n_forced generated tokens are these ids
                             instead of the model's pick (step view: "what if?", replay). Beam
                             search starts from this prefix as its one live hypothesis (every
                             hypothesis begins with it; a prefix that ends in </s> or reaches
                             max_len is the one result, n_hypotheses 1) */
    int n_forced;
    float length_penalty; /* beam search: a finished hypothesis of n tokens (its </s> counted)
                             is ranked by its log-probability / n^length_penalty (default 1.0,
                             transformers' default; 0: the plain sum) */
    int early_stopping;   /* beam search: 1: stop as soon as beam_size hypotheses are finished;
                             0 (default): go on while a live one could still beat them */
    int no_confidence;    /* 1: no confidence warnings (unknown words, low mean log-probability;
                             for callers that drop warnings, as the CLI's -q). Greedy decoding
                             without return_scores, on_step or forced tokens then computes no
                             log-probabilities at all, one sentence at a time as in batches:
                             score and log_prob 0, log_probs NULL (the log-softmax over the
                             vocabulary at every step is left out). Same translations */
} AnuvadOptions;

void anuvad_options_default(AnuvadOptions *o);

/* 1 when anuvad_translate_batch/_stream decode o's sentences together as rows (batch_size > 1
 * and none of what turns rows off, above); 0 when they go one at a time or to workers. For a
 * caller that sizes threads or buffers before it translates, as the CLI does. */
int anuvad_options_use_rows(const AnuvadOptions *o);

typedef struct {
    char *text; /* the translation */
    int n_tokens;
    int *tokens;      /* [n_tokens] generated ids, the final </s> included when generated */
    float score;      /* what the search ranks by: greedy, log_prob; beam search,
                             log_prob / n_tokens^length_penalty (transformers' sequences_scores;
                             with forced_eos, a </s> forced at the length limit counts 0 in it,
                             as there) */
    float *log_probs; /* [n_tokens] log-probability of each token under the model's softmax
                             over the whole vocabulary */
    float *attention; /* return_attention: [n_tokens][src_len] cross-attention, mean of the
                             decoder layers and heads (what --align reads), else NULL */
    float log_prob;   /* the sum of log_probs */
} AnuvadHypothesis;

typedef struct {
    int status;      /* ANUVAD_OK, or why this sentence failed */
    char error[256]; /* a one-line message when status != ANUVAD_OK, else "" */
    int n_warnings;
    char **warnings;              /* one-line warnings (text after a NUL byte; the source truncated
                             and/or the output cut at max_len before </s>, on one line) */
    int src_len;                  /* source positions (pieces + </s>; 0 for an empty line) */
    int n_hypotheses;             /* n_best on success (1 when forced tokens ended the
                                     sentence), 0 on failure */
    AnuvadHypothesis *hypotheses; /* best first */
} AnuvadResult;

/* Frees everything a result holds (safe on a zeroed or already freed result). */
void anuvad_result_free(AnuvadResult *r);

/* Translate one line of text on the calling thread. `o` may be NULL (defaults). Returns
 * r->status; an empty line (no pieces) gives an empty translation. Not reentrant: one
 * translation at a time per translator; translate on different threads with clones. */
int anuvad_translate(AnuvadModel *m, const char *text, const AnuvadOptions *o, AnuvadResult *r);

/* Translate n texts into results[n] (o->workers at once). ANUVAD_OK when every sentence was
 * attempted: each result has its own status. An error (bad options) leaves results zeroed. */
int anuvad_translate_batch(AnuvadModel *m, const char *const *texts, int n, const AnuvadOptions *o,
                           AnuvadResult *results, char *err, size_t errlen);

/* ---- translating pieces: token-list input, as CTranslate2's translate_batch takes it ---- */

/* Translate one sentence given as its n source pieces (NUL-terminated strings, such as
 * anuvad_tokenize's or SentencePiece's EncodeAsPieces') instead of text: no tokenizer runs
 * and no text is rebuilt. Each piece is looked up in the source vocabulary by string, as the
 * text path looks up the tokenizer's pieces, so a piece the vocabulary lacks becomes the unk
 * id, and the pieces of a text give the same result as anuvad_translate of that text. The
 * hypotheses' pieces are anuvad_piece(m, tokens[i]). n = 0 gives an empty translation. */
int anuvad_translate_tokens(AnuvadModel *m, const char *const *pieces, int n,
                            const AnuvadOptions *o, AnuvadResult *r);

/* n sentences of pieces (sentence i: lengths[i] pieces at sources[i]) into results[n], as
 * anuvad_translate_batch (o->workers at once, or o->batch_size as rows). */
int anuvad_translate_tokens_batch(AnuvadModel *m, const char *const *const *sources,
                                  const int *lengths, int n, const AnuvadOptions *o,
                                  AnuvadResult *results, char *err, size_t errlen);

/* A stream of sentences of unknown length (a pipe): the calling thread reads, o->workers
 * translate, and each result is written in input order as soon as it and every earlier one
 * are done, so an interactive reader sees each translation at once. */
typedef struct {
    /* The next sentence: *text (len bytes; a NUL byte ends it, with a warning), valid until
     * the next call; the reader may write a one-line warning of its own about it ("" on
     * entry: say, it cut the line) into warning[warning_len], the first of its result's
     * warnings. 1: a sentence, 0: the end of the input. Called on the calling thread. */
    int (*read)(void *user, const char **text, size_t *len, char *warning, size_t warning_len);
    /* Sentence `index` (from 0), in order. r is freed when write returns: to keep it, move it
     * out (copy the struct, then zero *r). Non-zero stops the stream (nothing more is read or
     * written). With workers > 1, called on another thread than read. */
    int (*write)(void *user, long index, AnuvadResult *r);
    /* Optional (NULL: none): a one-line warning about the stream itself (fewer workers could
     * be started than asked), on the calling thread, before the first sentence is read. */
    void (*warn)(void *user, const char *message);
    void *user;
} AnuvadStream;

/* ANUVAD_OK at the end of the input, ANUVAD_ERR_STOPPED when write stopped it, or an error
 * (bad options) before anything was read. With workers > 1, translators or threads that cannot
 * be had reduce the workers (io->warn says so), down to the calling thread alone. */
int anuvad_translate_stream(AnuvadModel *m, const AnuvadOptions *o, const AnuvadStream *io,
                            char *err, size_t errlen);

/* Write the model file `in` to `out` with its matrices as Q8_0 (8-bit blocks of 32 with one
 * half scale: about half the size of F16 and a quarter of F32; docs/format.md). `in` is
 * validated as a model first; `out` is written whole or not at all. ANUVAD_OK, or a code with
 * a one-line message. */
int anuvad_quantize(const char *in, const char *out, char *err, size_t errlen);

#endif
