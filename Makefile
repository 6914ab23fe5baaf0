# anuvad — `make help` lists the targets. The rules live in mk/, one fragment per concern:
#   mk/build.mk  libanuvad.a, libanuvad.so, ./anuvad, install, clean (and the SPM=1 variant)
#   mk/test.mk   make test (unit, CLI, docs/api.md), sanitizers, valgrind, allocation failures
#   mk/fuzz.mk   the libFuzzer targets
#   mk/model.mk  the default model, the reference fixtures, the alignment error rate
#   mk/bench.mk  speed against the PyTorch reference and libsentencepiece
#   mk/python.mk the Python package (python/) and the Spark recipe: their tests need PyPI
#   mk/peers.mk  make bench-peers: CTranslate2 and ONNX Runtime on the same weights (PyPI once)
# Sources are picked up by wildcard so that a new file needs no Makefile edit:
#   src/*.c src/engine/*.c src/spm/*.c -> libanuvad.a, libanuvad.so (the library)
#   src/cli/*.c src/cli/view/*.c       -> ./anuvad (the command line, over anuvad.h only)
#   tests/unit/test_*.c -> build/tests/test_* (Check unit tests, each its own binary)
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
# folder is left out whole and src/optional/spm_lib.cc implements spm.h (mk/build.mk).
ifeq ($(SPM),1)
LIB_SRC := $(filter-out src/spm/%,$(LIB_SRC))
TEST_SRC := $(filter-out tests/unit/test_pb.c,$(TEST_SRC))
SPM_LIBS := $(shell pkg-config --libs sentencepiece 2>/dev/null || echo -lsentencepiece) -lstdc++
LDLIBS += $(SPM_LIBS)
BUILD := build-spm
endif

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt)
VERSION := $(shell sed -n 's/^\#define ANUVAD_VERSION "\(.*\)"/\1/p' src/anuvad.h)

.PHONY: all help
all: anuvad libanuvad.a libanuvad.so  ## ./anuvad and the libraries (the default)

# A target is listed by a `## what it does` at the end of its rule line; targets whose names
# are computed are listed by a line that starts with `##`.
help:  ## this list
	@awk '/^[a-zA-Z][a-zA-Z0-9_.-]*:.*  ## / { i = index($$0, "  ## "); split($$0, t, ":"); \
	        printf "  %-18s %s\n", t[1], substr($$0, i + 5) } \
	      /^##  / { print "  " substr($$0, 5) }' $(MAKEFILE_LIST)

include mk/build.mk mk/test.mk mk/fuzz.mk mk/model.mk mk/bench.mk mk/search.mk mk/python.mk \
        mk/peers.mk
