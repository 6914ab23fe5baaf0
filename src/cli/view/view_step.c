/* `anuvad step [options] TEXT`: watch one translation being made, one token at a time.
 *
 * Every screen shows one decoding step: the source, the tokens generated so far, the top
 * candidates for the next token, where this step looks in the source (cross-attention) and in
 * its own output (masked self-attention). The view keeps the list of tokens chosen so far;
 * "back" just shows an earlier recorded step, and "force candidate k" re-runs the whole
 * translation with the chosen prefix forced (AnuvadOptions.forced) — a short sentence
 * re-decodes in milliseconds, so no decoder state has to be rewound. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "view_screen.h"
#include "view_term.h"

#define TOP_K 9     /* keys 1-9 force candidate k */
#define PLAY_MS 250 /* a: one step every PLAY_MS */

/* ---------- decoding ---------- */

/* One translation with `on_step` watching: *out gets the text, err the error (or the first
 * warning on success, empty if none). */
static int translate(StepView *v, AnuvadStepFn on_step, void *user, char **out, char *err,
                     size_t errlen) {
    AnuvadOptions o = v->opt;
    o.on_step = on_step;
    o.step_user = user;
    AnuvadResult r;
    int rc = anuvad_translate(v->m, v->text, &o, &r);
    const char *msg = rc ? r.error : r.n_warnings ? r.warnings[0] : "";
    snprintf(err, errlen, "%s", msg);
    if (!rc) {
        *out = r.hypotheses[0].text;
        r.hypotheses[0].text = NULL;
    }
    anuvad_result_free(&r);
    return rc;
}

static int decode(StepView *v) {
    view_record_clear(&v->rec);
    free(v->translation);
    v->translation = NULL;
    v->opt.forced = v->chosen;
    v->opt.n_forced = v->n_chosen;
    int rc = translate(v, view_record_step, &v->rec, &v->translation, v->err, sizeof v->err);
    if (!rc && v->rec.oom) {
        snprintf(v->err, sizeof v->err, "out of memory");
        return -1;
    }
    return rc;
}

/* Force candidate k (1-based) at the current step and decode again from there. */
/* With beam search the forced prefix is the selected hypothesis' tokens, then the candidate:
 * the search starts again from it as its one live hypothesis (docs/explain.md). */
static int force(StepView *v, int k) {
    if (v->cur >= v->rec.n_steps || k > view_shown(v)->steps[v->cur].n_top) return 0;
    if (view_beam_force(v, k) || decode(v)) return -1;
    v->cur++;
    v->sel = -1;
    return 0;
}

/* ---------- driving it ---------- */

static int plain(StepView *v) {
    VBuf b = {0};
    int rc = 0;
    for (v->cur = 0; !rc && v->cur <= v->rec.n_steps; v->cur++) {
        rc = view_render(v, &b);
        if (!rc && (fwrite(b.p, 1, b.n, stdout) != b.n || fputs("\n", stdout) == EOF)) rc = 1;
    }
    vb_free(&b);
    fflush(stdout);
    return rc;
}

static const char KEYS[] = "Enter/space next · b back · 1-9 force candidate · l layer · "
                           "h head · n norms · w words/pieces · a play · s hypothesis (--beam) · "
                           "? help · q quit";
/* The key line must not wrap, or the screen scrolls: the longest one that fits is shown. */
static const char *const KEY_LINES[] = {
    KEYS,
    "Enter next · b back · 1-9 force · l layer · h head · n norms · w words · ? help · q quit",
    "Enter next  b back  1-9 force  l layer  h head  n norms  w words  ? help  q quit",
    "Enter next  b back  1-9 force  l/h layer/head  n norms  ? help  q quit",
    "Enter b 1-9 l h n w a ? q",
};

/* The header line (the screen's first), then the lines [1 + scroll, ...) of the rest that
 * fit, then the key line: the header, which says what is shown, and the keys stay on screen
 * when a long sentence's tables are taller than the terminal. Every line is cut to the
 * width, so none wraps and the terminal never scrolls. */
static void show(StepView *v, const VBuf *b) {
    int lines = 0, room = v->rows - 2;
    for (size_t i = 0; i < b->n; i++) lines += b->p[i] == '\n';
    lines--; /* the header is always shown */
    if (v->scroll > lines - room) v->scroll = lines - room;
    if (v->scroll < 0) v->scroll = 0;
    const char *p = b->p ? b->p : "", *body = strchr(p, '\n');
    body = body ? body + 1 : p + strlen(p);
    const char *start = body, *end;
    for (int k = 0; k < v->scroll && (p = strchr(start, '\n')); k++) start = p + 1;
    end = start;
    for (int k = 0; k < room && *end; k++) {
        const char *e = strchr(end, '\n');
        end = e ? e + 1 : end + strlen(end);
    }
    VBuf s = {0};
    const char *head = b->p ? b->p : "";
    view_clip_lines(v, &s, head, (size_t)(body - head));
    view_clip_lines(v, &s, start, (size_t)(end - start));
    const char *more = lines > room ? " · j/k more" : "";
    const char *keys = KEY_LINES[3];
    for (size_t k = 0; k < sizeof KEY_LINES / sizeof *KEY_LINES; k++)
        if (view_width(KEY_LINES[k]) + view_width(more) <= v->cols - 1) {
            keys = KEY_LINES[k];
            break;
        }
    vb_printf(&s, "%s%s%s%s", DIM(v), keys, more, RESET(v));
    if (!s.oom) term_show(s.p, s.n);
    vb_free(&s);
}

static int interactive(StepView *v) {
    if (term_start()) return -1;
    VBuf b = {0};
    int rc = 0, playing = 0;
    for (;;) {
        v->cols = term_columns();
        v->rows = term_rows();
        if (v->help ? view_render_help(v, &b) : view_render(v, &b)) {
            rc = -1;
            break;
        }
        show(v, &b);
        if (playing && v->cur >= v->rec.n_steps) playing = 0;
        int key = term_key(playing ? PLAY_MS : -1);
        if (key == TERM_KEY_NONE && playing) key = TERM_KEY_NEXT;
        else if (key != TERM_KEY_NONE) playing = 0;
        if (key == 'q' || key == TERM_KEY_EOF || key == 3) break;
        if (v->help || key == '?') { /* any key leaves the help screen */
            v->help = !v->help;
            v->scroll = 0;
            continue;
        }
        int at = v->cur;
        if (key == TERM_KEY_NEXT && v->cur < v->rec.n_steps) v->cur++;
        else if ((key == TERM_KEY_BACK || key == 'b') && v->cur > 0) v->cur--;
        else if (key == 'j' || key == TERM_KEY_DOWN) v->scroll += v->rows / 2;
        else if (key == 'k' || key == TERM_KEY_UP) v->scroll -= v->rows / 2;
        else if (key == 'a') playing = 1;
        else if (key == 's' && v->cur < v->rec.n_steps && view_beam_select(v)) {
            rc = -1;
            break;
        }
        else if (key == 'w') v->words = !v->words;
        else if (key == 'n') v->norm = !v->norm;
        else if (key == 'l') v->layer = v->layer + 1 >= v->rec.n_layers ? VIEW_MEAN : v->layer + 1;
        else if (key == 'h') v->head = v->head + 1 >= v->rec.n_heads ? VIEW_MEAN : v->head + 1;
        else if (key >= '1' && key <= '9' && force(v, key - '0')) {
            rc = -1;
            break;
        }
        if (v->cur != at) v->scroll = 0, v->sel = -1;
    }
    term_restore();
    vb_free(&b);
    return rc;
}

/* --trace / --attn-svg / --align in step mode: the decoding the view ended on, forced
 * tokens included, decoded once more for the observers. */
static int write_outputs(StepView *v, CliOptions *o) {
    if (!o->trace_path && !o->attn_svg_path && !o->align && !o->html_path) return 0;
    char err[512];
    int rc = cli_attach_observers(o, err, sizeof err);
    if (rc) {
        cli_error("%s", err);
        return rc;
    }
    char *out = NULL;
    CliObserver *w = &o->watch;
    if (w->begin) w->begin(w->self, v->text);
    int bad = translate(v, w->on_step, w->self, &out, err, sizeof err) != 0;
    if (bad) cli_error("%s", err);
    if (w->end && w->end(w->self, v->text, bad ? NULL : out, stdout)) bad = 1;
    if (w->finish && w->finish(w->self, err, sizeof err)) {
        cli_error("%s", err);
        bad = 1;
    }
    free(out);
    return bad ? CLI_BAD : CLI_OK;
}

/* TEXT is the one argument, or the first line of stdin (cut to --max-line-bytes). NULL when
 * out of memory, or after a message when stdin cannot be read. */
static char *step_text(const CliOptions *o, int *read_failed) {
    VBuf b = {0};
    if (o->n_texts) vb_puts(&b, o->texts[0]);
    if (!o->n_texts && !isatty(0)) {
        CliLine line = {0};
        int got = cli_read_line(stdin, &line, cli_max_line(o));
        if (got < 0) {
            cli_error("step: line 1: cannot read the input: %s", strerror(errno));
            *read_failed = 1;
            b.oom = 1;
        } else if (got > 0) {
            char note[256];
            if (cli_cut_note(o, &line, note, sizeof note)) cli_warn(o, "line 1: %s", note);
            vb_puts(&b, line.buf);
        }
        cli_line_free(&line);
    }
    if (b.oom) vb_free(&b);
    return b.p;
}

int cli_step(int argc, char **argv) {
    CliOptions o;
    char err[1024], buf[4096];
    int rc = cli_parse_args(argc, argv, &o);
    if (rc) return rc;
    if (o.help) {
        printf(
            "usage: anuvad step [-m MODEL] [-t N] [--max-len N] [--beam N [--length-penalty A]\n"
            "       [--early-stopping]] [--trace FILE] [--attn-svg FILE] [--html FILE] [--align] "
            "TEXT\n"
            "Step through one translation. On a terminal: %s.\n"
            "Otherwise every step is printed as plain text. --trace, --attn-svg, --html and --align\n"
            "describe the translation as it stands when you quit (forced tokens included).\n"
            "With --beam, each step lists the live hypotheses; s selects one to see its\n"
            "candidates and attention, and forcing a candidate extends the selected one.\n",
            KEYS);
        free(o.texts);
        return CLI_OK;
    }
    /* Translation takes one sentence per argument; joining them here would step through a
     * sentence nobody typed, and stepping through several is not what one view is for. */
    if (o.n_texts > 1) {
        cli_error("step: one sentence at a time, got %d arguments; quote it: anuvad step "
                  "\"we are friends\"",
                  o.n_texts);
        free(o.texts);
        return CLI_USAGE;
    }
    StepView v = {0};
    int read_failed = 0;
    char *text = step_text(&o, &read_failed);
    const char *path = cli_model_path(&o, buf, sizeof buf, err, sizeof err);
    rc = CLI_BAD;
    if (read_failed) goto out;
    if (!text || !text[strspn(text, " \t")]) {
        cli_error("step: give the sentence to translate (anuvad step \"we are friends\")");
        rc = CLI_USAGE;
        goto out;
    }
    if (!path) {
        cli_error("%s", err);
        goto out;
    }
    anuvad_options_default(&v.opt);
    v.opt.max_len = o.max_len;
    v.opt.top_k = TOP_K;
    v.opt.beam_size = o.beam > 1 ? o.beam : 1;
    v.opt.length_penalty = o.length_penalty;
    v.opt.early_stopping = o.early_stopping;
    v.sel = -1;
    int status;
    if (!(v.m = anuvad_load(path, o.threads, &status, err, sizeof err))) {
        cli_error("%s", err);
        rc = status == ANUVAD_ERR_USAGE ? CLI_USAGE : CLI_BAD;
        goto out;
    }
    v.text = text;
    if (decode(&v)) {
        cli_error("%s", v.err);
        goto out;
    }
    if (v.err[0]) cli_warn(&o, "%s", v.err);
    if (v.rec.n_steps == 0) { /* the tokenizer kept nothing (control characters only) */
        cli_error("step: nothing to translate: the source has no pieces");
        rc = CLI_USAGE;
        goto out;
    }
    v.layer = VIEW_MEAN; /* the default view: what --align reads, mean of layers and heads */
    v.head = VIEW_MEAN;
    const char *nc = getenv("NO_COLOR");
    v.color = isatty(1) && !nc;
    v.cols = isatty(1) ? term_columns() : 120;
    int tty = isatty(0) && isatty(1);
    errno = 0;
    rc = (tty ? interactive(&v) : plain(&v)) ? CLI_BAD : CLI_OK;
    if (rc && errno == EPIPE) rc = CLI_OK; /* the reader went away (| head): not an error */
    else if (rc) cli_error("step: %s", v.err[0] ? v.err : "out of memory or output error");
    if (!rc) rc = write_outputs(&v, &o);
out:
    view_record_clear(&v.rec);
    view_record_clear(&v.alt);
    free(v.translation);
    free(v.chosen);
    if (v.m) anuvad_free(v.m);
    free(text);
    free(o.texts);
    return rc;
}
