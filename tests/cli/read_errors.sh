#!/bin/sh
# A read error is not the end of the input (issue 17): every line before it is written, then
# one error naming the line, exit 2; at -t 1 (main.c), at -t 2 (batch.c), in step and
# tokenize. And --max-line-bytes: an over-long line is cut (on a UTF-8 boundary) with a
# warning, one line out. POSIX sh; run by make test.
set -u
A=${ANUVAD:-./anuvad}
M=tests/fixtures/engine/cli_tiny.gguf
. tests/tools/cli_lib.sh

# expect NAME WANT_LINES GREP: exit 2, WANT_LINES lines on stdout, GREP on stderr.
expect() {
    check_eq "$rc" 2 "$1: exit ($(cat "$T/err"))"
    check_eq "$(lines "$T/out")" "$2" "$1: lines written before the error"
    grep -q "$3" "$T/err" || fail "$1: stderr [$(cat "$T/err")], want [$3]"
}

for t in 1 2; do
    "$A" -m $M -t $t < /tmp > "$T/out" 2> "$T/err"; rc=$?
    expect "stdin a directory, -t $t" 0 "line 1: cannot read the input: Is a directory"
    "$A" -m $M -t $t <&- > "$T/out" 2> "$T/err"; rc=$?
    expect "stdin closed, -t $t" 0 "line 1: cannot read the input: Bad file descriptor"
    # Sanitizer builds cannot run under ulimit -v: skip those two cases there.
    sh -c 'ulimit -v 98304 && "$1" --version' sh "$A" > /dev/null 2>&1 || continue
    # Out of memory in the middle: a line too big for the address space (the limit raised
    # so the reader has to try to keep it). The first line was translated and written.
    printf 'we are friends\n' > "$T/big"
    head -c 100000000 /dev/zero | tr '\000' 'a' >> "$T/big"
    printf '\nthe dog\n' >> "$T/big"
    (ulimit -v 98304; "$A" -m $M -t $t --max-line-bytes 1000000000 < "$T/big" > "$T/out" 2> "$T/err"); rc=$?
    expect "100 MB line in 96 MB of address space, -t $t" 1 "line 2: cannot read the input: Cannot allocate memory"
    # The same input with the default limit: all three lines, the long one cut.
    (ulimit -v 98304; "$A" -m $M -t $t < "$T/big" > "$T/out" 2> "$T/err"); rc=$?
    check_eq "$rc" 0 "100 MB line cut, -t $t: exit ($(cat "$T/err"))"
    check_eq "$(lines "$T/out")" 3 "100 MB line cut, -t $t: lines"
    grep -q "warning: line 2: 100000000 bytes, longer than --max-line-bytes 65536: cut to 65536 bytes" "$T/err" ||
        fail "cut warning, -t $t: $(cat "$T/err")"
done
"$A" step -m $M < /tmp > "$T/out" 2> "$T/err"; rc=$?
expect "step, stdin a directory" 0 "step: line 1: cannot read the input: Is a directory"
"$A" tokenize -m $M < /tmp > "$T/out" 2> "$T/err"; rc=$?
expect "tokenize, stdin a directory" 0 "tokenize: line 1: cannot read the input: Is a directory"

# The cut falls on a character boundary: 4 bytes then a 3-byte Devanagari letter, limit 5
# -> the letter goes whole, and the line translates as the first 4 bytes alone.
printf 'we a\340\244\225 more\n' > "$T/cut"
"$A" -m $M -t 1 --max-line-bytes 5 < "$T/cut" > "$T/out" 2> "$T/err"; rc=$?
check_eq "$rc" 0 "UTF-8 cut: exit"
grep -q "line 1: 12 bytes, longer than --max-line-bytes 5: cut to 4 bytes" "$T/err" ||
    fail "UTF-8 cut warning: $(cat "$T/err")"
check_eq "$(cat "$T/out")" "$(printf 'we a\n' | "$A" -q -m $M -t 1)" "UTF-8 cut: the first 4 bytes"
# A line at the limit exactly is not cut; CR LF does not count.
printf 'we are\r\n' | "$A" -m $M -t 1 --max-line-bytes 6 > "$T/out" 2> "$T/err"
grep -q "longer than --max-line-bytes" "$T/err" && fail "a line at the limit: $(cat "$T/err")"
"$A" --help | grep -q -- "--max-line-bytes N" || fail "--help lists --max-line-bytes"

# tokenize honours --max-line-bytes too (it kept whole lines: memory O(line)): the same cut,
# the same warning, the pieces of the bytes kept.
"$A" tokenize -m $M --max-line-bytes 5 < "$T/cut" > "$T/out" 2> "$T/err"; rc=$?
check_eq "$rc" 0 "tokenize UTF-8 cut: exit ($(cat "$T/err"))"
grep -q "warning: tokenize: line 1: 12 bytes, longer than --max-line-bytes 5: cut to 4 bytes" "$T/err" ||
    fail "tokenize cut warning: $(cat "$T/err")"
check_eq "$(cat "$T/out")" "$("$A" tokenize -m $M 'we a')" "tokenize UTF-8 cut: the first 4 bytes"
"$A" tokenize -m $M --max-line-bytes=0 < "$T/cut" > "$T/out" 2> "$T/err"; rc=$?
check_eq "$rc" 1 "tokenize --max-line-bytes 0: exit"
grep -q "tokenize: --max-line-bytes must be an integer from 1 to 1073741824, got \"0\"" "$T/err" ||
    fail "tokenize --max-line-bytes 0: $(cat "$T/err")"
"$A" tokenize --help | grep -q -- "--max-line-bytes N" || fail "tokenize --help lists --max-line-bytes"
# A 100 MB line in 96 MB of address space: cut by default, so all three lines come out.
if sh -c 'ulimit -v 98304 && "$1" --version' sh "$A" > /dev/null 2>&1; then
    (ulimit -v 98304; "$A" tokenize -m $M < "$T/big" > "$T/out" 2> "$T/err"); rc=$?
    check_eq "$rc" 0 "tokenize, 100 MB line cut: exit ($(cat "$T/err"))"
    check_eq "$(lines "$T/out")" 3 "tokenize, 100 MB line cut: lines"
    grep -q "warning: tokenize: line 2: 100000000 bytes, longer than --max-line-bytes 65536: cut to 65536 bytes" "$T/err" ||
        fail "tokenize 100 MB cut warning: $(cat "$T/err")"
fi
[ $fails -eq 0 ] && echo "read_errors: ok"
exit $fails
