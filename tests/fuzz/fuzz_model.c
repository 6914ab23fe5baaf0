/* Fuzz target: a whole model file through the public API. The bytes go into a memfd and
 * anuvad_load() opens it by path, so the real path is exercised: gguf_open (fstat + mmap),
 * model_bind (config, vocabulary, every tensor), both embedded SentencePiece models, the run
 * state. A model that loads then translates one short line with a small --max-len, so a file
 * that binds but lies (token ids, shapes, NaN weights) also runs the forward pass.
 * The second line runs with a step observer that reads every array the event points to; a
 * third run forces tokens taken from the file's bytes.
 * Seeds: tests/fixtures/engine/ *.gguf (mk/fuzz.mk). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "anuvad.h"

/* An observer that reads everything a step event points to, so ASan checks the attention
 * rows, the candidates and the piece strings against their stated sizes. */
static int observe(const AnuvadStep *ev, void *user) {
    volatile float sum = 0;
    size_t n = 0;
    for (int i = 0; i < ev->n_layers * ev->n_heads * ev->src_len; i++) sum += ev->cross[i];
    for (int i = 0; i < ev->n_layers * ev->n_heads * ev->prefix_len; i++) sum += ev->self[i];
    for (int i = 0; i < ev->n_top; i++) n += strlen(ev->top[i].piece) + (size_t)ev->top[i].id;
    for (int i = 0; i < ev->src_len; i++) n += strlen(ev->src_pieces[i]);
    for (int i = 0; i < ev->prefix_len; i++)
        n += strlen(ev->prefix_pieces[i]) + (size_t)ev->prefix[i];
    n += strlen(ev->piece);
    *(size_t *)user += n + (sum != sum);
    return 0;
}

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
    o.max_len = 4;
    o.return_scores = o.return_attention = 1;
    int status;
    AnuvadModel *m = done == size ? anuvad_load(path, 1, &status, err, sizeof err) : NULL;
    close(fd); /* the map outlives the descriptor */
    if (m) {
        static const char *const lines[] = {"we are friends", "xyz \xff\xfe \xe0\xa4\x95 1"};
        size_t seen = 0;
        for (int i = 0; i < 2; i++) {
            AnuvadResult r;
            o.top_k = i ? 64 : 0;
            o.on_step = i ? observe : NULL;
            o.step_user = &seen;
            anuvad_translate(m, lines[i], &o, &r);
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
        o.on_step = observe;
        anuvad_translate(m, lines[0], &o, &r);
        anuvad_result_free(&r);
        anuvad_free(m);
    }
    return 0;
}
