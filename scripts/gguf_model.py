#!/usr/bin/env python3
"""Load an anuvad GGUF file (docs/format.md) into the PyTorch reference (scripts/model.py).

The reference then runs on exactly the weights the C engine reads (F16 matrices widened to
F32 the same exact way), so greedy outputs can be compared token for token. Also the
reference side of the pipeline: tokenize like the engine (pieces -> vocabulary ids by string,
</s> appended), greedy, detokenize.

    from gguf_model import load, translate
    m = load("models/en-hi.gguf"); print(translate(m, "we are friends"))
"""
import os
import sys
from dataclasses import dataclass

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Config, Seq2Seq, default_max_len      # noqa: E402
from gguf_reader import read_gguf      # noqa: E402,F401 (re-exported)

@dataclass
class Loaded:
    model: Seq2Seq
    config: Config
    vocab: list
    index: dict
    src_sp: object
    tgt_sp: object
    marian: bool = False      # anuvad.tokenizer.marian: output cleaned as MarianTokenizer
    forced_eos: bool = False  # anuvad.generation.forced_eos: the last allowed token is </s>


def load(path):
    import sentencepiece as spm
    meta, tensors = read_gguf(path)
    g = lambda k: meta["anuvad." + k]            # noqa: E731
    c = Config(vocab_size=g("vocab_size"), d_model=g("d_model"),
               encoder_layers=g("encoder.layers"), decoder_layers=g("decoder.layers"),
               heads=g("heads"), ffn_dim=g("ffn_dim"), activation=g("activation"),
               norm=g("norm"), positions=g("positions"), max_positions=g("max_positions"),
               scale_embedding=bool(g("scale_embedding")), tie_output=bool(g("tie_output")),
               final_logits_bias="final_logits_bias" in tensors,
               layer_norm_eps=g("layer_norm_eps"), dropout=0.0, pad_id=g("token.pad"),
               eos_id=g("token.eos"), unk_id=g("token.unk"),
               decoder_start_id=g("token.decoder_start"))
    model = Seq2Seq(c).eval()
    sd = {k: torch.from_numpy(v.copy()) for k, v in tensors.items()}
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert not unexpected and not missing, (missing, unexpected)
    vocab = meta["tokenizer.vocab"]
    index = {}
    for i, p in enumerate(vocab):
        index.setdefault(p, i)
    src = spm.SentencePieceProcessor(model_proto=meta["tokenizer.source.spm"])
    tgt = spm.SentencePieceProcessor(model_proto=meta["tokenizer.target.spm"])
    return Loaded(model, c, vocab, index, src, tgt, bool(meta.get("anuvad.tokenizer.marian")),
                  bool(meta.get("anuvad.generation.forced_eos")))


def source_ids(m, text):
    c = m.config
    pieces = m.src_sp.encode(text, out_type=str)
    return [m.index.get(p, c.unk_id) for p in pieces][:c.max_positions - 1] + [c.eos_id]


def detokenize(m, ids):
    c = m.config
    if m.marian:   # as src/spm/marian_text.c: <unk> skipped, leftover ▁ -> space, ends stripped
        keep = [m.vocab[i] for i in ids if i not in (c.eos_id, c.pad_id, c.unk_id)]
        return m.tgt_sp.decode_pieces(keep).replace("\u2581", " ").strip(" \t\n\r\f\v")
    return m.tgt_sp.decode_pieces([m.vocab[i] for i in ids if i not in (c.eos_id, c.pad_id)])


@torch.no_grad()
def translate(m, text):
    """(translation, generated ids) as the engine computes them."""
    if not m.src_sp.encode(text, out_type=str):
        return "", []
    src = source_ids(m, text)
    ids = m.model.greedy(src)
    max_len = default_max_len(len(src), m.config.max_positions)
    if m.forced_eos and len(ids) == max_len and ids[-1] != m.config.eos_id:
        ids[-1] = m.config.eos_id   # forcing the last step's pick changes nothing before it
    return detokenize(m, ids), ids


if __name__ == "__main__":
    m = load(sys.argv[1])
    for line in sys.stdin:
        print(translate(m, line.rstrip("\n"))[0])
