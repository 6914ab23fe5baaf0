# Step view (issue 5): the unit test of the front-end code links the CLI objects (all but
# main.o), which the generic tests/unit rule does not; an explicit rule wins over the pattern.
VIEW_TEST_OBJ := $(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ))

$(BUILD)/tests/test_view: tests/unit/test_view.c $(VIEW_TEST_OBJ) libanuvad.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -Isrc -Itests/unit -o $@ $< $(VIEW_TEST_OBJ) libanuvad.a $(CHECK_LIBS) $(LDLIBS)

# Alignment error rate of each decoder layer and reading on a test split (needs the default
# model): make aer [AER_TSV=tests/fixtures/en-hi-test.tsv] [AER_MODEL=models/en-hi.gguf]
AER_TSV ?= tests/fixtures/en-hi-test.tsv
AER_MODEL ?= models/en-hi.gguf
.PHONY: aer
$(BUILD)/tools/align_all: tests/tools/align_all.c $(VIEW_TEST_OBJ) libanuvad.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(VIEW_TEST_OBJ) libanuvad.a $(LDLIBS)

aer: anuvad $(BUILD)/tools/align_all
	$(PYTHON) scripts/aer.py --model $(AER_MODEL) --tsv $(AER_TSV) --tool $(BUILD)/tools/align_all
