#!/usr/bin/env python3
"""Export a train.py checkpoint (or any Marian-shaped state dict) to an anuvad GGUF file.

    export_gguf.py CHECKPOINT OUT.gguf [--f32] [--name NAME] [--description TEXT]

From Python (the fixture scripts do this with random weights):

    from export_gguf import export
    export(model.state_dict(), config, src_spm_bytes, tgt_spm_bytes, vocab_list,
           {"pad": 0, "eos": 1, "unk": 2, "decoder_start": 0}, "out.gguf", dtype="f16")

Keys and tensor names follow docs/format.md. Matrices are written as F16 or F32 (dtype); 1-D
tensors (biases, layer norms) and final_logits_bias are always F32. Tensors the format does
not list (e.g. HF's encoder.embed_tokens.weight, a tied copy of shared.weight) are refused,
and so is a missing one, so the file always loads.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gguf_writer as gw                                   # noqa: E402
from model import Config                                   # noqa: E402


def expected_tensors(c):
    """name -> PyTorch shape, exactly the list in docs/format.md for this config."""
    d, F, V, P = c.d_model, c.ffn_dim, c.vocab_size, c.max_positions
    t = {"shared.weight": (V, d)}
    if c.final_logits_bias:
        t["final_logits_bias"] = (1, V)
    if not c.tie_output:
        t["lm_head.weight"] = (V, d)

    def attn(prefix):
        for p in ("q", "k", "v", "out"):
            t[f"{prefix}.{p}_proj.weight"] = (d, d)
            t[f"{prefix}.{p}_proj.bias"] = (d,)

    def norm(prefix):
        t[f"{prefix}.weight"] = (d,)
        t[f"{prefix}.bias"] = (d,)

    for side, n in (("encoder", c.encoder_layers), ("decoder", c.decoder_layers)):
        if c.positions == "learned":
            t[f"{side}.embed_positions.weight"] = (P, d)
        for i in range(n):
            L = f"{side}.layers.{i}"
            attn(f"{L}.self_attn")
            norm(f"{L}.self_attn_layer_norm")
            if side == "decoder":
                attn(f"{L}.encoder_attn")
                norm(f"{L}.encoder_attn_layer_norm")
            t[f"{L}.fc1.weight"], t[f"{L}.fc1.bias"] = (F, d), (F,)
            t[f"{L}.fc2.weight"], t[f"{L}.fc2.bias"] = (d, F), (d,)
            norm(f"{L}.final_layer_norm")
        if c.norm == "pre":
            norm(f"{side}.layer_norm")
    return t


def to_numpy(x):
    if hasattr(x, "detach"):
        x = x.detach().cpu().float().numpy()
    return np.asarray(x, dtype=np.float32)


def export(state_dict, config, src_spm_bytes, tgt_spm_bytes, vocab_list, special_ids, path,
           dtype="f16", name="anuvad model", description="", languages=("en", "hi")):
    """Write `path`; returns its size in bytes. config: Config or dict; special_ids: dict with
    pad, eos, unk, decoder_start (model vocabulary ids)."""
    c = config if isinstance(config, Config) else Config.from_dict(config)
    if c.d_model % c.heads:
        raise ValueError("d_model must be a multiple of heads")
    if dtype not in ("f16", "f32"):
        raise ValueError("dtype must be f16 or f32")
    if len(vocab_list) != c.vocab_size:
        raise ValueError(f"vocab has {len(vocab_list)} pieces, config says {c.vocab_size}")
    for k in ("pad", "eos", "unk", "decoder_start"):
        if not 0 <= int(special_ids[k]) < c.vocab_size:
            raise ValueError(f"special id {k} = {special_ids[k]} outside the vocabulary")
    want = expected_tensors(c)
    sd = {k[len("model."):] if k.startswith("model.") else k: v for k, v in state_dict.items()}
    sd = {k: v for k, v in sd.items() if k in want or not k.endswith("embed_tokens.weight")}
    extra = sorted(set(sd) - set(want))
    missing = sorted(set(want) - set(sd))
    if extra or missing:
        raise ValueError(f"tensor mismatch: unexpected {extra[:5]}, missing {missing[:5]}")

    w = gw.GGUFWriter()
    w.add_string("general.architecture", "anuvad")
    w.add_string("general.name", name)
    w.add_string("general.description", description)
    w.add_string("anuvad.source_language", languages[0])
    w.add_string("anuvad.target_language", languages[1])
    w.add_u32("anuvad.vocab_size", c.vocab_size)
    w.add_u32("anuvad.d_model", c.d_model)
    w.add_u32("anuvad.encoder.layers", c.encoder_layers)
    w.add_u32("anuvad.decoder.layers", c.decoder_layers)
    w.add_u32("anuvad.heads", c.heads)
    w.add_u32("anuvad.ffn_dim", c.ffn_dim)
    w.add_string("anuvad.activation", c.activation)
    w.add_string("anuvad.norm", c.norm)
    w.add_f32("anuvad.layer_norm_eps", c.layer_norm_eps)
    w.add_string("anuvad.positions", c.positions)
    w.add_u32("anuvad.max_positions", c.max_positions)
    w.add_bool("anuvad.scale_embedding", c.scale_embedding)
    w.add_bool("anuvad.tie_output", c.tie_output)
    for k in ("pad", "eos", "unk", "decoder_start"):
        w.add_u32(f"anuvad.token.{k}", int(special_ids[k]))
    w.add_array("tokenizer.source.spm", gw.UINT8, bytes(src_spm_bytes))
    w.add_array("tokenizer.target.spm", gw.UINT8, bytes(tgt_spm_bytes))
    w.add_array("tokenizer.vocab", gw.STRING, list(vocab_list))

    mat_type = gw.F16 if dtype == "f16" else gw.F32
    for tname, shape in want.items():             # format.md order, not dict order
        a = to_numpy(sd[tname])
        if tuple(a.shape) != tuple(shape):
            raise ValueError(f"{tname}: shape {tuple(a.shape)}, expected {shape}")
        ttype = gw.F32 if a.ndim == 1 or tname == "final_logits_bias" else mat_type
        w.add_tensor(tname, a, ttype)
    return w.write(path)


def export_checkpoint(ck_path, out, dtype="f16", name=None, description=None):
    import torch
    ck = torch.load(ck_path, map_location="cpu")
    meta = ck.get("meta", {})
    if "vocab" not in ck:                     # an older checkpoint: read the tokenizer folder
        import json
        tok = ck["tok"]
        with open(os.path.join(tok, "vocab.json"), encoding="utf-8") as f:
            v = json.load(f)
        ck["vocab"] = sorted(v, key=v.get)
        ck["src_spm"] = open(os.path.join(tok, "source.model"), "rb").read()
        ck["tgt_spm"] = open(os.path.join(tok, "target.model"), "rb").read()
        ck["special"] = {"pad": v["<pad>"], "eos": v["</s>"], "unk": v["<unk>"],
                         "decoder_start": v["<pad>"]}
    return export(ck["model"], ck["config"], ck["src_spm"], ck["tgt_spm"], ck["vocab"],
                  ck["special"], out, dtype=dtype,
                  name=name or meta.get("name", "anuvad model"),
                  description=description if description is not None
                  else meta.get("description", ""),
                  languages=tuple(meta.get("languages", ("en", "hi"))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkpoint")
    ap.add_argument("out")
    ap.add_argument("--f32", action="store_true", help="matrices as F32 (default F16)")
    ap.add_argument("--name")
    ap.add_argument("--description")
    ap.add_argument("--known-words-from", metavar="TSV",
                    help="the training corpus: its source words become "
                         "anuvad.confidence.known_words (scripts/confidence.py)")
    a = ap.parse_args()
    n = export_checkpoint(a.checkpoint, a.out, "f32" if a.f32 else "f16", a.name, a.description)
    print(f"wrote {a.out}: {n} bytes ({n / 2**20:.2f} MiB)")
    if a.known_words_from:
        import confidence
        words = confidence.known_words(a.known_words_from)
        confidence.set_keys(a.out, {confidence.KNOWN: confidence.packed_strings(words)})
        print(f"{a.out}: {len(words)} known source words")


if __name__ == "__main__":
    main()
