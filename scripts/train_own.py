#!/usr/bin/env python3
"""Train a translation model on your own sentence pairs: tokenizers -> training -> GGUF ->
evaluation, with the recipe scaled to the amount of data (make train DATA=... runs this).

    train_own.py --data mine.tsv --langs en,de [--name NAME] [--out DIR] [--minutes M]
                 [--threads N] [--seed S]

--data: one TSV file, "source<TAB>target" per line (more columns are ignored). --name defaults
to the file's name.

Held-out pairs (files of at least 1000 pairs): a test set (10%, at most 200) and as many again
for validation, drawn at random (--seed) among the pairs a model could reproduce from the rest:
every word of the pair, source and target side, also occurs in a pair that stays in training,
and no other pair has the same source sentence up to case and punctuation. A model cannot write
a word it never saw, so a test sentence with such a word measures the data, not the training.
"Word" means a whitespace-separated word with punctuation at either end removed, case folded:
what a reader counts as the same word, and what the user can check and fix in the data.
SentencePiece pieces would exclude nothing (the pieces cover every character of the training
text) and would let the test ask for words the model must invent from pieces. What was left
out, and how many pairs hold a word that occurs in no other pair, is printed and written into
eval.md. A smaller file trains on everything and is checked on its own training pairs (can it
reproduce what it saw?).

Why the recipe scales: the number of optimiser steps, not epochs, decides whether a transformer
learns anything. A few hundred pairs with the default model (batches of 6000 tokens, 600 warmup
steps) is a dozen steps per epoch: training ends inside the warmup and the model emits one
repeated piece ("tttt"). Here the batch is small enough for hundreds of steps per epoch, the
warmup is a small part of the run, and the model is as small as the data and as fast as a
run of minutes on one core needs (recipe() says what was measured).
"""
import argparse
import os
import random
import subprocess
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))


def recipe(n_pairs, avg_tokens):
    """Model size, batch, warmup, regularisation and epochs for n_pairs training pairs of about
    avg_tokens (source + target) each. Returns train.py arguments and the vocabulary size.

    The middle tier was measured on 4,600 pairs of the generated English-Hindi corpus on one
    core (docs/train.md): in a run of minutes, tokens per CPU-second limit the result, not the
    model's capacity. 2+2 layers with a 256-wide feed-forward layer and a softmax over the
    target pieces only (--target-output) train 2.5 times as many tokens a second as 3+3 layers
    with 512 and the whole vocabulary; batches of 500 tokens learn more per token than 1000 or
    2000; a warmup of 400 steps was a third of a 12-minute run. Such a model reproduces its
    training pairs after a few minutes, so dropout and label smoothing (0.1 each) give some of
    that speed to new sentences. Epochs, not steps, are fixed there, so time grows with data."""
    if n_pairs < 2000:
        t = dict(d=64, ffn=256, layers=2, heads=2, vocab=1000, batch=600, steps=1500, warmup=150,
                 lr="2e-3", evals=10, target_output=True)
    elif n_pairs < 20000:
        t = dict(d=128, ffn=256, layers=2, heads=4, vocab=4000, batch=500, epochs=32, warmup=100,
                 lr="2e-3", evals=5, target_output=True)
    else:
        t = dict(d=256, ffn=1024, layers=3, heads=4, vocab=8000, batch=4000, steps=20000,
                 warmup=1000, lr="1e-3", evals=10, target_output=False)
    per_epoch = max(1, n_pairs * avg_tokens // t["batch"])
    steps = t.get("steps") or t["epochs"] * per_epoch
    epochs = max(2, min(400, steps // per_epoch))
    args = ["--d-model", t["d"], "--ffn", t["ffn"], "--heads", t["heads"],
            "--enc-layers", t["layers"], "--dec-layers", t["layers"],
            "--max-tokens", t["batch"], "--warmup", t["warmup"], "--epochs", epochs,
            "--lr", t["lr"], "--dropout", "0.1", "--label-smoothing", "0.1",
            "--eval-every", max(100, steps // t["evals"])]
    return [str(x) for x in args] + ["--target-output"] * t["target_output"], t["vocab"]


def read_lines(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[0].strip() and cols[1].strip():
                rows.append(cols[0] + "\t" + cols[1])
    return rows


def strip_punct(token):
    i, j = 0, len(token)
    while i < j and unicodedata.category(token[i])[0] == "P":
        i += 1
    while j > i and unicodedata.category(token[j - 1])[0] == "P":
        j -= 1
    return token[i:j]


def words(text):
    """A sentence's words as a reader counts them: split at whitespace, punctuation at either
    end removed ("room." is "room", "है।" is "है"; "ice-cream" stays one word), case folded."""
    return [w for w in (strip_punct(t).casefold() for t in text.split()) if w]


def pair_words(row):
    """The words of a "source<TAB>target" row, each side's marked apart ("s dog", "t कुत्ता")."""
    src, tgt = row.split("\t")[:2]
    return {"s " + w for w in words(src)} | {"t " + w for w in words(tgt)}


def rarest_in_training(train, test):
    """For each test row, in how many training rows its rarest word occurs (0: one of its words
    is in none). A model that learns a word from a handful of examples shows it here first."""
    count = Counter(w for r in train for w in pair_words(r))
    return [min((count[w] for w in pair_words(r)), default=0) for r in test]


def hold_out(rows, k, seed):
    """k test and k validation pairs drawn at random among the pairs whose every word (source
    and target) stays in some training pair and whose source sentence (up to case and
    punctuation) occurs once. Returns train, valid, test and the lines that say what was
    excluded."""
    halves = [r.split("\t") for r in rows]
    row_words = [pair_words(r) for r in rows]
    count = Counter(w for ws in row_words for w in ws)
    keys = [" ".join(words(s)) for s, _ in halves]
    same = Counter(keys)
    once = [i for i, ws in enumerate(row_words) if any(count[w] == 1 for w in ws)]
    lonely = sorted({w[2:] for i in once for w in row_words[i] if count[w] == 1})
    repeated = [i for i in range(len(rows)) if same[keys[i]] > 1]
    order = sorted(set(range(len(rows))) - set(once) - set(repeated))
    possible = len(order)
    random.Random(seed).shuffle(order)
    picked = []
    for i in order:
        if len(picked) == 2 * k:
            break
        # >= 2: after this pair leaves, another pair still in training has the word
        if all(count[w] >= 2 for w in row_words[i]):
            picked.append(i)
            for w in row_words[i]:
                count[w] -= 1
    n_test = (len(picked) + 1) // 2
    out = set(picked)
    train = [r for i, r in enumerate(rows) if i not in out]
    n = len(rows)
    report = [
        f"{len(once)} of the {n} pairs ({len(once) * 100 / n:.1f}%) contain a word that occurs "
        f"in no other pair ({len(lonely)} such words, source and target side, e.g. "
        f"{', '.join(lonely[:6])}): the model sees each of them once. These pairs only train.",
        f"{len(repeated)} pairs share their source sentence with another pair (up to case and "
        "punctuation); they only train, so that no test sentence is a training sentence.",
        f"{possible} pairs could be held out; {n_test} test and {len(picked) - n_test} "
        f"validation pairs were drawn from them at random (seed {seed}), keeping every word "
        f"they use in the {len(train)} training pairs. The test measures sentences made of "
        "words the model saw in training.",
    ]
    return train, [rows[i] for i in picked[n_test:]], [rows[i] for i in picked[:n_test]], report


def run(cmd):
    print("+ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--langs", required=True, help="source,target language codes, e.g. en,de")
    ap.add_argument("--name", help="model name (default: the data file's name)")
    ap.add_argument("--out", help="work folder (default: work/own-NAME)")
    ap.add_argument("--minutes", type=float, default=0, help="training time cap (0: none)")
    ap.add_argument("--threads", type=int, default=0,
                    help="training threads (0: train.py measures 1 and 2 and keeps the faster)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the held-out draw")
    ap.add_argument("--split-only", action="store_true",
                    help="write train/valid/test.tsv and stop (what the held-out rule picks)")
    ap.add_argument("--python", default=sys.executable)
    a = ap.parse_args()
    langs = a.langs.split(",")
    if len(langs) != 2 or not all(langs):
        sys.exit("train_own.py: --langs must be two codes separated by a comma, e.g. en,de")
    rows = read_lines(a.data)
    if len(rows) < 20:
        sys.exit(f"train_own.py: {a.data} has {len(rows)} usable source<TAB>target lines; "
                 "at least 20 are needed")
    name = a.name or os.path.splitext(os.path.basename(a.data))[0]
    out = a.out or os.path.join("work", "own-" + "".join(c if c.isalnum() else "-" for c in name))
    os.makedirs(out, exist_ok=True)
    k = min(200, len(rows) // 10) if len(rows) >= 1000 else 0
    if k:
        train, valid, test, notes = hold_out(rows, k, a.seed)
    if not k or len(test) < 20:             # too few to hold out: check recall of training pairs
        notes = (notes + ["Too few pairs can be held out: training on all of them."]) if k else []
        train, valid, test = rows, rows[-min(100, len(rows)):], rows[:min(200, len(rows))]
    for note in notes:
        print(note, flush=True)
    for split, lines in (("train", train), ("valid", valid), ("test", test)):
        with open(os.path.join(out, split + ".tsv"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    if a.split_only:
        return
    avg = sum(len(r) for r in train) // max(1, len(train)) // 4 + 2    # ~4 characters a token
    args, vocab = recipe(len(train), avg)
    py = a.python
    threads = ["--threads", str(a.threads)] if a.threads else []
    run([py, os.path.join(HERE, "train_tokenizer.py"), "--train", os.path.join(out, "train.tsv"),
         "--out", os.path.join(out, "tok"), "--src-vocab", str(vocab), "--tgt-vocab", str(vocab)])
    run([py, os.path.join(HERE, "train.py"), "--data", out, "--tok", os.path.join(out, "tok"),
         "--out", os.path.join(out, "ckpt"), "--name", name, "--languages", a.langs,
         "--description", f"trained by make train on {os.path.basename(a.data)}",
         "--greedy-eval", str(min(200, len(valid))), "--log-every", "50"] + args +
        (["--minutes", str(a.minutes)] if a.minutes else []) + threads)
    gguf = os.path.join(out, name.replace(" ", "-") + ".gguf")
    run([py, os.path.join(HERE, "export_gguf.py"), os.path.join(out, "ckpt", "best.pt"), gguf])
    report = os.path.join(out, "eval.md")
    run([py, os.path.join(HERE, "evaluate.py"), os.path.join(out, "ckpt", "best.pt"),
         "--test", os.path.join(out, "test.tsv"), "--no-founding", "--report", report] + threads +
        (["--train", os.path.join(out, "train.tsv")] if train is not rows else []))
    if notes:
        with open(report, "a", encoding="utf-8") as f:
            f.write("\n## How the test pairs were chosen\n\n" + "".join(f"- {n}\n" for n in notes))
    held = "held-out test pairs" if train is not rows else "training pairs (too few to hold out)"
    print(f"model: {gguf}\nevaluation on {len(test)} {held}: {report}\n"
          f"try it: ./anuvad -m {gguf} \"{test[0].split(chr(9))[0]}\"")


if __name__ == "__main__":
    main()
