"""No leak across many create/translate/free cycles: RSS stays flat after a warm-up and
tracemalloc sees no growth in Python objects. ANUVAD_LEAK_CYCLES scales the run."""
import gc
import os
import tracemalloc

import anuvad

CYCLES = int(os.environ.get("ANUVAD_LEAK_CYCLES", "10000"))


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def cycle(base, i, model_path):
    # every 20th cycle loads the file again; the others clone (what a worker does per thread)
    t = anuvad.Translator(model_path, threads=1) if i % 20 == 0 else base.clone(1)
    r = t.translate_batch(["we are friends", "What does a parrot like?"],
                          return_scores=True, return_attention=True)
    assert r[0].text == "हम दोस्त हैं"
    if i % 10 == 0:
        list(t.step("we are friends"))
    t.tokenize("we are friends")
    t.close()


def test_create_translate_free_cycles(model_path):
    base = anuvad.Translator(model_path, threads=1)
    for i in range(200):   # warm-up: allocator pools, caches
        cycle(base, i, model_path)
    gc.collect()
    tracemalloc.start()
    snap0, rss0 = tracemalloc.take_snapshot(), rss_kib()
    for i in range(CYCLES):
        cycle(base, i, model_path)
    gc.collect()
    grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(snap0, "filename"))
    tracemalloc.stop()
    rss1 = rss_kib()
    # One leaked translator (buffers + pool) is ~100 KiB and a leaked result a few hundred
    # bytes: 10,000 cycles of either would be far above these bounds.
    assert rss1 - rss0 < 4096, "RSS grew %d KiB over %d cycles" % (rss1 - rss0, CYCLES)
    assert grown < 256 * 1024, "Python allocations grew %d bytes" % grown
