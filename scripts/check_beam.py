#!/usr/bin/env python3
"""make check-beam: anuvad's beam search against transformers' generate(num_beams=N,
do_sample=False) on the same weights, in .venv-hf (torch, transformers, sentencepiece).

Models: our default model exported to the Hugging Face layout (scripts/export_hf.py), and
Hugging Face MarianMTModel directories with their anuvad conversion (--pair HF_DIR GGUF).
For each beam size, every sentence's N hypotheses (num_return_sequences=N) must be the same
texts in the same order, with scores (sequences_scores) within --tol. Writes a small fixture
(--fixture) of transformers' own hypotheses that tests/cli/beam.sh compares against, so
`make test` needs neither torch nor transformers.

    check_beam.py --anuvad ./anuvad [--n 200] [--beams 2,4,5] [--pair DIR GGUF] [--fixture F]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

import torch

warnings.filterwarnings("ignore")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
from transformers import MarianMTModel, MarianTokenizer  # noqa: E402
import sentencepiece as spm                             # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import export_hf                                        # noqa: E402

# (beam, length_penalty, early_stopping): the sizes the issue names with transformers'
# defaults, then the other options.
VARIANTS_EXTRA = [(4, 0.6, False), (4, 2.0, True), (3, 0.0, True)]


class Hf:
    """A MarianMTModel directory, tokenized the way anuvad does (source.spm pieces looked up
    in vocab.json) so only the search is compared."""

    def __init__(self, d):
        self.model = MarianMTModel.from_pretrained(d).eval()
        self.cfg = self.model.config
        self.vocab = json.load(open(os.path.join(d, "vocab.json"), encoding="utf-8"))
        self.pieces = {i: p for p, i in self.vocab.items()}
        self.src = spm.SentencePieceProcessor(model_file=os.path.join(d, "source.spm"))
        self.tgt = spm.SentencePieceProcessor(model_file=os.path.join(d, "target.spm"))
        # The model's own forced </s> at the length limit (OPUS-MT's generation_config), which
        # anuvad honours too (anuvad.generation.forced_eos); None for the exported default model.
        self.forced_eos = getattr(self.model.generation_config, "forced_eos_token_id", None)
        # A converted Marian model's output text is MarianTokenizer's (anuvad.tokenizer.marian);
        # the exported default model has no tokenizer_config.json and decodes as anuvad's does.
        self.marian = MarianTokenizer.from_pretrained(d) \
            if os.path.exists(os.path.join(d, "tokenizer_config.json")) else None

    def ids(self, text):
        unk = self.vocab["<unk>"]
        ids = [self.vocab.get(p, unk) for p in self.src.encode(text, out_type=str)]
        # anuvad keeps the first max_positions - 1 pieces and </s> (it warns); transformers
        # would index past its position table
        return ids[:self.cfg.max_position_embeddings - 1] + [self.cfg.eos_token_id]

    def text(self, ids):
        if self.marian:
            return self.marian.decode(ids, skip_special_tokens=True)
        skip = (self.cfg.eos_token_id, self.cfg.pad_token_id)
        return self.tgt.decode_pieces([self.pieces[i] for i in ids if i not in skip])

    def beam(self, text, n, lp, es):
        ids = self.ids(text)
        max_len = min(2 * len(ids) + 10, self.cfg.max_position_embeddings)   # anuvad's default
        with torch.no_grad():
            out = self.model.generate(
                torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                num_beams=n, num_return_sequences=n, do_sample=False, length_penalty=lp,
                early_stopping=es, max_length=max_len + 1, min_length=0,
                bad_words_ids=[[self.cfg.pad_token_id]],
                forced_eos_token_id=self.forced_eos,
                decoder_start_token_id=self.cfg.decoder_start_token_id,
                return_dict_in_generate=True, output_scores=True)
        return [(self.text(s[1:].tolist()), float(sc))
                for s, sc in zip(out.sequences, out.sequences_scores)]


def anuvad_nbest(exe, gguf, sents, n, lp, es):
    cmd = [exe, "-q", "-t", "1", "-m", gguf, "--beam", str(n), "--n-best", str(n),
           "--n-best-format", "tsv", "--length-penalty", str(lp)] + \
        (["--early-stopping"] if es else [])
    r = subprocess.run(cmd, input="\n".join(sents) + "\n", capture_output=True, text=True,
                       check=True)
    got = [[] for _ in sents]
    for line in r.stdout.split("\n")[:-1]:
        i, text, score = line.split("\t")
        got[int(i)].append((text, float(score)))
    return got


def compare(name, exe, hf, gguf, sents, variants, tol, fixture_rows, n_fixture, n_extra):
    print(f"== {name}: {len(sents)} sentences", flush=True)
    ok = True
    all_sents = sents
    for n, lp, es in variants:
        sents = all_sents if (n, lp, es) not in VARIANTS_EXTRA else all_sents[:n_extra]
        t0 = time.time()
        ref = [hf.beam(s, n, lp, es) for s in sents]
        t_hf = time.time() - t0
        got = anuvad_nbest(exe, gguf, sents, n, lp, es)
        same_best = sum(r[0][0] == g[0][0] for r, g in zip(ref, got))
        same_all = sum([h for h, _ in r] == [h for h, _ in g] for r, g in zip(ref, got))
        diffs = [abs(a[1] - b[1]) for r, g in zip(ref, got) for a, b in zip(r, g)
                 if a[0] == b[0]]
        worst = max(diffs) if diffs else float("nan")
        good = same_all == len(sents) and worst <= tol
        ok &= good
        print(f"beam {n} lp {lp} early_stopping {es}: best same {same_best}/{len(sents)}, "
              f"all {n} same {same_all}/{len(sents)}, max score diff {worst:.2e} "
              f"({'ok' if good else 'FAIL'}; transformers {t_hf:.1f} s)", flush=True)
        for k, (r, g) in enumerate(zip(ref, got)):
            if [h for h, _ in r] != [h for h, _ in g] and k < 1000:
                print(f"  sentence {k}: {sents[k]!r}\n    transformers {r}\n    anuvad       {g}")
                break
        for k in range(min(n_fixture, len(sents))):
            for rank, (text, score) in enumerate(ref[k]):
                fixture_rows.append((name, n, lp, int(es), k, sents[k], rank, text, score))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--anuvad", default=os.path.join(ROOT, "anuvad"))
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "en-hi.gguf"))
    ap.add_argument("--sentences", default=os.path.join(ROOT, "tests", "fixtures",
                                                        "en-hi-test.tsv"))
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--beams", default="2,4,5")
    ap.add_argument("--pair", nargs=2, action="append", default=[], metavar=("HF_DIR", "GGUF"))
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--fixture", help="write transformers' hypotheses of the first sentences")
    ap.add_argument("--fixture-n", type=int, default=12)
    ap.add_argument("--n-extra", type=int, default=50,
                    help="sentences for the length penalty / early stopping variants")
    a = ap.parse_args()
    torch.set_num_threads(1)
    sents = [l.split("\t")[0] for l in open(a.sentences, encoding="utf-8")][:a.n]
    variants = [(int(b), 1.0, False) for b in a.beams.split(",")] + VARIANTS_EXTRA
    rows, ok = [], True
    with tempfile.TemporaryDirectory() as tmp:
        export_hf.export(a.model, tmp)
        ok &= compare(os.path.basename(a.model), a.anuvad, Hf(tmp), a.model, sents, variants,
                      a.tol, rows, a.fixture_n, a.n_extra)
    for d, g in a.pair:
        ok &= compare(os.path.basename(g), a.anuvad, Hf(d), g, sents, variants, a.tol, rows,
                      a.fixture_n, a.n_extra)
    if a.fixture:
        with open(a.fixture, "w", encoding="utf-8") as f:
            f.write("# model\tbeam\tlength_penalty\tearly_stopping\tline\tsource\trank\t"
                    "hypothesis\tscore   (transformers generate, scripts/check_beam.py)\n")
            for r in rows:
                f.write("\t".join(str(x) for x in r[:8]) + f"\t{r[8]:.6f}\n")
    print("all same" if ok else "DIFFERENCES")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
