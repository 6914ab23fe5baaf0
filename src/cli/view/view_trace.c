/* The JSON trace of one translation (docs/trace.md): one object on one line, so several
 * input lines make a JSON Lines file. Floats are printed with 7 significant digits, which
 * keeps every attention row's sum within 1e-6 of the engine's. */
#include <math.h>
#include <stdio.h>

#include "view.h"

/* JSON has no NaN or infinity: such a value (never seen from a softmax) is written as null. */
static void number(VBuf *b, float x) {
    if (isfinite(x)) vb_printf(b, "%.7g", (double)x);
    else vb_puts(b, "null");
}

static void floats(VBuf *b, const float *x, int n) {
    vb_puts(b, "[");
    for (int i = 0; i < n; i++) {
        if (i) vb_puts(b, ",");
        number(b, x[i]);
    }
    vb_puts(b, "]");
}

/* [layer][head][n] rows as nested arrays. */
static void tensor(VBuf *b, const ViewRecord *r, const float *x, int n) {
    vb_puts(b, "[");
    for (int l = 0; l < r->n_layers; l++) {
        vb_puts(b, l ? ",[" : "[");
        for (int h = 0; h < r->n_heads; h++) {
            if (h) vb_puts(b, ",");
            floats(b, x + ((size_t)l * r->n_heads + h) * n, n);
        }
        vb_puts(b, "]");
    }
    vb_puts(b, "]");
}

static void step(VBuf *b, const ViewRecord *r, int t) {
    const ViewStep *s = &r->steps[t];
    vb_printf(b, "{\"step\":%d,\"token\":%d,\"piece\":", t, s->token);
    vb_json_str(b, s->piece);
    vb_puts(b, ",\"prob\":");
    number(b, s->prob);
    vb_printf(b, ",\"forced\":%s,\"top\":[", s->forced ? "true" : "false");
    for (int k = 0; k < s->n_top; k++) {
        vb_printf(b, "%s{\"token\":%d,\"piece\":", k ? "," : "", s->top[k].id);
        vb_json_str(b, s->top[k].piece);
        vb_puts(b, ",\"prob\":");
        number(b, s->top[k].prob);
        vb_puts(b, "}");
    }
    if (s->n_beams) { /* beam search: the live hypotheses after this step */
        vb_puts(b, "],\"beams\":[");
        for (int k = 0; k < s->n_beams; k++) {
            vb_printf(b, "%s{\"token\":%d,\"piece\":", k ? "," : "", s->beams[k].token);
            vb_json_str(b, s->beams[k].piece);
            vb_printf(b, ",\"parent\":%d,\"score\":", s->beams[k].parent);
            number(b, s->beams[k].score);
            vb_puts(b, "}");
        }
    }
    vb_puts(b, "],\"prefix\":[");
    for (int p = 0; p <= t; p++) {
        if (p) vb_puts(b, ",");
        vb_json_str(b, view_prefix_piece(r, p));
    }
    vb_puts(b, "],\"cross\":");
    tensor(b, r, s->cross, r->src_len);
    vb_puts(b, ",\"self\":");
    tensor(b, r, s->self, t + 1);
    if (s->norm && s->norm_layer) {
        vb_puts(b, ",\"norm\":");
        tensor(b, r, s->norm, r->src_len);
        vb_puts(b, ",\"norm_layer\":[");
        for (int l = 0; l < r->n_layers; l++) {
            if (l) vb_puts(b, ",");
            floats(b, s->norm_layer + (size_t)l * r->src_len, r->src_len);
        }
        vb_puts(b, "]");
    }
    vb_puts(b, "}");
}

void view_trace_json(const ViewRecord *r, const char *source, const char *translation, VBuf *b) {
    vb_puts(b, "{\"source\":");
    vb_json_str(b, source);
    vb_puts(b, ",\"source_pieces\":[");
    for (int i = 0; i < r->src_len; i++) {
        if (i) vb_puts(b, ",");
        vb_json_str(b, r->src_pieces[i]);
    }
    vb_printf(b, "],\"n_layers\":%d,\"n_heads\":%d,\"steps\":[", r->n_layers, r->n_heads);
    for (int t = 0; t < r->n_steps; t++) {
        if (t) vb_puts(b, ",");
        step(b, r, t);
    }
    vb_puts(b, "],\"translation\":");
    if (translation) vb_json_str(b, translation);
    else vb_puts(b, "null");
    vb_puts(b, ",\"alignment\":");
    ViewWordMatrix m;
    if (translation && r->n_steps && !view_word_matrix(r, view_align_default, &m)) {
        VBuf a = {0};
        view_align_pharaoh(&m, &a);
        vb_json_str(b, a.p ? a.p : "");
        vb_free(&a);
        view_word_matrix_free(&m);
    } else {
        vb_puts(b, "null");
    }
    vb_puts(b, "}");
}
