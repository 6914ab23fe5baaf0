#!/bin/sh
# The default model (models/en-hi.gguf): the founding examples in four spellings each, and
# greedy decoding identical to the PyTorch reference on 500 test-split sentences
# (tests/fixtures/engine/en-hi-greedy.tsv, written by scripts/fixtures_engine.py from the same
# file), with -t 1 and -t 2.
set -u
A=${ANUVAD:-./anuvad}
M=models/en-hi.gguf
REF=tests/fixtures/engine/en-hi-greedy.tsv
if [ ! -f $M ]; then
    echo "default_model.sh: skipped ($M not there yet)"
    exit 0
fi
. tests/tools/cli_lib.sh

# The founding examples, as arguments and on stdin; the default model is found without -m.
# With and without a capital letter and a final "." (which becomes the danda ।).
for v in "we are friends|हम दोस्त हैं" "We are friends|हम दोस्त हैं" \
         "we are friends.|हम दोस्त हैं।" "We are friends.|हम दोस्त हैं।" \
         "I like eating ice-cream|मुझे आइसक्रीम खाना पसंद है" \
         "i like eating ice-cream|मुझे आइसक्रीम खाना पसंद है" \
         "I like eating ice-cream.|मुझे आइसक्रीम खाना पसंद है।" \
         "i like eating ice-cream.|मुझे आइसक्रीम खाना पसंद है।"; do
    check_eq "$("$A" "${v%%|*}")" "${v#*|}" "${v%%|*}"
done
check_eq "$(printf 'we are friends\n\nI like eating ice-cream\n' | "$A" -m $M | tr '\n' '|')" \
    "हम दोस्त हैं||मुझे आइसक्रीम खाना पसंद है|" "stdin founding examples"

if [ ! -f $REF ] || [ "$(head -1 $REF)" != "# sha256 $(sha256sum $M | cut -d' ' -f1)" ]; then
    fail "$REF is missing or was made from another $M: scripts/fixtures_engine.py --default-model"
else
    # PARITY_LINES: fewer under make valgrind (slower by a factor of hundreds there).
    tail -n +2 $REF | head -n "${PARITY_LINES:-500}" | cut -f1 > "$T/in"
    tail -n +2 $REF | head -n "${PARITY_LINES:-500}" | cut -f2 > "$T/want"
    n=$(wc -l < "$T/in" | tr -d ' ')
    for t in 1 2; do
        "$A" -q -t $t -m $M < "$T/in" > "$T/out$t"
        check_eq $? 0 "-t $t exit"
        same=$(paste "$T/out$t" "$T/want" | awk -F'\t' '$1 == $2' | wc -l | tr -d ' ')
        echo "default_model.sh: greedy -t $t identical to the reference on $same/$n sentences"
        check_eq "$same" "$n" "greedy parity -t $t"
    done
fi
[ $fails -eq 0 ] && echo "default_model.sh: all passed" || { echo "default_model.sh: $fails failed"; exit 1; }
