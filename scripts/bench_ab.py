#!/usr/bin/env python3
"""Interleaved A/B timing of anuvad binaries (or settings) on the same input, for commit
messages: on a shared machine only runs taken in turn are comparable.

    bench_ab.py --lines 1000 --rounds 5 -- 'OLD=./old -m M -t 1' 'NEW=./anuvad -m M -t 1'

Each round runs every command once over the same stdin (the first --lines lines of --data);
prints the median wall seconds, tokens/s (whitespace tokens of the first command's output, so
every row counts the same work), the median CPU seconds (user + system: on a busy machine the
steadier measure of a one-thread run) and the ratios to the first command. Outputs that differ from
the first command's are counted and reported.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(ROOT, "tests", "fixtures", "en-hi-test.tsv"))
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=1, help="use the lines this many times")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("cmds", nargs="+", help="NAME=command line")
    a = ap.parse_args()
    lines = [l.rstrip("\n").split("\t")[0] for l in open(a.data, encoding="utf-8")][:a.lines]
    text = "".join(l + "\n" for l in lines * a.repeat).encode()
    cmds = [c.split("=", 1) for c in a.cmds]
    times = {n: [] for n, _ in cmds}
    outs = {}
    cpu = {n: [] for n, _ in cmds}
    for _ in range(a.rounds):
        for name, cmd in cmds:
            t = time.perf_counter()
            with tempfile.TemporaryFile() as fin, tempfile.TemporaryFile() as fout:
                fin.write(text)
                fin.seek(0)
                p = subprocess.Popen(shlex.split(cmd), stdin=fin, stdout=fout)
                _, status, ru = os.wait4(p.pid, 0)
                times[name].append(time.perf_counter() - t)
                if status:
                    raise SystemExit(f"{name}: exit status {status}")
                cpu[name].append(ru.ru_utime + ru.ru_stime)
                fout.seek(0)
                outs[name] = fout.read().decode().split("\n")
    ref = outs[cmds[0][0]]
    toks = sum(len(l.split()) + 1 for l in ref if l)   # + 1: the </s> step
    base = statistics.median(times[cmds[0][0]])
    print(f"{len(lines) * a.repeat} lines, {a.rounds} interleaved rounds, medians")
    cbase = statistics.median(cpu[cmds[0][0]])
    print("| run | wall s | tokens/s | ratio (wall) | CPU s | ratio (CPU) | differing lines |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, _ in cmds:
        med, cmed = statistics.median(times[name]), statistics.median(cpu[name])
        diff = sum(x != y for x, y in zip(outs[name], ref))
        print(f"| {name} | {med:.3f} | {toks / med:.0f} | {base / med:.3f} | {cmed:.3f} | "
              f"{cbase / cmed:.3f} | {diff} |")


if __name__ == "__main__":
    main()
