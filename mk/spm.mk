# Tokenizer (issue 3): encode-speed benchmark against libsentencepiece, and the SPM=1 build's
# C++ wrapper over libsentencepiece (src/optional/spm_lib.cc, swapped in for src/spm.c).
CXX ?= c++
SPM_CXXFLAGS = -std=c++17 -O2 -g -Wall -Wextra -Werror -Isrc
SPM_BENCH_MODELS ?= tests/fixtures/spm/unigram.model tests/fixtures/spm/bpe.model \
                    tests/fixtures/spm/bytefb.model

.PHONY: bench-spm

# Needs libsentencepiece-dev. Both tokenizers encode the fixture lines, in one process.
$(BUILD)/bench_spm: tests/bench/bench_spm.cc libanuvad.a src/spm.h
	@mkdir -p $(dir $@)
	$(CXX) $(SPM_CXXFLAGS) -o $@ $< libanuvad.a -lsentencepiece $(LDLIBS)

bench-spm: $(BUILD)/bench_spm
	@for m in $(SPM_BENCH_MODELS); do nice -n 10 $(BUILD)/bench_spm $$m tests/fixtures/spm/lines.txt 3; done

ifeq ($(SPM),1)
libanuvad.a: $(BUILD)/src/optional/spm_lib.o
$(BUILD)/src/optional/spm_lib.o: src/optional/spm_lib.cc src/spm.h
	@mkdir -p $(dir $@)
	$(CXX) $(SPM_CXXFLAGS) -c -o $@ $<
endif
