#!/usr/bin/env python3
"""Convert an original Marian / OPUS-MT release directory (what OPUS-MT's download pages
serve, unzipped) into an anuvad GGUF file.

    convert_marian.py DIR OUT.gguf [--dtype f32|f16] [--name NAME]

DIR holds one *.npz (Marian's tensor names; its own config as `special:model.yml`),
decoder.yml, *.vocab.yml (or *src.vocab.yml and *trg.vocab.yml for separate vocabularies),
source.spm and target.spm. The result computes what transformers' own converter
(convert_marian_to_pytorch) and MarianMTModel compute: a <pad> token appended to each
vocabulary with a zero embedding row (decoding starts from it), sinusoidal positions,
post-norm layers. Every model.yml setting that changes the computation is checked; the
first unsupported one is named with its value. Needs numpy and PyYAML (Debian's python3-yaml).
"""
import glob
import os
import sys

import numpy as np
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from marian_gguf import (ConvertError, converter_main, read_spms, vocab_list,  # noqa: E402
                         write_or_fail)

CONFIG_KEY = "special:model.yml"
BIAS_KEY = "decoder_ff_logit_out_b"
# model.yml settings that must hold these values (the Marian transformer transformers runs).
REQUIRED = {
    "type": "transformer", "layer-normalization": False, "right-left": False,
    "transformer-ffn-depth": 2, "transformer-no-projection": False,
    "transformer-postprocess-emb": "d", "transformer-postprocess": "dan",
    "transformer-preprocess": "", "transformer-decoder-autoreg": "self-attention",
    "transformer-train-position-embeddings": False, "ulr-dim-emb": 0,
}
# Marian per-layer names -> anuvad's (docs/format.md), matrices stored [in, out].
LAYER = {
    "self_Wq": "self_attn.q_proj.weight", "self_bq": "self_attn.q_proj.bias",
    "self_Wk": "self_attn.k_proj.weight", "self_bk": "self_attn.k_proj.bias",
    "self_Wv": "self_attn.v_proj.weight", "self_bv": "self_attn.v_proj.bias",
    "self_Wo": "self_attn.out_proj.weight", "self_bo": "self_attn.out_proj.bias",
    "self_Wo_ln_scale": "self_attn_layer_norm.weight", "self_Wo_ln_bias": "self_attn_layer_norm.bias",
    "ffn_W1": "fc1.weight", "ffn_b1": "fc1.bias", "ffn_W2": "fc2.weight", "ffn_b2": "fc2.bias",
    "ffn_ffn_ln_scale": "final_layer_norm.weight", "ffn_ffn_ln_bias": "final_layer_norm.bias",
    "context_Wq": "encoder_attn.q_proj.weight", "context_bq": "encoder_attn.q_proj.bias",
    "context_Wk": "encoder_attn.k_proj.weight", "context_bk": "encoder_attn.k_proj.bias",
    "context_Wv": "encoder_attn.v_proj.weight", "context_bv": "encoder_attn.v_proj.bias",
    "context_Wo": "encoder_attn.out_proj.weight", "context_bo": "encoder_attn.out_proj.bias",
    "context_Wo_ln_scale": "encoder_attn_layer_norm.weight",
    "context_Wo_ln_bias": "encoder_attn_layer_norm.bias",
}
ACTIVATIONS = {"relu": "relu", "swish": "swish", "gelu": "gelu"}


def cast(v):
    """Marian's YAML read as strings (as transformers does), then booleans and integers."""
    if isinstance(v, list):
        return [cast(x) for x in v]
    if v in ("true", "false"):
        return v == "true"
    try:
        return int(v)
    except (TypeError, ValueError):
        return v


def load_yaml(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=yaml.BaseLoader)
    except OSError as e:
        raise ConvertError(f"{what}: {e.strerror}: {path}")
    except yaml.YAMLError as e:
        raise ConvertError(f"{what}: not YAML: {str(e).splitlines()[0]}")


def one(d, pattern, what):
    found = sorted(glob.glob(os.path.join(d, pattern)))
    if len(found) != 1:
        raise ConvertError(f"{d}: want exactly one {what} ({pattern}), found {len(found)}")
    return found[0]


def read_vocab(path):
    raw = load_yaml(path, os.path.basename(path))
    if not isinstance(raw, dict):
        raise ConvertError(f"{path}: not a piece: id mapping")
    try:
        v = vocab_list({k: int(i) for k, i in raw.items()}, os.path.basename(path))
    except ValueError as e:
        raise ConvertError(str(e))
    if "<pad>" in v:
        raise ConvertError(f"{path}: already has <pad>; Marian vocabularies do not")
    return v + ["<pad>"]          # appended, with a zero embedding row, as transformers does


def with_pad_row(a):
    return np.concatenate([a, np.zeros((1,) + a.shape[1:], np.float32)])


def convert(d, out, dtype="f32", name=None):
    npz_path = one(d, "*.npz", "Marian model file")
    try:
        npz = dict(np.load(npz_path))
    except (OSError, ValueError) as e:
        raise ConvertError(f"{npz_path}: not a numpy .npz file: {e}")
    if CONFIG_KEY not in npz:
        raise ConvertError(f"{npz_path}: no {CONFIG_KEY} entry (Marian's own config)")
    raw = bytes(np.asarray(npz.pop(CONFIG_KEY)).astype(np.uint8)).rstrip(b"\0").decode("utf-8")
    cfg = {k: cast(v) for k, v in (yaml.load(raw, Loader=yaml.BaseLoader) or {}).items()}
    for k, want in REQUIRED.items():
        if k in cfg and cfg[k] != want:
            raise ConvertError(f"model.yml: {k} = {cfg[k]!r}: only {want!r} is supported "
                               "(as in transformers' converter)")
    for k in ("dim-emb", "enc-depth", "dec-depth", "transformer-heads", "transformer-dim-ffn",
              "dim-vocabs"):
        if k not in cfg:
            raise ConvertError(f"model.yml: {k} is missing")
    act = cfg.get("transformer-ffn-activation", "swish")
    if act not in ACTIVATIONS:
        raise ConvertError(f"model.yml: transformer-ffn-activation = {act!r}: supported "
                           "relu, swish, gelu")
    if cfg.get("transformer-tied-layers"):
        raise ConvertError(f"model.yml: transformer-tied-layers = {cfg['transformer-tied-layers']!r}"
                           ": not supported")
    tied_all = cfg.get("tied-embeddings-all", False)
    shared = tied_all or cfg.get("tied-embeddings-src", False)
    tie_out = tied_all or cfg.get("tied-embeddings", False)
    dec = cast(load_yaml(os.path.join(d, "decoder.yml"), "decoder.yml").get("beam-size", "1"))

    if shared:
        vocab, tgt_vocab = read_vocab(one(d, "*vocab.yml", "vocabulary")), None
    else:
        vocab = read_vocab(one(d, "*src.vocab.yml", "source vocabulary"))
        tgt_vocab = read_vocab(one(d, "*trg.vocab.yml", "target vocabulary"))
    tv = tgt_vocab if tgt_vocab is not None else vocab
    dims = cfg["dim-vocabs"]
    if [len(vocab) - 1, len(tv) - 1] != [int(x) for x in dims]:
        raise ConvertError(f"model.yml: dim-vocabs = {dims!r}, the vocabularies have "
                           f"{len(vocab) - 1} and {len(tv) - 1} pieces")
    d_model = cfg["dim-emb"]
    hp = {"d_model": d_model, "encoder_layers": cfg["enc-depth"], "decoder_layers": cfg["dec-depth"],
          "heads": cfg["transformer-heads"], "ffn_dim": cfg["transformer-dim-ffn"],
          "activation": ACTIVATIONS[act], "norm": "post", "positions": "sinusoidal",
          "layer_norm_eps": 1e-5, "max_positions": d_model,   # transformers' converter: dim-emb
          "scale_embedding": True, "tie_output": tie_out, "shared_embeddings": shared,
          "pad": len(tv) - 1, "decoder_start": len(tv) - 1, "eos": tv.index("</s>"),
          "unk": tv.index("<unk>"), "src_eos": vocab.index("</s>"),
          "src_unk": vocab.index("<unk>")}
    gen = {"max_length": 512, "num_beams": dec, "bad_words": [hp["pad"]], "forced_eos": True}

    def take(key):
        if key not in npz:
            raise ConvertError(f"{os.path.basename(npz_path)}: tensor {key} is missing")
        return np.asarray(npz.pop(key), dtype=np.float32)

    t = {}
    bias = take(BIAS_KEY).reshape(1, -1)
    t["final_logits_bias"] = np.concatenate([bias, np.zeros((1, 1), np.float32)], axis=1)
    if shared:
        t["shared.weight"] = with_pad_row(take("Wemb"))
    else:
        t["encoder.embed_tokens.weight"] = with_pad_row(take("encoder_Wemb"))
        t["decoder.embed_tokens.weight"] = with_pad_row(take("decoder_Wemb"))
    if not tie_out:
        t["lm_head.weight"] = with_pad_row(take("decoder_ff_logit_out_W").T)
    for side, n in (("encoder", hp["encoder_layers"]), ("decoder", hp["decoder_layers"])):
        for i in range(n):
            for mk, ours in LAYER.items():
                if side == "encoder" and mk.startswith("context_"):
                    continue
                a = take(f"{side}_l{i + 1}_{mk}")
                t[f"{side}.layers.{i}.{ours}"] = a.T if ours.endswith("weight") and a.ndim == 2 \
                    and a.shape[0] != 1 else a.reshape(-1)
    if npz:
        raise ConvertError(f"{os.path.basename(npz_path)}: tensors anuvad does not know: "
                           f"{sorted(npz)[:5]}")
    spms = read_spms(d)
    base = os.path.basename(os.path.normpath(d))
    langs = base.split("-")[-2:] if base.count("-") >= 1 else ["", ""]
    hp.update(name=name or base, source_language=langs[0], target_language=langs[1],
              description="converted from a Marian release (.npz) by scripts/convert_marian.py")
    return write_or_fail(out, hp, t, vocab, tgt_vocab, spms, gen, dtype)


if __name__ == "__main__":
    converter_main(__doc__, convert)
