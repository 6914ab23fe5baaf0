# Sourced by the CLI tests (tests/cli/*.sh, run from the repository root): a scratch folder
# $T removed at exit, and the checks that count failures in $fails.
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check_eq() { [ "$1" = "$2" ] || fail "$3: got [$1], want [$2]"; }
lines() { wc -l < "$1" | tr -d ' '; }

# hostile_mix OUT N: the tiny model's lines, blank ones, a NUL byte (warning), a line longer
# than its 16 positions (warning), CRLF, invalid UTF-8; all N times over, into OUT.
hostile_mix() {
    {
        cut -f1 tests/fixtures/engine/cli_tiny.tsv
        printf '\n  \t\nwe are\000 friends\n'
        i=0; while [ $i -lt 30 ]; do printf 'the dog runs and '; i=$((i + 1)); done; echo
        printf 'the dog runs\r\ncaf\351 \377 we\n\f\n'
    } > "$1.one"
    i=0; : > "$1"
    while [ $i -lt "$2" ]; do cat "$1.one" >> "$1"; i=$((i + 1)); done
    rm -f "$1.one"
}

# Each test script talks to a tmux server of its own (socket anuvad-test-PID): on one shared
# server, a session started as the previous test killed the last one raced the server's exit
# ("server exited unexpectedly").
if command -v tmux > /dev/null 2>&1; then
    tmux() { command tmux -L "anuvad-test-$$" "$@"; }
fi

# The interactive tests drive a tmux session named $S: its screen, keys sent to it, and
# wait_for PATTERN (grep -E): until the screen matches, at most ~10 s.
screen() { tmux capture-pane -p -t "$S"; }
key() { tmux send-keys -t "$S" "$@"; }
wait_for() {
    i=0
    while [ $i -lt 50 ]; do
        screen | grep -Eq "$1" && return 0
        sleep 0.2
        i=$((i + 1))
    done
    fail "screen never showed /$1/:"
    screen | sed 's/^/    | /'
    return 1
}
