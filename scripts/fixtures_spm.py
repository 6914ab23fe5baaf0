#!/usr/bin/env python3
"""SentencePiece fixtures: models trained with spm_train and libsentencepiece's own output.

Writes tests/fixtures/spm/:
  lines.txt          test input, one line per '\\n' (raw bytes: may hold invalid UTF-8)
  <name>.model       small models trained here with spm_train on a generated corpus
  cli_tiny.tsv       `anuvad tokenize -m tests/fixtures/engine/cli_tiny.gguf` reference: input,
                     source pieces, source ids, target pieces, target ids (model vocabulary)
  <name>.expected    per input line: ids TAB pieces TAB decode, as the library gives them
                     (EncodeAsIds, EncodeAsPieces, DecodePieces of those pieces)
Fields escape bytes < 0x20, 0x7f and '\\' as \\xNN (in pieces also the space, so that the
separator stays unambiguous);
pieces and ids are separated by one space; a decode equal to the input line is written '='.

Everything is deterministic (seeded); run it with /usr/bin/python3 (needs python3-sentencepiece
and spm_train). `make fixtures` runs it. The outputs are committed.
"""
import argparse
import os
import random
import struct
import subprocess
import sys
import tempfile

import sentencepiece as spm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "spm")
GGUF = os.path.join(ROOT, "models", "en-hi.gguf")

EN_SUBJ = ["the boy", "the girl", "my mother", "his father", "a teacher", "the old man",
           "the children", "our friend", "the doctor", "a farmer", "the women", "her brother",
           "the king", "a student", "the dog", "the cat", "they", "we", "you", "I", "she", "he"]
EN_VERB = ["reads", "writes", "eats", "drinks", "sees", "likes", "buys", "sells", "brings",
           "opens", "closes", "cleans", "makes", "finds", "carries", "wants", "loves", "helps"]
EN_OBJ = ["a book", "the letter", "an apple", "cold water", "the red door", "a small house",
          "the newspaper", "some rice", "fresh bread", "the window", "a long road", "the river",
          "three mangoes", "the old car", "a new phone", "sweet tea", "the school bag"]
EN_TAIL = ["", "", " every day", " in the morning", " at night", " near the market",
           " with his friends", " in the garden", " quickly", " slowly", " today", " again"]

HI_SUBJ = ["लड़का", "लड़की", "मेरी माँ", "उसके पिता", "एक अध्यापक", "बूढ़ा आदमी", "बच्चे",
           "हमारा दोस्त", "डॉक्टर", "एक किसान", "औरतें", "उसका भाई", "राजा", "एक छात्र",
           "कुत्ता", "बिल्ली", "वे", "हम", "तुम", "मैं", "वह"]
HI_OBJ = ["किताब", "चिट्ठी", "सेब", "ठंडा पानी", "लाल दरवाज़ा", "छोटा घर", "अख़बार",
          "थोड़ा चावल", "ताज़ी रोटी", "खिड़की", "लंबी सड़क", "नदी", "तीन आम", "पुरानी गाड़ी",
          "नया फ़ोन", "मीठी चाय", "स्कूल का बस्ता"]
HI_VERB = ["पढ़ता है", "लिखती है", "खाता है", "पीती है", "देखता है", "पसंद करती है",
           "ख़रीदता है", "बेचती है", "लाता है", "खोलती है", "बंद करता है", "साफ़ करती है",
           "बनाता है", "ढूँढती है", "चाहता है", "मदद करती है"]
HI_TAIL = ["", "", "हर दिन ", "सुबह ", "रात को ", "बाज़ार के पास ", "अपने दोस्तों के साथ ",
           "बगीचे में ", "जल्दी ", "धीरे ", "आज ", "फिर से "]


EN_SYL = ["ka", "ro", "lin", "mar", "te", "vi", "son", "del", "bri", "an", "ush", "quo", "zen",
          "pha", "el", "gor", "tha", "wy", "ix", "ben", "sa", "tor", "mi", "ly", "cha", "dre"]
HI_CONS = "कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह"
HI_MATRA = ["", "ा", "ि", "ी", "ु", "ू", "े", "ै", "ो", "ौ", "ं", "्"]


def en_name(r):
    return "".join(r.choice(EN_SYL) for _ in range(r.randint(2, 3))).capitalize()


def hi_name(r):
    return "".join(r.choice(HI_CONS) + r.choice(HI_MATRA) for _ in range(r.randint(2, 3)))


def en_sentence(r):
    subj = r.choice(EN_SUBJ) if r.random() < 0.6 else en_name(r)
    s = "%s %s %s%s" % (subj, r.choice(EN_VERB), r.choice(EN_OBJ), r.choice(EN_TAIL))
    if r.random() < 0.2:
        s += " for %d rupees" % r.randint(1, 5000)
    s = s[0].upper() + s[1:]
    return s + r.choice([".", ".", ".", "!", "?"])


def hi_sentence(r):
    subj = r.choice(HI_SUBJ) if r.random() < 0.6 else hi_name(r)
    return "%s %s%s %s%s" % (subj, r.choice(HI_TAIL), r.choice(HI_OBJ),
                             r.choice(HI_VERB), r.choice(["।", "।", "।", "?", "!"]))


# Hostile fragments (as bytes): whitespace of every kind, compatibility characters that
# nmt_nfkc rewrites, characters outside the training set, and byte sequences that are not
# UTF-8 (lone continuation, truncated, overlong, surrogate, past U+10FFFF).
HOSTILE = [
    b"  ", b"\t", b" \t ", b"     ", "\u00a0".encode(), "\u3000".encode(), "\u2003".encode(),
    b"0123456789", b"3.14", b"1,000,000", b"(a)", b"[x]", b"--", b"...", b"!?", b"#@$%^&*",
    b"\"quoted\"", b"'s", b"a_b", b"~/path/to/file.txt", b"http://example.com/?q=1&r=2",
    "😀".encode(), "👍🏽".encode(), "👨‍👩‍👧".encode(), "🇮🇳".encode(), "❤️".encode(),
    "Ｈｅｌｌｏ".encode(), "ＡＢＣ１２３".encode(), "ｶﾀｶﾅ".encode(), "ﬁ".encode(), "ﬂ".encode(),
    "ﬃ".encode(), "Ⅻ".encode(), "²".encode(), "½".encode(), "™".encode(), "㎏".encode(),
    "e\u0301".encode(), "\u00e9".encode(), "n\u0303".encode(), "a\u0308\u0304".encode(),
    "\u0301".encode(), "\u00a8".encode(), "\u00b4".encode(),
    "\u200b".encode(), "\u200c".encode(), "\u200d".encode(), "\ufeff".encode(), "\u2060".encode(),
    "\u0921\u093c".encode(), "\u095c".encode(), "\u0922\u093c".encode(), "\u095d".encode(),
    "\u0915\u093c".encode(), "\u0958".encode(), "\u091c\u093c".encode(), "\u095b".encode(),
    "\u092b\u093c".encode(), "\u095e".encode(), "क्षत्रिय".encode(), "श्री".encode(), "१२३".encode(),
    "\u0964".encode(), "\u0965".encode(), "ॐ".encode(),
    "\u2581".encode(), "\u2581\u2581x".encode(), "<unk>".encode(), b"<s>", b"</s>", b"<pad>",
    b"<0x41>", b"<sep>", b"<ctl>", b"a<sep>b", "\ufffd".encode(), "中文字符".encode(), "Привет".encode(), "Ωμέγα".encode(),
    "عربى".encode(), b"\x01", b"\x0b", b"\x0c", b"\x1f", b"\x7f", "\u0085".encode(),
    "\u2028".encode(), b"\xff", b"\xfe", b"\x80", b"\xbf", b"\xc3", b"\xc3(", b"\xe0\x80\x80",
    b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xf0\x9f\x98", b"\xe2\x96", b"\xc0\xaf",
    b"\xf8\x88\x80\x80\x80", b"\xe0\xa4", "ＡＢＣ".encode(), "ｘ".encode(),
]


def hostile_line(r, words):
    parts = []
    if r.random() < 0.3:
        parts.append(r.choice([b" ", b"  ", b"\t", b" \t"]))
    for _ in range(r.randint(1, 8)):
        if r.random() < 0.5:
            parts.append(r.choice(HOSTILE))
        else:
            parts.append(r.choice(words).encode())
        parts.append(r.choice([b" ", b" ", b"", b"  ", b"\t", b" \t  "]))
    if r.random() < 0.3:
        parts.append(r.choice([b" ", b"   ", b"\t"]))
    return b"".join(parts)


def make_lines(r):
    words = sorted(set(" ".join(EN_SUBJ + EN_VERB + EN_OBJ + HI_SUBJ + HI_OBJ + HI_VERB).split()))
    lines = []
    for _ in range(1250):
        lines.append(en_sentence(r).encode())
    for _ in range(1250):
        lines.append(hi_sentence(r).encode())
    for _ in range(450):
        lines.append(hostile_line(r, words))
    for _ in range(80):  # mixed-language lines
        lines.append((en_sentence(r) + " " + hi_sentence(r)).encode())
    # Edge cases, each on its own line.
    lines += [b"", b" ", b"   ", b"\t\t", b"a", "\u2581".encode(), b"\xff", b"  leading",
              b"trailing  ", b"  both  ", b"x" * 300, ("आ" * 100).encode(),
              " ".join(["word"] * 200).encode(), b"\xe2\x96\x81\xe2\x96\x81", "ﬁﬁﬁ".encode(),
              "😀😀😀 😀".encode(), b"\xff\xfe\xfd", "<unk><s></s>".encode()]
    r.shuffle(lines)
    for ln in lines:
        assert b"\n" not in ln and b"\r" not in ln and b"\0" not in ln
    return lines


def make_corpus(r, n):
    out = []
    for i in range(n):
        out.append(en_sentence(r) if i % 2 == 0 else hi_sentence(r))
    out.append("0123456789 ! ? . , ; : ( ) [ ] \" ' - _ / & % $ # @")
    return out


def train(tmp, name, **flags):
    # Relative paths: the trainer_spec records them, and the models must not depend on where
    # the script ran.
    args = ["spm_train", "--input=corpus.txt", "--model_prefix=" + name,
            "--num_threads=1", "--random_seed=1", "--minloglevel=2"]
    args += ["--%s=%s" % (k, v) for k, v in flags.items()]
    subprocess.run(args, check=True, cwd=tmp, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    os.replace(os.path.join(tmp, name + ".model"), os.path.join(OUT, name + ".model"))


def esc(b, space=True):
    out = []
    for c in b:
        if c < 0x20 or c == 0x7f or c == 0x5c or (space and c == 0x20):
            out.append("\\x%02x" % c)
        else:
            out.append(chr(c))
    return "".join(out)


def as_bytes(s):
    return s if isinstance(s, bytes) else s.encode()


def write_expected(model_bytes, name, lines):
    sp = spm.SentencePieceProcessor()
    sp.LoadFromSerializedProto(model_bytes)
    rows = []
    for ln in lines:
        pieces = [as_bytes(p) for p in sp.EncodeAsPieces(ln)]
        ids = sp.EncodeAsIds(ln)
        assert len(pieces) == len(ids)
        dec = as_bytes(sp.DecodePieces([p.decode() for p in pieces]))
        row = " ".join(str(i) for i in ids) + "\t" + " ".join(esc(p) for p in pieces) + "\t"
        # '=' stands for "same as the input"; a decode that is itself "=" is escaped.
        row += "=" if dec == ln else "\\x3d" if dec == b"=" else esc(dec, space=False)
        rows.append(row)
    # Latin-1 round-trips the raw bytes that esc() left as chr(c).
    with open(os.path.join(OUT, name + ".expected"), "wb") as f:
        f.write(("\n".join(rows) + "\n").encode("latin-1"))


def gguf_read(path):
    """Metadata of a GGUF v3 file: key -> value (u8 arrays as bytes, string arrays as lists of
    bytes, strings as bytes, numbers as numbers). Tensors are not read."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"GGUF":
        return {}
    _, n_tensors, n_kv = struct.unpack_from("<IQQ", data, 4)
    off = 24
    fmt = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q",
           12: "d"}

    def value(t, o):
        if t == 8:
            n, = struct.unpack_from("<Q", data, o)
            return data[o + 8:o + 8 + n], o + 8 + n
        if t == 9:
            et, n = struct.unpack_from("<IQ", data, o)
            o += 12
            if et in (0, 1):
                return data[o:o + n], o + n
            out = []
            for _ in range(n):
                v, o = value(et, o)
                out.append(v)
            return out, o
        v, = struct.unpack_from("<" + fmt[t], data, o)
        return v, o + struct.calcsize("<" + fmt[t])

    kv = {}
    for _ in range(n_kv):
        key, off = value(8, off)
        t, = struct.unpack_from("<I", data, off)
        kv[key.decode()], off = value(t, off + 4)
    return kv


CLI_LINES = ["we are friends", "the dog runs", "", "  spaced   out  ", "xyz 😀 ﬁne", "किताब"]


def write_cli_expected(gguf_path, out_name):
    """`anuvad tokenize -m` reference: per input line, source and target pieces and their
    model-vocabulary ids (tokenizer.vocab lookup, unknown -> anuvad.token.unk)."""
    kv = gguf_read(gguf_path)
    vocab = {}
    for i, p in enumerate(kv["tokenizer.vocab"]):
        vocab.setdefault(p, i)
    unk = kv["anuvad.token.unk"]
    rows = []
    for ln in CLI_LINES:
        row = [ln]
        for side in ("source", "target"):
            sp = spm.SentencePieceProcessor()
            sp.LoadFromSerializedProto(kv["tokenizer.%s.spm" % side])
            pieces = sp.EncodeAsPieces(ln)
            row.append(" ".join(pieces))
            row.append(" ".join(str(vocab.get(p.encode(), unk)) for p in pieces))
        rows.append("\t".join(row))
    with open(os.path.join(OUT, out_name), "w") as f:
        f.write("\n".join(rows) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-train", action="store_true", help="keep the committed models")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    r = random.Random(20240531)
    lines = make_lines(r)
    with open(os.path.join(OUT, "lines.txt"), "wb") as f:
        f.write(b"\n".join(lines) + b"\n")

    models = {
        # name: spm_train flags
        "unigram": dict(vocab_size=2000, model_type="unigram"),
        # BPE with nmt_nfkc; user-defined pieces bypass normalization and are never merged
        "bpe": dict(vocab_size=2000, model_type="bpe", user_defined_symbols="<sep>,ﬁ,क़",
                    control_symbols="<ctl>"),
        "bytefb": dict(vocab_size=1000, model_type="unigram", byte_fallback="true"),
        # identity normalization, whitespace kept, suffix markers, user-defined symbols, and
        # a denormalizer (decode maps x -> ks and "," -> " , ")
        "ident": dict(vocab_size=1000, model_type="unigram", normalization_rule_name="identity",
                      remove_extra_whitespaces="false", treat_whitespace_as_suffix="true",
                      user_defined_symbols="<sep>,ﬁ,क़", control_symbols="<ctl>",
                      denormalization_rule_tsv="denorm.tsv"),
    }
    if not args.no_train:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = os.path.join(tmp, "corpus.txt")
            with open(corpus, "w") as f:
                f.write("\n".join(make_corpus(random.Random(7), 20000)) + "\n")
            with open(os.path.join(tmp, "denorm.tsv"), "w") as f:
                f.write("78\t6B 73\n2C\t20 2C 20\n")  # code points, hex
            for name, flags in models.items():
                train(tmp, name, **flags)

    names = list(models)
    blobs = {n: open(os.path.join(OUT, n + ".model"), "rb").read() for n in names}
    if os.path.exists(GGUF):
        kv = gguf_read(GGUF)
        for side in ("source", "target"):
            blobs["enhi-" + side] = kv["tokenizer.%s.spm" % side]
    for name, blob in blobs.items():
        write_expected(blob, name, lines)
        print("%s: %d lines" % (name, len(lines)))
    tiny = os.path.join(ROOT, "tests", "fixtures", "engine", "cli_tiny.gguf")
    if os.path.exists(tiny):
        write_cli_expected(tiny, "cli_tiny.tsv")


if __name__ == "__main__":
    sys.exit(main())
