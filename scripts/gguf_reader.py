#!/usr/bin/env python3
"""Read an anuvad GGUF file (docs/format.md) with numpy alone: metadata and tensors.

    from gguf_reader import read_gguf
    meta, tensors = read_gguf("models/en-hi.gguf")   # tensors in PyTorch shape, float32
"""
import struct

import numpy as np

SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q",
           11: "<q", 12: "<d"}


def read_gguf(path):
    """(metadata dict, {name: numpy array in PyTorch shape, float32})."""
    data = open(path, "rb").read()
    pos = 0

    def take(fmt):
        nonlocal pos
        v = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return v[0]

    def string():
        nonlocal pos
        n = take("<Q")
        s = data[pos:pos + n]
        pos += n
        return s.decode("utf-8", "surrogateescape")

    def value(t):
        nonlocal pos
        if t in SCALARS:
            return take(SCALARS[t])
        if t == 8:
            return string()
        et, n = take("<I"), take("<Q")
        if et == 0:                               # bytes (SentencePiece models)
            v = data[pos:pos + n]
            pos += n
            return bytes(v)
        return [value(et) for _ in range(n)]

    assert take("<I") == 0x46554747 and take("<I") == 3, "not a GGUF v3 file"
    n_tensors, n_kv = take("<Q"), take("<Q")
    meta = {}
    for _ in range(n_kv):
        k = string()
        meta[k] = value(take("<I"))
    infos = []
    for _ in range(n_tensors):
        name = string()
        dims = [take("<Q") for _ in range(take("<I"))]
        infos.append((name, dims, take("<I"), take("<Q")))
    align = meta.get("general.alignment", 32)
    start = (pos + align - 1) // align * align
    tensors = {}
    for name, dims, t, off in infos:
        n = int(np.prod(dims))
        dtype = {0: "<f4", 1: "<f2"}[t]
        a = np.frombuffer(data, dtype=dtype, count=n, offset=start + off).astype(np.float32)
        tensors[name] = a.reshape(list(reversed(dims)))   # GGML order -> PyTorch order
    return meta, tensors
