/* Fuzz target: the GGUF files scripts/convert_hf.py makes from Hugging Face Marian models
 * (tests/fixtures/hf/ *.gguf: separate or shared vocabularies, MarianTokenizer text rules,
 * forced </s>, untied output). Most of such a file is weights, which fuzz_model already
 * mutates; here the mutator mostly rewrites one metadata value in place (a vocabulary
 * array, an embedded SentencePiece model, a token id, a flag), so the file stays a
 * well-formed GGUF and the mutation reaches the vocabulary and tokenizer code behind the
 * parser. A model that loads is then asked for every piece of both vocabularies, tokenizes
 * and detokenizes hostile lines on both sides, and translates greedily and with a beam;
 * a successful translation must be self-consistent (common.h).
 * Seeds: tests/fixtures/hf/ *.gguf (mk/fuzz.mk). */
#include "common.h"
#include "engine/gguf.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned seed);

/* Three mutations in four rewrite the bytes of one key's value in place (the tokenizer and
 * vocabulary keys drawn three times as often); the fourth, or a file that is no longer a
 * GGUF, gets libFuzzer's own mutation of the whole input. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned seed) {
    Gguf g;
    char err[256];
    if (seed % 4 == 0 || gguf_open_memory(&g, data, size, err, sizeof err) != ANUVAD_OK)
        return LLVMFuzzerMutate(data, size, max_size);
    uint64_t weight = 0;
    for (uint64_t i = 0; i < g.n_kv; i++)
        weight += strncmp(g.kv[i].key, "tokenizer.", 10) == 0 ? 3 : 1;
    uint64_t pick = weight ? (seed / 4) % weight : 0;
    const GgufKV *kv = NULL;
    for (uint64_t i = 0; i < g.n_kv && !kv; i++) {
        uint64_t w = strncmp(g.kv[i].key, "tokenizer.", 10) == 0 ? 3 : 1;
        if (pick < w) kv = &g.kv[i];
        else pick -= w;
    }
    size_t off = kv ? (size_t)(kv->val - data) : 0, len = kv ? (size_t)kv->val_size : 0;
    gguf_close(&g);
    if (!len) return LLVMFuzzerMutate(data, size, max_size);
    /* A large value (a vocabulary, a .model) gets a window of it, so one mutation stays a
     * small change there as it would in a small value. */
    if (len > 256) {
        size_t start = (seed / 16) % (len - 255);
        off += start, len = 256;
    }
    uint8_t tmp[256];
    memcpy(tmp, data + off, len);
    size_t got = LLVMFuzzerMutate(tmp, len, len);
    memcpy(data + off, tmp, got); /* a shorter result leaves the old tail: the size stays */
    return size;
}

static void tokenize_both(const AnuvadModel *m, const char *text, size_t len) {
    char err[256];
    for (int side = 0; side < 2; side++) {
        const AnuvadTokenizer *t = anuvad_tokenizer(m, side ? ANUVAD_TARGET : ANUVAD_SOURCE);
        AnuvadTokens p;
        if (anuvad_tokenize(t, text, len, &p, err, sizeof err) != ANUVAD_OK) continue;
        AnuvadInfo info;
        anuvad_info(m, &info);
        int vocab = side ? info.target_vocab_size : info.vocab_size;
        for (int i = 0; i < p.n; i++) FUZZ_CHECK(p.ids[i] >= 0 && p.ids[i] < vocab);
        char *out = NULL;
        if (anuvad_detokenize(t, p.ids, p.n, &out, err, sizeof err) == ANUVAD_OK) free(out);
        anuvad_tokens_free(&p);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    AnuvadModel *m = fuzz_load_bytes(data, size);
    if (!m) return 0;
    AnuvadInfo info;
    anuvad_info(m, &info);
    size_t n = 0;
    for (int i = -1; i <= info.vocab_size; i++) {
        const char *p = anuvad_source_piece(m, i);
        FUZZ_CHECK((p != NULL) == (i >= 0 && i < info.vocab_size));
        if (p) n += strlen(p);
    }
    for (int i = -1; i <= info.target_vocab_size; i++) {
        const char *p = anuvad_piece(m, i);
        FUZZ_CHECK((p != NULL) == (i >= 0 && i < info.target_vocab_size));
        if (p) n += strlen(p);
    }
    static const char *const lines[] = {
        "we are friends.", "\xe2\x96\x81 <unk> </s> <pad> \xff\xfe \xe0\xa4\x95 \xc2\xa0 1,5",
        "  Hello,\tWORLD!!  \xe2\x80\x8b\xef\xbb\xbf \xf0\x9f\x98\x80 \xcc\x81"};
    for (int i = 0; i < 3; i++) tokenize_both(m, lines[i], strlen(lines[i]));
    tokenize_both(m, "a\0b", 3);
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.max_len = 4;
    o.return_attention = 1;
    FuzzSeen seen = {n, -1};
    for (int beam = 1; beam <= 2; beam++) {
        AnuvadResult r;
        o.beam_size = o.n_best = beam;
        o.on_step = beam == 1 ? fuzz_observe : NULL;
        o.step_user = &seen;
        if (anuvad_translate(m, lines[beam - 1], &o, &r) == ANUVAD_OK)
            fuzz_check_result(m, &r, beam, beam, o.length_penalty, 1);
        anuvad_result_free(&r);
    }
    anuvad_free(m);
    return 0;
}
