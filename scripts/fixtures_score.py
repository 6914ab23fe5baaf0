#!/usr/bin/env python3
"""The reference side of `anuvad score`: for SOURCE<TAB>TARGET lines, the PyTorch reference
(scripts/model.py on the GGUF's weights, scripts/gguf_model.py) runs the whole target through
the decoder at once (teacher forcing, no cache) and sums log_softmax over the whole
vocabulary along the target's pieces and </s>. Writes SOURCE, TARGET, the sum and each
token's log-probability, tab-separated, for tests/cli/score.sh.

    fixtures_score.py [MODEL PAIRS.tsv OUT.tsv]   (default: the default model's fixture)
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import gguf_model                                       # noqa: E402

DEFAULTS = [os.path.join(ROOT, "models", "en-hi.gguf"),
            os.path.join(ROOT, "tests", "fixtures", "score", "pairs.tsv"),
            os.path.join(ROOT, "tests", "fixtures", "score", "reference.tsv")]


def main():
    model_path, pairs, out = sys.argv[1:4] if len(sys.argv) > 3 else DEFAULTS
    m = gguf_model.load(model_path)
    c = m.config
    with open(out, "w", encoding="utf-8") as f:
        f.write("# source\ttarget\tlog-probability\tper-token log-probabilities "
                "(scripts/fixtures_score.py, the PyTorch reference)\n")
        for line in open(pairs, encoding="utf-8"):
            src, tgt = line.rstrip("\n").split("\t")[:2]
            ids = [m.index.get(p, c.unk_id) for p in m.tgt_sp.encode(tgt, out_type=str)]
            ids.append(c.eos_id)
            with torch.no_grad():
                logits = m.model(torch.tensor([gguf_model.source_ids(m, src)]),
                                 torch.tensor([[c.decoder_start_id] + ids[:-1]]))
                lp = torch.log_softmax(logits[0].double(), -1)
            tok = [float(lp[i, t]) for i, t in enumerate(ids)]
            f.write(f"{src}\t{tgt}\t{sum(tok):.6f}\t" + " ".join(f"{x:.6f}" for x in tok) + "\n")


if __name__ == "__main__":
    main()
