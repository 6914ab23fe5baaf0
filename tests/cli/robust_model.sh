#!/bin/sh
# Bad model files (docs/robustness.md): every one gives exit 2 (or 1 for usage) and one line
# on stderr that names the problem, fast, without touching gigabytes. The bad files are made
# here from the committed tiny model with printf/dd/head: a field is found by its key or
# tensor name (grep -abo) and overwritten in place. POSIX sh; run by make test (ANUVAD=...).
# ROBUST_TABLE=FILE appends one markdown row per case (the docs table is made from it).
set -u
A=${ANUVAD:-./anuvad}
FIX=tests/fixtures/engine
M=$FIX/cli_tiny.gguf
. tests/tools/cli_lib.sh
row() {   # row INPUT EXIT MESSAGE
    [ -n "${ROBUST_TABLE:-}" ] || return 0
    printf '| %s | %s | `%s` |\n' "$1" "$2" "$(printf '%s' "$3" | sed "s|$T/||g; s|$T|DIR|g; s/|/\\\\|/g")" \
        >> "$ROBUST_TABLE"
}
# expect NAME WANT_RC GREP_PATTERN -- ARGS...: runs anuvad, checks exit, one stderr line, text.
# Its stdin is $IN (default /dev/null).
expect() {
    name=$1 want=$2 pat=$3
    shift 4
    "$A" "$@" > "$T/out" 2> "$T/err" < "${IN:-/dev/null}"
    rc=$?
    [ "$rc" = "$want" ] || fail "$name: exit $rc, want $want ($(cat "$T/err"))"
    [ "$(wc -l < "$T/err" | tr -d ' ')" = 1 ] || fail "$name: want one stderr line, got: $(cat "$T/err")"
    grep -q -- "$pat" "$T/err" || fail "$name: stderr [$(cat "$T/err")] lacks [$pat]"
    row "$name" "$rc" "$(head -1 "$T/err")"
}
# Byte offset of the first occurrence of a string in the model (a key or a tensor name).
at() { grep -abo "$1" "$2" | head -1 | cut -d: -f1; }
# put FILE OFFSET PRINTF_BYTES: overwrite bytes in place.
put() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
# A copy of the model with the u32 value of KEY (a u32 key) or the bytes after it replaced.
patch_u32() {   # patch_u32 OUT KEY BYTES
    cp $M "$1"
    o=$(at "$2" $M)
    put "$1" $((o + ${#2} + 4)) "$3"
}
SIZE=$(wc -c < $M | tr -d ' ')

# --- paths that are not model files
expect "nonexistent path" 2 "No such file or directory" -- -m "$T/nope.gguf" we
: > "$T/empty.gguf"
expect "empty file" 2 "empty file" -- -m "$T/empty.gguf" we
expect "a directory" 2 "is a directory" -- -m "$T" we
expect "/dev/null" 2 "not a regular file" -- -m /dev/null we
cp $M "$T/noread.gguf"
chmod 000 "$T/noread.gguf"
if [ "$(id -u)" != 0 ]; then
    expect "unreadable file (mode 000)" 2 "Permission denied" -- -m "$T/noread.gguf" we
elif command -v setpriv > /dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    # root reads anything: drop to nobody (the binary and fixtures must be readable by others).
    chmod 755 "$T"
    cp "$A" "$T/anuvad_copy" && chmod 755 "$T/anuvad_copy"
    setpriv --reuid=65534 --regid=65534 --clear-groups "$T/anuvad_copy" -m "$T/noread.gguf" we \
        > /dev/null 2> "$T/err"
    rc=$?
    [ $rc = 2 ] || fail "unreadable: exit $rc"
    grep -q "Permission denied" "$T/err" || fail "unreadable: $(cat "$T/err")"
    row "unreadable file (mode 000)" $rc "$(cat "$T/err")"
else
    echo "robust_model.sh: skipped the unreadable-file case (root without setpriv)"
fi
expect "a SentencePiece .model given as the model" 2 "not a GGUF file" -- -m tests/fixtures/spm/ident.model we

# --- truncated files: every cut is refused, whatever part it falls in
for n in 4 23 24 100 1000 2400 8000 20000 $((SIZE - 1)); do
    head -c $n $M > "$T/cut.gguf"
    expect "truncated to $n of $SIZE bytes" 2 "truncated\|cannot fit\|past the end" -- -m "$T/cut.gguf" we
done

# --- corrupted header and metadata
cp $M "$T/magic.gguf"; put "$T/magic.gguf" 0 'GGUX'
expect "bad magic" 2 "not a GGUF file" -- -m "$T/magic.gguf" we
cp $M "$T/v2.gguf"; put "$T/v2.gguf" 4 '\002'
expect "GGUF version 2" 2 "unsupported GGUF version 2" -- -m "$T/v2.gguf" we
cp $M "$T/ntens.gguf"; put "$T/ntens.gguf" 8 '\377\377\377\377\377\377\377\377'
expect "tensor count 2^64-1" 2 "tensor count" -- -m "$T/ntens.gguf" we
cp $M "$T/nkv.gguf"; put "$T/nkv.gguf" 16 '\000\000\000\000\000\001\000\000'
expect "key count 2^40" 2 "key count" -- -m "$T/nkv.gguf" we
o=$(at general.architecture $M)
cp $M "$T/arch.gguf"; put "$T/arch.gguf" $((o + 20 + 4 + 8)) 'llama2'
expect "another architecture (llama2)" 2 'general.architecture is "llama2"' -- -m "$T/arch.gguf" we
cp $M "$T/keylen.gguf"; put "$T/keylen.gguf" $((o - 8)) '\377\377\377\377\377\377\377\177'
expect "key length 2^63-1" 2 "past the end" -- -m "$T/keylen.gguf" we
o=$(at anuvad.ffn_dim $M)
cp $M "$T/dup.gguf"; put "$T/dup.gguf" $o 'anuvad.d_model'
expect "duplicate key" 2 "duplicate" -- -m "$T/dup.gguf" we
o=$(at anuvad.heads $M)
cp $M "$T/nokey.gguf"; put "$T/nokey.gguf" $o 'anuvad.headz'
expect "missing key (anuvad.heads)" 2 "anuvad.heads" -- -m "$T/nokey.gguf" we
patch_u32 "$T/heads.gguf" anuvad.heads '\003\000\000\000'
expect "heads do not divide d_model" 2 "not a multiple" -- -m "$T/heads.gguf" we
patch_u32 "$T/vocab.gguf" anuvad.vocab_size '\051\000\000\000'
expect "vocab_size disagrees with the vocabulary" 2 "tokenizer.vocab has 40 pieces" -- -m "$T/vocab.gguf" we
patch_u32 "$T/eos.gguf" anuvad.token.eos '\050\000\000\000'
expect "token id out of the vocabulary" 2 "anuvad.token.eos = 40 is out of range" -- -m "$T/eos.gguf" we
patch_u32 "$T/padeos.gguf" anuvad.token.pad '\000\000\000\000'
expect "pad and eos the same id" 2 "anuvad.token.pad and anuvad.token.eos are both 0" -- -m "$T/padeos.gguf" we
patch_u32 "$T/eps.gguf" anuvad.layer_norm_eps '\000\000\300\177'
expect "layer_norm_eps = NaN" 2 "layer_norm_eps" -- -m "$T/eps.gguf" we
o=$(at anuvad.activation $M)
cp $M "$T/act.gguf"; put "$T/act.gguf" $((o + 17 + 4 + 8)) 'swash'
expect "unknown activation" 2 'anuvad.activation = "swash" is not supported' -- -m "$T/act.gguf" we
o=$(at anuvad.d_model $M)
cp $M "$T/type.gguf"; put "$T/type.gguf" $((o + 14)) '\006'
expect "key of the wrong type (d_model as f32)" 2 "anuvad.d_model" -- -m "$T/type.gguf" we
cp $M "$T/vtype.gguf"; put "$T/vtype.gguf" $((o + 14)) '\143'
expect "unknown value type 99" 2 "type 99\|value type" -- -m "$T/vtype.gguf" we
# Sizes whose product is huge: a small file must not make us allocate or fill gigabytes.
patch_u32 "$T/work.gguf" anuvad.d_model '\000\000\001\000'
o=$(at anuvad.max_positions $M)
put "$T/work.gguf" $((o + 20 + 4)) '\000\000\001\000'
expect "d_model = max_positions = 65536 (16 GB of work)" 2 "MiB of working memory" -- -m "$T/work.gguf" we

# --- tensors: shape, type, size, offset
o=$(at shared.weight $M)
d1=$((o + 13 + 4 + 8))   # shared.weight: n_dims, dims[0] = 16, dims[1] = 40 (GGML order)
cp $M "$T/shape.gguf"; put "$T/shape.gguf" $d1 '\047'
expect "wrong tensor shape" 2 "tensor shared.weight has shape \[39, 16\], want \[40, 16\]" -- -m "$T/shape.gguf" we
cp $M "$T/huge.gguf"; put "$T/huge.gguf" $d1 '\000\000\000\000\000\001\000\000'
expect "huge declared tensor (2^40 x 16)" 2 "shared.weight" -- -m "$T/huge.gguf" we
cp $M "$T/dims.gguf"; put "$T/dims.gguf" $((o + 13)) '\011'
expect "9 dimensions" 2 "dimensions\|n_dims" -- -m "$T/dims.gguf" we
cp $M "$T/ttype.gguf"; put "$T/ttype.gguf" $((d1 + 8)) '\010'
expect "tensor type Q8_0" 2 "shared.weight" -- -m "$T/ttype.gguf" we
cp $M "$T/ttype2.gguf"; put "$T/ttype2.gguf" $((d1 + 8)) '\143'
expect "unknown tensor type 99" 2 "type" -- -m "$T/ttype2.gguf" we
cp $M "$T/off.gguf"; put "$T/off.gguf" $((d1 + 12)) '\001'
expect "misaligned tensor offset" 2 "align" -- -m "$T/off.gguf" we
cp $M "$T/off2.gguf"; put "$T/off2.gguf" $((d1 + 12)) '\000\000\000\000\000\000\000\001'
expect "tensor offset 2^56" 2 "past the end\|offset" -- -m "$T/off2.gguf" we
o=$(at encoder.layers.0.fc1.weight $M)
cp $M "$T/name.gguf"; put "$T/name.gguf" $o 'encoder.layers.9'
expect "unexpected tensor name" 2 "encoder.layers.0.fc1.weight\|encoder.layers.9" -- -m "$T/name.gguf" we

# --- the embedded tokenizer
o=$(at tokenizer.source.spm $M)
cp $M "$T/spm.gguf"; put "$T/spm.gguf" $((o + 20 + 4 + 4 + 8)) '\377\377\377\377\377\377\377\377\377\377\377'
expect "corrupted embedded tokenizer" 2 "tokenizer.source.spm" -- -m "$T/spm.gguf" we

# --- weights that load but cannot compute: NaN, Inf. One empty line per input line, an error
# naming the line on stderr for each, exit 2.
head -c $((SIZE - 4096)) $M > "$T/nan.gguf"
head -c 4096 /dev/zero | tr '\000' '\377' >> "$T/nan.gguf"
head -c $((SIZE - 4096)) $M > "$T/inf.gguf"
i=0; while [ $i -lt 2048 ]; do printf '\000\174'; i=$((i + 1)); done >> "$T/inf.gguf"
for k in nan inf; do
    printf 'we are friends\nthe dog runs\n' | "$A" -m "$T/$k.gguf" > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc = 2 ] || fail "$k weights: exit $rc"
    [ "$(cat "$T/out")" = "$(printf '\n\n')" ] || [ "$(wc -l < "$T/out" | tr -d ' ')" = 2 ] || fail "$k: want 2 empty lines"
    [ "$(grep -c "NaN or infinite" "$T/err")" = 2 ] || fail "$k weights: $(cat "$T/err")"
    row "$(echo $k | tr a-z A-Z) weights (last 4 KB of tensor data)" $rc "$(head -1 "$T/err")"
done

# Finite logits near ±FLT_MAX (fuzz_hf_model finding, a converted model that forces </s> at the
# length limit): that </s> costs logit - logsumexp (e.g. -3e38 - 3e38) = -inf. Refused as non-finite
# logits are, greedy, beam, and in batches alike; `score` reaches it too. One TEXT argument
# is translated alone; a batch is read from stdin (the rows path: greedy_rows, beam_rows).
X=tests/fuzz/regress/fuzz_hf_model/forced-eos-log-prob-overflows.gguf
for o in "" "--beam 2"; do
    expect "finite logits near ±FLT_MAX: the forced \`</s>\` at the limit costs -inf (--max-len 4${o:+ $o})" 2 \
        "argument 1: the model computed a NaN or infinite score at output token" -- -m $X --max-len 4 $o "we are friends."
done
printf 'we are friends.\n' > "$T/line"
IN=$T/line
for o in "--batch-size 4" "--beam 2 --batch-size 4"; do
    expect "the same, stdin, --max-len 4 $o" 2 \
        "line 1: the model computed a NaN or infinite score at output token" -- -m $X --max-len 4 $o
done
IN=
printf 'we are friends.\tबुला बुला बुला\n' | "$A" score -m $X > "$T/out" 2> "$T/err"
rc=$?
[ $rc = 2 ] || fail "overflowing log-prob, score: exit $rc ($(cat "$T/err"))"
[ "$(cat "$T/out")" = "" ] && [ "$(wc -l < "$T/out" | tr -d ' ')" = 1 ] || fail "score: want 1 empty line, got [$(cat "$T/out")]"
grep -q "line 1: the model computed a NaN or infinite score at output token 4" "$T/err" || fail "score: $(cat "$T/err")"
row "the same model, \`score\` of a pair (its \`</s>\` costs -inf)" $rc "$(head -1 "$T/err")"

# --- out of memory: the working memory cannot be had (ulimit -v). Skipped where the binary
# cannot even start under the limit (AddressSanitizer reserves terabytes of address space).
if sh -c 'ulimit -v 60000 && "$1" --version' sh "$A" > /dev/null 2>&1; then
    patch_u32 "$T/oom.gguf" anuvad.max_positions '\000\000\001\000'   # 65536 positions: ~150 MiB
    (ulimit -v 60000; "$A" -m "$T/oom.gguf" we) > /dev/null 2> "$T/err"
    rc=$?
    [ $rc = 2 ] || fail "oom: exit $rc ($(cat "$T/err"))"
    grep -q "out of memory" "$T/err" || fail "oom: $(cat "$T/err")"
    row "out of memory (65536 positions under ulimit -v 60000)" $rc "$(head -1 "$T/err")"
else
    echo "robust_model.sh: skipped the ulimit -v case (sanitizer build)"
fi

[ $fails -eq 0 ] && echo "robust_model.sh: all passed" || { echo "robust_model.sh: $fails failed"; exit 1; }
