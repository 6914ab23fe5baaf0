#!/bin/sh
# Beam search and n-best lists. Against transformers' generate(num_beams=N) (the fixture
# tests/fixtures/beam/generate.tsv, written by make check-beam): the same N hypotheses in the
# same order, scores within 1e-4, for each model, beam size, length penalty and early stopping
# there. Then the n-best list's own rules on the test split: K lines per input line, numbered
# from 0, best first, the first one the --beam output (the hypotheses are distinct token
# sequences, test_forward_api checks that; two segmentations can spell the same text); --beam 1 is greedy; --scores;
# usage errors. POSIX sh.
set -u
A=${ANUVAD:-./anuvad}
M=models/en-hi.gguf
FIX=tests/fixtures/beam/generate.tsv
. tests/tools/cli_lib.sh

model_path() {
    case $1 in
    en-hi.gguf) echo $M ;;
    *) echo tests/fixtures/hf/$1 ;;
    esac
}

# One group per (model, beam, length penalty, early stopping).
grep -v '^#' $FIX | cut -f1-4 | uniq > "$T/groups"
[ "$(lines "$T/groups")" -ge 6 ] || fail "the fixture has $(lines "$T/groups") groups"
while IFS="$(printf '\t')" read -r model beam lp es; do
    mp=$(model_path "$model")
    [ -f "$mp" ] || { echo "skip: no $mp"; continue; }
    awk -F'\t' -v m="$model" -v b="$beam" -v l="$lp" -v e="$es" \
        '$1 == m && $2 == b && $3 == l && $4 == e' $FIX > "$T/want"
    awk -F'\t' '$7 == 0 { print $6 }' "$T/want" > "$T/src"
    flag=""
    [ "$es" = 1 ] && flag=--early-stopping
    "$A" -q -t 1 -m "$mp" --beam "$beam" --n-best "$beam" --n-best-format tsv \
        --length-penalty "$lp" $flag < "$T/src" > "$T/got"
    check_eq $? 0 "$model beam $beam exit"
    bad=$(paste "$T/want" "$T/got" | awk -F'\t' '
        function abs(x) { return x < 0 ? -x : x }
        $5 != $10 || $8 != $11 { print "line " $5 " rank " $7 ": [" $11 "], want [" $8 "]"; exit }
        abs($9 - $12) > 1e-4 { print "line " $5 " rank " $7 ": score " $12 ", want " $9; exit }')
    check_eq "$bad" "" "$model beam $beam lp $lp early $es against transformers"
    check_eq "$(lines "$T/got")" "$(lines "$T/want")" "$model beam $beam lines"
done < "$T/groups"

# A converted model forces </s> at the length limit: with --max-len 1 there is one hypothesis,
# so an n-best list of more is refused (it came out padded with scores of -1e9 and -inf).
H=tests/fixtures/hf/tiny_swish.gguf
"$A" -m $H --beam 4 --n-best 3 --max-len 1 "we are" > "$T/out" 2> "$T/err"
check_eq $? 1 "forced </s>, --max-len 1, --n-best 3: exit"
grep -q "n-best 3 needs max-len 2 or more" "$T/err" || fail "forced </s> n-best: $(cat "$T/err")"
"$A" -q -m $H --beam 4 --max-len 1 "we are" > "$T/out"
check_eq $? 0 "forced </s>, --max-len 1, one best: exit"

[ -f $M ] || { echo "skip: no $M"; exit $fails; }
head -30 tests/fixtures/en-hi-test.tsv | cut -f1 > "$T/in"
"$A" -q -m $M --beam 5 --n-best 5 < "$T/in" > "$T/nbest"
check_eq $? 0 "n-best exit"
check_eq "$(lines "$T/nbest")" 150 "n-best: 5 lines per input line"
"$A" -q -m $M --beam 5 < "$T/in" > "$T/best"
bad=$(awk -F' [|][|][|] ' '
    NR == FNR { best[FNR - 1] = $0; next }
    { if ($1 != int((FNR - 1) / 5)) { print FNR ": numbered " $1; exit }
      if ((FNR - 1) % 5 == 0) { if ($2 != best[$1]) { print FNR ": first is not --beam"; exit }
                                last = $3 + 0 }
      else if ($3 + 0 > last + 1e-6) { print FNR ": not sorted"; exit }
      last = $3 + 0 }' "$T/best" "$T/nbest")
check_eq "$bad" "" "n-best: numbered, first = --beam, sorted"
"$A" -q -m $M --beam 5 --n-best 5 -t 2 < "$T/in" | cmp -s - "$T/nbest" || fail "n-best -t 2 differs"
# An empty line has its K lines too, empty with score 0 (it had one hypothesis, and the
# n-best list read past it: a crash after the line's first entry).
printf 'we are friends\n\nthe dog\n' | "$A" -q -m $M --beam 4 --n-best 3 > "$T/out"
check_eq $? 0 "n-best with an empty line: exit"
check_eq "$(lines "$T/out")" 9 "n-best with an empty line: lines"
check_eq "$(grep -c '^1 |||  ||| 0.000000$' "$T/out")" 3 "n-best with an empty line: 3 empty entries"
"$A" -q -m $M --beam 5 --n-best 2 --n-best-format tsv < "$T/in" | head -1 |
    awk -F'\t' 'NF != 3 || $1 != 0 { exit 1 }' || fail "tsv format"

"$A" -q -m $M < "$T/in" > "$T/greedy"
"$A" -q -m $M --beam 1 < "$T/in" | cmp -s - "$T/greedy" || fail "--beam 1 is not greedy"
"$A" -q -m $M --scores < "$T/in" > "$T/scores"
cut -f2- "$T/scores" | cmp -s - "$T/greedy" || fail "--scores text"
awk -F'\t' '!($1 ~ /^-?[0-9]+\.[0-9]+$/ && $1 <= 0) { exit 1 }' "$T/scores" || fail "--scores score"

# The trace of a beam search: the best hypothesis' steps, each with the 3 live hypotheses.
"$A" -q -m $M --beam 3 --trace "$T/trace.json" "we are friends" > "$T/out"
steps=$(grep -o '"step":' "$T/trace.json" | wc -l)
beams=$(grep -o '"beams":\[{[^]]*}\]' "$T/trace.json" | awk '{ print gsub(/"parent":/, "") }' |
        sort -u)
check_eq "$beams" 3 "trace: 3 live hypotheses at each step"
check_eq "$(grep -o '"beams":' "$T/trace.json" | wc -l)" "$steps" "trace: beams at every step"
"$A" -q -m $M --trace "$T/greedy.json" "we are friends" > /dev/null
grep -q '"beams"' "$T/greedy.json" && fail "greedy trace has beams"

for bad in "--n-best 3" "--beam 17" "--beam 2 --n-best 3" "--beam 2 --n-best-format xml" \
           "--length-penalty abc"; do
    "$A" -m $M $bad "we" > /dev/null 2>&1
    check_eq $? 1 "usage: $bad"
done

[ $fails -eq 0 ] && echo "beam: ok"
exit $fails
