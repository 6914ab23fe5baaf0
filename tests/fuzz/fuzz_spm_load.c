/* Fuzz target: the SentencePiece ModelProto parser (spm_load). A model that parses must also
 * be usable: encode a few fixed lines (ASCII, Devanagari, invalid UTF-8, a NUL) and decode
 * the pieces back, so a parsed model with inconsistent fields (unk id, byte pieces, types,
 * normalizer) cannot crash the tokenizer. Seeds: tests/fixtures/spm/ *.model and the models
 * embedded in tests/fixtures/engine/cli_tiny.gguf (mk/fuzz.mk). */
#include <stdint.h>
#include <stdlib.h>

#include "spm/spm.h"

static void roundtrip(const SpmModel *m, const char *text, size_t len) {
    char err[256];
    SpmPieces p = {0};
    if (spm_encode(m, text, len, &p, err, sizeof err) == 0) {
        char *out = NULL;
        if (spm_decode(m, (const char *const *)p.pieces, p.n, &out, err, sizeof err) == 0)
            free(out);
    }
    spm_pieces_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[256];
    SpmModel *m = spm_load(data, size, err, sizeof err);
    if (!m) return 0;
    static const char a[] = "Hello world, we are friends.  ";
    static const char b[] =
        "\xe0\xa4\xb9\xe0\xa4\xae \xe0\xa4\xa6\xe0\xa5\x8b\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4";
    static const char c[] = "\xff\xc3(\x00 x\xef\xbc\xa1\xe2\x80\x8b<unk></s>";
    roundtrip(m, a, sizeof a - 1);
    roundtrip(m, b, sizeof b - 1);
    roundtrip(m, c, sizeof c - 1);
    roundtrip(m, "", 0);
    spm_free(m);
    return 0;
}
