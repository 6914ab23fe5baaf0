/* The step view's screens: one decoding step (candidates, cross- and self-attention rows, the
 * context vector), and after the last step the full target x source and self-attention
 * tables. Built as text in a VBuf; view_step.c decides where it goes. */
#include <stdlib.h>
#include <string.h>

#include "view_screen.h"

const char *view_style(const StepView *v, const char *code) {
    return v->color ? code : "";
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
        char buf[256];
        if (!(g->label[i] = strdup(view_show(items[i], buf, sizeof buf)))) return -1;
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
    if (v->layer == VIEW_MEAN)
        snprintf(buf, n, "mean of the %d decoder layers, %s", v->rec.n_layers, head);
    else
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

/* Display columns of p[0..n) on a terminal: colour escapes (ESC [ ... letter) take none. */
static int shown_width(const char *p, size_t n) {
    int w = 0;
    size_t i = 0, run = 0;
    while (i < n) {
        if (p[i] == '\033' && i + 1 < n && p[i + 1] == '[') {
            w += view_width_n(p + run, i - run);
            i += 2;
            while (i < n && !((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z'))) i++;
            run = i < n ? ++i : i;
        } else {
            i++;
        }
    }
    return w + view_width_n(p + run, n - run);
}

/* text (one line, no newline) folded at spaces into lines of at most cols - 1 columns, the
 * continuation lines indented, so a long note does not wrap mid-word on a narrow terminal
 * (and the screen keeps the line count show() scrolls by). A word wider than a line stays
 * whole. */
static void wrapped(VBuf *b, const char *text, int cols, const char *indent) {
    int room = cols > 20 ? cols - 1 : 19, at = 0, ind = view_width(indent);
    const char *p = text;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        int w = shown_width(p, n);
        if (at > ind && at + 1 + w > room) {
            vb_printf(b, "\n%s", indent);
            at = ind;
        } else if (p != text) {
            vb_puts(b, " ");
            at++;
        }
        vb_put(b, p, n);
        at += w;
        p += n;
        if (*p == ' ') p++;
    }
    vb_puts(b, "\n");
}

/* C(हम) = 0.80·e(we) + 0.10·e(are) + ...: the context vector this step reads from the
 * source is the attention-weighted sum of the encoder outputs e(·). */
static void context_line(StepView *v, VBuf *b, const char *piece, const Groups *g,
                         const float *w) {
    char buf[256];
    const char *p = strncmp(piece, "\xe2\x96\x81", 3) == 0 ? piece + 3 : piece;
    VBuf line = {0};
    VBuf *out = b;
    b = &line;
    vb_printf(b, "  %sC(%s)%s = ", BOLD(v), view_show(p, buf, sizeof buf), RESET(v));
    float rest = 0;
    int shown = 0;
    for (int k = 0; k < g->n; k++) {
        if (w[k] < 0.005f) {
            rest += w[k];
            continue;
        }
        vb_printf(b, "%s%.2f·e(%s)", shown++ ? " + " : "", (double)w[k], g->label[k]);
    }
    if (rest >= 0.005f) vb_printf(b, " + %.2f·(the rest)", (double)rest);
    if (line.oom) out->oom = 1;
    else if (line.p) wrapped(out, line.p, v->cols, "      ");
    vb_free(&line);
}

static void candidates(StepView *v, VBuf *b, const ViewStep *s, int bar) {
    vb_printf(b, "%snext token: the top %d candidates%s %s(press 1-%d to force one)%s\n",
              BOLD(v), s->n_top, RESET(v), DIM(v), s->n_top, RESET(v));
    int lw = 6;
    for (int k = 0; k < s->n_top; k++)
        if (view_width(s->top[k].piece) + 1 > lw) lw = view_width(s->top[k].piece) + 1;
    if (lw > 16) lw = 16;
    for (int k = 0; k < s->n_top; k++) {
        int is = s->top[k].id == s->token;
        vb_printf(b, "%s%s %d ", is ? GREEN(v) : "", is ? "→" : " ", k + 1);
        char buf[256];
        vb_pad(b, view_show(s->top[k].piece, buf, sizeof buf), lw, 0);
        vb_printf(b, " %.3f %s", (double)s->top[k].prob, is ? "" : CYAN(v));
        vb_bar(b, s->top[k].prob, bar);
        vb_printf(b, "%s\n", RESET(v));
    }
    char buf[256];
    vb_printf(b, "  chosen: %s%s%s  p=%.3f", GREEN(v), view_show(s->piece, buf, sizeof buf),
              RESET(v), (double)s->prob);
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
    char buf[256];
    VBuf note = {0};
    vb_printf(&note, "%s  rows above: the step that produces %s. --align: %s%s", DIM(v),
              view_show(s->piece, buf, sizeof buf), align, RESET(v));
    if (note.oom) b->oom = 1;
    else wrapped(b, note.p, v->cols, "  ");
    vb_free(&note);
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
        VBuf note = {0};
        vb_printf(&note, "%s  from %s%s", DIM(v), align, RESET(v));
        vb_puts(b, "\n");
        if (note.oom) b->oom = 1;
        else wrapped(b, note.p, v->cols, "  ");
        vb_free(&note);
        view_word_matrix_free(&m);
    }
    return b->oom ? -1 : 0;
}

int view_render(StepView *v, VBuf *b) {
    b->n = 0;
    if (b->p) b->p[0] = 0;
    return v->cur < v->rec.n_steps ? render_step(v, b) : render_end(v, b);
}

