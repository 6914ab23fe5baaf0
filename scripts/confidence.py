#!/usr/bin/env python3
"""The confidence keys of a model file (docs/format.md, "Confidence"): what lets anuvad warn
that a translation is probably wrong.

- anuvad.confidence.known_words: the source words of the training corpus (split at spaces,
  ASCII punctuation stripped from both ends, ASCII lowercased: src/engine/words.c does the
  same), sorted. A word of the input outside it is a word the model never saw.
- anuvad.confidence.min_mean_log_prob: the per-token mean log-probability below which a
  translation is flagged. Calibrated on the validation split: translate its sources (greedy,
  ./anuvad), score each translation against its source (`anuvad score`: the mean over the
  translation's tokens and </s>), call a translation wrong when it differs from the
  reference, and take the threshold with the best F1 for "wrong" (ties: the lower one).

    confidence.py MODEL.gguf --train train.tsv --valid valid.tsv [--anuvad ./anuvad]

rewrites MODEL.gguf in place with both keys (tensors and other keys unchanged; the keys are
replaced if present). `make calibrate-model` runs it on the default model.

    confidence.py MODEL.gguf --eval tests/fixtures/confidence/eval.tsv [--beam N]

measures the warnings instead (`make confidence-eval`): translates the set's sources, calls a
translation wrong unless it is the reference or one of the other correct translations listed,
and prints the precision and recall of the warning for wrong translations, per category.
"""
import argparse
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import gguf_writer as gw                                # noqa: E402
from gguf_reader import scan_gguf                       # noqa: E402

KNOWN = "anuvad.confidence.known_words"
THRESHOLD = "anuvad.confidence.min_mean_log_prob"
PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def words(text):
    """The words of a source line as the engine checks them."""
    out = []
    for w in text.split():
        w = w.strip(PUNCT).encode("utf-8")
        w = bytes(c + 32 if 65 <= c <= 90 else c for c in w).decode("utf-8", "replace")
        if w:
            out.append(w)
    return out


def known_words(train_tsv):
    seen = set()
    for line in open(train_tsv, encoding="utf-8"):
        seen.update(words(line.split("\t")[0]))
    return sorted(seen)


def set_keys(path, keys):
    """Rewrites a GGUF v3 file with `keys` ({name: packed type+value bytes}) added or replaced;
    the tensor table and data are copied as they are (their offsets are relative to the data
    section, which moves to the next aligned offset after the new header)."""
    data = open(path, "rb").read()
    lay = scan_gguf(data)
    kv = [data[k0:k1] for key, k0, k1 in lay.kv_spans if key not in keys]
    kv += [gw.pack_string(k) + v for k, v in keys.items()]
    align = lay.meta.get("general.alignment", 32)
    infos = data[lay.infos_span[0]:lay.infos_span[1]]
    n_tensors, data_start = len(lay.infos), lay.data_start
    head = struct.pack("<IIQQ", gw.GGUF_MAGIC, 3, n_tensors, len(kv)) + b"".join(kv) + infos
    head += b"\0" * ((-len(head)) % align)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(head + data[data_start:])
    os.replace(tmp, path)


def packed_strings(values):
    return struct.pack("<IIQ", gw.ARRAY, gw.STRING, len(values)) + \
        b"".join(gw.pack_string(v) for v in values)


def packed_f32(v):
    return struct.pack("<If", gw.FLOAT32, v)


def translate_and_score(exe, model, sources):
    """Greedy translations and their mean token log-probabilities."""
    run = lambda args, text: subprocess.run(                           # noqa: E731
        [exe, "-q", "-m", model] + args, input=text, capture_output=True, text=True,
        check=True).stdout.split("\n")[:-1]
    hyps = run([], "\n".join(sources) + "\n")
    means = [float(l.split("\t")[1]) for l in
             run(["score"], "".join(f"{s}\t{h}\n" for s, h in zip(sources, hyps)))]
    return hyps, means


def best_threshold(means, wrong):
    """The threshold t (flag when mean < t) with the best F1 for `wrong`."""
    best = (-1.0, 0.0)
    n_wrong = sum(wrong)
    for t in sorted(set(means)) + [max(means) + 1e-6]:
        flagged = [m < t for m in means]
        tp = sum(f and w for f, w in zip(flagged, wrong))
        fp = sum(flagged) - tp
        f1 = 2 * tp / (2 * tp + fp + (n_wrong - tp)) if tp else 0.0
        if f1 > best[0] + 1e-12:
            best = (f1, t)
    return best[1], best[0]


def evaluate(exe, model, path, beam):
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8")
            if not l.startswith("#")]
    r = subprocess.run([exe, "-m", model, "-t", "1", "--beam", str(beam)],
                       input="".join(row[1] + "\n" for row in rows), capture_output=True,
                       text=True)
    hyps = r.stdout.split("\n")[:-1]
    assert len(hyps) == len(rows), "line count"
    warned = {}
    for line in r.stderr.split("\n"):
        if ": warning: line " in line and "low confidence" in line:
            n = int(line.split(": warning: line ")[1].split(":")[0])
            warned[n - 1] = ("never saw" in line, "mean token" in line)
    table = {}
    for i, row in enumerate(rows):
        ok = {row[2]} | set(filter(None, (row[3] if len(row) > 3 else "").split("|")))
        wrong = hyps[i] not in ok
        w = warned.get(i, (False, False))
        cats = [row[0], "all"] + (["all, unknown words alone"] if w[0] else []) + \
            (["all, low mean alone"] if w[1] else [])
        for cat in cats:
            t = table.setdefault(cat, {"n": 0, "wrong": 0, "warned": 0, "hit": 0, "words": 0,
                                       "low": 0})
            if cat.startswith("all,"):   # the lines one signal flags (n and wrong: below)
                t["warned"] += 1
                t["hit"] += wrong
                continue
            t["n"] += 1
            t["wrong"] += wrong
            t["warned"] += any(w)
            t["hit"] += any(w) and wrong
            t["words"] += w[0]
            t["low"] += w[1]
    for cat, t in table.items():   # one signal's lines against all wrong ones, counted at the end
        if cat.startswith("all,"):
            t["n"], t["wrong"] = table["all"]["n"], table["all"]["wrong"]
    print(f"{model}, beam {beam}: {path}")
    print("| set | sentences | wrong | warned (unknown words / low mean) | precision | recall |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    order = ["in-domain", "one-word-outside", "everyday", "all", "all, unknown words alone",
             "all, low mean alone"]
    for cat, t in sorted(table.items(), key=lambda kv: order.index(kv[0])
                         if kv[0] in order else -1):
        p = f"{t['hit'] / t['warned']:.2f}" if t["warned"] else "-"
        rc = f"{t['hit'] / t['wrong']:.2f}" if t["wrong"] else "-"
        split = "" if cat.startswith("all,") else f" ({t['words']} / {t['low']})"
        print(f"| {cat} | {t['n']} | {t['wrong']} | {t['warned']}{split} | {p} | {rc} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--train", help="the training corpus (source<TAB>target)")
    ap.add_argument("--valid", help="the validation split (source<TAB>target)")
    ap.add_argument("--anuvad", default=os.path.join(ROOT, "anuvad"))
    ap.add_argument("--eval", help="measure the warnings on this set instead")
    ap.add_argument("--beam", type=int, default=1)
    a = ap.parse_args()
    if a.eval:
        return evaluate(a.anuvad, a.model, a.eval, a.beam)
    if not a.train or not a.valid:
        ap.error("calibrating needs --train and --valid")
    known = known_words(a.train)
    pairs = [l.rstrip("\n").split("\t")[:2] for l in open(a.valid, encoding="utf-8")]
    hyps, means = translate_and_score(a.anuvad, a.model, [s for s, _ in pairs])
    wrong = [h != r for h, (_, r) in zip(hyps, pairs)]
    t, f1 = best_threshold(means, wrong)
    set_keys(a.model, {KNOWN: packed_strings(known), THRESHOLD: packed_f32(t)})
    print(f"{a.model}: {len(known)} known source words; threshold {t:.4f} "
          f"(validation: {sum(wrong)} of {len(pairs)} translations differ from the reference, "
          f"F1 {f1:.3f} for them)")


if __name__ == "__main__":
    main()
