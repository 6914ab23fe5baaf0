/* A ViewRecord copies every step event of one translation: the engine's pointers are valid
 * only during the callback (anuvad.h), and the step view goes back and forth over steps. */
#include <stdlib.h>
#include <string.h>

#include "view.h"

static char *dup(const char *s) { return strdup(s ? s : ""); }

static float *dup_floats(const float *x, size_t n) {
    float *y = malloc((n ? n : 1) * sizeof *y);
    if (y && n) memcpy(y, x, n * sizeof *y);
    return y;
}

/* The first event of a sentence fixes the shapes and the source pieces. */
static int record_source(ViewRecord *r, const AnuvadStep *ev) {
    r->n_layers = ev->n_layers;
    r->n_heads = ev->n_heads;
    r->src_len = ev->src_len;
    r->src_pieces = calloc((size_t)ev->src_len + 1, sizeof *r->src_pieces);
    r->start_piece = dup(ev->prefix_pieces[0]);
    if (!r->src_pieces || !r->start_piece) return -1;
    for (int i = 0; i < ev->src_len; i++)
        if (!(r->src_pieces[i] = dup(ev->src_pieces[i]))) return -1;
    return 0;
}

static int copy_step(ViewStep *s, const AnuvadStep *ev) {
    memset(s, 0, sizeof *s);
    s->token = ev->token;
    s->prob = ev->prob;
    s->forced = ev->forced;
    s->piece = dup(ev->piece);
    s->top = calloc((size_t)ev->n_top + 1, sizeof *s->top);
    size_t lh = (size_t)ev->n_layers * (size_t)ev->n_heads;
    s->cross = dup_floats(ev->cross, lh * (size_t)ev->src_len);
    s->self = dup_floats(ev->self, lh * (size_t)ev->prefix_len);
    if (!s->piece || !s->top || !s->cross || !s->self) return -1;
    if (ev->cross_norm && ev->cross_norm_layer) {
        s->norm = dup_floats(ev->cross_norm, lh * (size_t)ev->src_len);
        s->norm_layer = dup_floats(ev->cross_norm_layer, (size_t)ev->n_layers * ev->src_len);
        if (!s->norm || !s->norm_layer) return -1;
    }
    for (int k = 0; k < ev->n_top; k++) {
        s->top[k] = (ViewCand){ev->top[k].id, dup(ev->top[k].piece), ev->top[k].prob};
        if (!s->top[k].piece) return -1;
        s->n_top = k + 1;
    }
    if (ev->n_beams > 0 && !(s->beams = calloc((size_t)ev->n_beams, sizeof *s->beams))) return -1;
    for (int k = 0; k < ev->n_beams; k++) {
        const AnuvadBeam *b = &ev->beams[k];
        s->beams[k] = (ViewBeam){b->token, b->parent, dup(b->piece), b->score};
        if (!s->beams[k].piece) return -1;
        s->n_beams = k + 1;
    }
    return 0;
}

int view_record_step(const AnuvadStep *ev, void *user) {
    ViewRecord *r = user;
    if (r->oom) return 1;
    if (r->n_steps == 0 && !r->src_pieces && record_source(r, ev)) return r->oom = 1;
    /* Every event of a sentence has the same shapes; the prefix grows by one each step. */
    if (ev->n_layers != r->n_layers || ev->n_heads != r->n_heads || ev->src_len != r->src_len ||
        ev->prefix_len != r->n_steps + 1)
        return r->oom = 1;
    if (r->n_steps == r->cap) {
        int cap = r->cap ? 2 * r->cap : 16;
        ViewStep *s = realloc(r->steps, (size_t)cap * sizeof *s);
        if (!s) return r->oom = 1;
        r->steps = s;
        r->cap = cap;
    }
    ViewStep *s = &r->steps[r->n_steps++];
    if (copy_step(s, ev)) return r->oom = 1;
    return 0;
}

void view_record_clear(ViewRecord *r) {
    for (int t = 0; t < r->n_steps; t++) {
        ViewStep *s = &r->steps[t];
        for (int k = 0; k < s->n_top; k++) free(s->top[k].piece);
        free(s->top);
        for (int k = 0; k < s->n_beams; k++) free(s->beams[k].piece);
        free(s->beams);
        free(s->piece);
        free(s->cross);
        free(s->self);
        free(s->norm);
        free(s->norm_layer);
    }
    if (r->src_pieces)
        for (int i = 0; i < r->src_len; i++) free(r->src_pieces[i]);
    free(r->src_pieces);
    free(r->start_piece);
    free(r->steps);
    memset(r, 0, sizeof *r);
}

const char *view_prefix_piece(const ViewRecord *r, int p) {
    if (p == 0) return r->start_piece ? r->start_piece : "";
    return p - 1 < r->n_steps ? r->steps[p - 1].piece : "";
}

/* Mean over the selected layers and heads of rows of length n laid out [layer][head][n]. */
static void mean_rows(const ViewRecord *r, const float *x, int n, int layer, int head, float *out) {
    int l0 = layer == VIEW_MEAN ? 0 : layer, l1 = layer == VIEW_MEAN ? r->n_layers : layer + 1;
    int h0 = head == VIEW_MEAN ? 0 : head, h1 = head == VIEW_MEAN ? r->n_heads : head + 1;
    for (int i = 0; i < n; i++) out[i] = 0;
    for (int l = l0; l < l1; l++)
        for (int h = h0; h < h1; h++) {
            const float *row = x + ((size_t)l * r->n_heads + h) * n;
            for (int i = 0; i < n; i++) out[i] += row[i];
        }
    float k = 1.0f / (float)((l1 - l0) * (h1 - h0));
    for (int i = 0; i < n; i++) out[i] *= k;
}

void view_cross_row(const ViewRecord *r, int step, int layer, int head, float *out) {
    mean_rows(r, r->steps[step].cross, r->src_len, layer, head, out);
}

void view_self_row(const ViewRecord *r, int step, int layer, int head, float *out) {
    mean_rows(r, r->steps[step].self, step + 1, layer, head, out);
}

/* out += row / sum(row): a norm row as shares, so layers of different scale weigh alike. */
static void add_shares(const float *row, int n, float *out) {
    double sum = 0;
    for (int i = 0; i < n; i++) sum += row[i];
    for (int i = 0; i < n; i++) out[i] += sum > 0 ? (float)(row[i] / sum) : 0.0f;
}

void view_source_row(const ViewRecord *r, int step, int layer, int head, int measure, float *out) {
    const ViewStep *s = &r->steps[step];
    if (measure != VIEW_NORM || !s->norm || !s->norm_layer) {
        view_cross_row(r, step, layer, head, out);
        return;
    }
    int n = r->src_len;
    int l0 = layer == VIEW_MEAN ? 0 : layer, l1 = layer == VIEW_MEAN ? r->n_layers : layer + 1;
    for (int i = 0; i < n; i++) out[i] = 0;
    for (int l = l0; l < l1; l++)
        add_shares(head == VIEW_MEAN ? s->norm_layer + (size_t)l * n
                                     : s->norm + ((size_t)l * r->n_heads + head) * n,
                   n, out);
    for (int i = 0; i < n; i++) out[i] /= (float)(l1 - l0);
}
