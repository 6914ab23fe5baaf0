#!/usr/bin/env python3
"""Quality of a quantized model next to the one it came from, the way CTranslate2 and
llama.cpp report it: exact match and chrF against the references of a test split, and greedy
agreement (identical output lines) with the unquantized model.

    quant_quality.py [--data tests/fixtures/en-hi-test.tsv] MODEL QUANTIZED [--exe ./anuvad]

The unquantized model's F16 weights are widened exactly, so its row is the F32 computation.
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from chrf import corpus_chrf    # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("quantized")
    ap.add_argument("--data", default=os.path.join(ROOT, "tests", "fixtures", "en-hi-test.tsv"))
    ap.add_argument("--exe", default=os.path.join(ROOT, "anuvad"))
    a = ap.parse_args()
    rows = [l.rstrip("\n").split("\t") for l in open(a.data, encoding="utf-8")]
    src, ref = [r[0] for r in rows], [r[1] for r in rows]
    text = "".join(s + "\n" for s in src).encode()
    outs = {}
    for m in (a.model, a.quantized):
        out = subprocess.run([a.exe, "-q", "-m", m], input=text, stdout=subprocess.PIPE,
                             check=True).stdout.decode().split("\n")[:len(src)]
        outs[m] = out
    base = outs[a.model]
    print(f"{len(src)} sentences of {os.path.relpath(a.data, ROOT)}")
    print("| model | exact match % | chrF | same output as unquantized % |")
    print("| --- | ---: | ---: | ---: |")
    for m, out in outs.items():
        em = 100.0 * sum(o == r for o, r in zip(out, ref)) / len(src)
        agree = 100.0 * sum(o == b for o, b in zip(out, base)) / len(src)
        print(f"| {os.path.basename(m)} | {em:.2f} | {corpus_chrf(out, ref):.2f} | {agree:.2f} |")


if __name__ == "__main__":
    main()
