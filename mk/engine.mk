# Engine targets (issue 4). `make bench`: ./anuvad next to the PyTorch reference (not a test).
.PHONY: bench
# make bench BASELINE=path/to/old/anuvad: the two binaries alternating, medians and ratio.
bench: anuvad
	$(PYTHON) scripts/bench.py $(if $(BASELINE),--baseline $(BASELINE) --n $(or $(BENCH_N),1000))
