#!/usr/bin/env python3
"""Translate the everyday sentences (tests/fixtures/everyday.tsv) with a model and compare with
the references: exact match (any of the " | "-separated references) and chrF2 (against the
closest reference), then every sentence with its output, for a speaker to judge.

    everyday.py --model models/en-hi.gguf [--anuvad ./anuvad]      # the C engine, a GGUF file
    everyday.py --checkpoint work/ckpt/best.pt                      # the PyTorch reference
    [--tsv tests/fixtures/everyday.tsv] [--report FILE.md]
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chrf import corpus_chrf, sentence_chrf                 # noqa: E402


def read_set(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        en, refs = line.rstrip("\n").split("\t")[:2]
        rows.append((en, [r.strip() for r in refs.split(" | ")]))
    return rows


def translate(a, sources):
    if a.checkpoint:
        import torch
        from evaluate import translate_all
        from model import load_checkpoint
        from train import Tokenizer
        torch.set_num_threads(1)
        model, ck = load_checkpoint(a.checkpoint)
        return translate_all(model, Tokenizer(ck.get("tok", "work/tok")), sources)
    r = subprocess.run([a.anuvad, "-q", "-m", a.model], input="\n".join(sources) + "\n",
                       capture_output=True, text=True, check=True)
    return r.stdout.split("\n")[:len(sources)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="models/en-hi.gguf")
    ap.add_argument("--checkpoint")
    ap.add_argument("--anuvad", default="./anuvad")
    ap.add_argument("--tsv", default="tests/fixtures/everyday.tsv")
    ap.add_argument("--report")
    a = ap.parse_args()
    rows = read_set(a.tsv)
    hyps = translate(a, [en for en, _ in rows])
    best = [max(refs, key=lambda r: sentence_chrf(h, r)) for h, (_, refs) in zip(hyps, rows)]
    exact = sum(h in refs for h, (_, refs) in zip(hyps, rows))
    lines = [f"everyday set {a.tsv}: {len(rows)} sentences, model "
             f"{a.checkpoint or a.model}", "",
             f"- exact (any reference): {exact}/{len(rows)}",
             f"- chrF2 against the closest reference: {corpus_chrf(hyps, best):.2f}", ""]
    for (en, refs), h in zip(rows, hyps):
        mark = "=" if h in refs else "≠"
        lines.append(f"- `{en}` {mark} `{h}`" + ("" if h in refs else f" (reference `{refs[0]}`)"))
    text = "\n".join(lines) + "\n"
    print(text)
    if a.report:
        with open(a.report, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
