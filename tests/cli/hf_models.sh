#!/bin/sh
# Models that transformers built (random MarianMTModels, scripts/check_hf.py) and
# scripts/convert_hf.py converted: ./anuvad must print what transformers' generate + decode
# printed, and `anuvad tokenize --ids` must give MarianTokenizer's ids, on the test split's
# sentences and the hostile tokenizer lines. POSIX sh; run by make test with ANUVAD=./anuvad.
set -u
A=${ANUVAD:-./anuvad}
FIX=tests/fixtures/hf
. tests/tools/cli_lib.sh

for name in tiny_swish tiny_gelu_untied tiny_separate_relu; do
    M=$FIX/$name.gguf
    cut -f1 $FIX/$name.tsv > "$T/in"
    cut -f2 $FIX/$name.tsv > "$T/want"
    cut -f3 $FIX/$name.tsv > "$T/want_ids"
    check_eq "$(lines "$T/in")" "$(lines "$T/want")" "$name: fixture rows"
    [ "$(lines "$T/in")" -ge 40 ] || fail "$name: fixture has fewer than 40 rows"
    "$A" -q -t 1 -m $M < "$T/in" > "$T/out" 2>"$T/err"
    check_eq $? 0 "$name: exit"
    cmp -s "$T/out" "$T/want" ||
        fail "$name: translations differ from transformers: $(diff "$T/out" "$T/want" | head -4)"
    "$A" -q -t 2 -m $M < "$T/in" > "$T/out2" 2>/dev/null
    cmp -s "$T/out" "$T/out2" || fail "$name: -t 2 differs from -t 1"
    "$A" tokenize --ids -m $M < "$T/in" > "$T/ids" 2>"$T/err"
    check_eq $? 0 "$name: tokenize exit"
    cmp -s "$T/ids" "$T/want_ids" ||
        fail "$name: ids differ from MarianTokenizer: $(diff "$T/ids" "$T/want_ids" | head -4)"
done

# The card shows what the converter mapped.
"$A" info -m $FIX/tiny_separate_relu.gguf > "$T/info"
grep -q "^vocabulary   separate: source" "$T/info" || fail "info: no separate vocabularies"
grep -q "unshared" "$T/info" || fail "info: embeddings not shown as unshared"
"$A" info -m $FIX/tiny_swish.gguf | grep -q "^embeddings   shared.weight" ||
    fail "info: shared embeddings not shown"

[ $fails -eq 0 ] && echo "hf models: all passed"
exit $fails
