# Tests. `make test`: the Check unit tests, the CLI tests and the program of docs/api.md. The
# rest are slower or need more tools: sanitizers, valgrind, every allocation failure, a soak.
.PHONY: test test-build unit-test cli-test doc-test page-deps oom-full valgrind sanitize-spm valgrind-spm \
        check-spm-lib robustness-table soak

test: unit-test cli-test doc-test  ## the three below (what CI runs first, plain and with sanitizers)

# Everything make test compiles, so that it can be built in parallel first (make -j2 test-build;
# .ci/run does) while the tests themselves run one at a time.
test-build: all $(TEST_BIN)  ## build what make test runs, without running it

unit-test: $(TEST_BIN)  ## the Check unit tests (tests/unit/test_*.c)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $$t; done

cli-test: anuvad  ## the CLI tests (tests/cli/*.sh)
	@set -e; for t in $(wildcard tests/cli/*.sh); do echo "== $$t"; ANUVAD=./anuvad sh $$t; done

# The program that opens docs/api.md, built and run against a `make install DESTDIR=...` tree.
DOC_ROOT = $(CURDIR)/$(BUILD)/doc-root
doc-test: all  ## build and run docs/api.md's program against an installed tree
	@echo "== tests/tools/api_doc.sh"
	@rm -rf $(DOC_ROOT)
	@$(MAKE) --no-print-directory install DESTDIR=$(DOC_ROOT) > /dev/null
	@CC="$(CC)" CFLAGS="$(WARN) $(EXTRA_CFLAGS)" sh tests/tools/api_doc.sh $(DOC_ROOT) $(PREFIX)

# The browser test of --html (tests/cli/html_page.sh) drives Debian's chromium with npm's
# playwright-core, installed here into .node/ (git-ignored; `make clean` keeps it).
PLAYWRIGHT_VERSION ?= 1.56.1
page-deps:  ## playwright-core into .node/, for the --html browser test (needs npm)
	@[ -d .node/node_modules/playwright-core ] || npm install --prefix .node --no-audit --no-fund --silent playwright-core@$(PLAYWRIGHT_VERSION)

$(BUILD)/tests/%: tests/unit/%.c libanuvad.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -Isrc -Itests/unit -o $@ $< libanuvad.a $(CHECK_LIBS) $(LDLIBS)
-include $(TEST_BIN:=.d)

# The unit test of the step view links the CLI objects (all but main.o), which the generic
# rule does not; an explicit rule wins over the pattern.
VIEW_TEST_OBJ := $(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ))
$(BUILD)/tests/test_view: tests/unit/test_view.c $(VIEW_TEST_OBJ) libanuvad.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -Isrc -Itests/unit -o $@ $< $(VIEW_TEST_OBJ) libanuvad.a $(CHECK_LIBS) $(LDLIBS)

# Allocation failures (tests/unit/test_oom.c): the library's malloc, calloc, realloc,
# aligned_alloc, strdup and strndup, and its other calls that can fail (pthread_create, mmap,
# fopen), are wrapped by the linker so the test can fail the Nth call. make test runs it over
# every failure point with a sample of the hostile lines; oom-full over all of them.
OOM_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=aligned_alloc,--wrap=strdup,--wrap=strndup \
            -Wl,--wrap=pthread_create,--wrap=mmap,--wrap=fopen
$(BUILD)/tests/test_oom: LDLIBS += $(OOM_WRAP)
oom-full: $(BUILD)/tests/test_oom  ## every allocation failure point over all hostile lines (3 min)
	OOM_FULL=1 OOM_REPORT=1 $(BUILD)/tests/test_oom

# The CLI tests with ./anuvad under valgrind: any invalid access or leak (definite, indirect,
# possible) makes that anuvad exit 99, which the tests' exit-code checks catch. ROBUST_REPS
# shrinks the big batch of tests/cli/robust_input.sh and PARITY_LINES the default model's
# parity run (valgrind is ~50x slower, far more on the AVX2 kernels). The ulimit -v case skips
# itself (valgrind needs the address space).
VALGRIND_WRAP := build/valgrind/anuvad
VALGRIND_OPTS ?= -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --track-fds=no
valgrind: anuvad  ## the CLI tests with ./anuvad under valgrind
	@mkdir -p $(dir $(VALGRIND_WRAP))
	@printf '#!/bin/sh\nexec valgrind $(VALGRIND_OPTS) "%s/anuvad" "$$@"\n' "$(CURDIR)" > $(VALGRIND_WRAP)
	@chmod 755 $(VALGRIND_WRAP)
	@set -e; for t in $(wildcard tests/cli/*.sh); do echo "== $$t (valgrind)"; \
	    ANUVAD=$(VALGRIND_WRAP) ROBUST_REPS=10 PARITY_LINES=20 nice -n 10 sh $$t; done

# The tokenizer tests under AddressSanitizer+UBSan and under valgrind (engine-free: only the
# tokenizer sources), and the whole suite against libsentencepiece (SPM=1). libanuvad.a and
# ./anuvad live in the root for both builds, so they are removed around the SPM=1 run.
SPM_TESTS := test_pb test_spm test_spm_malformed
SPM_SRC := src/err.c src/engine/gguf.c $(wildcard src/spm/*.c)
sanitize-spm:  ## the tokenizer's unit tests under ASan and UBSan
	@mkdir -p build-san
	@set -e; for t in $(SPM_TESTS); do \
	  clang $(WARN) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc -Itests/unit \
	    $(CHECK_CFLAGS) -o build-san/$$t tests/unit/$$t.c $(SPM_SRC) $(CHECK_LIBS) -lm; \
	  echo "== $$t (asan+ubsan)"; nice -n 10 build-san/$$t; done

valgrind-spm:  ## the tokenizer's unit tests under valgrind
	@mkdir -p build-san
	@set -e; for t in $(SPM_TESTS); do \
	  $(CC) $(WARN) -O1 -gdwarf-4 -Isrc -Itests/unit $(CHECK_CFLAGS) -o build-san/$$t-vg \
	    tests/unit/$$t.c $(SPM_SRC) $(CHECK_LIBS) -lm; \
	  echo "== $$t (valgrind)"; CK_FORK=no nice -n 10 valgrind -q --error-exitcode=9 \
	    --leak-check=full build-san/$$t-vg; done

check-spm-lib:  ## make test with libsentencepiece in place of src/spm/ (SPM=1)
	rm -f libanuvad.a libanuvad.so anuvad
	$(MAKE) SPM=1 test; rc=$$?; rm -f libanuvad.a libanuvad.so anuvad; exit $$rc

# docs/robustness.md's bad-input tables are the output of the CLI tests that exercise each
# row: tests/cli/robust_model.sh and robust_input.sh append a markdown row per case to
# $ROBUST_TABLE; this rewrites the generated parts of the doc.
robustness-table: anuvad  ## regenerate docs/robustness.md's tables from the CLI tests
	@rm -f build/robust-model.md build/robust-input.md; mkdir -p build
	@ROBUST_TABLE=build/robust-model.md ANUVAD=./anuvad sh tests/cli/robust_model.sh
	@ROBUST_TABLE=build/robust-input.md ANUVAD=./anuvad sh tests/cli/robust_input.sh
	@{ sed '/^<!-- table: model -->$$/q' docs/robustness.md; \
	   echo '| input | exit | stderr (first line) |'; echo '|---|---|---|'; cat build/robust-model.md; \
	   echo; sed -n '/^<!-- end: model -->$$/,/^<!-- table: input -->$$/p' docs/robustness.md; \
	   echo '| input | exit | stderr (first line); what comes out |'; echo '|---|---|---|'; cat build/robust-input.md; \
	   echo; sed -n '/^<!-- end: input -->$$/,$$p' docs/robustness.md; } > build/robustness.md
	@mv build/robustness.md docs/robustness.md
	@echo "docs/robustness.md: $$(cat build/robust-model.md build/robust-input.md | wc -l) rows"

# make soak [SOAK_N=1000000]: a long mixed-input run through -t 2 with its checks
# (tests/tools/soak.sh). Not in make test or CI: a million lines take over an hour on 2 cores.
SOAK_N ?= 1000000
soak: anuvad  ## SOAK_N mixed lines (default 1,000,000) through -t 2, with checks (hours)
	sh tests/tools/soak.sh $(SOAK_N)
