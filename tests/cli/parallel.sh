#!/bin/sh
# Sentence-parallel batches (src/cli/batch.c): with -t 2 and -t 4 a batch gives the same
# stdout and the same stderr (warnings and errors in order, each before its line) as -t 1,
# line for line; a closed pipe stops every thread quietly; a line is printed as soon as it is
# translated, not when the input ends. POSIX sh; run by make test (ANUVAD=...).
set -u
A=${ANUVAD:-./anuvad}
FIX=tests/fixtures/engine
M=$FIX/cli_tiny.gguf
. tests/tools/cli_lib.sh

# same NAME WANT_RC WANT_LINES INPUT ARGS...: -t 1, 2, 4 give the exit, the line count, and
# byte-identical stdout and stderr, and the same interleaving of the two (both into one file:
# each message must come just before its line).
same() {
    name=$1 want=$2 nl=$3 in=$4
    shift 4
    for t in 1 2 4; do
        "$A" -t $t "$@" < "$in" > "$T/out$t" 2> "$T/err$t"
        check_eq $? "$want" "$name -t $t: exit ($(head -1 "$T/err$t"))"
        check_eq "$(lines "$T/out$t")" "$nl" "$name -t $t: output lines"
        "$A" -t $t "$@" < "$in" > "$T/both$t" 2>&1
        [ $t = 1 ] && continue
        cmp -s "$T/out1" "$T/out$t" || fail "$name: stdout of -t $t differs from -t 1"
        cmp -s "$T/err1" "$T/err$t" || fail "$name: stderr of -t $t differs from -t 1: $(diff "$T/err1" "$T/err$t" | head -4)"
        cmp -s "$T/both1" "$T/both$t" || fail "$name: -t $t interleaves stdout and stderr differently: $(diff "$T/both1" "$T/both$t" | head -4)"
    done
}

# A mix: normal lines, blank ones, a NUL byte (warning), a line longer than the model's 16
# positions (warning), CRLF, invalid UTF-8; repeated so that the ring of slots wraps many times.
{
    cut -f1 $FIX/cli_tiny.tsv
    printf '\n  \t\nwe are\000 friends\n'
    i=0; while [ $i -lt 30 ]; do printf 'the dog runs and '; i=$((i + 1)); done; echo
    printf 'the dog runs\r\ncaf\351 \377 we\n\f\n'
} > "$T/mix1"
i=0; : > "$T/mix"
while [ $i -lt 60 ]; do cat "$T/mix1" >> "$T/mix"; i=$((i + 1)); done
n=$(lines "$T/mix")
same "mixed batch" 0 "$n" "$T/mix" -m $M
check_eq "$(grep -c 'NUL byte at column 7' "$T/err1")" 60 "NUL warnings"
check_eq "$(grep -c "source truncated" "$T/err1")" 120 "truncation warnings (2 a copy)"
check_eq "$(grep -m 1 NUL "$T/err1")" "anuvad: warning: line 8: NUL byte at column 7: the rest of the line is ignored" "warnings name their line"
same "mixed batch -q" 0 "$n" "$T/mix" -q -m $M
check_eq "$(cat "$T/err1")" "" "-q: no warnings"

# Lines that fail: weights that give NaN (the last 4 KB of tensor data overwritten, as in
# robust_model.sh). Every non-blank line is an empty line and an error; blank lines are fine.
SIZE=$(wc -c < $M | tr -d ' ')
head -c $((SIZE - 4096)) $M > "$T/nan.gguf"
head -c 4096 /dev/zero | tr '\000' '\377' >> "$T/nan.gguf"
same "failing lines" 2 "$n" "$T/mix" -m "$T/nan.gguf"
check_eq "$(grep -c 'NaN or infinite' "$T/err1")" $((n - 3 * 60)) "one error per failing line"
check_eq "$(tr -d '\n' < "$T/out1")" "" "failing lines are empty lines"
same "failing lines -q" 2 "$n" "$T/mix" -q -m "$T/nan.gguf"
check_eq "$(grep -c 'NaN or infinite' "$T/err1")" $((n - 3 * 60)) "-q keeps the errors"

# TEXT arguments: the same, named "argument N".
long=$(sed -n 9p "$T/mix1")
for t in 1 3; do
    "$A" -t $t -m $M "we are friends" "" "$long" "the dog runs" "   " > "$T/aout$t" 2> "$T/aerr$t"
    check_eq $? 0 "arguments -t $t: exit"
done
cmp -s "$T/aout1" "$T/aout3" || fail "arguments: stdout of -t 3 differs"
cmp -s "$T/aerr1" "$T/aerr3" || fail "arguments: stderr of -t 3 differs"
check_eq "$(lines "$T/aout3")" 5 "arguments: lines"
grep -q "warning: argument 3: source truncated" "$T/aerr3" || fail "argument warning: $(cat "$T/aerr3")"

# A reader that goes away: every thread stops, exit 0, nothing on stderr, no hang (an endless
# input: only the EPIPE can end it).
for t in 2 4; do
    { timeout 20 sh -c 'yes "we are friends" | "$1" -q -t "$2" -m "$3"' sh "$A" $t $M 2> "$T/err"
      echo $? > "$T/rc"; } | head -1 > /dev/null
    check_eq "$(cat "$T/rc")" 0 "closed pipe -t $t: exit (124: hung)"
    check_eq "$(cat "$T/err")" "" "closed pipe -t $t: stderr"
done
# Other write errors: exit 2 and one message, from stdin and from arguments.
printf 'we are friends\nthe dog runs\n' | "$A" -q -t 2 -m $M > /dev/full 2> "$T/err"
check_eq $? 2 "full disk: exit"
check_eq "$(cat "$T/err")" "anuvad: cannot write the output: No space left on device" "full disk"
"$A" -q -t 2 -m $M "we are friends" "the dog runs" >&- 2> "$T/err"
check_eq $? 2 "closed stdout: exit"
check_eq "$(cat "$T/err")" "anuvad: cannot write the output: Bad file descriptor" "closed stdout"
# A slow reader: the ring fills and the workers wait; everything still comes out in order.
head -600 "$T/mix" > "$T/mix600"
"$A" -q -t 1 -m $M < "$T/mix600" > "$T/slow1"
timeout 20 "$A" -q -t 2 -m $M < "$T/mix600" | { sleep 1; cat; } > "$T/slow2"
cmp -s "$T/slow1" "$T/slow2" || fail "slow reader: output differs"

# Interactive use: the translation of a line comes out while the input is still open.
want=$(printf 'we are friends\n' | "$A" -q -t 1 -m $M)
mkfifo "$T/in" "$T/out"
check_eq "$(timeout 20 sh -c '
    "$1" -t 2 -m "$2" < "$3" > "$4" 2>/dev/null &
    exec 5> "$3"
    echo "we are friends" >&5
    IFS= read -r line < "$4"
    printf "%s\n" "$line"
    exec 5>&-
    wait' sh "$A" $M "$T/in" "$T/out")" "$want" "a line is printed before the input ends"

# Fewer threads than asked when the address space runs out (ulimit -v): the writer starts
# first, the batch goes on with the workers that could start (one warning), the same lines.
# 25000 KB: room for the writer and one worker of the tiny model's 8 (8 MB stacks). Skipped
# where the binary cannot run under the limit at all (sanitizer builds).
if sh -c 'ulimit -s 8192; ulimit -v 25000 && "$1" --version' sh "$A" > /dev/null 2>&1; then
    printf 'we are friends\nthe dog runs\nhello\n' > "$T/three"
    "$A" -q -t 1 -m $M < "$T/three" > "$T/want"
    (ulimit -s 8192; ulimit -v 25000; "$A" -t 8 -m $M < "$T/three" > "$T/fb.out" 2> "$T/fb.err"); rc=$?
    check_eq $rc 0 "8 threads in 25 MB: exit ($(cat "$T/fb.err"))"
    cmp -s "$T/want" "$T/fb.out" || fail "8 threads in 25 MB: output differs from -t 1"
    check_eq "$(grep -c 'warning: [1-7] of 8 translation threads started (cannot .*); going on with [1-7]' "$T/fb.err")" 1 \
        "8 threads in 25 MB: one warning ($(cat "$T/fb.err"))"
else
    echo "parallel.sh: skipped the ulimit -v case (sanitizer build)"
fi

[ $fails -eq 0 ] && echo "parallel.sh: all passed" || { echo "parallel.sh: $fails failed"; exit 1; }
