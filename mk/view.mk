# Step view (issue 5): the unit test of the front-end code links the CLI objects (all but
# main.o), which the generic tests/unit rule does not; an explicit rule wins over the pattern.
VIEW_TEST_OBJ := $(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ))

$(BUILD)/tests/test_view: tests/unit/test_view.c $(VIEW_TEST_OBJ) libanuvad.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Isrc -Isrc/cli -Itests/unit -o $@ $< $(VIEW_TEST_OBJ) libanuvad.a $(CHECK_LIBS) $(LDLIBS)
