# make soak [SOAK_N=1000000]: a long mixed-input run through -t 2 with its checks
# (tests/tools/soak.sh). Not in make test or CI: a million lines take over an hour on 2 cores.
SOAK_N ?= 1000000
.PHONY: soak
soak: anuvad
	sh tests/tools/soak.sh $(SOAK_N)
