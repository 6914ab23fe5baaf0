#!/usr/bin/env python3
"""make check-hf: anuvad against transformers itself, on MarianMTModels that transformers
builds (MarianMTModel(MarianConfig(...)), random weights) and saves with save_pretrained,
converted by scripts/convert_hf.py. Runs in .venv-hf (torch, transformers, sentencepiece).

For each configuration: logits at every decoder step (max abs diff / logit range), greedy ids
against model.generate(num_beams=1, do_sample=False), the CLI's translations against
tokenizer.decode, and MarianTokenizer's ids against `anuvad tokenize --ids`. Then the Marian
.npz path (scripts/convert_marian.py next to transformers' convert_marian_to_pytorch) and the
other direction (scripts/export_hf.py). Writes the table to docs/opus-mt.md's data file
(--table) and the small fixtures of tests/fixtures/hf/ (--fixtures) that `make test` checks.

    check_hf.py --probe build/tools/hf_probe [--only small,base] [--n 200] [--quick]
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import torch

warnings.filterwarnings("ignore")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
from transformers import MarianConfig, MarianMTModel, MarianTokenizer   # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from gguf_reader import read_gguf         # noqa: E402
import convert_hf                         # noqa: E402

FIX = os.path.join(ROOT, "tests", "fixtures", "hf")
DEFAULT_MODEL = os.path.join(ROOT, "models", "en-hi.gguf")
TEST_TSV = os.path.join(ROOT, "tests", "fixtures", "en-hi-test.tsv")
HOSTILE = os.path.join(ROOT, "tests", "fixtures", "spm", "lines.txt")
ANUVAD = os.path.join(ROOT, "anuvad")

# name: MarianConfig fields + how the vocabulary is laid out. "fixture": small enough to commit.
CONFIGS = {
    "tiny_swish": dict(cfg=dict(d_model=16, encoder_layers=2, decoder_layers=2,
                                encoder_attention_heads=2, decoder_attention_heads=2,
                                encoder_ffn_dim=32, decoder_ffn_dim=32,
                                activation_function="swish", max_position_embeddings=64),
                       vocab="shared", fixture=True, spm="tiny"),
    "tiny_gelu_untied": dict(cfg=dict(d_model=16, encoder_layers=1, decoder_layers=2,
                                      encoder_attention_heads=4, decoder_attention_heads=4,
                                      encoder_ffn_dim=24, decoder_ffn_dim=24,
                                      activation_function="gelu", max_position_embeddings=48,
                                      tie_word_embeddings=False, scale_embedding=False),
                             vocab="shared", fixture=True, spm="tiny"),
    "tiny_separate_relu": dict(cfg=dict(d_model=16, encoder_layers=2, decoder_layers=1,
                                        encoder_attention_heads=2, decoder_attention_heads=2,
                                        encoder_ffn_dim=32, decoder_ffn_dim=32,
                                        activation_function="relu", max_position_embeddings=64,
                                        share_encoder_decoder_embeddings=False),
                               vocab="separate", fixture=True, spm="tiny"),
    "separate_untied": dict(cfg=dict(d_model=128, encoder_layers=3, decoder_layers=3,
                                     encoder_attention_heads=4, decoder_attention_heads=4,
                                     encoder_ffn_dim=256, decoder_ffn_dim=256,
                                     activation_function="swish", max_position_embeddings=256,
                                     share_encoder_decoder_embeddings=False,
                                     tie_word_embeddings=False),
                            vocab="separate"),
    # Pre-norm: transformers' MarianMTModel always computes post-norm (MarianConfig has no
    # normalize_before), so the pre-norm engine path is checked against transformers' M2M100,
    # a pre-norm transformer with Marian's layer names and math plus final stack layer norms;
    # its fairseq sinusoids go into the file as a learned position table.
    "prenorm_m2m100": dict(cfg=dict(d_model=128, encoder_layers=3, decoder_layers=3,
                                    encoder_attention_heads=4, decoder_attention_heads=4,
                                    encoder_ffn_dim=256, decoder_ffn_dim=256,
                                    activation_function="gelu", max_position_embeddings=128),
                           vocab="shared", m2m100=True),
    "base": dict(cfg=dict(d_model=512, encoder_layers=6, decoder_layers=6,
                          encoder_attention_heads=8, decoder_attention_heads=8,
                          encoder_ffn_dim=2048, decoder_ffn_dim=2048,
                          activation_function="swish", max_position_embeddings=512),
                 vocab="opus", vocab_size=58101),
    "big_relu": dict(cfg=dict(d_model=1024, encoder_layers=6, decoder_layers=6,
                              encoder_attention_heads=16, decoder_attention_heads=16,
                              encoder_ffn_dim=4096, decoder_ffn_dim=4096,
                              activation_function="relu", max_position_embeddings=512),
                     vocab="opus", vocab_size=32000, n=50),
}


# MarianTokenizer's own text rules (src/spm/marian_text.c): language codes, special-token strings.
MARIAN_TEXT = [">>hin<< we are friends", ">>fra<<the dog runs", "we are </s> friends",
               "<unk>x<pad>y</s>", ">>hin<<", "  >>de<< a <pad>", ">> not a code <<", "<pad>",
               "a >>hin<< b"]


# ---- tokenizer files ------------------------------------------------------------------------
def default_tokenizers():
    """The default model's SentencePiece models and vocabulary (models/en-hi.gguf)."""
    meta, _ = read_gguf(DEFAULT_MODEL)
    return meta["tokenizer.source.spm"], meta["tokenizer.target.spm"], meta["tokenizer.vocab"]


def tiny_tokenizers():
    """Small SentencePiece models (identity normalization: no 240 KB character map) trained on
    the test split, so the committed fixtures stay a few tens of KB."""
    import io
    import sentencepiece as spm
    rows = [l.split("\t") for l in open(TEST_TSV, encoding="utf-8").read().splitlines()]
    out = []
    for side, size in ((0, 250), (1, 300)):
        buf = io.BytesIO()
        spm.SentencePieceTrainer.train(sentence_iterator=iter([r[side] for r in rows]),
                                       model_writer=buf, vocab_size=size, model_type="unigram",
                                       normalization_rule_name="identity",
                                       character_coverage=1.0, minloglevel=2, num_threads=1)
        out.append(buf.getvalue())
    joint = ["</s>", "<unk>", "<pad>"]
    for p in spm_pieces(out[0]) + spm_pieces(out[1]):
        if p not in joint:
            joint.append(p)
    return out[0], out[1], joint


def spm_pieces(spm_bytes):
    import sentencepiece as spm
    sp = spm.SentencePieceProcessor(model_proto=spm_bytes)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())
            if not (sp.is_control(i) or sp.is_unknown(i))]


def vocabularies(kind, n, src_spm, tgt_spm, joint):
    """(source vocab list, target vocab list or None, pad id)."""
    if kind == "shared":                      # the default model's: </s> 0, <unk> 1, <pad> 2
        return list(joint), None, 2
    if kind == "separate":                    # each side its own pieces; <pad> 2 in both
        s = ["</s>", "<unk>", "<pad>"] + spm_pieces(src_spm)
        t = ["</s>", "<unk>", "<pad>"] + spm_pieces(tgt_spm)
        return s, t, 2
    # OPUS-MT layout: </s> 0, <unk> 1, pieces, unreachable fillers, <pad> last (= V - 1)
    pieces = [p for p in joint if p not in ("</s>", "<unk>", "<pad>")]
    v = ["</s>", "<unk>"] + pieces
    v += [f"▁filler{i}" for i in range(n - 1 - len(v))] + ["<pad>"]
    return v, None, n - 1


def randomize(model, seed):
    """Weights scaled so that outputs depend on the source and vary: layer norms 1 ± 0.2,
    biases N(0, 0.1²), matrices N(0, 1/fan-in); static position tables untouched. Returns the
    generator for more draws."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if "embed_positions" in pname:
                continue
            if pname.endswith("layer_norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif p.ndim == 1:
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) / p.shape[-1] ** 0.5)
    return g


def build(name, spec, out_dir, seed, toks):
    """A random MarianMTModel saved with save_pretrained, plus its tokenizer files."""
    src_spm, tgt_spm, joint = toks
    vs, vt, pad = vocabularies(spec["vocab"], spec.get("vocab_size"), src_spm, tgt_spm, joint)
    cfg = dict(spec["cfg"], vocab_size=len(vs), pad_token_id=pad, eos_token_id=0,
               decoder_start_token_id=pad, forced_eos_token_id=0, bad_words_ids=[[pad]],
               dropout=0.0, attention_dropout=0.0, activation_dropout=0.0)
    cfg.setdefault("scale_embedding", True)
    if vt is not None:
        cfg["decoder_vocab_size"] = len(vt)
    torch.manual_seed(seed)
    model = MarianMTModel(MarianConfig(**cfg)).eval()
    g = randomize(model, seed)
    with torch.no_grad():
        model.final_logits_bias.copy_(0.5 * torch.randn(model.final_logits_bias.shape,
                                                        generator=g))
    model.save_pretrained(out_dir)
    marian_tokenizer(out_dir, vs, vt, src_spm, tgt_spm)
    # What users load: the directory as transformers reads it back.
    model = MarianMTModel.from_pretrained(out_dir, attn_implementation="eager").eval()
    tok = MarianTokenizer.from_pretrained(out_dir)
    return model, tok


def marian_tokenizer(out_dir, vs, vt, src_spm, tgt_spm):
    """source.spm, target.spm, vocab.json (+ target_vocab.json) and tokenizer_config.json."""
    for f, b in (("source.spm", src_spm), ("target.spm", tgt_spm)):
        open(os.path.join(out_dir, f), "wb").write(b)
    json.dump({p: i for i, p in enumerate(vs)}, open(os.path.join(out_dir, "vocab.json"), "w",
                                                     encoding="utf-8"), ensure_ascii=False)
    kw = {}
    if vt is not None:
        json.dump({p: i for i, p in enumerate(vt)},
                  open(os.path.join(out_dir, "target_vocab.json"), "w", encoding="utf-8"),
                  ensure_ascii=False)
        kw = dict(target_vocab_file=os.path.join(out_dir, "target_vocab.json"),
                  separate_vocabs=True)
    tok = MarianTokenizer(os.path.join(out_dir, "source.spm"), os.path.join(out_dir, "target.spm"),
                          os.path.join(out_dir, "vocab.json"), source_lang="en", target_lang="hi",
                          **kw)
    tok.save_pretrained(out_dir)
    return tok


def build_m2m100(name, spec, out_dir, seed, toks, gguf):
    """A random M2M100ForConditionalGeneration (pre-norm) and its GGUF, written here: M2M100
    is not a Marian model, so convert_hf.py rightly refuses it."""
    from transformers import M2M100Config, M2M100ForConditionalGeneration
    from transformers.models.m2m_100.modeling_m2m_100 import M2M100SinusoidalPositionalEmbedding
    from marian_gguf import write_gguf
    src_spm, tgt_spm, joint = toks
    vs, _, pad = vocabularies("shared", None, src_spm, tgt_spm, joint)
    c = spec["cfg"]
    cfg = M2M100Config(vocab_size=len(vs), pad_token_id=pad, eos_token_id=0, bos_token_id=0,
                       decoder_start_token_id=0, scale_embedding=False, dropout=0.0,
                       attention_dropout=0.0, activation_dropout=0.0, **c)
    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(cfg).eval()
    randomize(model, seed)
    model.save_pretrained(out_dir)
    model = M2M100ForConditionalGeneration.from_pretrained(out_dir,
                                                           attn_implementation="eager").eval()
    tok = marian_tokenizer(out_dir, vs, None, src_spm, tgt_spm)
    sd = {k[len("model."):] if k.startswith("model.") else k: v.detach().numpy()
          for k, v in model.state_dict().items()}
    P = c["max_position_embeddings"]
    # fairseq positions: token t (no padding) sits at row pad + 1 + t of HF's own table
    table = M2M100SinusoidalPositionalEmbedding.get_embedding(P + pad + 1, c["d_model"], pad)
    t = {k: v for k, v in sd.items() if not k.endswith("embed_tokens.weight")
         and k not in ("lm_head.weight",) and "embed_positions" not in k}
    t["encoder.embed_positions.weight"] = t["decoder.embed_positions.weight"] = \
        table[pad + 1:pad + 1 + P].numpy()
    t["final_logits_bias"] = np.zeros((1, len(vs)), np.float32)
    hp = dict(d_model=c["d_model"], encoder_layers=c["encoder_layers"],
              decoder_layers=c["decoder_layers"], heads=c["encoder_attention_heads"],
              ffn_dim=c["encoder_ffn_dim"], activation=c["activation_function"], norm="pre",
              positions="learned", max_positions=P, scale_embedding=False, tie_output=True,
              shared_embeddings=True, pad=pad, eos=0, unk=1, decoder_start=0, src_eos=0,
              src_unk=1, name=name, description="pre-norm check (transformers M2M100)")
    write_gguf(gguf, hp, t, vs, None, src_spm, tgt_spm,
               {"max_length": 0, "num_beams": 1, "bad_words": [pad], "forced_eos": True})
    return model, tok


# ---- engine side ----------------------------------------------------------------------------
def probe(exe, gguf, requests, V):
    """Run hf_probe: requests are ("L", src, tgt) or ("G", max_len, src)."""
    lines = []
    for r in requests:
        if r[0] == "L":
            lines.append("L " + " ".join(map(str, r[1])) + " | " + " ".join(map(str, r[2])))
        else:
            lines.append(f"G {r[1]} " + " ".join(map(str, r[2])))
    out = subprocess.run([exe, gguf], input=("\n".join(lines) + "\n").encode(),
                         stdout=subprocess.PIPE, check=True).stdout
    pos, answers = 0, []
    for r in requests:
        if r[0] == "L":
            n = len(r[2]) * V * 4
            answers.append(np.frombuffer(out[pos:pos + n], "<f4").reshape(len(r[2]), V))
            pos += n
        else:
            end = out.index(b"\n", pos)
            answers.append([int(x) for x in out[pos:end].split()])
            pos = end + 1
    return answers


def cli_lines(args, lines):
    r = subprocess.run([ANUVAD] + args, input="".join(l + "\n" for l in lines).encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode:
        raise RuntimeError(f"anuvad {' '.join(args)}: {r.stderr.decode()[-300:]}")
    out = r.stdout.decode().split("\n")
    assert out[-1] == "" and len(out) == len(lines) + 1, "line count"
    return out[:-1]


# ---- the comparisons ------------------------------------------------------------------------
def max_len_for(n_src, P):
    return min(2 * n_src + 10, P)            # anuvad's default (src/anuvad.c)


def hf_greedy(model, tok, ids, max_len):
    cfg = model.config
    with torch.no_grad():
        out = model.generate(torch.tensor([ids]), attention_mask=torch.ones(1, len(ids),
                                                                            dtype=torch.long),
                             num_beams=1, do_sample=False, max_new_tokens=max_len,
                             min_length=0, bad_words_ids=[[cfg.pad_token_id]],
                             forced_eos_token_id=cfg.eos_token_id,
                             decoder_start_token_id=cfg.decoder_start_token_id)
    return out[0, 1:].tolist()


def hf_logits(model, ids, tgt):
    with torch.no_grad():
        out = model(input_ids=torch.tensor([ids]), decoder_input_ids=torch.tensor([tgt]),
                    output_attentions=True)
    return out


def compare(name, spec, model, tok, gguf, exe, sents, n_logit):
    P = model.config.max_position_embeddings
    V = model.config.vocab_size
    if not getattr(model.config, "share_encoder_decoder_embeddings", True):
        V = model.config.decoder_vocab_size
    ids = [tok(s).input_ids for s in sents]
    t = time.time()
    hf = [hf_greedy(model, tok, x, max_len_for(len(x), P)) for x in ids]
    t_hf = time.time() - t
    ours = probe(exe, gguf, [("G", max_len_for(len(x), P), x) for x in ids], V)
    same = sum(a == b for a, b in zip(hf, ours))
    start = model.config.decoder_start_token_id
    reqs = [("L", x, [start] + h[:-1] if len(h) > 1 else [start]) for x, h in
            zip(ids[:n_logit], hf[:n_logit])]
    got = probe(exe, gguf, reqs, V)
    worst_rel = worst_abs = 0.0
    for (_, x, tgt), mine in zip(reqs, got):
        ref = hf_logits(model, x, tgt).logits[0].numpy()
        d = np.abs(ref - mine).max(axis=1)
        rng = ref.max(axis=1) - ref.min(axis=1)
        worst_abs = max(worst_abs, float(d.max()))
        worst_rel = max(worst_rel, float((d / rng).max()))
    texts = cli_lines(["-q", "-t", "1", "-m", gguf], sents)
    want = [tok.decode(h, skip_special_tokens=True) for h in hf]
    text_same = sum(a == b for a, b in zip(texts, want))
    lens = [len(h) for h in hf]
    distinct = len({tuple(h) for h in hf})
    print(f"{name}: greedy ids {same}/{len(ids)}, texts {text_same}/{len(ids)}, logits max abs "
          f"{worst_abs:.2e} rel {worst_rel:.2e} over {sum(len(r[2]) for r in reqs)} steps; "
          f"{distinct} distinct outputs, mean {np.mean(lens):.1f} ids; hf {t_hf:.0f}s",
          flush=True)
    for a, b, s in zip(hf, ours, sents):
        if a != b:
            print(f"  first greedy difference: {s!r}\n    hf   {a}\n    ours {b}")
            break
    return dict(greedy=same, n=len(ids), texts=text_same, logit_abs=worst_abs,
                logit_rel=worst_rel, steps=sum(len(r[2]) for r in reqs), distinct=distinct)


def tokenizer_lines():
    """The hostile tokenizer lines (valid UTF-8 ones: MarianTokenizer takes str) and the test
    split's sources."""
    out, skipped = [], 0
    for raw in open(HOSTILE, "rb").read().split(b"\n"):
        try:
            s = raw.decode("utf-8")
        except UnicodeDecodeError:
            skipped += 1
            continue
        if "\0" in s or s.endswith("\r"):
            skipped += 1
            continue
        out.append(s)
    out += [l.split("\t")[0] for l in open(TEST_TSV, encoding="utf-8").read().splitlines()]
    return out, skipped


def compare_tokenizer(name, tok, gguf, lines):
    ours = cli_lines(["tokenize", "--ids", "-m", gguf], lines)
    eos = tok.eos_token_id
    same, bad = 0, []
    for line, o in zip(lines, ours):
        mine = [int(x) for x in o.split()] + [eos]
        ref = tok(line).input_ids
        if mine == ref:
            same += 1
        elif len(bad) < 3:
            bad.append((line, ref, mine))
    print(f"{name}: tokenizer ids {same}/{len(lines)}")
    for line, ref, mine in bad:
        print(f"  differs: {line!r}\n    hf   {ref[:20]}\n    ours {mine[:20]}")
    return same


def write_fixture(name, model, tok, gguf_path, sents, hf_dir):
    """tests/fixtures/hf/NAME.{gguf,ref,tsv}: the AREF file test_forward reads (encoder output,
    logits and cross-attention of each step, greedy ids; from transformers), and the CLI
    test's source -> translation and source -> ids lines; NAME.hf/, the directory transformers
    saved, for the converter's own test."""
    os.makedirs(FIX, exist_ok=True)
    shutil.copy(gguf_path, os.path.join(FIX, name + ".gguf"))
    shutil.rmtree(os.path.join(FIX, name + ".hf"), ignore_errors=True)
    shutil.copytree(hf_dir, os.path.join(FIX, name + ".hf"))
    cfg = model.config
    x = tok(sents[0]).input_ids
    P = cfg.max_position_embeddings
    greedy = hf_greedy(model, tok, x, max_len_for(len(x), P))
    tgt = ([cfg.decoder_start_token_id] + greedy)[:7]
    out = hf_logits(model, x, tgt)
    enc = out.encoder_last_hidden_state[0].numpy()
    logits = out.logits[0].numpy()
    cross = np.stack([c[0].numpy() for c in out.cross_attentions])      # [L][H][T][S]
    cross = cross.transpose(2, 0, 1, 3)                                  # [T][L][H][S]
    with open(os.path.join(FIX, name + ".ref"), "wb") as f:
        f.write(struct.pack("<8i", 0x46455241, len(x), len(tgt), cfg.d_model, logits.shape[1],
                            cfg.decoder_layers, cfg.decoder_attention_heads, len(greedy)))
        f.write(np.asarray(x + tgt, "<i4").tobytes())
        for a in (enc, logits, cross):
            f.write(np.ascontiguousarray(a, "<f4").tobytes())
        f.write(np.asarray(greedy, "<i4").tobytes())
    with open(os.path.join(FIX, name + ".tsv"), "w", encoding="utf-8") as f:
        for s in sents:
            ids = tok(s).input_ids
            h = hf_greedy(model, tok, ids, max_len_for(len(ids), P)) if len(ids) > 1 else []
            text = tok.decode(h, skip_special_tokens=True)
            if "\t" in text or "\n" in text:
                continue   # one TSV row per line
            f.write(f"{s}\t{text}\t{' '.join(map(str, ids[:-1]))}\n")


def check_export(work, n):
    """The other direction: models/en-hi.gguf through scripts/export_hf.py into a Hugging Face
    directory; transformers translates the test split, ./anuvad the same lines from the GGUF."""
    import export_hf
    d = os.path.join(work, "en-hi-hf")
    export_hf.export(DEFAULT_MODEL, d)
    model = MarianMTModel.from_pretrained(d).eval()
    tok = MarianTokenizer.from_pretrained(d)
    sents = [l.split("\t")[0] for l in open(TEST_TSV, encoding="utf-8").read().splitlines()][:n]
    P = model.config.max_position_embeddings
    t = time.time()
    want = []
    for s in sents:
        ids = tok(s).input_ids[:P - 1] + [tok.eos_token_id] if len(tok(s).input_ids) > P else \
            tok(s).input_ids
        with torch.no_grad():
            out = model.generate(torch.tensor([ids]), num_beams=1, do_sample=False,
                                 max_new_tokens=max_len_for(len(ids), P),
                                 bad_words_ids=[[model.config.pad_token_id]],
                                 forced_eos_token_id=None)
        want.append(tok.decode(out[0], skip_special_tokens=True))
    got = cli_lines(["-q", "-m", DEFAULT_MODEL], sents)
    same = sum(a == b for a, b in zip(got, want))
    print(f"export: transformers on export_hf.py's directory vs anuvad on models/en-hi.gguf: "
          f"{same}/{len(sents)} identical translations ({time.time() - t:.0f}s)", flush=True)
    for a, b, s in zip(got, want, sents):
        if a != b:
            print(f"  first difference: {s!r}\n    hf     {b!r}\n    anuvad {a!r}")
            break
    return dict(identical=same, n=len(sents))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--probe", required=True)
    ap.add_argument("--only", help="comma-separated configuration names")
    ap.add_argument("--n", type=int, default=200, help="greedy sentences per configuration")
    ap.add_argument("--no-fixtures", action="store_true")
    ap.add_argument("--table", default=os.path.join(ROOT, "docs", "opus-mt-check.json"))
    ap.add_argument("--keep", help="keep the model directories and GGUF files here")
    ap.add_argument("--export", action="store_true", help="only the export_hf.py check")
    a = ap.parse_args()
    torch.set_num_threads(1)
    toks = {"default": default_tokenizers(), "tiny": tiny_tokenizers()}
    sents = [l.split("\t")[0] for l in open(TEST_TSV, encoding="utf-8").read().splitlines()]
    tok_lines, skipped = tokenizer_lines()
    print(f"tokenizer lines: {len(tok_lines)} ({skipped} of lines.txt skipped: not UTF-8 text)")
    names = a.only.split(",") if a.only else list(CONFIGS)
    table = json.load(open(a.table)) if os.path.exists(a.table) else {}
    work = a.keep or tempfile.mkdtemp(prefix="check_hf.")
    if a.export or not a.only:
        table["export_hf"] = check_export(work, 2000)
        json.dump(table, open(a.table, "w"), indent=1)
        if a.export:
            return
    for seed, name in enumerate(names):
        spec = CONFIGS[name]
        d = os.path.join(work, name)
        os.makedirs(d, exist_ok=True)
        t = time.time()
        gguf = os.path.join(work, name + ".gguf")
        if spec.get("m2m100"):
            model, tok = build_m2m100(name, spec, d, 100 + seed, toks["default"], gguf)
        else:
            model, tok = build(name, spec, d, 100 + seed, toks[spec.get("spm", "default")])
            convert_hf.convert(d, gguf, "f32", name=name)
        print(f"{name}: built and converted in {time.time() - t:.0f}s "
              f"({os.path.getsize(gguf) / 2**20:.1f} MiB)", flush=True)
        n = min(a.n, spec.get("n", a.n))
        row = compare(name, spec, model, tok, gguf, a.probe, sents[:n],
                      3 if model.config.d_model >= 512 else 10)
        row["tokenizer"] = compare_tokenizer(name, tok, gguf, tok_lines)
        row["tokenizer_n"] = len(tok_lines)
        row["config"] = {k: v for k, v in spec["cfg"].items()}
        row["vocab"] = [model.config.vocab_size,
                        getattr(model.config, "decoder_vocab_size", model.config.vocab_size)]
        table[name] = row
        if spec.get("fixture") and not a.no_fixtures:
            hostile = [l for l in tok_lines[:-len(sents)] if "\t" not in l][::60]
            write_fixture(name, model, tok, gguf, sents[:20] + hostile + MARIAN_TEXT, d)
        if not a.keep:
            shutil.rmtree(d)
            os.remove(gguf)
        json.dump(table, open(a.table, "w"), indent=1)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
