#!/usr/bin/env python3
"""The Marian .npz path, checked against transformers' own converter: write a random Marian
release directory (an .npz with Marian's tensor names and its model.yml, decoder.yml, a
vocab.yml, source.spm, target.spm), convert it with transformers'
convert_marian_to_pytorch (transformers 4.x: 5.x no longer ships it) and with
scripts/convert_marian.py, and compare what the two translate. Runs in .venv-hf4
(`make check-hf` creates it).

    check_marian_npz.py --probe build/tools/hf_probe --hf-converter convert_marian_to_pytorch.py
        [--n 200] [--table docs/opus-mt-check.json]

transformers' pip packages (4.x wheels and sdists alike) leave the conversion scripts out, so
the converter is its source file from GitHub (make check-hf downloads it at a pinned commit).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch
import yaml

warnings.filterwarnings("ignore")
from transformers import MarianMTModel, MarianTokenizer                       # noqa: E402
import importlib.util                                                        # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from gguf_reader import read_gguf          # noqa: E402
import convert_marian                      # noqa: E402

TEST_TSV = os.path.join(ROOT, "tests", "fixtures", "en-hi-test.tsv")
ANUVAD = os.path.join(ROOT, "anuvad")


def marian_release(d, seed, dim=64, depth=2, heads=4, ffn=128, act="swish"):
    """A Marian transformer as OPUS-MT releases it, with random (F16-exact) weights."""
    meta, _ = read_gguf(os.path.join(ROOT, "models", "en-hi.gguf"))
    pieces = [p for p in meta["tokenizer.vocab"] if p not in ("</s>", "<unk>", "<pad>")]
    vocab = ["</s>", "<unk>"] + pieces
    V = len(vocab)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "source.spm"), "wb").write(meta["tokenizer.source.spm"])
    open(os.path.join(d, "target.spm"), "wb").write(meta["tokenizer.target.spm"])
    with open(os.path.join(d, "opus.spm2k-spm2k.vocab.yml"), "w", encoding="utf-8") as f:
        yaml.safe_dump({p: i for i, p in enumerate(vocab)}, f, allow_unicode=True,
                       sort_keys=False)
    open(os.path.join(d, "decoder.yml"), "w").write(
        "models:\n  - opus.spm2k-spm2k.transformer.model1.npz.best-perplexity.npz\n"
        "vocabs:\n  - opus.spm2k-spm2k.vocab.yml\n  - opus.spm2k-spm2k.vocab.yml\n"
        "beam-size: 4\nnormalize: 1\nword-penalty: 0\nmini-batch: 16\nmaxi-batch: 100\n")
    cfg = {"type": "transformer", "dim-emb": dim, "dim-vocabs": [V, V], "enc-depth": depth,
           "dec-depth": depth, "transformer-heads": heads, "transformer-dim-ffn": ffn,
           "transformer-ffn-activation": act, "transformer-ffn-depth": 2,
           "transformer-aan-depth": 2, "transformer-aan-nogate": False,
           "transformer-no-projection": False, "transformer-postprocess-emb": "d",
           "transformer-postprocess": "dan", "transformer-preprocess": "",
           "transformer-decoder-autoreg": "self-attention", "transformer-tied-layers": [],
           "transformer-train-position-embeddings": False, "tied-embeddings-all": True,
           "tied-embeddings-src": False, "tied-embeddings": False, "layer-normalization": False,
           "right-left": False, "ulr-dim-emb": 0, "dec-cell-base-depth": 2,
           "dec-cell-high-depth": 1, "version": "v1.7.6 (random weights: anuvad check)"}
    g = np.random.default_rng(seed)

    def rnd(*shape, scale=1.0, base=0.0):
        return (base + scale * g.standard_normal(shape)).astype(np.float16).astype(np.float32)

    t = {"Wemb": rnd(V, dim, scale=dim ** -0.5), "decoder_ff_logit_out_b": rnd(1, V, scale=0.5)}
    for side in ("encoder", "decoder"):
        blocks = ["self"] + (["context"] if side == "decoder" else [])
        for i in range(1, depth + 1):
            p = f"{side}_l{i}_"
            for b in blocks:
                for w in ("q", "k", "v", "o"):
                    t[f"{p}{b}_W{w}"] = rnd(dim, dim, scale=dim ** -0.5)   # [in, out]
                    t[f"{p}{b}_b{w}"] = rnd(1, dim, scale=0.1)
                t[f"{p}{b}_Wo_ln_scale"] = rnd(1, dim, scale=0.2, base=1.0)
                t[f"{p}{b}_Wo_ln_bias"] = rnd(1, dim, scale=0.1)
            t[f"{p}ffn_W1"], t[f"{p}ffn_b1"] = rnd(dim, ffn, scale=dim ** -0.5), rnd(1, ffn, scale=0.1)
            t[f"{p}ffn_W2"], t[f"{p}ffn_b2"] = rnd(ffn, dim, scale=ffn ** -0.5), rnd(1, dim, scale=0.1)
            t[f"{p}ffn_ffn_ln_scale"] = rnd(1, dim, scale=0.2, base=1.0)
            t[f"{p}ffn_ffn_ln_bias"] = rnd(1, dim, scale=0.1)
    text = yaml.safe_dump(cfg, sort_keys=False).encode() + b"\0"
    t[convert_marian.CONFIG_KEY] = np.frombuffer(text, dtype=np.uint8)
    np.savez(os.path.join(d, "opus.spm2k-spm2k.transformer.model1.npz.best-perplexity.npz"), **t)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--probe", required=True)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--hf-converter", required=True,
                    help="transformers' src/transformers/models/marian/convert_marian_to_pytorch.py")
    ap.add_argument("--table", default=os.path.join(ROOT, "docs", "opus-mt-check.json"))
    a = ap.parse_args()
    torch.set_num_threads(1)
    spec = importlib.util.spec_from_file_location("convert_marian_to_pytorch", a.hf_converter)
    hf_conv = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hf_conv)
    work = tempfile.mkdtemp(prefix="check_npz.")
    try:
        src = os.path.join(work, "release", "en-hi")
        marian_release(src, seed=7)
        theirs_in = os.path.join(work, "for-hf", "en-hi")          # their converter writes
        shutil.copytree(src, theirs_in)                            # vocab.json into its input
        hf_dir = os.path.join(work, "opus-mt-en-hi")
        hf_conv.convert(Path(theirs_in), hf_dir)
        gguf = os.path.join(work, "ours.gguf")
        convert_marian.convert(src, gguf)
        model = MarianMTModel.from_pretrained(hf_dir, torch_dtype=torch.float32).eval()
        tok = MarianTokenizer.from_pretrained(hf_dir)
        sents = [l.split("\t")[0] for l in open(TEST_TSV, encoding="utf-8").read().splitlines()]
        sents = sents[:a.n]
        P = model.config.max_position_embeddings
        want, ids_hf, reqs = [], [], []
        for s in sents:
            x = tok(s).input_ids
            m = min(2 * len(x) + 10, P)
            with torch.no_grad():
                out = model.generate(torch.tensor([x]), num_beams=1, do_sample=False,
                                     max_new_tokens=m)
            ids_hf.append(out[0, 1:].tolist())
            want.append(tok.decode(out[0], skip_special_tokens=True))
            reqs.append(f"G {m} " + " ".join(map(str, x)))
        r = subprocess.run([a.probe, gguf], input=("\n".join(reqs) + "\n").encode(),
                           stdout=subprocess.PIPE, check=True)
        ours_ids = [[int(v) for v in l.split()] for l in r.stdout.decode().splitlines()]
        r = subprocess.run([ANUVAD, "-q", "-m", gguf], input="".join(s + "\n" for s in sents).encode(),
                           stdout=subprocess.PIPE, check=True)
        got = r.stdout.decode().split("\n")[:-1]
        same_ids = sum(x == y for x, y in zip(ids_hf, ours_ids))
        same = sum(x == y for x, y in zip(got, want))
        distinct = len({tuple(x) for x in ids_hf})
        print(f"npz: transformers' convert_marian_to_pytorch + MarianMTModel vs "
              f"convert_marian.py + anuvad: greedy ids {same_ids}/{len(sents)}, translations "
              f"{same}/{len(sents)} identical ({distinct} distinct outputs)")
        for x, y, s in zip(got, want, sents):
            if x != y:
                print(f"  first difference: {s!r}\n    hf     {y!r}\n    anuvad {x!r}")
                break
        table = json.load(open(a.table)) if os.path.exists(a.table) else {}
        table["npz"] = dict(greedy=same_ids, texts=same, n=len(sents), distinct=distinct,
                            transformers=__import__("transformers").__version__)
        json.dump(table, open(a.table, "w"), indent=1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
