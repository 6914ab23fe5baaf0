#!/usr/bin/env python3
"""Write an anuvad GGUF file (docs/format.md) from a Marian model already read into plain
Python: the one writer behind scripts/convert_hf.py (Hugging Face directories) and
scripts/convert_marian.py (Marian .npz releases). stdlib + numpy only.

    write_gguf(path, hp, tensors, vocab, tgt_vocab, src_spm, tgt_spm, gen, dtype="f32")

hp: dict with d_model, encoder_layers, decoder_layers, heads, ffn_dim, activation, norm,
max_positions, scale_embedding, tie_output, shared_embeddings, pad, eos, unk, decoder_start,
src_eos, src_unk, layer_norm_eps, positions, name, description, source_language,
target_language. tensors: {format name: numpy array in PyTorch order}, exactly the set
expected_tensors() lists. vocab / tgt_vocab: lists of pieces in id order (tgt_vocab None when
the model has one vocabulary). gen: generation settings kept in the file (max_length,
num_beams, bad_words, forced_eos).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gguf_writer as gw                                   # noqa: E402

DTYPES = {"f32": gw.F32, "f16": gw.F16}


class ConvertError(Exception):
    """A converter's one-line complaint about its input."""


def read_spms(d):
    """source.spm and target.spm of a model directory, as bytes."""
    out = []
    for f in ("source.spm", "target.spm"):
        try:
            out.append(open(os.path.join(d, f), "rb").read())
        except OSError as e:
            raise ConvertError(f"{f}: {e.strerror}: {os.path.join(d, f)}")
    return out


def write_or_fail(out, hp, tensors, vocab, tgt_vocab, spms, gen, dtype):
    try:
        return write_gguf(out, hp, tensors, vocab, tgt_vocab, spms[0], spms[1], gen, dtype)
    except ValueError as e:
        raise ConvertError(str(e))


def converter_main(doc, convert):
    """The command line both converters share: DIR OUT.gguf [--dtype] [--name]; exit 2 with
    one line on a bad model."""
    import argparse
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("out")
    ap.add_argument("--dtype", default="f32", help="matrices: f32 (default) or f16")
    ap.add_argument("--name")
    a = ap.parse_args()
    try:
        try:
            check_dtype(a.dtype)   # before minutes of reading a big model
        except ValueError as e:
            raise ConvertError(str(e))
        n = convert(a.dir, a.out, a.dtype, a.name)
    except ConvertError as e:
        print(f"{os.path.basename(sys.argv[0])}: {e}", file=sys.stderr)
        sys.exit(2)
    print(f"wrote {a.out}: {n} bytes ({n / 2**20:.2f} MiB)")


def expected_tensors(hp, V, Vt):
    """format name -> PyTorch shape for this model (docs/format.md)."""
    d, F, P = hp["d_model"], hp["ffn_dim"], hp["max_positions"]
    t = {}
    if hp["shared_embeddings"]:
        t["shared.weight"] = (V, d)
    else:
        t["encoder.embed_tokens.weight"] = (V, d)
        t["decoder.embed_tokens.weight"] = (Vt, d)
    t["final_logits_bias"] = (1, Vt)
    if not hp["tie_output"]:
        t["lm_head.weight"] = (Vt, d)
    for side, n in (("encoder", hp["encoder_layers"]), ("decoder", hp["decoder_layers"])):
        if hp["positions"] == "learned":
            t[f"{side}.embed_positions.weight"] = (P, d)
        blocks = ["self_attn"] + (["encoder_attn"] if side == "decoder" else [])
        for i in range(n):
            L = f"{side}.layers.{i}"
            for b in blocks:
                for p in ("q", "k", "v", "out"):
                    t[f"{L}.{b}.{p}_proj.weight"] = (d, d)
                    t[f"{L}.{b}.{p}_proj.bias"] = (d,)
                t[f"{L}.{b}_layer_norm.weight"] = t[f"{L}.{b}_layer_norm.bias"] = (d,)
            t[f"{L}.fc1.weight"], t[f"{L}.fc1.bias"] = (F, d), (F,)
            t[f"{L}.fc2.weight"], t[f"{L}.fc2.bias"] = (d, F), (d,)
            t[f"{L}.final_layer_norm.weight"] = t[f"{L}.final_layer_norm.bias"] = (d,)
        if hp["norm"] == "pre":
            t[f"{side}.layer_norm.weight"] = t[f"{side}.layer_norm.bias"] = (d,)
    return t


def check_dtype(dtype):
    if dtype not in DTYPES:
        raise ValueError(f"--dtype {dtype}: this engine reads F32 and F16 matrices only "
                         "(no Q8_0 kernels yet); use f32 or f16")


def write_gguf(path, hp, tensors, vocab, tgt_vocab, src_spm, tgt_spm, gen, dtype="f32"):
    """Returns the file size. Raises ValueError naming the first problem."""
    check_dtype(dtype)
    V = len(vocab)
    Vt = len(tgt_vocab) if tgt_vocab is not None else V
    if hp["d_model"] % hp["heads"]:
        raise ValueError(f"d_model {hp['d_model']} is not a multiple of heads {hp['heads']}")
    if tgt_vocab is not None and hp["shared_embeddings"] and V != Vt:
        raise ValueError("separate vocabularies of different sizes cannot share embeddings")
    for k in ("pad", "eos", "unk", "decoder_start"):
        if not 0 <= hp[k] < Vt:
            raise ValueError(f"token id {k} = {hp[k]} is outside the vocabulary ({Vt} pieces)")
    for k in ("src_eos", "src_unk"):
        if not 0 <= hp[k] < V:
            raise ValueError(f"source token id {k} = {hp[k]} is outside the source vocabulary")
    want = expected_tensors(hp, V, Vt)
    extra, missing = sorted(set(tensors) - set(want)), sorted(set(want) - set(tensors))
    if extra or missing:
        raise ValueError(f"tensor mismatch: unexpected {extra[:5]}, missing {missing[:5]}")

    w = gw.GGUFWriter()
    w.add_string("general.architecture", "anuvad")
    w.add_string("general.name", hp.get("name", "converted Marian model"))
    w.add_string("general.description", hp.get("description", ""))
    w.add_string("anuvad.source_language", hp.get("source_language", ""))
    w.add_string("anuvad.target_language", hp.get("target_language", ""))
    w.add_u32("anuvad.vocab_size", V)
    for k in ("d_model", "heads", "ffn_dim", "max_positions"):
        w.add_u32(f"anuvad.{k}", hp[k])
    w.add_u32("anuvad.encoder.layers", hp["encoder_layers"])
    w.add_u32("anuvad.decoder.layers", hp["decoder_layers"])
    w.add_string("anuvad.activation", hp["activation"])
    w.add_string("anuvad.norm", hp["norm"])
    w.add_f32("anuvad.layer_norm_eps", hp.get("layer_norm_eps", 1e-5))
    w.add_string("anuvad.positions", hp["positions"])
    w.add_bool("anuvad.scale_embedding", hp["scale_embedding"])
    w.add_bool("anuvad.tie_output", hp["tie_output"])
    w.add_bool("anuvad.shared_embeddings", hp["shared_embeddings"])
    for k in ("pad", "eos", "unk", "decoder_start"):
        w.add_u32(f"anuvad.token.{k}", hp[k])
    w.add_u32("anuvad.source_token.eos", hp["src_eos"])
    w.add_u32("anuvad.source_token.unk", hp["src_unk"])
    if tgt_vocab is not None:
        w.add_u32("anuvad.target_vocab_size", Vt)
    w.add_bool("anuvad.tokenizer.marian", True)
    w.add_u32("anuvad.generation.max_length", int(gen.get("max_length") or 0))
    w.add_u32("anuvad.generation.num_beams", int(gen.get("num_beams") or 1))
    w.add_array("anuvad.generation.bad_words", gw.UINT32, list(gen.get("bad_words", [])))
    if gen.get("forced_eos") is not None:
        w.add_bool("anuvad.generation.forced_eos", bool(gen["forced_eos"]))
    w.add_array("tokenizer.source.spm", gw.UINT8, bytes(src_spm))
    w.add_array("tokenizer.target.spm", gw.UINT8, bytes(tgt_spm))
    w.add_array("tokenizer.vocab", gw.STRING, list(vocab))
    if tgt_vocab is not None:
        w.add_array("tokenizer.target_vocab", gw.STRING, list(tgt_vocab))

    mat = DTYPES[dtype]
    for name, shape in want.items():
        a = np.asarray(tensors[name], dtype=np.float32)
        if tuple(a.shape) != tuple(shape):
            raise ValueError(f"tensor {name}: shape {tuple(a.shape)}, expected {shape}")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"tensor {name} holds NaN or infinite values")
        w.add_tensor(name, a, gw.F32 if a.ndim == 1 or name == "final_logits_bias" else mat)
    return w.write(path)


def vocab_list(mapping, what):
    """{piece: id} (vocab.json, *.vocab.yml) -> pieces in id order; ids must be 0..n-1."""
    n = len(mapping)
    out = [None] * n
    for piece, i in mapping.items():
        if not isinstance(i, int) or not 0 <= i < n or out[i] is not None:
            raise ValueError(f"{what}: id {i!r} of piece {piece!r} is not a unique id in 0..{n - 1}")
        out[i] = piece
    return out
