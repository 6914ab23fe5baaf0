# Building and installing: the library's objects are compiled once, position-independent, and
# serve both libanuvad.a and libanuvad.so; ./anuvad links the static one.
.PHONY: install clean format

# Calls inside the library may still be inlined (no interposition of its own functions).
$(LIB_OBJ): PIC := -fPIC -fno-semantic-interposition
SONAME := libanuvad.so.$(firstword $(subst ., ,$(VERSION)))

# --html: the page template is an HTML file, compiled in as an array of its lines (each line
# a C string literal: backslashes and quotes escaped by awk).
CLI_OBJ += $(BUILD)/gen/view_page_html.o
$(BUILD)/gen/view_page_html.c: src/cli/view/view_page.html
	@mkdir -p $(dir $@)
	awk 'BEGIN { print "/* generated from src/cli/view/view_page.html by mk/build.mk */"; \
	             print "const char *const view_page_html[] = {" } \
	     { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); print "    \"" $$0 "\\n\"," } \
	     END { print "    0};" }' $< > $@
$(BUILD)/gen/view_page_html.o: $(BUILD)/gen/view_page_html.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

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

# make SPM=1: the C++ wrapper over libsentencepiece (needs libsentencepiece-dev) in place of
# src/spm/.
CXX ?= c++
SPM_CXXFLAGS = -std=c++17 -O2 -g -Wall -Wextra -Werror -Isrc
ifeq ($(SPM),1)
libanuvad.a libanuvad.so: $(BUILD)/src/optional/spm_lib.o
LIB_OBJ += $(BUILD)/src/optional/spm_lib.o
$(BUILD)/src/optional/spm_lib.o: src/optional/spm_lib.cc src/spm/spm.h
	@mkdir -p $(dir $@)
	$(CXX) $(SPM_CXXFLAGS) -fPIC -c -o $@ $<
endif

install: all  ## the binary, libraries, anuvad.h, anuvad.pc and the model under $(DESTDIR)$(PREFIX)
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

clean:  ## every build output (the fuzz corpora stay)
	rm -rf build build-spm build-san build-fuzz anuvad libanuvad.a libanuvad.so

FORMAT_SRC = $(wildcard src/*.[ch] src/*/*.[ch] src/*/*/*.[ch] src/optional/*.cc tests/*/*.[ch] \
                        tests/bench/*.cc)
format:  ## clang-format every C source in place (.clang-format; needs clang-format)
	clang-format -i $(FORMAT_SRC)
