"""Token-list sources (CTranslate2's translate_batch([["▁we", "▁are", ...]])): the library
looks the pieces up as they are (anuvad_translate_tokens), with no text round-trip. The pieces
of a sentence give what its text gives; a piece outside the vocabulary is <unk>, as the
tokenizer maps one."""
import anuvad


def test_pieces_of_2000_sentences_equal_the_cli(translator, sources, cli_outputs):
    tokens = [translator.tokenize(s) for s in sources]
    got = [r.text for r in translator.translate_batch(tokens)]
    diff = [i for i, (a, b) in enumerate(zip(got, cli_outputs)) if a != b]
    assert not diff, "line %d: %r vs CLI %r" % (diff[0], got[diff[0]], cli_outputs[diff[0]])


def test_pieces_equal_text_in_every_field(translator, sources):
    text = translator.translate_batch(sources[:100], beam_size=3, num_hypotheses=2,
                                      return_scores=True, return_attention=True)
    toks = translator.translate_batch([translator.tokenize(s) for s in sources[:100]],
                                      beam_size=3, num_hypotheses=2, return_scores=True,
                                      return_attention=True)
    for a, b in zip(text, toks):
        assert (a.hypotheses, a.ids, a.scores, a.log_probs, a.attention, a.warnings) == \
            (b.hypotheses, b.ids, b.scores, b.log_probs, b.attention, b.warnings)


def test_mixed_batch_keeps_order(translator, sources):
    mixed = [s if i % 3 else translator.tokenize(s) for i, s in enumerate(sources[:60])]
    assert [r.text for r in translator.translate_batch(mixed, max_batch_size=7)] == \
        [r.text for r in translator.translate_batch(sources[:60])]


def test_unknown_pieces_are_unk(translator):
    text = "we \u2603 are friends"   # the snowman is in no vocabulary of this model
    pieces = translator.tokenize(text)
    unk = translator.info["unk"]
    at = translator.tokenize_ids(text).index(unk)   # the tokenizer maps it to <unk>
    a, b = translator.translate_batch([text, pieces], return_scores=True)
    assert (a.hypotheses, a.scores, a.warnings) == (b.hypotheses, b.scores, b.warnings)
    made_up = pieces[:at] + ["▁no-such-piece"] + pieces[at + 1:]
    as_unk = pieces[:at] + [translator.piece(unk)] + pieces[at + 1:]
    c, d = translator.translate_batch([made_up, as_unk], return_scores=True)
    assert (c.hypotheses, c.scores) == (d.hypotheses, d.scores) == (a.hypotheses, a.scores)


def test_a_split_is_taken_as_given(translator):
    # "we are friends" is ▁we ▁a re ▁friends to the tokenizer; three pieces stay three
    # (src_len counts </s>): the step view shows them as given.
    steps = list(translator.step(["▁we", "▁are", "▁friends"]))
    assert steps[0].source == ["▁we", "▁are", "▁friends", "</s>"]
    assert list(translator.step("we are friends"))[0].source == \
        translator.tokenize("we are friends") + ["</s>"]


def test_token_sources_in_score_batch(translator, sources):
    pieces = [translator.tokenize(s) for s in sources[:20]]
    targets = [r.text for r in translator.translate_batch(sources[:20])]
    a = translator.score_batch(sources[:20], targets)
    b = translator.score_batch(pieces, targets)
    assert [(x.tokens, x.log_probs) for x in a] == [(x.tokens, x.log_probs) for x in b]


def test_empty_token_list(translator):
    r = translator.translate_batch([[]])[0]
    assert r.error is None and r.text == "" and r.hypotheses == [[]]


def test_bad_token_lists(translator):
    r = translator.translate_batch([["▁we"], ["a\0b"], ["▁we"]], on_error="return")
    assert r[1].error and "NUL" in r[1].error and r[0].text == r[2].text != ""
    try:
        translator.translate_batch([["▁we", None]])
    except TypeError:
        pass
    else:
        raise AssertionError("a None token was taken")
    assert isinstance(anuvad.InputError("x"), ValueError)
