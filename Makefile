# anuvad — build, test, fixtures, model, bench.
# Sources are picked up by wildcard so that a new file needs no Makefile edit:
#   src/*.c src/engine/*.c src/spm/*.c -> libanuvad.a   (the library: no printing, no exit)
#   src/cli/*.c src/cli/view/*.c       -> ./anuvad      (front ends)
#   tests/unit/test_*.c -> build/tests/test_*  (Check unit tests, each its own binary)
#   tests/cli/*.sh      -> run by `make test` with ./anuvad built
PYTHON  ?= /usr/bin/python3
CC      ?= cc
PREFIX  ?= /usr/local
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN    := -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ALL_CFLAGS = $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -DANUVAD_DATADIR='"$(PREFIX)/share/anuvad"'
LDLIBS  := -lm -lpthread
BUILD   := build

LIB_SRC := $(wildcard src/*.c src/engine/*.c src/spm/*.c)
CLI_SRC := $(wildcard src/cli/*.c src/cli/view/*.c)
TEST_SRC := $(wildcard tests/unit/test_*.c)

# Optional: tokenize with Debian's libsentencepiece instead of src/spm/ (make SPM=1): the
# folder is left out whole and src/optional/spm_lib.cc implements spm.h (mk/spm.mk).
ifeq ($(SPM),1)
LIB_SRC := $(filter-out src/spm/%,$(LIB_SRC))
TEST_SRC := $(filter-out tests/unit/test_pb.c,$(TEST_SRC))
SPM_LIBS := $(shell pkg-config --libs sentencepiece 2>/dev/null || echo -lsentencepiece) -lstdc++
LDLIBS += $(SPM_LIBS)
BUILD := build-spm
endif

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
# The library's objects serve libanuvad.a and libanuvad.so: position-independent, and calls
# inside the library may still be inlined (no interposition of its own functions).
$(LIB_OBJ): PIC := -fPIC -fno-semantic-interposition
VERSION := $(shell sed -n 's/^\#define ANUVAD_VERSION "\(.*\)"/\1/p' src/anuvad.h)
SONAME  := libanuvad.so.$(firstword $(subst ., ,$(VERSION)))
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt)

.PHONY: all test unit-test cli-test doc-test fixtures install clean
all: anuvad libanuvad.a libanuvad.so

libanuvad.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Only the API of anuvad.h is exported (src/anuvad.map).
libanuvad.so: $(LIB_OBJ) src/anuvad.map
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/anuvad.map \
	    -o $@ $(LIB_OBJ) $(LDLIBS)

anuvad: $(CLI_OBJ) libanuvad.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) libanuvad.a $(LDLIBS)

# Headers: the dependency files the compiler writes (-MMD), one per object.
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PIC) -MMD -MP -Isrc -c -o $@ $<
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

$(BUILD)/tests/%: tests/unit/%.c libanuvad.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -Isrc -Itests/unit -o $@ $< libanuvad.a $(CHECK_LIBS) $(LDLIBS)
-include $(TEST_BIN:=.d)

test: unit-test cli-test doc-test

unit-test: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $$t; done

cli-test: anuvad
	@set -e; for t in $(wildcard tests/cli/*.sh); do echo "== $$t"; ANUVAD=./anuvad sh $$t; done

# The program that opens docs/api.md, built and run against a `make install DESTDIR=...` tree.
DOC_ROOT = $(CURDIR)/$(BUILD)/doc-root
doc-test: all
	@echo "== tests/tools/api_doc.sh"
	@rm -rf $(DOC_ROOT)
	@$(MAKE) --no-print-directory install DESTDIR=$(DOC_ROOT) > /dev/null
	@CC="$(CC)" CFLAGS="$(WARN) $(EXTRA_CFLAGS)" sh tests/tools/api_doc.sh $(DOC_ROOT) $(PREFIX)

# Reference values from independent implementations (PyTorch, libsentencepiece).
# Needs python3-torch and python3-sentencepiece; the outputs are committed.
fixtures:
	@set -e; for s in $(wildcard scripts/fixtures_*.py); do echo "== $$s"; $(PYTHON) $$s; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/share/anuvad
	install -m 755 anuvad $(DESTDIR)$(PREFIX)/bin/anuvad
	install -m 644 libanuvad.a $(DESTDIR)$(PREFIX)/lib/libanuvad.a
	install -m 755 libanuvad.so $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libanuvad.so
	install -m 644 src/anuvad.h $(DESTDIR)$(PREFIX)/include/anuvad.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@LIBS@|$(LDLIBS)|' \
	    src/anuvad.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/anuvad.pc
	install -m 644 models/en-hi.gguf $(DESTDIR)$(PREFIX)/share/anuvad/en-hi.gguf

clean:
	rm -rf build build-spm build-san anuvad libanuvad.a libanuvad.so

-include mk/*.mk
