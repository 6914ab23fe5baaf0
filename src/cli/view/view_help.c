/* The step view's help screen (`?`): the keys, and in one line each what the parts of a step
 * screen are, for someone who has just met cross-attention in a lecture. */
#include "view_screen.h"

static const char *const HELP[] = {
    "Each screen is one decoding step: the model picks the next output token.",
    "",
    "source      the sentence as the encoder saw it, in pieces (▁ starts a word)",
    "so far      the decoder's inputs: <pad> first (Marian decoders start from",
    "            pad), then each token chosen so far",
    "next token  the most probable next tokens; the probabilities are over the",
    "            whole vocabulary, so the tokens not listed share the rest",
    "cross-att.  how much this step reads each source piece (the row sums to 1)",
    "self-att.   how much it reads each of its own inputs so far",
    "C(x) = ...  the context vector: the weighted sum of e(·), the encoder's",
    "            outputs (each piece in context, not its raw embedding)",
    "n: norms    another reading, ‖α·v·Wₒ‖: what each piece adds to the output;",
    "            a big weight on a small vector adds little (Kobayashi et al.)",
    "",
    "Enter/space/→ next step    b/← back    q quit    j/k scroll a long screen",
    "1-9  force candidate k and decode on from it (\"what if?\")",
    "l    next decoder layer, then the mean of layers",
    "h    next head, then the mean of heads",
    "n    attention weights / norm reading    w  words / pieces    a  play",
    "s    (--beam) select the next live hypothesis: its candidates and attention;",
    "     1-9 then extends it, and the search starts again from there",
    "Weights show where a step reads, not why it chose (docs/explain.md).",
};

int view_render_help(StepView *v, VBuf *b) {
    b->n = 0;
    if (b->p) b->p[0] = 0;
    vb_printf(b, "%sanuvad step · help%s (any key goes back)\n", BOLD(v), RESET(v));
    for (size_t i = 0; i < sizeof HELP / sizeof *HELP; i++) vb_printf(b, "%s\n", HELP[i]);
    return b->oom ? -1 : 0;
}
