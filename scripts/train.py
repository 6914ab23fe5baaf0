#!/usr/bin/env python3
"""Train the reference transformer (scripts/model.py) on tab-separated sentence pairs.

  train.py --data work/corpus --tok work/tok --out work/ckpt            # our corpus
  train.py --data mine/ --tok mine/tok --out mine/ckpt --minutes 30     # your own pairs

--data is a folder with train.tsv and valid.tsv, or one .tsv file (its last --valid-size lines
become the validation set): "source<TAB>target" per line (more columns are ignored). --tok holds
source.model, target.model and vocab.json (scripts/train_tokenizer.py).
Label-smoothed cross-entropy, AdamW, linear warmup then cosine (or inverse-sqrt) decay, gradient
clipping. With --minutes the cosine runs over the time budget (progress = the larger of the
step and the time fraction), so the learning rate reaches its floor when time is up. After every
epoch and every --eval-every steps: validation loss and greedy exact-match accuracy, and a
checkpoint (last.pt; best.pt by validation accuracy). --resume continues from last.pt.
Checkpoints embed the tokenizers and the vocabulary, so export_gguf.py needs nothing else.
--threads 0 (default) measures 1 and 2 threads now and then and keeps the faster: on a busy
2-core machine one thread is often faster than two.
"""
import argparse
import json
import math
import os
import random
import sys
import time


def _fixed_threads(argv):
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "0"


# Debian's torch does its matrix products in OpenBLAS, whose own thread pool torch.set_num_threads
# does not size. With a fixed --threads N on a shared machine the pool's spinning extra thread
# only fights the others for the cores (a 1-thread run fell from ~3700 to ~700 tok/s with
# helpers running), so it is sized before torch loads OpenBLAS.
if _fixed_threads(sys.argv) not in ("", "0"):
    os.environ.setdefault("OPENBLAS_NUM_THREADS", _fixed_threads(sys.argv))

import sentencepiece as spm  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Config, Seq2Seq, greedy_batch  # noqa: E402


class Tokenizer:
    """Text <-> model ids, the way the C engine does it: SentencePiece pieces looked up in the
    vocabulary by string (unknown -> <unk>), </s> appended to the source."""
    def __init__(self, tok_dir):
        self.src = spm.SentencePieceProcessor(model_file=os.path.join(tok_dir, "source.model"))
        self.tgt = spm.SentencePieceProcessor(model_file=os.path.join(tok_dir, "target.model"))
        with open(os.path.join(tok_dir, "vocab.json"), encoding="utf-8") as f:
            self.vocab = json.load(f)
        self.pieces = [None] * len(self.vocab)
        for p, i in self.vocab.items():
            self.pieces[i] = p
        self.eos, self.unk, self.pad = self.vocab["</s>"], self.vocab["<unk>"], self.vocab["<pad>"]

    def ids(self, sp, text):
        return [self.vocab.get(p, self.unk) for p in sp.encode(text, out_type=str)]

    @staticmethod
    def word_of_pieces(pieces):
        """Whitespace word index of each piece (a piece starting with ▁ starts a word)."""
        out, w = [], -1
        for p in pieces:
            if p.startswith("\u2581") or w < 0:
                w += 1
            out.append(w)
        return out, w + 1

    def guide(self, src, tgt, align):
        """Gold alignment (Pharaoh, whitespace words) -> [(target piece, source piece, weight)]:
        each target piece attends uniformly to the pieces of the source words its word is
        linked to. None when the pieces do not give the same words as the text."""
        sp_s = self.src.encode(src, out_type=str)
        sp_t = self.tgt.encode(tgt, out_type=str)
        ws, ns = self.word_of_pieces(sp_s)
        wt, nt = self.word_of_pieces(sp_t)
        if ns != len(src.split()) or nt != len(tgt.split()):
            return None
        links = {}
        for p in align.split():
            i, j = map(int, p.split("-"))
            links.setdefault(j, set()).add(i)
        out = []
        for t, j in enumerate(wt):
            srcs = [k for k, i in enumerate(ws) if i in links.get(j, ())]
            out += [(t, k, 1.0 / len(srcs)) for k in srcs]
        return out

    def target_ids(self):
        """Every id the target side can produce: its pieces, <unk> and </s>."""
        ids = {self.eos, self.unk}
        for i in range(self.tgt.get_piece_size()):
            if not (self.tgt.is_control(i) or self.tgt.is_unknown(i)):
                ids.add(self.vocab.get(self.tgt.id_to_piece(i), self.unk))
        return sorted(ids)

    def source(self, text):
        return self.ids(self.src, text) + [self.eos]

    def target(self, text):
        return self.ids(self.tgt, text)

    def detok(self, ids):
        pieces = [self.pieces[i] for i in ids if i not in (self.eos, self.pad)]
        return self.tgt.decode_pieces(pieces)


def read_pairs(path, with_align=False):
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[0].strip() and cols[1].strip():
                if with_align:
                    pairs.append((cols[0], cols[1], cols[2] if len(cols) > 2 else ""))
                else:
                    pairs.append((cols[0], cols[1]))
    return pairs


def batches(examples, max_tokens, rng):
    """Length-bucketed batches of about max_tokens (padded) target+source tokens."""
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i][1]), len(examples[i][0])))
    out, cur, longest = [], [], 0
    for i in order:
        n = len(examples[i][0]) + len(examples[i][1]) + 1
        if cur and max(longest, n) * (len(cur) + 1) > max_tokens:
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def collate(examples, idx, pad, eos, guides=None):
    src = [examples[i][0] for i in idx]
    tgt = [examples[i][1] for i in idx]
    S, T = max(map(len, src)), max(map(len, tgt)) + 1
    s = torch.full((len(idx), S), pad, dtype=torch.long)
    ti = torch.full((len(idx), T), pad, dtype=torch.long)
    to = torch.full((len(idx), T), -100, dtype=torch.long)
    for b, (x, y) in enumerate(zip(src, tgt)):
        s[b, :len(x)] = torch.tensor(x)
        ti[b, 1:len(y) + 1] = torch.tensor(y)       # decoder input: <pad>(start) + y
        to[b, :len(y) + 1] = torch.tensor(y + [eos])
    if guides is None:
        return s, ti, to
    # G[b, t, k]: the attention mass the step producing target piece t should give source
    # piece k (rows of unaligned pieces stay zero and do not count)
    g = torch.zeros((len(idx), T, S))
    for b, i in enumerate(idx):
        for t, k, w in guides[i] or ():
            if t < T and k < S:
                g[b, t, k] = w
    return s, ti, to, g


def lr_at(step, a, total, elapsed=0.0):
    """Linear warmup, then cosine down to 5% of --lr (or inverse square root). The cosine's
    progress is the larger of the step fraction and, with --minutes, the time fraction."""
    if step < a.warmup:
        return a.lr * (step + 1) / a.warmup
    if a.schedule == "cosine":
        p = (step - a.warmup) / max(1, total - a.warmup)
        if a.minutes:
            p = max(p, elapsed / (a.minutes * 60))
        p = min(1.0, p)
        return a.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * p)))
    return a.lr * math.sqrt(a.warmup / (step + 1))


@torch.no_grad()
def evaluate(model, tok, valid, valid_text, n_greedy):
    model.eval()
    loss_sum, count = 0.0, 0
    for idx in batches(valid, 4000, random.Random(0)):
        s, ti, to = collate(valid, idx, tok.pad, tok.eos)
        logits = model(s, ti)
        loss_sum += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), to.reshape(-1),
                                    ignore_index=-100, reduction="sum").item()
        count += (to != -100).sum().item()
    exact = 0
    sample = valid_text[:n_greedy]
    for k in range(0, len(sample), 100):
        chunk = sample[k:k + 100]
        outs = greedy_batch(model, [tok.source(src) for src, _ in chunk])
        exact += sum(tok.detok(g) == ref for g, (_, ref) in zip(outs, chunk))
    model.train()
    return loss_sum / count, exact / max(1, min(n_greedy, len(valid_text)))


def save(path, model, opt, meta):
    tmp = path + ".tmp"
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), **meta}, tmp)
    os.replace(tmp, path)


class ThreadTuner:
    """--threads 0: after every `period` steps, run `probe` steps with the other thread count
    (1 or 2) and keep whichever gave more tokens per second. Another job on a 2-core machine
    makes two OpenMP threads wait on each other; one thread then wins."""

    def __init__(self, fixed, period=200, probe=20):
        self.fixed, self.period, self.probe = fixed, period, probe
        self.n, self.probing, self.base = fixed or 2, False, None
        self.reset()
        torch.set_num_threads(self.n)

    def reset(self):
        self.start, self.toks, self.steps = time.time(), 0, 0

    def after_step(self, toks):
        if self.fixed:
            return
        self.toks += toks
        self.steps += 1
        if self.steps < (self.probe if self.probing else self.period):
            return
        rate = self.toks / max(1e-9, time.time() - self.start)
        if not self.probing:
            self.base, self.n = (self.n, rate), 3 - self.n
        elif rate < self.base[1]:
            self.n = self.base[0]
        self.probing = not self.probing
        torch.set_num_threads(self.n)
        self.reset()


def tokenizer_blob(tok_dir, tok):
    """What export_gguf.py needs, stored in every checkpoint."""
    read = lambda name: open(os.path.join(tok_dir, name), "rb").read()
    return {"src_spm": read("source.model"), "tgt_spm": read("target.model"),
            "vocab": tok.pieces,
            "special": {"pad": tok.pad, "eos": tok.eos, "unk": tok.unk, "decoder_start": tok.pad}}


def main():
    ap = argparse.ArgumentParser(description="train the anuvad reference model")
    ap.add_argument("--data", default="work/corpus", help="folder with train.tsv + valid.tsv, "
                    "or one .tsv file")
    ap.add_argument("--valid-size", type=int, default=500,
                    help="validation pairs cut from the end of a single --data file")
    ap.add_argument("--tok", default="work/tok")
    ap.add_argument("--out", default="work/ckpt")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=0, help="stop after this much training time")
    ap.add_argument("--max-tokens", type=int, default=6000)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=600)
    ap.add_argument("--schedule", choices=["invsqrt", "cosine"], default="cosine")
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ffn", type=int, default=512)
    ap.add_argument("--enc-layers", type=int, default=3)
    ap.add_argument("--dec-layers", type=int, default=3)
    ap.add_argument("--activation", default="swish", choices=["relu", "gelu", "swish"])
    ap.add_argument("--norm", default="post", choices=["post", "pre"])
    ap.add_argument("--positions", default="sinusoidal", choices=["sinusoidal", "learned"])
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--max-positions", type=int, default=128)
    ap.add_argument("--greedy-eval", type=int, default=300, help="validation sentences decoded")
    ap.add_argument("--eval-every", type=int, default=0, help="also validate every N steps")
    ap.add_argument("--threads", type=int, default=0, help="0: pick 1 or 2 by measuring")
    ap.add_argument("--guided-alignment", type=float, default=0.0,
                    help="weight of the guided-alignment loss on the layer- and head-mean "
                         "cross-attention (needs a third, alignment, column in train.tsv)")
    ap.add_argument("--target-output", action="store_true",
                    help="score only the target tokenizer's pieces in the training loss (the "
                         "source-only pieces get -1e4 in final_logits_bias, so decoding never "
                         "writes them): a smaller softmax for a vocabulary of two tokenizers")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--log-every", type=int, default=100)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--name", default="anuvad en-hi")
    ap.add_argument("--description", default="")
    ap.add_argument("--languages", default="en,hi", help="source,target language codes")
    a = ap.parse_args()
    tuner = ThreadTuner(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)

    tok = Tokenizer(a.tok)
    if os.path.isdir(a.data):
        train_text = read_pairs(os.path.join(a.data, "train.tsv"))
        valid_text = read_pairs(os.path.join(a.data, "valid.tsv"))
    else:
        pairs = read_pairs(a.data)
        n_valid = min(a.valid_size, len(pairs) // 10)
        train_text, valid_text = pairs[:len(pairs) - n_valid], pairs[len(pairs) - n_valid:]
    limit = a.max_positions - 1
    guides = None
    if a.guided_alignment:
        # the third column of the training TSV: gold word alignments (make_corpus.py)
        tpath = os.path.join(a.data, "train.tsv") if os.path.isdir(a.data) else a.data
        full = read_pairs(tpath, with_align=True)[:len(train_text)]
        guides = [tok.guide(x, y, al) if al else None for x, y, al in full]
        print(f"guided alignment: {sum(g is not None for g in guides)}/{len(guides)} pairs "
              f"with usable gold alignments, weight {a.guided_alignment}", flush=True)
    train = [(tok.source(x)[:limit + 1], tok.target(y)[:limit]) for x, y in train_text]
    valid = [(tok.source(x)[:limit + 1], tok.target(y)[:limit]) for x, y in valid_text]

    cfg = Config(vocab_size=len(tok.vocab), d_model=a.d_model, encoder_layers=a.enc_layers,
                 decoder_layers=a.dec_layers, heads=a.heads, ffn_dim=a.ffn,
                 activation=a.activation, norm=a.norm, positions=a.positions,
                 max_positions=a.max_positions, dropout=a.dropout, pad_id=tok.pad,
                 eos_id=tok.eos, unk_id=tok.unk, decoder_start_id=tok.pad)
    model = Seq2Seq(cfg)
    rows = relabel = None
    if a.target_output:
        # the loss is a softmax over the target pieces only: a full softmax with the others
        # at -1e4, which is what the exported bias makes of it at decoding time
        rows = torch.tensor(tok.target_ids())
        relabel = torch.full((len(tok.vocab),), -100, dtype=torch.long)
        relabel[rows] = torch.arange(len(rows))
        with torch.no_grad():
            model.final_logits_bias.fill_(-1e4)
            model.final_logits_bias[:, rows] = 0.0
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.98), eps=1e-9,
                            weight_decay=a.weight_decay)
    step, epoch0, best, elapsed, toks_total = 0, 0, -1.0, 0.0, 0
    last = os.path.join(a.out, "last.pt")
    if a.resume and os.path.exists(last):
        ck = torch.load(last)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, epoch0, best, elapsed = ck["step"], ck["epoch"], ck["best"], ck["elapsed"]
        toks_total = ck.get("tokens", 0)
        print(f"resumed from {last}: epoch {epoch0}, step {step}", flush=True)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{len(train)} training pairs, {len(valid)} validation pairs, vocabulary {len(tok.vocab)}, "
          f"{n_params} parameters, config {cfg.to_dict()}", flush=True)
    steps_per_epoch = len(batches(train, a.max_tokens, random.Random(0)))
    total = steps_per_epoch * a.epochs
    blob = tokenizer_blob(a.tok, tok)
    meta = lambda ep: {"config": cfg.to_dict(), "step": step, "epoch": ep, "best": best,
                       "elapsed": elapsed, "tokens": toks_total, "tok": os.path.abspath(a.tok),
                       "args": vars(a), "params": n_params,
                       "meta": {"name": a.name, "description": a.description,
                                "languages": a.languages.split(",")}, **blob}

    def validate(label, ep):
        nonlocal best
        vloss, acc = evaluate(model, tok, valid, valid_text, a.greedy_eval)
        print(f"== {label}: valid loss {vloss:.4f}, greedy exact {acc * 100:.1f}% "
              f"({min(a.greedy_eval, len(valid_text))} sentences), train time "
              f"{elapsed / 60:.1f} min, {toks_total} tokens", flush=True)
        if acc >= best:
            best = acc
            save(os.path.join(a.out, "best.pt"), model, opt, meta(ep))
        save(last, model, opt, meta(ep))

    def token_loss(logits, to):
        """Cross-entropy of the next-token scores; with --target-output the labels are
        renumbered into the scored rows."""
        if relabel is not None:
            to = torch.where(to >= 0, relabel[to.clamp(min=0)], to)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), to.reshape(-1),
                               ignore_index=-100, label_smoothing=a.label_smoothing)

    model.train()
    stop = False
    for epoch in range(epoch0, a.epochs):
        t0, toks, loss_sum, n_loss = time.time(), 0, 0.0, 0
        t_mark = t0
        for bi, idx in enumerate(batches(train, a.max_tokens, rng)):
            now = elapsed + time.time() - t0
            for g in opt.param_groups:
                g["lr"] = lr_at(step, a, total, now)
            if guides is not None:
                s, ti, to, gold = collate(train, idx, tok.pad, tok.eos, guides)
                logits, _, crosses = model.decode(ti, model.encode(s), s, return_attn=True,
                                                  rows=rows)
                loss = token_loss(logits, to)
                # Guided alignment (Garg et al. 2019): cross-entropy between the gold alignment
                # and the cross-attention that --align reads, the mean over layers and heads.
                att = torch.stack(crosses).mean(dim=(0, 2))           # [B, T, S]
                aligned = gold.sum(-1) > 0     # target positions with a gold alignment
                ga = -(gold * torch.log(att + 1e-9)).sum(-1)[aligned].mean() if aligned.any() \
                    else torch.zeros(())
                loss = loss + a.guided_alignment * ga
            else:
                s, ti, to = collate(train, idx, tok.pad, tok.eos)
                logits = model(s, ti, rows)
                loss = token_loss(logits, to)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            opt.step()
            step += 1
            n_tok = (s != tok.pad).sum().item() + (to != -100).sum().item()
            toks += n_tok
            toks_total += n_tok
            tuner.after_step(n_tok)
            loss_sum += loss.item()
            n_loss += 1
            if step % a.log_every == 0:
                dt = time.time() - t_mark
                print(f"epoch {epoch + 1} step {step} ({bi + 1}/{steps_per_epoch}) "
                      f"loss {loss_sum / n_loss:.4f} lr {g['lr']:.2e} {toks / dt:.0f} tok/s "
                      f"threads {tuner.n} elapsed {now / 60:.1f} min", flush=True)
                loss_sum, n_loss, toks, t_mark = 0.0, 0, 0, time.time()
            if a.minutes and elapsed + time.time() - t0 > a.minutes * 60:
                stop = True
                break
            if a.eval_every and step % a.eval_every == 0:
                elapsed += time.time() - t0      # validation time is not training time
                validate(f"step {step}", epoch)
                t0 = t_mark = time.time()
        elapsed += time.time() - t0
        # with --eval-every the step checkpoints suffice; small data has tiny epochs, and
        # decoding the validation set after each would cost more than the training
        if not a.eval_every or stop or epoch + 1 == a.epochs:
            validate(f"epoch {epoch + 1}", epoch + 1)
        else:
            save(last, model, opt, meta(epoch + 1))
        if stop:
            print(f"time budget of {a.minutes} min reached", flush=True)
            break


if __name__ == "__main__":
    main()
