/* Fuzz target: a whole model file through the public API. The bytes go into a memfd and
 * anuvad_load() opens it by path, so the real path is exercised: gguf_open (fstat + mmap),
 * model_bind (config, vocabulary, every tensor), both embedded SentencePiece models, the run
 * state. A model that loads then translates one short line with a small --max-len, so a file
 * that binds but lies (token ids, shapes, NaN weights) also runs the forward pass.
 * The second line runs with a step observer that reads every array the event points to; a
 * third run forces tokens taken from the file's bytes.
 * Seeds: tests/fixtures/engine/ *.gguf (mk/fuzz.mk). */
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    AnuvadModel *m = fuzz_load_bytes(data, size);
    if (!m) return 0;
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.max_len = 4;
    o.return_scores = o.return_attention = 1;
    static const char *const lines[] = {"we are friends", "xyz \xff\xfe \xe0\xa4\x95 1"};
    FuzzSeen seen = {0, -1};
    for (int i = 0; i < 2; i++) {
        AnuvadResult r;
        o.top_k = i ? 64 : 0;
        o.on_step = i ? fuzz_observe : NULL;
        o.step_user = &seen;
        if (anuvad_translate(m, lines[i], &o, &r) == ANUVAD_OK)
            fuzz_check_result(m, &r, 1, 1, 1.0f, 1);
        anuvad_result_free(&r);
    }
    /* Forced decoding (what `anuvad score` and the step view's "what if?" use): ids from
     * the file's last bytes, so some are out of range (refused) and some are real tokens,
     * pad and </s> included, forced past the point where decoding would stop. */
    int forced[4], nf = 0;
    for (; nf < 4 && (size_t)nf * 2 + 2 <= size; nf++)
        forced[nf] = (int)(data[size - 1 - 2 * nf] | data[size - 2 - 2 * nf] << 8) - 8;
    AnuvadResult r;
    o.top_k = 5;
    o.forced = forced;
    o.n_forced = nf;
    o.on_step = fuzz_observe;
    anuvad_translate(m, lines[0], &o, &r);
    anuvad_result_free(&r);
    anuvad_free(m);
    return 0;
}
