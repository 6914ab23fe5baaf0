#!/bin/sh
# The documentation stays inside the repository and agrees with the program: every relative
# link or backticked path in a markdown file that starts with ../ resolves inside the
# repository to a file that exists (a clone has nothing beside it), and --trace's format is
# named the same way by --help, the README and docs/trace.md. POSIX sh; run by make test.
set -u
A=${ANUVAD:-./anuvad}
. tests/tools/cli_lib.sh
root=$(pwd -P)
for f in $(git ls-files '*.md' 2>/dev/null || find . -name '*.md' -not -path './build*'); do
    dir=$(dirname "$f")
    # ](target) links, and `../...` paths written as code
    { grep -o '](\([^)#]*\)' "$f" | sed 's/^](//'; grep -o '`\.\./[^` ]*`' "$f" | tr -d '`'; } |
    while IFS= read -r link; do
        case $link in http://*|https://*|mailto:*|'') continue ;; esac
        target=$dir/$link
        if [ ! -e "$target" ]; then
            echo "FAIL: $f: link to $link: no such file"
            continue
        fi
        real=$(cd "$(dirname "$target")" && pwd -P)
        case $real/ in "$root"/*) ;; *) echo "FAIL: $f: link to $link leaves the repository" ;; esac
    done
done > "$T/links"
while IFS= read -r l; do fail "${l#FAIL: }"; done < "$T/links"

"$A" --help | grep -- '--trace' | grep -q 'JSON Lines' || fail "--help does not say --trace writes JSON Lines"
grep -q '^## `--trace FILE`: JSON Lines' docs/trace.md || fail "docs/trace.md: no JSON Lines heading"
tr '\n' ' ' < README.md | grep -q '`--trace` *writes every step as JSON Lines' ||
    fail "README: --trace is not described as JSON Lines"

[ $fails -eq 0 ] && echo "docs: all passed" || { echo "docs: $fails failed"; exit 1; }
