#!/bin/sh
# Bad input text, bad options and a bad stdout (docs/robustness.md). The batch invariant: N
# lines in, N lines out, in order, whatever the lines hold; output identical across runs and
# thread counts. Uses the committed tiny model (fast), and the default model for the
# language-level rows when models/en-hi.gguf exists. POSIX sh; run by make test.
# ROBUST_TABLE=FILE appends one markdown row per case (the docs table is made from it).
set -u
A=${ANUVAD:-./anuvad}
M=tests/fixtures/engine/cli_tiny.gguf
. tests/tools/cli_lib.sh
row() {   # row INPUT EXIT STDERR_FILE [NOTE]
    [ -n "${ROBUST_TABLE:-}" ] || return 0
    msg=$(head -1 "$3")
    [ -n "$msg" ] && msg="\`$msg\`" || msg="(nothing)"
    [ $# -gt 3 ] && msg="$msg; $4"
    printf '| %s | %s | %s |\n' "$1" "$2" "$(printf '%s' "$msg" | sed 's/|/\\|/g')" >> "$ROBUST_TABLE"
}
# run NAME WANT_RC WANT_LINES INPUT_FILE ARGS...: stdin from INPUT_FILE, checks exit and the
# number of output lines; leaves $T/out and $T/err.
run() {
    name=$1 want=$2 nl=$3 in=$4
    shift 4
    "$A" "$@" < "$in" > "$T/out" 2> "$T/err"
    rc=$?
    check_eq $rc "$want" "$name: exit ($(head -1 "$T/err"))"
    check_eq "$(lines "$T/out")" "$nl" "$name: output lines"
}
# The same line translated alone, for comparing with its place in a batch.
alone() { printf '%s\n' "$1" | "$A" -q -m $M 2>/dev/null; }

# --- text the model cannot take whole
i=0; : > "$T/long"
while [ $i -lt 40 ]; do printf 'we are friends and ' >> "$T/long"; i=$((i + 1)); done
echo >> "$T/long"
run "source longer than the positions" 0 1 "$T/long" -m $M
grep -q "warning: line 1: source truncated: .* pieces dropped (the model takes 16 positions)" "$T/err" ||
    fail "truncation warning: $(cat "$T/err")"
row "a source longer than the model's positions (160 words, 16 positions)" $rc "$T/err" "one line out, the first 15 pieces translated"
yes 'the quick brown fox jumps' | head -c 1048576 | tr '\n' ' ' > "$T/mb"
echo >> "$T/mb"
run "1 MB line" 0 1 "$T/mb" -m $M
grep -q "source truncated" "$T/err" || fail "1 MB line: $(cat "$T/err")"
row "a 1 MB line" $rc "$T/err" "one line out"
head -c 1048576 /dev/zero | tr '\000' 'a' > "$T/mba"
echo >> "$T/mba"
run "1 MB word" 0 1 "$T/mba" -m $M
row "a 1 MB word without spaces" $rc "$T/err" "one line out"

# --- bytes that are not clean text
printf 'caf\351 \377\376 \300\200 \355\240\200 we\n' > "$T/utf8"
run "invalid UTF-8" 0 1 "$T/utf8" -m $M
row "invalid UTF-8 (Latin-1 byte, FF FE, overlong, surrogate)" $rc "$T/err" "one line out; bad bytes are unknown pieces"
printf 'we are\000 friends\nthe dog\n' > "$T/nul"
run "NUL byte" 0 2 "$T/nul" -m $M
grep -q "warning: line 1: NUL byte at column 7: the rest of the line is ignored" "$T/err" ||
    fail "NUL warning: $(cat "$T/err")"
check_eq "$(sed -n 1p "$T/out")" "$(alone 'we are')" "NUL: translated up to the NUL"
row "a NUL byte inside a line" $rc "$T/err" "one line out: the text before the NUL"
printf 'we are friends\r\nthe dog runs\r\n' > "$T/crlf"
printf 'we are friends\nthe dog runs\n' > "$T/lf"
run "CRLF" 0 2 "$T/crlf" -m $M
"$A" -m $M < "$T/lf" > "$T/lf.out" 2>/dev/null
cmp -s "$T/out" "$T/lf.out" || fail "CRLF lines translate differently from LF lines"
row "CRLF line endings" $rc "$T/err" "same output as LF"
printf 'the dog runs\rwe are\n' > "$T/cr"
run "bare CR inside a line" 0 1 "$T/cr" -m $M
row "a bare CR inside a line" $rc "$T/err" "one line out (CR is whitespace to the tokenizer)"
printf ' \n\t \t\n\f\v\n\n' > "$T/ws"
run "whitespace only" 0 4 "$T/ws" -m $M
check_eq "$(tr -d '\n' < "$T/out")" "" "whitespace lines give empty lines"
row "lines of only whitespace, empty lines" $rc "$T/err" "an empty line for each"
printf 'we are friends' > "$T/nonl"
run "no final newline" 0 1 "$T/nonl" -m $M
row "a last line without a newline" $rc "$T/err" "translated, newline added"
: > "$T/empty"
run "empty input" 0 0 "$T/empty" -m $M
row "empty stdin" $rc "$T/err" "no output"
"$A" -m $M "" "   " "we" > "$T/out" 2> "$T/err"
rc=$?
check_eq $rc 0 "empty arguments: exit"
check_eq "$(lines "$T/out")" 3 "empty arguments: lines"
row "empty and blank TEXT arguments" $rc "$T/err" "an empty line for each"
printf '\342\200\213\357\273\277\342\200\256\314\201\n' > "$T/zw"
run "zero-width and combining only" 0 1 "$T/zw" -m $M
row "zero-width space, BOM, RTL override, a lone combining mark" $rc "$T/err" "one line out"
# Any bytes at all: the model file itself as text.
n=$(tr -cd '\n' < $M | wc -c | tr -d ' ')
[ "$(tail -c 1 $M | od -An -c | tr -d ' ')" = '\n' ] || n=$((n + 1))
run "binary stdin" 0 $n $M -q -m $M
row "binary garbage on stdin (a GGUF file)" $rc "$T/err" "one line out per input line"

# --- unknown words and scripts: with the tiny model, and the trained model when present
printf 'xyzzy qwfp\n\344\275\240\345\245\275\344\270\226\347\225\214\n\320\277\321\200\320\270\320\262\320\265\321\202\n\360\237\230\200\360\237\232\200\n\330\247\331\204\330\263\331\204\330\247\331\205\n' > "$T/scripts"
run "unknown scripts (tiny)" 0 5 "$T/scripts" -m $M
D=models/en-hi.gguf
if [ -f $D ]; then
    run "unknown words and scripts" 0 5 "$T/scripts" -m $D
    row "unknown words; Chinese, Cyrillic, emoji, Arabic lines (default model)" $rc "$T/err" "one line out each"
    printf 'we are friends\nthe children play in the garden\n' > "$T/hi"
    "$A" -m $D -t 1 < "$T/hi" > "$T/d1" 2>/dev/null
    "$A" -m $D -t 2 < "$T/hi" > "$T/d2" 2>/dev/null
    "$A" -m $D -t 2 < "$T/hi" > "$T/d3" 2>/dev/null
    cmp -s "$T/d1" "$T/d2" && cmp -s "$T/d2" "$T/d3" || fail "default model: -t 1 / -t 2 / rerun differ"
    check_eq "$(lines "$T/d1")" 2 "default model lines"
else
    row "unknown words; Chinese, Cyrillic, emoji, Arabic lines" $rc "$T/err" "one line out each"
    echo "robust_input.sh: $D absent, default-model rows ran on the tiny model"
fi

# --- options out of range: exit 1 before the model is read
for args in "--max-len 0" "--max-len -1" "-t 0" "-t 1000" "-t -1" "--max-len 99999999999"; do
    # shellcheck disable=SC2086
    "$A" -m $M $args we > "$T/out" 2> "$T/err" < /dev/null
    rc=$?
    check_eq $rc 1 "$args: exit"
    check_eq "$(lines "$T/err")" 1 "$args: one stderr line"
    check_eq "$(lines "$T/out")" 0 "$args: no output"
    row "\`$args\`" $rc "$T/err"
done
"$A" -m $M --max-len 1 "we are friends" > "$T/out" 2> "$T/err"
rc=$?
check_eq $rc 0 "--max-len 1 exit"
check_eq "$(tr -d '\n' < "$T/out" | wc -m | tr -d ' ')" 1 "--max-len 1 gives one character (one piece)"
row "\`--max-len 1\`" $rc "$T/err" "at most one output token"
"$A" -m $M --max-len 1048576 "we are friends" > "$T/out" 2> "$T/err"
check_eq $? 0 "--max-len 1048576 exit"
check_eq "$(cat "$T/out")" "$(alone 'we are friends')" "--max-len above the positions is capped"
row "\`--max-len 1048576\`" 0 "$T/err" "capped by the model's positions"

# --- stdout that goes away or cannot be written
{ yes "we are friends" | head -300 | "$A" -q -m $M 2> "$T/err"; echo $? > "$T/rc"; } | head -1 > /dev/null
check_eq "$(cat "$T/rc")" 0 "SIGPIPE: exit"
check_eq "$(cat "$T/err")" "" "SIGPIPE: stderr"
row "stdout closed by the reader (\`| head -1\`, SIGPIPE/EPIPE)" "$(cat "$T/rc")" "$T/err" "stops quietly"
"$A" -q -m $M "we are friends" > /dev/full 2> "$T/err"
rc=$?
check_eq $rc 2 "/dev/full: exit"
grep -q "cannot write the output: No space left on device" "$T/err" || fail "/dev/full: $(cat "$T/err")"
row "stdout on a full disk (\`> /dev/full\`)" $rc "$T/err"
"$A" -q -m $M "we are friends" >&- 2> "$T/err"
rc=$?
check_eq $rc 2 "closed stdout: exit"
grep -q "cannot write the output: Bad file descriptor" "$T/err" || fail "closed stdout: $(cat "$T/err")"
row "stdout closed (\`>&-\`)" $rc "$T/err"

# --- the batch invariant: a mix of bad lines, N in, N out, each as if translated alone
{
    printf 'we are friends\n\n   \n'
    printf 'caf\351 \377\n'
    printf 'the dog\000 runs\n'
    cat "$T/long"
    printf 'the dog runs\r\n'
    printf '\344\275\240\345\245\275\n'
    printf '\t\n'
    head -c 5000 /dev/zero | tr '\000' 'x'; echo
    printf 'she reads a book\n'
    printf 'no newline at the end'
} > "$T/mix"
run "batch of bad lines" 0 12 "$T/mix" -m $M
i=0
while IFS= read -r l || [ -n "$l" ]; do
    i=$((i + 1))
    [ $i = 5 ] && l="the dog"   # sh variables cannot hold the NUL; anuvad stops there
    got=$(sed -n "${i}p" "$T/out")
    want=$(printf '%s\n' "$l" | "$A" -q -m $M 2>/dev/null)
    check_eq "$got" "$want" "batch line $i in order"
done < "$T/mix"
row "a batch mixing all of the above (12 lines)" $rc "$T/err" "12 lines out, in order, each as translated alone"
i=0; : > "$T/many"
REPS=${ROBUST_REPS:-300}
while [ $i -lt $REPS ]; do cat "$T/mix" >> "$T/many"; echo >> "$T/many"; i=$((i + 1)); done
run "$((REPS * 12)) lines" 0 $((REPS * 12)) "$T/many" -q -m $M
cp "$T/out" "$T/many1"

# --- determinism: reruns and thread counts give the same bytes
for t in 1 2 3 8; do
    "$A" -q -t $t -m $M < "$T/many" > "$T/many.t$t" 2>/dev/null
    cmp -s "$T/many1" "$T/many.t$t" || fail "-t $t differs from the default run"
done
row "the 3600-line batch with -t 1, 2, 3, 8 and reruns" 0 /dev/null "byte-identical output"

[ $fails -eq 0 ] && echo "robust_input.sh: all passed" || { echo "robust_input.sh: $fails failed"; exit 1; }
