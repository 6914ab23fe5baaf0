# Allocation-failure test (tests/unit/test_oom.c): the library's malloc, calloc, realloc and
# aligned_alloc are wrapped by the linker so the test can fail the Nth call. make test runs it
# over every failure point with a sample of the hostile lines; oom-full over all of them.
OOM_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=aligned_alloc
$(BUILD)/tests/test_oom: LDLIBS += $(OOM_WRAP)

.PHONY: oom-full
oom-full: $(BUILD)/tests/test_oom
	OOM_FULL=1 OOM_REPORT=1 $(BUILD)/tests/test_oom
