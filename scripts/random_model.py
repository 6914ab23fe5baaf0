#!/usr/bin/env python3
"""A random-weight model of a given shape for speed measurements (make bench-peers, commit
messages): the default model's tokenizers, its vocabulary padded with filler pieces to the
vocabulary size, PyTorch's default initialization (scripts/model.py), seeded.

    random_model.py OUT.gguf [--shape base] [--vocab 8000] [--dtype f16|f32|q8_0] [--seed 1]

--shape base is OPUS-MT-base's: d 512, 8 heads, 6+6 layers, FFN 2048, post-norm, swish,
sinusoidal positions, 512 positions. Outputs are nonsense; the work per token is real.
"""
import argparse
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export_gguf import export             # noqa: E402
from gguf_model import read_gguf           # noqa: E402
from model import Config, Seq2Seq          # noqa: E402

SHAPES = {"base": dict(d_model=512, heads=8, encoder_layers=6, decoder_layers=6, ffn_dim=2048,
                       max_positions=512)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--shape", choices=sorted(SHAPES), default="base")
    ap.add_argument("--vocab", type=int, default=8000)
    ap.add_argument("--dtype", choices=("f16", "f32", "q8_0"), default="f16")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tokenizers", default=os.path.join(HERE, "..", "models", "en-hi.gguf"))
    a = ap.parse_args()
    meta, _ = read_gguf(a.tokenizers)
    vocab = list(meta["tokenizer.vocab"])
    if a.vocab < len(vocab):
        raise SystemExit(f"--vocab must be at least {len(vocab)} (the tokenizers' pieces)")
    vocab += [f"▁filler{i}" for i in range(a.vocab - len(vocab))]
    g = lambda k: meta["anuvad." + k]          # noqa: E731
    c = Config(vocab_size=a.vocab, activation="swish", norm="post", positions="sinusoidal",
               dropout=0.0, pad_id=g("token.pad"), eos_id=g("token.eos"), unk_id=g("token.unk"),
               decoder_start_id=g("token.decoder_start"), **SHAPES[a.shape])
    torch.manual_seed(a.seed)
    model = Seq2Seq(c).eval()
    special = {"pad": c.pad_id, "eos": c.eos_id, "unk": c.unk_id,
               "decoder_start": c.decoder_start_id}
    n = export(model.state_dict(), c, meta["tokenizer.source.spm"], meta["tokenizer.target.spm"],
               vocab, special, a.out, dtype=a.dtype, name=f"random {a.shape} V{a.vocab}",
               description="random weights, for speed measurements")
    print(f"wrote {a.out}: {n / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
