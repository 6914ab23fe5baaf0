# --html: the page template is an HTML file, compiled in as an array of its lines (each line
# a C string literal: backslashes and quotes escaped by awk).
$(BUILD)/gen/view_page_html.c: src/cli/view_page.html
	@mkdir -p $(dir $@)
	awk 'BEGIN { print "/* generated from src/cli/view_page.html by mk/view.mk */"; \
	             print "const char *const view_page_html[] = {" } \
	     { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); print "    \"" $$0 "\\n\"," } \
	     END { print "    0};" }' $< > $@
$(BUILD)/gen/view_page_html.o: $(BUILD)/gen/view_page_html.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
anuvad: $(BUILD)/gen/view_page_html.o
CLI_OBJ += $(BUILD)/gen/view_page_html.o

# Step view (issue 5): the unit test of the front-end code links the CLI objects (all but
# main.o), which the generic tests/unit rule does not; an explicit rule wins over the pattern.
VIEW_TEST_OBJ := $(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ))

$(BUILD)/tests/test_view: tests/unit/test_view.c $(VIEW_TEST_OBJ) libanuvad.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Isrc -Isrc/cli -Itests/unit -o $@ $< $(VIEW_TEST_OBJ) libanuvad.a $(CHECK_LIBS) $(LDLIBS)

# Alignment error rate of each decoder layer and reading on a test split (needs the default
# model): make aer [AER_TSV=tests/fixtures/en-hi-test.tsv] [AER_MODEL=models/en-hi.gguf]
AER_TSV ?= tests/fixtures/en-hi-test.tsv
AER_MODEL ?= models/en-hi.gguf
.PHONY: aer
$(BUILD)/tools/align_all: tests/tools/align_all.c $(VIEW_TEST_OBJ) libanuvad.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -Isrc/cli -o $@ $< $(VIEW_TEST_OBJ) libanuvad.a $(LDLIBS)

aer: anuvad $(BUILD)/tools/align_all
	$(PYTHON) scripts/aer.py --model $(AER_MODEL) --tsv $(AER_TSV) --tool $(BUILD)/tools/align_all


# The browser test of --html (tests/cli/html_page.sh) drives Debian's chromium with npm's
# playwright-core, installed here into .node/ (git-ignored; `make clean` keeps it).
PLAYWRIGHT_VERSION ?= 1.56.1
.PHONY: page-deps
page-deps:
	@[ -d .node/node_modules/playwright-core ] || npm install --prefix .node --no-audit --no-fund --silent playwright-core@$(PLAYWRIGHT_VERSION)
