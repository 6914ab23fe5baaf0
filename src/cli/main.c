/* anuvad: translate TEXT arguments or stdin lines, one output line per input line, flushed
 * per line so a pipe sees each translation as it is made. Subcommands: info, tokenize, step,
 * score, quantize. */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* One run of the translate loop: the library reads sentences through read_next and hands
 * each result, in input order, to write_result. */
typedef struct {
    CliOptions *o;
    long n_read;
    CliLine line;     /* the stdin line (its buffer kept for reuse) */
    const char *text; /* the last sentence read, for the observer (one at a time) */
    int read_errno;   /* why the input ended, when it was a read error (else 0) */
    int failed;       /* lines that gave an empty line instead of a translation */
    int gone;         /* the errno that stopped the output, or 0 */
} Session;

/* The next TEXT argument, or stdin line without its line ending (cut to --max-line-bytes,
 * with a warning). A blank line (whitespace only) goes to the library as an empty one: an
 * empty line out, and the observer still sees it, so --align and --trace keep one record per
 * input line. A read error ends the input; translate_main reports it after the lines before. */
static int read_next(void *user, const char **text, size_t *len, char *note, size_t note_len) {
    Session *s = user;
    const CliOptions *o = s->o;
    if (o->n_texts) {
        if (s->n_read == o->n_texts) return 0;
        *text = o->texts[s->n_read];
        *len = strlen(*text);
    } else {
        int got = cli_read_line(stdin, &s->line, cli_max_line(o));
        if (got < 0) s->read_errno = errno ? errno : EIO;
        if (got <= 0) return 0;
        *text = s->line.buf;
        *len = s->line.len;
        cli_cut_note(o, &s->line, note, note_len);
    }
    s->n_read++;
    s->text = *text;
    if (strspn(*text, " \t\f\v") == *len) *len = 0;
    const CliObserver *w = &o->watch;
    if (w->begin && w->begin(w->self, *text)) s->failed++;
    return 1;
}

static void warn_stream(void *user, const char *message) {
    cli_warn(((Session *)user)->o, "%s", message);
}

/* The output line(s) of one input line: its translation (after its score and a tab with
 * --scores), or with --n-best K lines "LINE ||| TEXT ||| SCORE" (tsv: tab-separated), LINE
 * counted from 0. A failed line gives an empty line, or K lines with an empty text and -inf. */
static int emit_result(const CliOptions *o, long index, const AnuvadResult *r) {
    int k = o->n_best ? o->n_best : 1, tsv = o->n_best_format && !strcmp(o->n_best_format, "tsv");
    for (int i = 0; i < k; i++) {
        /* An empty line has one (empty) hypothesis: it is repeated, not read past. */
        int at = i < r->n_hypotheses ? i : r->n_hypotheses - 1;
        const AnuvadHypothesis *h = r->status || at < 0 ? NULL : &r->hypotheses[at];
        const char *text = h ? h->text : "";
        char score[32];
        snprintf(score, sizeof score, h ? "%.6f" : "-inf", h ? h->score : 0.0f);
        char *line = NULL;
        int n = o->n_best
                    ? asprintf(&line, tsv ? "%ld\t%s\t%s" : "%ld ||| %s ||| %s", index, text, score)
                : o->scores ? asprintf(&line, "%s\t%s", score, text)
                            : asprintf(&line, "%s", text);
        int rc = n < 0 ? ENOMEM : cli_emit(line);
        free(line);
        if (rc) return rc;
    }
    return 0;
}

/* The line's warnings and error, then the line (flushed), then the observer's output. */
static int write_result(void *user, long index, AnuvadResult *r) {
    Session *s = user;
    const CliOptions *o = s->o;
    char where[32];
    snprintf(where, sizeof where, "%s %ld", o->n_texts ? "argument" : "line", index + 1);
    for (int i = 0; i < r->n_warnings; i++) cli_warn(o, "%s: %s", where, r->warnings[i]);
    if (r->status) { /* an error, not a warning: -q keeps it */
        cli_error("%s: %s", where, r->error);
        s->failed++;
    }
    const char *out = r->status ? NULL : r->hypotheses[0].text;
    s->gone = emit_result(o, index, r);
    const CliObserver *w = &o->watch;
    if (!s->gone && w->end && w->end(w->self, s->text, out, stdout)) s->failed++;
    return s->gone != 0;
}

static int translate_main(CliOptions *o) {
    char err[1024], buf[4096];
    const char *path = cli_model_path(o, buf, sizeof buf, err, sizeof err);
    if (!path) {
        cli_error("%s", err);
        return CLI_BAD;
    }
    if (o->n_best > (o->beam ? o->beam : 1)) {
        cli_error("--n-best %d needs --beam %d or more", o->n_best, o->n_best);
        return CLI_USAGE;
    }
    if (o->n_best_format && strcmp(o->n_best_format, "marian") && strcmp(o->n_best_format, "tsv")) {
        cli_error("--n-best-format must be marian or tsv, got \"%s\"", o->n_best_format);
        return CLI_USAGE;
    }
    int rc = cli_attach_observers(o, err, sizeof err);
    if (rc) {
        cli_error("%s", err);
        return rc;
    }
    /* Several lines and threads: one sentence per thread (the library's workers). One line,
     * or an observer that needs the steps in order: one sentence at a time, its matrix rows
     * split over the threads. Either way the output is the same bytes. */
    int threads = o->threads ? o->threads : anuvad_default_threads();
    AnuvadOptions opt;
    anuvad_options_default(&opt);
    opt.max_len = o->max_len;
    opt.beam_size = o->beam ? o->beam : 1;
    opt.n_best = o->n_best ? o->n_best : 1;
    opt.length_penalty = o->length_penalty;
    opt.early_stopping = o->early_stopping;
    opt.batch_size = o->batch_size;
    opt.return_scores = o->scores || o->n_best;
    opt.no_confidence = o->quiet; /* its warnings would not be printed */
    opt.on_step = o->watch.on_step;
    opt.step_user = o->watch.self;
    /* --batch-size: the lines decoded together as rows, where the library takes them (greedy
     * rows compute no scores, so --scores and --n-best send greedy lines to the workers). The
     * model's threads then run the rows' lanes; otherwise one model thread per worker. */
    int rows = o->n_texts != 1 && anuvad_options_use_rows(&opt);
    int batch = !rows && threads > 1 && o->n_texts != 1 && !o->watch.self;
    opt.batch_size = rows ? o->batch_size : 0;
    opt.workers = batch ? threads : 1;
    int status;
    AnuvadModel *m = anuvad_load(path, batch ? 1 : o->threads, &status, err, sizeof err);
    if (!m) {
        cli_error("%s", err);
        return status == ANUVAD_ERR_USAGE ? CLI_USAGE : CLI_BAD;
    }
    Session s = {.o = o};
    AnuvadStream io = {read_next, write_result, warn_stream, &s};
    rc = anuvad_translate_stream(m, &opt, &io, err, sizeof err);
    int usage = rc == ANUVAD_ERR_USAGE; /* options the model cannot take; nothing was read */
    if (rc && rc != ANUVAD_ERR_STOPPED) {
        cli_error("%s", err);
        s.failed++;
    }
    if (s.read_errno && !s.gone) {
        cli_error("line %ld: cannot read the input: %s", s.n_read + 1, strerror(s.read_errno));
        s.failed++;
    }
    if (o->watch.finish && o->watch.finish(o->watch.self, err, sizeof err)) {
        cli_error("%s", err);
        s.failed++;
    }
    anuvad_free(m);
    cli_line_free(&s.line);
    if (s.gone && s.gone != EPIPE) { /* a reader that went away is not an error; a lost line is */
        cli_error("cannot write the output: %s", strerror(s.gone));
        s.failed++;
    }
    return usage ? CLI_USAGE : s.failed ? CLI_BAD : CLI_OK;
}

/* A closed standard descriptor would be taken by the next open() (the model, a --trace
 * file) and read or written as if it were stdin/stdout. Hold it with /dev/null opened the
 * wrong way round, so using it still fails with EBADF as it would have. */
static void hold_closed_std_fds(void) {
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
            if (got >= 0 && got != fd) close(got); /* a lower fd was free: leave it */
        }
}

int main(int argc, char **argv) {
    hold_closed_std_fds();
    /* Writing to a closed pipe gives EPIPE (handled: stop quietly) instead of killing us. */
    signal(SIGPIPE, SIG_IGN);
    static const char *const subcommands[] = {"info",  "tokenize", "step",
                                              "score", "quantize", NULL};
    int sub = cli_find_subcommand(argc, argv, subcommands);
    if (sub) { /* options before the subcommand move after it: argv[sub] becomes argv[1] */
        char *name = argv[sub];
        memmove(argv + 2, argv + 1, (size_t)(sub - 1) * sizeof *argv);
        argv[1] = name;
        if (strcmp(name, "info") == 0) return cli_info(argc - 1, argv + 1);
        if (strcmp(name, "tokenize") == 0) return cli_tokenize(argc - 1, argv + 1);
        if (strcmp(name, "score") == 0) return cli_score(argc - 1, argv + 1);
        if (strcmp(name, "quantize") == 0) return cli_quantize(argc - 1, argv + 1);
        return cli_step(argc - 1, argv + 1);
    }
    CliOptions o;
    int rc = cli_parse_args(argc, argv, &o);
    if (rc) return rc;
    if (o.help) {
        cli_usage(stdout);
    } else if (o.version) {
        printf("anuvad %s\n", ANUVAD_VERSION);
    } else {
        rc = translate_main(&o);
    }
    free(o.texts);
    return rc;
}
