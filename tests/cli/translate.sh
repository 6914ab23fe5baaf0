#!/bin/sh
# CLI translation: reference outputs end to end (tokenize, translate, detokenize), one output
# line per input line, -t 1 == -t 2, exit codes, one-line errors. POSIX sh; run by make test
# with ANUVAD=./anuvad.
set -u
A=${ANUVAD:-./anuvad}
FIX=tests/fixtures/engine
M=$FIX/cli_tiny.gguf
. tests/tools/cli_lib.sh

# Reference translations of the tiny random model (scripts/fixtures_engine.py).
cut -f1 $FIX/cli_tiny.tsv > "$T/in"
cut -f2 $FIX/cli_tiny.tsv > "$T/want"
"$A" -q -m $M < "$T/in" > "$T/out" 2>"$T/err"
check_eq $? 0 "stdin exit"
cmp -s "$T/out" "$T/want" || fail "stdin translations differ from the reference: $(diff "$T/out" "$T/want" | head -5)"

# Arguments: one line each, same as stdin.
"$A" -m $M "we are friends" "the dog runs" > "$T/out2"
check_eq "$(cat "$T/out2")" "$(head -2 "$T/want")" "argument translations"

# Exactly N lines out for N in, empty lines stay empty, CRLF tolerated.
printf 'we are friends\n\n   \nthe dog runs\r\nxyz' > "$T/in3"
"$A" -m $M < "$T/in3" > "$T/out3" 2>/dev/null
check_eq "$(wc -l < "$T/out3" | tr -d ' ')" 5 "line count"
check_eq "$(sed -n 2p "$T/out3")" "" "empty line"
check_eq "$(sed -n 3p "$T/out3")" "" "blank line"
check_eq "$(sed -n 4p "$T/out3")" "$(sed -n 2p "$T/want")" "CRLF line"
: > "$T/empty"
check_eq "$("$A" -m $M < "$T/empty" | wc -c | tr -d ' ')" 0 "no input, no output"

# A subcommand may follow options ("anuvad -m X step TEXT" = "anuvad step -m X TEXT"); after
# "--" the word is text to translate.
check_eq "$("$A" -m $M step "we are friends" 2>&1)" "$("$A" step -m $M "we are friends" 2>&1)" \
    "options before step"
check_eq "$("$A" -q -m $M info 2>&1 | head -1)" "$("$A" info -m $M 2>&1 | head -1)" \
    "options before info"
"$A" -q -m $M step > /dev/null 2>&1
check_eq $? 1 "step with options first and no text is a usage error"
check_eq "$("$A" -q -m $M -- step | wc -l | tr -d ' ')" 1 "-- step is translated"

# Thread count does not change the output.
"$A" -t 1 -m $M < "$T/in" > "$T/t1" 2>/dev/null
"$A" -t 2 -m $M < "$T/in" > "$T/t2" 2>/dev/null
"$A" --threads=3 -m $M < "$T/in" > "$T/t3" 2>/dev/null
cmp -s "$T/t1" "$T/t2" && cmp -s "$T/t1" "$T/t3" || fail "-t 1, -t 2, -t 3 differ"

# A source longer than the model's positions is truncated with a warning; -q silences it.
"$A" -m $M "$(sed -n 5p "$T/in")" > /dev/null 2>"$T/err"
check_eq $? 0 "long line exit"
grep -q "warning: argument 1: source truncated" "$T/err" || fail "no truncation warning: $(cat "$T/err")"
check_eq "$("$A" -q -m $M "$(sed -n 5p "$T/in")" 2>&1 >/dev/null)" "" "-q keeps stderr quiet"

# --max-len caps the output.
check_eq "$("$A" -m $M --max-len 3 "the dog runs" 2>/dev/null)" "ooo" "--max-len 3"
# ... and says so: an output that stops at the limit, not at </s>, may be cut mid-sentence.
"$A" -m $M --max-len 3 "the dog runs" 2>&1 >/dev/null |
    grep -q "^anuvad: warning: argument 1: output cut at the length limit (3 tokens)" ||
    fail "--max-len 3: no warning that the output was cut"
D=models/en-hi.gguf
if [ -f $D ]; then   # a model that ends its sentences: no warning without the limit
    check_eq "$("$A" -m $D "we are friends" 2>&1 >/dev/null)" "" "default model: warnings"
    "$A" -m $D --max-len 2 "we are friends" 2>&1 >/dev/null | grep -q "output cut at the length limit (2 tokens)" ||
        fail "default model --max-len 2: no warning"
fi

# Usage errors: exit 1, one line on stderr.
"$A" -m > /dev/null 2>"$T/err"
check_eq $? 1 "exit for -m without a value"
check_eq "$(cat "$T/err")" "anuvad: -m needs a value" "-m without a value"
for args in "--bogus" "-t 0" "-t 300" "-t x" "--max-len 0" "--quiet=1" "--model="; do
    # shellcheck disable=SC2086
    "$A" -m $M $args "we" > /dev/null 2>"$T/err" < /dev/null
    rc=$?
    check_eq $rc 1 "exit for $args"
    check_eq "$(wc -l < "$T/err" | tr -d ' ')" 1 "one error line for $args"
done

# Bad model: exit 2 and a message naming the file.
"$A" -m "$T/nope.gguf" "we" > /dev/null 2>"$T/err"
check_eq $? 2 "missing model exit"
check_eq "$(cat "$T/err")" "anuvad: $T/nope.gguf: No such file or directory" "missing model message"
printf 'GGUF\3\0\0\0' > "$T/bad.gguf"
"$A" -m "$T/bad.gguf" "we" > /dev/null 2>"$T/err"
check_eq $? 2 "truncated model exit"
grep -q "truncated file" "$T/err" || fail "truncated model message: $(cat "$T/err")"
"$A" -m $FIX/post_relu_sin_f32.gguf "we" > /dev/null 2>"$T/err"
check_eq $? 2 "model without tokenizer exit"
grep -q "tokenizer.source.spm" "$T/err" || fail "empty tokenizer message: $(cat "$T/err")"

# No model anywhere: the message says what was tried. (A copy of the binary in an empty
# directory, so that models/ next to it or in the current directory is not found; skipped
# where a model is installed at the default prefix.)
# (Under make valgrind, $A is a wrapper script that runs ./anuvad: copy the binary itself.)
BIN=$A
[ "$(head -c 2 "$A")" = "#!" ] && BIN=./anuvad
mkdir "$T/bin" && cp "$BIN" "$T/bin/anuvad"
if [ -e /usr/local/share/anuvad/en-hi.gguf ]; then
    echo "translate.sh: no-model check skipped (/usr/local/share/anuvad/en-hi.gguf exists)"
else
    (cd "$T" && ANUVAD_MODEL= "$T/bin/anuvad" "we" > /dev/null 2>"$T/err")
    check_eq $? 2 "no default model exit"
    grep -q "no model found" "$T/err" || fail "no-model message: $(cat "$T/err")"
fi
# $ANUVAD_MODEL is used when -m is not given.
check_eq "$(ANUVAD_MODEL=$M "$A" "we are friends")" "$(head -1 "$T/want")" "ANUVAD_MODEL"

# --help and --version go to stdout and exit 0.
"$A" --help > "$T/help" 2>&1
check_eq $? 0 "--help exit"
grep -q "^usage: anuvad" "$T/help" || fail "--help text"
check_eq "$("$A" --version)" "anuvad $(sed -n 's/#define ANUVAD_VERSION "\(.*\)"/\1/p' src/anuvad.h)" "--version"

# info: the model card.
"$A" info -m $M > "$T/info"
check_eq $? 0 "info exit"
grep -q "^vocabulary   40 pieces" "$T/info" || fail "info vocabulary: $(cat "$T/info")"
grep -q "shared.weight  *\[40, 16\] F16" "$T/info" || fail "info tensors"
"$A" info -m "$T/nope.gguf" > /dev/null 2>&1
check_eq $? 2 "info missing model exit"

# A reader that goes away (EPIPE) is not an error and prints nothing on stderr.
yes "we are friends" | head -200 | "$A" -q -m $M 2>"$T/err" | head -1 > /dev/null
check_eq "$(cat "$T/err")" "" "EPIPE stderr"

[ $fails -eq 0 ] && echo "translate.sh: all passed" || { echo "translate.sh: $fails failed"; exit 1; }
