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

#include "cli.h"
#include "view.h"
#include "view_term.h"

#define TOP_K 9        /* keys 1-9 force candidate k */
#define PLAY_MS 250    /* a: one step every PLAY_MS */

typedef struct {
    AnuvadModel *m;
    AnuvadOptions opt;
    const char *text;
    ViewRecord rec;
    char *translation;
    char err[512];
    int *chosen;        /* the forced prefix of the current decoding */
    int n_chosen;
    int cur;            /* the step on screen; rec.n_steps = the final tables */
    int layer, head;    /* attention shown: layer 0..L-1, head VIEW_MEAN or 0..H-1 */
    int words;          /* w: whitespace words instead of pieces */
    int color;
    int cols, rows;
    int scroll;         /* first line shown when the screen is taller than the terminal */
} StepView;

/* ---------- text styles ---------- */

static const char *sty(const StepView *v, const char *code) {
    return v->color ? code : "";
}
#define BOLD(v) sty(v, "\x1b[1m")
#define DIM(v) sty(v, "\x1b[2m")
#define GREEN(v) sty(v, "\x1b[1;32m")
#define YELLOW(v) sty(v, "\x1b[1;33m")
#define CYAN(v) sty(v, "\x1b[36m")
#define RESET(v) sty(v, "\x1b[0m")

/* ---------- decoding ---------- */

static int decode(StepView *v) {
    view_record_clear(&v->rec);
    free(v->translation);
    v->translation = NULL;
    v->opt.forced = v->chosen;
    v->opt.n_forced = v->n_chosen;
    int rc = anuvad_translate(v->m, v->text, &v->opt, view_record_step, &v->rec,
                              &v->translation, v->err, sizeof v->err);
    if (!rc && v->rec.oom) {
        snprintf(v->err, sizeof v->err, "out of memory");
        return -1;
    }
    return rc;
}

/* Force candidate k (1-based) at the current step and decode again from there. */
static int force(StepView *v, int k) {
    if (v->cur >= v->rec.n_steps || k > v->rec.steps[v->cur].n_top) return 0;
    int *c = realloc(v->chosen, ((size_t)v->cur + 1) * sizeof *c);
    if (!c) return -1;
    v->chosen = c;
    for (int t = 0; t < v->cur; t++) c[t] = v->rec.steps[t].token;
    c[v->cur] = v->rec.steps[v->cur].top[k - 1].id;
    v->n_chosen = v->cur + 1;
    if (decode(v)) return -1;
    v->cur++;
    return 0;
}

/* ---------- grouping (pieces or words) ---------- */

typedef struct {
    int n;          /* groups */
    int *of;        /* [n_items] group of each item */
    char **label;   /* [n] */
} Groups;

static int groups_make(Groups *g, const char *const *items, int n, int words) {
    g->of = malloc(((size_t)n + 1) * sizeof *g->of);
    g->label = calloc((size_t)n + 1, sizeof *g->label);
    if (!g->of || !g->label) return -1;
    if (words) return (g->n = view_group(items, n, g->of, g->label)) < 0 ? -1 : 0;
    g->n = n;
    for (int i = 0; i < n; i++) {
        g->of[i] = i;
        if (!(g->label[i] = strdup(items[i]))) return -1;
    }
    return 0;
}

static void groups_free(Groups *g) {
    view_free_labels(g->label, g->n > 0 ? g->n : 0);
    free(g->of);
    memset(g, 0, sizeof *g);
}

/* out[group] = sum of x over the group's items. */
static void sum_groups(const Groups *g, const float *x, int n, float *out) {
    for (int k = 0; k < g->n; k++) out[k] = 0;
    for (int i = 0; i < n; i++) out[g->of[i]] += x[i];
}

static int source_groups(const StepView *v, Groups *g) {
    return groups_make(g, (const char *const *)v->rec.src_pieces, v->rec.src_len, v->words);
}

/* Decoder inputs 0..n-1 (start piece, then the generated tokens). */
static int prefix_groups(const StepView *v, int n, Groups *g) {
    const char **p = malloc(((size_t)n + 1) * sizeof *p);
    if (!p) return -1;
    for (int i = 0; i < n; i++) p[i] = view_prefix_piece(&v->rec, i);
    int rc = groups_make(g, p, n, v->words);
    free(p);
    return rc;
}

/* ---------- one step ---------- */

static void describe_attention(const StepView *v, char *buf, size_t n) {
    char head[40];
    if (v->head == VIEW_MEAN) snprintf(head, sizeof head, "mean of %d heads", v->rec.n_heads);
    else snprintf(head, sizeof head, "head %d of %d", v->head + 1, v->rec.n_heads);
    snprintf(buf, n, "decoder layer %d of %d%s, %s", v->layer + 1, v->rec.n_layers,
             v->layer == v->rec.n_layers - 1 ? " (last)" : "", head);
}

static void line_of_labels(StepView *v, VBuf *b, const char *name, const Groups *g, int hi) {
    vb_printf(b, "%s%-9s%s", BOLD(v), name, RESET(v));
    for (int k = 0; k < g->n; k++) {
        if (k == hi) vb_printf(b, "%s", GREEN(v));
        vb_printf(b, "%s%s", k ? " " : "", g->label[k]);
        if (k == hi) vb_printf(b, "%s", RESET(v));
    }
    vb_puts(b, "\n");
}

static int label_cols(const Groups *g) {
    int w = 6;
    for (int k = 0; k < g->n; k++)
        if (view_width(g->label[k]) > w) w = view_width(g->label[k]);
    return w > 16 ? 16 : w;
}

/* One "label  0.80 ████" line per group. */
static void weight_rows(StepView *v, VBuf *b, const Groups *g, const float *w, int bar) {
    int lw = label_cols(g);
    for (int k = 0; k < g->n; k++) {
        vb_puts(b, "  ");
        vb_pad(b, g->label[k], lw, 0);
        vb_printf(b, " %.2f %s", (double)w[k], CYAN(v));
        vb_bar(b, w[k], bar);
        vb_printf(b, "%s\n", RESET(v));
    }
}

/* C(हम) = 0.80·e(we) + 0.10·e(are) + ...: the context vector this step reads from the
 * source is the attention-weighted sum of the encoder outputs e(·). */
static void context_line(StepView *v, VBuf *b, const char *piece, const Groups *g,
                         const float *w) {
    char clean[256];
    const char *p = strncmp(piece, "\xe2\x96\x81", 3) == 0 ? piece + 3 : piece;
    snprintf(clean, sizeof clean, "%s", p);
    vb_printf(b, "  %sC(%s)%s = ", BOLD(v), clean, RESET(v));
    float rest = 0;
    int shown = 0;
    for (int k = 0; k < g->n; k++) {
        if (w[k] < 0.005f) {
            rest += w[k];
            continue;
        }
        vb_printf(b, "%s%.2f·e(%s)", shown++ ? " + " : "", (double)w[k], g->label[k]);
    }
    if (rest > 0) vb_printf(b, " + %.2f·(the rest)", (double)rest);
    vb_puts(b, "\n");
}

static void candidates(StepView *v, VBuf *b, const ViewStep *s, int bar) {
    vb_printf(b, "%snext token: the top %d candidates%s %s(press 1-%d to force one)%s\n",
              BOLD(v), s->n_top, RESET(v), DIM(v), s->n_top, RESET(v));
    int lw = 6;
    for (int k = 0; k < s->n_top; k++)
        if (view_width(s->top[k].piece) > lw) lw = view_width(s->top[k].piece);
    if (lw > 16) lw = 16;
    for (int k = 0; k < s->n_top; k++) {
        int is = s->top[k].id == s->token;
        vb_printf(b, "%s%s %d ", is ? GREEN(v) : "", is ? "→" : " ", k + 1);
        vb_pad(b, s->top[k].piece, lw, 0);
        vb_printf(b, " %.3f %s", (double)s->top[k].prob, is ? "" : CYAN(v));
        vb_bar(b, s->top[k].prob, bar);
        vb_printf(b, "%s\n", RESET(v));
    }
    vb_printf(b, "  chosen: %s%s%s  p=%.3f", GREEN(v), s->piece, RESET(v), (double)s->prob);
    if (s->forced) vb_printf(b, "  %s(forced by you)%s", YELLOW(v), RESET(v));
    vb_puts(b, "\n\n");
}

/* Two blocks of lines side by side when the screen is wide enough, else one after the other. */
static void side_by_side(VBuf *b, const VBuf *l, const VBuf *r, int cols) {
    int lw = 0;
    for (const char *p = l->p ? l->p : ""; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int w = view_width_n(p, n);
        if (w > lw) lw = w;
        p += n + (e != NULL);
    }
    if (lw + 4 + 30 > cols) {
        vb_puts(b, l->p ? l->p : "");
        vb_puts(b, "\n");
        vb_puts(b, r->p ? r->p : "");
        return;
    }
    const char *p = l->p ? l->p : "", *q = r->p ? r->p : "";
    while (*p || *q) {
        const char *e = strchr(p, '\n'), *f = strchr(q, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p), m = f ? (size_t)(f - q) : strlen(q);
        vb_put(b, p, n);
        if (m) vb_repeat(b, " ", lw + 4 - view_width_n(p, n));
        vb_put(b, q, m);
        vb_puts(b, "\n");
        p += n + (e != NULL);
        q += m + (f != NULL);
    }
}

static int render_step(StepView *v, VBuf *b) {
    const ViewRecord *r = &v->rec;
    int t = v->cur, rc = -1;
    const ViewStep *s = &r->steps[t];
    char what[128], align[200];
    describe_attention(v, what, sizeof what);
    view_align_describe(r, view_align_default, align, sizeof align);
    Groups src = {0}, pre = {0};
    float *row = malloc(((size_t)r->src_len + (size_t)t + 2) * sizeof *row);
    float *sum = malloc(((size_t)r->src_len + (size_t)t + 2) * sizeof *sum);
    VBuf left = {0}, right = {0};
    if (!row || !sum || source_groups(v, &src) || prefix_groups(v, t + 1, &pre)) goto done;
    int bar = v->cols >= 100 ? 20 : 12;

    vb_printf(b, "%sanuvad step%s · step %d of %d · %s · %s view\n", BOLD(v), RESET(v), t + 1,
              r->n_steps, what, v->words ? "word" : "piece");
    line_of_labels(v, b, "source", &src, -1);
    line_of_labels(v, b, "so far", &pre, -1);
    vb_puts(b, "\n");
    candidates(v, b, s, bar + 10);

    view_cross_row(r, t, v->layer, v->head, row);
    sum_groups(&src, row, r->src_len, sum);
    vb_printf(&left, "%scross-attention%s: where step %d reads the source\n", BOLD(v), RESET(v),
              t + 1);
    weight_rows(v, &left, &src, sum, bar);
    view_self_row(r, t, v->layer, v->head, row);
    float *ssum = sum + src.n;
    sum_groups(&pre, row, t + 1, ssum);
    vb_printf(&right, "%sself-attention%s: where it reads its own output\n", BOLD(v), RESET(v));
    weight_rows(v, &right, &pre, ssum, bar);
    side_by_side(b, &left, &right, v->cols);

    view_cross_row(r, t, v->layer, v->head, row);
    sum_groups(&src, row, r->src_len, sum);
    vb_puts(b, "\n");
    context_line(v, b, s->piece, &src, sum);
    vb_printf(b, "%s  this is the row of the step that produces the token; --align uses %s%s\n",
              DIM(v), align, RESET(v));
    rc = b->oom || left.oom || right.oom ? -1 : 0;
done:
    free(row);
    free(sum);
    vb_free(&left);
    vb_free(&right);
    groups_free(&src);
    groups_free(&pre);
    return rc;
}

/* ---------- the end: full tables ---------- */

/* Rows = target groups (over steps 0..T-1), each the mean over its steps of the step's row
 * summed into column groups. cross: columns = source; else columns = decoder inputs. */
static int table(StepView *v, VBuf *b, int cross) {
    const ViewRecord *r = &v->rec;
    int T = r->n_steps, rc = -1;
    Groups rows = {0}, cols = {0};
    const char **tp = malloc(((size_t)T + 1) * sizeof *tp);
    int n_in = cross ? r->src_len : T;   /* self: inputs 0..T-1 */
    float *row = malloc(((size_t)n_in + 1) * sizeof *row);
    float *acc = NULL, *tmp = NULL;
    int *count = NULL;
    if (!tp || !row) goto done;
    for (int t = 0; t < T; t++) tp[t] = r->steps[t].piece;
    if (groups_make(&rows, tp, T, v->words) ||
        (cross ? source_groups(v, &cols) : prefix_groups(v, T, &cols)))
        goto done;
    acc = calloc((size_t)rows.n * (size_t)cols.n + 1, sizeof *acc);
    tmp = calloc((size_t)cols.n + 1, sizeof *tmp);
    count = calloc((size_t)rows.n + 1, sizeof *count);
    if (!acc || !tmp || !count) goto done;
    for (int t = 0; t < T; t++) {
        if (cross) view_cross_row(r, t, v->layer, v->head, row);
        else {
            for (int i = 0; i < n_in; i++) row[i] = 0;
            view_self_row(r, t, v->layer, v->head, row);
        }
        sum_groups(&cols, row, cross ? n_in : t + 1, tmp);
        for (int k = 0; k < cols.n; k++) acc[(size_t)rows.of[t] * cols.n + k] += tmp[k];
        count[rows.of[t]]++;
    }
    int lw = label_cols(&rows) + 2;
    vb_repeat(b, " ", lw);
    for (int k = 0; k < cols.n; k++) {
        int w = view_width(cols.label[k]) + 1;
        vb_pad(b, cols.label[k], w < 6 ? 6 : w > 12 ? 12 : w, 0);
    }
    vb_puts(b, "\n");
    for (int j = 0; j < rows.n; j++) {
        vb_pad(b, rows.label[j], lw, 0);
        /* self-attention is masked: a row sees only the inputs before its first step */
        int first = 0;
        while (first < T && rows.of[first] != j) first++;
        int visible = cross ? cols.n : cols.of[first] + 1;
        for (int k = 0; k < cols.n; k++) {
            int w = view_width(cols.label[k]) + 1;
            w = w < 6 ? 6 : w > 12 ? 12 : w;
            char cell[16] = "";
            if (k < visible)
                snprintf(cell, sizeof cell, "%.2f", (double)(acc[(size_t)j * cols.n + k] / count[j]));
            vb_pad(b, k < visible ? cell : "·", w, 0);
        }
        vb_puts(b, "\n");
    }
    rc = b->oom ? -1 : 0;
done:
    free(tp);
    free(row);
    free(acc);
    free(tmp);
    free(count);
    groups_free(&rows);
    groups_free(&cols);
    return rc;
}

static int render_end(StepView *v, VBuf *b) {
    char what[128], align[200];
    describe_attention(v, what, sizeof what);
    vb_printf(b, "%sanuvad step%s · done in %d steps · %s · %s view\n", BOLD(v), RESET(v),
              v->rec.n_steps, what, v->words ? "word" : "piece");
    vb_printf(b, "%ssource%s       %s\n%stranslation%s  %s%s%s\n\n", BOLD(v), RESET(v), v->text,
              BOLD(v), RESET(v), GREEN(v), v->translation ? v->translation : "", RESET(v));
    vb_printf(b, "%scross-attention%s (rows: target, columns: source%s)\n", BOLD(v), RESET(v),
              v->words ? "; a word's row is the mean of its pieces' rows" : "");
    if (table(v, b, 1)) return -1;
    vb_printf(b, "\n%sself-attention%s (rows: target, columns: the decoder's inputs; · = masked)\n",
              BOLD(v), RESET(v));
    if (table(v, b, 0)) return -1;
    ViewWordMatrix m;
    if (v->rec.n_steps && !view_word_matrix(&v->rec, view_align_default, &m)) {
        view_align_describe(&v->rec, view_align_default, align, sizeof align);
        vb_printf(b, "\n%salignment%s (source word-target word, as --align prints it): ",
                  BOLD(v), RESET(v));
        view_align_pharaoh(&m, b);
        vb_printf(b, "\n%s  from %s%s\n", DIM(v), align, RESET(v));
        view_word_matrix_free(&m);
    }
    return b->oom ? -1 : 0;
}

static int render(StepView *v, VBuf *b) {
    b->n = 0;
    if (b->p) b->p[0] = 0;
    return v->cur < v->rec.n_steps ? render_step(v, b) : render_end(v, b);
}

/* ---------- driving it ---------- */

static int plain(StepView *v) {
    VBuf b = {0};
    int rc = 0;
    for (v->cur = 0; !rc && v->cur <= v->rec.n_steps; v->cur++) {
        rc = render(v, &b);
        if (!rc && (fwrite(b.p, 1, b.n, stdout) != b.n || fputs("\n", stdout) == EOF)) rc = 1;
    }
    vb_free(&b);
    fflush(stdout);
    return rc;
}

static const char KEYS[] = "Enter/space next · b back · 1-9 force candidate · l layer · "
                           "h head · w words/pieces · a play · j/k scroll · q quit";

/* The lines [scroll, scroll + rows - 1) of the screen, then the key line, so the keys stay
 * visible when a long sentence's tables are taller than the terminal. */
static void show(StepView *v, const VBuf *b) {
    int lines = 0, room = v->rows - 1;
    for (size_t i = 0; i < b->n; i++) lines += b->p[i] == '\n';
    if (v->scroll > lines - room) v->scroll = lines - room;
    if (v->scroll < 0) v->scroll = 0;
    const char *p = b->p ? b->p : "", *start = p, *end;
    for (int k = 0; k < v->scroll && (p = strchr(p, '\n')); k++) start = ++p;
    end = start;
    for (int k = 0; k < room && end && *end; k++) {
        const char *e = strchr(end, '\n');
        end = e ? e + 1 : end + strlen(end);
    }
    VBuf s = {0};
    vb_put(&s, start, (size_t)(end - start));
    vb_printf(&s, "%s%s%s%s", DIM(v), KEYS,
              lines > room ? " (more: j/k)" : "", RESET(v));
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
        if (render(v, &b)) {
            rc = -1;
            break;
        }
        show(v, &b);
        if (playing && v->cur >= v->rec.n_steps) playing = 0;
        int key = term_key(playing ? PLAY_MS : -1);
        if (key == TERM_KEY_NONE && playing) key = TERM_KEY_NEXT;
        else if (key != TERM_KEY_NONE) playing = 0;
        if (key == 'q' || key == TERM_KEY_EOF || key == 3) break;
        int at = v->cur;
        if (key == TERM_KEY_NEXT && v->cur < v->rec.n_steps) v->cur++;
        else if ((key == TERM_KEY_BACK || key == 'b') && v->cur > 0) v->cur--;
        else if (key == 'j' || key == TERM_KEY_DOWN) v->scroll += v->rows / 2;
        else if (key == 'k' || key == TERM_KEY_UP) v->scroll -= v->rows / 2;
        else if (key == 'a') playing = 1;
        else if (key == 'w') v->words = !v->words;
        else if (key == 'l') v->layer = (v->layer + 1) % v->rec.n_layers;
        else if (key == 'h') v->head = v->head + 1 >= v->rec.n_heads ? VIEW_MEAN : v->head + 1;
        else if (key >= '1' && key <= '9' && force(v, key - '0')) {
            rc = -1;
            break;
        }
        if (v->cur != at) v->scroll = 0;
    }
    term_restore();
    vb_free(&b);
    return rc;
}

/* Every observer sees every step (as the translate loop does). */
static int fan_out(const AnuvadStep *ev, void *user) {
    CliOptions *o = user;
    for (int i = 0; i < o->n_observers; i++)
        if (o->observers[i].on_step && o->observers[i].on_step(ev, o->observers[i].self)) return 1;
    return 0;
}

/* --trace / --attn-svg / --align in step mode: the decoding the view ended on, forced
 * tokens included, decoded once more for the observers. */
static int write_outputs(StepView *v, CliOptions *o) {
    if (!o->trace_path && !o->attn_svg_path && !o->align) return 0;
    char err[512];
    int rc = cli_attach_observers(o, err, sizeof err);
    if (rc) {
        cli_error("%s", err);
        return rc;
    }
    char *out = NULL;
    for (int i = 0; i < o->n_observers; i++)
        if (o->observers[i].begin) o->observers[i].begin(o->observers[i].self, v->text);
    int bad = anuvad_translate(v->m, v->text, &v->opt, fan_out, o, &out, err, sizeof err) != 0;
    if (bad) cli_error("%s", err);
    for (int i = 0; i < o->n_observers; i++) {
        CliObserver *ob = &o->observers[i];
        if (ob->end && ob->end(ob->self, v->text, bad ? NULL : out, stdout)) bad = 1;
        if (ob->finish && ob->finish(ob->self, err, sizeof err)) {
            cli_error("%s", err);
            bad = 1;
        }
    }
    free(out);
    return bad ? CLI_BAD : CLI_OK;
}

/* TEXT is the arguments joined by spaces, or the first line of stdin. */
static char *step_text(const CliOptions *o) {
    VBuf b = {0};
    for (int i = 0; i < o->n_texts; i++) {
        if (i) vb_puts(&b, " ");
        vb_puts(&b, o->texts[i]);
    }
    if (!o->n_texts && !isatty(0)) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n = getline(&line, &cap, stdin);
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (n > 0) vb_puts(&b, line);
        free(line);
    }
    if (b.oom) vb_free(&b);
    return b.p;
}

int cli_step(int argc, char **argv) {
    CliOptions o;
    char err[1024], buf[4096];
    int rc = cli_parse(argc, argv, &o, err, sizeof err);
    if (rc) {
        cli_error("%s", err);
        free(o.texts);
        return rc;
    }
    if (o.help) {
        printf("usage: anuvad step [-m MODEL] [-t N] [--max-len N] [--trace FILE] "
               "[--attn-svg FILE] [--align] TEXT\n"
               "Step through one translation. On a terminal: %s.\n"
               "Otherwise every step is printed as plain text. --trace, --attn-svg and --align\n"
               "describe the translation as it stands when you quit (forced tokens included).\n",
               KEYS);
        free(o.texts);
        return CLI_OK;
    }
    StepView v = {0};
    char *text = step_text(&o);
    const char *path = cli_model_path(&o, buf, sizeof buf, err, sizeof err);
    rc = CLI_BAD;
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
    v.opt.threads = o.threads;
    v.opt.max_len = o.max_len;
    v.opt.top_k = TOP_K;
    int status;
    if (!(v.m = anuvad_load(path, &v.opt, &status, err, sizeof err))) {
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
    v.layer = v.rec.n_layers - 1;   /* the default view: last decoder layer, mean of heads */
    v.head = VIEW_MEAN;
    const char *nc = getenv("NO_COLOR");
    v.color = isatty(1) && !nc;
    v.cols = isatty(1) ? term_columns() : 120;
    int tty = isatty(0) && isatty(1);
    errno = 0;
    rc = (tty ? interactive(&v) : plain(&v)) ? CLI_BAD : CLI_OK;
    if (rc && errno == EPIPE) rc = CLI_OK;   /* the reader went away (| head): not an error */
    else if (rc) cli_error("step: %s", v.err[0] ? v.err : "out of memory or output error");
    if (!rc) rc = write_outputs(&v, &o);
out:
    view_record_clear(&v.rec);
    free(v.translation);
    free(v.chosen);
    if (v.m) anuvad_free(v.m);
    free(text);
    free(o.texts);
    return rc;
}
