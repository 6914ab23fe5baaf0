/* align_all: word alignments of reference translations under every layer and reading, for
 * scripts/aer.py. Each stdin line is "SOURCE<TAB>IDS" where IDS are the reference's target
 * vocabulary ids (anuvad tokenize --side target --ids). The reference is forced
 * (AnuvadOptions.forced) and one more step is decoded, whose cross-attention row depends only
 * on the forced tokens: it is the shift reading's row for the last reference word.
 *
 * Output: a header line naming the configurations (L1..Ln = decoder layer, Lmean = mean of
 * layers; then hK = head K alone, none = mean of heads; produce or shift; a 1 suffix: the
 * target word's first piece only; an N prefix: the norm reading ‖α·v W_o‖ instead of the
 * attention weights), then per input line
 * the Pharaoh pairs of each, tab-separated.
 *
 *     align_all -m models/en-hi.gguf < src_ids.tsv > alignments.tsv */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anuvad.h"
#include "cli/view/view.h"

static int parse_ids(char *s, int **ids, int *cap) {
    int n = 0;
    for (char *tok = strtok(s, " "); tok; tok = strtok(NULL, " ")) {
        if (n == *cap) {
            *cap = *cap ? 2 * *cap : 64;
            *ids = realloc(*ids, (size_t)*cap * sizeof **ids);
            if (!*ids) return -1;
        }
        (*ids)[n++] = atoi(tok);
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc != 3 || strcmp(argv[1], "-m") != 0) {
        fprintf(stderr, "usage: align_all -m MODEL < SOURCE<TAB>IDS lines\n");
        return 1;
    }
    char err[512];
    AnuvadOptions o;
    anuvad_options_default(&o);
    AnuvadModel *m = anuvad_load(argv[2], 1, NULL, err, sizeof err);
    if (!m) {
        fprintf(stderr, "align_all: %s\n", err);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    int *ids = NULL, ids_cap = 0, header = 0, n_layers = 0, n_heads = 0;
    ViewRecord r = {0};
    while (getline(&line, &cap, stdin) > 0) {
        line[strcspn(line, "\r\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab) {
            fprintf(stderr, "align_all: no tab in a line\n");
            return 1;
        }
        *tab = 0;
        int n = parse_ids(tab + 1, &ids, &ids_cap);
        if (n < 0) return 2;
        o.forced = ids;
        o.n_forced = n;
        o.max_len = n + 1;
        view_record_clear(&r);
        o.on_step = view_record_step;
        o.step_user = &r;
        AnuvadResult res;
        if (anuvad_translate(m, line, &o, &res) || r.oom) {
            fprintf(stderr, "align_all: %s\n", res.error);
            return 2;
        }
        anuvad_result_free(&res);
        /* the extra step is the end of the reference, whatever token the model would pick */
        if (r.n_steps == n + 1) {
            free(r.steps[n].piece);
            r.steps[n].piece = strdup("</s>");
        }
        if (!header) {
            n_layers = r.n_layers;
            n_heads = r.n_heads;
            int k = 0;
            for (int ms = 0; ms < 2; ms++)
                for (int l = 0; l <= n_layers; l++)
                    for (int h = -1; h < (l == n_layers ? 0 : n_heads); h++)
                        for (int rd = 0; rd < 4; rd++) {
                            char name[32], head[16] = "";
                            snprintf(name, sizeof name, "L%d", l + 1);
                            if (h >= 0) snprintf(head, sizeof head, "h%d", h + 1);
                            printf("%s%s%s%s-%s", k++ ? "\t" : "", ms ? "N" : "",
                                   l == n_layers ? "Lmean" : name, head,
                                   (const char *[]){"produce", "shift", "produce1", "shift1"}[rd]);
                        }
            printf("\n");
            header = 1;
        }
        int k = 0;
        for (int ms = 0; ms < 2; ms++)
            for (int l = 0; l <= n_layers; l++)
                for (int h = -1; h < (l == n_layers ? 0 : n_heads); h++)
                    for (int rd = 0; rd < 4; rd++) {
                        ViewAlignConf c = {l == n_layers ? VIEW_MEAN : l, h < 0 ? VIEW_MEAN : h,
                                           rd & 1, rd >> 1, ms ? VIEW_NORM : VIEW_ATTN};
                        ViewWordMatrix wm;
                        VBuf b = {0};
                        if (r.n_steps && !view_word_matrix(&r, c, &wm)) {
                            view_align_pharaoh(&wm, &b);
                            view_word_matrix_free(&wm);
                        }
                        printf("%s%s", k++ ? "\t" : "", b.p ? b.p : "");
                        vb_free(&b);
                    }
        printf("\n");
    }
    view_record_clear(&r);
    free(ids);
    free(line);
    anuvad_free(m);
    return 0;
}
