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
} StepView;

/* The screen for v->cur: one step, or the final tables when v->cur == v->rec.n_steps.
 * 0, or -1 when out of memory. */
int view_render(StepView *v, VBuf *b);

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
