/* A second reading of cross-attention (Kobayashi et al. 2020, "Attention is not only a
 * weight"): what source position j adds to a layer's attention output is Σ_h α_hj·(v_hj W_o^h),
 * whose norm, unlike α alone, also counts how large the transformed value vector is. Computed
 * only when someone watches the steps (norms.c). */
#ifndef ANUVAD_NORMS_H
#define ANUVAD_NORMS_H

#include "state.h"

/* Source src's vo_norm, once per sentence after decoder_prepare. Uses the encoder's scratch
 * rows, free while decoding. */
void norms_prepare(RunState *s, int src);
/* Row `row`'s cross_n and cross_nl after a decoder_step. */
void norms_step(RunState *s, int row);

#endif
