#!/usr/bin/env python3
"""Q8_0 kernels against CTranslate2 int8 on the same weights, in CPU seconds at one thread.

    bench_q8_cpu.py [--work work/peers] [--models default,base] [--lines 2000,100]
                    [--bulk-lines 2000,300] [--rounds 3] [--batch-sizes 16,32]
                    [--baseline OLD_ANUVAD]

Run with the bench-peers venv's python (it has ctranslate2) after `make bench-peers` has
made the models under --work. Rows, interleaved per round, medians of CPU seconds (user + sys
of the whole anuvad process, load included; CTranslate2's translate calls, load excluded):
anuvad's Q8_0 file with the float Q8_0 kernel (ANUVAD_NO_VNNI=1) and with the int8 VNNI kernel,
and CTranslate2 int8 at intra_threads=1, one sentence at a time (batch 1) and in batches.
CPU seconds, not wall time: on a shared machine another process's load shows in wall time
only. Then model load: anuvad on empty input (whole process) against CTranslate2's Translator
construction, wall and CPU, medians of 5. With --baseline, the first column is that (older)
anuvad binary with its default kernels instead of the float Q8_0 kernel: before/after ratios of
a kernel change in the same interleaved run.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_peers import DATA, EXE, ct2_run  # noqa: E402


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def anuvad(model, lines, batch, env, exe=EXE):
    text = "".join(l + "\n" for l in lines).encode()
    c = child_cpu()
    w = time.perf_counter()
    r = subprocess.run([exe, "-q", "-m", model, "-t", "1", "--batch-size", str(batch)],
                       input=text, stdout=subprocess.PIPE, check=True,
                       env=dict(os.environ, **env))
    return {"cpu": child_cpu() - c, "wall": time.perf_counter() - w,
            "out": r.stdout.decode().split("\n")[:len(lines)]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default="work/peers")
    ap.add_argument("--models", default="default,base")
    ap.add_argument("--lines", default="2000,100", help="batch-1 lines per model")
    ap.add_argument("--bulk-lines", default="2000,300", help="batched lines per model")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-sizes", default="16,32")
    ap.add_argument("--baseline", help="an older anuvad binary for the first column")
    a = ap.parse_args()
    src = [l.rstrip("\n").split("\t")[0] for l in open(DATA, encoding="utf-8")]
    models = a.models.split(",")
    n1 = dict(zip(models, map(int, a.lines.split(","))))
    nb = dict(zip(models, map(int, a.bulk_lines.split(","))))
    sizes = [1] + [int(b) for b in a.batch_sizes.split(",")]
    old = "baseline anuvad" if a.baseline else "float kernel"
    print(f"| model | batch | lines | anuvad Q8_0 {old}, CPU s | anuvad Q8_0 int8 VNNI, "
          f"CPU s | CTranslate2 int8, CPU s | VNNI / {old} speed | VNNI / CTranslate2 "
          f"speed | agree VNNI vs {old} % |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    loads = []
    for name in models:
        d = os.path.join(a.work, name)
        q8, ct2 = os.path.join(d, "model.q8_0.gguf"), os.path.join(d, "ct2-int8")
        hf = os.path.join(d, "hf")
        for B in sizes:
            n = n1[name] if B == 1 else nb[name]
            lines = (src * (n // len(src) + 1))[:n]
            req = {"hf": hf, "ct2": ct2, "compute_type": "int8", "threads": 1, "lines": lines,
                   "mode": "latency" if B == 1 else "bulk", "batch": B}
            runs = {"old": [], "new": [], "ct2": []}
            for r in range(a.rounds):
                if a.baseline:
                    runs["old"].append(anuvad(q8, lines, B, {}, a.baseline))
                else:
                    runs["old"].append(anuvad(q8, lines, B, {"ANUVAD_NO_VNNI": "1"}))
                runs["new"].append(anuvad(q8, lines, B, {}))
                runs["ct2"].append(ct2_run(req))
                print(f"[{name} B{B} round {r + 1}] " + ", ".join(
                    f"{k} {v[-1]['cpu']:.2f} s" for k, v in runs.items()), file=sys.stderr)
            med = {k: statistics.median(x["cpu"] for x in v) for k, v in runs.items()}
            agree = 100.0 * sum(x == y for x, y in zip(runs["new"][0]["out"],
                                                       runs["old"][0]["out"])) / n
            print(f"| {name} | {B} | {n} | {med['old']:.2f} | {med['new']:.2f} | "
                  f"{med['ct2']:.2f} | {med['old'] / med['new']:.2f}x | "
                  f"{med['ct2'] / med['new']:.2f}x | {agree:.1f} |", flush=True)
        al = [anuvad(q8, [], 1, {}) for _ in range(5)]
        cl = [ct2_run({"hf": hf, "ct2": ct2, "compute_type": "int8", "threads": 1,
                       "lines": [], "mode": "latency", "batch": 1}) for _ in range(5)]
        loads.append((name, statistics.median(x["wall"] for x in al) * 1e3,
                      statistics.median(x["cpu"] for x in al) * 1e3,
                      statistics.median(x["load_wall"] for x in cl) * 1e3,
                      statistics.median(x["load_cpu"] for x in cl) * 1e3))
    print("\n| model | anuvad load (whole process), wall / CPU ms | CTranslate2 Translator(), "
          "wall / CPU ms |")
    print("| --- | ---: | ---: |")
    for name, aw, ac, cw, cc in loads:
        print(f"| {name} | {aw:.1f} / {ac:.1f} | {cw:.1f} / {cc:.1f} |")


if __name__ == "__main__":
    main()
