"""Translations, tokens, scores and attention against the CLI (./anuvad) on the test set."""
import anuvad
from conftest import MODEL, run_cli


def test_batch_equals_cli_on_2000_sentences(translator, sources, cli_outputs):
    results = translator.translate_batch(sources)
    assert len(results) == len(sources)
    got = [r.texts[0] for r in results]
    diff = [i for i, (a, b) in enumerate(zip(got, cli_outputs)) if a != b]
    assert not diff, "first differing line %d: %r vs CLI %r" % (diff[0], got[diff[0]],
                                                                 cli_outputs[diff[0]])


def test_one_worker_and_iterable_equal_cli(model_path, sources, cli_outputs):
    t = anuvad.Translator(model_path, threads=2)   # one sentence at a time, 2-thread pool
    got = [r.text for r in t.translate_iterable(iter(sources[:500]), max_batch_size=7)]
    assert got == cli_outputs[:500]


def test_hypotheses_are_target_pieces(translator, sources):
    for r in translator.translate_batch(sources[:200]):
        h = r.hypotheses[0]
        assert "</s>" not in h and len(h) == len(r.ids[0])
        assert translator.detokenize(h) == r.texts[0]
        assert [translator.piece(i) for i in r.ids[0]] == h




def test_tokenize_equals_cli(translator, sources):
    cli = run_cli(["tokenize", "-m", MODEL], sources)
    assert [" ".join(translator.tokenize(s)) for s in sources] == cli
    cli_ids = run_cli(["tokenize", "-m", MODEL, "--ids"], sources[:200])
    assert [" ".join(map(str, translator.tokenize_ids(s))) for s in sources[:200]] == cli_ids


def test_scores_are_sums_of_token_log_probs(translator, sources):
    for r in translator.translate_batch(sources[:100], return_scores=True,
                                        return_end_token=True):
        lp = r.log_probs[0]
        assert len(lp) == len(r.hypotheses[0]) and r.hypotheses[0][-1] == "</s>"
        assert all(x <= 0 for x in lp)
        assert abs(sum(lp) - r.scores[0]) < 1e-4


def test_score_batch_of_own_translation_equals_its_log_probs(translator, sources):
    res = translator.translate_batch(sources[:100], return_scores=True, return_end_token=True)
    scored = translator.score_batch(sources[:100], [r.texts[0] for r in res])
    for r, s in zip(res, scored):
        assert s.tokens == r.hypotheses[0]
        assert max(abs(a - b) for a, b in zip(s.log_probs, r.log_probs[0])) < 1e-6
    # another target scores lower than the model's own greedy pick at its first token
    worse = translator.score_batch([sources[0]], [["▁और"] + res[0].hypotheses[0][:-1]])[0]
    assert worse.log_probs[0] < res[0].log_probs[0][0]


def test_attention_rows_sum_to_one_and_equal_trace(translator, sources, cli_trace):
    res = translator.translate_batch(sources[:100], return_attention=True, return_end_token=True)
    worst = 0.0
    for r, tr in zip(res, cli_trace):
        att = r.attention[0]
        assert len(att) == len(tr["steps"]) == len(r.hypotheses[0])
        for row, st in zip(att, tr["steps"]):
            assert abs(sum(row) - 1) < 1e-5
            cross = st["cross"]   # [layer][head][source]
            heads = [h for layer in cross for h in layer]
            mean = [sum(col) / len(heads) for col in zip(*heads)]
            assert len(mean) == len(row)
            worst = max(worst, max(abs(a - b) for a, b in zip(row, mean)))
    assert worst < 2e-6, worst   # the trace prints 7 significant digits


def test_step_equals_trace(translator, sources, cli_trace):
    for text, tr in zip(sources[:20], cli_trace[:20]):
        steps = list(translator.step(text, top_k=5))
        assert len(steps) == len(tr["steps"])
        assert steps[0].source == tr["source_pieces"]
        for s, t in zip(steps, tr["steps"]):
            assert (s.token, s.piece, s.forced) == (t["token"], t["piece"], t["forced"])
            assert s.prefix == t["prefix"]
            assert [c[0] for c in s.candidates] == [c["piece"] for c in t["top"]]
            assert abs(s.prob - t["prob"]) < 1e-6
            for got, want in ((s.cross, t["cross"]), (s.self_attention, t["self"])):
                flat_g = [x for l in got for h in l for x in h]
                flat_w = [x for l in want for h in l for x in h]
                assert len(flat_g) == len(flat_w)
                assert max(abs(a - b) for a, b in zip(flat_g, flat_w)) < 1e-6
            assert abs(sum(s.cross_mean()) - 1) < 1e-5
            assert abs(sum(s.self_mean(layer=0, head=1)) - 1) < 1e-5


def test_step_forced_what_if(translator):
    steps = list(translator.step("we are friends", forced=["▁और"]))
    assert steps[0].forced and steps[0].piece == "▁और"
    assert not steps[1].forced and steps[-1].piece == "</s>"


def test_empty_and_nul_lines(translator):
    r = translator.translate_batch(["", "we are friends\0 ignored"])
    assert r[0].texts == [""] and r[0].hypotheses == [[]]
    assert r[1].text == translator.translate("we are friends")
    assert any("NUL byte at column 15" in w for w in r[1].warnings)


def test_info_equals_cli(translator):
    info = translator.info
    cli = {l.split()[0]: l.split()[1:] for l in run_cli(["info", "-m", MODEL], []) if l.strip()}
    assert cli["vocabulary"][0] == str(info["vocab_size"])
    assert cli["parameters"][0] == str(info["parameters"])
    assert cli["tensors"][0] == str(info["n_tensors"])
    assert cli["name"] == info["name"].split()
    assert "eos %d" % info["eos"] in " ".join(cli["vocabulary"])
