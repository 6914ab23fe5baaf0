#!/usr/bin/env python3
"""Writes N mixed input lines for `make soak` (tests/tools/soak.sh) to stdout, the same for a
given seed: test sentences from tests/fixtures/en-hi-test.tsv, empty lines, spaces, invalid
UTF-8, NUL bytes, CRLF endings, emoji, Devanagari, numbers, 5 KB and 200 KB lines. Also
writes the line numbers (1-based) of blank lines, one a line, to the file named by argv[3]."""
import random
import sys


def main():
    n, seed, blank_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rnd = random.Random(seed)
    with open("tests/fixtures/en-hi-test.tsv", encoding="utf-8") as f:
        src = [l.split("\t")[0] for l in f if l.strip()]
    hi = [l.split("\t")[1] for l in open("tests/fixtures/en-hi-test.tsv", encoding="utf-8")]
    out = sys.stdout.buffer
    blanks = []
    # (weight, maker): a maker returns (bytes without the line ending, ending, is_blank)
    kinds = [
        (50, lambda: (rnd.choice(src).encode(), b"\n", False)),
        (10, lambda: (b"", b"\n", True)),
        (5, lambda: (b" " * rnd.randint(1, 8) + b"\t" * rnd.randint(0, 2), b"\n", True)),
        (5, lambda: (b"caf\xe9 \xff\xfe \xc0\x80 \xed\xa0\x80 " + rnd.choice(src).encode(), b"\n", False)),
        (5, lambda: (rnd.choice(src).encode() + b"\x00" + rnd.choice(src).encode(), b"\n", False)),
        (5, lambda: (rnd.choice(src).encode(), b"\r\n", False)),
        (5, lambda: (("\U0001F600 " + rnd.choice(src) + " \U0001F44D\u200d").encode(), b"\n", False)),
        (5, lambda: (rnd.choice(hi).encode(), b"\n", False)),
        (5, lambda: (" ".join(str(rnd.randint(0, 10**9)) for _ in range(rnd.randint(1, 6))).encode(), b"\n", False)),
        (1, lambda: (((rnd.choice(src) + " ") * 120)[:5000].encode(), b"\n", False)),
        (0.02, lambda: (("a\u0915 " * 50000).encode()[:200000], b"\n", False)),
    ]
    weights = [k[0] for k in kinds]
    makers = [k[1] for k in kinds]
    for i in range(1, n + 1):
        text, end, blank = rnd.choices(makers, weights)[0]()
        if blank:
            blanks.append(i)
        out.write(text + end)
    with open(blank_path, "w") as f:
        f.write("".join(f"{i}\n" for i in blanks))


if __name__ == "__main__":
    main()
