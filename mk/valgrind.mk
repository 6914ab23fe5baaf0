# The CLI tests (tests/cli/*.sh) with ./anuvad run under valgrind: any invalid access or leak
# (definite, indirect, possible) makes that anuvad exit 99, which the test's exit-code checks
# catch. ROBUST_REPS shrinks the big batch of tests/cli/robust_input.sh and PARITY_LINES the
# default model's parity run (valgrind is ~50x slower, far more on the AVX2 kernels). The
# ulimit -v case skips itself (valgrind needs the address space).
#   make valgrind
VALGRIND_WRAP := build/valgrind/anuvad
VALGRIND_OPTS ?= -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --track-fds=no
.PHONY: valgrind
valgrind: anuvad
	@mkdir -p $(dir $(VALGRIND_WRAP))
	@printf '#!/bin/sh\nexec valgrind $(VALGRIND_OPTS) "%s/anuvad" "$$@"\n' "$(CURDIR)" > $(VALGRIND_WRAP)
	@chmod 755 $(VALGRIND_WRAP)
	@set -e; for t in $(wildcard tests/cli/*.sh); do echo "== $$t (valgrind)"; \
	    ANUVAD=$(VALGRIND_WRAP) ROBUST_REPS=10 PARITY_LINES=20 nice -n 10 sh $$t; done
