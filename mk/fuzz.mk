# Fuzzing (issue 6): libFuzzer targets in tests/fuzz/fuzz_*.c, built with clang and ASan+UBSan
# into build-fuzz/. Each target's working corpus is tests/fuzz/corpus-<target>/ (git-ignored),
# seeded from our real files on first use; the committed, minimised corpus
# tests/fuzz/corpus/<target>/ and the regression inputs tests/fuzz/regress/<target>/ are read
# too; crashes land in build-fuzz/crash/.
#   make fuzz SECONDS=N        run every target N seconds (default 60), one after the other
#   make fuzz-smoke            every target 20 s from its seeds (CI: about 1 minute + the build)
#   make fuzz-<target>         e.g. make fuzz-fuzz_model SECONDS=900
#   make fuzz-build            build only
#   make fuzz-merge-<target>   minimise the working corpus into tests/fuzz/corpus/<target>/
FUZZ_CC      ?= clang
FUZZ_BUILD   := build-fuzz
FUZZ_SAN     := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := $(WARN) -O1 -g $(FUZZ_SAN) -DANUVAD_DATADIR='"$(PREFIX)/share/anuvad"'
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_TARGETS := $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
SECONDS      ?= 60
FUZZ_JOBS_FLAGS ?= -rss_limit_mb=2048 -timeout=20 -max_len=400000
FUZZ_SMOKE_SECONDS ?= 20

.PHONY: fuzz fuzz-build fuzz-smoke $(FUZZ_TARGETS:%=fuzz-%) $(FUZZ_TARGETS:%=fuzz-merge-%)

fuzz-build: $(FUZZ_BINS)  ## build the fuzz targets only

.SECONDARY: $(FUZZ_LIB_OBJ)

$(FUZZ_BUILD)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -Isrc -c -o $@ $<
-include $(FUZZ_LIB_OBJ:.o=.d)

$(FUZZ_BUILD)/%: tests/fuzz/%.c tests/fuzz/common.h $(FUZZ_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(FUZZ_LIB_OBJ) $(LDLIBS)

# Seed corpora from the committed fixtures (and the default model when it exists).
FUZZ_SEED_fuzz_model    := $(wildcard tests/fixtures/engine/*.gguf)
FUZZ_SEED_fuzz_spm_load := $(wildcard tests/fixtures/spm/*.model)
FUZZ_SEED_fuzz_hf_model := $(wildcard tests/fixtures/hf/*.gguf)
# Text targets: a longer input only tokenizes longer (the source is cut to the positions).
FUZZ_FLAGS_fuzz_beam    := -max_len=2048
FUZZ_FLAGS_fuzz_score   := -max_len=2048
tests/fuzz/corpus-%:
	@mkdir -p $@
	@for f in $(FUZZ_SEED_$*) $(wildcard tests/fuzz/regress/$*/*); do cp $$f $@/seed-$$(basename $$f); done
	@if [ $* = fuzz_spm_text ]; then i=0; while IFS= read -r l; do i=$$((i + 1)); \
	    [ $$i -gt 400 ] && break; printf '%s\n' "$$l" > $@/seed-line$$i; done < tests/fixtures/spm/lines.txt; fi

$(FUZZ_TARGETS:%=fuzz-%): fuzz-%: $(FUZZ_BUILD)/% tests/fuzz/corpus-%
	@mkdir -p $(FUZZ_BUILD)/crash
	nice -n 10 $(FUZZ_BUILD)/$* $(FUZZ_JOBS_FLAGS) $(FUZZ_FLAGS_$*) -max_total_time=$(SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/crash/$*- tests/fuzz/corpus-$* \
	    $(wildcard tests/fuzz/corpus/$* tests/fuzz/regress/$*)

# The committed corpus is rebuilt from scratch (-merge=1 into an empty directory): the
# smallest inputs that keep the coverage of the committed and the working corpora together.
$(FUZZ_TARGETS:%=fuzz-merge-%): fuzz-merge-%: $(FUZZ_BUILD)/% tests/fuzz/corpus-%
	rm -rf $(FUZZ_BUILD)/merge-$* && mkdir -p $(FUZZ_BUILD)/merge-$* tests/fuzz/corpus/$*
	nice -n 10 $(FUZZ_BUILD)/$* -merge=1 $(FUZZ_JOBS_FLAGS) $(FUZZ_FLAGS_$*) $(FUZZ_BUILD)/merge-$* \
	    tests/fuzz/corpus/$* tests/fuzz/corpus-$*
	rm -rf tests/fuzz/corpus/$* && mv $(FUZZ_BUILD)/merge-$* tests/fuzz/corpus/$*

##  fuzz-<target>      one fuzz target, SECONDS=N (default 60): e.g. fuzz-fuzz_model
fuzz: $(FUZZ_TARGETS:%=fuzz-%)  ## every fuzz target SECONDS=N each (default 60)

fuzz-smoke: $(FUZZ_BINS)  ## every fuzz target 20 s from its seeds (CI)
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=fuzz-%) SECONDS=$(FUZZ_SMOKE_SECONDS)
