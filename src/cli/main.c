/* anuvad: translate TEXT arguments or stdin lines, one output line per input line, flushed
 * per line so a pipe sees each translation as it is made. Subcommands: info, tokenize, step,
 * quantize. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct {
    AnuvadModel *m;
    AnuvadOptions opt;
    CliOptions *o;
    int failed;                /* lines that gave an empty line instead of a translation */
} Session;

/* Translate and print one line. Returns -1 if stdout is gone. `where` names the input in
 * warnings ("line 3" or "argument 2"). */
static int translate_line(Session *s, const char *text, const char *where) {
    CliOptions *o = s->o;
    const CliObserver *w = &o->watch;
    char err[512];
    char *out = NULL;
    if (w->begin && w->begin(w->self, text)) s->failed++;
    int rc = anuvad_translate(s->m, text, &s->opt, w->on_step, w->self, &out, err, sizeof err);
    if (rc) {
        cli_error("%s: %s", where, err);   /* an error, not a warning: -q keeps it */
        s->failed++;
    } else if (err[0]) {
        cli_warn(o, "%s: %s", where, err);
    }
    int gone = cli_emit(rc ? "" : out);
    if (!gone && w->end && w->end(w->self, text, rc ? NULL : out, stdout)) s->failed++;
    free(out);
    return gone;
}

/* A blank line: an empty line out, and the observer sees it with an empty translation, so
 * --align and --trace keep one record per input line. */
static int emit_blank(Session *s, const char *text) {
    const CliObserver *w = &s->o->watch;
    int gone = cli_emit("");
    if (!gone && w->begin) w->begin(w->self, text);
    if (!gone && w->end && w->end(w->self, text, "", stdout)) s->failed++;
    return gone;
}

/* A line of stdin without its line ending; blank lines pass through as empty lines. */
static int translate_stdin(Session *s) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long n = 0;
    int gone = 0;
    while (!gone && (len = getline(&line, &cap, stdin)) >= 0) {
        n++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (strspn(line, " \t\f\v") == (size_t)len) {
            gone = emit_blank(s, line);
            continue;
        }
        char where[32];
        snprintf(where, sizeof where, "line %ld", n);
        if (memchr(line, 0, (size_t)len))   /* the API takes C strings */
            cli_warn(s->o, "%s: NUL byte at column %zu: the rest of the line is ignored", where,
                     strlen(line) + 1);
        gone = translate_line(s, line, where);
    }
    free(line);
    return gone;
}

static int translate_args(Session *s) {
    CliOptions *o = s->o;
    int gone = 0;
    for (int i = 0; !gone && i < o->n_texts; i++) {
        char where[32];
        snprintf(where, sizeof where, "argument %d", i + 1);
        gone = o->texts[i][strspn(o->texts[i], " \t\f\v")] ? translate_line(s, o->texts[i], where)
                                                             : emit_blank(s, o->texts[i]);
    }
    return gone;
}

static int translate_main(CliOptions *o) {
    char err[1024], buf[4096];
    const char *path = cli_model_path(o, buf, sizeof buf, err, sizeof err);
    if (!path) {
        cli_error("%s", err);
        return CLI_BAD;
    }
    int rc = cli_attach_observers(o, err, sizeof err);
    if (rc) {
        cli_error("%s", err);
        return rc;
    }
    /* Several lines and threads: one sentence per thread (batch.c). One line, or an observer
     * that needs the steps in order: one sentence at a time, its matrix rows split over the
     * threads. Either way the output is the same bytes. */
    int threads = o->threads ? o->threads : anuvad_default_threads();
    int batch = threads > 1 && o->n_texts != 1 && !o->watch.self;
    Session s = {0};
    s.o = o;
    anuvad_options_default(&s.opt);
    s.opt.threads = batch ? 1 : o->threads;
    s.opt.max_len = o->max_len;
    int status;
    s.m = anuvad_load(path, &s.opt, &status, err, sizeof err);
    if (!s.m) {
        cli_error("%s", err);
        return status == ANUVAD_ERR_USAGE ? CLI_USAGE : CLI_BAD;
    }
    int gone = batch ? cli_translate_batch(s.m, &s.opt, o, threads, &s.failed)
             : o->n_texts ? translate_args(&s) : translate_stdin(&s);
    if (o->watch.finish && o->watch.finish(o->watch.self, err, sizeof err)) {
        cli_error("%s", err);
        s.failed++;
    }
    anuvad_free(s.m);
    if (gone && gone != EPIPE) {   /* a reader that went away is not an error; a lost line is */
        cli_error("cannot write the output: %s", strerror(gone));
        s.failed++;
    }
    return s.failed ? CLI_BAD : CLI_OK;
}

int main(int argc, char **argv) {
    /* Writing to a closed pipe gives EPIPE (handled: stop quietly) instead of killing us. */
    signal(SIGPIPE, SIG_IGN);
    static const char *const subcommands[] = {"info", "tokenize", "step", "quantize", NULL};
    int sub = cli_find_subcommand(argc, argv, subcommands);
    if (sub) {   /* options before the subcommand move after it: argv[sub] becomes argv[1] */
        char *name = argv[sub];
        memmove(argv + 2, argv + 1, (size_t)(sub - 1) * sizeof *argv);
        argv[1] = name;
        if (strcmp(name, "info") == 0) return cli_info(argc - 1, argv + 1);
        if (strcmp(name, "tokenize") == 0) return cli_tokenize(argc - 1, argv + 1);
        if (strcmp(name, "quantize") == 0) return cli_quantize(argc - 1, argv + 1);
        return cli_step(argc - 1, argv + 1);
    }
    CliOptions o;
    char err[512];
    int rc = cli_parse(argc, argv, &o, err, sizeof err);
    if (rc) {
        cli_error("%s", err);
    } else if (o.help) {
        cli_usage(stdout);
    } else if (o.version) {
        printf("anuvad %s\n", ANUVAD_VERSION);
    } else {
        rc = translate_main(&o);
    }
    free(o.texts);
    return rc;
}
