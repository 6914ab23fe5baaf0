#!/usr/bin/env python3
"""Write an anuvad GGUF model as a Hugging Face Marian directory, the way save_pretrained
lays one out, so transformers (MarianMTModel, MarianTokenizer) and the tools built on it can
load our models.

    export_hf.py models/en-hi.gguf DIR

Writes config.json, generation_config.json, model.safetensors (written directly: 8-byte
header length, JSON header, raw little-endian F32 data), vocab.json (and target_vocab.json
for separate vocabularies), source.spm, target.spm and tokenizer_config.json. Needs only the
standard library and numpy. Pre-norm models and learned positions have no MarianMTModel
equivalent and are refused.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf_reader import read_gguf                        # noqa: E402


class ExportError(Exception):
    pass


def write_safetensors(path, tensors):
    """{name: float32 array} -> a .safetensors file (names sorted, as safetensors does)."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape),
                        "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        blobs.append(a.tobytes())
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)                      # data 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head)
        for b in blobs:
            f.write(b)


def export(gguf, out):
    meta, t = read_gguf(gguf)
    g = lambda k, d=None: meta.get("anuvad." + k, d)      # noqa: E731
    if g("norm") != "post":
        raise ExportError("anuvad.norm is \"pre\": MarianMTModel computes post-norm layers only")
    if g("positions") != "sinusoidal":
        raise ExportError("anuvad.positions is \"learned\": MarianMTModel has static sinusoids")
    if g("layer_norm_eps") is not None and abs(g("layer_norm_eps") - 1e-5) > 1e-12:
        raise ExportError(f"anuvad.layer_norm_eps = {g('layer_norm_eps')}: MarianMTModel uses 1e-5")
    vocab = meta["tokenizer.vocab"]
    tgt_vocab = meta.get("tokenizer.target_vocab")
    shared = bool(g("shared_embeddings", True))
    V, Vt = len(vocab), len(tgt_vocab) if tgt_vocab is not None else len(vocab)
    pad, eos = g("token.pad"), g("token.eos")
    if tgt_vocab is None and (meta.get("anuvad.source_token.eos", eos) != eos):
        raise ExportError("source and target </s> ids differ in one vocabulary")
    if pad >= V:
        raise ExportError(f"pad id {pad} is not a source vocabulary id (transformers uses one "
                          "pad id for both embeddings)")
    forced_eos = eos if g("generation.forced_eos") else None
    cfg = {
        "architectures": ["MarianMTModel"], "model_type": "marian",
        "vocab_size": V, "decoder_vocab_size": Vt, "d_model": g("d_model"),
        "encoder_layers": g("encoder.layers"), "decoder_layers": g("decoder.layers"),
        "encoder_attention_heads": g("heads"), "decoder_attention_heads": g("heads"),
        "encoder_ffn_dim": g("ffn_dim"), "decoder_ffn_dim": g("ffn_dim"),
        "activation_function": g("activation"), "max_position_embeddings": g("max_positions"),
        "scale_embedding": bool(g("scale_embedding")),
        "share_encoder_decoder_embeddings": shared,
        "tie_word_embeddings": bool(g("tie_output")),
        "pad_token_id": pad, "eos_token_id": eos, "decoder_start_token_id": g("token.decoder_start"),
        "forced_eos_token_id": forced_eos, "dropout": 0.0, "attention_dropout": 0.0,
        "activation_dropout": 0.0, "is_encoder_decoder": True,
    }
    gen = {"decoder_start_token_id": cfg["decoder_start_token_id"], "eos_token_id": eos,
           "pad_token_id": pad, "forced_eos_token_id": forced_eos,
           "bad_words_ids": [[pad]], "num_beams": int(g("generation.num_beams", 1) or 1),
           "max_length": int(g("generation.max_length", 0) or g("max_positions"))}
    sd = {}
    for name, a in t.items():
        if name == "shared.weight":
            sd["model.shared.weight"] = a
        elif name == "final_logits_bias" or name == "lm_head.weight":
            sd[name] = a
        else:
            sd["model." + name] = a
    if "final_logits_bias" not in sd:
        sd["final_logits_bias"] = np.zeros((1, Vt), np.float32)
    # The tied copies, as transformers' own files hold them (it re-ties them on load).
    if shared:
        sd["model.encoder.embed_tokens.weight"] = sd["model.decoder.embed_tokens.weight"] = \
            sd["model.shared.weight"]
    if cfg["tie_word_embeddings"]:
        sd["lm_head.weight"] = sd["model.decoder.embed_tokens.weight"]
    os.makedirs(out, exist_ok=True)
    write_safetensors(os.path.join(out, "model.safetensors"), sd)
    json.dump(cfg, open(os.path.join(out, "config.json"), "w"), indent=2)
    json.dump(gen, open(os.path.join(out, "generation_config.json"), "w"), indent=2)
    for f, key in (("source.spm", "tokenizer.source.spm"), ("target.spm", "tokenizer.target.spm")):
        open(os.path.join(out, f), "wb").write(meta[key])
    dump = lambda v, f: json.dump({p: i for i, p in enumerate(v)},    # noqa: E731
                                  open(os.path.join(out, f), "w", encoding="utf-8"),
                                  ensure_ascii=False, indent=1)
    if len(set(vocab)) != len(vocab):
        raise ExportError("tokenizer.vocab repeats a piece: vocab.json cannot hold it")
    dump(vocab, "vocab.json")
    tok = {"tokenizer_class": "MarianTokenizer", "source_lang": g("source_language", ""),
           "target_lang": g("target_language", ""), "separate_vocabs": tgt_vocab is not None,
           "model_max_length": g("max_positions"), "unk_token": "<unk>", "eos_token": "</s>",
           "pad_token": "<pad>"}
    if tgt_vocab is not None:
        dump(tgt_vocab, "target_vocab.json")
    json.dump(tok, open(os.path.join(out, "tokenizer_config.json"), "w"), indent=2)
    return cfg


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gguf")
    ap.add_argument("dir")
    a = ap.parse_args()
    try:
        cfg = export(a.gguf, a.dir)
    except (ExportError, OSError, KeyError) as e:
        print(f"export_hf.py: {e}", file=sys.stderr)
        sys.exit(2)
    print(f"wrote {a.dir}: MarianMTModel d_model {cfg['d_model']}, vocab {cfg['vocab_size']}")


if __name__ == "__main__":
    main()
