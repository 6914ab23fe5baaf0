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
]
COLOURS = [
    ("red", "लाल"), ("blue", "नीला"), ("green", "हरा"), ("yellow", "पीला"), ("black", "काला"),
    ("white", "सफ़ेद"), ("pink", "गुलाबी"), ("brown", "भूरा"), ("orange", "नारंगी"),
    ("purple", "बैंगनी"),
]
# Adjectives that describe people/animals only, and those for things only.
ANIMATE_ADJ = {"happy", "sad", "rich", "poor", "hungry", "thirsty", "strong", "weak", "young",
               "kind", "angry", "busy", "quiet", "clever", "lazy", "brave", "tall", "funny",
               "good", "bad", "old", "small", "big", "beautiful"}
THING_ADJ = {a for a, _ in ADJECTIVES} - {"happy", "sad", "hungry", "thirsty", "kind", "angry",
                                          "busy", "lazy", "brave", "clever", "rich", "poor",
                                          "young"}


def inflect_adj(hi, gender, number, oblique):
    """-ा adjectives agree: बड़ा (m sg direct), बड़े (m pl or m oblique), बड़ी (f)."""
    if not hi.endswith(AA):
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
]
# place: where it happens (में/पर/के पास), to: destination without a postposition (जाना),
# from: से.
INTRANSITIVE = [
    (("go", "goes", "going", "went"), "जा", {"to"}),
    (("come", "comes", "coming", "came"), "आ", {"to", "from"}),
    (("sleep", "sleeps", "sleeping", "slept"), "सो", {"in", "on"}),
    (("run", "runs", "running", "ran"), "दौड़", {"in"}),
    (("laugh", "laughs", "laughing", "laughed"), "हँस", set()),
    (("cry", "cries", "crying", "cried"), "रो", set()),
    (("sit", "sits", "sitting", "sat"), "बैठ", {"on", "in", "near"}),
    (("walk", "walks", "walking", "walked"), "टहल", {"in"}),
    (("swim", "swims", "swimming", "swam"), "तैर", {"in_water"}),
    (("dance", "dances", "dancing", "danced"), "नाच", {"in"}),
    (("play", "plays", "playing", "played"), "खेल", {"in"}),
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
    (("rest", "rests", "resting", "rested"), "आराम कर", {"in"}),
    (("bathe", "bathes", "bathing", "bathed"), "नहा", {"in_water"}),
    (("study", "studies", "studying", "studied"), "पढ़ाई कर", {"in"}),
]
# Intransitive compounds with a masculine noun ("काम करना") take ने in the perfective and
# agree with that noun (masculine singular); पढ़ाई is feminine.
NE_INTRANSITIVE = {"काम कर": ("m", "sg"), "आराम कर": ("m", "sg"), "पढ़ाई कर": ("f", "sg")}

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
    "yesterday": ("कल", ["past"]),
}
