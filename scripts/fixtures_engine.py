#!/usr/bin/env python3
"""Forward-parity fixtures for the C engine: small random models and what the PyTorch
reference (scripts/model.py) computes with them.

For each configuration (a covering set of post/pre norm x relu/gelu/swish x sinusoidal/learned
x F32/F16/Q8_0, tied/untied output, with/without final_logits_bias) this writes under
tests/fixtures/engine/:

  NAME.gguf   the model (scripts/export_gguf.py; empty tokenizers, forward tests only)
  NAME.ref    what the reference computes, little-endian binary:
      i32 magic 0x46455241 ("AREF"), i32 S, T, d, V, L, H, G
      i32 src[S]            source ids (</s> last)
      i32 tgt[T]            forced decoder inputs: decoder_start, then T-1 ids
      f32 enc[S][d]         encoder output
      f32 logits[T][V]      raw logits of each incremental step (pad not masked)
      f32 cross[T][L][H][S] cross-attention of each step
      i32 greedy[G]         reference greedy output ids for src (default max_len)

F16 and Q8_0 models: the reference runs on the same rounded (dequantized) weights the file
holds, so the C engine must match it within the same 1e-4 tolerance. Run: make fixtures (needs torch).
"""
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import Config, Seq2Seq          # noqa: E402
from export_gguf import export              # noqa: E402
import gguf_writer as gw                     # noqa: E402

OUT = os.path.join(HERE, "..", "tests", "fixtures", "engine")
SMALL = dict(vocab_size=32, d_model=16, encoder_layers=2, decoder_layers=2, heads=2, ffn_dim=32,
             max_positions=16, dropout=0.0, pad_id=2, eos_id=0, unk_id=1, decoder_start_id=2)

# name: (config overrides, matrix dtype)
CASES = {
    "post_relu_sin_f32":      (dict(norm="post", activation="relu", positions="sinusoidal"), "f32"),
    "post_gelu_learned_f16":  (dict(norm="post", activation="gelu", positions="learned",
                                    tie_output=False, final_logits_bias=False), "f16"),
    "post_swish_sin_f16":     (dict(norm="post", activation="swish", positions="sinusoidal",
                                    scale_embedding=False, final_logits_bias=False), "f16"),
    "pre_relu_learned_f32":   (dict(norm="pre", activation="relu", positions="learned",
                                    tie_output=False), "f32"),
    "pre_gelu_sin_f32":       (dict(norm="pre", activation="gelu", positions="sinusoidal"), "f32"),
    "pre_swish_learned_f16":  (dict(norm="pre", activation="swish", positions="learned"), "f16"),
    "post_swish_sin_untied_f32": (dict(norm="post", activation="swish", positions="sinusoidal",
                                       tie_output=False, heads=4), "f32"),
}
# Q8_0 (rows of whole 32-blocks: d 32): the same weights as F32 and as Q8_0, so the C
# quantizer (anuvad quantize) can be checked against this writer on the F32 file, and the
# engine against the reference run on the dequantized weights. Own seed: adding them leaves
# the seeds of the cases above as they were.
Q8 = dict(norm="post", activation="gelu", positions="sinusoidal", d_model=32, ffn_dim=64)
Q8_CASES = {"q8_post_gelu_sin_f32": (Q8, "f32"), "q8_post_gelu_sin_q8_0": (Q8, "q8_0")}
Q8_SEED = 2000

SRC = [5, 9, 17, 3, 28, 11, 0]                 # ids, </s> (= 0) last
TGT = [2, 7, 19, 4, 30, 12, 6]                 # decoder_start (= pad = 2), then forced ids


def randomize(model, seed):
    """Every parameter random (layer norms too, so a swapped gamma/beta shows)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("layer_norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif p.ndim == 1:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) / p.shape[-1] ** 0.5)
        if hasattr(model, "final_logits_bias"):
            model.final_logits_bias.copy_(0.5 * torch.randn(model.final_logits_bias.shape,
                                                            generator=g))


def round_f16(model):
    """What the F16 file holds: matrices rounded to half, 1-D tensors and the bias kept."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.ndim == 2:
                p.copy_(p.half().float())


def round_q8_0(model):
    """What a Q8_0 file holds: matrices with rows of whole blocks quantized and dequantized
    (scale·q is exact in float32); final_logits_bias and 1-D tensors kept."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.ndim == 2 and p.shape[-1] % gw.Q8_0_BLOCK == 0 and name != "final_logits_bias":
                a = p.numpy()
                p.copy_(torch.from_numpy(gw.dequantize_q8_0(gw.quantize_q8_0(a), a.shape)))


def reference(model, c):
    src = torch.tensor([SRC])
    with torch.no_grad():
        memory = model.encode(src)
        cache = model.new_cache(memory)
        logits, cross = [], []
        for pos, tok in enumerate(TGT):
            out, _, crosses = model.decode(torch.tensor([[tok]]), memory, src, cache, pos,
                                           return_attn=True)
            logits.append(out[0, -1].numpy())
            cross.append(np.stack([cw[0, :, -1].numpy() for cw in crosses]))  # [L][H][S]
        greedy = model.greedy(SRC)
    return memory[0].numpy(), np.stack(logits), np.stack(cross), greedy


def write_case(name, overrides, dtype, seed):
    c = Config(**{**SMALL, **overrides})
    torch.manual_seed(seed)
    model = Seq2Seq(c).eval()
    randomize(model, seed)
    if dtype == "f16":
        round_f16(model)
    if dtype == "q8_0":
        round_q8_0(model)
    vocab = ["</s>", "<unk>", "<pad>"] + [f"▁w{i}" for i in range(3, c.vocab_size)]
    special = {"pad": c.pad_id, "eos": c.eos_id, "unk": c.unk_id,
               "decoder_start": c.decoder_start_id}
    export(model.state_dict(), c, b"", b"", vocab, special, os.path.join(OUT, name + ".gguf"),
           dtype=dtype, name=name, description="forward-parity fixture (random weights)")
    enc, logits, cross, greedy = reference(model, c)
    S, T, V = len(SRC), len(TGT), c.vocab_size
    with open(os.path.join(OUT, name + ".ref"), "wb") as f:
        f.write(struct.pack("<8i", 0x46455241, S, T, c.d_model, V, c.decoder_layers, c.heads,
                            len(greedy)))
        f.write(np.asarray(SRC + TGT, dtype="<i4").tobytes())
        for a in (enc, logits, cross):
            f.write(np.ascontiguousarray(a, dtype="<f4").tobytes())
        f.write(np.asarray(greedy, dtype="<i4").tobytes())
    print(f"{name}: enc {enc.shape}, logits {logits.shape}, greedy {greedy}")


# A tiny end-to-end model for the CLI tests: a real (tiny, identity-normalized) SentencePiece
# model, a random network, and the reference pipeline's output for each input line.
CLI_TRAIN = """we are friends . they are here . i am a teacher . she reads a book .
the dog runs in the park . we eat rice and bread . you are my brother .
he writes a letter to his friend . the children play in the garden .""".split(" . ")
CLI_LINES = ["we are friends", "the dog runs", "  she reads a book  ", "xyz 123 qqq",
             "we are friends and they are here and the children play in the garden"
             " and he writes a letter"]


def tiny_spm():
    import io
    import sentencepiece as spm
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(CLI_TRAIN * 4), model_writer=buf,
                                   vocab_size=40, model_type="unigram",
                                   normalization_rule_name="identity", character_coverage=1.0,
                                   minloglevel=2)
    return buf.getvalue()


def reference_translate(model, c, sp, vocab, text):
    """HF Marian conventions (specs/marian.md): pieces -> ids by string, </s> appended,
    greedy, ids -> pieces without </s>/<pad> -> spm decode."""
    index = {p: i for i, p in reversed(list(enumerate(vocab)))}
    pieces = sp.encode(text, out_type=str)
    if not pieces:
        return ""
    ids = [index.get(p, c.unk_id) for p in pieces][:c.max_positions - 1] + [c.eos_id]
    out = model.greedy(ids)
    return sp.decode_pieces([vocab[i] for i in out if i not in (c.eos_id, c.pad_id)])


def write_cli_model():
    import sentencepiece as spm
    spm_bytes = tiny_spm()
    sp = spm.SentencePieceProcessor(model_proto=spm_bytes)
    pieces = [sp.id_to_piece(i) for i in range(3, sp.get_piece_size())]
    vocab = ["</s>", "<unk>", "<pad>"] + pieces
    c = Config(**{**SMALL, "vocab_size": len(vocab), "max_positions": 16,
                  "norm": "post", "activation": "swish", "positions": "sinusoidal"})
    torch.manual_seed(7)
    model = Seq2Seq(c).eval()
    randomize(model, 7)
    round_f16(model)
    special = {"pad": c.pad_id, "eos": c.eos_id, "unk": c.unk_id,
               "decoder_start": c.decoder_start_id}
    export(model.state_dict(), c, spm_bytes, spm_bytes, vocab, special,
           os.path.join(OUT, "cli_tiny.gguf"), dtype="f16", name="cli_tiny",
           description="CLI test model (random weights, tiny tokenizer)")
    with open(os.path.join(OUT, "cli_tiny.tsv"), "w", encoding="utf-8") as f:
        for line in CLI_LINES:
            f.write(f"{line}\t{reference_translate(model, c, sp, vocab, line)}\n")
    print(f"cli_tiny: vocab {len(vocab)}, {len(CLI_LINES)} reference lines")


# Greedy parity of the default model: the reference (on the GGUF's own weights, through
# scripts/gguf_model.py) translates the first 500 sentences of the committed test split.
DEFAULT_MODEL = os.path.join(HERE, "..", "models", "en-hi.gguf")
TEST_SPLIT = os.path.join(HERE, "..", "tests", "fixtures", "en-hi-test.tsv")
N_PARITY = 500


def write_default_parity():
    import hashlib
    from gguf_model import load, translate
    if not (os.path.exists(DEFAULT_MODEL) and os.path.exists(TEST_SPLIT)):
        print("en-hi-greedy: skipped (models/en-hi.gguf or tests/fixtures/en-hi-test.tsv missing)")
        return
    digest = hashlib.sha256(open(DEFAULT_MODEL, "rb").read()).hexdigest()
    m = load(DEFAULT_MODEL)
    lines = [l.rstrip("\n").split("\t")[0] for l in open(TEST_SPLIT, encoding="utf-8")]
    with open(os.path.join(OUT, "en-hi-greedy.tsv"), "w", encoding="utf-8") as f:
        f.write(f"# sha256 {digest}\n")
        for line in lines[:N_PARITY]:
            f.write(f"{line}\t{translate(m, line)[0]}\n")
    print(f"en-hi-greedy: {min(N_PARITY, len(lines))} reference translations")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    if sys.argv[1:] == ["--default-model"]:    # after make model: only the parity fixture
        write_default_parity()
        return
    for name, (overrides, dtype) in Q8_CASES.items():
        write_case(name, overrides, dtype, Q8_SEED)
    if sys.argv[1:] == ["--q8"]:               # only the Q8_0 pair
        return
    for seed, (name, (overrides, dtype)) in enumerate(sorted(CASES.items())):
        write_case(name, overrides, dtype, 1000 + seed)
    write_cli_model()
    write_default_parity()


if __name__ == "__main__":
    main()
