#!/usr/bin/env python3
"""Generate the English→Hindi corpus of simple sentences, with gold word alignments.

Output: OUT/{train,valid,test}.tsv, one pair per line, three tab-separated columns:
    english <TAB> hindi <TAB> alignment
The alignment is Pharaoh format, "i-j" pairs separated by spaces: English word i translates
(in part) Hindi word j, both 0-based indices into the whitespace-separated words of the two
sentences as written (punctuation stays attached to its word: "friends." is one word, and
"हैं।" is one word). Words with no counterpart (English articles, the question particle क्या)
have no pair.

Deterministic from --seed. The test and validation splits hold only sentences that contain a
verb–object or adjective–noun combination that never occurs in training (held out by hashing the
combination), so they measure generalisation, not recall. No pair is in two splits.

The lexicon and the morphology live in lexicon.py; this file is the grammar.
"""
import argparse
import hashlib
import os
import random

import lexicon as L


class Sentence:
    """English and Hindi words with alignment labels; the alignment is label equality."""
    def __init__(self):
        self.en, self.hi, self.n = [], [], 0
        self.combos = []

    def label(self):
        self.n += 1
        return self.n

    def alignment(self):
        pairs = []
        for j, (_, hl) in enumerate(self.hi):
            for i, (_, el) in enumerate(self.en):
                if el is not None and el in hl:
                    pairs.append((i, j))
        return sorted(pairs)


def en_seq(words, lab):
    return [(w, lab) for w in words.split()]


def hi_seq(words, *labs):
    return [(w, set(labs)) for w in words.split()]


class NP:
    """A noun phrase: pronoun, or [det|possessive] [number] [adjective] noun."""
    def __init__(self, rng, noun=None, pron=None, number="sg", det="the", num=None, adj=None,
                 poss=None, gender=None):
        self.noun, self.pron, self.number, self.det = noun, pron, number, det
        self.num, self.adj, self.poss = num, adj, poss
        if pron:
            p = L.PRONOUNS[pron]
            self.person, self.number, self.gender = p[6], p[7], p[8]
        else:
            self.person = 3
            self.gender = gender or noun.gender

    def emit(self, s):
        """Allocate labels and return the English words of this phrase."""
        if self.pron:
            self.lab = {"head": s.label()}
            return [(L.PRONOUNS[self.pron][0], self.lab["head"])]
        lab = self.lab = {"head": s.label(), "adj": s.label(), "num": s.label(),
                          "poss": s.label()}
        words = []
        if self.poss:
            words.append((L.PRONOUNS[self.poss][1], lab["poss"]))
        elif self.det:
            det = self.det
            if det == "a" and (self.adj[0] if self.adj else self.noun.en)[0] in "aeiou":
                det = "an"
            words.append((det, None))
        if self.num is not None:
            words.append((L.NUMBERS[self.num][0], lab["num"]))
        if self.adj:
            words.append((self.adj[0], lab["adj"]))
        words.append((self.noun.en_pl if self.number == "pl" else self.noun.en, lab["head"]))
        return words

    def hindi(self, case, subject=None):
        """case: dir | obl | erg (with ने) | dat (with को). `subject` decides अपना."""
        lab = self.lab
        if self.pron:
            p = L.PRONOUNS[self.pron]
            word = {"dir": p[2], "erg": p[3], "dat": p[4], "obl": p[2]}[case]
            return [(word, {lab["head"]})]
        oblique = case != "dir"
        out = []
        if self.poss:
            stem = "अपना" if reflexive(self.poss, subject) else L.PRONOUNS[self.poss][5]
            out.append((L.inflect_adj(stem, self.gender, self.number, oblique), {lab["poss"]}))
        if self.num is not None:
            out.append((L.NUMBERS[self.num][1], {lab["num"]}))
        if self.adj:
            out.append((L.fix_naya(L.inflect_adj(self.adj[1], self.gender, self.number, oblique)),
                        {lab["adj"]}))
        key = ("o" if oblique else "d") + ("p" if self.number == "pl" else "s")
        out += [(w, {lab["head"]}) for w in self.noun.forms[key].split()]
        if case == "erg":
            out.append(("ने", {lab["head"]}))
        if case == "dat":
            out.append(("को", {lab["head"]}))
        return out


def reflexive(poss, subject):
    """Hindi uses अपना for a possessor that is the subject (he reads his book → अपनी)."""
    if subject is None:
        return False
    if subject.pron:
        return subject.pron == poss
    if subject.number == "pl":
        return poss == "they"
    return poss == ("he" if subject.gender == "m" else "she")


class Agreement:
    """What a coordinated subject ("the boy and the girl") agrees as: 3rd person plural,
    feminine only when every conjunct is."""
    def __init__(self, gender):
        self.pron, self.person, self.number, self.gender = None, 3, "pl", gender


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    # ---- noun phrases ---------------------------------------------------------------------
    def pick_noun(self, cats):
        """cats: categories and/or specific English nouns."""
        pool = []
        for c in cats:
            pool += L.BY_CAT.get(c, []) or [L.NOUN[c]]
        return self.rng.choice(pool)

    def np(self, s, cats, allow_plural=True, allow_adj=True, allow_poss=True, no_det=False,
           allow_num=True):
        r = self.rng
        noun = self.pick_noun(cats)
        number = "pl" if allow_plural and not noun.mass and r.random() < 0.3 else "sg"
        num = det = adj = poss = None
        if noun.mass:
            det = None if r.random() < 0.7 else "the"
        elif allow_poss and r.random() < 0.2:
            poss = r.choice(L.POSSESSORS)
        elif number == "pl":
            if allow_num and r.random() < 0.35:
                num = r.randrange(1, 10)
            det = "the" if r.random() < 0.5 else None
        else:
            det = "the" if r.random() < 0.6 else "a"
        if number == "sg" and not noun.mass and allow_num and poss is None and r.random() < 0.05:
            num, det = 0, None                      # "one book"
        if number == "pl" and noun.en_pl == noun.en and num is None:
            number, det = "sg", "the"               # "the fish": say which number with a count
        if no_det and det:
            det = "the"
        if allow_adj and r.random() < 0.25:
            pool = L.COLOURS if noun.cat in ("object", "food") and r.random() < 0.4 else \
                [a for a in L.ADJECTIVES if a[0] in (L.ANIMATE_ADJ if noun.animate else L.THING_ADJ)]
            adj = r.choice(pool)
            s.combos.append(("an", adj[0], noun.en))
        return NP(r, noun=noun, number=number, det=det, num=num, adj=adj, poss=poss)

    def subject(self, s, pronoun_only=False, cats=("person", "animal")):
        r = self.rng
        if pronoun_only or r.random() < 0.55:
            return NP(r, pron=r.choice(["I", "you", "he", "she", "we", "they"]))
        return self.np(s, cats)

    # ---- English verb group -----------------------------------------------------------------
    @staticmethod
    def be(subj):
        if subj.pron == "I":
            return "am"
        return "is" if subj.number == "sg" and subj.pron != "you" else "are"

    @staticmethod
    def third_sg(subj):
        return subj.number == "sg" and subj.person == 3

    # ---- clauses ----------------------------------------------------------------------------
    def copula_noun(self, s, mood):
        r = self.rng
        subj = self.subject(s, pronoun_only=r.random() < 0.7)
        pool = [n for n in L.BY_CAT["person"] if n.common or n.gender == subj.gender]
        noun = r.choice(pool)
        if subj.number == "pl" and noun.mass:
            return None
        poss = r.choice(L.POSSESSORS) if r.random() < 0.35 else None
        if poss and reflexive(poss, subj) or poss == subj.pron:
            poss = None
        pred = NP(r, noun=noun, number=subj.number, det=None if subj.number == "pl" else "a",
                  poss=poss, gender=subj.gender)
        neg = mood == "statement" and r.random() < 0.2
        be = self.be(subj)
        lab_be, lab_not = s.label(), s.label()
        if mood == "wh":                            # who is your friend? -> तुम्हारा दोस्त कौन है?
            if not poss:
                return None
            subj = None
            pred.gender = noun.gender               # asker unknown: दोस्त etc. masculine
            lab_wh = s.label()
            pred.det = "the"
            pred_en = pred.emit(s)
            s.en = [("who", lab_wh), (be if pred.number == "pl" else "is", lab_be)] + pred_en
            s.hi = pred.hindi("dir") + [("कौन", {lab_wh}), (L.aux_present(3, pred.number), {lab_be})]
            return "?"
        subj_en = subj.emit(s)
        pred_en = pred.emit(s)
        if mood == "yesno":
            s.en = [(be, lab_be)] + subj_en + pred_en
        else:
            s.en = subj_en + [(be, lab_be)] + ([("not", lab_not)] if neg else []) + pred_en
        s.hi = subj.hindi("dir") + pred.hindi("dir", subject=None) + \
            ([("नहीं", {lab_not})] if neg else []) + \
            [(L.aux_present(subj.person, subj.number), {lab_be})]
        if mood == "yesno":
            s.hi = [("क्या", set())] + s.hi
            return "?"
        return "."

    def copula_adj(self, s, mood):
        r = self.rng
        if r.random() < 0.08:
            subj = NP(r, pron="it")
        elif r.random() < 0.5:
            subj = self.subject(s, pronoun_only=True)
        else:
            subj = self.np(s, ["person", "animal", "food", "place", "object"], allow_adj=False)
        animate = subj.pron not in ("it",) and (subj.pron or subj.noun.animate)
        pool = [a for a in L.ADJECTIVES if a[0] in (L.ANIMATE_ADJ if animate else L.THING_ADJ)]
        if not animate:
            pool += L.COLOURS
        adj = r.choice(pool)
        if subj.noun:
            s.combos.append(("an", adj[0], subj.noun.en))
        neg = mood == "statement" and r.random() < 0.2 or mood == "wh" and r.random() < 0.3
        be = self.be(subj)
        lab_be, lab_not, lab_adj, lab_wh = s.label(), s.label(), s.label(), s.label()
        subj_en = subj.emit(s)
        hadj = L.fix_naya(L.inflect_adj(adj[1], subj.gender, subj.number, False))
        aux = L.aux_present(subj.person, subj.number)
        if mood == "wh":                            # why are you sad? -> तुम उदास क्यों हो?
            if not animate:
                return None
            s.en = [("why", lab_wh), (be, lab_be)] + subj_en + \
                ([("not", lab_not)] if neg else []) + [(adj[0], lab_adj)]
            s.hi = subj.hindi("dir") + [(hadj, {lab_adj}), ("क्यों", {lab_wh})] + \
                ([("नहीं", {lab_not})] if neg else []) + [(aux, {lab_be})]
            return "?"
        if mood == "yesno":
            s.en = [(be, lab_be)] + subj_en + [(adj[0], lab_adj)]
        else:
            s.en = subj_en + [(be, lab_be)] + ([("not", lab_not)] if neg else []) + [(adj[0], lab_adj)]
        s.hi = subj.hindi("dir") + [(hadj, {lab_adj})] + \
            ([("नहीं", {lab_not})] if neg else []) + [(aux, {lab_be})]
        if mood == "yesno":
            s.hi = [("क्या", set())] + s.hi
            return "?"
        return "."

    def location(self, s, subj):
        """in the garden / on the table / near the river -> बगीचे में / मेज़ पर / नदी के पास."""
        r = self.rng
        kind = r.choice(["in", "on", "near"])
        cats = {"in": ["house", "school", "market", "garden", "city", "village", "room", "kitchen",
                       "park", "shop", "hospital", "office", "temple", "station", "forest", "field",
                       "library", "zoo", "bank", "hotel", "river", "lake", "box", "bag"],
                "on": ["table", "chair", "bed", "roof", "road", "street", "tree", "mountain", "boat",
                       "train", "bus"],
                "near": ["place", "object", "person"]}[kind]
        obj = self.np(s, cats, allow_num=False)
        lab = s.label()
        en = [(kind, lab)] + obj.emit(s)
        post = {"in": "में", "on": "पर", "near": "के पास"}[kind]
        return en, obj.hindi("obl", subject=subj) + hi_seq(post, lab)

    def copula_loc(self, s, mood):
        r = self.rng
        subj = self.subject(s) if r.random() < 0.5 else \
            self.np(s, ["object", "animal", "food"], allow_poss=True)
        be = self.be(subj)
        lab_be, lab_not, lab_wh = s.label(), s.label(), s.label()
        subj_en = subj.emit(s)
        aux = L.aux_present(subj.person, subj.number)
        if mood == "wh":                            # where is the book? -> किताब कहाँ है?
            s.en = [("where", lab_wh), (be, lab_be)] + subj_en
            s.hi = subj.hindi("dir") + [("कहाँ", {lab_wh}), (aux, {lab_be})]
            return "?"
        neg = mood == "statement" and r.random() < 0.2
        loc_en, loc_hi = self.location(s, None)
        if mood == "yesno":
            s.en = [(be, lab_be)] + subj_en + loc_en
        else:
            s.en = subj_en + [(be, lab_be)] + ([("not", lab_not)] if neg else []) + loc_en
        s.hi = subj.hindi("dir") + loc_hi + ([("नहीं", {lab_not})] if neg else []) + [(aux, {lab_be})]
        if mood == "yesno":
            s.hi = [("क्या", set())] + s.hi
            return "?"
        return "."

    # ---- full verbs -------------------------------------------------------------------------
    def verb_phrase(self, s, subj, verb_forms, hi_stem, transitive, objcats):
        """Choose the object and adjuncts. Returns a dict of English/Hindi pieces."""
        r = self.rng
        vp = {"obj": None, "io": None, "pp": None, "dest": None}
        if transitive:
            obj = self.np(s, objcats)
            # देखना, बुलाना, छूना mark a person or animal object with को
            obj.marked = obj.noun.animate and verb_forms[0] in ("see", "call", "touch")
            vp["obj"] = obj
            s.combos.append(("vo", verb_forms[0], obj.noun.en))
            if verb_forms[0] in ("give", "send") and r.random() < 0.7:
                vp["io"] = self.np(s, ["person", "animal"] if verb_forms[0] == "give" else ["person"],
                                   allow_num=False, allow_adj=False)
            elif r.random() < 0.25:
                vp["pp"] = self.pp(s, r.choice(["in", "with"]), subj)
        return vp

    def pp(self, s, kind, subj):
        r = self.rng
        lab = s.label()
        if kind == "with":
            obj = self.np(s, ["person"], allow_adj=False, allow_num=False)
            return [("with", lab)] + obj.emit(s), obj.hindi("obl", subj) + hi_seq("के साथ", lab)
        if kind == "in":
            obj = self.np(s, ["house", "school", "market", "garden", "city", "village", "room",
                              "kitchen", "park", "shop", "office", "library", "forest", "field",
                              "zoo", "hotel"], allow_num=False, allow_plural=False)
            return [("in", lab)] + obj.emit(s), obj.hindi("obl", subj) + hi_seq("में", lab)
        if kind == "in_water":
            obj = self.np(s, ["river", "lake", "sea"], allow_num=False, allow_plural=False)
            return [("in", lab)] + obj.emit(s), obj.hindi("obl", subj) + hi_seq("में", lab)
        if kind == "on":
            obj = self.np(s, ["bed", "chair", "roof", "table"], allow_num=False, allow_plural=False)
            return [("on", lab)] + obj.emit(s), obj.hindi("obl", subj) + hi_seq("पर", lab)
        if kind == "near":
            obj = self.np(s, ["place", "tree", "door", "window"], allow_num=False, allow_plural=False)
            return [("near", lab)] + obj.emit(s), obj.hindi("obl", subj) + hi_seq("के पास", lab)
        if kind == "to":                            # goes to school -> स्कूल जाता है
            pool = [n.en for n in L.BY_CAT["place"] if n.forms["os"] == n.forms["ds"]]
            obj = self.np(s, pool, allow_num=False, allow_plural=False, allow_adj=False)
            return [("to", None)] + obj.emit(s), obj.hindi("obl", subj)
        if kind in ("from", "from_thing"):
            cats = ["market", "school", "office", "village", "city", "hospital", "station", "bank",
                    "temple", "library", "field"] if kind == "from" else \
                ["tree", "chair", "roof", "bed", "table", "horse", "camel", "bicycle"]
            obj = self.np(s, cats, allow_num=False, allow_plural=False)
            return [("from", lab)] + obj.emit(s), obj.hindi("obl", subj) + hi_seq("से", lab)
        if kind == "onto":                          # climbs the tree -> पेड़ पर चढ़ता है
            obj = self.np(s, ["tree", "mountain", "roof", "bus", "train"], allow_num=False,
                          allow_plural=False)
            return obj.emit(s), obj.hindi("obl", subj) + [("पर", {"verb"})]
        raise ValueError(kind)

    def verb(self, s, mood):
        r = self.rng
        if r.random() < 0.6:
            forms, stem, objcats = r.choice(L.TRANSITIVE)
            transitive = True
        else:
            forms, stem, pps = r.choice(L.INTRANSITIVE)
            transitive, objcats = False, None
        tense = r.choices(["habitual", "progressive", "future", "past"], [30, 25, 20, 25])[0]
        wh = None
        if mood == "wh":
            options = ["when", "why", "where"]
            if transitive and forms[0] not in ("give", "send"):
                options.append("what")
            options.append("who")
            wh = r.choice(options)
        neg = (mood == "statement" and r.random() < 0.25) or (wh == "why" and r.random() < 0.3)
        if tense == "past" and forms[3] == forms[0] and not neg and mood != "yesno" and \
                wh in (None, "who"):
            tense = "future"                        # "I read books" would be present or past

        # subject (coordinated "X and Y" sometimes)
        first = self.subject(s)
        coord = None
        if wh != "who" and not first.pron and r.random() < 0.1:
            coord = self.np(s, ["person", "animal"], allow_plural=False)
            s.combos.append(("co", first.noun.en, coord.noun.en))
        lab_v, lab_aux, lab_not, lab_wh, lab_and = [s.label() for _ in range(5)]
        if wh == "who":
            subj = NP(r, pron="he")                 # कौन agrees as 3rd person masculine singular
            subj_en = [("who", lab_wh)]
        elif coord:
            subj_en = first.emit(s) + [("and", lab_and)] + coord.emit(s)
            subj = Agreement("f" if first.gender == coord.gender == "f" else "m")
        else:
            subj = first
            subj_en = subj.emit(s)
        s._subj_np = None if wh == "who" else subj

        # object, indirect object, adjunct
        vp = {"obj": None, "io": None, "pp": None}
        adjunct = None
        if transitive:
            vp = self.verb_phrase(s, subj, forms, stem, True, objcats)
            if wh == "what":
                vp["obj"] = None
            if wh != "where":
                adjunct = vp["pp"]
        elif pps and r.random() < 0.6 and wh != "where":
            kind = r.choice(sorted(pps))
            if kind == "in" and r.random() < 0.3:
                kind = "with"
            adjunct = self.pp(s, kind, subj)
            if kind == "to" and forms[0] == "arrive":   # arrives at school -> स्कूल पहुँचता है
                adjunct = ([("at", None)] + adjunct[0][1:], adjunct[1])
        if not transitive and r.random() < 0.1 and wh not in ("where",) and adjunct is None:
            adjunct = self.pp(s, "with", subj)

        # time word
        time = None
        if wh is None and r.random() < 0.25:
            choices = [t for t, (_, tenses) in L.TIME_WORDS.items() if tense in tenses]
            if choices:
                time = r.choice(choices)
        lab_t = s.label()

        # --- English ----------------------------------------------------------------------
        base, s3, ing, past = forms
        third = self.third_sg(subj) and wh != "who" or wh == "who"
        obj_en = []
        if vp["obj"] is not None:
            obj_en = vp["obj"].emit(s)
        io_en = []
        if vp["io"] is not None:
            lab_to = s.label()
            io_en = [("to", lab_to)] + vp["io"].emit(s)
            vp["io"].lab_to = lab_to
        adj_en, adj_hi = adjunct if adjunct else ([], [])
        front_time = time is not None and r.random() < 0.4
        verb_lab = lab_v
        adj_hi = [(w, {verb_lab} if ls == {"verb"} else ls) for w, ls in adj_hi]

        def main(word):
            return [(w, verb_lab) for w in word.split()]

        question = mood in ("yesno", "wh")
        if tense == "habitual":
            do = "does" if third else "do"
            if wh == "who":
                vg = main(s3)
            elif question:
                pre, post = [(do, lab_aux)], ([("not", lab_not)] if neg else []) + main(base)
            elif neg:
                vg = [(do, lab_aux), ("not", lab_not)] + main(base)
            else:
                vg = main(s3 if third else base)
        elif tense == "progressive":
            be = "is" if wh == "who" else self.be(subj)
            if question and wh != "who":
                pre, post = [(be, lab_aux)], ([("not", lab_not)] if neg else []) + main(ing)
            else:
                vg = [(be, lab_aux)] + ([("not", lab_not)] if neg else []) + main(ing)
        elif tense == "future":
            if question and wh != "who":
                pre, post = [("will", lab_v)], ([("not", lab_not)] if neg else []) + main(base)
            else:
                vg = [("will", lab_v)] + ([("not", lab_not)] if neg else []) + main(base)
        else:
            if question and wh != "who":
                pre, post = [("did", lab_v)], ([("not", lab_not)] if neg else []) + main(base)
            elif neg:
                vg = [("did", lab_v), ("not", lab_not)] + main(base)
            else:
                vg = main(past)
        rest = obj_en + io_en + adj_en
        if question and wh != "who":
            s.en = ([(wh, lab_wh)] if wh else []) + pre + subj_en + post + rest
        else:
            s.en = subj_en + vg + rest
        if time:
            t = [(w, lab_t) for w in time.split()]
            s.en = t + s.en if front_time else s.en + t

        # --- Hindi ------------------------------------------------------------------------
        g, n, p = subj.gender, subj.number, subj.person
        if wh == "who":
            g, n, p = "m", "sg", 3
        ergative = tense == "past" and (transitive or stem in L.NE_INTRANSITIVE)
        if wh == "who":
            subj_hi = [("किसने" if ergative else "कौन", {lab_wh})]
        elif coord:                                 # only the last conjunct takes ने
            subj_hi = first.hindi("obl" if ergative else "dir") + [("और", {lab_and})] + \
                coord.hindi("erg" if ergative else "dir")
        else:
            subj_hi = subj.hindi("erg" if ergative else "dir")

        obj = vp["obj"]
        obj_hi = []
        if obj is not None:
            obj_hi = obj.hindi("dat" if obj.marked else "dir", subject=s._subj_np)
        io_hi = []
        if vp["io"] is not None:
            io_hi = vp["io"].hindi("obl", subject=s._subj_np) + [("को", {vp["io"].lab_to})]
        if wh == "what":
            obj_hi = []

        # the verb group
        stem_words = stem.split()
        if tense == "habitual":
            fpl = neg and g == "f" and n == "pl"
            v = L.habitual(stem, g, "pl" if p == 2 else n, negative_fpl=fpl)
            vg_hi = [(w, {lab_v}) for w in v.split()]
            if not neg:
                vg_hi.append((L.aux_present(p, n), {lab_v, lab_aux}))
        elif tense == "progressive":
            vg_hi = [(w, {lab_v}) for w in stem_words] + \
                [(L.progressive(g, "pl" if p == 2 else n), {lab_aux}),
                 (L.aux_present(p, n), {lab_aux})]
        elif tense == "future":
            v = L.future(stem, p, n, g)
            vg_hi = [(w, {lab_v}) for w in v.split()]
        else:
            if ergative:
                if stem in L.NE_INTRANSITIVE:
                    ag, an = L.NE_INTRANSITIVE[stem]
                elif obj is None or obj.marked:
                    ag, an = "m", "sg"              # no agreeing object: masculine singular
                else:
                    ag, an = obj.gender, obj.number
            else:
                ag, an = g, ("pl" if p == 2 else n)
            v = L.perfective(stem, ag, an)
            vg_hi = [(w, {lab_v}) for w in v.split()]
        neg_hi = [("नहीं", {lab_not})] if neg else []
        wh_hi = []
        if wh in ("when", "why", "where"):
            wh_hi = [({"when": "कब", "why": "क्यों", "where": "कहाँ"}[wh], {lab_wh})]
        if wh == "what":
            wh_hi = [("क्या", {lab_wh})]
        time_hi = hi_seq(L.TIME_WORDS[time][0], lab_t) if time else []
        body = adj_hi + io_hi + obj_hi + wh_hi + neg_hi + vg_hi
        if front_time:
            s.hi = time_hi + subj_hi + body
        else:
            s.hi = subj_hi + time_hi + body
        if mood == "yesno":
            s.hi = [("क्या", set())] + s.hi
        return "?" if question else "."

    def like(self, s, mood):
        """X likes Y -> X-को Y पसंद है (हैं with a plural Y)."""
        r = self.rng
        subj = self.subject(s)
        obj = self.np(s, ["food", "drink", "animal", "object", "place"], allow_num=False)
        s.combos.append(("vo", "like", obj.noun.en))
        return self._like(s, mood, subj, obj, None)

    def like_verb(self, s, mood):
        """X likes V-ing Y -> X-को Y V-ना पसंद है ("मुझे आइसक्रीम खाना पसंद है")."""
        r = self.rng
        subj = self.subject(s)
        if r.random() < 0.65:
            forms, stem, objcats = r.choice([v for v in L.TRANSITIVE if v[0][0] not in ("give", "send", "see", "call")])
            obj = self.np(s, objcats, allow_num=False)
            s.combos.append(("vo", forms[0], obj.noun.en))
        else:
            forms, stem, _ = r.choice(L.INTRANSITIVE)
            obj = None
        return self._like(s, mood, subj, obj, (forms, stem))

    def _like(self, s, mood, subj, obj, verb):
        r = self.rng
        s._subj_np = subj
        lab_like, lab_aux, lab_not, lab_wh, lab_v = [s.label() for _ in range(5)]
        wh = mood == "wh" and (verb is None or obj is not None)
        if mood == "wh" and not wh:
            mood = "statement"
        neg = mood == "statement" and r.random() < 0.2
        subj_en = subj.emit(s)
        third = self.third_sg(subj)
        obj_en = obj.emit(s) if obj is not None and not wh else []
        verb_en = [(w, lab_v) for w in verb[0][2].split()] if verb else []
        like = "likes" if third else "like"
        do = "does" if third else "do"
        if mood == "yesno":
            s.en = [(do, lab_aux)] + subj_en + [("like", lab_like)] + verb_en + obj_en
        elif wh:
            s.en = [("what", lab_wh), (do, lab_aux)] + subj_en + [("like", lab_like)] + verb_en
        elif neg:
            s.en = subj_en + [(do, lab_aux), ("not", lab_not), ("like", lab_like)] + verb_en + obj_en
        else:
            s.en = subj_en + [(like, lab_like)] + verb_en + obj_en
        plural = obj is not None and obj.number == "pl" and verb is None and not wh
        obj_hi = [] if wh or obj is None else obj.hindi("dir", subject=subj)
        verb_hi = [(w, {lab_v}) for w in (verb[1] + "ना").split()] if verb else []
        s.hi = subj.hindi("dat") + obj_hi + ([("क्या", {lab_wh})] if wh else []) + verb_hi + \
            [("पसंद", {lab_like})] + ([("नहीं", {lab_not})] if neg else []) + \
            [("हैं" if plural else "है", {lab_like, lab_aux})]
        if mood == "yesno":
            s.hi = [("क्या", set())] + s.hi
        return "?" if mood != "statement" else "."

    # ---- sentences --------------------------------------------------------------------------
    def sentence(self):
        """One clause, or two statements joined by "and"."""
        n = 2 if self.rng.random() < 0.1 else 1
        parts = []
        for _ in range(n):
            for _attempt in range(20):
                s = Sentence()
                s._subj_np = None
                mark = self.build(s, statement=n > 1)
                if mark:
                    break
            parts.append((s, mark))
        return parts

    def build(self, s, statement=False):
        r = self.rng
        kind = r.choices(["copula_noun", "copula_adj", "copula_loc", "verb", "like", "like_verb"],
                         [8, 10, 7, 55, 10, 10])[0]
        mood = "statement" if statement else r.choices(["statement", "yesno", "wh"], [70, 15, 15])[0]
        return getattr(self, kind)(s, mood)


def render(parts, rng):
    """Join clauses, add punctuation and random capitalisation; compute the alignment."""
    en_words, hi_words, align, combos = [], [], [], []
    for k, (s, mark) in enumerate(parts):
        if k > 0:
            en_words.append("and")
            hi_words.append("और")
            align.append((len(en_words) - 1, len(hi_words) - 1))
        base_e, base_h = len(en_words), len(hi_words)
        align += [(i + base_e, j + base_h) for i, j in s.alignment()]
        en_words += [w for w, _ in s.en]
        hi_words += [w for w, _ in s.hi]
        combos += s.combos
    mark = parts[-1][1]
    if mark == "?":
        if rng.random() < 0.8:
            en_words[-1] += "?"
            hi_words[-1] += "?"
    elif rng.random() < 0.5:
        en_words[-1] += "."
        hi_words[-1] += "।"
    # People type "we are friends" and "i like …" as often as the capitalised forms: the first
    # letter is upper or lower case at random, "I" included.
    first = en_words[0]
    en_words[0] = (first[0].upper() if rng.random() < 0.5 else first[0].lower()) + first[1:]
    return " ".join(en_words), " ".join(hi_words), \
        " ".join(f"{i}-{j}" for i, j in sorted(align)), combos


def held_out(combo, seed, rate):
    h = hashlib.md5(f"{seed}:{combo}".encode()).digest()
    return int.from_bytes(h[:4], "little") / 2 ** 32 < rate


FOUNDING = [("I like eating ice-cream", "मुझे आइसक्रीम खाना पसंद है", "0-0 1-3 1-4 2-2 3-1"),
            ("we are friends", "हम दोस्त हैं", "0-0 1-2 2-1")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="work/corpus")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--train", type=int, default=200000, help="training pairs")
    ap.add_argument("--valid", type=int, default=1000)
    ap.add_argument("--test", type=int, default=2000)
    ap.add_argument("--held-out-rate", type=float, default=0.03,
                    help="share of verb-object / adjective-noun combinations kept out of training")
    a = ap.parse_args()
    gen = Gen(a.seed)
    rng = random.Random(a.seed + 1)
    seen = set()
    splits = {"train": [], "valid": [], "test": []}
    for en, hi, al in FOUNDING:
        for cap in (False, True):
            for dot in (False, True):
                e = (en[0].upper() if cap else en[0].lower()) + en[1:] + ("." if dot else "")
                h = hi + ("।" if dot else "")
                splits["train"].append((e, h, al))
                seen.add(e.lower())                 # keeps them out of valid and test
    tries = 0
    while len(splits["train"]) < a.train or len(splits["test"]) < a.test or \
            len(splits["valid"]) < a.valid:
        tries += 1
        if tries > 50 * (a.train + a.test + a.valid):
            raise SystemExit("corpus generator cannot find enough distinct sentences")
        en, hi, al, combos = render(gen.sentence(), rng)
        key = en.lower()
        if key in seen:
            continue
        if any(held_out(c, a.seed, a.held_out_rate) for c in combos):
            split = "test" if len(splits["test"]) < a.test and \
                (len(splits["valid"]) >= a.valid or rng.random() < 0.67) else "valid"
            if len(splits[split]) >= getattr(a, split):
                continue
        else:
            if len(splits["train"]) >= a.train:
                continue
            split = "train"
        seen.add(key)
        splits[split].append((en, hi, al))
    os.makedirs(a.out, exist_ok=True)
    for name, rows in splits.items():
        with open(os.path.join(a.out, f"{name}.tsv"), "w", encoding="utf-8") as f:
            for row in rows:
                f.write("\t".join(row) + "\n")
        print(f"{name}: {len(rows)} pairs")


if __name__ == "__main__":
    main()
