#!/usr/bin/env python3
"""Read an anuvad GGUF file (docs/format.md) with numpy alone: metadata and tensors.

    from gguf_reader import read_gguf
    meta, tensors = read_gguf("models/en-hi.gguf")   # PyTorch shape, float32 (Q8_0 dequantized)
"""
import struct

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf_writer import Q8_0, Q8_0_BLOCK, dequantize_q8_0   # noqa: E402

SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q",
           11: "<q", 12: "<d"}


class Layout:
    """Where each part of a GGUF v3 file lies: the metadata (also as byte spans, so a writer
    can copy entries as they are), the tensor table and the start of the data section."""
    def __init__(self):
        self.meta, self.kv_spans, self.infos = {}, [], []
        self.infos_span, self.data_start = (0, 0), 0


def scan_gguf(data):
    """Parses the header of a GGUF v3 file held in `data` (bytes) into a Layout."""
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
    lay = Layout()
    for _ in range(n_kv):
        k0 = pos
        k = string()
        lay.meta[k] = value(take("<I"))
        lay.kv_spans.append((k, k0, pos))
    t0 = pos
    for _ in range(n_tensors):
        name = string()
        dims = [take("<Q") for _ in range(take("<I"))]
        lay.infos.append((name, dims, take("<I"), take("<Q")))
    lay.infos_span = (t0, pos)
    align = lay.meta.get("general.alignment", 32)
    lay.data_start = (pos + align - 1) // align * align
    return lay


def read_gguf(path):
    """(metadata dict, {name: numpy array in PyTorch shape, float32})."""
    data = open(path, "rb").read()
    lay = scan_gguf(data)
    start = lay.data_start
    tensors = {}
    for name, dims, t, off in lay.infos:
        n = int(np.prod(dims))
        if t == Q8_0:
            raw = data[start + off:start + off + n // Q8_0_BLOCK * (2 + Q8_0_BLOCK)]
            tensors[name] = dequantize_q8_0(raw, list(reversed(dims)))
            continue
        dtype = {0: "<f4", 1: "<f2"}[t]
        a = np.frombuffer(data, dtype=dtype, count=n, offset=start + off).astype(np.float32)
        tensors[name] = a.reshape(list(reversed(dims)))   # GGML order -> PyTorch order
    return lay.meta, tensors
