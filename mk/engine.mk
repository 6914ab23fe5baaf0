# Engine targets (issue 4). `make bench`: ./anuvad next to the PyTorch reference (not a test).
.PHONY: bench
bench: anuvad
	$(PYTHON) scripts/bench.py
