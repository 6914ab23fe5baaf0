/* Fuzz target: beam search (src/engine/beam.c) on committed models. The first 7 bytes are
 * the options, the rest is the source text:
 *   0 model: the tiny CLI model (16 positions), a converted Marian model with separate
 *     vocabularies and forced </s> (tests/fixtures/hf/tiny_separate_relu.gguf), the default
 *     model (models/en-hi.gguf) when present
 *   1 beam size 0..17 (17 is refused), 2 n-best 0..beam+1 (beam+1 is refused),
 *   3 length penalty from a table (negative, 0, huge, tiny, NaN and Inf refused),
 *   4 bit 0 early stopping, bit 1 attention, bit 2 step observer, bit 3 stop decoding at a
 *     step, bits 4-7 max_len (0: the default), 5 top-k 0..65 (65 is refused),
 *   6 bit 0: the lines of the text as one anuvad_translate_batch (2 workers), bit 1: the
 *     same sentence again on a clone, whose results must be the same bit for bit.
 * A successful result must be self-consistent (common.h): n-best hypotheses ranked by
 * score = log_prob / n^length_penalty, valid ids, log-probabilities summing up, attention
 * rows summing to 1. */
#include "common.h"

static AnuvadModel *beam_models[FUZZ_GOOD_MODELS], *beam_clones[FUZZ_GOOD_MODELS];
static int n_beam_models;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    char err[256];
    n_beam_models = fuzz_load_good("fuzz_beam", beam_models);
    for (int i = 0; i < n_beam_models; i++)
        if (!(beam_clones[i] = anuvad_clone(beam_models[i], 1, NULL, err, sizeof err))) abort();
    return 0;
}

static const float kPenalties[] = {1.0f,  0.0f,  2.0f,   0.6f,   -1.0f, -7.5f,
                                   30.0f, 1e30f, -1e30f, 1e-30f, NAN,   INFINITY};
#define N_PENALTIES (int)(sizeof kPenalties / sizeof kPenalties[0])

static void same_results(const AnuvadResult *a, const AnuvadResult *b) {
    FUZZ_CHECK(a->status == b->status && a->n_hypotheses == b->n_hypotheses);
    for (int h = 0; h < a->n_hypotheses; h++) {
        const AnuvadHypothesis *x = &a->hypotheses[h], *y = &b->hypotheses[h];
        FUZZ_CHECK(x->n_tokens == y->n_tokens && strcmp(x->text, y->text) == 0);
        FUZZ_CHECK(memcmp(&x->score, &y->score, sizeof x->score) == 0);
        if (x->n_tokens == 0) continue; /* an empty line: no arrays */
        FUZZ_CHECK(memcmp(x->tokens, y->tokens, (size_t)x->n_tokens * sizeof *x->tokens) == 0);
        FUZZ_CHECK(memcmp(x->log_probs, y->log_probs, (size_t)x->n_tokens * sizeof(float)) == 0);
    }
}

/* The lines of text (at most 4) as one batch: each result alone must hold up. */
static void batch(AnuvadModel *m, char *text, AnuvadOptions *o, int n_hyp, int ok) {
    const char *lines[4];
    int n = 0;
    for (char *s = text, *nl; n < 4 && s; s = nl ? nl + 1 : NULL) {
        nl = strchr(s, '\n');
        if (nl) *nl = 0;
        lines[n++] = s;
    }
    AnuvadResult r[4];
    char err[256];
    o->workers = 2;
    o->on_step = NULL; /* the observer's sum is not shared between threads */
    int rc = anuvad_translate_batch(m, lines, n, o, r, err, sizeof err);
    FUZZ_CHECK((rc == ANUVAD_OK) == ok);
    for (int i = 0; rc == ANUVAD_OK && i < n; i++) {
        if (r[i].status == ANUVAD_OK)
            fuzz_check_result(m, &r[i], n_hyp, o->beam_size, o->length_penalty,
                              o->return_attention);
        anuvad_result_free(&r[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 7) return 0;
    int which = data[0] % n_beam_models;
    AnuvadModel *m = beam_models[which];
    AnuvadInfo info;
    anuvad_info(m, &info);
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.beam_size = data[1] % 18;
    int beam = o.beam_size ? o.beam_size : 1;
    o.n_best = data[2] % (beam + 2);
    o.length_penalty = kPenalties[data[3] % N_PENALTIES];
    o.early_stopping = data[4] & 1;
    o.return_attention = data[4] >> 1 & 1;
    FuzzSeen seen = {0, data[4] & 8 ? data[5] % 8 : -1};
    o.on_step = data[4] & 12 ? fuzz_observe : NULL;
    o.step_user = &seen;
    o.max_len = data[4] >> 4;
    o.top_k = data[5] % 66;
    int ok = beam <= 16 && 2 * beam <= info.target_vocab_size && o.n_best <= beam &&
             isfinite(o.length_penalty) && o.top_k <= 64 &&
             !(o.n_best > 1 && o.max_len == 1 && info.forced_eos);
    int n_hyp = o.n_best ? o.n_best : 1;
    char *text = fuzz_text(data + 7, size - 7);
    if (data[6] & 1) {
        batch(m, text, &o, n_hyp, ok);
        free(text);
        return 0;
    }
    AnuvadResult r;
    int rc = anuvad_translate(m, text, &o, &r);
    if (!ok) FUZZ_CHECK(rc == ANUVAD_ERR_USAGE && r.n_hypotheses == 0);
    else if (seen.stop_at >= 0 && rc == ANUVAD_ERR_STOPPED) FUZZ_CHECK(r.n_hypotheses == 0);
    else if (rc == ANUVAD_OK)
        fuzz_check_result(m, &r, n_hyp, beam, o.length_penalty, o.return_attention);
    else FUZZ_CHECK(rc == ANUVAD_OK); /* a good model and good options translate anything */
    if (data[6] & 2) {
        AnuvadResult again;
        seen.stop_at = -1;
        anuvad_translate(beam_clones[which], text, &o, &again);
        if (rc == ANUVAD_OK) same_results(&r, &again);
        anuvad_result_free(&again);
    }
    anuvad_result_free(&r);
    free(text);
    return 0;
}
