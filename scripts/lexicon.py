"""The English–Hindi lexicon of the generated corpus, and the Hindi morphology over it.

Register: "you" is तुम (familiar, plural agreement: तुम खाते हो). Subjects whose gender English
does not show (I, you, we, they, it) are masculine.
"""

# ---- nouns ------------------------------------------------------------------------------------
# (english, english plural or "" for the regular one or "-" for a mass noun, hindi, gender,
#  category, hindi overrides {dp, os, op} or None)
# Categories: person, animal, food, drink, place, object, body, time.
MASS = "-"
NOUNS = [
    # people
    ("boy", "", "लड़का", "m", "person"), ("girl", "", "लड़की", "f", "person"),
    ("man", "men", "आदमी", "m", "person"), ("woman", "women", "औरत", "f", "person"),
    ("child", "children", "बच्चा", "m", "person"), ("teacher", "", "अध्यापक", "m", "person"),
    ("doctor", "", "डॉक्टर", "c", "person"), ("friend", "", "दोस्त", "c", "person"),
    ("brother", "", "भाई", "m", "person"), ("sister", "", "बहन", "f", "person"),
    ("father", "", "पिता", "m", "person", {"dp": "पिता", "os": "पिता", "op": "पिताओं"}),
    ("mother", "", "माँ", "f", "person", {"dp": "माएँ", "op": "माओं"}),
    ("son", "", "बेटा", "m", "person"), ("daughter", "", "बेटी", "f", "person"),
    ("king", "", "राजा", "m", "person", {"dp": "राजा", "os": "राजा", "op": "राजाओं"}),
    ("queen", "", "रानी", "f", "person"), ("farmer", "", "किसान", "m", "person"),
    ("student", "", "छात्र", "m", "person"), ("driver", "", "ड्राइवर", "m", "person"),
    ("cook", "", "रसोइया", "m", "person"), ("neighbour", "", "पड़ोसी", "m", "person"),
    ("guest", "", "मेहमान", "c", "person"), ("soldier", "", "सिपाही", "m", "person"),
    ("shopkeeper", "", "दुकानदार", "m", "person"), ("grandmother", "", "दादी", "f", "person"),
    ("grandfather", "", "दादा", "m", "person", {"dp": "दादा", "os": "दादा", "op": "दादाओं"}),
    ("uncle", "", "चाचा", "m", "person", {"dp": "चाचा", "os": "चाचा", "op": "चाचाओं"}),
    ("aunt", "", "चाची", "f", "person"), ("nurse", "", "नर्स", "f", "person"),
    ("baby", "", "शिशु", "m", "person"),
    # animals
    ("dog", "", "कुत्ता", "m", "animal"), ("cat", "", "बिल्ली", "f", "animal"),
    ("horse", "", "घोड़ा", "m", "animal"), ("cow", "", "गाय", "f", "animal"),
    ("bird", "", "चिड़िया", "f", "animal"), ("elephant", "", "हाथी", "m", "animal"),
    ("lion", "", "शेर", "m", "animal"), ("monkey", "", "बंदर", "m", "animal"),
    ("fish", "fish", "मछली", "f", "animal"), ("tiger", "", "बाघ", "m", "animal"),
    ("goat", "", "बकरी", "f", "animal"), ("camel", "", "ऊँट", "m", "animal"),
    ("rabbit", "", "खरगोश", "m", "animal"), ("mouse", "mice", "चूहा", "m", "animal"),
    ("parrot", "", "तोता", "m", "animal"), ("snake", "", "साँप", "m", "animal"),
    ("frog", "", "मेंढक", "m", "animal"), ("duck", "", "बत्तख", "f", "animal"),
    ("sheep", "sheep", "भेड़", "f", "animal"), ("deer", "deer", "हिरन", "m", "animal"),
    ("bear", "", "भालू", "m", "animal"), ("crow", "", "कौआ", "m", "animal", {"dp": "कौए", "os": "कौए", "op": "कौओं"}),
    # food
    ("apple", "", "सेब", "m", "food"), ("mango", "mangoes", "आम", "m", "food"),
    ("banana", "", "केला", "m", "food"), ("bread", MASS, "रोटी", "f", "food"),
    ("rice", MASS, "चावल", "m", "food"), ("ice-cream", MASS, "आइसक्रीम", "f", "food"),
    ("egg", "", "अंडा", "m", "food"), ("orange", "", "संतरा", "m", "food"),
    ("sweet", "", "मिठाई", "f", "food"), ("vegetable", "", "सब्ज़ी", "f", "food"),
    ("fruit", "", "फल", "m", "food"), ("cake", "", "केक", "m", "food"),
    ("potato", "potatoes", "आलू", "m", "food"), ("tomato", "tomatoes", "टमाटर", "m", "food"),
    ("grape", "", "अंगूर", "m", "food"), ("soup", MASS, "सूप", "m", "food"),
    ("honey", MASS, "शहद", "m", "food"), ("butter", MASS, "मक्खन", "m", "food"),
    ("sugar", MASS, "चीनी", "f", "food"), ("salt", MASS, "नमक", "m", "food"),
    ("carrot", "", "गाजर", "f", "food"), ("onion", "", "प्याज़", "m", "food"),
    # drinks
    ("milk", MASS, "दूध", "m", "drink"), ("water", MASS, "पानी", "m", "drink"),
    ("tea", MASS, "चाय", "f", "drink"), ("coffee", MASS, "कॉफ़ी", "f", "drink"),
    ("juice", MASS, "जूस", "m", "drink"), ("lassi", MASS, "लस्सी", "f", "drink"),
    # places
    ("house", "", "घर", "m", "place"), ("school", "", "स्कूल", "m", "place"),
    ("market", "", "बाज़ार", "m", "place"), ("garden", "", "बगीचा", "m", "place"),
    ("city", "cities", "शहर", "m", "place"), ("village", "", "गाँव", "m", "place"),
    ("room", "", "कमरा", "m", "place"), ("kitchen", "", "रसोई", "f", "place"),
    ("river", "", "नदी", "f", "place"), ("park", "", "पार्क", "m", "place"),
    ("shop", "", "दुकान", "f", "place"), ("hospital", "", "अस्पताल", "m", "place"),
    ("office", "", "दफ़्तर", "m", "place"), ("temple", "", "मंदिर", "m", "place"),
    ("station", "", "स्टेशन", "m", "place"), ("forest", "", "जंगल", "m", "place"),
    ("field", "", "खेत", "m", "place"), ("road", "", "सड़क", "f", "place"),
    ("library", "libraries", "पुस्तकालय", "m", "place"), ("sea", "", "समुद्र", "m", "place"),
    ("mountain", "", "पहाड़", "m", "place"), ("roof", "", "छत", "f", "place"),
    ("zoo", "", "चिड़ियाघर", "m", "place"), ("country", "countries", "देश", "m", "place"),
    ("bank", "", "बैंक", "m", "place"), ("hotel", "", "होटल", "m", "place"),
    ("street", "", "गली", "f", "place"), ("lake", "", "झील", "f", "place"),
    # objects
    ("book", "", "किताब", "f", "object"), ("pen", "", "कलम", "f", "object"),
    ("table", "", "मेज़", "f", "object"), ("chair", "", "कुर्सी", "f", "object"),
    ("door", "", "दरवाज़ा", "m", "object"), ("window", "", "खिड़की", "f", "object"),
    ("car", "", "गाड़ी", "f", "object"), ("bus", "buses", "बस", "f", "object"),
    ("bicycle", "", "साइकिल", "f", "object"), ("ball", "", "गेंद", "f", "object"),
    ("letter", "", "चिट्ठी", "f", "object"), ("phone", "", "फ़ोन", "m", "object"),
    ("box", "boxes", "डिब्बा", "m", "object"), ("bag", "", "थैला", "m", "object"),
    ("bed", "", "बिस्तर", "m", "object"), ("clock", "", "घड़ी", "f", "object"),
    ("key", "", "चाबी", "f", "object"), ("cup", "", "कप", "m", "object"),
    ("plate", "", "थाली", "f", "object"), ("bottle", "", "बोतल", "f", "object"),
    ("shirt", "", "कमीज़", "f", "object"), ("shoe", "", "जूता", "m", "object"),
    ("hat", "", "टोपी", "f", "object"), ("picture", "", "तस्वीर", "f", "object"),
    ("flower", "", "फूल", "m", "object"), ("tree", "", "पेड़", "m", "object"),
    ("computer", "", "कंप्यूटर", "m", "object"), ("newspaper", "", "अख़बार", "m", "object"),
    ("song", "", "गाना", "m", "object"), ("story", "stories", "कहानी", "f", "object"),
    ("toy", "", "खिलौना", "m", "object"), ("kite", "", "पतंग", "f", "object"),
    ("umbrella", "", "छाता", "m", "object"), ("glass", "glasses", "गिलास", "m", "object"),
    ("knife", "knives", "चाकू", "m", "object"), ("stone", "", "पत्थर", "m", "object"),
    ("boat", "", "नाव", "f", "object"), ("train", "", "ट्रेन", "f", "object"),
    ("rope", "", "रस्सी", "f", "object"), ("window", "", "खिड़की", "f", "object"),
    ("candle", "", "मोमबत्ती", "f", "object"), ("mirror", "", "शीशा", "m", "object"),
    # body
    ("hand", "", "हाथ", "m", "body"), ("eye", "", "आँख", "f", "body"),
    ("head", "", "सिर", "m", "body"), ("ear", "", "कान", "m", "body"),
    ("nose", "", "नाक", "f", "body"), ("mouth", "", "मुँह", "m", "body"),
    ("foot", "feet", "पैर", "m", "body"), ("tooth", "teeth", "दाँत", "m", "body"),
    ("face", "", "चेहरा", "m", "body"), ("finger", "", "उँगली", "f", "body"),
    ("leg", "", "टाँग", "f", "body"), ("hair", MASS, "बाल", "m", "body"),
    # time
    ("day", "", "दिन", "m", "time"), ("night", "", "रात", "f", "time"),
    ("morning", "", "सुबह", "f", "time"), ("evening", "", "शाम", "f", "time"),
    ("week", "", "हफ़्ता", "m", "time"), ("month", "", "महीना", "m", "time"),
    ("year", "", "साल", "m", "time"),
    # everyday words (issue 14)
    ("thing", "", "चीज़", "f", "object"), ("life", "-", "ज़िंदगी", "f", "object"),
    ("family", "families", "परिवार", "m", "person"), ("mom", "", "माँ", "f", "person", {"dp": "माएँ", "op": "माओं"}),
    ("dad", "", "पापा", "m", "person", {"dp": "पापा", "os": "पापा", "op": "पापाओं"}),
    ("kid", "", "बच्चा", "m", "person"), ("work", "-", "काम", "m", "object"),
    ("homework", "-", "होमवर्क", "m", "object"), ("gift", "", "तोहफ़ा", "m", "object"),
    ("guy", "", "लड़का", "m", "person"),
    ("person", "people", "व्यक्ति", "m", "person", {"dp": "लोग", "op": "लोगों"}),
    ("police", "-", "पुलिस", "f", "object"), ("game", "", "खेल", "m", "object"),
    ("party", "parties", "पार्टी", "f", "place"), ("way", "", "रास्ता", "m", "place"), ("part", "", "हिस्सा", "m", "object"),
    ("stuff", "-", "सामान", "m", "object"), ("end", "", "अंत", "m", "object"),
    ("money", "-", "पैसा", "m", "object", {"dp": "पैसे", "os": "पैसे", "op": "पैसों"}),
]

AA, E, II, I_, OON, EN, YAAN, UU = "ा", "े", "ी", "ि", "ों", "ें", "ियाँ", "ू"


def hindi_noun_forms(hi, gender, over=None):
    """Direct/oblique × singular/plural of a Hindi noun by the regular paradigms."""
    f = {"ds": hi, "os": hi}
    if gender == "m" or gender == "c":
        if hi.endswith(AA):                        # लड़का लड़के लड़के लड़कों
            f["dp"] = f["os"] = hi[:-1] + E
            f["op"] = hi[:-1] + OON
        else:                                      # घर घर घर घरों
            f["dp"] = hi
            if hi.endswith(II):
                f["op"] = hi[:-1] + "ियों"         # हाथी हाथियों
            elif hi.endswith("ई"):
                f["op"] = hi[:-1] + "इयों"         # भाई भाइयों
            elif hi.endswith("ु"):
                f["op"] = hi + "ओं"                # शिशु शिशुओं
            elif hi.endswith(UU):
                f["op"] = hi[:-1] + "ुओं"          # आलू आलुओं
            else:
                f["op"] = hi + OON
    else:
        if hi.endswith("िया"):                     # चिड़िया चिड़ियाँ चिड़ियों
            f["dp"], f["op"] = hi + "ँ", hi[:-1] + OON
        elif hi.endswith(II):                      # लड़की लड़कियाँ लड़कियों
            f["dp"], f["op"] = hi[:-1] + YAAN, hi[:-1] + "ियों"
        elif hi.endswith("ई"):                     # मिठाई मिठाइयाँ मिठाइयों
            f["dp"], f["op"] = hi[:-1] + "इयाँ", hi[:-1] + "इयों"
        else:                                      # किताब किताबें किताबों
            f["dp"], f["op"] = hi + EN, hi + OON
    f.update(over or {})
    return f


def english_plural(w):
    if w.endswith(("s", "sh", "ch", "x")):
        return w + "es"
    if w.endswith("y") and w[-2] not in "aeiou":
        return w[:-1] + "ies"
    return w + "s"


class Noun:
    def __init__(self, en, en_pl, hi, gender, cat, over=None):
        self.en, self.hi, self.cat = en, hi, cat
        self.mass = en_pl == MASS
        self.en_pl = None if self.mass else (en_pl or english_plural(en))
        self.common = gender == "c"                # takes its referent's gender (दोस्त)
        self.gender = "m" if gender == "c" else gender
        self.forms = hindi_noun_forms(hi, gender, over)
        self.animate = cat in ("person", "animal")


NOUN_LIST = []
_seen = set()
for row in NOUNS:
    if row[0] not in _seen:
        _seen.add(row[0])
        NOUN_LIST.append(Noun(*row))
BY_CAT = {}
for n in NOUN_LIST:
    BY_CAT.setdefault(n.cat, []).append(n)
NOUN = {n.en: n for n in NOUN_LIST}

# ---- adjectives ---------------------------------------------------------------------------------
# (english, hindi); a Hindi adjective ending in -ा inflects (बड़ा बड़े बड़ी), the rest do not.
ADJECTIVES = [
    ("big", "बड़ा"), ("small", "छोटा"), ("good", "अच्छा"), ("bad", "बुरा"), ("new", "नया"),
    ("old", "पुराना"), ("tall", "लंबा"), ("hot", "गरम"), ("cold", "ठंडा"),
    ("beautiful", "सुंदर"), ("happy", "ख़ुश"), ("sad", "उदास"), ("clean", "साफ़"),
    ("dirty", "गंदा"), ("sweet", "मीठा"), ("sour", "खट्टा"), ("heavy", "भारी"),
    ("light", "हल्का"), ("fast", "तेज़"), ("slow", "धीमा"), ("rich", "अमीर"),
    ("poor", "ग़रीब"), ("hungry", "भूखा"), ("thirsty", "प्यासा"), ("strong", "मज़बूत"),
    ("weak", "कमज़ोर"), ("young", "जवान"), ("wet", "गीला"), ("dry", "सूखा"),
    ("easy", "आसान"), ("difficult", "मुश्किल"), ("empty", "ख़ाली"), ("cheap", "सस्ता"),
    ("expensive", "महँगा"), ("kind", "दयालु"), ("angry", "नाराज़"), ("busy", "व्यस्त"),
    ("quiet", "शांत"), ("clever", "होशियार"), ("lazy", "आलसी"), ("brave", "बहादुर"),
    ("fresh", "ताज़ा"), ("soft", "नरम"), ("round", "गोल"), ("funny", "मज़ेदार"),
    ("long", "लंबा"), ("wrong", "ग़लत"), ("real", "असली"), ("hard", "कठिन"), ("pretty", "सुंदर"),
    ("alone", "अकेला"), ("nice", "अच्छा"),
]
COLOURS = [
    ("red", "लाल"), ("blue", "नीला"), ("green", "हरा"), ("yellow", "पीला"), ("black", "काला"),
    ("white", "सफ़ेद"), ("pink", "गुलाबी"), ("brown", "भूरा"), ("orange", "नारंगी"),
    ("purple", "बैंगनी"),
]
# Adjectives that describe people/animals only, and those for things only.
ANIMATE_ADJ = {"alone", "pretty", "nice", "happy", "sad", "rich", "poor", "hungry", "thirsty", "strong", "weak", "young",
               "kind", "angry", "busy", "quiet", "clever", "lazy", "brave", "tall", "funny",
               "good", "bad", "old", "small", "big", "beautiful"}
THING_ADJ = {a for a, _ in ADJECTIVES} - {"alone", "pretty", "happy", "sad", "hungry", "thirsty", "kind", "angry",
                                          "busy", "lazy", "brave", "clever", "rich", "poor",
                                          "young"}


def inflect_adj(hi, gender, number, oblique):
    """-ा adjectives agree: बड़ा (m sg direct), बड़े (m pl or m oblique), बड़ी (f)."""
    if not hi.endswith(AA) or hi in INVARIANT_AA:
        return hi
    if gender == "f":
        return hi[:-1] + II
    if number == "pl" or oblique:
        return hi[:-1] + E
    return hi


def fix_naya(word):
    """नया is spelled नई / नए in its inflected forms."""
    return {"नयी": "नई", "नये": "नए"}.get(word, word)


NUMBERS = [("one", "एक"), ("two", "दो"), ("three", "तीन"), ("four", "चार"), ("five", "पाँच"),
           ("six", "छह"), ("seven", "सात"), ("eight", "आठ"), ("nine", "नौ"), ("ten", "दस")]

# ---- pronouns -----------------------------------------------------------------------------------
# key: (english subject, english possessive, hindi direct, with ने, dative, possessive stem,
#       person, number for agreement, gender)
PRONOUNS = {
    "I": ("I", "my", "मैं", "मैंने", "मुझे", "मेरा", 1, "sg", "m"),
    "you": ("you", "your", "तुम", "तुमने", "तुम्हें", "तुम्हारा", 2, "pl", "m"),
    "he": ("he", "his", "वह", "उसने", "उसे", "उसका", 3, "sg", "m"),
    "she": ("she", "her", "वह", "उसने", "उसे", "उसका", 3, "sg", "f"),
    "it": ("it", "its", "वह", "उसने", "उसे", "उसका", 3, "sg", "m"),
    "we": ("we", "our", "हम", "हमने", "हमें", "हमारा", 1, "pl", "m"),
    "they": ("they", "their", "वे", "उन्होंने", "उन्हें", "उनका", 3, "pl", "m"),
    # English singular, Hindi: कोई singular, सब plural
    "someone": ("someone", "", "कोई", "किसी ने", "किसी को", "किसी का", 3, "sg", "m"),
    "everyone": ("everyone", "", "सब", "सबने", "सबको", "सबका", 3, "sg", "m"),
}
POSSESSORS = ["I", "you", "he", "she", "we", "they"]

# ---- verbs --------------------------------------------------------------------------------------
# english forms (base, 3sg, -ing, past), hindi stem (a compound like "साफ़ कर" keeps its first
# word fixed), transitive (takes ने in the perfective), object categories, allowed
# prepositional phrases, flags.
TRANSITIVE = [
    (("eat", "eats", "eating", "ate"), "खा", ["food"]),
    (("drink", "drinks", "drinking", "drank"), "पी", ["drink"]),
    (("read", "reads", "reading", "read"), "पढ़", ["book", "newspaper", "letter", "story"]),
    (("write", "writes", "writing", "wrote"), "लिख", ["letter", "story", "book", "song"]),
    (("see", "sees", "seeing", "saw"), "देख", ["person", "animal", "place", "object"]),
    (("buy", "buys", "buying", "bought"), "ख़रीद", ["food", "object"]),
    (("sell", "sells", "selling", "sold"), "बेच", ["food", "object"]),
    (("cook", "cooks", "cooking", "cooked"), "पका", ["rice", "vegetable", "egg", "potato", "soup", "fish", "onion", "carrot"]),
    (("make", "makes", "making", "made"), "बना", ["cake", "soup", "tea", "coffee", "toy", "kite", "box", "chair", "table", "picture", "bread", "sweet"]),
    (("wash", "washes", "washing", "washed"), "धो", ["cup", "plate", "shirt", "car", "glass", "hand", "face", "hair", "bottle", "fruit", "apple", "vegetable"]),
    (("open", "opens", "opening", "opened"), "खोल", ["door", "window", "box", "bag", "book", "bottle", "shop", "letter", "umbrella"]),
    (("close", "closes", "closing", "closed"), "बंद कर", ["door", "window", "box", "bag", "book", "bottle", "shop", "umbrella", "eye", "mouth"]),
    (("break", "breaks", "breaking", "broke"), "तोड़", ["cup", "plate", "glass", "window", "toy", "bottle", "clock", "phone", "chair", "stone", "mirror"]),
    (("cut", "cuts", "cutting", "cut"), "काट", ["apple", "mango", "vegetable", "cake", "bread", "tree", "rope", "potato", "onion", "tomato", "carrot", "orange"]),
    (("throw", "throws", "throwing", "threw"), "फेंक", ["ball", "stone", "book", "pen", "shoe", "key", "apple"]),
    (("catch", "catches", "catching", "caught"), "पकड़", ["ball", "fish", "mouse", "bird", "rabbit", "frog", "key", "bus", "train"]),
    (("pick up", "picks up", "picking up", "picked up"), "उठा", ["object"]),
    (("clean", "cleans", "cleaning", "cleaned"), "साफ़ कर", ["room", "kitchen", "house", "table", "car", "window", "shoe", "plate", "cup", "road", "mirror", "bicycle"]),
    (("sing", "sings", "singing", "sang"), "गा", ["song"]),
    (("plant", "plants", "planting", "planted"), "लगा", ["tree", "flower", "tomato", "potato", "carrot"]),
    (("count", "counts", "counting", "counted"), "गिन", ["object", "animal", "fruit", "egg", "apple", "mango"]),
    (("send", "sends", "sending", "sent"), "भेज", ["letter", "book", "picture", "sweet", "box", "phone"]),
    (("give", "gives", "giving", "gave"), "दे", ["food", "object"]),
    (("wear", "wears", "wearing", "wore"), "पहन", ["shirt", "shoe", "hat"]),
    (("hear", "hears", "hearing", "heard"), "सुन", ["song", "story"]),
    (("fix", "fixes", "fixing", "fixed"), "ठीक कर", ["car", "phone", "clock", "bicycle", "door", "computer", "chair", "window", "boat", "toy"]),
    (("drive", "drives", "driving", "drove"), "चला", ["car", "bus", "bicycle", "boat", "train"]),
    (("hide", "hides", "hiding", "hid"), "छिपा", ["object", "food"]),
    (("keep", "keeps", "keeping", "kept"), "रख", ["object", "food"]),
    (("push", "pushes", "pushing", "pushed"), "धकेल", ["car", "chair", "table", "box", "door", "bicycle", "boat", "bed"]),
    (("pull", "pulls", "pulling", "pulled"), "खींच", ["rope", "car", "chair", "table", "box", "door", "boat", "bed", "kite"]),
    (("touch", "touches", "touching", "touched"), "छू", ["object", "animal", "body"]),
    (("boil", "boils", "boiling", "boiled"), "उबाल", ["water", "milk", "egg", "potato", "rice", "tea"]),
    (("fry", "fries", "frying", "fried"), "तल", ["egg", "potato", "fish", "onion"]),
    (("taste", "tastes", "tasting", "tasted"), "चख", ["food", "drink"]),
    (("smell", "smells", "smelling", "smelled"), "सूँघ", ["flower", "food", "drink"]),
    (("sew", "sews", "sewing", "sewed"), "सिल", ["shirt", "hat", "bag"]),
    (("tie", "ties", "tying", "tied"), "बाँध", ["rope", "box", "bag", "boat", "hair"]),
    (("call", "calls", "calling", "called"), "बुला", ["person", "animal"]),
    (("draw", "draws", "drawing", "drew"), "बना", ["picture", "flower", "tree", "house", "bird", "cat", "elephant", "mountain"]),
    (("find", "finds", "finding", "found"), "ढूँढ", ["key", "pen", "book", "ball", "phone", "shoe", "hat", "bag", "umbrella"]),
    (("take", "takes", "taking", "took"), "ले", ["object", "food"]),
    (("bring", "brings", "bringing", "brought"), "ला", ["object", "food", "drink"]),
    (("do", "does", "doing", "did"), "कर", ["work", "homework"]),
    (("watch", "watches", "watching", "watched"), "देख", ["television", "movie", "film", "match"]),
    (("learn", "learns", "learning", "learned"), "सीख", ["song", "language", "lesson"]),
    (("kill", "kills", "killing", "killed"), "मार", ["animal"]),
    (("hit", "hits", "hitting", "hit"), "मार", ["ball", "stone", "door"]),
    (("hold", "holds", "holding", "held"), "पकड़", ["object", "hand"]),
    (("lose", "loses", "losing", "lost"), "खो", ["key", "pen", "book", "bag", "phone", "umbrella", "ball", "money"]),
    (("shut", "shuts", "shutting", "shut"), "बंद कर", ["door", "window", "box", "book", "shop", "eye", "mouth"]),
    (("tell", "tells", "telling", "told"), "बता", ["truth", "name", "answer", "address", "plan"]),
    # a story is told aloud: कहानी सुनाना, not बताना (which is for facts)
    (("tell", "tells", "telling", "told"), "सुना", ["story"]),
    (("say", "says", "saying", "said"), "कह", ["word", "thing"]),
    (("put", "puts", "putting", "put"), "रख", ["object", "food"]),
    (("leave", "leaves", "leaving", "left"), "छोड़", ["house", "school", "city", "village", "room", "office", "job"]),
    (("need", "needs", "needing", "needed"), "", []),
]
TRANSITIVE.pop()                             # (a marker for the list's end)
# लाना takes no ने: मैं किताब लाया
NON_ERGATIVE = {"ला"}
# place: where it happens (में/पर/के पास), to: destination without a postposition (जाना),
# from: से.
INTRANSITIVE = [
    (("go", "goes", "going", "went"), "जा", {"to", "after", "by", "into"}),
    (("come", "comes", "coming", "came"), "आ", {"to", "from", "by", "into"}),
    (("sleep", "sleeps", "sleeping", "slept"), "सो", {"in", "on", "after"}),
    (("run", "runs", "running", "ran"), "दौड़", {"in", "into"}),
    (("laugh", "laughs", "laughing", "laughed"), "हँस", set()),
    (("cry", "cries", "crying", "cried"), "रो", set()),
    (("sit", "sits", "sitting", "sat"), "बैठ", {"on", "in", "near"}),
    (("walk", "walks", "walking", "walked"), "टहल", {"in"}),
    (("swim", "swims", "swimming", "swam"), "तैर", {"in_water"}),
    (("dance", "dances", "dancing", "danced"), "नाच", {"in"}),
    (("play", "plays", "playing", "played"), "खेल", {"in", "after", "before"}),
    (("wake up", "wakes up", "waking up", "woke up"), "उठ", set()),
    (("fall", "falls", "falling", "fell"), "गिर", {"in_water", "from_thing"}),
    (("live", "lives", "living", "lived"), "रह", {"in"}),
    (("work", "works", "working", "worked"), "काम कर", {"in"}),
    (("smile", "smiles", "smiling", "smiled"), "मुस्कुरा", set()),
    (("jump", "jumps", "jumping", "jumped"), "कूद", {"in_water"}),
    (("shout", "shouts", "shouting", "shouted"), "चिल्ला", set()),
    (("climb", "climbs", "climbing", "climbed"), "चढ़", {"onto"}),
    (("arrive", "arrives", "arriving", "arrived"), "पहुँच", {"to"}),
    (("return", "returns", "returning", "returned"), "लौट", {"from"}),
    (("rest", "rests", "resting", "rested"), "आराम कर", {"in", "after"}),
    (("bathe", "bathes", "bathing", "bathed"), "नहा", {"in_water", "before"}),
    (("study", "studies", "studying", "studied"), "पढ़ाई कर", {"in"}),
    (("think", "thinks", "thinking", "thought"), "सोच", {"about"}),
    (("talk", "talks", "talking", "talked"), "बात कर", {"with", "about"}),
    (("try", "tries", "trying", "tried"), "कोशिश कर", set()),
    (("help", "helps", "helping", "helped"), "मदद कर", set()),
    (("ask", "asks", "asking", "asked"), "पूछ", set()),
    (("wait", "waits", "waiting", "waited"), "इंतज़ार कर", set()),
    (("stay", "stays", "staying", "stayed"), "रुक", {"in"}),
    (("listen", "listens", "listening", "listened"), "सुन", set()),
    (("look", "looks", "looking", "looked"), "देख", set()),
    (("love", "loves", "loving", "loved"), "प्यार कर", set()),
    (("hope", "hopes", "hoping", "hoped"), "उम्मीद कर", set()),
    (("worry", "worries", "worrying", "worried"), "चिंता कर", set()),
    (("believe", "believes", "believing", "believed"), "विश्वास कर", set()),
    (("come back", "comes back", "coming back", "came back"), "वापस आ", {"from"}),
    (("go back", "goes back", "going back", "went back"), "वापस जा", set()),
    (("go out", "goes out", "going out", "went out"), "बाहर जा", set()),
    (("run away", "runs away", "running away", "ran away"), "भाग जा", set()),
    (("get up", "gets up", "getting up", "got up"), "उठ", set()),
]
# Intransitive compounds with a masculine noun ("काम करना") take ने in the perfective and
# agree with that noun (masculine singular); पढ़ाई is feminine.
NE_INTRANSITIVE = {"काम कर": ("m", "sg"), "आराम कर": ("m", "sg"), "पढ़ाई कर": ("f", "sg"),
                   "सोच": ("m", "sg"), "बात कर": ("f", "sg"), "कोशिश कर": ("f", "sg"),
                   "मदद कर": ("f", "sg"), "पूछ": ("m", "sg"), "इंतज़ार कर": ("m", "sg"),
                   "सुन": ("m", "sg"), "देख": ("m", "sg"), "प्यार कर": ("m", "sg"),
                   "उम्मीद कर": ("f", "sg"), "चिंता कर": ("f", "sg"), "विश्वास कर": ("m", "sg")}

PERFECTIVE_IRREGULAR = {"कर": "किय", "दे": "दिय", "ले": "लिय", "जा": "गय", "पी": "पिय",
                        "छू": "छु"}
VOWEL_SIGNS = "ािीुूेैोौ"
VOWELS = VOWEL_SIGNS + "अआइईउऊएऐओऔ"   # a stem ending in either takes -या / -ए


def perfective(stem, gender, number):
    """Simple past participle: खाया खाए खाई खाईं; पढ़ा पढ़े पढ़ी पढ़ीं; किया किए की कीं."""
    *pre, last = stem.split(" ")
    pre = " ".join(pre) + " " if pre else ""
    if last in PERFECTIVE_IRREGULAR:
        base = PERFECTIVE_IRREGULAR[last]
        if last == "छू":                            # छुआ छुए छुई छुईं
            end = {"msg": "आ", "mpl": "ए", "fsg": "ई", "fpl": "ईं"}
            return pre + base + end[gender + number]
        if last == "जा":                            # गया गए गई गईं
            return pre + {"msg": "गया", "mpl": "गए", "fsg": "गई", "fpl": "गईं"}[gender + number]
        short = base[:-1]                           # कि दि लि पि
        full = {"कर": "की", "दे": "दी", "ले": "ली", "पी": "पी"}[last]
        return pre + {"msg": base + "ा", "mpl": short + "ए", "fsg": full, "fpl": full + "ं"}[gender + number]
    if last[-1] in VOWELS:                          # खा -> खाया, आ -> आया खाए खाई खाईं
        return pre + last + {"msg": "या", "mpl": "ए", "fsg": "ई", "fpl": "ईं"}[gender + number]
    return pre + last + {"msg": "ा", "mpl": "े", "fsg": "ी", "fpl": "ीं"}[gender + number]


def habitual(stem, gender, number, negative_fpl=False):
    """खाता खाते खाती (खातीं in the negative feminine plural, which drops the auxiliary)."""
    if gender == "f":
        return stem + ("तीं" if negative_fpl else "ती")
    return stem + ("ता" if number == "sg" else "ते")


def progressive(gender, number):
    return "रही" if gender == "f" else ("रहा" if number == "sg" else "रहे")


FUTURE_IRREGULAR = {"दे": {"1sg": "दूँ", "2": "दो", "3sg": "दे", "pl": "दें"},
                    "ले": {"1sg": "लूँ", "2": "लो", "3sg": "ले", "pl": "लें"}}


def future(stem, person, number, gender):
    """खाऊँगा खाओगे खाएगा खाएँगे; पढ़ूँगा पढ़ोगे पढ़ेगा पढ़ेंगे; feminine -गी."""
    *pre, last = stem.split(" ")
    pre = " ".join(pre) + " " if pre else ""
    slot = "1sg" if (person, number) == (1, "sg") else "2" if person == 2 else \
        "3sg" if number == "sg" else "pl"
    g = "ी" if gender == "f" else ("ा" if slot in ("1sg", "3sg") else "े")
    if last in FUTURE_IRREGULAR:
        return pre + FUTURE_IRREGULAR[last][slot] + "ग" + g
    if last[-1] in VOWELS:
        if last[-1] in "ीू":                        # पी -> पिएगा, छू -> छुएगा
            last = last[:-1] + {"ी": "ि", "ू": "ु"}[last[-1]]
        end = {"1sg": "ऊँ", "2": "ओ", "3sg": "ए", "pl": "एँ"}[slot]
    else:
        end = {"1sg": "ूँ", "2": "ो", "3sg": "े", "pl": "ें"}[slot]
    return pre + last + end + "ग" + g


def past_aux(gender, number):
    """था थे थी थीं"""
    return ("थी" if number == "sg" else "थीं") if gender == "f" else \
        ("था" if number == "sg" else "थे")


def future_be(person, number, gender):
    """होऊँगा होगे होगा होंगे (feminine -गी)"""
    f = gender == "f"
    if person == 1 and number == "sg":
        return "होऊँगी" if f else "होऊँगा"
    if person == 2:
        return "होगी" if f else "होगे"
    if number == "sg":
        return "होगी" if f else "होगा"
    return "होंगी" if f else "होंगे"


def aux_present(person, number):
    if person == 1 and number == "sg":
        return "हूँ"
    if person == 2:
        return "हो"
    return "है" if number == "sg" else "हैं"


TIME_WORDS = {
    "every day": ("हर दिन", ["habitual"]),
    "today": ("आज", ["progressive", "future", "past"]),
    "tomorrow": ("कल", ["future"]),
    "yesterday": ("कल", ["past", "pastprog"]),
    "tonight": ("आज रात", ["future", "progressive"]),
    "now": ("अभी", ["progressive"]),
    "later": ("बाद में", ["future"]),
    "soon": ("जल्दी ही", ["future"]),
}
# Adverbs at the end of the English clause; in Hindi after the subject, like time words.
ADVERBS = {
    "here": ("यहाँ", ["habitual", "progressive", "future", "past", "pastprog"]),
    "there": ("वहाँ", ["habitual", "progressive", "future", "past", "pastprog"]),
    "again": ("फिर से", ["future", "past", "perfect"]),
    "together": ("साथ में", ["habitual", "progressive", "future", "past"]),
    "too": ("भी", ["habitual", "progressive", "future", "past"]),
    "quickly": ("जल्दी", ["habitual", "progressive", "future", "past"]),
    "slowly": ("धीरे", ["habitual", "progressive", "future", "past"]),
    "for two days": ("दो दिन", ["past", "future"]),
    "for an hour": ("एक घंटे", ["past", "future"]),
    "for three years": ("तीन साल", ["past", "future"]),
    "for ten minutes": ("दस मिनट", ["past", "future"]),
    "for five weeks": ("पाँच हफ़्ते", ["past", "future"]),
    "two days ago": ("दो दिन पहले", ["past", "pastprog"]),
    "a year ago": ("एक साल पहले", ["past"]),
    "late": ("देर से", ["habitual", "past", "future"]),
    "once": ("एक बार", ["past"]),
    "this year": ("इस साल", ["future", "past"]),
    "next week": ("अगले हफ़्ते", ["future"]),
    "last month": ("पिछले महीने", ["past"]),
    "in the morning": ("सुबह", ["habitual", "future"]),
    "at night": ("रात को", ["habitual", "future", "past"]),
    "this evening": ("आज शाम", ["future"]),
}


# ---- English verb morphology (for the dictionary verbs of lexicon_auto.tsv) -------------------
# base: (past, past participle) of the irregular verbs
IRREGULAR_VERBS = {
    "be": ("was", "been"), "have": ("had", "had"), "do": ("did", "done"), "go": ("went", "gone"),
    "say": ("said", "said"), "get": ("got", "got"), "make": ("made", "made"),
    "know": ("knew", "known"), "think": ("thought", "thought"), "take": ("took", "taken"),
    "see": ("saw", "seen"), "come": ("came", "come"), "give": ("gave", "given"),
    "find": ("found", "found"), "tell": ("told", "told"), "become": ("became", "become"),
    "leave": ("left", "left"), "feel": ("felt", "felt"), "bring": ("brought", "brought"),
    "begin": ("began", "begun"), "keep": ("kept", "kept"), "hold": ("held", "held"),
    "write": ("wrote", "written"), "stand": ("stood", "stood"), "hear": ("heard", "heard"),
    "let": ("let", "let"), "mean": ("meant", "meant"), "set": ("set", "set"),
    "meet": ("met", "met"), "run": ("ran", "run"), "pay": ("paid", "paid"), "sit": ("sat", "sat"),
    "speak": ("spoke", "spoken"), "lie": ("lay", "lain"), "lead": ("led", "led"),
    "read": ("read", "read"), "grow": ("grew", "grown"), "lose": ("lost", "lost"),
    "fall": ("fell", "fallen"), "send": ("sent", "sent"), "build": ("built", "built"),
    "understand": ("understood", "understood"), "draw": ("drew", "drawn"),
    "break": ("broke", "broken"), "spend": ("spent", "spent"), "cut": ("cut", "cut"),
    "rise": ("rose", "risen"), "drive": ("drove", "driven"), "buy": ("bought", "bought"),
    "wear": ("wore", "worn"), "choose": ("chose", "chosen"), "seek": ("sought", "sought"),
    "throw": ("threw", "thrown"), "catch": ("caught", "caught"), "deal": ("dealt", "dealt"),
    "win": ("won", "won"), "forget": ("forgot", "forgotten"), "sell": ("sold", "sold"),
    "fight": ("fought", "fought"), "teach": ("taught", "taught"), "eat": ("ate", "eaten"),
    "sing": ("sang", "sung"), "swim": ("swam", "swum"), "drink": ("drank", "drunk"),
    "fly": ("flew", "flown"), "sleep": ("slept", "slept"), "hide": ("hid", "hidden"),
    "shut": ("shut", "shut"), "hit": ("hit", "hit"), "hurt": ("hurt", "hurt"),
    "put": ("put", "put"), "wake": ("woke", "woken"), "steal": ("stole", "stolen"),
    "shoot": ("shot", "shot"), "forgive": ("forgave", "forgiven"), "ride": ("rode", "ridden"),
    "feed": ("fed", "fed"), "bite": ("bit", "bitten"), "blow": ("blew", "blown"),
    "hang": ("hung", "hung"), "dig": ("dug", "dug"), "light": ("lit", "lit"),
    "shake": ("shook", "shaken"), "bend": ("bent", "bent"), "burn": ("burnt", "burnt"),
    "dream": ("dreamt", "dreamt"), "learn": ("learnt", "learnt"), "smell": ("smelled", "smelled"),
    "spell": ("spelt", "spelt"), "tear": ("tore", "torn"), "wind": ("wound", "wound"),
    "bear": ("bore", "borne"), "beat": ("beat", "beaten"), "freeze": ("froze", "frozen"),
    "lend": ("lent", "lent"), "stick": ("stuck", "stuck"), "swing": ("swung", "swung"),
    "sweep": ("swept", "swept"), "weep": ("wept", "wept"), "bet": ("bet", "bet"),
    "spread": ("spread", "spread"), "quit": ("quit", "quit"), "split": ("split", "split"),
    "show": ("showed", "shown"), "sew": ("sewed", "sewn"), "tie": ("tied", "tied"),
}


def english_verb_forms(base):
    """(base, 3sg, -ing, past, past participle) by rule, with IRREGULAR_VERBS."""
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        s3 = base + "es"
    elif base.endswith("y") and base[-2] not in "aeiou":
        s3 = base[:-1] + "ies"
    else:
        s3 = base + "s"
    cvc = len(base) >= 3 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and \
        base[-3] not in "aeiou" and len(base) <= 4
    if base.endswith("ie"):
        ing = base[:-2] + "ying"
    elif base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        ing = base[:-1] + "ing"
    elif cvc:
        ing = base + base[-1] + "ing"
    else:
        ing = base + "ing"
    if base in IRREGULAR_VERBS:
        past, pp = IRREGULAR_VERBS[base]
    else:
        if base.endswith("e"):
            past = base + "d"
        elif base.endswith("y") and base[-2] not in "aeiou":
            past = base[:-1] + "ied"
        elif cvc:
            past = base + base[-1] + "ed"
        else:
            past = base + "ed"
        pp = past
    return base, s3, ing, past, pp


def past_participle(forms):
    """The -en form of a (base, 3sg, ing, past) tuple; compounds ("pick up") inflect their
    first word."""
    first, *rest = forms[0].split(" ")
    pp = IRREGULAR_VERBS.get(first, (None, forms[3].split(" ")[0]))[1]
    return " ".join([pp] + rest)


# ---- the dictionary lexicon (scripts/build_lexicon.py) ----------------------------------------
# Nouns join category "thing" (objects of see/find/buy/want/have, subjects of "is ADJ"),
# adjectives describe things, verbs take "thing" objects; compounds (प्रतीक्षा करना) take none.
AUTO_NOUNS, AUTO_ADJ, AUTO_VT, AUTO_VI, AUTO_CONJ = [], [], [], [], {}


def _load_auto(path):
    import os
    if not os.path.exists(path):
        return
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        c = line.rstrip("\n").split("\t")
        pos, en, hi, info = c[:4]
        if pos == "n":
            AUTO_NOUNS.append(Noun(en, "", hi, info, "thing", {"dp": c[4], "os": c[5], "op": c[6]}))
        elif pos == "adj":
            AUTO_ADJ.append((en, hi if info == "infl" or not hi.endswith(AA) else hi))
            if info != "infl" and hi.endswith(AA):
                INVARIANT_AA.add(hi)
        elif pos == "vt" and info.startswith("conj"):
            AUTO_VI.append((english_verb_forms(en)[:4], hi, set()))
            AUTO_CONJ[hi] = (info[4:], "sg")
        elif pos == "vt":
            AUTO_VT.append((english_verb_forms(en)[:4], hi, ["thing"]))
        elif pos == "vi":
            AUTO_VI.append((english_verb_forms(en)[:4], hi, set()))


INVARIANT_AA = set()                         # -ा adjectives apertium lists as invariable (सीधा?)
_load_auto(__file__.rsplit("/", 1)[0] + "/lexicon_auto.tsv")
for _n in AUTO_NOUNS:
    if _n.en not in NOUN:
        NOUN[_n.en] = _n
        NOUN_LIST.append(_n)
        BY_CAT.setdefault("thing", []).append(_n)
HAND_ADJECTIVES = list(ADJECTIVES)
_known_adj = {a for a, _ in ADJECTIVES} | {c for c, _ in COLOURS}
ADJECTIVES += [a for a in AUTO_ADJ if a[0] not in _known_adj]
THING_ADJ |= {a for a, _ in AUTO_ADJ if a not in _known_adj}
_known_v = {v[0][0] for v in TRANSITIVE} | {v[0][0] for v in INTRANSITIVE}
for _i, (_f, _st, _cats) in enumerate(TRANSITIVE):  # things people handle take dictionary nouns
    if "object" in _cats or _f[0] in ("see", "find", "buy", "sell", "keep", "hide", "give"):
        TRANSITIVE[_i] = (_f, _st, _cats + ["thing"])
HAND_TRANSITIVE, HAND_INTRANSITIVE = list(TRANSITIVE), list(INTRANSITIVE)
AUTO_TRANSITIVE = [v for v in AUTO_VT if v[0][0] not in _known_v]
AUTO_INTRANSITIVE = [v for v in AUTO_VI if v[0][0] not in _known_v]
TRANSITIVE += AUTO_TRANSITIVE
INTRANSITIVE += AUTO_INTRANSITIVE
NE_INTRANSITIVE.update(AUTO_CONJ)

# ---- respect --------------------------------------------------------------------------------
# A singular father, mother, grandparent, uncle, aunt or teacher takes the respectful plural:
# verb, auxiliary, adjectives and possessives agree in the plural (मेरे पिता खाना खाते हैं, मेरी
# माँ ख़ुश हैं, अध्यापक आ रहे हैं); the noun itself keeps its singular form.
HONORIFIC = {"father", "mother", "grandfather", "grandmother", "uncle", "aunt", "teacher", "mom",
             "dad"}
# "old" is पुराना for things and बूढ़ा for people and animals.
OLD_ANIMATE = ("old", "बूढ़ा")

# Object and oblique pronouns: me मुझे, with a postposition मुझ (मुझसे) and मेरे (मेरे पास).
OBJECT_PRONOUN = {"I": "me", "you": "you", "he": "him", "she": "her", "it": "it", "we": "us",
                  "they": "them", "someone": "someone", "everyone": "everyone"}
# Ordinal-like adjectives that come with "the": the first day -> पहला दिन
DET_ADJ = [("first", "पहला"), ("second", "दूसरा"), ("last", "आख़िरी"), ("next", "अगला"), ("other", "दूसरा"),
           ("same", "वही"), ("whole", "पूरा")]
# Quantifiers in the determiner slot: some books -> कुछ किताबें, every day -> हर दिन
QUANT = {"each": "हर", "some": "कुछ", "every": "हर", "all": "सारा", "another": "एक और", "both": "दोनों",
         "a few": "कुछ", "a lot of": "बहुत सारा", "enough": "काफ़ी"}
QUANT_PLURAL = {"some", "all", "both", "a few", "a lot of", "enough"}
# Habitual frequency adverbs, before the English verb and after the Hindi subject
FREQ_ADV = {"always": "हमेशा", "often": "अक्सर", "sometimes": "कभी-कभी", "usually": "आमतौर पर",
            "never": "कभी"}
# A word before a statement: oh, ... -> अरे, ...
INTERJECTIONS = {"anyway": "ख़ैर", "probably": "शायद", "actually": "असल में", "oh": "अरे", "hey": "अरे", "well": "ख़ैर", "yeah": "हाँ", "yes": "हाँ",
                 "ok": "ठीक है", "okay": "ठीक है", "so": "तो", "maybe": "शायद", "no": "नहीं"}
PRONOUN_WITH_SE = {"I": "मुझसे", "you": "तुमसे", "he": "उससे", "she": "उससे", "it": "उससे",
                   "we": "हमसे", "they": "उनसे"}

# ---- numbers to 100 -------------------------------------------------------------------------
_HI_NUM = ("एक दो तीन चार पाँच छह सात आठ नौ दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह "
           "उन्नीस बीस इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस तीस इकतीस "
           "बत्तीस तैंतीस चौंतीस पैंतीस छत्तीस सैंतीस अड़तीस उनतालीस चालीस इकतालीस बयालीस "
           "तैंतालीस चवालीस पैंतालीस छियालीस सैंतालीस अड़तालीस उनचास पचास इक्यावन बावन तिरपन "
           "चौवन पचपन छप्पन सत्तावन अट्ठावन उनसठ साठ इकसठ बासठ तिरसठ चौंसठ पैंसठ छियासठ "
           "सड़सठ अड़सठ उनहत्तर सत्तर इकहत्तर बहत्तर तिहत्तर चौहत्तर पचहत्तर छिहत्तर सतहत्तर "
           "अठहत्तर उन्यासी अस्सी इक्यासी बयासी तिरासी चौरासी पचासी छियासी सत्तासी अट्ठासी "
           "नवासी नब्बे इक्यानबे बानबे तिरानबे चौरानबे पंचानबे छियानबे सत्तानबे अट्ठानबे "
           "निन्यानबे सौ").split()
_EN_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen " \
            "fifteen sixteen seventeen eighteen nineteen".split()
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def english_number(n):
    if n < 20:
        return _EN_UNITS[n - 1]
    if n == 100:
        return "a hundred"
    t, u = divmod(n, 10)
    return _EN_TENS[t - 2] + ("-" + _EN_UNITS[u - 1] if u else "")


NUMBERS_100 = [(english_number(n), _HI_NUM[n - 1]) for n in range(1, 101)]


IMPERATIVE_IRREGULAR = {"पी": ("पियो", "पीजिए"), "दे": ("दो", "दीजिए"), "ले": ("लो", "लीजिए"),
                        "कर": ("करो", "कीजिए"), "हो": ("हो", "होइए"), "छू": ("छुओ", "छुइए")}


def imperative(last, polite):
    """The imperative of a verb stem's last word: तुम खाओ पढ़ो, आप खाइए पढ़िए."""
    if last in IMPERATIVE_IRREGULAR:
        return IMPERATIVE_IRREGULAR[last][polite]
    if last[-1] in VOWELS:
        return last + ("इए" if polite else "ओ")
    return last + ("िए" if polite else "ो")
