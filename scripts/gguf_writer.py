#!/usr/bin/env python3
"""A minimal GGUF v3 writer with plain `struct` (docs/format.md is the contract).

    w = GGUFWriter()
    w.add("general.architecture", "anuvad")          # type picked from the Python value
    w.add_u32("anuvad.d_model", 256)
    w.add_array("tokenizer.source.spm", UINT8, spm_bytes)
    w.add_tensor("shared.weight", array, F16)       # numpy array in PyTorch (row-major) order
    w.add_tensor("encoder.layers.0.fc1.weight", array, Q8_0)   # rows of whole 32-blocks
    w.write("out.gguf")

Dims are written in GGML order (reversed: dims[0] is the innermost axis), bytes unchanged.
Every tensor's data starts at a multiple of the alignment (general.alignment, default 32)
counted from the start of the data section.
"""
import struct

import numpy as np

GGUF_MAGIC = 0x46554747            # "GGUF" as little-endian bytes
GGUF_VERSION = 3
# value types
UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 \
    = range(13)
# tensor types
F32, F16, Q8_0 = 0, 1, 8

SCALAR_FMT = {UINT8: "<B", INT8: "<b", UINT16: "<H", INT16: "<h", UINT32: "<I", INT32: "<i",
              FLOAT32: "<f", BOOL: "<?", UINT64: "<Q", INT64: "<q", FLOAT64: "<d"}
NUMPY_OF = {UINT8: "<u1", INT8: "<i1", UINT16: "<u2", INT16: "<i2", UINT32: "<u4", INT32: "<i4",
            FLOAT32: "<f4", UINT64: "<u8", INT64: "<i8", FLOAT64: "<f8"}
TENSOR_NUMPY = {F32: np.float32, F16: np.float16}
Q8_0_BLOCK = 32


def quantize_q8_0(a):
    """float32 array, last axis a multiple of 32 -> Q8_0 bytes: per block of 32 along the last
    axis, an f16 scale d = max|x| / 127 and 32 int8 q = round(x / d) (half away from zero),
    the arithmetic of ggml's reference quantizer and of src/engine/quantize.c, in float32."""
    a = np.ascontiguousarray(a, dtype=np.float32)
    if a.shape[-1] % Q8_0_BLOCK:
        raise ValueError(f"Q8_0 needs rows of whole {Q8_0_BLOCK}-blocks, got {a.shape[-1]}")
    blocks = a.reshape(-1, Q8_0_BLOCK)
    d = (np.abs(blocks).max(axis=1) / np.float32(127)).astype(np.float32)
    with np.errstate(divide="ignore"):
        inv = np.where(d > 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
    v = (blocks * inv[:, None]).astype(np.float32)
    q = (np.sign(v) * np.floor(np.abs(v) + np.float32(0.5))).astype(np.int8)
    out = np.empty((blocks.shape[0], 2 + Q8_0_BLOCK), dtype=np.uint8)
    out[:, :2] = d.astype("<f2").view(np.uint8).reshape(-1, 2)
    out[:, 2:] = q.view(np.uint8)
    return out.tobytes()


def dequantize_q8_0(raw, shape):
    """Q8_0 bytes -> float32 array of `shape` (what the engine computes with)."""
    b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 2 + Q8_0_BLOCK)
    d = b[:, :2].copy().view("<f2").astype(np.float32)
    q = b[:, 2:].copy().view(np.int8).astype(np.float32)
    return (q * d).reshape(shape)


def pack_string(s):
    b = s.encode("utf-8") if isinstance(s, str) else bytes(s)
    return struct.pack("<Q", len(b)) + b


class GGUFWriter:
    def __init__(self, alignment=32):
        self.alignment = alignment
        self.kv = []                       # (key, packed type + value)
        self.tensors = []                  # (name, ggml dims, type, raw bytes)
        if alignment != 32:
            self.add_u32("general.alignment", alignment)

    # ---- metadata -----------------------------------------------------------------------
    def add_scalar(self, key, vtype, value):
        self.kv.append((key, struct.pack("<I", vtype) + struct.pack(SCALAR_FMT[vtype], value)))

    def add_u32(self, key, v):
        self.add_scalar(key, UINT32, int(v))

    def add_f32(self, key, v):
        self.add_scalar(key, FLOAT32, float(v))

    def add_bool(self, key, v):
        self.add_scalar(key, BOOL, bool(v))

    def add_string(self, key, s):
        self.kv.append((key, struct.pack("<I", STRING) + pack_string(s)))

    def add_array(self, key, etype, values):
        """etype: a scalar type or STRING. A bytes object works for UINT8."""
        head = struct.pack("<IIQ", ARRAY, etype, len(values))
        if etype == STRING:
            body = b"".join(pack_string(v) for v in values)
        else:
            body = np.asarray(list(values) if isinstance(values, (bytes, bytearray)) else values,
                              dtype=NUMPY_OF[etype]).tobytes()
        self.kv.append((key, head + body))

    def add(self, key, value):
        if isinstance(value, bool):
            self.add_bool(key, value)
        elif isinstance(value, int):
            self.add_u32(key, value)
        elif isinstance(value, float):
            self.add_f32(key, value)
        elif isinstance(value, str):
            self.add_string(key, value)
        elif isinstance(value, (bytes, bytearray)):
            self.add_array(key, UINT8, value)
        else:
            raise TypeError(f"{key}: no GGUF type for {type(value).__name__}")

    # ---- tensors --------------------------------------------------------------------------
    def add_tensor(self, name, array, ttype=F32):
        """array in PyTorch order (numpy or anything np.asarray takes); stored reversed."""
        if ttype == Q8_0:
            a = np.asarray(array, dtype=np.float32)
            self.tensors.append((name, list(reversed(a.shape)) or [1], ttype, quantize_q8_0(a)))
            return
        if ttype not in TENSOR_NUMPY:
            raise ValueError(f"{name}: tensor type {ttype} not supported by this writer")
        a = np.ascontiguousarray(np.asarray(array, dtype=np.float32).astype(TENSOR_NUMPY[ttype]))
        dims = list(reversed(a.shape)) or [1]
        self.tensors.append((name, dims, ttype, a.tobytes()))

    # ---- file -----------------------------------------------------------------------------
    def pad(self, n):
        return (-n) % self.alignment

    def to_bytes(self):
        out = [struct.pack("<IIQQ", GGUF_MAGIC, GGUF_VERSION, len(self.tensors), len(self.kv))]
        for key, val in self.kv:
            out.append(pack_string(key) + val)
        offset = 0
        for name, dims, ttype, raw in self.tensors:
            out.append(pack_string(name) + struct.pack("<I", len(dims))
                       + struct.pack(f"<{len(dims)}Q", *dims) + struct.pack("<IQ", ttype, offset))
            offset += len(raw) + self.pad(len(raw))
        head = b"".join(out)
        parts = [head, b"\0" * self.pad(len(head))]
        for _, _, _, raw in self.tensors:
            parts += [raw, b"\0" * self.pad(len(raw))]
        return b"".join(parts)

    def write(self, path):
        data = self.to_bytes()
        with open(path, "wb") as f:
            f.write(data)
        return len(data)
