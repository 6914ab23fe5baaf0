/* Option parsing from one table, so adding an option is one row. Options may come before or
 * after the text arguments; "--" ends them. Values: "-t 2", "-t2", "--threads 2",
 * "--threads=2". */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef ANUVAD_DATADIR
#define ANUVAD_DATADIR "/usr/local/share/anuvad"
#endif
#define DEFAULT_MODEL "en-hi.gguf"

#define OFF(f) offsetof(CliOptions, f)
const CliOptSpec cli_option_specs[] = {
    {"--model", 'm', CLI_STRING, OFF(model), 0, 0, "FILE",
     "model file (default: $ANUVAD_MODEL, else models/" DEFAULT_MODEL ")"},
    {"--threads", 't', CLI_INT, OFF(threads), 1, 256, "N", "worker threads (default: all cores)"},
    {"--batch-size", 0, CLI_INT, OFF(batch_size), 1, 256, "B",
     "decode up to B lines together, one pass over the weights (default 1)"},
    {"--max-len", 0, CLI_INT, OFF(max_len), 1, 1 << 20, "N",
     "most target tokens (default: 2 x source + 10, capped by the model)"},
    {"--max-line-bytes", 0, CLI_INT, OFF(max_line_bytes), 1, 1 << 30, "N",
     "cut longer input lines to N bytes, with a warning (default: 65536)"},
    {"--quiet", 'q', CLI_FLAG, OFF(quiet), 0, 0, NULL, "no warnings on stderr"},
    {"--trace", 0, CLI_STRING, OFF(trace_path), 0, 0, "FILE",
     "JSON Lines trace: one object per input line (tokens, candidates, attention)"},
    {"--attn-svg", 0, CLI_STRING, OFF(attn_svg_path), 0, 0, "FILE",
     "target x source cross-attention heatmap (SVG)"},
    {"--html", 0, CLI_STRING, OFF(html_path), 0, 0, "FILE",
     "interactive page of every step (one self-contained HTML file)"},
    {"--align", 0, CLI_FLAG, OFF(align), 0, 0, NULL, "print word alignments after each line"},
    {"--beam", 0, CLI_INT, OFF(beam), 1, 16, "N",
     "beam search with N hypotheses (default 1: greedy)"},
    {"--length-penalty", 0, CLI_FLOAT, OFF(length_penalty), -100, 100, "A",
     "beam search: rank finished hypotheses by log-prob / length^A (default 1.0)"},
    {"--early-stopping", 0, CLI_FLAG, OFF(early_stopping), 0, 0, NULL,
     "beam search: stop once N hypotheses are finished"},
    {"--n-best", 0, CLI_INT, OFF(n_best), 1, 16, "K",
     "K best hypotheses per line (K <= --beam): \"LINE ||| TEXT ||| SCORE\", LINE from 0"},
    {"--n-best-format", 0, CLI_STRING, OFF(n_best_format), 0, 0, "F",
     "marian (default) or tsv: LINE<TAB>TEXT<TAB>SCORE"},
    {"--scores", 0, CLI_FLAG, OFF(scores), 0, 0, NULL, "prefix each line with its score and a tab"},
    {"--tokens", 0, CLI_FLAG, OFF(tokens), 0, 0, NULL,
     "score: each token's log-probability and piece too"},
    {"--help", 'h', CLI_FLAG, OFF(help), 0, 0, NULL, "this help"},
    {"--version", 0, CLI_FLAG, OFF(version), 0, 0, NULL, "print the version"},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL},
};

void cli_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("anuvad: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_warn(const CliOptions *o, const char *fmt, ...) {
    if (o->quiet) return;
    va_list ap;
    va_start(ap, fmt);
    fputs("anuvad: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Writes one line and flushes it. 0, or the errno when stdout fails: EPIPE (the reader quit)
 * or a real write error (EBADF for a closed stdout, ENOSPC for a full disk). */
int cli_emit(const char *line) {
    errno = 0;
    if (fputs(line, stdout) == EOF || fputc('\n', stdout) == EOF || fflush(stdout) == EOF)
        return errno ? errno : EIO;
    return 0;
}

size_t cli_max_line(const CliOptions *o) {
    return o->max_line_bytes > 0 ? (size_t)o->max_line_bytes : CLI_MAX_LINE_BYTES;
}

int cli_cut_note(const CliOptions *o, const CliLine *l, char *note, size_t n) {
    if (l->full_len <= cli_max_line(o)) return 0;
    snprintf(note, n, "%zu bytes, longer than --max-line-bytes %zu: cut to %zu bytes", l->full_len,
             cli_max_line(o), l->len);
    return 1;
}

void cli_usage(FILE *f) {
    fputs(
        "usage: anuvad [options] [TEXT ...]     translate each TEXT, or each stdin line\n"
        "       anuvad step [options] TEXT      step through one translation\n"
        "       anuvad info [-m MODEL]          model card: sizes, languages, vocabulary, tensors\n"
        "       anuvad tokenize [-m MODEL] [--side source|target] [--ids] [TEXT ...]\n"
        "       anuvad score [-m MODEL] [--tokens]  SOURCE<TAB>TARGET lines -> log-probability\n"
        "       anuvad quantize IN OUT          write model IN with 8-bit (Q8_0) matrices\n"
        "options:\n",
        f);
    for (const CliOptSpec *s = cli_option_specs; s->long_name; s++) {
        char left[64];
        if (s->short_name)
            snprintf(left, sizeof left, "-%c, %s %s", s->short_name, s->long_name,
                     s->arg ? s->arg : "");
        else snprintf(left, sizeof left, "    %s %s", s->long_name, s->arg ? s->arg : "");
        fprintf(f, "  %-22s %s\n", left, s->help);
    }
    fputs("One output line per input line; an empty line gives an empty line.\n"
          "Exit status: 0 ok, 1 bad usage, 2 bad model file or input.\n",
          f);
}

static const CliOptSpec *find_spec(const char *arg, const char **inline_value) {
    *inline_value = NULL;
    for (const CliOptSpec *s = cli_option_specs; s->long_name; s++) {
        if (arg[1] == '-') {
            size_t n = strlen(s->long_name);
            if (strncmp(arg, s->long_name, n) == 0 && (arg[n] == 0 || arg[n] == '=')) {
                if (arg[n] == '=') *inline_value = arg + n + 1;
                return s;
            }
        } else if (s->short_name && arg[1] == s->short_name) {
            if (arg[2]) *inline_value = arg + 2;
            return s;
        }
    }
    return NULL;
}

static int set_value(const CliOptSpec *s, const char *name, const char *v, CliOptions *o, char *err,
                     size_t errlen) {
    char *field = (char *)o + s->offset;
    if (s->kind == CLI_STRING) {
        if (!*v) return snprintf(err, errlen, "%s needs a non-empty value", name), CLI_USAGE;
        *(const char **)field = v;
        return CLI_OK;
    }
    char *end;
    errno = 0;
    if (s->kind == CLI_FLOAT) {
        float f = strtof(v, &end);
        if (errno || end == v || *end || !(f >= s->min && f <= s->max)) {
            snprintf(err, errlen, "%s must be a number from %d to %d, got \"%s\"", name, s->min,
                     s->max, v);
            return CLI_USAGE;
        }
        *(float *)field = f;
        return CLI_OK;
    }
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < s->min || n > s->max) {
        snprintf(err, errlen, "%s must be an integer from %d to %d, got \"%s\"", name, s->min,
                 s->max, v);
        return CLI_USAGE;
    }
    *(int *)field = (int)n;
    return CLI_OK;
}

int cli_set_option(const char *long_name, const char *value, CliOptions *o, char *err,
                   size_t errlen) {
    for (const CliOptSpec *s = cli_option_specs; s->long_name; s++)
        if (strcmp(s->long_name, long_name) == 0 && s->kind != CLI_FLAG)
            return set_value(s, long_name, value, o, err, errlen);
    return snprintf(err, errlen, "unknown option %s", long_name), CLI_USAGE;
}

/* One option at argv[*i]; advances *i past its value. */
static int parse_option(int argc, char **argv, int *i, CliOptions *o, char *err, size_t errlen) {
    const char *arg = argv[*i], *v;
    const CliOptSpec *s = find_spec(arg, &v);
    if (!s) return snprintf(err, errlen, "unknown option %s (see --help)", arg), CLI_USAGE;
    if (s->kind == CLI_FLAG) {
        if (v) return snprintf(err, errlen, "%s takes no value", s->long_name), CLI_USAGE;
        *(int *)((char *)o + s->offset) = 1;
        return CLI_OK;
    }
    if (!v) {
        if (*i + 1 >= argc) return snprintf(err, errlen, "%s needs a value", arg), CLI_USAGE;
        v = argv[++*i];
    }
    return set_value(s, s->long_name, v, o, err, errlen);
}

int cli_find_subcommand(int argc, char **argv, const char *const *names) {
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        if (strcmp(arg, "--") == 0) return 0;
        if (arg[0] == '-' && arg[1]) {
            const CliOptSpec *s = find_spec(arg, &v);
            if (s && s->kind != CLI_FLAG && !v) i++; /* skip the option's value */
            continue;
        }
        for (int k = 0; names[k]; k++)
            if (strcmp(arg, names[k]) == 0) return i;
        return 0;
    }
    return 0;
}

int cli_parse(int argc, char **argv, CliOptions *o, char *err, size_t errlen) {
    memset(o, 0, sizeof *o);
    o->length_penalty = 1.0f;
    o->argv0 = argc > 0 ? argv[0] : "anuvad";
    o->texts = calloc((size_t)argc + 1, sizeof *o->texts);
    if (!o->texts) return snprintf(err, errlen, "out of memory"), CLI_BAD;
    int only_texts = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_texts && strcmp(a, "--") == 0) {
            only_texts = 1;
        } else if (!only_texts && a[0] == '-' && a[1]) {
            int rc = parse_option(argc, argv, &i, o, err, errlen);
            if (rc) {
                free(o->texts);
                o->texts = NULL;
                return rc;
            }
        } else {
            o->texts[o->n_texts++] = argv[i];
        }
    }
    return CLI_OK;
}

int cli_parse_args(int argc, char **argv, CliOptions *o) {
    char err[512];
    int rc = cli_parse(argc, argv, o, err, sizeof err);
    if (rc) cli_error("%s", err);
    return rc;
}

/* Directory of the running binary (Linux /proc; empty elsewhere). */
static void exe_dir(char *buf, size_t n) {
    buf[0] = 0;
    if (n < 2) return;
    ssize_t len = readlink("/proc/self/exe", buf, n - 1);
    if (len <= 0) {
        buf[0] = 0;
        return;
    }
    buf[len] = 0;
    char *slash = strrchr(buf, '/');
    if (slash) *slash = 0;
    else buf[0] = 0;
}

const char *cli_model_path(const CliOptions *o, char *buf, size_t n, char *err, size_t errlen) {
    if (o->model) return o->model;
    const char *env = getenv("ANUVAD_MODEL");
    if (env && *env) return env;
    char dir[PATH_MAX];
    exe_dir(dir, sizeof dir);
    /* Next to the binary (the source tree), the current directory, the install layout
     * relative to the binary (PREFIX/bin -> PREFIX/share/anuvad, so an installed tree can be
     * moved), then the PREFIX the objects were compiled for. */
    char tried[4][PATH_MAX + 32];
    const char *d = dir[0] ? dir : ".";
    snprintf(tried[0], sizeof tried[0], "%s/models/" DEFAULT_MODEL, d);
    snprintf(tried[1], sizeof tried[1], "models/" DEFAULT_MODEL);
    snprintf(tried[2], sizeof tried[2], "%s/../share/anuvad/" DEFAULT_MODEL, d);
    snprintf(tried[3], sizeof tried[3], ANUVAD_DATADIR "/" DEFAULT_MODEL);
    for (int i = 0; i < 4; i++)
        if (access(tried[i], R_OK) == 0) {
            snprintf(buf, n, "%s", tried[i]);
            return buf;
        }
    snprintf(err, errlen,
             "no model found (tried %s, %s, %s, %s); use -m FILE or set "
             "ANUVAD_MODEL",
             tried[0], tried[1], tried[2], tried[3]);
    return NULL;
}
