/* Fuzz target: forced decoding as `anuvad score` does it (src/cli/score.c), on committed
 * models. Byte 0 picks the model (as fuzz_beam), byte 1 the flags; the rest is
 * "SOURCE<TAB>TARGET". The target is tokenized with the model's target tokenizer, </s>
 * appended, and forced through the decoder (max_len = the forced count, as the CLI does;
 * flag bit 0 also lets through a target longer than the model's positions, which the CLI
 * refuses before asking). Then:
 * - forced ids must come back as the hypothesis, each with a finite log-probability;
 * - bit 1: the source is first translated greedily (max_len 8) and its own tokens forced
 *   again: forcing what the model picks must give the same log-probabilities bit for bit;
 * - bit 2: the target's bytes are forced as raw ids instead (out of range: refused);
 * - bit 3: attention and a step observer; the target ids are detokenized back either way. */
#include "common.h"

static AnuvadModel *score_models[FUZZ_GOOD_MODELS];
static int n_score_models;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    n_score_models = fuzz_load_good("fuzz_score", score_models);
    return 0;
}

/* Greedy translation, then its tokens forced: the same log-probabilities. */
static void forced_matches_free(AnuvadModel *m, const char *src) {
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.max_len = 8;
    AnuvadResult free_r, forced_r;
    if (anuvad_translate(m, src, &o, &free_r) == ANUVAD_OK && free_r.hypotheses[0].n_tokens > 0) {
        const AnuvadHypothesis *h = &free_r.hypotheses[0];
        o.forced = h->tokens, o.n_forced = h->n_tokens, o.max_len = h->n_tokens;
        FUZZ_CHECK(anuvad_translate(m, src, &o, &forced_r) == ANUVAD_OK);
        const AnuvadHypothesis *f = &forced_r.hypotheses[0];
        FUZZ_CHECK(f->n_tokens == h->n_tokens && strcmp(f->text, h->text) == 0);
        FUZZ_CHECK(memcmp(f->tokens, h->tokens, (size_t)h->n_tokens * sizeof(int)) == 0);
        FUZZ_CHECK(memcmp(f->log_probs, h->log_probs, (size_t)h->n_tokens * sizeof(float)) == 0);
        anuvad_result_free(&forced_r);
    }
    anuvad_result_free(&free_r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    AnuvadModel *m = score_models[data[0] % n_score_models];
    int flags = data[1];
    AnuvadInfo info;
    anuvad_info(m, &info);
    char *line = fuzz_text(data + 2, size - 2), err[256];
    char *tab = strchr(line, '\t');
    const char *src = line, *tgt = "";
    if (tab) *tab = 0, tgt = tab + 1;
    if (flags & 2) forced_matches_free(m, src);
    const AnuvadTokenizer *tt = anuvad_tokenizer(m, ANUVAD_TARGET);
    AnuvadTokens t = {0};
    int *forced = NULL, n = 0;
    if (flags & 4) { /* raw ids: little-endian u16s of the target, less 8 */
        size_t len = strlen(tgt);
        forced = malloc((len / 2 + 1) * sizeof *forced);
        for (size_t i = 0; forced && i + 1 < len; i += 2)
            forced[n++] = (int)((uint8_t)tgt[i] | (uint8_t)tgt[i + 1] << 8) - 8;
    } else if (anuvad_tokenize(tt, tgt, strlen(tgt), &t, err, sizeof err) == ANUVAD_OK) {
        forced = malloc(((size_t)t.n + 1) * sizeof *forced);
        if (forced) memcpy(forced, t.ids, (size_t)t.n * sizeof *forced);
        if (forced) forced[t.n] = info.eos;
        n = t.n + 1;
        char *back = NULL;
        if (anuvad_detokenize(tt, t.ids, t.n, &back, err, sizeof err) == ANUVAD_OK) free(back);
    }
    if (forced && n > 0 && (n <= info.max_positions || (flags & 1))) {
        AnuvadOptions o;
        anuvad_options_default(&o);
        o.forced = forced, o.n_forced = n, o.max_len = n;
        o.return_attention = flags >> 3 & 1;
        FuzzSeen seen = {0, -1};
        o.on_step = flags & 8 ? fuzz_observe : NULL;
        o.step_user = &seen;
        AnuvadResult r;
        int rc = anuvad_translate(m, src, &o, &r);
        int valid = 1;
        for (int i = 0; i < n; i++) valid &= forced[i] >= 0 && forced[i] < info.target_vocab_size;
        FUZZ_CHECK((rc == ANUVAD_ERR_USAGE) == !valid);
        if (rc == ANUVAD_OK) {
            fuzz_check_result(m, &r, 1, 1, 1.0f, o.return_attention);
            const AnuvadHypothesis *h = &r.hypotheses[0];
            /* The forced ids come back, up to the first </s> (which ends decoding, forced
             * or not) or the model's positions; an empty source decodes nothing. */
            FUZZ_CHECK(h->n_tokens <= n);
            FUZZ_CHECK(h->n_tokens == 0 ||
                       memcmp(h->tokens, forced, (size_t)h->n_tokens * sizeof(int)) == 0);
            if (r.src_len > 0 && h->n_tokens < n)
                FUZZ_CHECK(h->n_tokens > 0 && (h->tokens[h->n_tokens - 1] == info.eos ||
                                               h->n_tokens >= info.max_positions - 1));
        }
        anuvad_result_free(&r);
    }
    free(forced);
    anuvad_tokens_free(&t);
    free(line);
    return 0;
}
