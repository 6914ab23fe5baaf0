#!/usr/bin/env python3
"""Alignment error rate of anuvad's cross-attention alignments against gold alignments.

The test split has three tab-separated columns: english, hindi, gold alignment (Pharaoh
"i-j": english word i - hindi word j, 0-based whitespace words). Two measurements:

1. Forced reference (the usual protocol, e.g. Chen et al. 2020): the Hindi reference is
   forced through the decoder (build/tools/align_all, which runs the C engine and the C
   alignment code) and aligned under every configuration: each decoder layer and the mean of
   layers, with the head mean, read at the step that produces a word ("produce") or at the next
   step, where the word is the decoder input ("shift").
2. `anuvad --align` as shipped, on the lines whose translation equals the reference (only
   there do the gold indices apply).

AER = 1 - 2|A & G| / (|A| + |G|) (gold has sure links only, so S = P = G).

    scripts/aer.py --model models/en-hi.gguf --tsv tests/fixtures/en-hi-test.tsv
"""
import argparse
import subprocess
import sys


def pairs(s):
    return {tuple(map(int, p.split("-"))) for p in s.split()}


def aer(hyp, gold):
    inter = sum(len(h & g) for h, g in zip(hyp, gold))
    size = sum(len(h) + len(g) for h, g in zip(hyp, gold))
    return 1.0 - 2.0 * inter / size if size else 0.0


def run(cmd, text):
    r = subprocess.run(cmd, input=text, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(cmd), r.stderr.strip()))
    return r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="models/en-hi.gguf")
    ap.add_argument("--tsv", default="tests/fixtures/en-hi-test.tsv")
    ap.add_argument("--anuvad", default="./anuvad")
    ap.add_argument("--tool", default="build/tools/align_all")
    ap.add_argument("--limit", type=int, default=0, help="first N lines only")
    a = ap.parse_args()

    rows = [l.rstrip("\n").split("\t") for l in open(a.tsv, encoding="utf-8") if l.strip()]
    if a.limit:
        rows = rows[: a.limit]
    en = [r[0] for r in rows]
    hi = [r[1] for r in rows]
    gold = [pairs(r[2]) for r in rows]

    ids = run([a.anuvad, "tokenize", "-m", a.model, "--side", "target", "--ids"],
              "\n".join(hi) + "\n").splitlines()
    out = run([a.tool, "-m", a.model],
              "".join("%s\t%s\n" % (e, i) for e, i in zip(en, ids))).splitlines()
    names = out[0].split("\t")
    table = [l.split("\t") for l in out[1:]]
    assert len(table) == len(rows), "align_all gave %d lines for %d" % (len(table), len(rows))

    results = {}
    for k, name in enumerate(names):
        results[name] = aer([pairs(t[k]) for t in table], gold)
    # Names starting with N: the norm reading ||alpha * v W_o|| (Kobayashi et al. 2020); for
    # it, the "head mean" is the norm of the heads' summed output.
    for norm, what in ((False, "attention weights"), (True, "norm reading ||alpha*v*W_o||")):
        mine = [n for n in names if n.startswith("N") == norm]
        strip = (lambda n: n[1:]) if norm else (lambda n: n)
        print("forced reference, %d sentences, %s, head mean; AER (lower is better)"
              % (len(rows), what))
        print("| layer | produce | shift | produce, first piece | shift, first piece |")
        print("| --- | --- | --- | --- | --- |")
        pre = "N" if norm else ""
        mean_heads = [strip(n).split("-")[0] for n in mine if "h" not in n.split("-")[0]]
        for layer in sorted(set(mean_heads), key=lambda s: (s == "Lmean", s)):
            print("| %s | %.3f | %.3f | %.3f | %.3f |" % (
                layer, results[pre + layer + "-produce"], results[pre + layer + "-shift"],
                results[pre + layer + "-produce1"], results[pre + layer + "-shift1"]))
        best = min((n for n in mine if "h" not in n.split("-")[0]), key=results.get)
        print("best with the head mean: %s (AER %.3f)" % (best, results[best]))
        single = sorted((n for n in mine if "h" in n.split("-")[0]), key=results.get)
        if single:
            print("best single heads (for reference, not used): " +
                  ", ".join("%s %.3f" % (n, results[n]) for n in single[:4]))

    # --align as shipped, where the model's translation is the reference.
    lines = run([a.anuvad, "-q", "-m", a.model, "--align"], "\n".join(en) + "\n").splitlines()
    hyp, ref_gold = [], []
    for k in range(len(rows)):
        if lines[2 * k] == hi[k]:
            hyp.append(pairs(lines[2 * k + 1]))
            ref_gold.append(gold[k])
    print("anuvad --align: translation == reference on %d/%d lines, AER there %.3f"
          % (len(hyp), len(rows), aer(hyp, ref_gold)))


if __name__ == "__main__":
    main()
