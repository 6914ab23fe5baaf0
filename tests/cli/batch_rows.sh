#!/bin/sh
# --batch-size (src/batch_rows.c, src/engine/greedy_rows.c): lines decoded together as rows
# give the same stdout and stderr (warnings in order, each before its line) as one at a time,
# for batch sizes below, at and above the line count, at -t 1 and -t 2; on the tiny model with
# hostile lines, and on the default model's test split; greedy and beam search. Bad sizes are
# usage errors.
set -u
A=${ANUVAD:-./anuvad}
FIX=tests/fixtures/engine
. tests/tools/cli_lib.sh

hostile_mix "$T/mix" 20

# same NAME MODEL INPUT [OPTIONS]: batch sizes and threads against -t 1 one at a time.
same() {
    x=${4:-}
    # shellcheck disable=SC2086
    "$A" -t 1 $x -m "$2" < "$3" > "$T/out0" 2> "$T/err0"
    rc0=$?
    for args in "-t 1 --batch-size 3" "-t 1 --batch-size 7" "-t 2 --batch-size 64" \
                "-t 2 --batch-size 256"; do
        # shellcheck disable=SC2086
        "$A" $args $x -m "$2" < "$3" > "$T/out" 2> "$T/err"
        check_eq $? $rc0 "$1 $args: exit"
        cmp -s "$T/out0" "$T/out" || fail "$1 $args: stdout differs: $(diff "$T/out0" "$T/out" | head -3)"
        cmp -s "$T/err0" "$T/err" || fail "$1 $args: stderr differs: $(diff "$T/err0" "$T/err" | head -3)"
    done
    check_eq "$(lines "$T/out0")" "$(lines "$3")" "$1: one line out per line in"
}

same tiny $FIX/cli_tiny.gguf "$T/mix"
# Separate target vocabulary and forced </s> at the length limit (the lines run to it).
cut -f1 tests/fixtures/hf/tiny_separate_relu.tsv > "$T/hf"
same hf_separate tests/fixtures/hf/tiny_separate_relu.gguf "$T/hf"
same hf_separate_max4 tests/fixtures/hf/tiny_separate_relu.gguf "$T/hf" "--max-len 4"
grep -q "</s>\|cut at" "$T/err0" && fail "forced </s>: a line was cut at the length limit"
if [ -f models/en-hi.gguf ]; then
    head -300 tests/fixtures/en-hi-test.tsv | cut -f1 > "$T/split"
    same default models/en-hi.gguf "$T/split"
fi

# Greedy scores: --scores and --n-best print them, so they must be computed in batches too
# (the rows skip the log-softmax when nobody reads it); models without a confidence
# threshold (converted ones) printed 0.000000 at --batch-size.
same tiny_scores $FIX/cli_tiny.gguf "$T/mix" "--scores"
same hf_separate_scores tests/fixtures/hf/tiny_separate_relu.gguf "$T/hf" "--scores"
same hf_separate_n_best tests/fixtures/hf/tiny_separate_relu.gguf "$T/hf" "--n-best 1"

# -q prints no warnings, so no confidence check is made and greedy decoding leaves out the
# log-softmax one at a time too (AnuvadOptions.no_confidence): stdout is still the same bytes,
# at every batch size (the default model has a confidence threshold; the separate-vocabulary
# model forces </s> at the length limit).
quiet() {
    # shellcheck disable=SC2086
    "$A" -t 1 ${4:-} -m "$2" < "$3" > "$T/loud" 2> /dev/null
    same "$1" "$2" "$3" "-q ${4:-}"
    cmp -s "$T/loud" "$T/out0" || fail "$1: -q changes stdout: $(diff "$T/loud" "$T/out0" | head -3)"
    [ -s "$T/err0" ] && fail "$1: -q printed: $(head -1 "$T/err0")"
}
quiet tiny_quiet $FIX/cli_tiny.gguf "$T/mix"
quiet hf_separate_quiet_max4 tests/fixtures/hf/tiny_separate_relu.gguf "$T/hf" "--max-len 4"
[ -f models/en-hi.gguf ] && quiet default_quiet models/en-hi.gguf "$T/split"

for bad in 0 257 x; do
    "$A" --batch-size $bad -m $FIX/cli_tiny.gguf "we are" > /dev/null 2> "$T/err"
    check_eq $? 1 "--batch-size $bad: exit"
done

# Beam search with --batch-size: the same bytes as --batch-size 1 (n-best lists, scores and
# the forced </s> of the separate-vocabulary model included), and on 300 lines of the default
# model's test split at beam 4.
same tiny_beam $FIX/cli_tiny.gguf "$T/mix" "--beam 2"
same hf_separate_beam tests/fixtures/hf/tiny_separate_relu.gguf "$T/hf" "--beam 3 --scores"
"$A" -t 1 --beam 3 --n-best 3 -m $FIX/cli_tiny.gguf < "$T/mix" > "$T/out0" 2> "$T/err0"
"$A" -t 1 --beam 3 --n-best 3 --batch-size 8 -m $FIX/cli_tiny.gguf < "$T/mix" > "$T/out" 2> "$T/err"
cmp -s "$T/out0" "$T/out" && cmp -s "$T/err0" "$T/err" || fail "--n-best 3 --batch-size 8 differs"
same hf_separate_beam_max4 tests/fixtures/hf/tiny_separate_relu.gguf "$T/hf" "--beam 4 --max-len 4 --early-stopping"
if [ -f models/en-hi.gguf ]; then
    same default_beam4 models/en-hi.gguf "$T/split" "--beam 4"
fi

[ $fails = 0 ] && echo "batch_rows.sh: all passed"
exit $((fails > 0))
