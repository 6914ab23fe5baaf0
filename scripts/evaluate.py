#!/usr/bin/env python3
"""Evaluate a checkpoint with the PyTorch reference model: greedy decoding (KV cache) on a
test TSV, exact match and chrF2, 30 random pairs with the model's output, and the founding
examples with and without a capital letter and final ".".

    evaluate.py CHECKPOINT [--test work/corpus/test.tsv] [--test-lex work/corpus/test_lex.tsv]
                [--tok DIR] [--report FILE.md] [--no-founding]

--tok defaults to the tokenizer folder recorded in the checkpoint (or embedded in it).
Exact match compares the whole output string with the reference, punctuation included.
A fourth column in the test TSV (make_corpus.py's construction) gives a table by construction.
--test-lex adds the second test split (nouns never seen as a verb's object in training).
--train TSV (make train passes its training pairs) adds exact match by the rarest word of each
test pair: in how many training pairs it occurs (words as train_own.py counts them).
"""
import argparse
import os
import random
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chrf import corpus_chrf                               # noqa: E402
from model import greedy_batch, load_checkpoint            # noqa: E402
from train import Tokenizer, read_pairs                    # noqa: E402

FOUNDING = [("I like eating ice-cream", "मुझे आइसक्रीम खाना पसंद है"),
            ("we are friends", "हम दोस्त हैं")]


def founding_variants():
    """Each founding example with its first letter lower or upper case ("i like", as the
    corpus writes it too), with or without a final '.'."""
    out = []
    for en, hi in FOUNDING:
        for cap in (False, True):
            e = (en[0].upper() if cap else en[0].lower()) + en[1:]
            out.append((e, hi))
            out.append((e + ".", hi + "।"))
    return list(dict.fromkeys(out))


def translate_all(model, tok, sources, batch=64):
    """Greedy translations, batched by length (same ids as one sentence at a time)."""
    ids = [tok.source(s) for s in sources]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = [None] * len(ids)
    for k in range(0, len(order), batch):
        idx = order[k:k + batch]
        for i, g in zip(idx, greedy_batch(model, [ids[i] for i in idx])):
            out[i] = tok.detok(g)
    return out


RARITY = ((0, 0, "none (a word not in training)"), (1, 1, "1"), (2, 2, "2"), (3, 5, "3-5"),
          (6, None, "6 or more"))


def by_rarest_word(train, test, hyps):
    """Markdown lines: test pairs and exact match grouped by how many training pairs hold the
    pair's rarest word. Tells whether errors come from words seen once or twice."""
    from train_own import rarest_in_training
    rare = rarest_in_training(["\t".join(p) for p in train], ["\t".join(p) for p in test])
    lines = ["## By the rarest word in training", "",
             "| training pairs with the test pair's rarest word | pairs | exact |",
             "| --- | ---: | ---: |"]
    for lo, hi, label in RARITY:
        sel = [h == r for h, (_, r), n in zip(hyps, test, rare)
               if n >= lo and (hi is None or n <= hi)]
        if sel:
            lines.append(f"| {label} | {len(sel)} | {sum(sel) * 100 / len(sel):.1f}% ({sum(sel)}) |")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkpoint")
    ap.add_argument("--test", default="work/corpus/test.tsv")
    ap.add_argument("--tok", help="tokenizer folder (source.model, target.model, vocab.json)")
    ap.add_argument("--limit", type=int, default=0, help="evaluate only the first N pairs")
    ap.add_argument("--show", type=int, default=30, help="random pairs to print")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--report", help="also write the results here (markdown)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--test-lex", help="second test split: held-out lexical items")
    ap.add_argument("--train", help="training TSV: exact match by each test pair's rarest word")
    ap.add_argument("--no-founding", action="store_true",
                    help="skip the default model's founding examples (models of your own)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model, ck = load_checkpoint(a.checkpoint)
    tok = Tokenizer(a.tok or ck.get("tok", "work/tok"))
    pairs = read_pairs(a.test)
    kinds = [l.rstrip("\n").split("\t")[3] if l.count("\t") >= 3 else "" for l in
             open(a.test, encoding="utf-8") if len(l.split("\t")) >= 2]
    if a.limit:
        pairs, kinds = pairs[:a.limit], kinds[:a.limit]
    t0 = time.time()
    hyps = translate_all(model, tok, [s for s, _ in pairs])
    dt = time.time() - t0
    refs = [r for _, r in pairs]
    exact = sum(h == r for h, r in zip(hyps, refs)) / len(pairs)
    chrf = corpus_chrf(hyps, refs)
    lines = [f"# Evaluation of {a.checkpoint}", "",
             f"test set: {a.test}, {len(pairs)} pairs; greedy decoding, PyTorch reference model "
             f"({dt:.0f} s)", "",
             f"- exact match: {exact * 100:.2f}% ({sum(h == r for h, r in zip(hyps, refs))}"
             f"/{len(pairs)})",
             f"- chrF2: {chrf:.2f}"]
    if a.test_lex:
        lex = read_pairs(a.test_lex)
        lh = translate_all(model, tok, [s for s, _ in lex])
        lx = sum(h == r for h, (_, r) in zip(lh, lex))
        lines += [f"- lexical test split ({a.test_lex}: {len(lex)} pairs whose verb object is a "
                  f"noun never seen as an object in training): exact match "
                  f"{lx * 100 / len(lex):.2f}% ({lx}/{len(lex)}), chrF2 "
                  f"{corpus_chrf(lh, [r for _, r in lex]):.2f}"]
    if any(kinds):
        table = {}
        for k, h, r in zip(kinds, hyps, refs):
            t = table.setdefault(k.split(":")[0] if k.startswith(("copula",)) else k, [0, 0])
            t[0] += h == r
            t[1] += 1
        lines += ["", "## By construction (test split)", "", "| construction | pairs | exact |",
                  "| --- | --- | --- |"]
        for k, (ok_k, n_k) in sorted(table.items(), key=lambda kv: -kv[1][1]):
            lines.append(f"| {k} | {n_k} | {ok_k * 100 / n_k:.1f}% |")
    if a.train:
        lines += [""] + by_rarest_word(read_pairs(a.train), pairs, hyps)
    if not a.no_founding:
        lines += ["", "## Founding examples", ""]
        fv = founding_variants()
        fo = translate_all(model, tok, [s for s, _ in fv])
        ok = 0
        for (s, r), h in zip(fv, fo):
            ok += h == r
            lines.append(f"- {'OK ' if h == r else 'BAD'} `{s}` → `{h}`" + ("" if h == r else
                                                                           f" (expected `{r}`)"))
        lines += ["", f"{ok}/{len(fv)} founding variants exact."]
    lines += ["", f"## {a.show} random test pairs (seed {a.seed})", ""]
    rng = random.Random(a.seed)
    for i in sorted(rng.sample(range(len(pairs)), min(a.show, len(pairs)))):
        mark = "=" if hyps[i] == refs[i] else "≠"
        lines.append(f"{i + 1}. {pairs[i][0]}\n   - model {mark} {hyps[i]}"
                     + ("" if hyps[i] == refs[i] else f"\n   - reference: {refs[i]}"))
    wrong = [i for i in range(len(pairs)) if hyps[i] != refs[i]]
    lines += ["", f"## Errors ({len(wrong)}; first 20)", ""]
    for i in wrong[:20]:
        lines.append(f"- {pairs[i][0]}\n  - model: {hyps[i]}\n  - ref:   {refs[i]}")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.report:
        with open(a.report, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
