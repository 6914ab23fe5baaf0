/* anuvad: translate TEXT arguments or stdin lines, one output line per input line, flushed
 * per line so a pipe sees each translation as it is made. Subcommands: info, tokenize, step. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Every observer sees every step; the first that asks to stop stops decoding. */
static int fan_out(const AnuvadStep *ev, void *user) {
    CliOptions *o = user;
    for (int i = 0; i < o->n_observers; i++)
        if (o->observers[i].on_step && o->observers[i].on_step(ev, o->observers[i].self))
            return 1;
    return 0;
}

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
    char err[512];
    char *out = NULL;
    for (int i = 0; i < o->n_observers; i++)
        if (o->observers[i].begin && o->observers[i].begin(o->observers[i].self, text))
            s->failed++;
    int rc = anuvad_translate(s->m, text, &s->opt, o->n_observers ? fan_out : NULL, o, &out,
                              err, sizeof err);
    if (rc) {
        cli_error("%s: %s", where, err);   /* an error, not a warning: -q keeps it */
        s->failed++;
    } else if (err[0]) {
        cli_warn(o, "%s: %s", where, err);
    }
    int gone = cli_emit(rc ? "" : out);
    for (int i = 0; !gone && i < o->n_observers; i++)
        if (o->observers[i].end &&
            o->observers[i].end(o->observers[i].self, text, rc ? NULL : out, stdout))
            s->failed++;
    free(out);
    return gone;
}

/* A blank line: an empty line out, and the observers see it with an empty translation, so
 * --align and --trace keep one record per input line. */
static int emit_blank(Session *s, const char *text) {
    CliOptions *o = s->o;
    int gone = cli_emit("");
    for (int i = 0; !gone && i < o->n_observers; i++) {
        if (o->observers[i].begin) o->observers[i].begin(o->observers[i].self, text);
        if (o->observers[i].end && o->observers[i].end(o->observers[i].self, text, "", stdout))
            s->failed++;
    }
    return gone;
}

/* Lines of stdin without their line endings; blank lines pass through as empty lines. A read
 * error ends the loop after every earlier line was written: one error naming the line. */
static int translate_stdin(Session *s) {
    CliLine line = {0};
    long n = 0;
    int gone = 0, got = 0;
    while (!gone && (got = cli_read_line(stdin, &line, cli_max_line(s->o))) > 0) {
        n++;
        char where[32];
        snprintf(where, sizeof where, "line %ld", n);
        cli_warn_cut(s->o, where, &line);
        if (strspn(line.buf, " \t\f\v") == line.len) {
            gone = emit_blank(s, line.buf);
            continue;
        }
        if (memchr(line.buf, 0, line.len))   /* the API takes C strings */
            cli_warn(s->o, "%s: NUL byte at column %zu: the rest of the line is ignored", where,
                     strlen(line.buf) + 1);
        gone = translate_line(s, line.buf, where);
    }
    if (got < 0 && !gone) {
        cli_error("line %ld: cannot read the input: %s", n + 1, strerror(errno));
        s->failed++;
    }
    cli_line_free(&line);
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
    /* Several lines and threads: one sentence per thread (batch.c). One line, or observers
     * that need the steps in order: one sentence at a time, its matrix rows split over the
     * threads. Either way the output is the same bytes. */
    int threads = o->threads ? o->threads : anuvad_default_threads();
    int batch = threads > 1 && o->n_texts != 1 && o->n_observers == 0;
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
    for (int i = 0; i < o->n_observers; i++)
        if (o->observers[i].finish && o->observers[i].finish(o->observers[i].self, err, sizeof err)) {
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

/* A closed standard descriptor would be taken by the next open() (the model, a --trace
 * file) and read or written as if it were stdin/stdout. Hold it with /dev/null opened the
 * wrong way round, so using it still fails with EBADF as it would have. */
static void hold_closed_std_fds(void) {
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
            if (got >= 0 && got != fd) close(got);   /* a lower fd was free: leave it */
        }
}

int main(int argc, char **argv) {
    hold_closed_std_fds();
    /* Writing to a closed pipe gives EPIPE (handled: stop quietly) instead of killing us. */
    signal(SIGPIPE, SIG_IGN);
    static const char *const subcommands[] = {"info", "tokenize", "step", NULL};
    int sub = cli_find_subcommand(argc, argv, subcommands);
    if (sub) {   /* options before the subcommand move after it: argv[sub] becomes argv[1] */
        char *name = argv[sub];
        memmove(argv + 2, argv + 1, (size_t)(sub - 1) * sizeof *argv);
        argv[1] = name;
        if (strcmp(name, "info") == 0) return cli_info(argc - 1, argv + 1);
        if (strcmp(name, "tokenize") == 0) return cli_tokenize(argc - 1, argv + 1);
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
