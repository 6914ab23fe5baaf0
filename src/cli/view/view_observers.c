/* --trace FILE, --attn-svg FILE and --align in translate mode: one observer records each
 * sentence's steps (ViewRecord) and, after the sentence, appends a JSON line to the trace,
 * a heatmap to the SVG, and prints the alignment line after the translation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "view.h"

typedef struct {
    ViewRecord rec;
    FILE *trace;
    const char *trace_path, *svg_path, *html_path;
    int align;
    ViewSvg svg;
    VBuf html; /* the sentences' trace objects, comma-separated, for the page */
} Watch;

static int watch_begin(void *self, const char *text) {
    (void)text;
    view_record_clear(&((Watch *)self)->rec);
    return 0;
}

static int write_trace(Watch *w, const char *text, const char *translation) {
    VBuf b = {0};
    view_trace_json(&w->rec, text, translation, &b);
    int bad = b.oom || fwrite(b.p, 1, b.n, w->trace) != b.n || fputc('\n', w->trace) == EOF;
    vb_free(&b);
    return bad;
}

static void add_heatmap(Watch *w, const char *text, const char *translation) {
    ViewWordMatrix m;
    if (view_word_matrix(&w->rec, view_align_default, &m)) {
        w->svg.body.oom = 1;
        return;
    }
    VBuf title = {0};
    vb_printf(&title, "%s → %s", text, translation);
    char what[256], sub[320];
    view_align_describe(&w->rec, view_align_default, what, sizeof what);
    snprintf(sub, sizeof sub, "cross-attention, target word x source word: %s", what);
    view_svg_add(&w->svg, &m, title.p ? title.p : "", sub);
    vb_free(&title);
    view_word_matrix_free(&m);
}

static int print_alignment(Watch *w, FILE *out) {
    ViewWordMatrix m;
    VBuf b = {0};
    if (w->rec.n_steps && !view_word_matrix(&w->rec, view_align_default, &m)) {
        view_align_pharaoh(&m, &b);
        view_word_matrix_free(&m);
    }
    int bad =
        b.oom || fputs(b.p ? b.p : "", out) == EOF || fputc('\n', out) == EOF || fflush(out) == EOF;
    vb_free(&b);
    return bad;
}

static int watch_end(void *self, const char *text, const char *translation, FILE *out) {
    Watch *w = self;
    int bad = w->rec.oom;
    if (w->trace && write_trace(w, text, translation)) bad = 1;
    if (w->svg_path && translation && w->rec.n_steps) add_heatmap(w, text, translation);
    if (w->align && print_alignment(w, out)) bad = 1;
    if (w->html_path && translation && w->rec.n_steps) {
        if (w->html.n) vb_puts(&w->html, ",");
        view_trace_json(&w->rec, text, translation, &w->html);
    }
    return bad;
}

static int watch_finish(void *self, char *err, size_t errlen) {
    Watch *w = self;
    int rc = 0;
    if (w->trace && fclose(w->trace) != 0) {
        snprintf(err, errlen, "%s: %s", w->trace_path, strerror(errno));
        rc = -1;
    }
    if (w->svg_path) {
        VBuf doc = {0};
        view_svg_finish(&w->svg, &doc);
        FILE *f = doc.oom || w->svg.body.oom ? NULL : fopen(w->svg_path, "w");
        if (!f || fwrite(doc.p, 1, doc.n, f) != doc.n || fclose(f) != 0) {
            if (!rc)
                snprintf(err, errlen, "%s: %s", w->svg_path, f ? strerror(errno) : "cannot write");
            rc = -1;
        }
        vb_free(&doc);
    }
    if (w->html_path) {
        VBuf doc = {0};
        view_page(&w->html, &doc);
        FILE *f = doc.oom || w->html.oom ? NULL : fopen(w->html_path, "w");
        if (!f || fwrite(doc.p, 1, doc.n, f) != doc.n || fclose(f) != 0) {
            if (!rc)
                snprintf(err, errlen, "%s: %s", w->html_path, f ? strerror(errno) : "cannot write");
            rc = -1;
        }
        vb_free(&doc);
    }
    vb_free(&w->html);
    vb_free(&w->svg.body);
    view_record_clear(&w->rec);
    free(w);
    return rc;
}

int cli_attach_observers(CliOptions *o, char *err, size_t errlen) {
    if (!o->trace_path && !o->attn_svg_path && !o->align && !o->html_path) return CLI_OK;
    Watch *w = calloc(1, sizeof *w);
    if (!w) return snprintf(err, errlen, "out of memory"), CLI_BAD;
    w->trace_path = o->trace_path;
    w->svg_path = o->attn_svg_path;
    w->html_path = o->html_path;
    w->align = o->align;
    if (o->trace_path && !(w->trace = fopen(o->trace_path, "w"))) {
        snprintf(err, errlen, "--trace %s: %s", o->trace_path, strerror(errno));
        free(w);
        return CLI_BAD;
    }
    o->watch = (CliObserver){w, watch_begin, view_record_step, watch_end, watch_finish};
    return CLI_OK;
}
