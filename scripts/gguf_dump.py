#!/usr/bin/env python3
"""List the keys and tensors of any GGUF file (v2/v3), standard library only.

    gguf_dump.py FILE [--all]     (--all prints whole arrays instead of the first few items)

Tensor shapes are shown twice: GGML order as stored (dims[0] innermost) and PyTorch order
(reversed), e.g. shared.weight  torch [V, d]  ggml [d, V].
"""
import argparse
import struct
import sys

VT = {0: ("u8", "<B"), 1: ("i8", "<b"), 2: ("u16", "<H"), 3: ("i16", "<h"), 4: ("u32", "<I"),
      5: ("i32", "<i"), 6: ("f32", "<f"), 7: ("bool", "<?"), 10: ("u64", "<Q"),
      11: ("i64", "<q"), 12: ("f64", "<d")}
STRING, ARRAY = 8, 9
TT = {0: ("F32", 1, 4), 1: ("F16", 1, 2), 8: ("Q8_0", 32, 34)}   # name, block, bytes/block


class Reader:
    def __init__(self, data):
        self.d, self.p = data, 0

    def take(self, fmt):
        n = struct.calcsize(fmt)
        if self.p + n > len(self.d):
            raise ValueError(f"truncated at byte {self.p}")
        v = struct.unpack_from(fmt, self.d, self.p)
        self.p += n
        return v[0] if len(v) == 1 else v

    def string(self):
        n = self.take("<Q")
        if self.p + n > len(self.d):
            raise ValueError(f"string of {n} bytes runs past the end at byte {self.p}")
        s = self.d[self.p:self.p + n].decode("utf-8", "replace")
        self.p += n
        return s

    def value(self, t):
        if t == STRING:
            return self.string()
        if t == ARRAY:
            et, n = self.take("<I"), self.take("<Q")
            if et == STRING:
                return ("array", "string", [self.string() for _ in range(n)])
            if et not in VT:
                raise ValueError(f"unknown array element type {et}")
            name, fmt = VT[et]
            size = struct.calcsize(fmt)
            if self.p + n * size > len(self.d):
                raise ValueError("array runs past the end")
            if et == 0:
                items = self.d[self.p:self.p + n]
                self.p += n
            else:
                items = [self.take(fmt) for _ in range(n)]
            return ("array", name, items)
        if t not in VT:
            raise ValueError(f"unknown value type {t}")
        return self.take(VT[t][1])


def show(v, full):
    if isinstance(v, tuple) and v[0] == "array":
        _, et, items = v
        n = len(items)
        if et == "u8" and not full:
            return f"u8[{n}] {bytes(items[:16]).hex()}{'...' if n > 16 else ''}"
        shown = list(items) if full else list(items[:8])
        return f"{et}[{n}] {shown!r}{' ...' if n > len(shown) else ''}"
    return repr(v)


def dump(path, full=False, out=sys.stdout):
    data = open(path, "rb").read()
    r = Reader(data)
    magic, version = r.take("<I"), r.take("<I")
    if magic != 0x46554747:
        raise ValueError(f"not a GGUF file (magic {magic:#x})")
    n_t, n_kv = r.take("<Q"), r.take("<Q")
    print(f"{path}: GGUF v{version}, {n_kv} keys, {n_t} tensors, {len(data)} bytes", file=out)
    align = 32
    for _ in range(n_kv):
        k = r.string()
        t = r.take("<I")
        v = r.value(t)
        if k == "general.alignment":
            align = v
        print(f"  {k} = {show(v, full)}", file=out)
    tensors = []
    for _ in range(n_t):
        name = r.string()
        nd = r.take("<I")
        dims = [r.take("<Q") for _ in range(nd)]
        tt, off = r.take("<I"), r.take("<Q")
        tensors.append((name, dims, tt, off))
    start = r.p + (-r.p) % align
    total = 0
    for name, dims, tt, off in tensors:
        tname, block, bsize = TT.get(tt, (f"type{tt}", 1, 0))
        n = 1
        for x in dims:
            n *= x
        nbytes = n // block * bsize
        total += n
        flag = "" if start + off + nbytes <= len(data) else "  (runs past the end!)"
        torch_shape = list(reversed(dims))
        print(f"  {name:50s} {tname:4s} torch {str(torch_shape):14s} ggml {str(dims):14s} "
              f"@{start + off}{flag}", file=out)
    print(f"  {total} parameters", file=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--all", action="store_true")
    a = ap.parse_args()
    try:
        dump(a.file, a.all)
    except (ValueError, OSError) as e:
        print(f"gguf_dump: {a.file}: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
