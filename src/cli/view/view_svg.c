/* The target x source cross-attention heatmap as SVG: one block per translated line, stacked
 * top to bottom, source words as column labels, target words as row labels, the weight in
 * every cell. Text is sized from terminal display width (a Devanagari or Latin column is about
 * 9 px at 14 px type), which is enough to keep labels apart without a font engine. */
#include <math.h>

#include "view.h"

#define PAD 20.0
#define CELL_H 30.0
#define COL_PX 9.0
#define FONT \
    "font-family=\"Noto Sans, DejaVu Sans, Noto Sans Devanagari, Lohit Devanagari, Mangal, Nirmala UI, sans-serif\""

static double text_px(const char *s) { return COL_PX * view_width(s); }

static double max2(double a, double b) { return a > b ? a : b; }

/* White (0) to dark blue (1). */
static void fill(VBuf *b, float w) {
    if (!(w >= 0)) w = 0;
    if (w > 1) w = 1;
    int r = (int)lround(255 - w * (255 - 8)), g = (int)lround(255 - w * (255 - 48)),
        bl = (int)lround(255 - w * (255 - 107));
    vb_printf(b, "#%02x%02x%02x", r, g, bl);
}

void view_svg_add(ViewSvg *s, const ViewWordMatrix *m, const char *title, const char *subtitle) {
    VBuf *b = &s->body;
    double y = s->height + PAD, label_w = 40;
    for (int j = 0; j < m->n_tgt; j++) label_w = max2(label_w, text_px(m->tgt_words[j]) + 12);
    double x0 = PAD + label_w, x = x0;
    vb_printf(b,
              "<g class=\"heatmap\">\n<text x=\"%.0f\" y=\"%.0f\" font-size=\"16\" "
              "font-weight=\"bold\">",
              PAD, y + 16);
    vb_xml(b, title);
    vb_printf(b, "</text>\n<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" fill=\"#555\">", PAD,
              y + 36);
    vb_xml(b, subtitle);
    vb_puts(b, "</text>\n");
    double y_head = y + 66, y0 = y + 76;
    for (int i = 0; i < m->n_src; i++) {
        double w = max2(48, text_px(m->src_words[i]) + 14);
        vb_printf(b, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"14\" text-anchor=\"middle\">",
                  x + w / 2, y_head);
        vb_xml(b, m->src_words[i]);
        vb_puts(b, "</text>\n");
        for (int j = 0; j < m->n_tgt; j++) {
            float v = m->w[(size_t)j * m->n_src + i];
            vb_printf(b, "<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\" fill=\"", x,
                      y0 + j * CELL_H, w, CELL_H);
            fill(b, v);
            vb_printf(b,
                      "\" stroke=\"#ccc\"/><text x=\"%.1f\" y=\"%.0f\" font-size=\"12\" "
                      "text-anchor=\"middle\" fill=\"%s\">%.2f</text>\n",
                      x + w / 2, y0 + j * CELL_H + 19, v > 0.55f ? "#fff" : "#000", (double)v);
        }
        x += w;
    }
    for (int j = 0; j < m->n_tgt; j++) {
        vb_printf(b, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"14\" text-anchor=\"end\">", x0 - 8,
                  y0 + j * CELL_H + 20);
        vb_xml(b, m->tgt_words[j]);
        vb_puts(b, "</text>\n");
    }
    vb_puts(b, "</g>\n");
    /* Latin text at 12 px runs about 5.2 px a character (measured in Chromium) */
    double title_w = PAD + max2(text_px(title) * 16 / 14, text_px(subtitle) * 0.6);
    s->width = max2(s->width, max2(x, title_w) + PAD);
    s->height = y0 + m->n_tgt * CELL_H + PAD;
}

void view_svg_finish(ViewSvg *s, VBuf *out) {
    double w = s->width > 0 ? s->width : 200, h = s->height > 0 ? s->height + PAD : 60;
    vb_printf(out,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
              "viewBox=\"0 0 %.0f %.0f\" " FONT ">\n"
              "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
              w, h, w, h);
    if (s->body.p) vb_put(out, s->body.p, s->body.n);
    vb_puts(out, "</svg>\n");
}
