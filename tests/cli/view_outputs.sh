#!/bin/sh
# --trace, --attn-svg, --align in translate mode: one JSON line per translated line, a
# well-formed SVG (xmllint) with a heatmap per line and the words as labels, one alignment
# line after each translation with pairs inside the sentence lengths; unwritable files are
# errors (exit 2). POSIX sh; run by make test with ANUVAD=./anuvad.
set -u
A=${ANUVAD:-./anuvad}
M=tests/fixtures/engine/cli_tiny.gguf
. tests/tools/cli_lib.sh

printf 'we are friends\nthe dog runs "fast" & <far>\nshe reads a book\n' > "$T/in"
"$A" -q -m $M --trace "$T/trace.jsonl" --attn-svg "$T/a.svg" < "$T/in" > "$T/out" 2> "$T/err"
[ $? -eq 0 ] || fail "exit status: $(cat "$T/err")"
"$A" -q -m $M < "$T/in" > "$T/plain"
cmp -s "$T/out" "$T/plain" || fail "--trace/--attn-svg changed the translations"
[ "$(wc -l < "$T/trace.jsonl" | tr -d ' ')" = 3 ] || fail "trace: want 3 JSON lines"
# each line is one object with the documented keys
for k in '"source_pieces":\[' '"steps":\[' '"translation":' '"cross":\[\[\[' '"self":\[\[\[' '"top":\['; do
    [ "$(grep -c "$k" "$T/trace.jsonl")" = 3 ] || fail "trace: key $k missing in some line"
done
grep -q '"source":"the dog runs \\"fast\\" & <far>"' "$T/trace.jsonl" || fail "trace: quotes not escaped"
if command -v xmllint > /dev/null 2>&1; then
    xmllint --noout "$T/a.svg" 2> "$T/xerr" || fail "SVG not well-formed: $(head -3 "$T/xerr")"
else
    echo "SKIP: xmllint not installed, SVG well-formedness not checked"
fi
[ "$(grep -c '<g class="heatmap">' "$T/a.svg")" = 3 ] || fail "SVG: want 3 heatmaps"
grep -q '&amp;' "$T/a.svg" || fail "SVG: & not escaped"
grep -q '>friends<' "$T/a.svg" || fail "SVG: source word label missing"

# --align: translation line, then its alignment line.
printf 'we are friends\nthe dog runs\n' | "$A" -q -m $M --align > "$T/al"
[ "$(wc -l < "$T/al" | tr -d ' ')" = 4 ] || fail "--align: want 2 lines per input line"
sed -n 2p "$T/al" | grep -Eq '^([0-9]+-[0-9]+( [0-9]+-[0-9]+)*)?$' || fail "--align: not Pharaoh pairs: $(sed -n 2p "$T/al")"
# every source index is a word of the source (3 words)
for p in $(sed -n 2p "$T/al"); do
    [ "${p%-*}" -lt 3 ] || fail "--align: source word ${p%-*} out of range"
done
# a blank line keeps the pairing: an empty translation, an empty alignment, one trace object
printf 'we are friends\n\nthe dog runs\n' | "$A" -q -m $M --align --trace "$T/t3.jsonl" > "$T/al3"
[ "$(wc -l < "$T/al3" | tr -d ' ')" = 6 ] || fail "--align with a blank line: want 6 lines"
[ "$(sed -n 5p "$T/al3")" = "$(sed -n 3p "$T/al")" ] || fail "--align: blank line shifted the pairing"
[ "$(wc -l < "$T/t3.jsonl" | tr -d ' ')" = 3 ] || fail "trace: want one object per input line"
[ "$(sed -n 3p "$T/al")" = "$("$A" -q -m $M "the dog runs")" ] || fail "--align: translation line moved"

"$A" -q -m $M --trace "$T/no/such/dir/t.json" "we are friends" > /dev/null 2>&1
[ $? -eq 2 ] || fail "unwritable --trace: want exit 2"
"$A" -q -m $M --attn-svg "$T/no/such/dir/a.svg" "we are friends" > /dev/null 2>&1
[ $? -eq 2 ] || fail "unwritable --attn-svg: want exit 2"

# With the default model (when it is there): on test-split sentences, every target word of the
# translation gets exactly one link and every index is inside its sentence (whitespace words,
# punctuation attached), so the pairs can be scored against the gold alignments.
D=models/en-hi.gguf
if [ -f $D ] && [ -f tests/fixtures/en-hi-test.tsv ]; then
    head -50 tests/fixtures/en-hi-test.tsv | cut -f1 > "$T/en"
    "$A" -q -m $D --align < "$T/en" > "$T/dal"
    paste "$T/en" - - < "$T/dal" 2>/dev/null | awk -F '\t' '
        { ns = split($1, s, " "); nt = split($2, t, " "); n = split($3, p, " ")
          delete seen
          for (k = 1; k <= n; k++) {
              split(p[k], ij, "-")
              if (ij[1] >= ns || ij[2] >= nt) { print "pair " p[k] " out of range: " $0; bad = 1 }
              seen[ij[2]]++
          }
          for (j = 0; j < nt; j++) if (seen[j] != 1) { print "target word " j " has " seen[j] + 0 " links: " $0; bad = 1 }
        }
        END { exit bad }' > "$T/awk" || fail "default model --align: $(head -3 "$T/awk")"
else
    echo "SKIP: no models/en-hi.gguf, --align on the default model not checked"
fi

[ $fails -eq 0 ] && echo "view outputs: ok" && exit 0
exit 1
