# Sourced by the CLI tests (tests/cli/*.sh, run from the repository root): a scratch folder
# $T removed at exit, and the checks that count failures in $fails.
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check_eq() { [ "$1" = "$2" ] || fail "$3: got [$1], want [$2]"; }
lines() { wc -l < "$1" | tr -d ' '; }
