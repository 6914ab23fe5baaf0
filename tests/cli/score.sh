#!/bin/sh
# anuvad score against the PyTorch reference (scripts/fixtures_score.py: teacher-forced
# log_softmax over the whole vocabulary along the target and </s>): the sum and each token
# within 1e-4; the mean is the sum over the tokens; bad lines (no tab, empty source) give an
# empty line and an error, the other lines still come, exit 2. POSIX sh.
set -u
A=${ANUVAD:-./anuvad}
M=models/en-hi.gguf
. tests/tools/cli_lib.sh
[ -f $M ] || { echo "skip: no $M"; exit 0; }
REF=tests/fixtures/score/reference.tsv

grep -v '^#' $REF | cut -f1,2 > "$T/in"
"$A" -m $M score --tokens < "$T/in" > "$T/out" 2>"$T/err"
check_eq $? 0 "score exit"
check_eq "$(lines "$T/out")" "$(lines "$T/in")" "score lines"
bad=$(grep -v '^#' $REF | paste - "$T/out" | awk -F'\t' '
    function abs(x) { return x < 0 ? -x : x }
    { n = split($4, want, " "); m = split($7, got, " ")
      if (abs($3 - $5) > 1e-4) { print NR ": sum " $5 " want " $3; next }
      if (n != m) { print NR ": " m " tokens, want " n; next }
      for (i = 1; i <= n; i++) if (abs(want[i] - got[i]) > 1e-4) { print NR ": token " i; next }
      if (abs($6 - $5 / n) > 1e-5) print NR ": mean " $6 " is not " $5 "/" n }' | head -3)
check_eq "$bad" "" "score against the reference"

printf 'we are friends\tहम दोस्त हैं\nno tab\n\tहम\nwe are friends\tहम दोस्त हैं\n' |
    "$A" -m $M score > "$T/out" 2>"$T/err"
check_eq $? 2 "bad lines exit"
check_eq "$(lines "$T/out")" 4 "bad lines: one line each"
check_eq "$(sed -n 2p "$T/out")$(sed -n 3p "$T/out")" "" "bad lines are empty"
check_eq "$(sed -n 1p "$T/out")" "$(sed -n 4p "$T/out")" "good lines around them"
grep -q "line 2: no tab" "$T/err" || fail "no-tab error: $(cat "$T/err")"
grep -q "line 3: the source is empty" "$T/err" || fail "empty-source error: $(cat "$T/err")"
"$A" -m $M score "an argument" 2>/dev/null
check_eq $? 1 "score with an argument"

[ $fails -eq 0 ] && echo "score: ok"
exit $fails
