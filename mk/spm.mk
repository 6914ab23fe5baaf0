# Tokenizer (issue 3): encode-speed benchmark against libsentencepiece, and the SPM=1 build's
# C++ wrapper over libsentencepiece (src/optional/spm_lib.cc, swapped in for the src/spm/ folder).
CXX ?= c++
SPM_CXXFLAGS = -std=c++17 -O2 -g -Wall -Wextra -Werror -Isrc
SPM_BENCH_MODELS ?= tests/fixtures/spm/unigram.model tests/fixtures/spm/bpe.model \
                    tests/fixtures/spm/bytefb.model

.PHONY: bench-spm

# Needs libsentencepiece-dev. Both tokenizers encode the fixture lines, in one process.
$(BUILD)/bench_spm: tests/bench/bench_spm.cc libanuvad.a src/spm/spm.h src/engine/gguf.h
	@mkdir -p $(dir $@)
	$(CXX) $(SPM_CXXFLAGS) -o $@ $< libanuvad.a -lsentencepiece $(LDLIBS)

# The default model's tokenizers too, once models/en-hi.gguf exists (read from the GGUF).
bench-spm: $(BUILD)/bench_spm
	@for m in $(SPM_BENCH_MODELS); do nice -n 10 $(BUILD)/bench_spm $$m tests/fixtures/spm/lines.txt 3; done
	@if [ -f models/en-hi.gguf ]; then for side in source target; do \
	  nice -n 10 $(BUILD)/bench_spm models/en-hi.gguf:$$side tests/fixtures/spm/lines.txt 3; done; fi

ifeq ($(SPM),1)
libanuvad.a: $(BUILD)/src/optional/spm_lib.o
$(BUILD)/src/optional/spm_lib.o: src/optional/spm_lib.cc src/spm/spm.h
	@mkdir -p $(dir $@)
	$(CXX) $(SPM_CXXFLAGS) -c -o $@ $<
endif

# The tokenizer tests under AddressSanitizer+UBSan and under valgrind (engine-free: only the
# tokenizer sources), and the whole suite against libsentencepiece (SPM=1). libanuvad.a and
# ./anuvad live in the root for both builds, so they are removed around the SPM=1 run.
SPM_TESTS := test_pb test_spm test_spm_malformed
SPM_SRC := src/err.c src/engine/gguf.c $(wildcard src/spm/*.c)
.PHONY: sanitize-spm valgrind-spm check-spm-lib

sanitize-spm:
	@mkdir -p build-san
	@set -e; for t in $(SPM_TESTS); do \
	  clang $(WARN) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc -Itests/unit \
	    $(CHECK_CFLAGS) -o build-san/$$t tests/unit/$$t.c $(SPM_SRC) $(CHECK_LIBS) -lm; \
	  echo "== $$t (asan+ubsan)"; nice -n 10 build-san/$$t; done

valgrind-spm:
	@mkdir -p build-san
	@set -e; for t in $(SPM_TESTS); do \
	  $(CC) $(WARN) -O1 -gdwarf-4 -Isrc -Itests/unit $(CHECK_CFLAGS) -o build-san/$$t-vg \
	    tests/unit/$$t.c $(SPM_SRC) $(CHECK_LIBS) -lm; \
	  echo "== $$t (valgrind)"; CK_FORK=no nice -n 10 valgrind -q --error-exitcode=9 \
	    --leak-check=full build-san/$$t-vg; done

check-spm-lib:
	rm -f libanuvad.a anuvad
	$(MAKE) SPM=1 test; rc=$$?; rm -f libanuvad.a anuvad; exit $$rc
