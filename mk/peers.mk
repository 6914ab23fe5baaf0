# make bench-peers (issue 13): anuvad next to CTranslate2 and ONNX Runtime on the same weights;
# not part of make test. Needs PyPI once for each venv: .venv-peers (ctranslate2,
# torch==2.13.0 CPU, transformers, sentencepiece) and .venv-ort (optimum-onnx, which needs
# transformers < 4.58, so a venv of its own; onnxruntime; torch==2.13.0 CPU). The stamp files
# (ok) keep reruns off the network. The models are made by scripts/bench_peers.py under
# $(PEERS_WORK).
PEERS_VENV ?= .venv-peers
ORT_VENV ?= .venv-ort
PEERS_WORK ?= work/peers
PEERS_ARGS ?=
.PHONY: bench-peers
$(PEERS_VENV)/ok:
	python3 -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install -q --upgrade pip
	$(PEERS_VENV)/bin/pip install -q ctranslate2 torch==2.13.0 transformers sentencepiece numpy
	touch $@

# Pinned: the versions the ONNX rows were first measured with (optimum-onnx 0.1.0, its latest
# release here, needs transformers < 4.58).
$(ORT_VENV)/ok:
	python3 -m venv $(ORT_VENV)
	$(ORT_VENV)/bin/pip install -q torch==2.13.0 transformers==4.57.6 \
	    "optimum-onnx[onnxruntime]==0.1.0" onnxruntime==1.32.0 sentencepiece numpy
	touch $@

bench-peers: anuvad $(PEERS_VENV)/ok $(ORT_VENV)/ok  ## anuvad next to CTranslate2 and ONNX Runtime on the same weights (needs PyPI once)
	$(PEERS_VENV)/bin/python scripts/bench_peers.py --work $(PEERS_WORK) \
	    --ort-python $(ORT_VENV)/bin/python $(PEERS_ARGS)
