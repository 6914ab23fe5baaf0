#!/usr/bin/env python3
"""Quality of a quantized model next to the one it came from, the way CTranslate2 and
llama.cpp report it: exact match and chrF against the references of a test split, and greedy
agreement (identical output lines) with the unquantized model.

    quant_quality.py [--data tests/fixtures/en-hi-test.tsv] MODEL QUANTIZED [--exe ./anuvad]

The unquantized model's F16 weights are widened exactly, so its row is the F32 computation.
The quantized model runs twice where the CPU has AVX-512 VNNI: with the float Q8_0 kernel
(ANUVAD_NO_VNNI=1: int8 weights times float activations) and with the int8 kernel (activations
rounded to 8 bits too). Next to agreement, the largest change of any token's log-probability
against the unquantized model, scored (`anuvad score --tokens`) on the unquantized model's own
outputs: what the logits' change does to the numbers greedy compares.
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
    vnni = "avx512_vnni" in open("/proc/cpuinfo").read()
    runs = [(os.path.basename(a.model), a.model, {}),
            (os.path.basename(a.quantized) + (", float kernel" if vnni else ""), a.quantized,
             {"ANUVAD_NO_VNNI": "1"})]
    if vnni:
        runs.append((os.path.basename(a.quantized) + ", int8 (VNNI) kernel", a.quantized, {}))
    outs, scores = [], []
    for _, m, env in runs:
        e = dict(os.environ, **env)
        out = subprocess.run([a.exe, "-q", "-m", m], input=text, stdout=subprocess.PIPE,
                             check=True, env=e).stdout.decode().split("\n")[:len(src)]
        outs.append(out)
        pairs = "".join(f"{x}\t{y}\n" for x, y in zip(src, outs[0])).encode()
        sc = subprocess.run([a.exe, "score", "--tokens", "-m", m], input=pairs,
                            stdout=subprocess.PIPE, check=True, env=e).stdout.decode()
        scores.append([[float(v) for v in l.split("\t")[2].split()]
                       for l in sc.split("\n")[:len(src)]])
    print(f"{len(src)} sentences of {os.path.relpath(a.data, ROOT)}")
    print("| model | exact match % | chrF | same output as unquantized % | same as float "
          "Q8_0 kernel % | max abs change of a token log-prob |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for (label, _, _), out, sc in zip(runs, outs, scores):
        em = 100.0 * sum(o == r for o, r in zip(out, ref)) / len(src)
        agree = 100.0 * sum(o == b for o, b in zip(out, outs[0])) / len(src)
        agree_q = 100.0 * sum(o == b for o, b in zip(out, outs[1])) / len(src)
        dlp = max((abs(x - y) for s1, s0 in zip(sc, scores[0]) for x, y in zip(s1, s0)),
                  default=0.0)
        print(f"| {label} | {em:.2f} | {corpus_chrf(out, ref):.2f} | {agree:.2f} | "
              f"{agree_q:.2f} | {dlp:.4f} |")


if __name__ == "__main__":
    main()
