/* The step view and its relatives (issue 5): everything that watches decoding through the
 * step callback and shows it — `anuvad step`, --trace (JSON), --attn-svg (SVG heatmap) and
 * --align (word alignments from cross-attention).
 *
 * They share one idea: a ViewRecord copies every AnuvadStep event of a translation (the
 * engine's pointers live only during the callback), and everything else reads the record. */
#ifndef ANUVAD_VIEW_H
#define ANUVAD_VIEW_H

#include <stddef.h>
#include <stdio.h>

#include "anuvad.h"

/* ---- view_record.c: a copy of every step of one translation ---- */

typedef struct {
    int id;
    char *piece;
    float prob;
} ViewCand;

typedef struct {
    int token, parent; /* parent: the live hypothesis of the step before this one extends */
    char *piece;
    float score; /* its sum of log-probabilities */
} ViewBeam;

typedef struct {
    int token;
    char *piece;
    float prob;
    int forced;
    int n_top;
    ViewCand *top;
    int n_beams; /* beam search: the live hypotheses after this step (else 0) */
    ViewBeam *beams;
    float *cross;      /* [n_layers][n_heads][src_len] */
    float *self;       /* [n_layers][n_heads][step + 1] */
    float *norm;       /* [n_layers][n_heads][src_len] α·‖v W_o‖ per head, or NULL */
    float *norm_layer; /* [n_layers][src_len] ‖Σ_heads α·v W_o‖, or NULL */
} ViewStep;

typedef struct {
    int n_layers, n_heads, src_len;
    char **src_pieces; /* [src_len], "</s>" last */
    char *start_piece; /* the decoder's first input (decoder_start's piece) */
    int n_steps, cap;
    ViewStep *steps;
    int oom; /* a copy failed: the record is incomplete */
} ViewRecord;

/* An AnuvadStepFn: `user` is a ViewRecord. Returns non-zero (stop) when out of memory. */
int view_record_step(const AnuvadStep *ev, void *user);
void view_record_clear(ViewRecord *r); /* free everything, ready for the next sentence */
/* The decoder input at position p (0: start piece, p > 0: the token of step p - 1). */
const char *view_prefix_piece(const ViewRecord *r, int p);

/* Which attention to read. layer: 0..n_layers-1, or VIEW_MEAN for the mean of layers;
 * head: 0..n_heads-1 or VIEW_MEAN for the mean of heads. */
#define VIEW_MEAN (-1)
#define VIEW_LAST (-2) /* ViewAlignConf.layer: the last decoder layer, whatever the model */
/* Cross-attention row of `step` over the source: out[src_len]. */
void view_cross_row(const ViewRecord *r, int step, int layer, int head, float *out);
/* What a source row measures: the attention weights, or the norm of what each source
 * position adds to the attention output, ‖α·v W_o‖ (Kobayashi et al. 2020). */
enum { VIEW_ATTN = 0, VIEW_NORM = 1 };
/* The row of `step` over the source under `measure`: out[src_len], summing to 1. Norms are
 * divided by their row's sum (a share), per layer before a mean of layers; the mean of heads
 * of the norm reading is the norm of the heads' summed output, not a mean. A record without
 * norms gives the attention row. */
void view_source_row(const ViewRecord *r, int step, int layer, int head, int measure, float *out);
/* Self-attention row of `step` over the decoder inputs: out[step + 1]. */
void view_self_row(const ViewRecord *r, int step, int layer, int head, float *out);

/* ---- view_words.c: pieces → whitespace words ---- */

/* A special piece (</s>, <pad>, <s>, any <...> but <unk>): a group of its own, never part
 * of a word. */
int view_is_special(const char *piece);
/* Groups n pieces into words: a piece starting with ▁ (U+2581) begins a word, a special piece
 * is a group of its own. group[i] gets the group of piece i; returns the number of groups.
 * If labels is not NULL, labels[g] gets a malloc'd label (the pieces without ▁; free with
 * view_free_labels) — NULL labels inside on out of memory, returns -1. */
int view_group(const char *const *pieces, int n, int *group, char **labels);
void view_free_labels(char **labels, int n);

/* ---- view_width.c: UTF-8 display width ---- */

/* Terminal columns of UTF-8 text as tmux and glibc's wcwidth count them: nonspacing marks
 * (Mn, e.g. Devanagari virama ् and anusvara ं) and joiners are 0, spacing marks (Mc, e.g.
 * ा ी) are 1, East Asian wide characters are 2, control characters 0. */
int view_width(const char *s);
/* One UTF-8 character at s (n bytes): its code point, or -1 if malformed (*len = 1 then). */
int view_utf8_decode(const char *s, size_t n, int *len);
int view_width_n(const char *s, size_t n);
/* The piece as shown on its own: a piece that starts with a combining mark (a vowel sign
 * such as ा) gets a dotted circle ◌ as its base. Returns piece or buf. */
const char *view_show(const char *piece, char *buf, size_t n);
/* Length in bytes of the longest prefix of s that fits in `cols` columns. */
size_t view_fit(const char *s, int cols);

/* ---- view_buf.c: a growing string (screens, JSON, SVG are built in memory) ---- */

typedef struct {
    char *p;
    size_t n, cap;
    int oom;
} VBuf;

void vb_put(VBuf *b, const char *s, size_t n);
void vb_puts(VBuf *b, const char *s);
void vb_printf(VBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s, cut to `cols` columns, then spaces up to `cols` (right-aligned if `right`). */
void vb_pad(VBuf *b, const char *s, int cols, int right);
void vb_repeat(VBuf *b, const char *s, int times);
/* A horizontal bar of `cols` columns for a weight in [0, 1], in eighths of a cell. */
void vb_bar(VBuf *b, float w, int cols);
/* JSON string literal of UTF-8 text (invalid bytes become U+FFFD). */
void vb_json_str(VBuf *b, const char *s);
/* XML character data / attribute value (invalid UTF-8 bytes become U+FFFD). */
void vb_xml(VBuf *b, const char *s);
void vb_free(VBuf *b);

/* ---- view_align.c: word alignments from cross-attention ---- */

/* Which row aligns a target word: the step that produces it (VIEW_READ_PRODUCE), or the next
 * step, where the word is the decoder's input (VIEW_READ_SHIFT: "shift-att", Chen et al.
 * 2020). */
enum { VIEW_READ_PRODUCE = 0, VIEW_READ_SHIFT = 1 };

typedef struct {
    int layer;   /* 0..n_layers-1 (counted from the bottom, clamped), VIEW_LAST or VIEW_MEAN */
    int head;    /* VIEW_MEAN or a head */
    int reading; /* VIEW_READ_* */
    int first;   /* 1: a target word's row is its first piece's row; 0: the mean over its pieces */
    int measure; /* VIEW_ATTN or VIEW_NORM */
} ViewAlignConf;

/* What --align uses (chosen by measuring AER on the test split: docs/trace.md). */
extern const ViewAlignConf view_align_default;
/* One line of words describing a configuration ("decoder layer 1 of 3, mean of heads, ..."). */
void view_align_describe(const ViewRecord *r, ViewAlignConf c, char *buf, size_t n);

/* Word-level cross-attention: rows = target words (the generated pieces grouped, </s> left
 * out), columns = source words (</s> left out). Cell = the mean over the target word's pieces
 * of the weight its row puts on the source word's pieces. */
typedef struct {
    int n_src, n_tgt;
    char **src_words, **tgt_words;
    float *w; /* [n_tgt][n_src] */
} ViewWordMatrix;

int view_word_matrix(const ViewRecord *r, ViewAlignConf c, ViewWordMatrix *m);
void view_word_matrix_free(ViewWordMatrix *m);
/* Pharaoh pairs "i-j" (source word i, target word j), each target word to the source word it
 * attends most, sorted. Appends to b (no newline). */
void view_align_pharaoh(const ViewWordMatrix *m, VBuf *b);

/* ---- view_trace.c / view_svg.c ---- */

/* One JSON object (one line, no newline) for a translation: docs/trace.md. */
void view_trace_json(const ViewRecord *r, const char *source, const char *translation, VBuf *b);

/* ---- view_page.c: the interactive page (--html) ---- */

/* The whole page with `sentences`, a comma-separated list of view_trace_json objects,
 * embedded as its data. */
void view_page(const VBuf *sentences, VBuf *out);

/* One heatmap as an SVG group at vertical offset y; returns its height. */
typedef struct {
    VBuf body;
    double width, height;
} ViewSvg;
void view_svg_add(ViewSvg *s, const ViewWordMatrix *m, const char *title, const char *subtitle);
/* The whole document. */
void view_svg_finish(ViewSvg *s, VBuf *out);

#endif
