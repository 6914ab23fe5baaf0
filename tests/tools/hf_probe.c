/* hf_probe: the engine's raw numbers for scripts/check_hf.py, which compares them with
 * transformers. Each stdin line is one request over model vocabulary ids:
 *   "L SRC_IDS | TGT_IDS"   logits of each decoder step fed TGT_IDS (decoder start first):
 *                           written as little-endian float32 [len(TGT_IDS)][target vocab]
 *   "G MAX_LEN SRC_IDS"     greedy ids (decoder start excluded): one text line, then "\n"
 * Binary and text answers go to stdout in request order.
 *
 *     hf_probe MODEL.gguf < requests > answers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/decoder.h"
#include "engine/encoder.h"
#include "engine/model.h"
#include "engine/pool.h"
#include "engine/search.h"
#include "engine/state.h"

#define MAX_IDS 4096

static int parse_ids(char *s, int *ids, int max) {
    int n = 0;
    for (char *tok = strtok(s, " \t\n"); tok && n < max; tok = strtok(NULL, " \t\n"))
        ids[n++] = atoi(tok);
    return n;
}

static int valid(const int *ids, int n, int V) {
    for (int i = 0; i < n; i++)
        if (ids[i] < 0 || ids[i] >= V) return 0;
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: hf_probe MODEL.gguf < requests\n");
        return 1;
    }
    Model m;
    char err[512];
    if (model_load(&m, argv[1], err, sizeof err)) {
        fprintf(stderr, "hf_probe: %s\n", err);
        return 2;
    }
    Pool *pool = pool_new(1);
    RunState s;
    if (!pool || state_init(&s, &m, pool, 1, 1)) {
        fprintf(stderr, "hf_probe: out of memory\n");
        return 2;
    }
    static char line[1 << 16];
    static int src[MAX_IDS], tgt[MAX_IDS], prefix[MAX_IDS + 1];
    static const char *pieces[MAX_IDS + 1];
    int P = m.c.max_positions, rc = 0;
    while (!rc && fgets(line, sizeof line, stdin)) {
        if (line[0] == 'L') {
            char *bar = strchr(line, '|');
            if (!bar) {
                rc = 1;
                break;
            }
            *bar = 0;
            int ns = parse_ids(line + 1, src, MAX_IDS), nt = parse_ids(bar + 1, tgt, MAX_IDS);
            if (ns < 1 || ns > P || nt > P || !valid(src, ns, m.c.vocab_size) ||
                !valid(tgt, nt, m.c.tgt_vocab_size)) {
                rc = 1;
                break;
            }
            encoder_forward(&s, 0, src, ns);
            decoder_prepare(&s, 0);
            s.n_rows = 0;
            decoder_add_row(&s, 0);
            for (int t = 0; t < nt; t++) {
                decoder_step(&s, &tgt[t]);
                fwrite(s.logits, sizeof(float), (size_t)m.c.tgt_vocab_size, stdout);
            }
        } else if (line[0] == 'G') {
            char *end;
            int max_len = (int)strtol(line + 1, &end, 10);
            int ns = parse_ids(end, src, MAX_IDS);
            if (ns < 1 || ns > P || max_len < 1 || max_len > P || !valid(src, ns, m.c.vocab_size)) {
                rc = 1;
                break;
            }
            encoder_forward(&s, 0, src, ns);
            decoder_prepare(&s, 0);
            Search q = {.max_len = max_len, .top_k = 5, .prefix = prefix, .prefix_pieces = pieces};
            if (search_greedy(&s, &q)) {
                rc = 2;
                break;
            }
            for (int i = 1; i <= q.n_out; i++) printf(i > 1 ? " %d" : "%d", prefix[i]);
            putchar('\n');
        } else {
            rc = 1;
        }
        fflush(stdout);
    }
    if (rc) fprintf(stderr, "hf_probe: bad request: %.60s\n", line);
    state_free(&s);
    pool_free(pool);
    model_free(&m);
    return rc;
}
