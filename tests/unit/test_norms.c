/* The norm reading of cross-attention (AnuvadStep.cross_norm, .cross_norm_layer) against the
 * PyTorch reference on the default model (scripts/fixtures_norms.py): per head α·‖v W_o^h‖ and
 * per layer ‖Σ_h α·v W_o^h‖, every step of three greedy decodes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anuvad.h"
#include "check_run.h"

#define MODEL "models/en-hi.gguf"
#define FIXTURE "tests/fixtures/norms/en-hi.norms"
static const char *const SENTENCES[] = {"we are friends", "I like eating ice-cream",
                                        "the dog is running in the park"};

typedef struct {
    FILE *f;
    int sentence, rows, bad;
    double worst;
    char msg[256];
} Cmp;

/* Reads the fixture rows of this step (they come in step order) and compares them. */
static int on_step(const AnuvadStep *ev, void *user) {
    Cmp *c = user;
    int H = ev->n_heads, S = ev->src_len;
    for (int k = 0; k < ev->n_layers * (H + 1); k++) {
        int s, t, l, h;
        if (fscanf(c->f, "%d %d %d %d", &s, &t, &l, &h) != 4 || s != c->sentence || t != ev->step) {
            snprintf(c->msg, sizeof c->msg, "sentence %d step %d: fixture out of step (%s)",
                     c->sentence, ev->step, "another greedy output?");
            c->bad = 1;
            return 1;
        }
        const float *got =
            h < 0 ? ev->cross_norm_layer + (size_t)l * S : ev->cross_norm + ((size_t)l * H + h) * S;
        for (int j = 0; j < S; j++) {
            double want;
            if (fscanf(c->f, "%lf", &want) != 1) return c->bad = 1;
            double e = fabs(got[j] - want) / (1.0 + fabs(want));
            if (e > c->worst) c->worst = e;
        }
        c->rows++;
    }
    return 0;
}

START_TEST(norms_match_the_reference) {
    char err[512];
    AnuvadModel *m = anuvad_load(MODEL, 1, NULL, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    Cmp c = {0};
    c.f = fopen(FIXTURE, "r");
    ck_assert_msg(c.f != NULL, "%s missing: make fixtures (scripts/fixtures_norms.py)", FIXTURE);
    AnuvadOptions o;
    anuvad_options_default(&o);
    o.on_step = on_step;
    o.step_user = &c;
    for (c.sentence = 0; c.sentence < 3; c.sentence++) {
        AnuvadResult r;
        int rc = anuvad_translate(m, SENTENCES[c.sentence], &o, &r);
        ck_assert_msg(rc == 0 && !c.bad, "%s", c.bad ? c.msg : r.error);
        anuvad_result_free(&r);
    }
    int extra;
    ck_assert_msg(fscanf(c.f, "%d", &extra) != 1, "the fixture has more steps than the engine");
    fclose(c.f);
    anuvad_free(m);
    /* Every step read its rows and the fixture has none left, so the count is the engine's;
     * it only has to be more than nothing (a fixture of another model stops at step 0). */
    ck_assert_int_gt(c.rows, 0);
    ck_assert_msg(c.worst < 1e-4, "largest relative difference %g", c.worst);
    printf("norms: %d rows, largest relative difference %.2g\n", c.rows, c.worst);
}
END_TEST

int main(void) {
    Suite *s = suite_create("norms");
    TCase *tc = tcase_create("reference");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, norms_match_the_reference);
    suite_add_tcase(s, tc);
    return check_run(s);
}
