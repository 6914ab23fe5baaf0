#!/bin/sh
# make soak (not in make test or CI): N mixed lines (tests/tools/soak_lines.py) through
# `anuvad -t 2`, then the checks: exit 0, N lines out, every blank input line an empty output
# line, every SAMPLE-th line the same as `-t 1` gives it alone (order and determinism), peak
# RSS under RSS_KB. Usage: soak.sh [N] (default 1000000); env SEED, SAMPLE, RSS_KB, ANUVAD.
set -u
N=${1:-1000000}
SEED=${SEED:-17}
SAMPLE=${SAMPLE:-100}
RSS_KB=${RSS_KB:-262144}
A=${ANUVAD:-./anuvad}
PYTHON=${PYTHON:-/usr/bin/python3}
. tests/tools/cli_lib.sh
$PYTHON tests/tools/soak_lines.py "$N" "$SEED" "$T/blanks" > "$T/in" || exit 2
start=$(date +%s)
/usr/bin/time -v "$A" -t 2 < "$T/in" > "$T/out" 2> "$T/err"
rc=$?
secs=$(( $(date +%s) - start ))
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/err")
check_eq "$rc" 0 "exit status ($(grep -v '^anuvad: warning' "$T/err" | head -3))"
check_eq "$(lines "$T/out")" "$N" "output lines"
[ -n "$rss" ] && [ "$rss" -le "$RSS_KB" ] || fail "peak RSS ${rss:-?} KB, bound $RSS_KB KB"
# Blank in, empty out.
bad=$(awk 'NR == FNR { blank[$1] = 1; next } (FNR in blank) && $0 != "" { n++ } END { print n + 0 }' \
    "$T/blanks" "$T/out")
check_eq "$bad" 0 "blank input lines with a non-empty output"
# Every SAMPLE-th line, translated alone at -t 1: the same bytes at the same position.
awk -v k="$SAMPLE" 'NR % k == 0' "$T/in" > "$T/sample.in"
awk -v k="$SAMPLE" 'NR % k == 0' "$T/out" > "$T/sample.want"
"$A" -t 1 -q < "$T/sample.in" > "$T/sample.got" 2> /dev/null
cmp -s "$T/sample.want" "$T/sample.got" ||
    fail "-t 1 differs from -t 2 on the sample ($(cmp "$T/sample.want" "$T/sample.got" | head -1))"
warn=$(grep -c '^anuvad: warning' "$T/err")
printf 'soak: %s lines (%s bytes), -t 2: exit %s, %s s, peak RSS %s KB, %s warnings, %s blank lines, %s sampled lines compared with -t 1\n' \
    "$N" "$(wc -c < "$T/in" | tr -d ' ')" "$rc" "$secs" "$rss" "$warn" "$(lines "$T/blanks")" \
    "$(lines "$T/sample.in")"
[ $fails -eq 0 ] && echo "soak: all passed" || { echo "soak: $fails failed"; exit 1; }
