/* anuvad tokenize [-m MODEL] [--side source|target] [--ids] [--spm FILE.model] [TEXT ...]
 * each TEXT, or else each stdin line -> one line of space-separated pieces (a trailing CR is
 * dropped, as the translate loop does). With --ids: ids instead of pieces, the model vocabulary's
 * (pieces looked up by string in tokenizer.vocab, unknown -> anuvad.token.unk), or with --spm
 * the .model file's own ids. Exit 0, 1 on bad usage, 2 on a bad model or a line that fails. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gguf.h"
#include "marian_text.h"
#include "spm.h"

typedef struct {
    const char *model, *spm_path, *side;
    int ids, help;
    char **texts;   /* TEXT arguments (malloc'd list of argv pointers), as translation takes */
    int n_texts;
} TokOptions;

/* tokenizer.vocab as a hash table: piece string -> model id. */
typedef struct {
    const GgufStr *vocab;
    int32_t *slots;  /* vocab index or -1 */
    size_t mask;
    int unk;
} Vocab;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
    return h;
}

/* The first occurrence of a duplicated piece keeps its id. */
static int vocab_build(Vocab *v, const GgufStr *vocab, size_t n, int unk)
{
    size_t cap = 16;
    while (cap < 2 * n) {
        if (cap > SIZE_MAX / 4 / sizeof(int32_t))
            return -1;
        cap *= 2;
    }
    v->slots = malloc(cap * sizeof *v->slots);
    if (!v->slots)
        return -1;
    memset(v->slots, 0xff, cap * sizeof *v->slots);
    v->mask = cap - 1;
    v->vocab = vocab;
    v->unk = unk;
    for (size_t i = 0; i < n && i < INT32_MAX; i++) {
        size_t h = (size_t)hash_bytes(vocab[i].s, vocab[i].len) & v->mask;
        for (;; h = (h + 1) & v->mask) {
            int32_t k = v->slots[h];
            if (k < 0) {
                v->slots[h] = (int32_t)i;
                break;
            }
            if (vocab[k].len == vocab[i].len && memcmp(vocab[k].s, vocab[i].s, vocab[i].len) == 0)
                break;
        }
    }
    return 0;
}

static int vocab_id(const Vocab *v, const char *s)
{
    size_t n = strlen(s);
    for (size_t h = (size_t)hash_bytes(s, n) & v->mask;; h = (h + 1) & v->mask) {
        int32_t k = v->slots[h];
        if (k < 0)
            return v->unk;
        if (v->vocab[k].len == n && memcmp(v->vocab[k].s, s, n) == 0)
            return k;
    }
}

static void usage(FILE *f)
{
    fprintf(f, "usage: anuvad tokenize [-m MODEL] [--side source|target] [--ids] "
               "[--spm FILE.model] [TEXT ...]\n"
               "  each TEXT (else each stdin line) -> one line of space-separated pieces (or ids)\n"
               "  -m, --model FILE   GGUF model with tokenizer.{source,target}.spm "
               "(default: as translation)\n"
               "  --side S           source (default) or target tokenizer\n"
               "  --ids              model vocabulary ids (with --spm: the .model's ids)\n"
               "  --spm FILE         a bare SentencePiece .model instead of the GGUF's\n");
}

static int parse(int argc, char **argv, TokOptions *o)
{
    memset(o, 0, sizeof *o);
    o->side = "source";
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
        else if (name_len == 6 && strncmp(a, "--side", 6) == 0)
            dst = &o->side;
        else if (name_len == 5 && strncmp(a, "--spm", 5) == 0)
            dst = &o->spm_path;
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
    if (o->spm_path && o->model) {
        cli_error("tokenize: give -m or --spm, not both");
        return CLI_USAGE;
    }
    return CLI_OK;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *b = malloc(cap);
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = cap <= SIZE_MAX / 2 ? realloc(b, cap * 2) : NULL;
            if (!nb) {
                free(b);
                b = NULL;
            }
            b = nb;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = n;
    return b;
}

/* One line of pieces (or ids) for n bytes of text; CLI_OK or CLI_BAD. */
static int encode_line(const SpmModel *sp, const Vocab *vocab, int ids, int marian,
                       const char *text, size_t n)
{
    char err[256];
    SpmPieces p;
    if ((marian ? marian_encode : spm_encode)(sp, text, n, &p, err, sizeof err) != 0) {
        cli_error("tokenize: %s", err);
        putchar('\n'); /* still one output line per input line */
        return CLI_BAD;
    }
    for (int i = 0; i < p.n; i++) {
        if (i)
            putchar(' ');
        if (!ids)
            fputs(p.pieces[i], stdout);
        else
            printf("%d", vocab ? vocab_id(vocab, p.pieces[i]) : p.ids[i]);
    }
    putchar('\n');
    spm_pieces_free(&p);
    return CLI_OK;
}

/* Encodes each TEXT argument, or else each stdin line; returns the exit code. */
static int run(const SpmModel *sp, const Vocab *vocab, const TokOptions *o, int marian)
{
    CliLine l = {0};
    long nl = 0;
    int got = 0, rc = CLI_OK;
    for (int i = 0; i < o->n_texts; i++)
        if (encode_line(sp, vocab, o->ids, marian, o->texts[i], strlen(o->texts[i])) != CLI_OK)
            rc = CLI_BAD;
    /* No byte limit: the pieces of a cut line would be wrong, not short. */
    while (!o->n_texts && (got = cli_read_line(stdin, &l, SIZE_MAX)) > 0) {
        nl++;
        if (encode_line(sp, vocab, o->ids, marian, l.buf, l.len) != CLI_OK)
            rc = CLI_BAD;
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

static int from_spm_file(const TokOptions *o)
{
    size_t len;
    char err[256];
    char *data = read_file(o->spm_path, &len);
    if (!data) {
        cli_error("tokenize: cannot read %s", o->spm_path);
        return CLI_BAD;
    }
    SpmModel *sp = spm_load(data, len, err, sizeof err);
    free(data);
    if (!sp) {
        cli_error("tokenize: %s: %s", o->spm_path, err);
        return CLI_BAD;
    }
    int rc = run(sp, NULL, o, 0);
    spm_free(sp);
    return rc;
}

static int from_gguf(const TokOptions *o)
{
    CliOptions co;
    memset(&co, 0, sizeof co);
    co.model = o->model;
    char buf[4096], err[256], key[64];
    const char *path = cli_model_path(&co, buf, sizeof buf, err, sizeof err);
    if (!path) {
        cli_error("tokenize: %s", err);
        return CLI_BAD;
    }
    Gguf g;
    if (gguf_open(&g, path, err, sizeof err) != ANUVAD_OK) {
        cli_error("tokenize: %s: %s", path, err);
        return CLI_BAD;
    }
    int rc = CLI_BAD;
    SpmModel *sp = NULL;
    GgufStr *vocab_strs = NULL;
    Vocab vocab = {0};
    const uint8_t *bytes;
    size_t n;
    snprintf(key, sizeof key, "tokenizer.%s.spm", o->side);
    if (gguf_get_bytes(&g, key, &bytes, &n, err, sizeof err) != ANUVAD_OK) {
        cli_error("tokenize: %s: %s", path, err);
        goto done;
    }
    if (!(sp = spm_load(bytes, n, err, sizeof err))) {
        cli_error("tokenize: %s: %s: %s", path, key, err);
        goto done;
    }
    if (o->ids) {
        /* Separate vocabularies (docs/format.md): each side has its own list and <unk>. */
        int target = strcmp(o->side, "target") == 0;
        const char *vkey = target && gguf_find_kv(&g, "tokenizer.target_vocab")
                               ? "tokenizer.target_vocab" : "tokenizer.vocab";
        const char *ukey = !target && gguf_find_kv(&g, "anuvad.source_token.unk")
                               ? "anuvad.source_token.unk" : "anuvad.token.unk";
        uint32_t unk;
        size_t nv;
        if (gguf_get_str_array(&g, vkey, &vocab_strs, &nv, err, sizeof err) != ANUVAD_OK ||
            gguf_get_u32(&g, ukey, &unk, err, sizeof err) != ANUVAD_OK) {
            cli_error("tokenize: %s: %s", path, err);
            goto done;
        }
        if (vocab_build(&vocab, vocab_strs, nv, (int)unk) < 0) {
            cli_error("tokenize: out of memory");
            goto done;
        }
    }
    int marian = 0;   /* an absent key: plain SentencePiece */
    if (gguf_find_kv(&g, "anuvad.tokenizer.marian") &&
        gguf_get_bool(&g, "anuvad.tokenizer.marian", &marian, err, sizeof err) != ANUVAD_OK) {
        cli_error("tokenize: %s: %s", path, err);
        goto done;
    }
    rc = run(sp, o->ids ? &vocab : NULL, o, marian);
done:
    free(vocab.slots);
    free(vocab_strs);
    spm_free(sp);
    gguf_close(&g);
    return rc;
}

int cli_tokenize(int argc, char **argv)
{
    TokOptions o;
    int rc = parse(argc, argv, &o);
    if (rc == CLI_OK && o.help)
        usage(stdout);
    else if (rc == CLI_OK)
        rc = o.spm_path ? from_spm_file(&o) : from_gguf(&o);
    free(o.texts);
    return rc;
}
