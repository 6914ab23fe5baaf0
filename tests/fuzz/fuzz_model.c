/* Fuzz target: a whole model file through the public API. The bytes go into a memfd and
 * anuvad_load() opens it by path, so the real path is exercised: gguf_open (fstat + mmap),
 * model_bind (config, vocabulary, every tensor), both embedded SentencePiece models, the run
 * state. A model that loads then translates one short line with a small --max-len, so a file
 * that binds but lies (token ids, shapes, NaN weights) also runs the forward pass.
 * Seeds: tests/fixtures/engine/ *.gguf (mk/fuzz.mk). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "anuvad.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int fd = memfd_create("fuzz.gguf", 0);
    if (fd < 0) return 0;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) break;
        done += (size_t)n;
    }
    char path[64], err[512];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.threads = 1;
    o.max_len = 4;
    int status;
    AnuvadModel *m = done == size ? anuvad_load(path, &o, &status, err, sizeof err) : NULL;
    close(fd);   /* the map outlives the descriptor */
    if (m) {
        static const char *const lines[] = {"we are friends", "xyz \xff\xfe \xe0\xa4\x95 1"};
        for (int i = 0; i < 2; i++) {
            char *out = NULL;
            anuvad_translate(m, lines[i], &o, NULL, NULL, &out, err, sizeof err);
            free(out);
        }
        anuvad_free(m);
    }
    return 0;
}
