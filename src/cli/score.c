/* anuvad score [-m MODEL] [--tokens]: what the model believes of a given translation, as
 * marian-scorer and fairseq-score do. Each stdin line "SOURCE<TAB>TARGET" gives one line:
 * the log-probability of TARGET (its pieces and the final </s>) given SOURCE, and its mean
 * per token, tab-separated; with --tokens two more columns, each token's log-probability and
 * the pieces, space-separated. The target is forced through the decoder (greedy loop, its
 * tokens instead of the model's picks). A bad line gives an empty line and an error on
 * stderr (exit 2 at the end): N lines in, N lines out. */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
    AnuvadModel *m;
    const CliOptions *o;
    int eos, max_positions;
} Scorer;

/* The output line for one "source<TAB>target" line into *out (malloc'd), or a message. */
static int score_line(const Scorer *sc, char *line, char **out, char *err, size_t errlen) {
    char *tab = strchr(line, '\t');
    if (!tab) return snprintf(err, errlen, "no tab: expected SOURCE<TAB>TARGET"), -1;
    *tab = 0;
    const char *src = line, *tgt = tab + 1;
    if (strspn(src, " \t\f\v") == strlen(src))
        return snprintf(err, errlen, "the source is empty"), -1;
    AnuvadTokens t;
    if (anuvad_tokenize(anuvad_tokenizer(sc->m, ANUVAD_TARGET), tgt, strlen(tgt), &t, err, errlen))
        return -1;
    int n = t.n + 1, rc = -1;
    int *forced = malloc((size_t)n * sizeof *forced);
    AnuvadResult r = {0};
    if (!forced) {
        snprintf(err, errlen, "out of memory");
    } else if (n > sc->max_positions) {
        snprintf(err, errlen, "the target has %d pieces; the model takes %d", t.n,
                 sc->max_positions - 1);
    } else {
        memcpy(forced, t.ids, (size_t)t.n * sizeof *forced);
        forced[t.n] = sc->eos;
        AnuvadOptions opt;
        anuvad_options_default(&opt);
        opt.forced = forced, opt.n_forced = n, opt.max_len = n;
        if (anuvad_translate(sc->m, src, &opt, &r)) snprintf(err, errlen, "%s", r.error);
        else rc = 0;
    }
    char *s = NULL;
    if (!rc) {
        const AnuvadHypothesis *h = &r.hypotheses[0];
        rc = asprintf(&s, "%.6f\t%.6f", h->log_prob, h->log_prob / h->n_tokens) < 0 ? -1 : 0;
        for (int pass = 0; !rc && sc->o->tokens && pass < 2; pass++)
            for (int i = 0; !rc && i < h->n_tokens; i++) {
                char *more = NULL;
                const char *sep = i ? " " : "\t";
                rc = (pass ? asprintf(&more, "%s%s%s", s, sep, anuvad_piece(sc->m, h->tokens[i]))
                           : asprintf(&more, "%s%s%.6f", s, sep, h->log_probs[i])) < 0
                         ? -1
                         : 0;
                free(s);
                s = more;
            }
        if (rc) snprintf(err, errlen, "out of memory");
    }
    *out = s;
    free(forced);
    anuvad_tokens_free(&t);
    anuvad_result_free(&r);
    return rc;
}

int cli_score(int argc, char **argv) {
    CliOptions o;
    char err[1024], buf[4096];
    int rc = cli_parse_args(argc, argv, &o);
    if (rc) return rc;
    if (o.help) {
        fputs("usage: anuvad score [-m MODEL] [-t N] [--tokens] < SOURCE<TAB>TARGET lines\n"
              "  one line each: log-probability of TARGET given SOURCE, and its mean per token\n"
              "  (</s> included); --tokens adds each token's log-probability and the pieces\n",
              stdout);
        free(o.texts);
        return CLI_OK;
    }
    if (o.n_texts) {
        cli_error("score: reads SOURCE<TAB>TARGET lines from stdin, not arguments");
        free(o.texts);
        return CLI_USAGE;
    }
    free(o.texts);
    const char *path = cli_model_path(&o, buf, sizeof buf, err, sizeof err);
    int status = ANUVAD_ERR_IO;
    AnuvadModel *m = path ? anuvad_load(path, o.threads, &status, err, sizeof err) : NULL;
    if (!m) {
        cli_error("%s", err);
        return status == ANUVAD_ERR_USAGE ? CLI_USAGE : CLI_BAD;
    }
    AnuvadInfo info;
    anuvad_info(m, &info);
    Scorer sc = {m, &o, info.eos, info.max_positions};
    CliLine line = {0};
    long n = 0;
    int failed = 0, gone = 0, got = 0;
    while (!gone && (got = cli_read_line(stdin, &line, cli_max_line(&o))) > 0) {
        n++;
        char note[256], *out = NULL;
        if (cli_cut_note(&o, &line, note, sizeof note)) cli_warn(&o, "line %ld: %s", n, note);
        if (score_line(&sc, line.buf, &out, err, sizeof err)) {
            cli_error("line %ld: %s", n, err);
            failed++;
        }
        gone = cli_emit(out ? out : "");
        free(out);
    }
    if (got < 0 && !gone) {
        cli_error("line %ld: cannot read the input: %s", n + 1, strerror(errno ? errno : EIO));
        failed++;
    }
    if (gone && gone != EPIPE) {
        cli_error("cannot write the output: %s", strerror(gone));
        failed++;
    }
    cli_line_free(&line);
    anuvad_free(m);
    return failed ? CLI_BAD : CLI_OK;
}
