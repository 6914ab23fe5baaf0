#!/bin/sh
# anuvad step: plain text off a terminal (one screen per generated token, then the tables),
# and the interactive view driven in tmux: next, back, force a candidate (the forced token is
# in the prefix and decoding goes on from it), layer/head/word keys, play, quit — and the
# terminal settings are put back. POSIX sh; run by make test with ANUVAD=./anuvad.
set -u
A=${ANUVAD:-./anuvad}
M=tests/fixtures/engine/cli_tiny.gguf
. tests/tools/cli_lib.sh
S=anuvad-step-test-$$
cleanup() { tmux kill-session -t "$S" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

# ---- plain text: not a terminal ----
"$A" step -m $M "we are friends" < /dev/null > "$T/plain" 2> "$T/err"
[ $? -eq 0 ] || fail "plain exit status: $(cat "$T/err")"
want=$("$A" -m $M "we are friends")
n=$(grep -c '^anuvad step · step [0-9]* of ' "$T/plain")
total=$(sed -n 's/^anuvad step · step 1 of \([0-9]*\) .*/\1/p' "$T/plain")
[ -n "$total" ] && [ "$n" -eq "$total" ] || fail "plain: $n step screens for $total steps"
grep -q "^translation  $want\$" "$T/plain" || fail "plain: final translation is not [$want]"
grep -q '^cross-attention (rows' "$T/plain" || fail "plain: no cross-attention table"
grep -q '^self-attention (rows' "$T/plain" || fail "plain: no self-attention table"
grep -q 'mean of 2 heads' "$T/plain" || fail "plain: does not say which heads are shown"
# escape sequences only on a terminal
grep -q "$(printf '\033')" "$T/plain" && fail "plain: colour codes off a terminal"
"$A" step -m $M < /dev/null > /dev/null 2>&1
[ $? -eq 1 ] || fail "step without text should be a usage error"
# Several arguments: translation would take each as a sentence, so step does not silently
# join them into one; it refuses and says how to quote.
"$A" step -m $M "we are" "friends" < /dev/null > "$T/out" 2> "$T/err"
check_eq $? 1 "step with two arguments: exit"
grep -q "one sentence at a time, got 2 arguments" "$T/err" || fail "step with two arguments: $(cat "$T/err")"
[ -s "$T/out" ] && fail "step with two arguments printed steps"

# ---- interactive, in tmux ----
if ! command -v tmux > /dev/null 2>&1; then
    echo "SKIP: tmux not installed, interactive step view not tested"
    [ $fails -eq 0 ] && echo "step: ok" && exit 0
    exit 1
fi

tmux -f /dev/null new-session -d -s "$S" -x 120 -y 50 "env -u NO_COLOR sh" || { fail "tmux"; exit 1; }
key "stty -g > $T/before; PS1='$ '" Enter
key "clear; $A step -m $M --trace $T/st.json 'we are friends'; echo exit=\$?; stty -g > $T/after" Enter
wait_for '^anuvad step · step 1 of [0-9]+ ' || exit 1
wait_for 'mean of 2 heads'
key Enter
wait_for '^anuvad step · step 2 of '
key b
wait_for '^anuvad step · step 1 of '
# force candidate 3 at step 1
third=$(screen | sed -n 's/^[ →]* 3 \([^ ]*\) .*/\1/p' | head -1)
[ -n "$third" ] || fail "no third candidate on screen"
key 3
wait_for '^anuvad step · step 2 of '
screen | grep -q "^so far   [^ ]* $third\$" || fail "forced token [$third] is not in the prefix: $(screen | grep '^so far')"
screen | grep -Eq '^→ 1 ' || fail "decoding does not go on after the forced token"
key b
wait_for '\(forced by you\)'
screen | grep -Eq '^→ 3 ' || fail "the forced candidate is not marked chosen"
tmux capture-pane -e -p -t "$S" | grep -q "$(printf '\033')\\[" || fail "no colour on a terminal"
key h
wait_for 'head 1 of 2'
key l
wait_for 'decoder layer 1 of 2'
key w
wait_for ' word view'
key a
wait_for '^anuvad step · done in [0-9]+ steps'
screen | grep -q '^alignment' || fail "end screen has no alignment"
key q
wait_for '^exit=0'
sleep 0.3
cmp -s "$T/before" "$T/after" || fail "terminal settings not restored after q"
# --trace in step mode describes the decoding the view ended on: the forced first token
grep -q "^{.*\"steps\":\[{\"step\":0,\"token\":[0-9]*,\"piece\":\"$third\",[^}]*\"forced\":true" "$T/st.json" ||
    fail "step --trace: forced first token [$third] not in the trace"

# Ctrl-C restores the terminal too.
# (the shell drops the rest of a command list after a SIGINT, so ask again afterwards)
key "clear; NO_COLOR=1 $A step -m $M 'we are friends'" Enter
wait_for '^anuvad step · step 1 of '
tmux capture-pane -e -p -t "$S" | grep -q "$(printf '\033')\\[[0-9;]*m" && fail "colour with NO_COLOR set"
key C-c
sleep 0.5
key "stty -g > $T/after2; echo done=1" Enter
wait_for '^done=1'
cmp -s "$T/before" "$T/after2" || fail "terminal settings not restored after Ctrl-C"

[ $fails -eq 0 ] && echo "step: ok" && exit 0
exit 1
