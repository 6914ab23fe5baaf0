# make bench-peers (issue 13): anuvad next to CTranslate2 on the same weights; not part of make
# test. Needs PyPI once for the venv (.venv-peers: ctranslate2, torch==2.13.0 CPU, transformers,
# sentencepiece); the models are made by scripts/bench_peers.py under $(PEERS_WORK).
PEERS_VENV ?= .venv-peers
PEERS_WORK ?= work/peers
PEERS_ARGS ?=
.PHONY: bench-peers
$(PEERS_VENV)/ok:
	python3 -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install -q --upgrade pip
	$(PEERS_VENV)/bin/pip install -q ctranslate2 torch==2.13.0 transformers sentencepiece numpy
	touch $@

bench-peers: anuvad $(PEERS_VENV)/ok  ## anuvad next to CTranslate2 on the same weights (needs PyPI once)
	$(PEERS_VENV)/bin/python scripts/bench_peers.py --work $(PEERS_WORK) $(PEERS_ARGS)
