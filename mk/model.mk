# The default English->Hindi model (issue 2): corpus -> SentencePiece -> training -> GGUF -> eval.
#   make model          everything, end to end (27 minutes measured on 2 cores)
#   make corpus | tokenizer | train | export-model | eval-model   one stage each
# Work files go to $(MODEL_WORK) (ignored by git); the results are models/en-hi.gguf,
# models/eval.md, tests/fixtures/en-hi-test.tsv, the engine's greedy parity fixture
# tests/fixtures/engine/en-hi-greedy.tsv and the tokenizer fixtures tests/fixtures/spm/enhi-*
# (all committed).
MODEL_WORK    ?= work
MODEL_SEED    ?= 1
TRAIN_MINUTES ?= 100
MODEL_OUT     ?= models/en-hi.gguf
# 2 epochs = 3070 steps; the cosine runs over them, or over TRAIN_MINUTES if that comes first
# (a busy machine), in which case the result differs from the shipped model.
TRAIN_ARGS    ?= --epochs 3 --minutes $(TRAIN_MINUTES) --max-tokens 3000 --lr 2e-3 --warmup 400 \
                 --d-model 128 --heads 4 --ffn 512 --enc-layers 3 --dec-layers 3 --dropout 0.05 \
                 --guided-alignment 0.3 --eval-every 500 --greedy-eval 200 --log-every 50 \
                 --seed $(MODEL_SEED)
MODEL_DESC    ?= English to Hindi, simple sentences; trained by make model on the generated corpus of scripts/make_corpus.py

.PHONY: model corpus tokenizer train export-model eval-model

model:
	$(MAKE) corpus tokenizer
	rm -rf $(MODEL_WORK)/ckpt
	$(MAKE) train export-model eval-model

corpus:
	$(PYTHON) scripts/make_corpus.py --seed $(MODEL_SEED) --out $(MODEL_WORK)/corpus
	@mkdir -p tests/fixtures
	cp $(MODEL_WORK)/corpus/test.tsv tests/fixtures/en-hi-test.tsv

tokenizer:
	$(PYTHON) scripts/train_tokenizer.py --train $(MODEL_WORK)/corpus/train.tsv --out $(MODEL_WORK)/tok \
	    --src-vocab 3000 --tgt-vocab 3500

train:
	$(PYTHON) scripts/train.py --data $(MODEL_WORK)/corpus --tok $(MODEL_WORK)/tok \
	    --out $(MODEL_WORK)/ckpt $(TRAIN_ARGS) --description "$(MODEL_DESC)" \
	    2>&1 | tee $(MODEL_WORK)/train.log

export-model:
	$(PYTHON) scripts/export_gguf.py $(MODEL_WORK)/ckpt/best.pt $(MODEL_OUT)
	$(PYTHON) scripts/gguf_dump.py $(MODEL_OUT) | tail -n 3
	if [ "$(MODEL_OUT)" = models/en-hi.gguf ]; then $(PYTHON) scripts/fixtures_engine.py --default-model && \
	    $(PYTHON) scripts/fixtures_spm.py --no-train; fi

eval-model:
	$(PYTHON) scripts/evaluate.py $(MODEL_WORK)/ckpt/best.pt --test $(MODEL_WORK)/corpus/test.tsv \
	    --report models/eval.md
