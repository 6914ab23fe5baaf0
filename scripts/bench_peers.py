#!/usr/bin/env python3
"""make bench-peers: anuvad next to CTranslate2 and ONNX Runtime on the same weights, one run.

    bench_peers.py [--work work/peers] [--models default,base] [--bulk-lines 2000,300]
                   [--latency-lines 100] [--rounds 3] [--batch-sizes 16,32,64]
                   [--ort-python .venv-ort/bin/python] [--only REGEX]

For each model (the shipped default model; an OPUS-MT-base-shaped random one from
scripts/random_model.py; both with <pad> moved to the last id and its embedding zeroed, the
layout CTranslate2's Marian converter expects: ct2_ready) the weights are exported once to a
Hugging Face Marian directory (scripts/export_hf.py), converted from there with
ct2-transformers-converter as float32 and int8, and exported to ONNX (optimum's encoder +
decoder-with-past graphs, float32 and quantize_dynamic int8: scripts/peers_ort.py, run from its
own venv); anuvad runs the GGUF file and its `anuvad quantize` Q8_0 copy. Outputs are
compared line by line (agreement %). Then, in rounds that take every setting in turn (medians
reported):
  - batch-1 latency: one sentence at a time through a warm process (anuvad reading stdin line
    by line; CTranslate2 translate_batch of one; ONNX Runtime a greedy loop over a batch of one),
    ms per sentence p50 / p95;
  - bulk throughput: tokens/s over --bulk-lines lines at 1 and 2 threads, one sentence at a
    time and with each --batch-sizes entry (anuvad: the whole process, load included;
    CTranslate2: translate_batch, load excluded, at 2 threads both as one translator on 2
    threads and as 2 translators of one thread; ONNX Runtime: one sentence at a time and in
    batches of one source length, load excluded), and peak RSS (GNU time).
Tokens are CTranslate2's generated pieces + 1 (</s>) per sentence, the same count for every
row. CTranslate2 runs in a child process (this script with --ct2-worker) and ONNX Runtime in
one of its own (peers_ort.py worker, .venv-ort's python), so each RSS is its own.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DATA = os.path.join(ROOT, "tests", "fixtures", "en-hi-test.tsv")
EXE = os.path.join(ROOT, "anuvad")
ORT = os.path.join(ROOT, "scripts", "peers_ort.py")


def length_groups(toks, cap):
    """Indices of toks in groups of one source length, at most cap each. Each group's length
    limit is then every sentence's own, anuvad's 2 x source + 10 (mixed lengths let a model that
    rarely ends a sentence, like the random base shape, decode every short one to the longest
    one's limit: more work than anuvad does), and batches need no padding."""
    groups = []
    for i in sorted(range(len(toks)), key=lambda i: len(toks[i])):
        if not groups or len(toks[groups[-1][0]]) != len(toks[i]) or len(groups[-1]) == cap:
            groups.append([])
        groups[-1].append(i)
    return groups


# ---- CTranslate2 side (child process) ---------------------------------------------------------
def ct2_worker(a):
    import ctranslate2
    import sentencepiece as spm
    req = json.load(sys.stdin)
    sp_src = spm.SentencePieceProcessor(model_file=os.path.join(req["hf"], "source.spm"))
    sp_tgt = spm.SentencePieceProcessor(model_file=os.path.join(req["hf"], "target.spm"))
    load_wall, load_cpu = time.perf_counter(), time.process_time()
    # inter > 1: that many translators side by side, each on intra_threads of its own, the
    # batches of a call shared out among them (CTranslate2's way to use cores for throughput).
    tr = ctranslate2.Translator(req["ct2"], device="cpu", compute_type=req["compute_type"],
                                inter_threads=req.get("inter", 1), intra_threads=req["threads"])
    load_wall, load_cpu = time.perf_counter() - load_wall, time.process_time() - load_cpu
    cpu0 = time.process_time()
    lines = req["lines"]
    toks = [sp_src.encode(l, out_type=str) + ["</s>"] for l in lines]

    def run(batch, B):
        longest = max(len(t) for t in batch)
        r = tr.translate_batch(batch, beam_size=1, max_batch_size=B,
                               max_decoding_length=2 * longest + 10)
        return [x.hypotheses[0] for x in r]

    out, times = [], []
    if req["mode"] == "latency":
        for t in toks:
            s = time.perf_counter()
            out += run([t], 1)
            times.append(time.perf_counter() - s)
    else:
        s = time.perf_counter()
        res = [None] * len(toks)
        for idx in length_groups(toks, 256):
            for i, h in zip(idx, run([toks[i] for i in idx], req["batch"])):
                res[i] = h
        times.append(time.perf_counter() - s)
        out = res
    texts = [sp_tgt.decode_pieces([p for p in h if p not in ("</s>", "<pad>")]) for h in out]
    # cpu: process CPU seconds (all threads) of the translations, load excluded.
    json.dump({"times": times, "out": texts, "n_tokens": sum(len(h) + 1 for h in out),
               "cpu": time.process_time() - cpu0, "load_wall": load_wall, "load_cpu": load_cpu},
              sys.stdout)


def ct2_run(req):
    return worker_run([sys.executable, os.path.abspath(__file__), "--ct2-worker"], req)


def worker_run(cmd, req):
    """A peer's worker in a child process under GNU time, so its peak RSS is its own."""
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, input=json.dumps(req).encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    res = json.loads(r.stdout)
    res["rss_kib"] = int(r.stderr.decode().strip().splitlines()[-1])
    return res


# ---- anuvad side ---------------------------------------------------------------------------------
def anuvad_bulk(model, threads, lines, batch=1):
    text = "".join(l + "\n" for l in lines).encode()
    s = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M", EXE, "-q", "-m", model, "-t", str(threads),
                        "--batch-size", str(batch)],
                       input=text, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    dt = time.perf_counter() - s
    return {"times": [dt], "out": r.stdout.decode().split("\n")[:len(lines)],
            "rss_kib": int(r.stderr.decode().strip().splitlines()[-1])}


def anuvad_latency(model, lines):
    p = subprocess.Popen([EXE, "-q", "-m", model, "-t", "1"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    p.stdin.write(b"warm up\n")
    p.stdin.flush()
    p.stdout.readline()
    times, out = [], []
    for l in lines:
        s = time.perf_counter()
        p.stdin.write(l.encode() + b"\n")
        p.stdin.flush()
        out.append(p.stdout.readline().decode().rstrip("\n"))
        times.append(time.perf_counter() - s)
    p.stdin.close()
    p.wait()
    return {"times": times, "out": out}


# ---- models ----------------------------------------------------------------------------------------
def sh(*cmd, **kw):
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, **kw)


def ct2_ready(src, dst):
    """src as CTranslate2's Marian converter needs it (and anuvad runs it the same): <pad> the
    last id (the converter drops the last row) and its embedding zero (CTranslate2 starts the
    decoder from a zero vector, anuvad from pad's row). Same pieces, same weights otherwise."""
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    from export_gguf import export
    from gguf_model import read_gguf
    from model import Config
    meta, t = read_gguf(src)
    g = lambda k: meta["anuvad." + k]          # noqa: E731
    V, pad = g("vocab_size"), g("token.pad")
    perm = [i for i in range(V) if i != pad] + [pad]
    new = {old: i for i, old in enumerate(perm)}
    t["shared.weight"] = t["shared.weight"][perm]
    t["shared.weight"][-1] = 0
    if "lm_head.weight" in t:
        t["lm_head.weight"] = t["lm_head.weight"][perm]
    if "final_logits_bias" in t:
        t["final_logits_bias"] = t["final_logits_bias"][:, perm]
    c = Config(vocab_size=V, d_model=g("d_model"), encoder_layers=g("encoder.layers"),
               decoder_layers=g("decoder.layers"), heads=g("heads"), ffn_dim=g("ffn_dim"),
               activation=g("activation"), norm=g("norm"), positions=g("positions"),
               max_positions=g("max_positions"), scale_embedding=bool(g("scale_embedding")),
               tie_output=bool(g("tie_output")), final_logits_bias="final_logits_bias" in t,
               layer_norm_eps=g("layer_norm_eps"), dropout=0.0)
    special = {k: new[g("token." + k)] for k in ("pad", "eos", "unk", "decoder_start")}
    export(t, c, meta["tokenizer.source.spm"], meta["tokenizer.target.spm"],
           [meta["tokenizer.vocab"][i] for i in perm], special, dst, dtype="f16",
           name=meta.get("general.name", "") + " (pad last, zero)",
           languages=(meta.get("anuvad.source_language", "en"),
                      meta.get("anuvad.target_language", "hi")))


def prepare(name, work, py, export_hf, ort_py):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    orig = os.path.join(ROOT, "models", "en-hi.gguf") if name == "default" else \
        os.path.join(d, "random.gguf")
    if not os.path.exists(orig):
        sh(py, os.path.join(ROOT, "scripts", "random_model.py"), orig, "--shape", "base",
           "--vocab", "8000", "--dtype", "f16")
    gguf = os.path.join(d, "model.gguf")
    if not os.path.exists(gguf):
        ct2_ready(orig, gguf)
    q8 = os.path.join(d, "model.q8_0.gguf")
    if not os.path.exists(q8):
        sh(EXE, "quantize", gguf, q8)
    hf = os.path.join(d, "hf")
    if not os.path.exists(os.path.join(hf, "config.json")):
        sh(py, export_hf, gguf, hf)
    conv = os.path.join(os.path.dirname(sys.executable), "ct2-transformers-converter")
    for q in ("float32", "int8"):
        out = os.path.join(d, f"ct2-{q}")
        if not os.path.exists(os.path.join(out, "model.bin")):
            shutil.rmtree(out, ignore_errors=True)
            # The converter (CTranslate2 4.x with torch 2.13 here) writes its files, then may
            # not exit: once model.bin has stopped growing for 10 s it is done.
            print("+", conv, hf, out, q, file=sys.stderr)
            p = subprocess.Popen([conv, "--model", hf, "--output_dir", out, "--quantization", q],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            last, still = -1, 0
            while p.poll() is None and still < 10:
                time.sleep(1)
                f = os.path.join(out, "model.bin")
                size = os.path.getsize(f) if os.path.exists(f) else -1
                still = still + 1 if size == last and size > 0 else 0
                last = size
            if p.poll() is None:
                p.kill()
                p.wait()
            if not os.path.exists(os.path.join(out, "model.bin")):
                raise SystemExit(f"ct2-transformers-converter wrote no {out}/model.bin")
    if ort_py:
        sh(ort_py, ORT, "export", hf, os.path.join(d, "onnx"))
    return gguf, q8, hf, d


def ort_cfgs(py, hf, onnx, q, bulk, lat, batch_sizes):
    """ONNX Runtime's rows for one precision: bulk one sentence at a time and at each batch
    size, at 1 and 2 threads, and batch-1 latency at 1 thread."""
    def run(mode, lines, t, B):
        return worker_run([py, ORT, "worker"], {"hf": hf, "onnx": onnx, "threads": t,
                                                "lines": lines, "mode": mode, "batch": B})
    cfgs = []
    for t in (1, 2):
        for B in [1] + batch_sizes:
            cfgs.append((f"ONNX Runtime {q} B{B}", "bulk", t,
                         lambda t=t, B=B: run("bulk", bulk, t, B)))
    cfgs.append((f"ONNX Runtime {q}", "latency", 1, lambda: run("latency", lat, 1, 1)))
    return cfgs


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ct2-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--work", default=os.path.join(ROOT, "work", "peers"))
    ap.add_argument("--models", default="default,base")
    ap.add_argument("--bulk-lines", default="2000,300", help="per model, comma-separated")
    ap.add_argument("--latency-lines", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-sizes", default="16,32", help="for both engines")
    ap.add_argument("--only", default="",
                    help="run only the rows whose 'KIND -t THREADS LABEL' matches this regex "
                         "(e.g. 'bulk -t 2'); agreement is then against the first row run")
    ap.add_argument("--export-hf", default=os.path.join(ROOT, "scripts", "export_hf.py"))
    ap.add_argument("--python", default="/usr/bin/python3",
                    help="python with torch for random_model.py / export_hf.py")
    ap.add_argument("--ort-python", default=os.path.join(ROOT, ".venv-ort", "bin", "python"),
                    help="python with optimum-onnx and onnxruntime (mk/peers.mk's .venv-ort); "
                         "'' leaves ONNX Runtime out")
    a = ap.parse_args()
    if a.ct2_worker:
        return ct2_worker(a)
    import ctranslate2
    if a.ort_python and not os.path.exists(a.ort_python):
        raise SystemExit(f"bench_peers: no {a.ort_python} (make bench-peers makes it; "
                         "--ort-python '' leaves ONNX Runtime out)")
    src = [l.rstrip("\n").split("\t")[0] for l in open(DATA, encoding="utf-8")]
    models = a.models.split(",")
    bulk_n = dict(zip(models, [int(x) for x in a.bulk_lines.split(",")]))
    batch_sizes = [int(b) for b in a.batch_sizes.split(",")]
    rows, ort_version = [], None
    for name in models:
        gguf, q8, hf, d = prepare(name, a.work, a.python, a.export_hf, a.ort_python)
        n = bulk_n.get(name, 1000)
        bulk = (src * (n // len(src) + 1))[:n]
        lat = src[:a.latency_lines]
        # (label, kind, threads, runner)
        cfgs = []
        for prec, ours, ct2q in (("float32", gguf, "float32"), ("8-bit", q8, "int8")):
            for t in (1, 2):
                cfgs.append((f"anuvad {prec} ({os.path.basename(ours)})", "bulk", t,
                             lambda o=ours, t=t: anuvad_bulk(o, t, bulk)))
                for B in batch_sizes:
                    cfgs.append((f"anuvad {prec} --batch-size {B}", "bulk", t,
                                 lambda o=ours, t=t, B=B: anuvad_bulk(o, t, bulk, B)))
                # At 2 threads both of CTranslate2's ways: one translator on 2 threads
                # (intra_threads), and 2 translators of 1 thread (inter_threads).
                for inter in (1, t) if t > 1 else (1,):
                    for B in batch_sizes:
                        what = f" ({inter} translators)" if inter > 1 else ""
                        cfgs.append((f"CTranslate2 {ct2q} B{B}{what}", "bulk", t,
                                     lambda q=ct2q, t=t, B=B, inter=inter: ct2_run(
                                         {"hf": hf, "ct2": os.path.join(d, f"ct2-{q}"),
                                          "compute_type": q, "threads": t // inter,
                                          "inter": inter, "lines": bulk, "mode": "bulk",
                                          "batch": B})))
            cfgs.append((f"anuvad {prec}", "latency", 1, lambda o=ours: anuvad_latency(o, lat)))
            cfgs.append((f"CTranslate2 {ct2q}", "latency", 1, lambda q=ct2q: ct2_run(
                {"hf": hf, "ct2": os.path.join(d, f"ct2-{q}"), "compute_type": q, "threads": 1,
                 "lines": lat, "mode": "latency", "batch": 1})))
            if a.ort_python:
                cfgs += ort_cfgs(a.ort_python, hf, os.path.join(d, "onnx", ct2q), ct2q, bulk,
                                 lat, batch_sizes)
        if a.only:
            cfgs = [c for c in cfgs if re.search(a.only, f"{c[1]} -t {c[2]} {c[0]}")]
        results = {i: [] for i in range(len(cfgs))}
        for r in range(a.rounds):
            for i, (label, kind, t, fn) in enumerate(cfgs):
                results[i].append(fn())
                ort_version = results[i][-1].get("version", ort_version)
                print(f"[{name} round {r + 1}] {kind} -t {t} {label}: "
                      f"{sum(results[i][-1]['times']):.2f} s", file=sys.stderr)
        ref_out = results[0][0]["out"]
        n_tok = next(results[i][0]["n_tokens"] for i, c in enumerate(cfgs)
                     if c[1] == "bulk" and "CTranslate2" in c[0])
        for i, (label, kind, t, _) in enumerate(cfgs):
            res = results[i]
            agree = 100.0 * sum(x == y for x, y in zip(res[0]["out"], ref_out if kind == "bulk"
                                                       else results[0][0]["out"][:len(lat)]))
            agree /= len(res[0]["out"])
            if kind == "bulk":
                med = statistics.median(sum(x["times"]) for x in res)
                rows.append((name, kind, label, t, f"{n_tok / med:.0f} tok/s",
                             f"{statistics.median(x['rss_kib'] for x in res) / 1024:.0f} MiB",
                             f"{agree:.1f}"))
            else:
                p50 = statistics.median(pct(x["times"], 0.5) for x in res) * 1e3
                p95 = statistics.median(pct(x["times"], 0.95) for x in res) * 1e3
                rows.append((name, kind, label, t, f"p50 {p50:.2f} / p95 {p95:.2f} ms", "",
                             f"{agree:.1f}"))
    ort = f"ONNX Runtime {ort_version}; " if ort_version else ""
    print(f"CTranslate2 {ctranslate2.__version__}; {ort}{os.cpu_count()} CPUs "
          f"({open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}); "
          f"{a.rounds} interleaved rounds, medians; agreement = identical output lines vs the "
          f"first anuvad float32 row")
    print("| model | what | engine, setting | threads | speed | peak RSS | agree % |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")


if __name__ == "__main__":
    main()
