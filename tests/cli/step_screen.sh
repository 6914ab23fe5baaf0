#!/bin/sh
# The step view on real terminal sizes (tmux at 80x24, 100x30, 160x50): every screen fits —
# no line wraps (the pane captured with and without joining wrapped lines is the same), the
# header is the first line (the terminal did not scroll) and the key line the last — and
# the explanations a learner needs are on it, each on one line at 100 columns and wider:
# <pad> as the start token, e(·) as the encoder's output, where the probability not listed
# went (checked against the listed probabilities), the --align note only for the reading
# --align uses, no "(forced by you)" for the model's own choice, and the help screen.
# STEP_SCREENS=DIR keeps the captures. POSIX sh; run by make test with ANUVAD=./anuvad.
set -u
A=${ANUVAD:-./anuvad}
M=models/en-hi.gguf
[ -f $M ] || M=tests/fixtures/engine/cli_tiny.gguf
. tests/tools/cli_lib.sh
if ! command -v tmux > /dev/null 2>&1; then
    echo "SKIP: tmux not installed, step view sizes not tested"
    exit 0
fi
S=anuvad-screen-test-$$
# A server of our own (its socket in $T), kept up by a session that lives as long as the test:
# a server exits with its last session, and a session started while it was exiting (the next
# size's, after kill-session) connected to the dying server ("server exited unexpectedly").
tmux() { command tmux -S "$T/tmux.sock" "$@"; }
trap 'tmux kill-server 2>/dev/null; rm -rf "$T"' EXIT
tmux -f /dev/null new-session -d -s keep "sleep 600" || { echo "FAIL: tmux server did not start"; exit 1; }
keep=${STEP_SCREENS:-}
[ -n "$keep" ] && mkdir -p "$keep"

key() { tmux send-keys -t "$S" "$@"; }
# wait_for PATTERN: until the screen matches (grep -E), at most ~10 s.
wait_for() {
    i=0
    while [ $i -lt 50 ]; do
        tmux capture-pane -p -t "$S" | grep -Eq "$1" && return 0
        sleep 0.2
        i=$((i + 1))
    done
    fail "$size: screen never showed /$1/:"
    tmux capture-pane -p -t "$S" | sed 's/^/    | /'
    return 1
}
# grab NAME: capture the screen, check it fits; leaves $T/NAME.
grab() {
    sleep 0.3
    tmux capture-pane -p -t "$S" | sed 's/ *$//' > "$T/$1"
    tmux capture-pane -p -J -t "$S" | sed 's/ *$//' > "$T/$1.joined"
    [ -n "$keep" ] && cp "$T/$1" "$keep/$size-$1.txt"
    cmp -s "$T/$1" "$T/$1.joined" || fail "$size $1: a line wraps: $(diff "$T/$1" "$T/$1.joined" | head -4)"
    head -1 "$T/$1" | grep -q '^anuvad step' || fail "$size $1: the header is not the first line: $(head -1 "$T/$1")"
    last=$(grep -v '^ *$' "$T/$1" | tail -1)
    case $last in *"q quit"*|*" ? q"*) ;; *) fail "$size $1: the key line is not the last: [$last]" ;; esac
    [ "$(lines "$T/$1")" -eq "$h" ] || fail "$size $1: $(lines "$T/$1") lines on a $h-row pane"
}
has() { grep -q -- "$2" "$T/$1" || fail "$size $1: no [$2] on screen"; }
hasnt() { grep -q -- "$2" "$T/$1" && fail "$size $1: [$2] should not be on screen"; }

for size in 80x24 100x30 160x50; do
    w=${size%x*} h=${size#*x}
    tmux kill-session -t "$S" 2>/dev/null
    tmux -f /dev/null new-session -d -s "$S" -x "$w" -y "$h" \
        "env NO_COLOR=1 $A step -m $M 'I like eating ice-cream'; sleep 30" || { fail "$size: tmux new-session"; continue; }
    wait_for '^anuvad step' || continue
    grab step1
    has step1 '<pad>: the start token'
    has step1 "e(x): the encoder's output"
    has step1 'C(.*) = '
    has step1 '--align reads these rows'
    # the probability not listed: 1 - the listed ones (3 decimals each, so within 0.01)
    awk -v size="$size" '
        /^[ →]+[1-9] / { n = split($0, f, " "); for (i = 1; i <= n; i++) if (f[i] ~ /^[01]\.[0-9][0-9][0-9]$/) { sum += f[i]; break } }
        /all other tokens: / { sub(/.*all other tokens: /, ""); rest = $1 + 0; seen = 1 }
        END { if (!seen) { print "no rest line"; exit }
              d = 1 - sum - rest; if (d < 0) d = -d
              if (d > 0.01) print "listed " sum " + rest " rest " != 1" }' "$T/step1" > "$T/mass"
    [ -s "$T/mass" ] && fail "$size step1: $(cat "$T/mass")"
    if [ "$w" -ge 100 ]; then   # one line each where there is room
        for s in '<pad>: the start token' "e(x): the encoder's output" '--align reads these rows'; do
            grep -- "$s" "$T/step1" | grep -q '[a-z)]$' || fail "$size: [$s] is not on one line"
        done
    fi
    # force candidate 1, the model's own choice: not "forced by you"; candidate 2 is
    key 1; wait_for '^anuvad step.* 2( of |/)'; key b; wait_for '^anuvad step.* 1( of |/)'
    grab own
    hasnt own 'forced by you'
    key 2; wait_for '^anuvad step.* 2( of |/)'; key b; wait_for '^anuvad step.* 1( of |/)'
    grab forced
    has forced 'forced by you'
    key Enter; wait_for '^anuvad step.* 2( of |/)'
    # a single layer: the --align note does not apply
    key l; wait_for '^anuvad step.*layer 1'
    grab layer1
    hasnt layer1 '--align reads these rows'
    key l; key l; key l; wait_for '^anuvad step.*(mean of 3 layers|mean of the 3|layers: mean)'
    key n; wait_for '^anuvad step.*norm'
    grab norms
    has norms 'norms: each piece'
    hasnt norms 'C(.*) = '
    key n
    key '?'; wait_for '^anuvad step · help'
    grab help
    has help 'so far'
    key x; wait_for '^anuvad step.* 2( of |/)'
    key a; wait_for '^anuvad step.* done'
    grab end
    has end 'cross-attention'
    key q
done
[ $fails -eq 0 ] && echo "step screens: all passed" || { echo "step screens: $fails failed"; exit 1; }
