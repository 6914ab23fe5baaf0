"""translate_batch's length_penalty and early_stopping are the library's beam search options:
the n-best lists and scores equal the CLI's `--beam 4 --n-best 4 --length-penalty X
[--early-stopping]` (whose search tests/cli/beam.sh and make check-beam compare with
transformers' generate), and each setting changes some list, so an ignored option shows."""
import pytest

from conftest import MODEL, run_cli

SETTINGS = [(1.0, False), (0.0, False), (2.0, False), (1.0, True), (2.0, True), (-0.5, False)]


def cli_nbest(sources, length_penalty, early_stopping):
    args = ["-m", MODEL, "-q", "-t", "1", "--beam", "4", "--n-best", "4", "--length-penalty",
            repr(length_penalty)] + (["--early-stopping"] if early_stopping else [])
    lists = [[] for _ in sources]
    for line in run_cli(args, sources):
        i, text, score = line.split(" ||| ")
        lists[int(i)].append((text, score))
    return lists


@pytest.fixture(scope="module")
def nbest(translator, sources):
    out = {}
    for lp, es in SETTINGS:
        res = translator.translate_batch(sources[:100], beam_size=4, num_hypotheses=4,
                                         length_penalty=lp, early_stopping=es,
                                         return_scores=True)
        out[lp, es] = [[(t, "%.6f" % s) for t, s in zip(r.texts, r.scores)] for r in res]
    return out


@pytest.mark.parametrize("lp,es", SETTINGS)
def test_nbest_equals_cli(nbest, sources, lp, es):
    cli = cli_nbest(sources[:100], lp, es)
    got = nbest[lp, es]
    diff = [i for i in range(100) if got[i] != cli[i]]
    assert not diff, "sentence %d: %r vs CLI %r" % (diff[0], got[diff[0]], cli[diff[0]])


@pytest.mark.parametrize("lp,es", SETTINGS[1:])
def test_each_setting_changes_the_lists(nbest, lp, es):
    base = nbest[1.0, False]
    assert any([t for t, _ in a] != [t for t, _ in b] for a, b in zip(base, nbest[lp, es]))


def test_scores_follow_the_length_penalty(translator, sources):
    for lp in (0.0, 1.0, 2.0):
        for r in translator.translate_batch(sources[:20], beam_size=4, length_penalty=lp,
                                            return_scores=True, return_end_token=True):
            n = len(r.log_probs[0])
            assert r.scores[0] == pytest.approx(sum(r.log_probs[0]) / n ** lp, abs=1e-4)


def test_bad_length_penalty(translator):
    import anuvad
    with pytest.raises(anuvad.UsageError, match="length penalty"):
        translator.translate_batch(["we are friends"], beam_size=4, length_penalty=float("nan"))
