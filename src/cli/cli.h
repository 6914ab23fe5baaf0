/* The command line (DESIGN.md "The command line"). main.c dispatches subcommands and runs the
 * translate loop; options.c parses options from a table; info.c prints the model card.
 *
 * Extending it: an option is one row in cli_option_specs[] (options.c) writing into a field
 * of CliOptions; the per-step consumer (JSON trace, SVG heatmap, alignments) is the CliObserver
 * that cli_attach_observers() sets from the parsed options. */
#ifndef ANUVAD_CLI_H
#define ANUVAD_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "anuvad.h"

/* Longer input lines are cut to this many bytes (--max-line-bytes), so memory per line is
 * bounded whatever the input holds. */
#define CLI_MAX_LINE_BYTES 65536

/* Exit codes (DESIGN.md). */
enum { CLI_OK = 0, CLI_USAGE = 1, CLI_BAD = 2 };

/* What watches each translation. Every hook may be NULL (all are when nothing watches). */
typedef struct {
    void *self;
    /* Before a sentence is translated. Non-zero = error (exit 2). */
    int (*begin)(void *self, const char *text);
    AnuvadStepFn on_step;
    /* After a sentence: `translation` is NULL if it failed. May print to `out` (stdout),
     * e.g. alignments after the translation line. Non-zero = error (exit 2). */
    int (*end)(void *self, const char *text, const char *translation, FILE *out);
    /* Once at exit: write files, free self. Non-zero = error (exit 2). */
    int (*finish)(void *self, char *err, size_t errlen);
} CliObserver;

typedef struct {
    const char *model;  /* -m; NULL: cli_default_model */
    int threads;        /* -t; 0: number of cores */
    int batch_size;     /* --batch-size; 0: one sentence at a time */
    int max_len;        /* --max-len; 0: the model's default */
    int quiet;          /* -q: no warnings */
    int max_line_bytes; /* --max-line-bytes; 0: CLI_MAX_LINE_BYTES */
    int help, version;
    /* Step-view outputs (issue 5): parsed here, consumed by cli_attach_observers. */
    const char *trace_path;    /* --trace FILE */
    const char *attn_svg_path; /* --attn-svg FILE */
    const char *html_path;     /* --html FILE */
    int align;                 /* --align */
    int beam;                  /* --beam; 0: 1 (greedy) */
    float length_penalty;      /* --length-penalty (1.0 unless given) */
    int early_stopping;        /* --early-stopping */
    int n_best;                /* --n-best K; 0: plain output */
    const char *n_best_format; /* --n-best-format marian|tsv */
    int scores;                /* --scores */
    int tokens;                /* score --tokens */
    char **texts;              /* positional arguments */
    int n_texts;
    CliObserver watch; /* --trace, --attn-svg, --align (view_observers.c) */
    const char *argv0;
} CliOptions;

enum { CLI_FLAG, CLI_INT, CLI_STRING, CLI_FLOAT };

typedef struct {
    const char *long_name;  /* "--threads" */
    char short_name;        /* 't' or 0 */
    int kind;               /* CLI_FLAG | CLI_INT | CLI_STRING | CLI_FLOAT */
    size_t offset;          /* field in CliOptions */
    int min, max;           /* CLI_INT and CLI_FLOAT range */
    const char *arg, *help; /* for --help */
} CliOptSpec;

extern const CliOptSpec cli_option_specs[];

/* argv[0] is the program (or subcommand) name. CLI_OK, and the caller frees o->texts; or
 * CLI_USAGE (CLI_BAD: out of memory) with a message in err and nothing to free. */
int cli_parse(int argc, char **argv, CliOptions *o, char *err, size_t errlen);
/* One option of the table by its long name, for a subcommand with a parser of its own that
 * shares it (tokenize's --max-line-bytes): the same range and message. CLI_OK or CLI_USAGE. */
int cli_set_option(const char *long_name, const char *value, CliOptions *o, char *err,
                   size_t errlen);
/* cli_parse with its message printed (cli_error) when it fails. */
int cli_parse_args(int argc, char **argv, CliOptions *o);
/* The index in argv of a subcommand (one of the NULL-terminated names) when it is the first
 * argument that is not an option or an option's value, so "anuvad -m X step TEXT" works as
 * "anuvad step -m X TEXT"; 0 if there is none ("--" first: "anuvad -- step" translates it).*/
int cli_find_subcommand(int argc, char **argv, const char *const *names);
void cli_usage(FILE *f);
/* The model path to use: -m, else $ANUVAD_MODEL, else models/en-hi.gguf next to the binary,
 * else in the current directory, else the installed PREFIX/share/anuvad/en-hi.gguf (found
 * relative to the binary, then at the compiled-in ANUVAD_DATADIR). NULL (and a message
 * listing what was tried) if none exists. */
const char *cli_model_path(const CliOptions *o, char *buf, size_t n, char *err, size_t errlen);

/* Prints the one-line error "anuvad: msg" to stderr. */
void cli_error(const char *fmt, ...);
void cli_warn(const CliOptions *o, const char *fmt, ...);

int cli_info(int argc, char **argv);
/* The other front ends: `anuvad tokenize ...` (tokenize.c), `anuvad step ...` (view_step.c),
 * and the observer for --trace / --attn-svg / --align (view_observers.c). argv[0] is the
 * subcommand name; they return an exit code. `anuvad quantize IN OUT` (quantize.c). */
int cli_tokenize(int argc, char **argv);
int cli_step(int argc, char **argv);
/* `anuvad score ...` (score.c). */
int cli_score(int argc, char **argv);
int cli_quantize(int argc, char **argv);
int cli_attach_observers(CliOptions *o, char *err, size_t errlen);

/* Writes one line to stdout and flushes it (options.c). 0, or the errno when stdout fails. */
int cli_emit(const char *line);
/* readline.c: one input line. buf holds len bytes plus a terminating 0, without the line
 * ending (LF, CR LF); a line longer than max bytes is cut to at most max bytes on a UTF-8
 * character boundary and full_len says how long it was. Memory stays O(max) whatever the
 * line's length. Returns 1 (a line), 0 (the end of the input) or -1 (a read error or out of
 * memory: errno says which; the lines before it were complete). */
typedef struct {
    char *buf;
    size_t cap, len, full_len;
} CliLine;
int cli_read_line(FILE *f, CliLine *l, size_t max);
void cli_line_free(CliLine *l);
/* The byte limit from the options. */
size_t cli_max_line(const CliOptions *o);
/* For a line that was cut: the warning into note[n] ("N bytes, longer than ..."), 1; else 0. */
int cli_cut_note(const CliOptions *o, const CliLine *l, char *note, size_t n);

#endif
