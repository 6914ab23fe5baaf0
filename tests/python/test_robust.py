"""Bad model files and bad input raise clean exceptions with the library's message; N sources
give N results with on_error="return"."""
import pytest

import anuvad


def test_missing_model(tmp_path):
    with pytest.raises(anuvad.ModelError) as e:
        anuvad.Translator(str(tmp_path / "nope.gguf"))
    assert "nope.gguf" in str(e.value) and e.value.status == -1
    assert isinstance(e.value, anuvad.AnuvadError) and "\n" not in str(e.value)


@pytest.mark.parametrize("data", [b"", b"GGUF", b"not a model at all" * 100])
def test_malformed_model(tmp_path, data):
    p = tmp_path / "bad.gguf"
    p.write_bytes(data)
    with pytest.raises(anuvad.ModelError) as e:
        anuvad.Translator(str(p))
    assert e.value.status in (-1, -2) and str(e.value)


def test_truncated_model(tmp_path, model_path):
    p = tmp_path / "cut.gguf"
    with open(model_path, "rb") as f:
        p.write_bytes(f.read()[:100000])
    with pytest.raises(anuvad.ModelError, match="cut.gguf|truncat|size|beyond|end"):
        anuvad.Translator(str(p))


def test_bad_options(translator):
    with pytest.raises(anuvad.UsageError) as e:
        translator.translate_batch(["we are friends"], max_decoding_length=-3)
    assert "max-len" in str(e.value) and isinstance(e.value, ValueError)
    with pytest.raises(anuvad.UsageError):
        anuvad.Translator(translator.model_path, device="cuda")
    with pytest.raises(anuvad.UsageError):
        translator.translate_batch(["a"], on_error="ignore")


def test_beam_size_goes_to_the_library(translator):
    """Until beam search lands the library refuses beam_size > 1; after, it must give
    num_hypotheses hypotheses."""
    try:
        r = translator.translate_batch(["we are friends"], beam_size=2, num_hypotheses=2)
    except anuvad.UsageError as e:
        assert "beam" in str(e)
    else:
        assert len(r[0].hypotheses) == 2


def test_bad_text(translator):
    with pytest.raises(anuvad.InputError, match="not valid Unicode"):
        translator.translate_batch(["ok", "bad \ud800 surrogate"])
    r = translator.translate_batch(["we are friends", "bad \ud800", "we are friends"],
                                   on_error="return")
    assert len(r) == 3 and r[1].error and r[1].texts == [""] and r[0].text == r[2].text
    assert r[0].error is None
    with pytest.raises(TypeError):
        translator.translate_batch([3])


def test_bad_tokens(translator):
    with pytest.raises(anuvad.InputError, match="vocabulary"):
        translator.step("we are friends", forced=["no-such-piece"])
    with pytest.raises(anuvad.InputError, match="NUL"):
        translator.translate_batch([["▁we", "a\0b"]])
    with pytest.raises(TypeError):
        translator.translate_batch([["▁we", 3]])
    with pytest.raises(anuvad.UsageError, match="vocabulary id"):
        list(translator.step("we are friends", forced=[10 ** 6]))
    with pytest.raises(anuvad.UsageError):
        translator.score_batch(["a", "b"], ["x"])


def test_invalid_utf8_bytes_translate(translator):
    r = translator.translate_batch([b"we \xff\xfe are friends"])
    assert r[0].error is None and isinstance(r[0].text, str)


def test_closed_translator(model_path):
    t = anuvad.Translator(model_path, threads=1)
    c = t.clone()
    t.close()   # freed after its clone
    assert c.translate("we are friends") == "हम दोस्त हैं"
    with pytest.raises(ValueError, match="closed"):
        t.translate("we are friends")
    c.close()
    with anuvad.Translator(model_path, threads=1) as t2:
        assert t2.translate("we are friends")
    with pytest.raises(ValueError, match="closed"):
        t2.tokenize("we")
