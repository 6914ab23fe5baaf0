/* anuvad tokenize [-m MODEL] [--side source|target] [--ids] [--spm FILE.model]
 * [--max-line-bytes N] [TEXT ...]
 * each TEXT, or else each stdin line -> one line of space-separated pieces (a trailing CR is
 * dropped, as the translate loop does). A stdin line longer than --max-line-bytes is cut, with
 * a warning, as translation cuts it: memory is bounded by the limit, not by the line. With --ids: ids instead of pieces, the model's (pieces
 * looked up by string in that side's vocabulary, unknown -> its <unk>; a Marian model's text
 * goes by MarianTokenizer's rules), or with --spm the .model file's own ids. Exit 0, 1 on bad
 * usage, 2 on a bad model or a line that fails. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
    const char *model, *spm_path, *side;
    int ids, help;
    CliOptions cli; /* the options shared with translation: max_line_bytes */
    char **texts;   /* TEXT arguments (malloc'd list of argv pointers), as translation takes */
    int n_texts;
} TokOptions;

static void usage(FILE *f) {
    fprintf(f,
            "usage: anuvad tokenize [-m MODEL] [--side source|target] [--ids] "
            "[--spm FILE.model] [TEXT ...]\n"
            "  each TEXT (else each stdin line) -> one line of space-separated pieces (or ids)\n"
            "  -m, --model FILE   GGUF model with tokenizer.{source,target}.spm "
            "(default: as translation)\n"
            "  --side S           source (default) or target tokenizer\n"
            "  --ids              model vocabulary ids (with --spm: the .model's ids)\n"
            "  --spm FILE         a bare SentencePiece .model instead of the GGUF's\n"
            "  --max-line-bytes N cut stdin lines longer than N bytes, with a warning "
            "(default %d)\n",
            CLI_MAX_LINE_BYTES);
}

static int parse(int argc, char **argv, TokOptions *o) {
    memset(o, 0, sizeof *o);
    o->side = "source";
    const char *max_line = NULL;
    if (!(o->texts = calloc((size_t)argc + 1, sizeof *o->texts))) {
        cli_error("tokenize: out of memory");
        return CLI_BAD;
    }
    int only_texts = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_texts || a[0] != '-' || !a[1]) {
            o->texts[o->n_texts++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_texts = 1;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t name_len = eq && strncmp(a, "--", 2) == 0 ? (size_t)(eq - a) : strlen(a);
        const char **dst = NULL;
        if (strcmp(a, "--ids") == 0) {
            o->ids = 1;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            o->help = 1;
            continue;
        }
        if (strcmp(a, "-m") == 0 || (name_len == 7 && strncmp(a, "--model", 7) == 0))
            dst = &o->model;
        else if (name_len == 6 && strncmp(a, "--side", 6) == 0) dst = &o->side;
        else if (name_len == 5 && strncmp(a, "--spm", 5) == 0) dst = &o->spm_path;
        else if (name_len == 16 && strncmp(a, "--max-line-bytes", 16) == 0) dst = &max_line;
        if (!dst) {
            cli_error("tokenize: unknown option %s (see anuvad tokenize --help)", a);
            return CLI_USAGE;
        }
        if (a[name_len] == '=') {
            *dst = a + name_len + 1;
        } else if (i + 1 < argc) {
            *dst = argv[++i];
        } else {
            cli_error("tokenize: %s needs a value", a);
            return CLI_USAGE;
        }
    }
    if (strcmp(o->side, "source") != 0 && strcmp(o->side, "target") != 0) {
        cli_error("tokenize: --side must be source or target, not \"%s\"", o->side);
        return CLI_USAGE;
    }
    char err[256];
    if (max_line && cli_set_option("--max-line-bytes", max_line, &o->cli, err, sizeof err)) {
        cli_error("tokenize: %s", err);
        return CLI_USAGE;
    }
    if (o->spm_path && o->model) {
        cli_error("tokenize: give -m or --spm, not both");
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* One line of pieces (or ids) for n bytes of text; CLI_OK or CLI_BAD. */
static int encode_line(const AnuvadTokenizer *t, int ids, const char *text, size_t n) {
    char err[256];
    AnuvadTokens p;
    if (anuvad_tokenize(t, text, n, &p, err, sizeof err) != ANUVAD_OK) {
        cli_error("tokenize: %s", err);
        putchar('\n'); /* still one output line per input line */
        return CLI_BAD;
    }
    for (int i = 0; i < p.n; i++) {
        if (i) putchar(' ');
        if (!ids) fputs(p.pieces[i], stdout);
        else printf("%d", p.ids[i]);
    }
    putchar('\n');
    anuvad_tokens_free(&p);
    return CLI_OK;
}

/* Encodes each TEXT argument, or else each stdin line; returns the exit code. */
static int run(const AnuvadTokenizer *t, const TokOptions *o) {
    CliLine l = {0};
    long nl = 0;
    int got = 0, rc = CLI_OK;
    for (int i = 0; i < o->n_texts; i++)
        if (encode_line(t, o->ids, o->texts[i], strlen(o->texts[i])) != CLI_OK) rc = CLI_BAD;
    /* The reader keeps at most the limit (plus a character), so an endless line costs no
     * more memory than a long one; its last piece may differ from the whole line's. */
    while (!o->n_texts && (got = cli_read_line(stdin, &l, cli_max_line(&o->cli))) > 0) {
        char note[256];
        nl++;
        if (cli_cut_note(&o->cli, &l, note, sizeof note))
            cli_warn(&o->cli, "tokenize: line %ld: %s", nl, note);
        if (encode_line(t, o->ids, l.buf, l.len) != CLI_OK) rc = CLI_BAD;
    }
    if (got < 0) {
        cli_error("tokenize: line %ld: cannot read the input: %s", nl + 1, strerror(errno));
        rc = CLI_BAD;
    }
    cli_line_free(&l);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("tokenize: cannot write the output");
        rc = CLI_BAD;
    }
    return rc;
}

static int from_spm_file(const TokOptions *o) {
    char err[512];
    AnuvadTokenizer *t = anuvad_tokenizer_load(o->spm_path, NULL, err, sizeof err);
    if (!t) {
        cli_error("tokenize: %s", err);
        return CLI_BAD;
    }
    int rc = run(t, o);
    anuvad_tokenizer_free(t);
    return rc;
}

static int from_model(const TokOptions *o) {
    CliOptions co;
    memset(&co, 0, sizeof co);
    co.model = o->model;
    char buf[4096], err[1024];
    const char *path = cli_model_path(&co, buf, sizeof buf, err, sizeof err);
    if (!path) {
        cli_error("tokenize: %s", err);
        return CLI_BAD;
    }
    AnuvadModel *m = anuvad_load(path, 1, NULL, err, sizeof err);
    if (!m) {
        cli_error("tokenize: %s", err);
        return CLI_BAD;
    }
    AnuvadSide side = strcmp(o->side, "target") == 0 ? ANUVAD_TARGET : ANUVAD_SOURCE;
    int rc = run(anuvad_tokenizer(m, side), o);
    anuvad_free(m);
    return rc;
}

int cli_tokenize(int argc, char **argv) {
    TokOptions o;
    int rc = parse(argc, argv, &o);
    if (rc == CLI_OK && o.help) usage(stdout);
    else if (rc == CLI_OK) rc = o.spm_path ? from_spm_file(&o) : from_model(&o);
    free(o.texts);
    return rc;
}
