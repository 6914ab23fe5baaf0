"""scripts/spark_translate.py on Spark local[2]: SPARK_LINES lines (default 100,000) in, the
same count out, in order, each equal to the CLI's translation of that line; failed rows kept
with their error; the model loaded once per Python worker process."""
import glob
import os
import random
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
MODEL = os.path.join(ROOT, "models", "en-hi.gguf")
CLI = os.environ.get("ANUVAD", os.path.join(ROOT, "anuvad"))
N = int(os.environ.get("SPARK_LINES", "100000"))

import spark_translate  # noqa: E402


@pytest.fixture(scope="module")
def reference():
    """The 2000 test sentences and the CLI's translation of each."""
    with open(os.path.join(ROOT, "tests", "fixtures", "en-hi-test.tsv"), encoding="utf-8") as f:
        src = [l.split("\t")[0] for l in f.read().split("\n") if l]
    out = subprocess.run([CLI, "-q", "-t", "2", "-m", MODEL], input="\n".join(src) + "\n",
                         capture_output=True, text=True, check=True).stdout.split("\n")[:-1]
    assert len(out) == len(src) == 2000
    return dict(zip(src, out)), src


def corpus(src, n):
    """n lines: the sentences in a different order in every block of 2000, so a lost,
    repeated or misplaced line shows."""
    lines = []
    while len(lines) < n:
        block = list(src)
        random.Random(len(lines)).shuffle(block)
        lines.extend(block)
    return lines[:n]


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ[spark_translate.LOADS_ENV] = str(tmp_path_factory.mktemp("loads") / "loads")
    from pyspark.sql import SparkSession
    s = (SparkSession.builder.master("local[2]").appName("anuvad-test")
         .config("spark.ui.enabled", "false").getOrCreate())
    s.sparkContext.addPyFile(spark_translate.__file__)   # what spark-submit --py-files does
    yield s
    s.stop()


def read_parts(path):
    lines = []
    for p in sorted(glob.glob(os.path.join(path, "part-*"))):
        with open(p, encoding="utf-8") as f:
            lines.extend(f.read().split("\n")[:-1])
    return lines


def test_dataframe_column_keeps_rows_and_errors(spark, reference):
    ref, src = reference
    rows = [(i, s) for i, s in enumerate(corpus(src, 5000))]
    rows[17] = (17, None)   # a null source fails; its row stays
    df = spark.createDataFrame(rows, "id long, text string").repartition(6).sortWithinPartitions("id")
    out = spark_translate.translate_column(df, "text", MODEL).collect()
    assert len(out) == 5000
    by_id = {r["id"]: r for r in out}
    assert sorted(by_id) == list(range(5000))
    assert by_id[17]["translation"] == "" and "null" in by_id[17]["error"]
    for i, s in rows:
        if s is not None:
            assert by_id[i]["translation"] == ref[s] and by_id[i]["error"] is None


def test_pipe_variant(spark, reference, tmp_path):
    ref, src = reference
    lines = corpus(src, 10000)
    rdd = spark.sparkContext.parallelize(lines, 4)
    got = spark_translate.pipe_rdd(rdd, MODEL, CLI).collect()
    assert got == [ref[s] for s in lines]


def test_text_file_main(spark, reference, tmp_path):
    ref, src = reference
    lines = corpus(src, N)
    inp = tmp_path / "in.txt"
    inp.write_text("".join(s + "\n" for s in lines), encoding="utf-8")
    out, errs = tmp_path / "out", tmp_path / "errs"
    spark_translate.main([str(inp), str(out), "--model", MODEL, "--partitions", "8",
                          "--errors", str(errs), "--master", "local[2]"])
    got = read_parts(str(out))
    assert len(got) == N
    bad = [i for i, (s, t) in enumerate(zip(lines, got)) if ref[s] != t]
    assert not bad, "line %d: %r, CLI %r" % (bad[0] + 1, got[bad[0]], ref[lines[bad[0]]])
    assert read_parts(str(errs)) == []
    with open(os.environ[spark_translate.LOADS_ENV]) as f:
        pids = f.read().split()
    # one load per Python worker process, reused across the 8 partitions (and earlier tests)
    assert len(pids) == len(set(pids)) and len(pids) < 8 + 6, pids
