#!/usr/bin/env python3
"""The reference encoder-decoder transformer (Marian / OPUS-MT architecture).

Written out layer by layer from ../shared/specs/marian.md (copied facts below), with the
Hugging Face Marian parameter names minus the leading `model.`, so that a state dict of this
module is exactly what scripts/export_gguf.py writes and src/engine/model.c binds.

  x = E[tok]·s + P[pos]          s = sqrt(d) if scale_embedding
  post-norm layer:  h = LN(x + Attn(x)); y = LN(h + FFN(h))
  pre-norm layer:   h = x + Attn(LN(x)); y = h + FFN(LN(h)); final LN after the stack
  Q is scaled by dh^-0.5 after its bias; softmax(QKᵀ) per head; concat; out_proj.
  logits = h·Eᵀ (or lm_head) + final_logits_bias; <pad> never generated.

The C engine is checked against this file: it must stay the independent reference.
"""
import math
from dataclasses import dataclass, asdict, fields

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    vocab_size: int = 1000
    d_model: int = 256
    encoder_layers: int = 3
    decoder_layers: int = 3
    heads: int = 4
    ffn_dim: int = 1024
    activation: str = "swish"        # relu | gelu | swish
    norm: str = "post"               # post | pre
    positions: str = "sinusoidal"    # sinusoidal | learned
    max_positions: int = 128
    scale_embedding: bool = True
    tie_output: bool = True
    final_logits_bias: bool = True
    layer_norm_eps: float = 1e-5
    dropout: float = 0.1
    pad_id: int = 2
    eos_id: int = 0
    unk_id: int = 1
    decoder_start_id: int = 2        # Marian starts decoding from <pad>

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, d):
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def sinusoidal_table(n_pos, d):
    """Marian/HF layout: sin of every frequency in the first half, cos in the second."""
    half = d // 2
    pos = torch.arange(n_pos, dtype=torch.float64)[:, None]
    i = torch.arange(half, dtype=torch.float64)[None, :]
    angle = pos / torch.pow(10000.0, 2 * i / d)
    table = torch.zeros(n_pos, d, dtype=torch.float64)
    table[:, :half] = torch.sin(angle)
    table[:, half:2 * half] = torch.cos(angle)
    return table.float()


def activation(name, x):
    if name == "relu":
        return F.relu(x)
    if name == "gelu":
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if name == "swish":
        return x * torch.sigmoid(x)
    raise ValueError(f"unknown activation {name}")


class Attention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.q_proj = nn.Linear(d, d)
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.out_proj = nn.Linear(d, d)
        self.dropout = dropout

    def split(self, x):                      # [B, T, d] -> [B, H, T, dh]
        B, T, _ = x.shape
        return x.view(B, T, self.h, self.dh).transpose(1, 2)

    def project_kv(self, kv):
        return self.split(self.k_proj(kv)), self.split(self.v_proj(kv))

    def forward(self, x, k, v, mask=None):
        """x: [B, Tq, d]; k, v: [B, H, Tk, dh] (already projected); mask: additive, broadcast
        to [B, H, Tq, Tk]. Returns (output [B, Tq, d], weights [B, H, Tq, Tk])."""
        q = self.split(self.q_proj(x) * (self.dh ** -0.5))
        scores = q @ k.transpose(-1, -2)
        if mask is not None:
            scores = scores + mask
        w = torch.softmax(scores, dim=-1)
        o = F.dropout(w, self.dropout, self.training) @ v
        B, H, Tq, dh = o.shape
        return self.out_proj(o.transpose(1, 2).reshape(B, Tq, H * dh)), w


class EncoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.self_attn = Attention(c.d_model, c.heads, c.dropout)
        self.self_attn_layer_norm = nn.LayerNorm(c.d_model, eps=c.layer_norm_eps)
        self.fc1 = nn.Linear(c.d_model, c.ffn_dim)
        self.fc2 = nn.Linear(c.ffn_dim, c.d_model)
        self.final_layer_norm = nn.LayerNorm(c.d_model, eps=c.layer_norm_eps)

    def ffn(self, x):
        h = activation(self.c.activation, self.fc1(x))
        return F.dropout(self.fc2(F.dropout(h, self.c.dropout, self.training)),
                         self.c.dropout, self.training)

    def attn(self, x, mask):
        k, v = self.self_attn.project_kv(x)
        o, _ = self.self_attn(x, k, v, mask)
        return F.dropout(o, self.c.dropout, self.training)

    def forward(self, x, mask):
        if self.c.norm == "post":
            x = self.self_attn_layer_norm(x + self.attn(x, mask))
            return self.final_layer_norm(x + self.ffn(x))
        x = x + self.attn(self.self_attn_layer_norm(x), mask)
        return x + self.ffn(self.final_layer_norm(x))


class DecoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        d = c.d_model
        self.self_attn = Attention(d, c.heads, c.dropout)
        self.self_attn_layer_norm = nn.LayerNorm(d, eps=c.layer_norm_eps)
        self.encoder_attn = Attention(d, c.heads, c.dropout)
        self.encoder_attn_layer_norm = nn.LayerNorm(d, eps=c.layer_norm_eps)
        self.fc1 = nn.Linear(d, c.ffn_dim)
        self.fc2 = nn.Linear(c.ffn_dim, d)
        self.final_layer_norm = nn.LayerNorm(d, eps=c.layer_norm_eps)

    ffn = EncoderLayer.ffn

    def forward(self, x, self_mask, cross_kv, cross_mask, cache=None):
        """cache: None (training: x is the whole prefix) or a dict holding this layer's
        self-attention K/V of earlier positions, extended in place (incremental decoding)."""
        drop = lambda t: F.dropout(t, self.c.dropout, self.training)
        pre = self.c.norm == "pre"

        h = self.self_attn_layer_norm(x) if pre else x
        k, v = self.self_attn.project_kv(h)
        if cache is not None:
            if "k" in cache:
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        o, self_w = self.self_attn(h, k, v, self_mask)
        x = x + drop(o) if pre else self.self_attn_layer_norm(x + drop(o))

        h = self.encoder_attn_layer_norm(x) if pre else x
        o, cross_w = self.encoder_attn(h, cross_kv[0], cross_kv[1], cross_mask)
        x = x + drop(o) if pre else self.encoder_attn_layer_norm(x + drop(o))

        h = self.final_layer_norm(x) if pre else x
        x = x + self.ffn(h) if pre else self.final_layer_norm(x + self.ffn(h))
        return x, self_w, cross_w


class Stack(nn.Module):
    """encoder.* or decoder.*: layers, optional learned positions, pre-norm final LN."""
    def __init__(self, c, layer_cls, n):
        super().__init__()
        self.layers = nn.ModuleList(layer_cls(c) for _ in range(n))
        if c.positions == "learned":
            self.embed_positions = nn.Embedding(c.max_positions, c.d_model)
        if c.norm == "pre":
            self.layer_norm = nn.LayerNorm(c.d_model, eps=c.layer_norm_eps)


class Seq2Seq(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.c = c
        self.shared = nn.Embedding(c.vocab_size, c.d_model)
        self.encoder = Stack(c, EncoderLayer, c.encoder_layers)
        self.decoder = Stack(c, DecoderLayer, c.decoder_layers)
        if not c.tie_output:
            self.lm_head = nn.Linear(c.d_model, c.vocab_size, bias=False)
        if c.final_logits_bias:
            self.register_buffer("final_logits_bias", torch.zeros(1, c.vocab_size))
        if c.positions == "sinusoidal":
            self.register_buffer("sin_table", sinusoidal_table(c.max_positions, c.d_model),
                                 persistent=False)
        nn.init.normal_(self.shared.weight, std=c.d_model ** -0.5)

    # -- pieces -----------------------------------------------------------------------------
    def embed(self, stack, ids, start=0):
        T = ids.shape[1]
        if start + T > self.c.max_positions:
            raise ValueError(f"sequence of {start + T} positions > max_positions {self.c.max_positions}")
        s = math.sqrt(self.c.d_model) if self.c.scale_embedding else 1.0
        if self.c.positions == "learned":
            pos = stack.embed_positions.weight[start:start + T]
        else:
            pos = self.sin_table[start:start + T]
        return F.dropout(self.shared(ids) * s + pos, self.c.dropout, self.training)

    def logits(self, h, rows=None):
        """Scores of every vocabulary entry, or only of the ids in `rows` (training that
        scores target pieces only; the others are masked by final_logits_bias)."""
        w = self.shared.weight if self.c.tie_output else self.lm_head.weight
        bias = self.final_logits_bias if self.c.final_logits_bias else None
        if rows is not None:
            w, bias = w[rows], None if bias is None else bias[:, rows]
        out = h @ w.t()
        if bias is not None:
            out = out + bias
        return out

    def pad_mask(self, src):                    # [B, 1, 1, S] additive
        return torch.zeros(src.shape, dtype=torch.float32).masked_fill(
            src == self.c.pad_id, float("-inf"))[:, None, None, :]

    # -- forward ----------------------------------------------------------------------------
    def encode(self, src):
        mask = self.pad_mask(src)
        x = self.embed(self.encoder, src)
        for layer in self.encoder.layers:
            x = layer(x, mask)
        if self.c.norm == "pre":
            x = self.encoder.layer_norm(x)
        return x

    def cross_kv(self, memory):
        return [l.encoder_attn.project_kv(memory) for l in self.decoder.layers]

    def decode(self, tgt_in, memory, src, caches=None, start=0, return_attn=False, rows=None):
        """Full (training) or incremental decoding. With caches (one dict per layer), tgt_in
        holds only new positions starting at `start`."""
        cross_mask = self.pad_mask(src)
        T = tgt_in.shape[1]
        causal = torch.full((T, start + T), float("-inf")).triu(start + 1)
        x = self.embed(self.decoder, tgt_in, start)
        kvs = caches["cross"] if caches is not None else self.cross_kv(memory)
        selfs, crosses = [], []
        for i, layer in enumerate(self.decoder.layers):
            x, sw, cw = layer(x, causal, kvs[i], cross_mask,
                              caches["self"][i] if caches is not None else None)
            selfs.append(sw)
            crosses.append(cw)
        if self.c.norm == "pre":
            x = self.decoder.layer_norm(x)
        out = self.logits(x, rows)
        return (out, selfs, crosses) if return_attn else out

    def forward(self, src, tgt_in, rows=None):
        return self.decode(tgt_in, self.encode(src), src, rows=rows)

    # -- inference --------------------------------------------------------------------------
    def new_cache(self, memory):
        return {"cross": self.cross_kv(memory), "self": [{} for _ in self.decoder.layers]}

    def step(self, token, pos, memory, src, cache):
        """One decoder step with the KV cache: logits [V] for the next token after `token`
        at position `pos`, plus the self/cross attention rows per layer ([H, len])."""
        ids = torch.tensor([[token]])
        out, selfs, crosses = self.decode(ids, memory, src, cache, pos, return_attn=True)
        logits = out[0, -1].clone()
        logits[self.c.pad_id] = float("-inf")
        return logits, [s[0, :, -1] for s in selfs], [c[0, :, -1] for c in crosses]

    @torch.no_grad()
    def greedy(self, src_ids, max_len=None, forced=None):
        """src_ids: list of ids (with </s>). Returns the generated ids (ending with </s> when
        it was produced). Decodes with a KV cache: one new row per step."""
        src = torch.tensor([src_ids])
        memory = self.encode(src)
        cache = self.new_cache(memory)
        if max_len is None:
            max_len = default_max_len(len(src_ids), self.c.max_positions)
        out, tok = [], self.c.decoder_start_id
        for pos in range(max_len):
            logits, _, _ = self.step(tok, pos, memory, src, cache)
            tok = forced[pos] if forced and pos < len(forced) else int(logits.argmax())
            out.append(tok)
            if tok == self.c.eos_id:
                break
        return out


def default_max_len(src_len, max_positions):
    """Target-length limit: twice the source plus ten, capped by the decoder's positions
    (the start token takes position 0, so at most max_positions tokens can be generated)."""
    return min(2 * src_len + 10, max_positions)


@torch.no_grad()
def greedy_batch(model, src_batch, max_len=None):
    """Batched greedy decoding with the KV cache (for evaluation speed). src_batch: list of
    id lists (each ending with </s>). Returns one generated id list per sentence, as
    Seq2Seq.greedy does (ending with </s> when produced); the same numbers, padded."""
    c = model.c
    B = len(src_batch)
    S = max(len(s) for s in src_batch)
    src = torch.full((B, S), c.pad_id, dtype=torch.long)
    for b, s in enumerate(src_batch):
        src[b, :len(s)] = torch.tensor(s)
    memory = model.encode(src)
    cache = model.new_cache(memory)
    if max_len is None:
        max_len = default_max_len(S, c.max_positions)
    tok = torch.full((B, 1), c.decoder_start_id, dtype=torch.long)
    out, done = [[] for _ in range(B)], [False] * B
    for pos in range(min(max_len, c.max_positions)):
        logits = model.decode(tok, memory, src, cache, pos)[:, -1]
        logits[:, c.pad_id] = float("-inf")
        tok = logits.argmax(-1, keepdim=True)
        for b in range(B):
            if not done[b]:
                out[b].append(int(tok[b, 0]))
                done[b] = out[b][-1] == c.eos_id
        if all(done):
            break
    return out


def load_checkpoint(path):
    """A scripts/train.py checkpoint -> (Seq2Seq in eval mode, the checkpoint dict)."""
    ck = torch.load(path, map_location="cpu")
    m = Seq2Seq(Config.from_dict(ck["config"]))
    m.load_state_dict(ck["model"])
    m.eval()
    return m, ck
