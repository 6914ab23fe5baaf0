/* The step view's state and its screens (issue 5): view_screen.c draws one step or the final
 * tables into a buffer; view_step.c drives it (keys, decoding, plain output). */
#ifndef ANUVAD_VIEW_SCREEN_H
#define ANUVAD_VIEW_SCREEN_H

#include "view.h"

typedef struct {
    AnuvadModel *m;
    AnuvadOptions opt;
    const char *text;
    ViewRecord rec;
    char *translation;
    char err[512];
    int *chosen; /* the forced prefix of the current decoding */
    int n_chosen;
    int cur;         /* the step on screen; rec.n_steps = the final tables */
    int layer, head; /* attention shown: layer 0..L-1, head VIEW_MEAN or 0..H-1 */
    int words;       /* w: whitespace words instead of pieces */
    int norm;        /* n: the norm reading (VIEW_NORM) instead of the attention weights */
    int help;        /* ?: the help screen is shown */
    int color;
    int cols, rows;
    int scroll; /* first line shown when the screen is taller than the terminal */
    /* Beam search (opt.beam_size > 1): sel, the hypothesis shown among those live at step
     * cur (-1: the one on the final translation's path, whose steps rec holds); another one's
     * steps come from `alt`, its tokens decoded once more, forced, up to step alt_step. */
    int sel;
    ViewRecord alt;
    int alt_step, alt_sel;
} StepView;

/* The screen for v->cur: one step, or the final tables when v->cur == v->rec.n_steps.
 * 0, or -1 when out of memory. */
int view_render(StepView *v, VBuf *b);

/* ---- view_beams.c: the live hypotheses of beam search ---- */

/* Hypotheses live at step t (those the step extends): 1 at step 0, else the beams recorded
 * after step t - 1. */
int view_beam_count(const ViewRecord *r, int t);
/* The tokens of hypothesis k live at step t, out[t], by its parents; returns t. */
int view_beam_tokens(const ViewRecord *r, int t, int k, int *out);
/* The hypothesis live at step t that the final translation goes on from. */
int view_beam_best(const ViewRecord *r, int t);
/* The record whose step v->cur is shown: v->rec, or v->alt for another selected hypothesis. */
const ViewRecord *view_shown(const StepView *v);
/* s: select the next hypothesis live at step v->cur (decoding it if it is not the best's). */
int view_beam_select(StepView *v);
/* The forced prefix for candidate k (1-based) of the shown hypothesis at step v->cur: its
 * tokens, then the candidate; v->chosen gets it. 0, or -1 when out of memory. */
int view_beam_force(StepView *v, int k);
/* The list of live hypotheses (text, score) at step v->cur, the shown one marked. */
void view_beam_list(StepView *v, VBuf *b);
/* Whether candidate `id` of the shown step was kept: greedy, it is the token picked; beam
 * search, it is among the next step's hypotheses (or the final translation's token). */
int view_beam_kept(const StepView *v, int id);

/* The help screen (`?`): the keys and what each part of a step screen means. */
int view_render_help(StepView *v, VBuf *b);
/* Appends the n bytes of lines at p, each cut to v->cols - 1 display columns (colour escapes
 * take none and are kept, so a cut line still resets its colour). */
void view_clip_lines(const StepView *v, VBuf *out, const char *p, size_t n);

/* Escape sequences only when v->color. */
const char *view_style(const StepView *v, const char *code);
#define BOLD(v) view_style(v, "\x1b[1m")
#define DIM(v) view_style(v, "\x1b[2m")
#define GREEN(v) view_style(v, "\x1b[1;32m")
#define YELLOW(v) view_style(v, "\x1b[1;33m")
#define CYAN(v) view_style(v, "\x1b[36m")
#define RESET(v) view_style(v, "\x1b[0m")

#endif
