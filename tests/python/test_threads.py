"""Several translators in Python threads at once (clones over one model, and one shared
translator) give the CLI's outputs; the GIL is released while they translate."""
import threading
import time

import anuvad


def run_threads(fn, n):
    out, errors = [None] * n, []

    def work(i):
        try:
            out[i] = fn(i)
        except BaseException as e:   # reported by the main thread
            errors.append(e)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors, errors
    return out


def test_clones_in_threads_equal_cli(model_path, sources, cli_outputs):
    base = anuvad.Translator(model_path, threads=1)
    clones = [base.clone(1) for _ in range(4)]
    chunk = sources[:400]
    outs = run_threads(lambda i: [r.text for r in clones[i].translate_batch(chunk)], 4)
    for o in outs:
        assert o == cli_outputs[:400]


def test_shared_translator_in_threads(model_path, sources, cli_outputs):
    t = anuvad.Translator(model_path, threads=1)
    outs = run_threads(lambda i: [t.translate(s) for s in sources[i * 50:(i + 1) * 50]], 4)
    assert sum(outs, []) == cli_outputs[:200]


def test_gil_is_released(model_path, sources):
    """A Python thread keeps counting while another translates."""
    t = anuvad.Translator(model_path, threads=1)
    done, ticks = threading.Event(), [0]

    def count():
        while not done.is_set():
            ticks[0] += 1
            time.sleep(0.0005)

    c = threading.Thread(target=count)
    c.start()
    start = time.time()
    t.translate_batch(sources[:300])
    elapsed = time.time() - start
    done.set()
    c.join()
    assert elapsed > 0.05 and ticks[0] > 10, (elapsed, ticks[0])
