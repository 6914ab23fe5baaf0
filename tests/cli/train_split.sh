#!/bin/sh
# make train's held-out pairs (scripts/train_own.py --split-only): on a generated file of 1,230
# pairs, some with words that occur in no other pair and some repeating another pair's source
# sentence, the test and validation pairs are 10% each, use only words that stay in training
# (checked here in awk, whitespace words with punctuation at the ends removed, case folded),
# share no source sentence with training, the three files together are the input, the draw
# is the same for the same seed and another for another seed, the count it reports of pairs
# with a once-only word is the one awk finds, and so is, for each test pair, the number of
# training pairs that hold its rarest word (evaluate.py --train groups by it). A file under
# 1000 pairs trains on everything.
# POSIX sh, /usr/bin/python3 (standard library only); run by make test.
set -u
PY=${PYTHON:-/usr/bin/python3}
. tests/tools/cli_lib.sh
command -v "$PY" > /dev/null 2>&1 || { echo "SKIP: no $PY"; exit 0; }

# 1200 sentences from small word lists, 40 with a source word of their own (zorbN), 30 with a
# target word of their own (qN), and the first 30 again with a capital and a full stop.
awk 'BEGIN {
    ns = split("i you we they she", S); nv = split("see take want like have make find need", V)
    no = split("dog cat tree book car house road apple river stone bird fish chair door lamp " \
               "cup hill boat coat shoe bell milk rice salt ring box key pen bag hat", O)
    for (i = 0; i < 1200; i++) {
        s = S[i % ns + 1]; v = V[int(i / ns) % nv + 1]; o = O[int(i / (ns * nv)) % no + 1]
        if (i % 5 == 3) o = "big " o
        if (i % 30 == 7) o = "zorb" i
        src = s " " v " the " o; tgt = "T" s " " o "-x " v "-y"
        if (i % 40 == 11) tgt = tgt " q" i
        print src "\t" tgt
        if (i < 30) print toupper(substr(src, 1, 1)) substr(src, 2) ".\t" tgt " ."
    }
}' > "$T/pairs.tsv"
n=$(lines "$T/pairs.tsv")
check_eq "$n" 1230 "generated pairs"

"$PY" scripts/train_own.py --data "$T/pairs.tsv" --langs en,xx --out "$T/a" --split-only \
    > "$T/a.log" 2>&1 || fail "train_own.py --split-only exited $?: $(cat "$T/a.log")"
check_eq "$(lines "$T/a/test.tsv")" 123 "test pairs"
check_eq "$(lines "$T/a/valid.tsv")" 123 "validation pairs"
check_eq "$(lines "$T/a/train.tsv")" $((n - 246)) "training pairs"
cat "$T/a/train.tsv" "$T/a/valid.tsv" "$T/a/test.tsv" | sort > "$T/all"
sort "$T/pairs.tsv" | cmp -s - "$T/all" || fail "train + valid + test is not the input"

# words FILE: "s WORD" and "t WORD" for every word of every line, one per line, per pair once
words() {
    awk -F '\t' '{
        delete seen
        for (side = 1; side <= 2; side++) {
            n = split($side, w, " ")
            for (j = 1; j <= n; j++) {
                x = tolower(w[j]); gsub(/^[[:punct:]]+|[[:punct:]]+$/, "", x)
                if (x != "" && !((side, x) in seen)) { seen[side, x] = 1; print (side == 1 ? "s " : "t ") x }
            }
        }
    }' "$1"
}
key() { cut -f1 "$1" | tr 'A-Z' 'a-z' | sed 's/[[:punct:]]*$//; s/^[[:punct:]]*//'; }

words "$T/a/train.tsv" | sort -u > "$T/train.words"
key "$T/a/train.tsv" | sort -u > "$T/train.keys"
for split in test valid; do
    missing=$(words "$T/a/$split.tsv" | sort -u | comm -23 - "$T/train.words" | head -3 | tr '\n' ' ')
    check_eq "$missing" "" "$split words not in training"
    shared=$(key "$T/a/$split.tsv" | sort -u | comm -12 - "$T/train.keys" | head -3)
    check_eq "$shared" "" "$split source sentences also in training"
done
check_eq "$( { key "$T/a/test.tsv"; key "$T/a/valid.tsv"; } | sort | uniq -d | head -1)" "" \
    "a source sentence in both test and validation"

# the pairs with a word that occurs in no other pair, counted in awk: reported as such
words "$T/pairs.tsv" | sort | uniq -u > "$T/once"
want=$(awk -F '\t' 'NR == FNR { once[$0] = 1; next }
    { hit = 0; for (side = 1; side <= 2; side++) { n = split($side, w, " ")
        for (j = 1; j <= n; j++) { x = tolower(w[j]); gsub(/^[[:punct:]]+|[[:punct:]]+$/, "", x)
            if (((side == 1 ? "s " : "t ") x) in once) hit = 1 } }
      c += hit } END { print c + 0 }' "$T/once" "$T/pairs.tsv")
grep -q "^$want of the $n pairs" "$T/a.log" || fail "pairs with a once-only word: want $want, log: $(head -1 "$T/a.log")"
[ "$want" -ge 60 ] || fail "the fixture has 68 pairs with a once-only word, awk finds $want"

# evaluate.py --train's grouping: for each test pair (and one with a word of its own), in how
# many training pairs its rarest word occurs, counted in awk
printf 'Zorbless unseen\tT-unseen\n' | cat "$T/a/test.tsv" - > "$T/probe.tsv"
words "$T/a/train.tsv" | sort | uniq -c > "$T/train.counts"
awk -F '\t' 'NR == FNR { n = $0; sub(/^ *[0-9]+ /, "", n); split($0, c, " "); count[n] = c[1]; next }
    { m = -1; for (side = 1; side <= 2; side++) { k = split($side, w, " ")
        for (j = 1; j <= k; j++) { x = tolower(w[j]); gsub(/^[[:punct:]]+|[[:punct:]]+$/, "", x)
            if (x == "") continue
            v = count[(side == 1 ? "s " : "t ") x] + 0; if (m < 0 || v < m) m = v } }
      print m }' "$T/train.counts" "$T/probe.tsv" > "$T/rare.awk"
"$PY" -c 'import sys; sys.path.insert(0, "scripts"); from train_own import read_lines, rarest_in_training
print("\n".join(map(str, rarest_in_training(read_lines(sys.argv[1]), read_lines(sys.argv[2])))))' \
    "$T/a/train.tsv" "$T/probe.tsv" > "$T/rare.py" 2>&1 || fail "rarest_in_training: $(cat "$T/rare.py")"
cmp -s "$T/rare.awk" "$T/rare.py" || fail "rarest word counts differ from awk's: $(diff "$T/rare.awk" "$T/rare.py" | head -4)"
check_eq "$(tail -1 "$T/rare.py")" 0 "rarest word of a pair with an unseen word"
[ "$(sort -u "$T/rare.awk" | wc -l)" -ge 3 ] || fail "the fixture's test pairs should span several rarest-word counts"

"$PY" scripts/train_own.py --data "$T/pairs.tsv" --langs en,xx --out "$T/b" --split-only > /dev/null 2>&1
cmp -s "$T/a/test.tsv" "$T/b/test.tsv" || fail "the same seed drew another test set"
"$PY" scripts/train_own.py --data "$T/pairs.tsv" --langs en,xx --out "$T/c" --split-only --seed 2 \
    > /dev/null 2>&1
cmp -s "$T/a/test.tsv" "$T/c/test.tsv" && fail "--seed 2 drew the same test set as seed 1"

head -500 "$T/pairs.tsv" > "$T/small.tsv"
"$PY" scripts/train_own.py --data "$T/small.tsv" --langs en,xx --out "$T/s" --split-only > /dev/null 2>&1
cmp -s "$T/small.tsv" "$T/s/train.tsv" || fail "500 pairs: training is not every pair"

[ $fails -eq 0 ] && echo "train_split: ok" && exit 0
exit 1
