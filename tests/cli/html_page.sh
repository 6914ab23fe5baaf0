#!/bin/sh
# --html: one self-contained page per run (no src/href/url()/@import pointing anywhere, the
# decode embedded as JSON that parses, "</" escaped inside it), written by translate and by
# step; then, when Chromium, node and playwright-core are there (make page-deps), the page in
# headless Chromium: tests/html/page_test.js. PAGE_SHOTS=PREFIX keeps its screenshots.
# POSIX sh; run by make test with ANUVAD=./anuvad.
set -u
A=${ANUVAD:-./anuvad}
M=models/en-hi.gguf
[ -f $M ] || M=tests/fixtures/engine/cli_tiny.gguf
. tests/tools/cli_lib.sh

"$A" -q -m $M --trace "$T/t.jsonl" --html "$T/p.html" "we are friends" "" "I like eating ice-cream" > "$T/out" 2> "$T/err"
check_eq $? 0 "translate --html exit ($(head -1 "$T/err"))"
check_eq "$(lines "$T/out")" 3 "translate --html: output lines"
pat='(src|href) *= *["'"'"']|url\(|@import|<link'
grep -Eiq "$pat" "$T/p.html" && fail "the page refers to something outside itself: $(grep -Eio "$pat.{0,40}" "$T/p.html" | head -3)"
grep -q 'font-family: "anuvad-latin", "Noto Sans Devanagari", "Lohit Devanagari", Mangal, "Nirmala UI", sans-serif' "$T/p.html" ||
    fail "the page does not name the Devanagari fonts"
# the embedded data: both sentences, valid JSON (python3 if there is one)
sed -n '/id="anuvad-data">/,/^<\/script>/p' "$T/p.html" | sed '1d;$d' > "$T/data.json"
grep -o '"source":' "$T/data.json" | wc -l | grep -q '^ *2$' || fail "page data: want 2 sentences (the blank line has none)"
if command -v python3 > /dev/null 2>&1; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["sentences"]) == 2' "$T/data.json" 2> "$T/perr" ||
        fail "page data is not JSON: $(tail -1 "$T/perr")"
fi
# a sentence holding "</script>" cannot end the data element early
"$A" -q -m $M --html "$T/s.html" "we are </script> friends" > /dev/null
check_eq "$(grep -c '</script>' "$T/s.html")" 2 "</script> in the source: script elements closed"
# step writes the page of the decoding it ends on
"$A" step -q -m $M --html "$T/st.html" "we are friends" < /dev/null > /dev/null 2> "$T/err"
check_eq $? 0 "step --html exit ($(head -1 "$T/err"))"
grep -q '"source":"we are friends"' "$T/st.html" || fail "step --html: no data"
"$A" -q -m $M --html "$T/no/such/dir/p.html" "we are friends" > /dev/null 2>&1
check_eq $? 2 "unwritable --html: exit"

# In the browser.
PW=${PLAYWRIGHT_CORE:-.node/node_modules/playwright-core}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
    echo "SKIP: $CHROMIUM not installed (apt-get install chromium), the page is not tested in a browser"
elif ! command -v node > /dev/null 2>&1; then
    echo "SKIP: node not installed (apt-get install nodejs npm), the page is not tested in a browser"
elif [ ! -d "$PW" ]; then
    echo "SKIP: playwright-core not installed (make page-deps), the page is not tested in a browser"
else
    PLAYWRIGHT_CORE=$(cd "$PW" && pwd) CHROMIUM=$CHROMIUM timeout 120 node tests/html/page_test.js \
        "$T/p.html" "$T/t.jsonl" ${PAGE_SHOTS:-} > "$T/node" 2>&1 || fail "in Chromium:"
    sed 's/^/    /' "$T/node"
    "$A" -q -m $M --beam 4 --trace "$T/b.jsonl" --html "$T/b.html" "we are friends" "I like eating ice-cream" > /dev/null
    PLAYWRIGHT_CORE=$(cd "$PW" && pwd) CHROMIUM=$CHROMIUM timeout 120 node tests/html/page_test.js \
        "$T/b.html" "$T/b.jsonl" > "$T/node" 2>&1 || fail "in Chromium, --beam 4:"
    sed 's/^/    /' "$T/node"
fi
[ $fails -eq 0 ] && echo "html page: all passed" || { echo "html page: $fails failed"; exit 1; }
