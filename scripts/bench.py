#!/usr/bin/env python3
"""make bench: ./anuvad next to the PyTorch reference on the same sentences, same machine.

    bench.py [--model models/en-hi.gguf] [--n 200] [--data tests/fixtures/en-hi-test.tsv]
             [--baseline OLD_ANUVAD [--reps 5]]

Prints sentences/s and tokens/s for the reference (greedy, KV cache, batch 1, one thread) and
for ./anuvad -t 1 and -t 2 (whole process: load + tokenize + translate + detokenize), the
ratio, ./anuvad's load time and peak RSS, and GFLOP/s (tokens/s x FLOPs per token) next to
numpy's single-thread matrix-vector GFLOP/s on the model's largest matrix. Token counts are
the reference's generated ids (the engine's outputs are checked to be the same strings).
With --baseline, another anuvad binary (say, main's) runs against ./anuvad on the same lines,
the two alternating, --reps times each at -t 1 and -t 2: the medians and their ratio, so a
change is measured in one run on a shared machine.
"""
import argparse
import os
import resource
import subprocess
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np      # noqa: E402
import torch            # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from gguf_model import load, translate, source_ids    # noqa: E402


def run_engine(exe, model, threads, text, extra=()):
    """(wall seconds, output, CPU seconds) of one ./anuvad process over all the lines. The CPU
    time (user + system, all threads) tells the speed apart from a busy machine's waiting."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run([exe, "-q", "-m", model, "-t", str(threads)] + list(extra),
                         input=text.encode(), stdout=subprocess.PIPE, check=True).stdout
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, out.decode(), cpu


def peak_rss(exe, model, text):
    """Peak RSS (KiB) of one ./anuvad -t 1 run, from GNU time (a child forked from this big
    Python process would report Python's RSS: Linux carries maxrss across exec)."""
    if not os.path.exists("/usr/bin/time"):
        return None
    r = subprocess.run(["/usr/bin/time", "-f", "%M", exe, "-q", "-m", model, "-t", "1"],
                       input=text.encode(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       check=True)
    return int(r.stderr.decode().strip().splitlines()[-1])


def load_time(exe, model, reps=20):
    """Median wall time of a process that loads the model and translates an empty line."""
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        subprocess.run([exe, "-q", "-m", model, ""], stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    base = []
    for _ in range(reps):
        t = time.perf_counter()
        subprocess.run([exe, "--version"], stdout=subprocess.DEVNULL, check=True)
        base.append(time.perf_counter() - t)
    return float(np.median(times)), float(np.median(base))


def compare(old, new, model, text, reps):
    """Rows (threads, old median s, new median s, same output) of interleaved runs."""
    rows = []
    for threads in (1, 2):
        times = {old: [], new: []}
        outs = {}
        for _ in range(reps):
            for exe in (old, new):
                dt, outs[exe], _ = run_engine(exe, model, threads, text)
                times[exe].append(dt)
        rows.append((threads, float(np.median(times[old])), float(np.median(times[new])),
                     outs[old] == outs[new]))
    return rows


def beam_cost(exe, model, text, reps=5, beam=4):
    """Median CPU seconds (user + system of the child: on a shared machine wall time measures
    the neighbours too) of greedy and of --beam runs at -t 1, alternating."""
    times = {1: [], beam: []}
    for _ in range(reps):
        for b in (1, beam):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            run_engine(exe, model, 1, text, ["--beam", str(b)])
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            times[b].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return float(np.median(times[1])), float(np.median(times[beam]))


def flops(c, src_lens, out_lens):
    """Multiply-adds x 2 of the matrix products (attention scores/mixing included)."""
    d, F, V, Le, Ld = c.d_model, c.ffn_dim, c.vocab_size, c.encoder_layers, c.decoder_layers
    total = 0
    for S, T in zip(src_lens, out_lens):
        total += S * Le * (4 * d * d + 2 * d * F) + S * S * Le * 2 * d      # encoder
        total += S * Ld * 2 * d * d                                          # cross K/V
        for t in range(T):
            total += Ld * (6 * d * d + 2 * d * F) + V * d                    # one step
            total += Ld * 2 * d * ((t + 1) + S)                              # attention
    return 2.0 * total


def matvec_gflops(rows, cols, reps=2000):
    a = np.random.rand(rows, cols).astype(np.float32)
    x = np.random.rand(cols).astype(np.float32)
    for _ in range(50):
        a @ x
    t = time.perf_counter()
    for _ in range(reps):
        a @ x
    return 2.0 * rows * cols * reps / (time.perf_counter() - t) / 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "en-hi.gguf"))
    ap.add_argument("--data", default=os.path.join(ROOT, "tests", "fixtures", "en-hi-test.tsv"))
    ap.add_argument("--exe", default=os.path.join(ROOT, "anuvad"))
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--baseline", help="another anuvad binary to compare ./anuvad with")
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    lines = [l.rstrip("\n").split("\t")[0] for l in open(a.data, encoding="utf-8")][:a.n]
    text = "".join(l + "\n" for l in lines)
    if a.baseline:
        print(f"{len(lines)} sentences, {a.baseline} (old) and {a.exe} (new) alternating, "
              f"median of {a.reps} whole-process runs each")
        print("| run | old s | new s | new / old | outputs |")
        print("| --- | ---: | ---: | ---: | --- |")
        for threads, old, new, same in compare(a.baseline, a.exe, a.model, text, a.reps):
            print(f"| -t {threads} | {old:.3f} | {new:.3f} | {new / old:.3f} | "
                  f"{'identical' if same else 'DIFFERENT'} |")
        return
    torch.set_num_threads(1)
    m = load(a.model)
    c = m.config

    t = time.perf_counter()
    ref = [translate(m, l) for l in lines]
    ref_s = time.perf_counter() - t
    toks = sum(len(ids) for _, ids in ref)
    src_lens = [len(source_ids(m, l)) for l in lines]
    fl = flops(c, src_lens, [len(ids) for _, ids in ref])

    rows = [("reference (PyTorch, 1 thread, KV cache)", ref_s, None)]
    want = [s for s, _ in ref]
    cpu = {}
    for threads in (1, 2):
        dt, out, cpu[threads] = run_engine(a.exe, a.model, threads, text)
        same = sum(x == y for x, y in zip(out.split("\n"), want))
        rows.append((f"anuvad -t {threads}", dt, f"{same}/{len(lines)} outputs identical"))
    load_s, start_s = load_time(a.exe, a.model)
    rss = peak_rss(a.exe, a.model, text)
    big = max((c.vocab_size, c.d_model), (c.ffn_dim, c.d_model), key=lambda s: s[0] * s[1])
    mv = matvec_gflops(*big)

    print(f"model {a.model}: d {c.d_model}, layers {c.encoder_layers}+{c.decoder_layers}, "
          f"vocab {c.vocab_size}; {len(lines)} sentences, {toks} generated tokens")
    print("| run | seconds | sentences/s | tokens/s | x reference | GFLOP/s | note |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, dt, note in rows:
        # ./anuvad's seconds are the whole process; its translating time excludes the load,
        # as the reference's does (its model is loaded before the clock starts).
        work = dt if note is None else max(dt - load_s, 1e-9)
        extra = "" if note is None else f"; {dt:.2f} s with process start and load"
        print(f"| {name} | {work:.2f} | {len(lines) / work:.1f} | {toks / work:.0f} | "
              f"{ref_s / work:.1f} | {fl / work / 1e9:.2f} | {(note or '') + extra} |")
    for threads, c_s in cpu.items():
        print(f"anuvad -t {threads}: {c_s:.2f} CPU seconds (all threads, load included): "
              f"{toks / c_s:.0f} tokens per CPU second")
    print(f"machine load average while measuring: {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    print(f"load: {load_s * 1e3:.1f} ms per process translating nothing "
          f"({(load_s - start_s) * 1e3:.1f} ms more than `anuvad --version`)")
    print(f"peak RSS (-t 1, {len(lines)} sentences): "
          + (f"{rss / 1024:.1f} MiB" if rss else "n/a (needs /usr/bin/time: apt-get install time)"))
    print(f"numpy (OpenBLAS, 1 thread) matrix-vector {big[0]}x{big[1]} F32: {mv:.2f} GFLOP/s")
    g, b = beam_cost(a.exe, a.model, text)
    print(f"beam search (-t 1, CPU time, median of 5 alternating runs): greedy {g / len(lines) * 1e3:.2f} "
          f"ms/sentence, --beam 4 {b / len(lines) * 1e3:.2f} ms/sentence ({b / g:.2f}x greedy)")


if __name__ == "__main__":
    main()
