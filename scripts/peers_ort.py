#!/usr/bin/env python3
"""ONNX Runtime's side of make bench-peers: the export and the timed child process.

    peers_ort.py export HF_DIR OUT_DIR    # OUT_DIR/float32 (optimum) and OUT_DIR/int8
    peers_ort.py worker < request.json    # like bench_peers.py's CTranslate2 worker

Export: `optimum-cli export onnx --task text2text-generation-with-past`, the way OPUS-MT
(Marian) models are run under ONNX Runtime: an encoder graph, a decoder graph for the first step
and a decoder-with-past graph that takes and returns the key/value cache. int8 is
onnxruntime.quantization.quantize_dynamic over each graph (int8 weights, activations quantized at
run time: the analogue of CTranslate2's int8). optimum-onnx 0.1.0 needs transformers < 4.58, so
this runs from a venv of its own (.venv-ort, made by mk/peers.mk), not .venv-peers.

Worker: a greedy loop in numpy over three InferenceSessions (intra_op_num_threads = threads,
inter_op_num_threads = 1), not ORTModelForSeq2SeqLM.generate: generate() would add torch and
transformers' per-step Python work (logits processors, cache objects) to ONNX Runtime's time, and
torch's import to its RSS. Same rules as the other engines: start from decoder_start_token_id,
<pad> never chosen (the HF export's bad_words_ids; CTranslate2's converter drops its row), stop at
</s> or after 2 x source tokens (with </s>) + 10, capped at max_position_embeddings (anuvad's
limit). Bulk lines go in batches of one source length (bench_peers.length_groups, as for
CTranslate2), so no padding is needed; rows that end early keep decoding until their batch ends,
as in generate(), and that extra work counts against ONNX Runtime (tokens/s counts CTranslate2's
output tokens for every engine).
"""
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np


# ---- export --------------------------------------------------------------------------------------
def export(hf, out):
    """Writes out/float32 and out/int8 through temporary folders, so a folder that exists is
    whole and a rerun of make bench-peers skips it."""
    f32, i8 = os.path.join(out, "float32"), os.path.join(out, "int8")
    if not os.path.isdir(f32):
        tmp = f32 + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        cli = os.path.join(os.path.dirname(sys.executable), "optimum-cli")
        subprocess.run([cli, "export", "onnx", "--model", hf, "--task",
                        "text2text-generation-with-past", tmp], check=True,
                       stdout=subprocess.DEVNULL)
        os.rename(tmp, f32)
    if not os.path.isdir(i8):
        from onnxruntime.quantization import QuantType, quantize_dynamic
        tmp = i8 + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(f32, tmp, ignore=shutil.ignore_patterns("*.onnx", "*.onnx_data"))
        for f in graphs(f32).values():
            quantize_dynamic(os.path.join(f32, f), os.path.join(tmp, f),
                             weight_type=QuantType.QInt8)
        os.rename(tmp, i8)


def graphs(d):
    """The encoder and the two decoder graphs (optimum also writes a merged decoder, which runs
    both through an If node; the two plain graphs are the same work without it)."""
    g = {"enc": "encoder_model.onnx", "first": "decoder_model.onnx",
         "past": "decoder_with_past_model.onnx"}
    missing = [f for f in g.values() if not os.path.exists(os.path.join(d, f))]
    if missing:
        raise SystemExit(f"peers_ort: {d} lacks {', '.join(missing)}")
    return g


# ---- worker --------------------------------------------------------------------------------------
class Model:
    def __init__(self, onnx_dir, hf, threads):
        import onnxruntime as ort
        o = ort.SessionOptions()
        o.intra_op_num_threads = threads
        o.inter_op_num_threads = 1
        o.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self.s = {k: ort.InferenceSession(os.path.join(onnx_dir, f), o,
                                          providers=["CPUExecutionProvider"])
                  for k, f in graphs(onnx_dir).items()}
        self.inputs = {k: [i.name for i in s.get_inputs()] for k, s in self.s.items()}
        self.outputs = {k: [i.name for i in s.get_outputs()] for k, s in self.s.items()}
        c = json.load(open(os.path.join(hf, "config.json")))
        self.start, self.eos = c["decoder_start_token_id"], c["eos_token_id"]
        self.pad, self.max_pos = c["pad_token_id"], c["max_position_embeddings"]

    def step(self, graph, feeds):
        """One decoder step; the cache it returns (present.*) is fed back as past_key_values.*.
        The with-past graph returns the decoder's cache only: the encoder's stays from step 0."""
        res = dict(zip(self.outputs[graph], self.s[graph].run(
            None, {k: feeds[k] for k in self.inputs[graph]})))
        for k, v in res.items():
            if k.startswith("present"):
                feeds["past_key_values" + k[len("present"):]] = v
        return res["logits"][:, -1, :]

    def greedy(self, ids):
        """ids: [B, n] source ids of one length, </s> included. Returns B lists of target ids
        without </s>."""
        B, n = ids.shape
        mask = np.ones_like(ids)
        enc = self.s["enc"].run(None, {"input_ids": ids, "attention_mask": mask})[0]
        feeds = {"input_ids": np.full((B, 1), self.start, np.int64),
                 "attention_mask": mask, "encoder_attention_mask": mask,
                 "encoder_hidden_states": enc}
        out, done = [], np.zeros(B, bool)
        for t in range(min(2 * n + 10, self.max_pos)):
            logits = self.step("first" if t == 0 else "past", feeds)
            logits[:, self.pad] = -np.inf
            nxt = np.where(done, self.eos, logits.argmax(-1))
            out.append(nxt)
            done |= nxt == self.eos
            if done.all():
                break
            feeds["input_ids"] = nxt[:, None].astype(np.int64)
        hyps = []
        for row in np.stack(out, 1).tolist():
            hyps.append(row[:row.index(self.eos)] if self.eos in row else row)
        return hyps


def worker():
    import onnxruntime as ort
    import sentencepiece as spm
    from bench_peers import length_groups
    req = json.load(sys.stdin)
    sp_src = spm.SentencePieceProcessor(model_file=os.path.join(req["hf"], "source.spm"))
    sp_tgt = spm.SentencePieceProcessor(model_file=os.path.join(req["hf"], "target.spm"))
    vocab = json.load(open(os.path.join(req["hf"], "vocab.json"), encoding="utf-8"))
    piece = {i: p for p, i in vocab.items()}
    load_wall, load_cpu = time.perf_counter(), time.process_time()
    m = Model(req["onnx"], req["hf"], req["threads"])
    load_wall, load_cpu = time.perf_counter() - load_wall, time.process_time() - load_cpu
    cpu0 = time.process_time()
    unk = vocab.get("<unk>", 1)
    # Tokenising and detokenising stay outside the timed spans, as for CTranslate2.
    toks = [[vocab.get(p, unk) for p in sp_src.encode(l, out_type=str)] + [vocab["</s>"]]
            for l in req["lines"]]
    res, times = [None] * len(toks), []
    if req["mode"] == "latency":
        for i, t in enumerate(toks):
            s = time.perf_counter()
            res[i] = m.greedy(np.array([t], np.int64))[0]
            times.append(time.perf_counter() - s)
    else:
        s = time.perf_counter()
        for idx in length_groups(toks, req["batch"]):
            for i, h in zip(idx, m.greedy(np.array([toks[i] for i in idx], np.int64))):
                res[i] = h
        times.append(time.perf_counter() - s)
    texts = [sp_tgt.decode_pieces([piece[i] for i in h]) for h in res]
    json.dump({"times": times, "out": texts, "n_tokens": sum(len(h) + 1 for h in res),
               "cpu": time.process_time() - cpu0, "load_wall": load_wall, "load_cpu": load_cpu,
               "version": ort.__version__}, sys.stdout)


def main():
    if sys.argv[1:2] == ["export"] and len(sys.argv) == 4:
        return export(sys.argv[2], sys.argv[3])
    if sys.argv[1:] == ["worker"]:
        return worker()
    raise SystemExit("usage: peers_ort.py export HF_DIR OUT_DIR | peers_ort.py worker < req.json")


if __name__ == "__main__":
    main()
