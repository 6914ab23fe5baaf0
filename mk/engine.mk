# Engine targets (issue 4). `make bench`: ./anuvad next to the PyTorch reference (not a test).
.PHONY: bench
bench: anuvad
	$(PYTHON) scripts/bench.py

# make bench-kernels: GFLOP/s of each matrix kernel by input rows (tests/bench/bench_gemm.c).
.PHONY: bench-kernels
$(BUILD)/bench_gemm: tests/bench/bench_gemm.c libanuvad.a
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< libanuvad.a $(LDLIBS)
bench-kernels: $(BUILD)/bench_gemm
	$(BUILD)/bench_gemm
