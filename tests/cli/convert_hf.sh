#!/bin/sh
# scripts/convert_hf.py on a directory transformers saved (tests/fixtures/hf/*.hf, written by
# scripts/check_hf.py): the same bytes as the committed GGUF the other tests check against
# transformers, and one-line refusals naming the field for what it cannot convert. Needs
# /usr/bin/python3 with numpy (Debian's python3-numpy), no torch and no PyPI.
set -u
A=${ANUVAD:-./anuvad}
PY=${PYTHON:-/usr/bin/python3}
FIX=tests/fixtures/hf
. tests/tools/cli_lib.sh

if ! "$PY" -c "import numpy" 2>/dev/null; then
    echo "convert_hf: SKIPPED ($PY with numpy is missing)"
    exit 0
fi
for name in tiny_swish tiny_gelu_untied tiny_separate_relu; do
    "$PY" scripts/convert_hf.py $FIX/$name.hf "$T/$name.gguf" --name $name > /dev/null 2>"$T/err"
    check_eq $? 0 "$name: convert exit"
    cmp -s "$T/$name.gguf" $FIX/$name.gguf || fail "$name: converted file differs from $FIX/$name.gguf"
done
"$PY" scripts/convert_hf.py $FIX/tiny_swish.hf "$T/f16.gguf" --dtype f16 > /dev/null
check_eq "$("$A" -m "$T/f16.gguf" "we are friends" 2>&1 | wc -l | tr -d ' ')" 1 "f16 model translates"

# Refusals: exit 2 and one line naming the field and its value.
refuse() {   # refuse SED_EXPR WANT
    rm -rf "$T/bad"
    cp -r $FIX/tiny_swish.hf "$T/bad"
    sed -i "$1" "$T/bad/config.json"
    "$PY" scripts/convert_hf.py "$T/bad" "$T/bad.gguf" > /dev/null 2>"$T/err"
    check_eq $? 2 "refusal exit for $1"
    check_eq "$(lines "$T/err")" 1 "one line for $1"
    grep -qF "$2" "$T/err" || fail "refusal for $1: got [$(cat "$T/err")], want [$2]"
}
refuse 's/"use_cache": true/"use_cache": true, "normalize_before": true/' \
    'config.json: normalize_before = true:'
refuse 's/"use_cache": true/"use_cache": true, "frobnicate": 3/' 'config.json: frobnicate = 3: unknown field'
refuse 's/"activation_function": "swish"/"activation_function": "gelu_new"/' \
    'config.json: activation_function = "gelu_new": supported: relu, gelu (erf), swish/silu'
refuse 's/"decoder_ffn_dim": 32/"decoder_ffn_dim": 48/' 'config.json: decoder_ffn_dim = 48: differs'
refuse 's/"model_type": "marian"/"model_type": "bart"/' 'config.json: model_type = "bart"'
"$PY" scripts/convert_hf.py $FIX/tiny_swish.hf "$T/q.gguf" --dtype q8_0 > /dev/null 2>"$T/err"
check_eq $? 2 "q8_0 exit"
grep -q "no Q8_0 kernels yet" "$T/err" || fail "q8_0 refusal: $(cat "$T/err")"
cp -r $FIX/tiny_swish.hf "$T/novocab" && rm "$T/novocab/vocab.json"
"$PY" scripts/convert_hf.py "$T/novocab" "$T/x.gguf" > /dev/null 2>"$T/err"
check_eq $? 2 "missing vocab.json exit"
grep -q "vocab.json: No such file" "$T/err" || fail "missing vocab.json: $(cat "$T/err")"
head -c 100 $FIX/tiny_swish.hf/model.safetensors > "$T/novocab/model.safetensors"
cp $FIX/tiny_swish.hf/vocab.json "$T/novocab/"
"$PY" scripts/convert_hf.py "$T/novocab" "$T/x.gguf" > /dev/null 2>"$T/err"
check_eq $? 2 "truncated safetensors exit"
grep -q "model.safetensors: header length" "$T/err" || fail "truncated safetensors: $(cat "$T/err")"

[ $fails -eq 0 ] && echo "convert_hf: all passed"
exit $fails
