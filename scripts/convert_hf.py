#!/usr/bin/env python3
"""Convert a Hugging Face Marian model directory (OPUS-MT, or anything MarianMTModel's
save_pretrained writes) into an anuvad GGUF file.

    convert_hf.py DIR OUT.gguf [--dtype f32|f16] [--name NAME]

DIR holds config.json (MarianConfig), model.safetensors (or a sharded
model.safetensors.index.json, or pytorch_model.bin), vocab.json (and target_vocab.json when
tokenizer_config.json says separate_vocabs), source.spm, target.spm, and optionally
generation_config.json and tokenizer_config.json. Every config field is either mapped into
the file, known to be irrelevant to inference (dropouts, init, labels), or refused with a
message naming the field and its value. Needs only the standard library and numpy; torch
only to read a pytorch_model.bin.
"""
import json
import os
import re
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from marian_gguf import (ConvertError, converter_main, read_spms, vocab_list,  # noqa: E402
                         write_or_fail)


# Fields that do not change what inference computes (training, bookkeeping, labels).
IGNORED = {
    "dropout", "attention_dropout", "activation_dropout", "classif_dropout", "classifier_dropout",
    "encoder_layerdrop", "decoder_layerdrop", "init_std", "gradient_checkpointing", "use_cache",
    "_num_labels", "num_labels", "id2label", "label2id", "transformers_version", "torch_dtype",
    "dtype", "_name_or_path", "output_attentions", "output_hidden_states", "return_dict",
    "use_return_dict", "chunk_size_feed_forward", "problem_type", "tokenizer_class",
    "pruned_heads", "torchscript", "tf_legacy_loss", "use_bfloat16", "finetuning_task",
    "_commit_hash", "_attn_implementation_autoset", "model_type", "architectures",
    "is_encoder_decoder", "is_decoder", "add_cross_attention", "cross_attention_hidden_size",
    "task_specific_params", "prefix", "sep_token_id", "cls_token_id", "mask_token_id",
    "bos_token_id", "num_hidden_layers", "num_attention_heads", "hidden_size",
    # generation sampling knobs: anuvad decodes greedily unless told otherwise
    "do_sample", "temperature", "top_k", "top_p", "typical_p", "repetition_penalty",
    "length_penalty", "no_repeat_ngram_size", "encoder_no_repeat_ngram_size",
    "num_beam_groups", "diversity_penalty", "num_return_sequences", "output_scores",
    "return_dict_in_generate", "remove_invalid_values", "exponential_decay_length_penalty",
    "suppress_tokens", "begin_suppress_tokens", "early_stopping", "min_length",
    "max_new_tokens", "renormalize_logits", "_from_model_config", "forced_bos_token_id",
    # fields older (BART-era) OPUS-MT configs carry that transformers' Marian never reads
    "extra_pos_embeddings", "output_past", "do_blenderbot_90_layernorm",
    "force_bos_token_to_be_generated",
}
# Fields that must hold exactly this value (what transformers' Marian computes).
REQUIRED = {
    "add_bias_logits": False, "add_final_layer_norm": False, "normalize_embedding": False,
    "static_position_embeddings": True, "is_encoder_decoder": True,
}
ACTIVATIONS = {"relu": "relu", "gelu": "gelu", "swish": "swish", "silu": "swish"}


def refuse(field, value, why):
    raise ConvertError(f"config.json: {field} = {json.dumps(value)}: {why}")


def read_config(cfg, gen):
    """MarianConfig (+ generation_config.json) -> hp dict and generation dict."""
    if cfg.get("model_type") != "marian":
        refuse("model_type", cfg.get("model_type"), "only \"marian\" models are converted")
    archs = cfg.get("architectures") or ["MarianMTModel"]
    if not set(archs) <= {"MarianMTModel", "MarianModel"}:
        refuse("architectures", archs, "only MarianMTModel is converted")
    for k, v in REQUIRED.items():
        if k in cfg and cfg[k] != v:
            refuse(k, cfg[k], f"transformers' Marian computes only {json.dumps(v)}")
    if cfg.get("normalize_before", False):
        refuse("normalize_before", True, "transformers' MarianMTModel always computes post-norm "
               "layers, so such a checkpoint has no reference to match")
    ok = set(IGNORED) | set(REQUIRED) | {"normalize_before"}
    hp = {"norm": "post", "positions": "sinusoidal", "layer_norm_eps": 1e-5}

    def take(key, default=None):
        ok.add(key)
        if key not in cfg and default is None:
            raise ConvertError(f"config.json: {key} is missing")
        return cfg.get(key, default)

    for k in ("d_model", "encoder_layers", "decoder_layers", "max_position_embeddings",
              "vocab_size"):
        v = take(k)
        if not isinstance(v, int) or v < (0 if k.endswith("layers") else 1):
            refuse(k, v, "not a valid size")
    hp["d_model"], hp["encoder_layers"] = cfg["d_model"], cfg["encoder_layers"]
    hp["decoder_layers"], hp["max_positions"] = cfg["decoder_layers"], cfg["max_position_embeddings"]
    if cfg.get("num_hidden_layers", cfg["encoder_layers"]) != cfg["encoder_layers"]:
        refuse("num_hidden_layers", cfg["num_hidden_layers"], "differs from encoder_layers")
    eh, dh = take("encoder_attention_heads"), take("decoder_attention_heads")
    if eh != dh:
        refuse("decoder_attention_heads", dh, f"differs from encoder_attention_heads {eh}; "
               "anuvad uses one head count")
    ef, df = take("encoder_ffn_dim"), take("decoder_ffn_dim")
    if ef != df:
        refuse("decoder_ffn_dim", df, f"differs from encoder_ffn_dim {ef}")
    hp["heads"], hp["ffn_dim"] = eh, ef
    act = take("activation_function", "gelu")
    if act not in ACTIVATIONS:
        refuse("activation_function", act, "supported: relu, gelu (erf), swish/silu")
    hp["activation"] = ACTIVATIONS[act]
    hp["scale_embedding"] = bool(take("scale_embedding", False))
    hp["shared_embeddings"] = bool(take("share_encoder_decoder_embeddings", True))
    hp["tie_output"] = bool(take("tie_word_embeddings", True))
    V = cfg["vocab_size"]
    Vt = take("decoder_vocab_size", 0) or V
    if hp["shared_embeddings"] and Vt != V:
        refuse("decoder_vocab_size", Vt, f"differs from vocab_size {V} while "
               "share_encoder_decoder_embeddings is true")
    hp["vocab_size"], hp["tgt_vocab_size"] = V, Vt if not hp["shared_embeddings"] else V

    # Generation settings: generation_config.json wins over the older copies in config.json.
    merged = {**{k: cfg[k] for k in cfg}, **gen}
    for k in gen:
        if k not in ok and k not in IGNORED and k not in (
                "pad_token_id", "eos_token_id", "decoder_start_token_id", "bad_words_ids",
                "max_length", "num_beams", "forced_eos_token_id"):
            raise ConvertError(f"generation_config.json: {k} = {json.dumps(gen[k])}: not supported")
    for k in ("pad_token_id", "eos_token_id", "decoder_start_token_id"):
        ok.add(k)
        v = merged.get(k)
        if isinstance(v, list) and len(v) == 1:
            v = v[0]
        if not isinstance(v, int):
            refuse(k, v, "must be one token id")
        hp[k.replace("_token_id", "").replace("_token", "")] = v
    ok.update(("bad_words_ids", "max_length", "num_beams", "forced_eos_token_id"))
    bad = merged.get("bad_words_ids") or []
    for seq in bad:
        if not (isinstance(seq, list) and len(seq) == 1 and seq[0] == hp["pad"]):
            refuse("bad_words_ids", bad, "anuvad bans only the pad token (as OPUS-MT models do)")
    fe = merged.get("forced_eos_token_id")
    if fe is not None and fe != hp["eos"]:
        refuse("forced_eos_token_id", fe, f"only eos ({hp['eos']}) can be forced")
    g = {"max_length": merged.get("max_length") or 0, "num_beams": merged.get("num_beams") or 1,
         "bad_words": [s[0] for s in bad], "forced_eos": fe is not None}
    for k in cfg:
        if k not in ok:
            raise ConvertError(f"config.json: {k} = {json.dumps(cfg[k])}: unknown field; "
                               "anuvad cannot tell whether it changes the computation")
    return hp, g


# ---- weights --------------------------------------------------------------------------------
ST_DTYPES = {"F32": "<f4", "F16": "<f2", "BF16": "bf16", "F64": "<f8"}


def read_safetensors(path):
    """{name: float32 array}: 8-byte little-endian header length, JSON header, raw data."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise ConvertError(f"{path}: too short for a safetensors file")
        (n,) = struct.unpack("<Q", head)
        if n > size - 8:
            raise ConvertError(f"{path}: header length {n} exceeds the file ({size} bytes)")
        try:
            header = json.loads(f.read(n))
        except ValueError as e:
            raise ConvertError(f"{path}: header is not JSON: {e}")
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dt, shape, (a, b) = info["dtype"], info["shape"], info["data_offsets"]
        if dt not in ST_DTYPES:
            raise ConvertError(f"{path}: tensor {name} has dtype {dt}; supported F32, F16, BF16")
        count = int(np.prod(shape)) if shape else 1
        width = 2 if dt in ("F16", "BF16") else np.dtype(ST_DTYPES[dt]).itemsize
        if not (0 <= a <= b <= len(data)) or b - a != count * width:
            raise ConvertError(f"{path}: tensor {name} data [{a}, {b}) does not fit its shape "
                               f"{shape} {dt} or the file")
        raw = data[a:b]
        if dt == "BF16":
            arr = (raw.view("<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            arr = raw.view(ST_DTYPES[dt]).astype(np.float32)
        out[name] = arr.reshape(shape)
    return out


def read_weights(d):
    st, idx, pt = (os.path.join(d, f) for f in
                   ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin"))
    if os.path.exists(st):
        return read_safetensors(st)
    if os.path.exists(idx):
        files = sorted(set(json.load(open(idx))["weight_map"].values()))
        out = {}
        for f in files:
            out.update(read_safetensors(os.path.join(d, f)))
        return out
    if os.path.exists(pt):
        import torch                                  # only for this legacy format
        sd = torch.load(pt, map_location="cpu", weights_only=True)
        return {k: v.float().numpy() for k, v in sd.items()}
    raise ConvertError(f"{d}: no model.safetensors, model.safetensors.index.json or "
                       "pytorch_model.bin")


def map_tensors(sd, hp):
    """HF state dict -> anuvad tensor names, following what MarianMTModel loads."""
    sd = {k[len("model."):] if k.startswith("model.") else k: v for k, v in sd.items()}
    out = {}
    sides = ("encoder.embed_tokens.weight", "decoder.embed_tokens.weight")
    if hp["shared_embeddings"] and not hp["tie_output"] and "shared.weight" in sd and any(
            k in sd and not np.array_equal(sd[k], sd["shared.weight"]) for k in sides):
        # transformers ties the embeddings to shared.weight only under tie_word_embeddings:
        # without it the encoder and decoder read their own tensors, so anuvad does too.
        hp["shared_embeddings"] = False
    if hp["shared_embeddings"]:
        # Tied by transformers on load: shared.weight is the source, other copies unused.
        src = next((k for k in ("shared.weight",) + sides if k in sd), None)
        if src is None:
            raise ConvertError("weights: no shared.weight (nor embed_tokens) tensor")
        out["shared.weight"] = sd[src]
        for k in ("shared.weight",) + sides:
            sd.pop(k, None)
    else:
        for k in ("encoder.embed_tokens.weight", "decoder.embed_tokens.weight"):
            if k not in sd:
                raise ConvertError(f"weights: {k} is missing (embeddings are not shared)")
            out[k] = sd.pop(k)
        sd.pop("shared.weight", None)   # older files keep a copy of the encoder's
    if hp["tie_output"]:
        sd.pop("lm_head.weight", None)  # transformers re-ties it on load: the file's copy is unused
    for k in ("encoder.embed_positions.weight", "decoder.embed_positions.weight"):
        sd.pop(k, None)                 # static sinusoids: transformers recomputes them too
    if "final_logits_bias" not in sd:
        sd["final_logits_bias"] = np.zeros((1, hp["tgt_vocab_size"]), np.float32)
    out.update(sd)
    return out


def read_json(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise ConvertError(f"{what}: {e.strerror}: {path}")
    except ValueError as e:
        raise ConvertError(f"{what}: not JSON: {e}")


def convert(d, out, dtype="f32", name=None):
    cfg = read_json(os.path.join(d, "config.json"), "config.json")
    gpath = os.path.join(d, "generation_config.json")
    gen = read_json(gpath, "generation_config.json") if os.path.exists(gpath) else {}
    tpath = os.path.join(d, "tokenizer_config.json")
    tok = read_json(tpath, "tokenizer_config.json") if os.path.exists(tpath) else {}
    hp, g = read_config(cfg, gen)
    vocab = vocab_list(read_json(os.path.join(d, "vocab.json"), "vocab.json"), "vocab.json")
    tgt_vocab = None
    if tok.get("separate_vocabs"):
        tgt_vocab = vocab_list(read_json(os.path.join(d, "target_vocab.json"),
                                         "target_vocab.json"), "target_vocab.json")
    if len(vocab) != hp["vocab_size"]:
        raise ConvertError(f"vocab.json has {len(vocab)} pieces, config.json vocab_size is "
                           f"{hp['vocab_size']}")
    tv = tgt_vocab if tgt_vocab is not None else vocab
    if len(tv) != hp["tgt_vocab_size"]:
        raise ConvertError(f"the target vocabulary has {len(tv)} pieces, the decoder "
                           f"{hp['tgt_vocab_size']}")
    for v, what in ((vocab, "vocab.json"), (tv, "the target vocabulary")):
        for p in ("</s>", "<unk>"):
            if p not in v:
                raise ConvertError(f"{what} has no {p}")
    hp["unk"] = tv.index("<unk>")
    hp["src_eos"], hp["src_unk"] = vocab.index("</s>"), vocab.index("<unk>")
    spms = read_spms(d)
    tensors = map_tensors(read_weights(d), hp)
    m = re.search(r"opus-mt-([a-z]+(?:_[a-zA-Z]+)?)-([a-z]+(?:_[a-zA-Z]+)?)",
                  os.path.basename(os.path.normpath(d)))
    hp["source_language"] = tok.get("source_lang") or (m.group(1) if m else "")
    hp["target_language"] = tok.get("target_lang") or (m.group(2) if m else "")
    hp["name"] = name or os.path.basename(os.path.normpath(d))
    hp["description"] = "converted from a Hugging Face Marian directory by scripts/convert_hf.py"
    return write_or_fail(out, hp, tensors, vocab, tgt_vocab, spms, g, dtype)


if __name__ == "__main__":
    converter_main(__doc__, convert)
