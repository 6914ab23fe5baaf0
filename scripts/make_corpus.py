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
        self.rng = rng
        self.noun, self.pron, self.number, self.det = noun, pron, number, det
        self.num, self.adj, self.poss = num, adj, poss
        self.object = False                         # a pronoun says me/him/... in English
        if pron:
            p = L.PRONOUNS[pron]
            self.person, self.number, self.gender = p[6], p[7], p[8]
        else:
            self.person = 3
            self.gender = gender or noun.gender
        # hn: the number Hindi agrees with (the respectful plural of lexicon.HONORIFIC)
        self.hn = "pl" if self.number == "pl" or pron == "everyone" or \
            (noun is not None and noun.en in L.HONORIFIC) else "sg"

    def emit(self, s):
        """Allocate labels and return the English words of this phrase."""
        if self.pron:
            self.lab = {"head": s.label()}
            en = L.OBJECT_PRONOUN[self.pron] if self.object else L.PRONOUNS[self.pron][0]
            if self.pron in ("someone", "everyone") and self.rng.random() < 0.4:
                en = en.replace("one", "body")
            return [(en, self.lab["head"])]
        lab = self.lab = {"head": s.label(), "adj": s.label(), "num": s.label(),
                          "poss": s.label(), "det": s.label()}
        words = []
        if self.poss:
            words.append((L.PRONOUNS[self.poss][1], lab["poss"]))
        elif self.det in DEMONSTRATIVE or self.det in L.QUANT:
            words.append((self.det, lab["det"]))
        elif self.det:
            det = self.det
            if det == "a" and (self.adj[0] if self.adj else self.noun.en)[0] in "aeiou":
                det = "an"
            words.append((det, None))
        if self.num is not None:
            words += [(w, lab["num"]) for w in L.NUMBERS_100[self.num][0].split()]
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
            out.append((L.inflect_adj(stem, self.gender, self.hn, oblique), {lab["poss"]}))
        elif self.det in DEMONSTRATIVE:
            out.append((DEMONSTRATIVE[self.det][oblique], {lab["det"]}))
        elif self.det in L.QUANT:
            q = L.QUANT[self.det]
            out += [(w, {lab["det"]}) for w in L.inflect_adj(q, self.gender, self.hn, oblique).split()]
        if self.num is not None:
            out.append((L.NUMBERS_100[self.num][1], {lab["num"]}))
        if self.adj:
            out.append((L.fix_naya(L.inflect_adj(self.adj[1], self.gender, self.hn, oblique)),
                        {lab["adj"]}))
        key = ("o" if oblique else "d") + ("p" if self.number == "pl" else "s")
        out += [(w, {lab["head"]}) for w in self.noun.forms[key].split()]
        if case == "erg":
            out.append(("ने", {lab["head"]}))
        if case == "dat":
            out.append(("को", {lab["head"]}))
        return out


def close_yesno(s, mood):
    """A yes/no question starts with an unaligned क्या and ends with "?"; the rest are
    statements ending with "."."""
    if mood == "yesno":
        s.hi = [("क्या", set())] + s.hi
        return "?"
    return "."


DEMONSTRATIVE = {"this": ("यह", "इस"), "that": ("वह", "उस"), "these": ("ये", "इन"),
                 "those": ("वे", "उन")}


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
        self.hn = "pl"


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
                num = r.randrange(1, 10) if r.random() < 0.6 else r.randrange(10, 100)
            det = "the" if r.random() < 0.5 else None
            if r.random() < 0.15:
                det = r.choice(["these", "those"])
        else:
            det = "the" if r.random() < 0.6 else "a"
            if r.random() < 0.15:
                det = r.choice(["this", "that"])
        if number == "sg" and not noun.mass and allow_num and poss is None and r.random() < 0.05:
            num, det = 0, None                      # "one book"
        if number == "pl" and noun.en_pl == noun.en and num is None:
            number, det = "sg", "the"               # "the fish": say which number with a count
        if no_det and det and det not in DEMONSTRATIVE and det not in L.QUANT:
            det = "the"
        if det in ("the", "a", None) and not num and r.random() < 0.06:
            q = r.choice(list(L.QUANT))
            if q in L.QUANT_PLURAL and (number == "pl" or noun.mass and q not in ("both", "a few")) or \
                    q in ("every", "another", "each") and number == "sg" and not noun.mass:
                det = q
        if det in ("the", "a") and allow_adj and r.random() < 0.05:
            det, adj = "the", r.choice(L.DET_ADJ)
            return NP(r, noun=noun, number=number, det=det, num=num, adj=adj, poss=poss)
        if allow_adj and r.random() < 0.25:
            pool = L.COLOURS if noun.cat in ("object", "food") and r.random() < 0.4 else \
                [a for a in L.ADJECTIVES if a[0] in (L.ANIMATE_ADJ if noun.animate else L.THING_ADJ)]
            adj = r.choice(pool)
            if adj[0] == "old" and noun.animate:
                adj = L.OLD_ANIMATE
            s.combos.append(("an", adj[0], noun.en))
        return NP(r, noun=noun, number=number, det=det, num=num, adj=adj, poss=poss)

    def subject(self, s, pronoun_only=False, cats=("person", "animal")):
        r = self.rng
        if pronoun_only or r.random() < 0.55:
            if r.random() < 0.04:
                return NP(r, pron=r.choice(["someone", "everyone"]))
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
        s._cop = subj
        s.hi = subj.hindi("dir") + pred.hindi("dir", subject=None) + \
            ([("नहीं", {lab_not})] if neg else []) + \
            [(L.aux_present(subj.person, subj.hn), {lab_be})]
        return close_yesno(s, mood)

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
        if adj[0] == "old" and animate:
            adj = L.OLD_ANIMATE
        if subj.noun:
            s.combos.append(("an", adj[0], subj.noun.en))
        neg = mood == "statement" and r.random() < 0.2 or mood == "wh" and r.random() < 0.3
        be = self.be(subj)
        lab_be, lab_not, lab_adj, lab_wh = s.label(), s.label(), s.label(), s.label()
        subj_en = subj.emit(s)
        hadj = L.fix_naya(L.inflect_adj(adj[1], subj.gender, subj.hn, False))
        aux = L.aux_present(subj.person, subj.hn)
        very = r.random() < 0.15                    # very big -> बहुत बड़ा
        if very:
            s.very = s.label()
            adj = ("very " + adj[0], adj[1])
            hadj = "बहुत " + hadj
        if mood == "wh":                            # why are you sad? -> तुम उदास क्यों हो?
            if not animate:
                return None
            s.en = [("why", lab_wh), (be, lab_be)] + subj_en + \
                ([("not", lab_not)] if neg else []) + [(adj[0], lab_adj)]
            s._cop = subj
            s.hi = subj.hindi("dir") + [(hadj, {lab_adj}), ("क्यों", {lab_wh})] + \
                ([("नहीं", {lab_not})] if neg else []) + [(aux, {lab_be})]
            return "?"
        if mood == "yesno":
            s.en = [(be, lab_be)] + subj_en + [(adj[0], lab_adj)]
        else:
            s.en = subj_en + [(be, lab_be)] + ([("not", lab_not)] if neg else []) + [(adj[0], lab_adj)]
        s._cop = subj
        s.hi = subj.hindi("dir") + [(hadj, {lab_adj})] + \
            ([("नहीं", {lab_not})] if neg else []) + [(aux, {lab_be})]
        return close_yesno(s, mood)

    def location(self, s, subj):
        """in the garden / on the table / near the river -> बगीचे में / मेज़ पर / नदी के पास."""
        r = self.rng
        kind = r.choice(["in", "on", "near", "in", "on", "near", "under", "behind",
                         "in front of", "around", "over"])
        cats = {"in": ["house", "school", "market", "garden", "city", "village", "room", "kitchen",
                       "park", "shop", "hospital", "office", "temple", "station", "forest", "field",
                       "library", "zoo", "bank", "hotel", "river", "lake", "box", "bag"],
                "on": ["table", "chair", "bed", "roof", "road", "street", "tree", "mountain", "boat",
                       "train", "bus"],
                "near": ["place", "object", "person"]}.get(kind, ["object", "place", "tree"])
        obj = self.np(s, cats, allow_num=False)
        lab = s.label()
        en = [(w, lab) for w in kind.split()] + obj.emit(s)
        post = {"in": "में", "on": "पर", "near": "के पास", "under": "के नीचे", "behind": "के पीछे",
                "in front of": "के सामने", "around": "के आसपास", "over": "के ऊपर"}[kind]
        return en, obj.hindi("obl", subject=subj) + hi_seq(post, lab)

    def copula_loc(self, s, mood):
        r = self.rng
        subj = self.subject(s) if r.random() < 0.5 else \
            self.np(s, ["object", "animal", "food"], allow_poss=True)
        be = self.be(subj)
        lab_be, lab_not, lab_wh = s.label(), s.label(), s.label()
        subj_en = subj.emit(s)
        aux = L.aux_present(subj.person, subj.hn)
        if mood == "wh":                            # where is the book? -> किताब कहाँ है?
            s.en = [("where", lab_wh), (be, lab_be)] + subj_en
            s._cop = subj
            s.hi = subj.hindi("dir") + [("कहाँ", {lab_wh}), (aux, {lab_be})]
            return "?"
        neg = mood == "statement" and r.random() < 0.2
        loc_en, loc_hi = self.location(s, None)
        if mood == "yesno":
            s.en = [(be, lab_be)] + subj_en + loc_en
        else:
            s.en = subj_en + [(be, lab_be)] + ([("not", lab_not)] if neg else []) + loc_en
        s._cop = subj
        s.hi = subj.hindi("dir") + loc_hi + ([("नहीं", {lab_not})] if neg else []) + [(aux, {lab_be})]
        return close_yesno(s, mood)

    # ---- full verbs -------------------------------------------------------------------------
    def verb_phrase(self, s, subj, verb_forms, hi_stem, transitive, objcats):
        """Choose the object and adjuncts. Returns a dict of English/Hindi pieces."""
        r = self.rng
        vp = {"obj": None, "io": None, "pp": None, "dest": None}
        if transitive:
            if verb_forms[0] in ("see", "call", "touch", "know", "wake", "kiss", "follow", "kill") and \
                    r.random() < 0.35:
                # me/him/her/us/them -> मुझे/उसे/उसे/हमें/उन्हें
                pron = r.choice([p for p in ["I", "you", "he", "she", "we", "they"]
                                 if p != subj.pron])
                obj = NP(r, pron=pron)
                obj.object = obj.marked = True
                vp["obj"] = obj
                return vp
            obj = self.np(s, objcats)
            # देखना, बुलाना, छूना mark a person or animal object with को
            obj.marked = obj.noun.animate and verb_forms[0] in ("see", "call", "touch", "know",
                                                                 "wake", "kiss", "follow", "kill")
            vp["obj"] = obj
            s.combos.append(("vo", verb_forms[0], obj.noun.en))
            s.combos.append(("lex", obj.noun.en))
            if verb_forms[0] in ("give", "send", "tell") and r.random() < 0.7:
                vp["io"] = self.np(s, ["person", "animal"] if verb_forms[0] == "give" else ["person"],
                                   allow_num=False, allow_adj=False)
            elif r.random() < 0.25:
                vp["pp"] = self.pp(s, r.choice(["in", "with", "for", "without"]), subj)
        return vp

    def pp(self, s, kind, subj):
        r = self.rng
        lab = s.label()
        if kind == "by":                            # by bus -> बस से
            obj = self.np(s, ["bus", "train", "car", "bicycle", "boat"], allow_num=False,
                          allow_adj=False, allow_poss=False, allow_plural=False)
            obj.det = None
            return [("by", lab)] + obj.emit(s), obj.hindi("obl", subj) + hi_seq("से", lab)
        if kind == "into":                          # into the room -> कमरे में
            obj = self.np(s, ["room", "house", "kitchen", "shop", "school", "river", "forest"],
                          allow_num=False, allow_plural=False)
            return [("into", lab)] + obj.emit(s), obj.hindi("obl", subj) + hi_seq("में", lab)
        if kind == "about":                         # about the book -> किताब के बारे में
            obj = self.np(s, ["person", "object", "thing", "place"], allow_num=False)
            return [("about", lab)] + obj.emit(s), obj.hindi("obl", subj) + hi_seq("के बारे में", lab)
        if kind in ("after", "before"):             # after school -> स्कूल के बाद
            obj = self.np(s, ["school", "work", "breakfast", "class", "dinner"] if "dinner" in L.NOUN
                          else ["school", "work", "breakfast"], allow_num=False, allow_adj=False,
                          allow_poss=False, allow_plural=False)
            obj.det = None
            post = "के बाद" if kind == "after" else "से पहले"
            return [(kind, lab)] + obj.emit(s), obj.hindi("obl", subj) + hi_seq(post, lab)
        if kind in ("with", "for", "without"):
            obj = self.np(s, ["person"], allow_adj=False, allow_num=False)
            post = {"with": "के साथ", "for": "के लिए", "without": "के बिना"}[kind]
            return [(kind, lab)] + obj.emit(s), obj.hindi("obl", subj) + hi_seq(post, lab)
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
        if kind == "to" and r.random() < 0.15:      # goes home -> घर जाता है
            return [("home", lab)], [("घर", {lab})]
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

    def verb(self, s, mood, tense=None, hindi_tense=None):
        """A clause with a full verb. tense: English tense (random if None); hindi_tense: the
        Hindi tense when it differs (an "if" clause: English present, Hindi future)."""
        r = self.rng
        hand = r.random() < 0.6                     # the hand lexicon's verbs, or the dictionary's
        if r.random() < 0.6:
            forms, stem, objcats = r.choice(L.HAND_TRANSITIVE if hand else L.AUTO_TRANSITIVE)
            transitive = True
        else:
            forms, stem, pps = r.choice(L.HAND_INTRANSITIVE if hand else L.AUTO_INTRANSITIVE)
            transitive, objcats = False, None
        if tense is None:
            tense = r.choices(["habitual", "progressive", "future", "past", "pastprog", "perfect",
                               "pluperfect", "perfprog"], [26, 20, 17, 21, 7, 7, 3, 2])[0]
        wh = None
        if mood == "wh":
            options = ["when", "why", "where", "how"]
            if transitive and forms[0] not in ("give", "send"):
                options.append("what")
            options.append("who")
            wh = r.choice(options)
        neg = (mood == "statement" and r.random() < 0.25) or (wh == "why" and r.random() < 0.3)
        if tense == "past" and forms[3] == forms[0] and not neg and mood != "yesno" and \
                wh in (None, "who"):
            tense = "future"                        # "I read books" would be present or past
        htense = hindi_tense or tense
        s._sub = s._sub if getattr(s, "kind", "") == "joined" else tense

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
            words = L.TIME_WORDS if r.random() < 0.5 else L.ADVERBS
            choices = [t for t, (_, tenses) in words.items() if tense in tenses]
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
        front_time = time in L.TIME_WORDS and r.random() < 0.4
        verb_lab = lab_v
        adj_hi = [(w, {verb_lab} if ls == {"verb"} else ls) for w, ls in adj_hi]

        def main(word):
            return [(w, verb_lab) for w in word.split()]

        question = mood in ("yesno", "wh")
        freq = None                                 # always/often/sometimes/usually/never
        if tense == "habitual":
            do = "does" if third else "do"
            if wh == "who":
                vg = main(s3)
            elif question:
                pre, post = [(do, lab_aux)], ([("not", lab_not)] if neg else []) + main(base)
            elif neg:
                vg = [(do, lab_aux), ("not", lab_not)] + main(base)
            elif time is None and hindi_tense is None and r.random() < 0.15:
                freq = r.choice(list(L.FREQ_ADV))
                vg = [(freq, lab_t)] + main(s3 if third else base)
            else:
                vg = main(s3 if third else base)
        elif tense == "progressive" and not question and not neg and time is None and \
                r.random() < 0.1:                   # is still sleeping -> अभी भी सो रहा है
            freq = "still"
            vg = [(self.be(subj), lab_aux), ("still", lab_t)] + main(ing)
        elif tense == "progressive":
            be = "is" if wh == "who" else self.be(subj)
            if question and wh != "who":
                pre, post = [(be, lab_aux)], ([("not", lab_not)] if neg else []) + main(ing)
            else:
                vg = [(be, lab_aux)] + ([("not", lab_not)] if neg else []) + main(ing)
        elif tense == "future" and not question and not neg and r.random() < 0.2:
            # going to eat -> खाएगा (and "gonna" a third of the time)
            be = self.be(subj)
            going = [("gonna", lab_v)] if r.random() < 0.3 else [("going", lab_v), ("to", lab_v)]
            vg = [(be, lab_aux)] + going + main(base)
            lab_aux = lab_v
        elif tense == "future":
            if question and wh != "who":
                pre, post = [("will", lab_v)], ([("not", lab_not)] if neg else []) + main(base)
            else:
                vg = [("will", lab_v)] + ([("not", lab_not)] if neg else []) + main(base)
        elif tense == "pluperfect":                 # had eaten -> खाया था
            pp = L.past_participle(forms)
            if question and wh != "who":
                pre, post = [("had", lab_aux)], ([("not", lab_not)] if neg else []) + main(pp)
            else:
                vg = [("had", lab_aux)] + ([("not", lab_not)] if neg else []) + main(pp)
        elif tense == "perfprog":                   # has been waiting -> इंतज़ार कर रहा है
            have = "has" if third else "have"
            if question and wh != "who":
                pre, post = [(have, lab_aux)], ([("not", lab_not)] if neg else []) + \
                    [("been", lab_aux)] + main(ing)
            else:
                vg = [(have, lab_aux)] + ([("not", lab_not)] if neg else []) + \
                    [("been", lab_aux)] + main(ing)
        elif tense == "pastprog":                   # was eating -> खा रहा था
            be = "was" if wh == "who" or subj.number == "sg" and subj.pron != "you" else "were"
            if question and wh != "who":
                pre, post = [(be, lab_aux)], ([("not", lab_not)] if neg else []) + main(ing)
            else:
                vg = [(be, lab_aux)] + ([("not", lab_not)] if neg else []) + main(ing)
        elif tense == "perfect":                    # has eaten -> खाया है
            have = "has" if third else "have"
            pp = L.past_participle(forms)
            if not question and not neg and time is None and r.random() < 0.2:
                freq = r.choice(["just", "already"])        # has just eaten -> अभी खाया है
                vg = [(have, lab_aux), (freq, lab_t)] + main(pp)
            elif question and wh != "who":
                pre, post = [(have, lab_aux)], ([("not", lab_not)] if neg else []) + main(pp)
            else:
                vg = [(have, lab_aux)] + ([("not", lab_not)] if neg else []) + main(pp)
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
        g, n, p = subj.gender, subj.hn, subj.person
        if wh == "who":
            g, n, p = "m", "sg", 3
        tense = {"perfprog": "progressive"}.get(htense, htense)
        if freq == "never":                         # never eats -> कभी नहीं खाता
            neg, lab_not = True, lab_t
        ergative = tense in ("past", "perfect", "pluperfect") and (transitive or stem in L.NE_INTRANSITIVE) \
            and stem not in L.NON_ERGATIVE
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
        elif tense == "pastprog":
            pn = "pl" if p == 2 else n
            vg_hi = [(w, {lab_v}) for w in stem_words] + \
                [(L.progressive(g, pn), {lab_aux}), (L.past_aux(g, pn), {lab_aux})]
        elif tense in ("perfect", "pluperfect"):
            if ergative:
                if stem in L.NE_INTRANSITIVE and not transitive:
                    ag, an = L.NE_INTRANSITIVE[stem]
                elif obj is None or obj.marked:
                    ag, an = "m", "sg"
                else:
                    ag, an = obj.gender, obj.hn
                aux = "है" if an == "sg" else "हैं"
            else:
                ag, an = g, ("pl" if p == 2 else n)
                aux = L.aux_present(p, n)
            if tense == "pluperfect":
                aux = L.past_aux(ag, an)
            # the feminine plural's nasal moves to the auxiliary: पढ़ी हैं, गई हैं
            v = L.perfective(stem, ag, "sg" if ag == "f" else an)
            vg_hi = [(w, {lab_v}) for w in v.split()] + [(aux, {lab_aux})]
        else:
            if ergative:
                if stem in L.NE_INTRANSITIVE and not transitive:
                    ag, an = L.NE_INTRANSITIVE[stem]
                elif obj is None or obj.marked:
                    ag, an = "m", "sg"              # no agreeing object: masculine singular
                else:
                    ag, an = obj.gender, obj.hn
            else:
                ag, an = g, ("pl" if p == 2 else n)
            v = L.perfective(stem, ag, an)
            vg_hi = [(w, {lab_v}) for w in v.split()]
        neg_hi = [("नहीं", {lab_not})] if neg else []
        wh_hi = []
        if wh in ("when", "why", "where", "how"):
            wh_hi = [({"when": "कब", "why": "क्यों", "where": "कहाँ", "how": "कैसे"}[wh], {lab_wh})]
        if wh == "what":
            wh_hi = [("क्या", {lab_wh})]
        time_hi = hi_seq({**L.TIME_WORDS, **L.ADVERBS}[time][0], lab_t) if time else []
        if freq:
            time_hi = hi_seq({**L.FREQ_ADV, "just": "अभी", "already": "पहले ही",
                              "still": "अभी भी"}[freq], lab_t)
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

    # ---- everyday constructions (issue 14) ---------------------------------------------------
    def copula_past(self, s, mood):
        """was/were: the copula of copula_adj/noun/loc in the past (था थी थे थीं)."""
        kind = self.rng.choice([self.copula_adj, self.copula_noun, self.copula_loc])
        mark = kind(s, mood)
        subj = s._cop
        if not mark or subj is None:
            return None
        future = mark == "." and self.rng.random() < 0.3      # will be -> होगा
        for k, (w, lab) in enumerate(s.en):
            if w in ("am", "is", "are"):
                s.en[k:k + 1] = [("will", lab), ("be", lab)] if future else \
                    [("were" if w == "are" else "was", lab)]
                if future and k + 2 < len(s.en) and s.en[k + 2][0] == "not":
                    s.en[k + 1], s.en[k + 2] = s.en[k + 2], s.en[k + 1]     # will not be
                break
        n = "pl" if subj.person == 2 else subj.hn
        for k in range(len(s.hi) - 1, -1, -1):
            if s.hi[k][0] in ("हूँ", "है", "हैं", "हो"):
                s.hi[k] = (L.future_be(subj.person, n, subj.gender) if future else
                           L.past_aux(subj.gender, n), s.hi[k][1])
                break
        return mark

    def _possessor(self, s, subj, lab):
        """मेरे पास / लड़के के पास: the possessor of have/has."""
        if subj.pron:
            stem = L.PRONOUNS[subj.pron][5]
            return [(stem[:-1] + "े", {subj.lab["head"]}), ("पास", {lab})]
        return subj.hindi("obl") + [("के", {lab}), ("पास", {lab})]

    def have(self, s, mood):
        """I have a book -> मेरे पास किताब है; how many books do you have? -> तुम्हारे पास
        कितनी किताबें हैं?"""
        r = self.rng
        subj = self.subject(s)
        lab_have, lab_do, lab_not, lab_wh = s.label(), s.label(), s.label(), s.label()
        third = self.third_sg(subj)
        subj_en = subj.emit(s)
        if mood == "wh":                            # how many
            noun = self.pick_noun(["object", "animal", "thing", "food"])
            if noun.mass or noun.en_pl == noun.en:
                return None
            obj = NP(r, noun=noun, number="pl", det=None)
            obj_en = obj.emit(s)
            many = s.label()
            s.en = [("how", lab_wh), ("many", many)] + obj_en + \
                [("does" if third else "do", lab_do)] + subj_en + [("have", lab_have)]
            kitna = "कितनी" if noun.gender == "f" else "कितने"
            s.hi = self._possessor(s, subj, lab_have) + [(kitna, {lab_wh, many})] + \
                obj.hindi("dir") + [("हैं", {lab_have})]
            return "?"
        obj = self.np(s, ["object", "animal", "thing", "food"], allow_poss=False)
        if obj.det == "the" and obj.number == "sg" and not obj.noun.mass and obj.num is None \
                and r.random() < 0.7:
            obj.det = "a"
        obj_en = obj.emit(s)
        neg = mood == "statement" and r.random() < 0.25
        aux = "है" if obj.hn == "sg" else "हैं"
        only = []
        if mood == "statement" and not neg and obj.num is not None and r.random() < 0.3:
            lab_only = s.label()                    # only two books -> सिर्फ़ दो किताबें
            obj_en, only = [("only", lab_only)] + obj_en, [("सिर्फ़", {lab_only})]
        if mood == "yesno":
            s.en = [("does" if third else "do", lab_do)] + subj_en + [("have", lab_have)] + obj_en
        elif neg:
            s.en = subj_en + [("does" if third else "do", lab_do), ("not", lab_not),
                              ("have", lab_have)] + obj_en
        else:
            s.en = subj_en + [("has" if third else "have", lab_have)] + obj_en
        s.hi = self._possessor(s, subj, lab_have) + only + obj.hindi("dir") + \
            ([("नहीं", {lab_not})] if neg else []) + [(aux, {lab_have})]
        return close_yesno(s, mood)

    def _verb_and_object(self, s, subj, marked_ok=True):
        """A verb (hand or dictionary) with its object or none: (forms, stem, obj NP or None)."""
        r = self.rng
        hand = r.random() < 0.6
        if r.random() < 0.6:
            forms, stem, cats = r.choice(L.HAND_TRANSITIVE if hand else L.AUTO_TRANSITIVE)
            if forms[0] in ("give", "send"):
                return None
            obj = self.np(s, cats, allow_num=False)
            obj.marked = obj.noun.animate and forms[0] in ("see", "call", "touch", "know")
            if obj.marked and not marked_ok:
                return None
            s.combos.append(("vo", forms[0], obj.noun.en))
            s.combos.append(("lex", obj.noun.en))
            return forms, stem, obj
        forms, stem, _ = r.choice(L.HAND_INTRANSITIVE if hand else L.AUTO_INTRANSITIVE)
        return forms, stem, None

    def modal(self, s, mood):
        """can / want to / should / must + verb."""
        r = self.rng
        subj = self.subject(s)
        modal = r.choice(["can", "can", "want", "should", "must", "have to"])
        vo = self._verb_and_object(s, subj, marked_ok=modal in ("can", "want"))
        if vo is None:
            return None
        forms, stem, obj = vo
        s._sub = s._sub if getattr(s, "kind", "") == "joined" else modal
        if stem == "भाग जा":                        # can run away -> भाग सकता
            stem = "भाग"
        lab_m, lab_do, lab_not, lab_v = s.label(), s.label(), s.label(), s.label()
        third = self.third_sg(subj)
        subj_en = subj.emit(s)
        obj_en = obj.emit(s) if obj else []
        if mood == "wh" or (modal == "must" and mood == "yesno"):
            mood = "statement"
        neg = mood == "statement" and modal not in ("must", "have to") and r.random() < 0.25
        verb_en = [(w, lab_v) for w in forms[0].split()]
        g, n, p = subj.gender, ("pl" if subj.person == 2 else subj.hn), subj.person
        obj_hi = obj.hindi("dat" if obj.marked else "dir", subject=subj) if obj else []
        stem_hi = [(w, {lab_v}) for w in stem.split()]
        neg_hi = [("नहीं", {lab_not})] if neg else []
        if modal == "can" and mood == "yesno" and subj.pron == "you" and r.random() < 0.4:
            # could you (please) open the door? -> क्या आप (कृपया) दरवाज़ा खोल सकते हैं?
            please = r.random() < 0.5
            lab_p = s.label()
            s.en = [("could", lab_m)] + subj_en + ([("please", lab_p)] if please else []) + \
                verb_en + obj_en
            s.hi = [("क्या", set()), ("आप", {subj.lab["head"]})] + \
                ([("कृपया", {lab_p})] if please else []) + obj_hi + stem_hi + \
                [("सकते", {lab_m}), ("हैं", {lab_m})]
            return "?"
        if modal == "can":                          # मैं तैर सकता हूँ / तैर नहीं सकता
            if mood == "yesno":
                s.en = [("can", lab_m)] + subj_en + verb_en + obj_en
            else:
                s.en = subj_en + ([("cannot", lab_m)] if neg else [("can", lab_m)]) + verb_en + obj_en
                neg_hi = [("नहीं", {lab_m})] if neg else []
            sak = L.habitual("सक", g, n, negative_fpl=neg and g == "f" and n == "pl")
            s.hi = subj.hindi("dir") + obj_hi + stem_hi + neg_hi + [(sak, {lab_m})] + \
                ([] if neg else [(L.aux_present(p, subj.hn), {lab_m})])
        elif modal == "want":                       # मैं सेब खाना चाहता हूँ
            do = "does" if third else "do"
            to = s.label()
            if mood == "yesno":
                s.en = [(do, lab_do)] + subj_en + [("want", lab_m), ("to", to)] + verb_en + obj_en
            elif neg:
                s.en = subj_en + [(do, lab_do), ("not", lab_not), ("want", lab_m), ("to", to)] + \
                    verb_en + obj_en
            else:
                past = r.random() < 0.25
                s.en = subj_en + [("wanted" if past else "wants" if third else "want", lab_m),
                                  ("to", to)] + verb_en + obj_en
                if not past and not third and r.random() < 0.25:       # wanna
                    s.en[len(subj_en):len(subj_en) + 2] = [("wanna", lab_m)]
            past = mood == "statement" and not neg and past
            chah = L.habitual("चाह", g, n, negative_fpl=neg and g == "f" and n == "pl")
            aux = L.past_aux(g, n) if past else L.aux_present(p, subj.hn)
            s.hi = subj.hindi("dir") + obj_hi + [(w, {lab_v}) for w in stem.split()[:-1]] + \
                [(stem.split()[-1] + "ना", {lab_v, to})] + neg_hi + [(chah, {lab_m})] + \
                ([] if neg else [(aux, {lab_m})])
        else:                                       # मुझे जाना चाहिए / मुझे रोटी खानी होगी
            if modal == "have to":                  # I have to go -> मुझे जाना है
                neg = False
                if mood == "yesno":
                    s.en = [("does" if third else "do", lab_do)] + subj_en + \
                        [("have", lab_m), ("to", lab_m)] + verb_en + obj_en
                else:
                    s.en = subj_en + [("has" if third else "have", lab_m), ("to", lab_m)] + \
                        verb_en + obj_en
            elif mood == "yesno":
                s.en = [(modal, lab_m)] + subj_en + verb_en + obj_en
            else:
                s.en = subj_en + [(modal, lab_m)] + ([("not", lab_not)] if neg else []) + \
                    verb_en + obj_en
            ag, an = ("m", "sg") if obj is None or obj.marked else (obj.gender, obj.hn)
            inf = {"f": "नी"}.get(ag, "ना" if an == "sg" else "ने")
            words = stem.split()
            verb_hi = [(w, {lab_v}) for w in words[:-1]] + [(words[-1] + inf, {lab_v})]
            if modal == "should":
                end = [("चाहिए", {lab_m})]
            elif modal == "have to":
                end = [("है" if an == "sg" else "हैं", {lab_m})]
            else:
                end = [(("होगी" if an == "sg" else "होंगी") if ag == "f" else
                        ("होगा" if an == "sg" else "होंगे"), {lab_m})]
            s.hi = subj.hindi("dat") + obj_hi + neg_hi + verb_hi + end
        return close_yesno(s, mood)

    def want(self, s, mood):
        """I want water -> मुझे पानी चाहिए; which book do you want? -> तुम्हें कौन सी किताब चाहिए?"""
        r = self.rng
        subj = self.subject(s)
        lab_m, lab_do, lab_not, lab_wh, lab_or = [s.label() for _ in range(5)]
        verb = "need" if r.random() < 0.3 else "want"
        third = self.third_sg(subj)
        do = "does" if third else "do"
        subj_en = subj.emit(s)
        cats = ["food", "drink", "object", "thing"]
        if mood == "wh":                            # which
            noun = self.pick_noun(cats)
            obj = NP(r, noun=noun, det=None)
            obj_en = obj.emit(s)
            s.en = [("which", lab_wh)] + obj_en + [(do, lab_do)] + subj_en + [(verb, lab_m)]
            sa = "सी" if noun.gender == "f" else "सा"
            s.hi = subj.hindi("dat") + [("कौन", {lab_wh}), (sa, {lab_wh})] + obj.hindi("dir") + \
                [("चाहिए", {lab_m})]
            return "?"
        if mood == "yesno" and r.random() < 0.2:    # would you like tea? -> क्या आपको चाय चाहिए?
            obj = self.np(s, ["food", "drink"], allow_num=False, allow_poss=False)
            s.en = [("would", lab_do), ("you", subj.lab["head"]), ("like", lab_m)] + obj.emit(s)
            s.hi = [("क्या", set()), ("आपको", {subj.lab["head"]})] + obj.hindi("dir") + \
                [("चाहिए", {lab_m})]
            return "?"
        if mood == "statement" and subj.pron == "I" and r.random() < 0.1:
            # I'd like some tea -> मुझे चाय चाहिए
            obj = self.np(s, ["food", "drink"], allow_num=False, allow_poss=False)
            would = [("I'd", subj.lab["head"])] if r.random() < 0.5 else \
                [("I", subj.lab["head"]), ("would", lab_m)]
            s.en = would + [("like", lab_m)] + obj.emit(s)
            s.hi = [("मुझे", {subj.lab["head"]})] + obj.hindi("dir") + [("चाहिए", {lab_m})]
            return "."
        if r.random() < 0.1:                        # something / nothing / anything / everything
            pron = r.choice(["anything", "everything"]) if mood == "yesno" else \
                r.choice(["something", "nothing", "everything"])
            lab_o = s.label()
            obj_en = [(pron, lab_o)]
            obj_hi = [(w, {lab_o}) for w in {"something": "कुछ", "anything": "कुछ",
                                              "everything": "सब कुछ", "nothing": "कुछ नहीं"}[pron].split()]
            if mood == "yesno":
                s.en = [(do, lab_do)] + subj_en + [(verb, lab_m)] + obj_en
                s.hi = [("क्या", set())] + subj.hindi("dat") + obj_hi + [("चाहिए", {lab_m})]
                return "?"
            s.en = subj_en + [(verb + ("s" if third else ""), lab_m)] + obj_en
            s.hi = subj.hindi("dat") + obj_hi + [("चाहिए", {lab_m})]
            return "."
        obj = self.np(s, cats, allow_num=False)
        obj_en = obj.emit(s)
        obj_hi = obj.hindi("dir", subject=subj)
        if mood == "yesno" and r.random() < 0.3:    # tea or coffee?
            other = self.np(s, cats, allow_num=False, allow_poss=False)
            obj_en = obj_en + [("or", lab_or)] + other.emit(s)
            obj_hi = obj_hi + [("या", {lab_or})] + other.hindi("dir")
        neg = mood == "statement" and r.random() < 0.25
        if mood == "yesno":
            s.en = [(do, lab_do)] + subj_en + [(verb, lab_m)] + obj_en
        elif neg:
            s.en = subj_en + [(do, lab_do), ("not", lab_not), (verb, lab_m)] + obj_en
        else:
            s.en = subj_en + [(verb + ("s" if third else ""), lab_m)] + obj_en
        s.hi = subj.hindi("dat") + obj_hi + ([("नहीं", {lab_not})] if neg else []) + \
            [("चाहिए", {lab_m})]
        return close_yesno(s, mood)

    def demonstrative(self, s, mood):
        """this is a book -> यह किताब है; these are my friends -> ये मेरे दोस्त हैं; what is
        this? -> यह क्या है?"""
        r = self.rng
        lab_d, lab_be, lab_wh = s.label(), s.label(), s.label()
        near = r.random() < 0.5
        if mood == "wh":
            d = "this" if near else "that"
            s.en = [("what", lab_wh), ("is", lab_be), (d, lab_d)]
            s.hi = [("यह" if near else "वह", {lab_d}), ("क्या", {lab_wh}), ("है", {lab_be})]
            return "?"
        noun = self.pick_noun(["person", "animal", "object", "thing", "food", "place"])
        number = "pl" if not noun.mass and noun.en_pl != noun.en and r.random() < 0.3 else "sg"
        poss = r.choice(L.POSSESSORS) if r.random() < 0.3 else None
        pred = NP(r, noun=noun, number=number, det=None if number == "pl" or noun.mass else "a",
                  poss=poss)
        pred_en = pred.emit(s)
        plural = pred.hn == "pl"
        d = ("these" if near else "those") if number == "pl" else ("this" if near else "that")
        be = "are" if number == "pl" else "is"
        if mood == "yesno":
            s.en = [(be, lab_be), (d, lab_d)] + pred_en
        else:
            s.en = [(d, lab_d), (be, lab_be)] + pred_en
        dem = ("ये" if near else "वे") if plural else ("यह" if near else "वह")
        s.hi = [(dem, {lab_d})] + pred.hindi("dir") + [("हैं" if plural else "है", {lab_be})]
        return close_yesno(s, mood)

    def there_is(self, s, mood):
        """there is a cat in the room -> कमरे में बिल्ली है"""
        r = self.rng
        lab_there, lab_be, lab_no = s.label(), s.label(), s.label()
        obj = self.np(s, ["object", "animal", "food", "person", "thing"], allow_poss=False)
        neg = mood == "statement" and obj.number == "sg" and not obj.noun.mass and r.random() < 0.2
        if obj.det == "the" or neg:
            obj.det = None if obj.number == "pl" or neg else "a"
        loc_en, loc_hi = self.location(s, None)
        obj_en = obj.emit(s)
        if neg:
            obj_en = [("no", lab_no)] + obj_en
        be = "is" if obj.number == "sg" else "are"
        if mood == "yesno":
            s.en = [(be, lab_be), ("there", lab_there)] + obj_en + loc_en
        else:
            s.en = [("there", lab_there), (be, lab_be)] + obj_en + loc_en
        s.hi = loc_hi + ([("कोई", {lab_no})] if neg else []) + obj.hindi("dir") + \
            ([("नहीं", {lab_no})] if neg else []) + [("है" if obj.hn == "sg" else "हैं", {lab_be})]
        return close_yesno(s, mood)

    COMPARE = [("big", "bigger", "बड़ा"), ("small", "smaller", "छोटा"), ("tall", "taller", "लंबा"),
               ("good", "better", "अच्छा"), ("bad", "worse", "बुरा"), ("fast", "faster", "तेज़"),
               ("slow", "slower", "धीमा"), ("heavy", "heavier", "भारी"), ("cheap", "cheaper", "सस्ता"),
               ("strong", "stronger", "मज़बूत"), ("clean", "cleaner", "साफ़"),
               ("happy", "happier", "ख़ुश"), ("sweet", "sweeter", "मीठा"), ("new", "newer", "नया"),
               ("hot", "hotter", "गरम"), ("cold", "colder", "ठंडा"), ("old", "older", "बड़ा"),
               ("young", "younger", "छोटा"), ("rich", "richer", "अमीर"), ("poor", "poorer", "ग़रीब"),
               ("expensive", "more expensive", "महँगा"), ("beautiful", "more beautiful", "सुंदर"),
               ("difficult", "more difficult", "मुश्किल"), ("easy", "easier", "आसान")]

    def comparative(self, s, mood):
        """my brother is taller than me -> मेरा भाई मुझसे लंबा है"""
        r = self.rng
        people = r.random() < 0.5
        cats = ["person", "animal"] if people else ["object", "food", "place"]
        pool = [c for c in self.COMPARE if c[0] in (L.ANIMATE_ADJ | {"young", "old"} if people
                                                    else L.THING_ADJ - {"old"} | {"new"})]
        base, comp, hi = r.choice(pool)
        if base == "old" and not people:
            return None
        if r.random() < 0.3:                        # the biggest -> सबसे बड़ा
            sup = {"better": "best", "worse": "worst"}.get(comp) or \
                (comp.replace("more ", "most ") if comp.startswith("more ") else comp[:-2] + "est")
            subj = self.subject(s) if people else self.np(s, cats, allow_adj=False)
            lab_be, lab_adj, lab_most = s.label(), s.label(), s.label()
            subj_en = subj.emit(s)
            n = "pl" if subj.person == 2 else subj.hn
            adj_hi = L.fix_naya(L.inflect_adj(hi, subj.gender, n, False))
            s.en = subj_en + [(self.be(subj), lab_be), ("the", lab_most)] + \
                [(w, lab_adj) for w in sup.split()]
            s.hi = subj.hindi("dir") + [("सबसे", {lab_most}), (adj_hi, {lab_adj}),
                                        (L.aux_present(subj.person, subj.hn), {lab_be})]
            return "."
        subj = self.subject(s) if people else self.np(s, cats, allow_adj=False)
        lab_be, lab_than, lab_adj = s.label(), s.label(), s.label()
        subj_en = subj.emit(s)
        if people and r.random() < 0.4:
            pron = r.choice([p for p in ["I", "you", "he", "she", "we", "they"] if p != subj.pron])
            other = NP(r, pron=pron)
            other.object = True
            other_en = other.emit(s)
            other_hi = [(L.PRONOUN_WITH_SE[pron], {other.lab["head"], lab_than})]
        else:
            other = self.np(s, cats, allow_adj=False, allow_num=False)
            other_en = other.emit(s)
            other_hi = other.hindi("obl", subject=subj) + [("से", {lab_than})]
        be = self.be(subj)
        n = "pl" if subj.person == 2 else subj.hn
        adj_hi = L.fix_naya(L.inflect_adj(hi, subj.gender, n, False))
        comp_en = [(w, lab_adj) for w in comp.split()]
        if mood == "yesno":
            s.en = [(be, lab_be)] + subj_en + comp_en + [("than", lab_than)] + other_en
        else:
            s.en = subj_en + [(be, lab_be)] + comp_en + [("than", lab_than)] + other_en
        s.hi = subj.hindi("dir") + other_hi + [(adj_hi, {lab_adj}),
                                               (L.aux_present(subj.person, subj.hn), {lab_be})]
        return close_yesno(s, mood)

    def imperative(self, s, mood):
        """eat the apple -> सेब खाओ; please sit -> कृपया बैठिए; don't cry -> मत रोओ;
        please give me water -> कृपया मुझे पानी दीजिए. "please" asks with आप, plain with तुम."""
        r = self.rng
        polite = r.random() < 0.5
        lab_p, lab_not, lab_v, lab_me = s.label(), s.label(), s.label(), s.label()
        if r.random() < 0.15:
            forms, stem = ("give",), "दे"
            obj = self.np(s, ["food", "drink", "object", "thing"], allow_num=False)
            pre_en, pre_hi = [("me", lab_me)], [("मुझे", {lab_me})]
        else:
            vo = self._verb_and_object(s, None)
            if vo is None:
                return None
            forms, stem, obj = vo
            pre_en, pre_hi = [], []
        neg = r.random() < 0.2
        obj_en = obj.emit(s) if obj else []
        obj_hi = obj.hindi("dat" if getattr(obj, "marked", False) else "dir") if obj else []
        s.en = ([("please", lab_p)] if polite else []) + \
            ([("do", None), ("not", lab_not)] if neg else []) + \
            [(w, lab_v) for w in forms[0].split()] + pre_en + obj_en
        words = stem.split()
        s.hi = ([("कृपया", {lab_p})] if polite else []) + pre_hi + obj_hi + \
            ([("मत", {lab_not})] if neg else []) + [(w, {lab_v}) for w in words[:-1]] + \
            [(L.imperative(words[-1], polite), {lab_v})]
        return "."

    PHRASES = [
        ("hello", "नमस्ते", "0-0"), ("hi", "नमस्ते", "0-0"), ("good morning", "सुप्रभात", "0-0 1-0"),
        ("good night", "शुभ रात्रि", "0-0 1-1"), ("thank you", "धन्यवाद", "0-0 1-0"),
        ("thanks", "धन्यवाद", "0-0"), ("thank you very much", "बहुत बहुत धन्यवाद", "0-2 1-2 2-0 3-1"),
        ("how are you?", "आप कैसे हैं?", "0-1 1-2 2-0"), ("I am fine", "मैं ठीक हूँ", "0-0 1-2 2-1"),
        ("I am fine, thank you", "मैं ठीक हूँ, धन्यवाद", "0-0 1-2 2-1 3-3 4-3"),
        ("what is your name?", "आपका नाम क्या है?", "0-2 1-3 2-0 3-1"),
        ("goodbye", "अलविदा", "0-0"), ("bye", "अलविदा", "0-0"), ("yes", "हाँ", "0-0"),
        ("no", "नहीं", "0-0"), ("okay", "ठीक है", "0-0 0-1"), ("sorry", "माफ़ कीजिए", "0-0 0-1"),
        ("I am sorry", "मुझे माफ़ कीजिए", "0-0 1-1 2-1 2-2"), ("excuse me", "माफ़ कीजिए", "0-0 0-1 1-1"),
        ("welcome", "स्वागत है", "0-0 0-1"), ("you are welcome", "कोई बात नहीं", "0-0 1-1 2-2"),
        ("where are you from?", "आप कहाँ से हैं?", "0-1 1-3 2-0 3-2"),
        ("I don't know", "मुझे नहीं पता", "0-0 1-1 2-2"), ("I know", "मुझे पता है", "0-0 1-1 1-2"),
        ("I understand", "मैं समझता हूँ", "0-0 1-1 1-2"),
        ("nice to meet you", "आपसे मिलकर ख़ुशी हुई", "0-2 0-3 2-1 3-0"),
        ("happy birthday", "जन्मदिन मुबारक", "0-1 1-0"), ("good luck", "शुभकामनाएँ", "0-0 1-0"),
        ("congratulations", "बधाई हो", "0-0 0-1"), ("come in", "अंदर आइए", "0-1 1-0"),
        ("help", "बचाओ", "0-0"), ("what time is it?", "कितने बजे हैं?", "0-0 1-1 2-2"),
        ("I love you", "मैं तुमसे प्यार करता हूँ", "0-0 1-2 1-3 1-4 2-1"),
        ("let's go", "चलो चलें", "0-0 1-1"), ("wait", "रुको", "0-0"), ("come here", "यहाँ आओ", "0-1 1-0"),
        ("sit down", "बैठ जाओ", "0-0 1-1"), ("see you tomorrow", "कल मिलते हैं", "0-1 0-2 2-0"),
        ("how old are you?", "आपकी उम्र क्या है?", "0-2 1-1 2-3 3-0"),
        ("what happened?", "क्या हुआ?", "0-0 1-1"), ("no problem", "कोई बात नहीं", "0-2 1-0 1-1"),
        ("of course", "बिल्कुल", "0-0 1-0"), ("please sit", "कृपया बैठिए", "0-0 1-1"),
        ("all right", "ठीक है", "0-0 1-0 1-1"), ("really?", "सच में?", "0-0 0-1"),
        ("what is this?", "यह क्या है?", "0-1 1-2 2-0"), ("who are you?", "आप कौन हैं?", "0-1 1-2 2-0"),
        ("how much is this?", "यह कितने का है?", "0-1 1-1 1-2 2-3 3-0"),
        ("I am hungry", "मुझे भूख लगी है", "0-0 1-3 2-1 2-2"), ("I am thirsty", "मुझे प्यास लगी है", "0-0 1-3 2-1 2-2"),
        ("I am tired", "मैं थका हुआ हूँ", "0-0 1-3 2-1 2-2"),
        ("may I come in?", "क्या मैं अंदर आ सकता हूँ?", "0-4 1-1 2-3 3-2"),
        ("it might rain", "शायद बारिश होगी", "1-0 1-2 2-1"),
        ("take care of yourself", "अपना ध्यान रखना", "0-2 1-1 3-0"),
        ("take care", "अपना ध्यान रखना", "0-2 1-1"),
        ("don't worry", "चिंता मत करो", "0-1 1-0 1-2"), ("never mind", "कोई बात नहीं", "0-2 1-0 1-1"),
        ("I hope so", "मुझे उम्मीद है", "0-0 1-1 1-2"),
        ("I miss you", "मुझे तुम्हारी याद आती है", "0-0 1-2 1-3 1-4 2-1"),
        ("what's the matter?", "क्या बात है?", "0-0 0-2 2-1"),
        ("just a minute", "बस एक मिनट", "0-0 1-1 2-2"), ("wait a second", "एक सेकंड रुको", "0-2 1-0 2-1"),
        ("I don't care", "मुझे परवाह नहीं है", "0-0 1-2 2-1 2-3"), ("I guess so", "शायद", "0-0 1-0 2-0"),
        ("not yet", "अभी नहीं", "0-1 1-0"), ("see you later", "बाद में मिलते हैं", "0-2 0-3 2-0 2-1"),
        ("as soon as possible", "जितनी जल्दी हो सके", "0-0 1-1 2-0 3-2 3-3"),
        ("I'm sure", "मुझे यक़ीन है", "0-0 0-2 1-1"), ("are you sure?", "क्या तुम्हें यक़ीन है?", "0-3 1-1 2-2"),
        ("it's late", "देर हो गई है", "0-3 1-0 1-1 1-2"), ("I'm lost", "मैं रास्ता भूल गया हूँ", "0-0 0-4 1-1 1-2 1-3"),
        ("shut up", "चुप रहो", "0-0 1-1"), ("hold on", "रुको", "0-0 1-0"), ("oh my god", "हे भगवान", "0-0 1-1 2-1"),
        ("thank you, sir", "धन्यवाद, सर", "0-0 1-0 2-1"), ("yes, sir", "जी हाँ", "0-1 1-0"),
        ("huh?", "हैं?", "0-0"), ("what do you mean?", "तुम्हारा क्या मतलब है?", "0-1 1-3 2-0 3-2"),
        ("I believe you", "मुझे तुम पर विश्वास है", "0-0 1-3 1-4 2-1 2-2"),
        ("that's enough", "बस, काफ़ी है", "0-0 0-2 1-1"), ("of course not", "बिल्कुल नहीं", "0-0 1-0 2-1"),
        ("I'm on my way", "मैं रास्ते में हूँ", "0-0 0-3 1-2 3-1"), ("good afternoon", "नमस्ते", "0-0 1-0"),
        ("good evening", "शुभ संध्या", "0-0 1-1"), ("welcome home", "घर में स्वागत है", "0-2 0-3 1-0 1-1"),
        ("what's up?", "क्या हाल है?", "0-0 0-2 1-1"), ("I'm busy", "मैं व्यस्त हूँ", "0-0 0-2 1-1"),
        ("it doesn't matter", "कोई बात नहीं", "0-0 1-2 2-1"), ("come on", "चलो", "0-0 1-0"),
        ("be careful", "सावधान रहो", "0-1 1-0"), ("be quiet", "चुप रहो", "0-1 1-0"),
        ("it's true", "यह सच है", "0-0 0-2 1-1"), ("I'm afraid", "मुझे डर लग रहा है", "0-0 0-3 0-4 1-1 1-2"),
        ("exactly", "बिल्कुल सही", "0-0 0-1"), ("it's mine", "यह मेरा है", "0-0 0-2 1-1"),
        ("is anyone here?", "क्या यहाँ कोई है?", "0-3 1-2 2-1"), ("nobody is here", "यहाँ कोई नहीं है", "0-1 0-2 1-3 2-0"),
        ("what will happen?", "क्या होगा?", "0-0 1-1 2-1"), ("it hurts", "दर्द हो रहा है", "1-0 1-1 1-2 1-3"),
        ("anybody?", "कोई है?", "0-0 0-1"), ("whatever", "जो भी", "0-0 0-1"),
    ]
    NAMES = [("Ravi", "रवि"), ("Priya", "प्रिया"), ("Amit", "अमित"), ("Sita", "सीता"), ("Rahul", "राहुल"),
             ("Anita", "अनीता"), ("Raj", "राज"), ("Meera", "मीरा"), ("Sam", "सैम"), ("Anna", "अन्ना")]
    PLACES = [("India", "भारत"), ("Nepal", "नेपाल"), ("England", "इंग्लैंड"), ("America", "अमेरिका"),
              ("Japan", "जापान"), ("China", "चीन"), ("Delhi", "दिल्ली"), ("Mumbai", "मुंबई")]

    def phrase(self, s, mood):
        r = self.rng
        k = r.random()
        if k < 0.15:                                # my name is Ravi -> मेरा नाम रवि है
            en, hi = r.choice(self.NAMES)
            en_s, hi_s, al = f"my name is {en}", f"मेरा नाम {hi} है", "0-0 1-1 2-3 3-2"
        elif k < 0.25:                              # I am from India -> मैं भारत से हूँ
            en, hi = r.choice(self.PLACES)
            en_s, hi_s, al = f"I am from {en}", f"मैं {hi} से हूँ", "0-0 1-3 2-2 3-1"
        else:
            en_s, hi_s, al = r.choice(self.PHRASES)
        q = en_s.endswith("?")
        en_w, hi_w = en_s.rstrip("?").split(), hi_s.rstrip("?").split()
        links = {}
        for p in al.split():
            i, j = map(int, p.split("-"))
            links.setdefault(j, set()).add(i + 1)
        s.en = [(w, i + 1) for i, w in enumerate(en_w)]
        s.hi = [(w, links.get(j, set())) for j, w in enumerate(hi_w)]
        s.n = len(en_w) + 1
        return "?" if q else "."

    def joined(self, s, mood):
        """A but B (लेकिन), A because B (क्योंकि), if A, B (अगर A, तो B: the Hindi "if" clause
        is in the future), when A, B (जब A, तब B)."""
        r = self.rng
        conj = r.choice(["but", "because", "if", "when"])
        s._sub = conj
        lab_c = s.label()
        if conj in ("but", "because"):
            if not self.build(s, statement=True):
                return None
            a_en, a_hi = s.en, s.hi
            if not self.build(s, statement=True):
                return None
            s.en = a_en + [(conj, lab_c)] + s.en
            s.hi = a_hi + [("लेकिन" if conj == "but" else "क्योंकि", {lab_c})] + s.hi
            return "."
        if conj == "if":
            if not self.verb(s, "statement", tense="habitual", hindi_tense="future"):
                return None
            a_en, a_hi = s.en, s.hi
            if not self.verb(s, "statement", tense="future"):
                return None
            words = ("अगर", "तो")
        else:
            if not self.verb(s, "statement", tense="habitual"):
                return None
            a_en, a_hi = s.en, s.hi
            if not self.verb(s, "statement", tense="habitual"):
                return None
            words = ("जब", "तब")
        a_en = a_en[:-1] + [(a_en[-1][0] + ",", a_en[-1][1])]
        a_hi = a_hi[:-1] + [(a_hi[-1][0] + ",", a_hi[-1][1])]
        s.en = [(conj, lab_c)] + a_en + s.en
        s.hi = [(words[0], {lab_c})] + a_hi + [(words[1], {lab_c})] + s.hi
        return "."

    def relative(self, s, mood):
        """the boy who runs is happy -> जो लड़का दौड़ता है, वह ख़ुश है"""
        r = self.rng
        noun = self.pick_noun(["person"])
        number = "pl" if r.random() < 0.3 else "sg"
        subj = NP(r, noun=noun, number=number, det="the")
        forms, stem, _ = r.choice(L.HAND_INTRANSITIVE)
        prog = r.random() < 0.4
        lab_who, lab_v, lab_aux, lab_be, lab_adj = [s.label() for _ in range(5)]
        subj_en = subj.emit(s)
        n = subj.hn
        if prog:
            be = "is" if subj.number == "sg" else "are"
            rel_en = [(be, lab_aux), (forms[2], lab_v)]
            rel_hi = [(w, {lab_v}) for w in stem.split()] + \
                [(L.progressive(subj.gender, n), {lab_aux}), (L.aux_present(3, n) + ",", {lab_aux})]
        else:
            rel_en = [((forms[1] if subj.number == "sg" else forms[0]), lab_v)]
            rel_hi = [(w, {lab_v}) for w in L.habitual(stem, subj.gender, n).split()] + \
                [(L.aux_present(3, n) + ",", {lab_v})]
        adj = r.choice([a for a in L.ADJECTIVES if a[0] in L.ANIMATE_ADJ])
        if adj[0] == "old":
            adj = L.OLD_ANIMATE
        be = "is" if subj.number == "sg" else "are"
        s.en = subj_en + [("who", lab_who)] + rel_en + [(be, lab_be), (adj[0], lab_adj)]
        s.hi = [("जो", {lab_who})] + subj.hindi("dir") + rel_hi + \
            [("वे" if n == "pl" else "वह", {subj.lab["head"]}),
             (L.fix_naya(L.inflect_adj(adj[1], subj.gender, n, False)), {lab_adj}),
             (L.aux_present(3, n), {lab_be})]
        return "."

    # ---- sentences --------------------------------------------------------------------------
    def sentence(self):
        """One clause, or two statements joined by "and"."""
        n = 2 if self.rng.random() < 0.1 else 1
        parts = []
        for _ in range(n):
            for _attempt in range(20):
                s = Sentence()
                s._subj_np = s._cop = None
                mark = self.build(s, statement=n > 1)
                if mark:
                    break
            parts.append((s, mark))
        return parts

    def build(self, s, statement=False):
        r = self.rng
        kinds = {"copula_noun": 6, "copula_adj": 8, "copula_loc": 5, "copula_past": 5,
                 "verb": 36, "like": 6, "like_verb": 6, "have": 7, "modal": 8, "want": 4,
                 "demonstrative": 3, "there_is": 3, "comparative": 3}
        if not statement:
            kinds.update({"imperative": 5, "phrase": 3, "joined": 6, "relative": 2})
        kind = r.choices(list(kinds), list(kinds.values()))[0]
        mood = "statement" if statement else r.choices(["statement", "yesno", "wh"], [70, 15, 15])[0]
        outer = not getattr(s, "kind", None)
        if outer:
            s.kind = kind                           # for the table by construction (4th column)
        mark = getattr(self, kind)(s, mood)
        if outer and kind in ("verb", "modal", "joined") and getattr(s, "_sub", None):
            s.kind = f"{kind}:{s._sub}"
        return mark


def render(parts, rng):
    """Join clauses, add punctuation and random capitalisation; compute the alignment."""
    en_words, hi_words, align, combos = [], [], [], []
    for k, (s, mark) in enumerate(parts):
        s.en = [(w2, getattr(s, "very", l) if w2 == "very" else l)
                for w, l in s.en for w2 in w.split()]
        s.hi = [(w2, {getattr(s, "very", None)} if w2 == "बहुत" and hasattr(s, "very") else l)
                for w, l in s.hi for w2 in w.split()]
        if k > 0:
            en_words.append("and")
            hi_words.append("और")
            align.append((len(en_words) - 1, len(hi_words) - 1))
            if rng.random() < 0.2:                  # and then -> और फिर
                en_words.append("then")
                hi_words.append("फिर")
                align.append((len(en_words) - 1, len(hi_words) - 1))
        base_e, base_h = len(en_words), len(hi_words)
        align += [(i + base_e, j + base_h) for i, j in s.alignment()]
        en_words += [w for w, _ in s.en]
        hi_words += [w for w, _ in s.hi]
        combos += s.combos
    en_words, align = contract(en_words, align, rng)
    mark = parts[-1][1]
    if mark == "." and len(parts) == 1 and rng.random() < 0.05:     # oh, ... -> अरे, ...
        e = rng.choice(list(L.INTERJECTIONS))
        h = L.INTERJECTIONS[e].split()
        h[-1] += ","
        align = [(0, j) for j in range(len(h))] + [(i + 1, j + len(h)) for i, j in align]
        en_words, hi_words = [e + ","] + en_words, h + hi_words
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
    kind = "and" if len(parts) > 1 else getattr(parts[0][0], "kind", "?")
    return " ".join(en_words), " ".join(hi_words), \
        " ".join(f"{i}-{j}" for i, j in sorted(align)), combos, kind


CONTRACTIONS = {("do", "not"): "don't", ("does", "not"): "doesn't", ("did", "not"): "didn't",
                ("is", "not"): "isn't", ("are", "not"): "aren't", ("was", "not"): "wasn't",
                ("were", "not"): "weren't", ("will", "not"): "won't", ("have", "not"): "haven't",
                ("has", "not"): "hasn't", ("should", "not"): "shouldn't", ("cannot",): "can't",
                ("i", "am"): "I'm", ("you", "are"): "you're", ("we", "are"): "we're",
                ("they", "are"): "they're", ("he", "is"): "he's", ("she", "is"): "she's",
                ("it", "is"): "it's", ("that", "is"): "that's", ("what", "is"): "what's",
                ("there", "is"): "there's", ("i", "will"): "I'll", ("you", "will"): "you'll",
                ("we", "will"): "we'll", ("they", "will"): "they'll", ("he", "will"): "he'll",
                ("she", "will"): "she'll", ("let", "us"): "let's"}


def contract(words, align, rng, rate=0.3):
    """Spoken English: "do not" -> "don't", "I am" -> "I'm" (a third of the time each); the
    two words become one, so the alignment indices after them shift down."""
    k = 0
    while k < len(words):
        two = (words[k].lower(), words[k + 1].lower()) if k + 1 < len(words) else None
        one = (words[k].lower(),)
        if two in CONTRACTIONS and rng.random() < rate:
            words = words[:k] + [CONTRACTIONS[two]] + words[k + 2:]
            align = sorted({(i - (i > k), j) for i, j in align})
        elif one in CONTRACTIONS and rng.random() < rate:
            words[k] = CONTRACTIONS[one]
        k += 1
    return words, align


def normalise(en):
    """The key that keeps splits apart: case and punctuation do not make a new sentence."""
    return " ".join(w.strip(".,?!") for w in en.lower().split())


def held_out(combo, seed, rate):
    h = hashlib.md5(f"{seed}:{combo}".encode()).digest()
    return int.from_bytes(h[:4], "little") / 2 ** 32 < rate


FOUNDING = [("I like eating ice-cream", "मुझे आइसक्रीम खाना पसंद है", "0-0 1-3 1-4 2-2 3-1"),
            ("we are friends", "हम दोस्त हैं", "0-0 1-2 2-1")]


GREETINGS = [("hello", "नमस्ते"), ("hi", "नमस्ते"), ("good morning", "सुप्रभात"),
             ("good evening", "शुभ संध्या")]
FOLLOW_UPS = ["how are you?", "what is your name?", "where are you from?", "nice to meet you",
              "thank you", "how old are you?"]


def phrasebook(copies):
    """Set phrases and greetings, each in every surface form a person types (hello, Hello.,
    Hello!) and repeated: one sentence of two to five tokens is otherwise a handful of lines in
    200,000 and the model answers "hello" with a random verb. Greeting + phrase and greeting +
    name pairs teach the comma between them."""
    table = {en: (hi, al) for en, hi, al in Gen.PHRASES}
    pairs = list(Gen.PHRASES)
    for g_en, g_hi in GREETINGS:
        g_al = table[g_en][1].split()       # शुभ संध्या is two words: its own alignment
        ne, nh = len(g_en.split()), len(g_hi.split())
        for f in FOLLOW_UPS:
            f_hi, f_al = table[f]
            shift = [f"{int(i) + ne}-{int(j) + nh}"
                     for i, j in (p.split("-") for p in f_al.split())]
            pairs.append((f"{g_en}, {f}", f"{g_hi}, {f_hi}", " ".join(g_al + shift)))
        for n_en, n_hi in Gen.NAMES[:5]:
            pairs.append((f"{g_en}, {n_en}", f"{g_hi}, {n_hi}", " ".join(g_al + [f"{ne}-{nh}"])))
    rows = []
    for en, hi, al in pairs:
        q = en.endswith("?")
        en, hi = en.rstrip("?"), hi.rstrip("?")
        ends = [("?", "?"), ("", "")] if q else [("", ""), (".", "।"), ("!", "!")]
        for cap in (False, True):
            for e_end, h_end in ends:
                e = (en[0].upper() if cap else en[0].lower()) + en[1:] + e_end
                rows += [(e, hi + h_end, al, "phrase")] * copies
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="work/corpus")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--train", type=int, default=200000, help="training pairs")
    ap.add_argument("--valid", type=int, default=1000)
    ap.add_argument("--test", type=int, default=2000)
    ap.add_argument("--test-lex", type=int, default=1000, help="pairs of the lexical test split")
    ap.add_argument("--held-out-lex", type=float, default=0.04,
                    help="share of nouns never used as a verb's object in training")
    ap.add_argument("--phrase-copies", type=int, default=3,
                    help="copies of each set phrase's surface forms in training")
    ap.add_argument("--held-out-rate", type=float, default=0.03,
                    help="share of verb-object / adjective-noun combinations kept out of training")
    a = ap.parse_args()
    gen = Gen(a.seed)
    rng = random.Random(a.seed + 1)
    seen = set()
    splits = {"train": [], "valid": [], "test": [], "test_lex": []}
    for en, hi, al in FOUNDING:
        for cap in (False, True):
            for dot in (False, True):
                e = (en[0].upper() if cap else en[0].lower()) + en[1:] + ("." if dot else "")
                h = hi + ("।" if dot else "")
                splits["train"].append((e, h, al, "founding"))
                seen.add(normalise(e))              # keeps them out of valid and test
    for row in phrasebook(a.phrase_copies):
        splits["train"].append(row)
        seen.add(normalise(row[0]))
    tries = 0
    while len(splits["train"]) < a.train or len(splits["test"]) < a.test or \
            len(splits["valid"]) < a.valid or len(splits["test_lex"]) < a.test_lex:
        tries += 1
        if tries > 50 * (a.train + a.test + a.valid):
            raise SystemExit("corpus generator cannot find enough distinct sentences")
        en, hi, al, combos, kind = render(gen.sentence(), rng)
        key = normalise(en)
        if key in seen:
            continue
        if any(c[0] == "lex" and held_out(c, a.seed, a.held_out_lex) for c in combos):
            # a noun never seen in training as a verb's object: the lexical test split
            if len(splits["test_lex"]) >= a.test_lex:
                continue
            split = "test_lex"
        elif any(c[0] != "lex" and held_out(c, a.seed, a.held_out_rate) for c in combos):
            split = "test" if len(splits["test"]) < a.test and \
                (len(splits["valid"]) >= a.valid or rng.random() < 0.67) else "valid"
            if len(splits[split]) >= getattr(a, split):
                continue
        else:
            if len(splits["train"]) >= a.train:
                continue
            split = "train"
        seen.add(key)
        splits[split].append((en, hi, al, kind))
    os.makedirs(a.out, exist_ok=True)
    for name, rows in splits.items():
        with open(os.path.join(a.out, f"{name}.tsv"), "w", encoding="utf-8") as f:
            for row in rows:
                f.write("\t".join(row) + "\n")
        print(f"{name}: {len(rows)} pairs")


if __name__ == "__main__":
    main()
