# Speed (not tests: the numbers go into commit messages and the README).
.PHONY: bench bench-spm

# make bench BASELINE=path/to/old/anuvad: the two binaries alternating, medians and ratio.
# make bench BENCH_MODEL=opus-mt-base.gguf BENCH_N=50: another model (e.g. a converted OPUS-MT).
bench: anuvad  ## ./anuvad against the PyTorch reference; BASELINE=old/anuvad: old against new
	$(PYTHON) scripts/bench.py $(if $(BENCH_MODEL),--model $(BENCH_MODEL)) \
	    $(if $(BASELINE),--baseline $(BASELINE) --n $(or $(BENCH_N),1000),$(if $(BENCH_N),--n $(BENCH_N)))

# Needs libsentencepiece-dev. Both tokenizers encode the fixture lines, in one process; the
# default model's tokenizers too, once models/en-hi.gguf exists (read from the GGUF).
SPM_BENCH_MODELS ?= tests/fixtures/spm/unigram.model tests/fixtures/spm/bpe.model \
                    tests/fixtures/spm/bytefb.model
$(BUILD)/bench_spm: tests/bench/bench_spm.cc libanuvad.a src/spm/spm.h src/engine/gguf.h
	@mkdir -p $(dir $@)
	$(CXX) $(SPM_CXXFLAGS) -o $@ $< libanuvad.a -lsentencepiece $(LDLIBS)

bench-spm: $(BUILD)/bench_spm  ## src/spm/ against libsentencepiece, encoding the fixture lines
	@for m in $(SPM_BENCH_MODELS); do nice -n 10 $(BUILD)/bench_spm $$m tests/fixtures/spm/lines.txt 3; done
	@if [ -f models/en-hi.gguf ]; then for side in source target; do \
	  nice -n 10 $(BUILD)/bench_spm models/en-hi.gguf:$$side tests/fixtures/spm/lines.txt 3; done; fi
