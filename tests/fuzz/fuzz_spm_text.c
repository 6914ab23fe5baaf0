/* Fuzz target: arbitrary bytes through real tokenizers. The first byte picks one of the
 * committed models (tests/fixtures/spm: unigram, bpe, byte fallback, identity+user-defined);
 * the rest is encoded, the pieces decoded, and the same bytes split at NULs are also decoded
 * as if they were pieces (the decoder takes pieces from the engine's vocabulary, not only
 * from the encoder). Models are read once from $ANUVAD_FUZZ_SPM_DIR (default
 * tests/fixtures/spm, i.e. run from the repository root as mk/fuzz.mk does). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spm/spm.h"

static const char *const kNames[] = {"unigram", "bpe", "bytefb", "ident"};
#define N_MODELS 4
static SpmModel *models[N_MODELS];

static SpmModel *load(const char *dir, const char *name) {
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/%s.model", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_spm_text: cannot open %s\n", path);
        abort();
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) abort();
    fclose(f);
    SpmModel *m = spm_load(buf, (size_t)n, err, sizeof err);
    free(buf);
    if (!m) {
        fprintf(stderr, "fuzz_spm_text: %s: %s\n", path, err);
        abort();
    }
    return m;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    const char *dir = getenv("ANUVAD_FUZZ_SPM_DIR");
    if (!dir) dir = "tests/fixtures/spm";
    for (int i = 0; i < N_MODELS; i++) models[i] = load(dir, kNames[i]);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const SpmModel *m = models[data[0] % N_MODELS];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    char err[256], *out = NULL;
    SpmPieces p = {0};
    if (spm_encode(m, text, len, &p, err, sizeof err) == 0 &&
        spm_decode(m, (const char *const *)p.pieces, p.n, &out, err, sizeof err) == 0)
        free(out);
    spm_pieces_free(&p);

    /* The bytes as NUL-separated pieces (a copy with a final NUL so each is a C string). */
    char *copy = malloc(len + 1);
    const char **pieces = malloc((len + 1) * sizeof *pieces);
    if (copy && pieces) {
        memcpy(copy, text, len);
        copy[len] = 0;
        int n = 0;
        for (size_t i = 0; i <= len; i += strlen(copy + i) + 1) pieces[n++] = copy + i;
        out = NULL;
        if (spm_decode(m, pieces, n, &out, err, sizeof err) == 0) free(out);
    }
    free(copy);
    free(pieces);
    return 0;
}
