"""Shared fixtures: the default model, the 2000 test sentences and the CLI's outputs on them
(the CLI is the reference the binding must match byte for byte)."""
import json
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL = os.path.join(ROOT, "models", "en-hi.gguf")
TSV = os.path.join(ROOT, "tests", "fixtures", "en-hi-test.tsv")
CLI = os.environ.get("ANUVAD", os.path.join(ROOT, "anuvad"))


def run_cli(args, lines):
    if not os.access(CLI, os.X_OK):
        pytest.fail("%s is missing: build it with make (or set ANUVAD)" % CLI)
    p = subprocess.run([CLI] + args, input="".join(l + "\n" for l in lines).encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    return p.stdout.decode().split("\n")[:-1]


@pytest.fixture(scope="session")
def model_path():
    return MODEL


@pytest.fixture(scope="session")
def sources():
    with open(TSV, encoding="utf-8") as f:
        lines = [l.rstrip("\n").split("\t")[0] for l in f]
    assert len(lines) == 2000
    return lines


@pytest.fixture(scope="session")
def cli_outputs(sources):
    out = run_cli(["-m", MODEL, "-q", "-t", "2"], sources)
    assert len(out) == len(sources)
    return out


@pytest.fixture(scope="session")
def cli_trace(sources, tmp_path_factory):
    """--trace of the first 100 sentences: one JSON object per line."""
    path = str(tmp_path_factory.mktemp("trace") / "t.jsonl")
    run_cli(["-m", MODEL, "-q", "-t", "1", "--trace", path], sources[:100])
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f]


@pytest.fixture(scope="session")
def translator(model_path):
    import anuvad
    return anuvad.Translator(model_path, inter_threads=2, threads=1)
