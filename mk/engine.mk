# Engine targets (issue 4). `make bench`: ./anuvad next to the PyTorch reference (not a test).
.PHONY: bench
# make bench BENCH_MODEL=opus-mt-base.gguf BENCH_N=50: another model (e.g. a converted OPUS-MT).
bench: anuvad
	$(PYTHON) scripts/bench.py $(if $(BENCH_MODEL),--model $(BENCH_MODEL)) $(if $(BENCH_N),--n $(BENCH_N))

# Converted Hugging Face models (issue 10): `make check-hf` builds random-init MarianMTModels
# with transformers itself (in .venv-hf, created here), converts them with scripts/convert_hf.py
# and compares logits, greedy ids and tokenizer ids; it also rewrites tests/fixtures/hf/ and
# docs/opus-mt-check.json. The Marian .npz check needs transformers 4.x (5.x dropped
# convert_marian_to_pytorch): .venv-hf4. CHECK_HF_ARGS="--only base --n 50" narrows it.
HF_VENV := .venv-hf
HF4_VENV := .venv-hf4
$(BUILD)/tools/hf_probe: tests/tools/hf_probe.c libanuvad.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< libanuvad.a $(LDLIBS)

$(HF_VENV)/bin/python:
	python3 -m venv $(HF_VENV)
	$(HF_VENV)/bin/pip install -q torch==2.13.0 transformers sentencepiece

$(HF4_VENV)/bin/python:
	python3 -m venv $(HF4_VENV)
	$(HF4_VENV)/bin/pip install -q torch==2.13.0 "transformers<5" sentencepiece pyyaml

# transformers' Marian converter is not in its pip packages: its source at a pinned commit.
HF_CONVERTER ?= $(HF4_VENV)/convert_marian_to_pytorch.py
HF_CONVERTER_URL := https://raw.githubusercontent.com/huggingface/transformers/02c4e2b5e1a6bb75a6056dc7d47cb76696a324e1/src/transformers/models/marian/convert_marian_to_pytorch.py
$(HF4_VENV)/convert_marian_to_pytorch.py: | $(HF4_VENV)/bin/python
	curl -fsSL -o $@ $(HF_CONVERTER_URL)

.PHONY: check-hf
check-hf: anuvad $(BUILD)/tools/hf_probe $(HF_VENV)/bin/python $(HF4_VENV)/bin/python $(HF_CONVERTER)
	nice $(HF_VENV)/bin/python scripts/check_hf.py --probe $(BUILD)/tools/hf_probe $(CHECK_HF_ARGS)
	nice $(HF4_VENV)/bin/python scripts/check_marian_npz.py --probe $(BUILD)/tools/hf_probe \
	    --hf-converter $(HF_CONVERTER)
