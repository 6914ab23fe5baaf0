#!/usr/bin/env python3
"""chrF2, the character n-gram F-score (Popović 2015), computed as sacrebleu does by default.

    chrf.py HYPOTHESES REFERENCES        one sentence per line, same line count; prints chrF2

Definition (sacrebleu CHRF defaults: char order 6, word order 0, beta 2, whitespace off):
- Every whitespace character is removed from both sentences.
- For n = 1..6, count character n-grams of hypothesis and reference; matches = the sum over
  n-grams of min(hypothesis count, reference count).
- Corpus level: the three counts are summed over all sentences first. For each n where both
  the hypothesis and the reference have n-grams, precision = matches / hyp n-grams and
  recall = matches / ref n-grams; both are averaged over those n ("effective order").
- chrF = 100 · (1 + β²) · P · R / (β² · P + R) with β = 2 (recall weighs more); 0 if P + R = 0.
"""
import re
import sys
from collections import Counter

ORDER, BETA = 6, 2.0


def ngram_stats(hyp, ref, order=ORDER):
    """[hyp n-grams, ref n-grams, matches] for n = 1..order, whitespace removed."""
    hyp, ref = re.sub(r"\s+", "", hyp), re.sub(r"\s+", "", ref)
    stats = []
    for n in range(1, order + 1):
        h = Counter(hyp[i:i + n] for i in range(len(hyp) - n + 1))
        r = Counter(ref[i:i + n] for i in range(len(ref) - n + 1))
        stats += [sum(h.values()), sum(r.values()), sum((h & r).values())]
    return stats


def score_from_stats(stats, order=ORDER, beta=BETA):
    prec = rec = 0.0
    eff = 0
    for n in range(order):
        nh, nr, nm = stats[3 * n:3 * n + 3]
        if nh > 0 and nr > 0:
            prec += nm / nh
            rec += nm / nr
            eff += 1
    if eff == 0:
        return 0.0
    prec, rec = prec / eff, rec / eff
    if prec + rec == 0:
        return 0.0
    b2 = beta * beta
    return 100.0 * (1 + b2) * prec * rec / (b2 * prec + rec)


def corpus_chrf(hyps, refs, order=ORDER, beta=BETA):
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} hypotheses but {len(refs)} references")
    total = [0] * (3 * order)
    for h, r in zip(hyps, refs):
        total = [a + b for a, b in zip(total, ngram_stats(h, r, order))]
    return score_from_stats(total, order, beta)


def sentence_chrf(hyp, ref, order=ORDER, beta=BETA):
    return score_from_stats(ngram_stats(hyp, ref, order), order, beta)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: chrf.py HYPOTHESES REFERENCES")
    read = lambda p: open(p, encoding="utf-8").read().rstrip("\n").split("\n")
    print(f"chrF2 = {corpus_chrf(read(sys.argv[1]), read(sys.argv[2])):.2f}")


if __name__ == "__main__":
    main()
