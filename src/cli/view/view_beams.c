/* The step view under beam search: the hypotheses live at each step and the one selected.
 *
 * The library reports the steps of the final translation (replayed after the search) and,
 * with each, the live hypotheses after it as (token, parent, score). A hypothesis' tokens are
 * found by walking its parents. Another hypothesis' attention and candidates at step t are
 * what the decoder computes for its row; the view gets them by decoding its t tokens once
 * more, forced, up to step t (a short sentence takes milliseconds), so the library needs no
 * second kind of event. */
#include <stdlib.h>
#include <string.h>

#include "view_screen.h"

int view_beam_count(const ViewRecord *r, int t) {
    return t == 0 ? 1 : t <= r->n_steps ? r->steps[t - 1].n_beams : 0;
}

int view_beam_tokens(const ViewRecord *r, int t, int k, int *out) {
    for (int i = t - 1; i >= 0; i--) {
        const ViewBeam *b = &r->steps[i].beams[k];
        out[i] = b->token;
        k = b->parent;
    }
    return t;
}

int view_beam_best(const ViewRecord *r, int t) {
    int n = view_beam_count(r, t), *tok = malloc(((size_t)t + 1) * sizeof *tok);
    for (int k = 0; tok && k < n; k++) {
        view_beam_tokens(r, t, k, tok);
        int i = 0;
        while (i < t && tok[i] == r->steps[i].token) i++;
        if (i == t) {
            free(tok);
            return k;
        }
    }
    free(tok);
    return 0; /* cannot happen: the best one's prefix was live at every step */
}

static int selected(const StepView *v) {
    return v->sel >= 0 && v->sel != view_beam_best(&v->rec, v->cur) ? v->sel : -1;
}

const ViewRecord *view_shown(const StepView *v) {
    int k = selected(v);
    if (k < 0 || v->alt_step != v->cur || v->alt_sel != k || v->alt.n_steps <= v->cur)
        return &v->rec;
    return &v->alt;
}

int view_beam_select(StepView *v) {
    int n = view_beam_count(&v->rec, v->cur), t = v->cur;
    if (n < 2) return 0;
    int cur = v->sel >= 0 ? v->sel : view_beam_best(&v->rec, t);
    v->sel = (cur + 1) % n;
    if (selected(v) < 0 || (v->alt_step == t && v->alt_sel == v->sel && v->alt.n_steps > t))
        return 0;
    int *tok = malloc(((size_t)t + 1) * sizeof *tok);
    if (!tok) return -1;
    view_beam_tokens(&v->rec, t, v->sel, tok);
    AnuvadOptions o = v->opt;
    o.beam_size = 1, o.n_best = 1, o.forced = tok, o.n_forced = t;
    o.max_len = t + 2; /* step t is the model's own; +2 so no forced </s> lands on it */
    o.on_step = view_record_step, o.step_user = &v->alt;
    view_record_clear(&v->alt);
    AnuvadResult r;
    int rc = anuvad_translate(v->m, v->text, &o, &r);
    if (rc) snprintf(v->err, sizeof v->err, "%s", r.error);
    anuvad_result_free(&r);
    free(tok);
    if (!rc && (v->alt.oom || v->alt.n_steps <= t)) {
        snprintf(v->err, sizeof v->err, "out of memory");
        rc = -1;
    }
    v->alt_step = t, v->alt_sel = v->sel;
    return rc ? -1 : 0;
}

int view_beam_force(StepView *v, int k) {
    const ViewRecord *r = view_shown(v);
    int t = v->cur, *c = realloc(v->chosen, ((size_t)t + 1) * sizeof *c);
    if (!c) return -1;
    v->chosen = c;
    int sel = selected(v);
    if (v->opt.beam_size > 1 && sel >= 0) view_beam_tokens(&v->rec, t, sel, c);
    else
        for (int i = 0; i < t; i++) c[i] = v->rec.steps[i].token;
    c[t] = r->steps[t].top[k - 1].id;
    v->n_chosen = t + 1;
    return 0;
}

void view_beam_list(StepView *v, VBuf *b) {
    const ViewRecord *r = &v->rec;
    int t = v->cur, n = view_beam_count(r, t), best = view_beam_best(r, t);
    int sel = v->sel >= 0 ? v->sel : best;
    int *tok = malloc(((size_t)t + 1) * sizeof *tok);
    if (!tok) {
        b->oom = 1;
        return;
    }
    vb_printf(b, "%shypotheses%s: %d live at this step, best first %s(s: select; score: sum of "
                 "log-probabilities)%s\n",
              BOLD(v), RESET(v), n, DIM(v), RESET(v));
    const AnuvadTokenizer *tz = anuvad_tokenizer(v->m, ANUVAD_TARGET);
    for (int k = 0; k < n; k++) {
        float score = t ? r->steps[t - 1].beams[k].score : 0.0f;
        char *text = NULL, err[256];
        view_beam_tokens(r, t, k, tok);
        if (anuvad_detokenize(tz, tok, t, &text, err, sizeof err)) b->oom = 1;
        vb_printf(b, "%s%s hyp %d %9.4f  %s%s%s%s\n", k == sel ? GREEN(v) : "", k == sel ? ">" : " ",
                  k + 1, (double)score, t ? (text ? text : "") : "(nothing yet)", RESET(v),
                  k == best ? DIM(v) : "", k == best ? "  ← the final translation's path" : "");
        if (k == best) vb_puts(b, RESET(v));
        free(text);
    }
    free(tok);
}

int view_beam_kept(const StepView *v, int id) {
    const ViewRecord *r = &v->rec;
    int t = v->cur, best = view_beam_best(r, t), sel = v->sel >= 0 ? v->sel : best;
    if (v->opt.beam_size <= 1 || !r->steps[t].n_beams) return id == view_shown(v)->steps[t].token;
    if (sel == best && id == r->steps[t].token) return 1;
    for (int k = 0; k < r->steps[t].n_beams; k++)
        if (r->steps[t].beams[k].parent == sel && r->steps[t].beams[k].token == id) return 1;
    return 0;
}
