#!/usr/bin/env python3
"""Train a translation model on your own sentence pairs: tokenizers -> training -> GGUF ->
evaluation, with the recipe scaled to the amount of data (make train DATA=... runs this).

    train_own.py --data mine.tsv --langs en,de [--name NAME] [--out DIR] [--minutes M] [--threads N]

--data: one TSV file, "source<TAB>target" per line (more columns are ignored). Its last lines
are held out (10%, at most 200) as the test set, and as many again as the validation set, when
there are at least 1000 pairs; a smaller file trains on everything and is checked on its own
training pairs (can it reproduce what it saw?). --name defaults to the file's name.

Why the recipe scales: the number of optimiser steps, not epochs, decides whether a transformer
learns anything. A few hundred pairs with the default model (batches of 6000 tokens, 600 warmup
steps) is a dozen steps per epoch: training ends inside the warmup and the model emits one
repeated piece ("tttt"). Here the batch is small enough for hundreds of steps per epoch, the
warmup is a fraction of the planned steps, and the model is as small as the data.
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def recipe(n_pairs, avg_tokens):
    """Model size, batch, warmup and epochs for n_pairs training pairs of about avg_tokens
    (source + target) each. Returns train.py arguments and the vocabulary sizes."""
    if n_pairs < 2000:
        size = dict(d=64, ffn=256, layers=2, heads=2, vocab=1000, batch=600, steps=1500)
    elif n_pairs < 20000:
        size = dict(d=128, ffn=512, layers=3, heads=4, vocab=4000, batch=2000, steps=4000)
    else:
        size = dict(d=256, ffn=1024, layers=3, heads=4, vocab=8000, batch=4000, steps=20000)
    per_epoch = max(1, n_pairs * avg_tokens // size["batch"])
    epochs = max(2, min(400, size["steps"] // per_epoch))
    warmup = max(50, min(1000, size["steps"] // 10))
    args = ["--d-model", size["d"], "--ffn", size["ffn"], "--heads", size["heads"],
            "--enc-layers", size["layers"], "--dec-layers", size["layers"],
            "--max-tokens", size["batch"], "--warmup", warmup, "--epochs", epochs,
            "--lr", "2e-3" if n_pairs < 20000 else "1e-3", "--dropout", "0.1",
            "--eval-every", max(100, size["steps"] // 10)]
    return [str(x) for x in args], size["vocab"]


def read_lines(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[0].strip() and cols[1].strip():
                rows.append(cols[0] + "\t" + cols[1])
    return rows


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
    if len(rows) >= 1000:
        k = min(200, len(rows) // 10)
        train, valid, test = rows[:-2 * k], rows[-2 * k:-k], rows[-k:]
    else:                                   # too few to hold out: check recall of training pairs
        train, valid, test = rows, rows[-min(100, len(rows)):], rows[:min(200, len(rows))]
    for split, lines in (("train", train), ("valid", valid), ("test", test)):
        with open(os.path.join(out, split + ".tsv"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    avg = sum(len(r) for r in train) // max(1, len(train)) // 4 + 2    # ~4 characters a token
    args, vocab = recipe(len(train), avg)
    py = a.python
    run([py, os.path.join(HERE, "train_tokenizer.py"), "--train", os.path.join(out, "train.tsv"),
         "--out", os.path.join(out, "tok"), "--src-vocab", str(vocab), "--tgt-vocab", str(vocab)])
    run([py, os.path.join(HERE, "train.py"), "--data", out, "--tok", os.path.join(out, "tok"),
         "--out", os.path.join(out, "ckpt"), "--name", name, "--languages", a.langs,
         "--description", f"trained by make train on {os.path.basename(a.data)}",
         "--greedy-eval", str(min(200, len(valid))), "--log-every", "50"] + args +
        (["--minutes", str(a.minutes)] if a.minutes else []) +
        (["--threads", str(a.threads)] if a.threads else []))
    gguf = os.path.join(out, name.replace(" ", "-") + ".gguf")
    run([py, os.path.join(HERE, "export_gguf.py"), os.path.join(out, "ckpt", "best.pt"), gguf])
    run([py, os.path.join(HERE, "evaluate.py"), os.path.join(out, "ckpt", "best.pt"),
         "--test", os.path.join(out, "test.tsv"), "--no-founding",
         "--report", os.path.join(out, "eval.md")])
    held = "held-out test pairs" if len(rows) >= 1000 else "training pairs (too few to hold out)"
    print(f"model: {gguf}\nevaluation on {len(test)} {held}: {os.path.join(out, 'eval.md')}\n"
          f"try it: ./anuvad -m {gguf} \"{test[0].split(chr(9))[0]}\"")


if __name__ == "__main__":
    main()
