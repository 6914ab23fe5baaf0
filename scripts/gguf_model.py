#!/usr/bin/env python3
"""Load an anuvad GGUF file (docs/format.md) into the PyTorch reference (scripts/model.py).

The reference then runs on exactly the weights the C engine reads (F16 matrices widened to
F32 the same exact way, Q8_0 matrices dequantized to scale·q, which is exact in float32), so greedy outputs can be compared token for token. Also the
reference side of the pipeline: tokenize like the engine (pieces -> vocabulary ids by string,
</s> appended), greedy, detokenize.

    from gguf_model import load, translate
    m = load("models/en-hi.gguf"); print(translate(m, "we are friends"))
"""
import os
import struct
import sys
from dataclasses import dataclass

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Config, Seq2Seq      # noqa: E402
from gguf_writer import Q8_0, Q8_0_BLOCK, dequantize_q8_0   # noqa: E402

SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q",
           11: "<q", 12: "<d"}


def read_gguf(path):
    """(metadata dict, {name: numpy array in PyTorch shape, float32})."""
    data = open(path, "rb").read()
    pos = 0

    def take(fmt):
        nonlocal pos
        v = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return v[0]

    def string():
        nonlocal pos
        n = take("<Q")
        s = data[pos:pos + n]
        pos += n
        return s.decode("utf-8", "surrogateescape")

    def value(t):
        nonlocal pos
        if t in SCALARS:
            return take(SCALARS[t])
        if t == 8:
            return string()
        et, n = take("<I"), take("<Q")
        if et == 0:                               # bytes (SentencePiece models)
            v = data[pos:pos + n]
            pos += n
            return bytes(v)
        return [value(et) for _ in range(n)]

    assert take("<I") == 0x46554747 and take("<I") == 3, "not a GGUF v3 file"
    n_tensors, n_kv = take("<Q"), take("<Q")
    meta = {}
    for _ in range(n_kv):
        k = string()
        meta[k] = value(take("<I"))
    infos = []
    for _ in range(n_tensors):
        name = string()
        dims = [take("<Q") for _ in range(take("<I"))]
        infos.append((name, dims, take("<I"), take("<Q")))
    align = meta.get("general.alignment", 32)
    start = (pos + align - 1) // align * align
    tensors = {}
    for name, dims, t, off in infos:
        n = int(np.prod(dims))
        if t == Q8_0:
            raw = data[start + off:start + off + n // Q8_0_BLOCK * (2 + Q8_0_BLOCK)]
            tensors[name] = dequantize_q8_0(raw, list(reversed(dims)))
            continue
        dtype = {0: "<f4", 1: "<f2"}[t]
        a = np.frombuffer(data, dtype=dtype, count=n, offset=start + off).astype(np.float32)
        tensors[name] = a.reshape(list(reversed(dims)))   # GGML order -> PyTorch order
    return meta, tensors


@dataclass
class Loaded:
    model: Seq2Seq
    config: Config
    vocab: list
    index: dict
    src_sp: object
    tgt_sp: object


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
    return Loaded(model, c, vocab, index, src, tgt)


def source_ids(m, text):
    c = m.config
    pieces = m.src_sp.encode(text, out_type=str)
    return [m.index.get(p, c.unk_id) for p in pieces][:c.max_positions - 1] + [c.eos_id]


def detokenize(m, ids):
    c = m.config
    return m.tgt_sp.decode_pieces([m.vocab[i] for i in ids if i not in (c.eos_id, c.pad_id)])


@torch.no_grad()
def translate(m, text):
    """(translation, generated ids) as the engine computes them."""
    if not m.src_sp.encode(text, out_type=str):
        return "", []
    ids = m.model.greedy(source_ids(m, text))
    return detokenize(m, ids), ids


if __name__ == "__main__":
    m = load(sys.argv[1])
    for line in sys.stdin:
        print(translate(m, line.rstrip("\n"))[0])
