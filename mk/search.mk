# Beam search, scoring and confidence (issue 12). Not part of `make test`: these need PyPI.
.PHONY: check-beam

# transformers in its own venv, as make check-hf makes it (torch pinned: a CPU build on disk).
HF_VENV ?= .venv-hf
$(HF_VENV)/.beam-ready:
	test -x $(HF_VENV)/bin/python || python3 -m venv $(HF_VENV)
	$(HF_VENV)/bin/pip install -q torch==2.13.0 transformers sentencepiece
	touch $@

# make check-beam CHECK_BEAM_ARGS="--n 50": fewer sentences.
check-beam: anuvad $(HF_VENV)/.beam-ready  ## beam search against transformers generate(num_beams=2,4,5) on 200 sentences; rewrites tests/fixtures/beam/
	nice $(HF_VENV)/bin/python scripts/check_beam.py --anuvad ./anuvad \
	    --pair tests/fixtures/hf/tiny_swish.hf tests/fixtures/hf/tiny_swish.gguf \
	    --fixture tests/fixtures/beam/generate.tsv $(CHECK_BEAM_ARGS)
