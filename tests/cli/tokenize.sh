#!/bin/sh
# anuvad tokenize against libsentencepiece's output (scripts/fixtures_spm.py): --spm ids and
# pieces for every fixture line and model, -m GGUF pieces and vocabulary ids for both sides,
# one output line per input line, exit codes. POSIX sh; run by make test with ANUVAD=./anuvad.
set -u
A=${ANUVAD:-./anuvad}
FIX=tests/fixtures/spm
. tests/tools/cli_lib.sh

for m in unigram bpe bytefb ident; do
    "$A" tokenize --spm $FIX/$m.model --ids < $FIX/lines.txt > "$T/ids" 2>"$T/err"
    check_eq $? 0 "$m --ids exit"
    cut -f1 $FIX/$m.expected > "$T/want_ids"
    cmp -s "$T/ids" "$T/want_ids" || fail "$m: ids differ: $(diff "$T/ids" "$T/want_ids" | head -3)"
    # Pieces: the rows whose expected pieces need no escaping (no space/control/backslash).
    "$A" tokenize --spm=$FIX/$m.model < $FIX/lines.txt > "$T/pieces" 2>/dev/null
    bad=$(awk -F'\t' 'NR == FNR { got[FNR] = $0; next }
                      index($2, "\\") == 0 { n++; if (got[FNR] != $2) bad++ }
                      END { if (n < 2500) print "only " n " rows"; else print bad + 0 }' \
          "$T/pieces" $FIX/$m.expected)
    check_eq "$bad" 0 "$m: pieces differing from the library"
done

# -m GGUF: pieces and model-vocabulary ids, source and target side.
M=tests/fixtures/engine/cli_tiny.gguf
cut -f1 $FIX/cli_tiny.tsv > "$T/in"
"$A" tokenize -m $M < "$T/in" > "$T/out" && cut -f2 $FIX/cli_tiny.tsv | cmp -s - "$T/out" ||
    fail "source pieces: $(cut -f2 $FIX/cli_tiny.tsv | diff - "$T/out" | head -3)"
"$A" tokenize -m $M --ids < "$T/in" > "$T/out" && cut -f3 $FIX/cli_tiny.tsv | cmp -s - "$T/out" ||
    fail "source ids: $(cut -f3 $FIX/cli_tiny.tsv | diff - "$T/out" | head -3)"
"$A" tokenize --model=$M --side target < "$T/in" > "$T/out" &&
    cut -f4 $FIX/cli_tiny.tsv | cmp -s - "$T/out" || fail "target pieces"
"$A" tokenize -m $M --side=target --ids < "$T/in" > "$T/out" &&
    cut -f5 $FIX/cli_tiny.tsv | cmp -s - "$T/out" || fail "target ids"
ANUVAD_MODEL=$M "$A" tokenize < "$T/in" > "$T/out" && cut -f2 $FIX/cli_tiny.tsv | cmp -s - "$T/out" ||
    fail "ANUVAD_MODEL default"

# One line out per line in: empty lines, CRLF, a last line without a newline.
printf 'we are friends\n\n   \nthe dog runs\r\nxyz' | "$A" tokenize -m $M > "$T/out3"
check_eq "$(wc -l < "$T/out3" | tr -d ' ')" 5 "line count"
check_eq "$(sed -n 2p "$T/out3")" "" "empty line"
check_eq "$(sed -n 3p "$T/out3")" "" "blank line"
check_eq "$(sed -n 4p "$T/out3")" "$(sed -n 2p $FIX/cli_tiny.tsv | cut -f2)" "CRLF line"
check_eq "$(printf '' | "$A" tokenize -m $M | wc -c | tr -d ' ')" 0 "no input, no output"

# Exit codes and one-line errors.
"$A" tokenize --side middle < /dev/null > /dev/null 2>"$T/err"
check_eq $? 1 "bad --side exit"
check_eq "$(wc -l < "$T/err" | tr -d ' ')" 1 "bad --side: one line"
"$A" tokenize --bogus < /dev/null > /dev/null 2>/dev/null
check_eq $? 1 "unknown option exit"
"$A" tokenize --spm "$T/missing.model" < /dev/null > /dev/null 2>"$T/err"
check_eq $? 2 "missing .model exit"
head -c 100 $FIX/unigram.model > "$T/trunc.model"
"$A" tokenize --spm "$T/trunc.model" < /dev/null > /dev/null 2>"$T/err"
check_eq $? 2 "truncated .model exit"
check_eq "$(wc -l < "$T/err" | tr -d ' ')" 1 "truncated .model: one line"
"$A" tokenize -m $FIX/unigram.model < /dev/null > /dev/null 2>/dev/null
check_eq $? 2 "a .model given as GGUF exit"
"$A" tokenize --help > "$T/help"
check_eq $? 0 "--help exit"

# TEXT arguments, as translation takes them: one output line per argument, the same as stdin
# lines; "--" lets a text start with a dash.
"$A" tokenize -m $M "$(sed -n 1p "$T/in")" "$(sed -n 2p "$T/in")" > "$T/args" 2> "$T/err"
check_eq $? 0 "TEXT arguments exit ($(head -1 "$T/err"))"
head -2 "$T/in" | "$A" tokenize -m $M > "$T/stdin"
cmp -s "$T/args" "$T/stdin" || fail "TEXT arguments differ from stdin lines: $(diff "$T/args" "$T/stdin" | head -3)"
check_eq "$("$A" tokenize -m $M --ids -- "-we" | wc -l | tr -d ' ')" 1 "-- then a text with a dash"

[ $fails -eq 0 ] && echo "tokenize: all passed" || { echo "tokenize: $fails failed"; exit 1; }
