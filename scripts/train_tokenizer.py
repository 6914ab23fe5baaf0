#!/usr/bin/env python3
"""Train the source and target SentencePiece models with Debian's spm_train, and build the
model vocabulary (Marian's vocab.json): </s>, <unk>, <pad>, then every source piece, then the
target pieces not already present. Pieces are looked up in it by string.

Why two tokenizers and one vocabulary: English and Hindi share almost no pieces, so one joint
model would spend its budget on both scripts and split words of each; two models keep each side
near word level, and the union vocabulary lets one embedding matrix (tied to the output) serve
both, which is how OPUS-MT models are built.
"""
import argparse
import json
import os
import subprocess
import tempfile

import sentencepiece as spm

SPECIALS = ["</s>", "<unk>", "<pad>"]          # ids 0, 1, 2: eos, unk, pad (= decoder start)


def train_one(lines, prefix, vocab_size, seed_sentencepiece_size=200000):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        path = f.name
    try:
        subprocess.run(["spm_train", f"--input={path}", f"--model_prefix={prefix}",
                        "--model_type=unigram", f"--vocab_size={vocab_size}",
                        "--character_coverage=1.0", "--hard_vocab_limit=false",
                        "--normalization_rule_name=nmt_nfkc", "--num_threads=2",
                        f"--seed_sentencepiece_size={seed_sentencepiece_size}",
                        "--minloglevel=2"], check=True)
    finally:
        os.unlink(path)


def build_vocab(model_paths):
    vocab, seen = list(SPECIALS), set(SPECIALS)
    for path in model_paths:
        sp = spm.SentencePieceProcessor(model_file=path)
        for i in range(sp.get_piece_size()):
            if sp.is_control(i) or sp.is_unknown(i):
                continue
            p = sp.id_to_piece(i)
            if p not in seen:
                seen.add(p)
                vocab.append(p)
    return vocab


def main():
    ap = argparse.ArgumentParser(description="train SentencePiece models and the vocabulary")
    ap.add_argument("--train", default="work/corpus/train.tsv", help="TSV: source<TAB>target[...]")
    ap.add_argument("--out", default="work/tok")
    ap.add_argument("--src-vocab", type=int, default=1000)
    ap.add_argument("--tgt-vocab", type=int, default=1500)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    src, tgt = [], []
    with open(a.train, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2:
                src.append(cols[0])
                tgt.append(cols[1])
    train_one(src, os.path.join(a.out, "source"), a.src_vocab)
    train_one(tgt, os.path.join(a.out, "target"), a.tgt_vocab)
    vocab = build_vocab([os.path.join(a.out, "source.model"), os.path.join(a.out, "target.model")])
    with open(os.path.join(a.out, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump({p: i for i, p in enumerate(vocab)}, f, ensure_ascii=False, indent=0)
    print(f"tokenizers: {a.out}/source.model {a.out}/target.model, vocabulary {len(vocab)}")


if __name__ == "__main__":
    main()
