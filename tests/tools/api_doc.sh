#!/bin/sh
# The program that opens docs/api.md, built against an installed tree the way the page says
# (pkg-config, shared; and static) and run on the default model: it must print what
# ./anuvad prints. Usage: api_doc.sh ROOT PREFIX (ROOT: a `make install DESTDIR=ROOT` tree);
# $CC and $CFLAGS as the library was built (sanitizers must match). Run by make doc-test.
set -u
ROOT=$1 PREFIX=$2
CC=${CC:-cc}
. tests/tools/cli_lib.sh

awk '/^```c$/ { inside = 1; next } /^```$/ { if (inside) exit } inside' docs/api.md > "$T/translate.c"
check_eq "$(grep -c 'int main' "$T/translate.c")" 1 "docs/api.md opens with one C program"
export PKG_CONFIG_PATH="$ROOT$PREFIX/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$ROOT"
pkg-config --exists anuvad || fail "pkg-config does not find the installed anuvad.pc"
# shellcheck disable=SC2046,SC2086
$CC $CFLAGS "$T/translate.c" $(pkg-config --cflags --libs anuvad) -o "$T/shared" ||
    fail "the program does not build against the shared library"
# shellcheck disable=SC2046,SC2086
$CC $CFLAGS "$T/translate.c" $(pkg-config --cflags anuvad) \
    $(pkg-config --static --libs anuvad | sed 's/-lanuvad/-Wl,-Bstatic -lanuvad -Wl,-Bdynamic/') \
    -o "$T/static" || fail "the program does not build against the static library"
LD_LIBRARY_PATH="$ROOT$PREFIX/lib" ldd "$T/shared" | grep -q "$ROOT$PREFIX/lib/libanuvad.so" ||
    fail "the shared build does not use the installed libanuvad.so"
M="$ROOT$PREFIX/share/anuvad/en-hi.gguf"
for s in "we are friends" "the boy eats an apple ."; do
    want=$(./anuvad -q -m "$M" "$s")
    for kind in shared static; do
        got=$(LD_LIBRARY_PATH="$ROOT$PREFIX/lib" "$T/$kind" "$M" "$s" 2> "$T/err")
        check_eq $? 0 "$kind: exit"
        check_eq "$got" "$want" "$kind: translation of \"$s\""
        grep -q "^score -[0-9.]* over [0-9]* tokens$" "$T/err" || fail "$kind: no score: $(cat "$T/err")"
    done
done
"$T/static" 2> "$T/err"
check_eq $? 1 "no arguments: exit"
LD_LIBRARY_PATH="$ROOT$PREFIX/lib" "$T/shared" "$T/missing.gguf" "we" 2> "$T/err"
check_eq $? 2 "missing model: exit"

# The second program (token-list input): a sentence's pieces translate as the sentence.
awk '/^```c$/ { k++; if (k == 2) { inside = 1; next } } /^```$/ { if (inside) exit } inside' \
    docs/api.md > "$T/pieces.c"
check_eq "$(grep -c 'anuvad_translate_tokens' "$T/pieces.c")" 1 "docs/api.md's second program"
# shellcheck disable=SC2046,SC2086
$CC $CFLAGS "$T/pieces.c" $(pkg-config --cflags --libs anuvad) -o "$T/pieces" ||
    fail "the pieces program does not build against the shared library"
for s in "we are friends" "What does a parrot like?"; do
    # shellcheck disable=SC2046
    got=$(LD_LIBRARY_PATH="$ROOT$PREFIX/lib" "$T/pieces" "$M" $(./anuvad tokenize -m "$M" "$s") 2> "$T/err")
    check_eq $? 0 "pieces: exit"
    check_eq "$got" "$(./anuvad -q -m "$M" "$s")" "pieces: translation of the pieces of \"$s\""
    grep -q '^▁.* </s> $' "$T/err" || fail "pieces: the output pieces: $(cat "$T/err")"
done
LD_LIBRARY_PATH="$ROOT$PREFIX/lib" "$T/pieces" 2> "$T/err"
check_eq $? 1 "pieces: no arguments: exit"

[ $fails -eq 0 ] && echo "api_doc.sh: all passed" || { echo "api_doc.sh: $fails failed"; exit 1; }
