#!/usr/bin/env python3
"""Reference values of the norm reading of cross-attention (Kobayashi et al. 2020) from the
PyTorch reference (scripts/model.py) on the default model's weights, for tests/unit/test_norms.c.

At each greedy step t, decoder layer l, source position j:
    per head  n[l][h][j] = alpha[l][h][j] * || v[l][h][j] @ W_o[:, h*dh:(h+1)*dh].T ||
    heads     m[l][j]    = || sum_h alpha[l][h][j] * v[l][h][j] @ W_o[:, h*dh:(h+1)*dh].T ||
with v the projected values (bias included) and W_o the output projection (its bias belongs
to no position). Written as text, one row per (sentence, step, layer, head or -1):
    sentence<TAB>step<TAB>layer<TAB>head<TAB>values...
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf_model import load, source_ids  # noqa: E402

SENTENCES = ["we are friends", "I like eating ice-cream", "the dog is running in the park"]
OUT = "tests/fixtures/norms/en-hi.norms"


@torch.no_grad()
def main():
    m = load("models/en-hi.gguf")
    model, c = m.model, m.config
    rows = []
    for s, text in enumerate(SENTENCES):
        src_ids = source_ids(m, text)
        src = torch.tensor([src_ids])
        memory = model.encode(src)
        cache = model.new_cache(memory)
        ids = model.greedy(src_ids)
        tok = c.decoder_start_id
        for t, nxt in enumerate(ids):
            _, _, crosses = model.step(tok, t, memory, src, cache)
            for l, layer in enumerate(model.decoder.layers):
                v = cache["cross"][l][1][0]                    # [H][S][dh]
                alpha = crosses[l]                             # [H][S]
                att = layer.encoder_attn
                H, dh = att.h, att.dh
                W = att.out_proj.weight                        # [d][d]
                per_head = []
                total = 0
                for h in range(H):
                    f = v[h] @ W[:, h * dh:(h + 1) * dh].T     # [S][d]: f_h(x_j)
                    contrib = alpha[h][:, None] * f
                    per_head.append(contrib.norm(dim=1))
                    total = total + contrib
                for h in range(H):
                    rows.append((s, t, l, h, per_head[h]))
                rows.append((s, t, l, -1, total.norm(dim=1)))
            tok = nxt
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        for s, t, l, h, x in rows:
            f.write("%d\t%d\t%d\t%d\t%s\n" % (s, t, l, h, " ".join("%.7g" % v for v in x.tolist())))
    print("%s: %d rows, %d sentences" % (OUT, len(rows), len(SENTENCES)))


if __name__ == "__main__":
    main()
