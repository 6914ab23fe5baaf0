#!/usr/bin/env python3
"""Translate a text file or a DataFrame column with anuvad on Apache Spark (PySpark).

    spark-submit --master local[2] scripts/spark_translate.py \
        --model models/en-hi.gguf input.txt output/

One translator per Python worker process, loaded on the first partition that process gets and
reused for every later one (Spark reuses its Python workers); each partition is translated in
batches with anuvad.Translator.translate_batch. Order and line count are kept: output line i is
the translation of input line i (the part files in order), and a line that fails gives an
empty translation with its error in a separate column (--errors for text files), never a lost
row. --method pipe runs the same through RDD.pipe and the anuvad binary instead (no error
column: the binary's messages go to the executors' logs). docs/python.md compares the two.

As a library (from a notebook or another job):

    from spark_translate import translate_column, translate_rdd
    df2 = translate_column(df, "text", "en-hi.gguf")   # + columns translation, error
"""
import argparse
import os
import sys
import time

# The Python worker's translator: one per process, keyed by model path and threads.
_TRANSLATORS = {}
LOADS_ENV = "ANUVAD_SPARK_LOADS"   # (test) a file to which each load appends a line


def _model_file(model):
    """The model as a local path: the path itself when it exists here, else the copy that
    spark-submit --files shipped to this executor."""
    if os.path.exists(model):
        return model
    from pyspark import SparkFiles
    return SparkFiles.get(os.path.basename(model))


def get_translator(model, threads=1):
    """This process's translator for `model` (loaded once, then reused)."""
    key = (model, threads)
    t = _TRANSLATORS.get(key)
    if t is None:
        import anuvad
        t = _TRANSLATORS[key] = anuvad.Translator(_model_file(model), threads=threads)
        log = os.environ.get(LOADS_ENV)
        if log:
            with open(log, "a") as f:
                f.write("%d\n" % os.getpid())
    return t


def translate_lines(lines, model, threads=1, batch_size=256):
    """(translation, error) for each source line, in order; None is an error, not a crash."""
    t = get_translator(model, threads)
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= batch_size:
            yield from _translate_batch(t, batch)
            batch = []
    if batch:
        yield from _translate_batch(t, batch)


def _translate_batch(t, batch):
    texts = ["" if s is None else s for s in batch]
    try:
        results = t.translate_batch(texts, on_error="return")
    except Exception:   # noqa: BLE001 - should not happen; then line by line, keeping all rows
        results = None
    for i, s in enumerate(batch):
        if s is None:
            yield "", "the source is null"
            continue
        if results is None:
            try:
                r = t.translate_batch([s], on_error="return")[0]
            except Exception as e:   # noqa: BLE001 - a row must come out whatever happens
                yield "", "%s: %s" % (type(e).__name__, e)
                continue
        else:
            r = results[i]
        yield (r.texts[0], None) if r.error is None else ("", r.error)


def translate_rdd(rdd, model, threads=1, batch_size=256):
    """An RDD of source strings -> an RDD of (translation, error), same partitions, same order."""
    return rdd.mapPartitions(lambda it: translate_lines(it, model, threads, batch_size),
                             preservesPartitioning=True)


def translate_column(df, column, model, threads=1, batch_size=256,
                     out_column="translation", error_column="error"):
    """df with two more string columns: the translation of `column` and the error (null when
    the row translated). Rows keep their order and partitions."""
    from pyspark.sql.types import StringType, StructField, StructType
    idx = df.columns.index(column)

    def part(rows):
        t, chunk = get_translator(model, threads), []
        for r in rows:   # batch_size rows held at a time, whatever the partition's size
            chunk.append(r)
            if len(chunk) >= batch_size:
                yield from emit(t, chunk)
                chunk = []
        yield from emit(t, chunk)

    def emit(t, chunk):
        done = _translate_batch(t, [r[idx] for r in chunk]) if chunk else []
        for r, (text, err) in zip(chunk, done):
            yield tuple(r) + (text, err)

    schema = StructType(df.schema.fields + [StructField(out_column, StringType(), False),
                                            StructField(error_column, StringType(), True)])
    return df.sparkSession.createDataFrame(df.rdd.mapPartitions(part), schema)


def pipe_rdd(rdd, model, binary="anuvad"):
    """The same with the CLI: one `anuvad -q -t 1` process per partition (N lines in, N out)."""
    return rdd.pipe("%s -q -t 1 -m %s" % (binary, model), checkCode=False)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", help="text file (one sentence per line), any Spark path")
    ap.add_argument("output", help="output directory: part files, one translation per line")
    ap.add_argument("--model", required=True, help="GGUF model (local path, or shipped with "
                    "spark-submit --files and named by its file name)")
    ap.add_argument("--method", choices=["mappartitions", "pipe"], default="mappartitions")
    ap.add_argument("--errors", help="(mappartitions) directory for 'line<TAB>error' of the "
                    "lines that failed")
    ap.add_argument("--partitions", type=int, default=0, help="input partitions (0: Spark's)")
    ap.add_argument("--threads", type=int, default=1, help="threads per translator "
                    "(1: Spark's cores already run one task each)")
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--binary", default="anuvad", help="(pipe) the anuvad binary on executors")
    ap.add_argument("--master", help="Spark master when not run by spark-submit (local[2]...)")
    a = ap.parse_args(argv)

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)   # local runs: this interpreter
    from pyspark.sql import SparkSession
    b = SparkSession.builder.appName("anuvad-translate").config(
        "spark.ui.showConsoleProgress", "false")   # the summary line stays readable
    if a.master:
        b = b.master(a.master)
    spark = b.getOrCreate()
    sc = spark.sparkContext
    if __name__ != "__main__":   # called as a module: its functions are pickled by name
        sc.addPyFile(os.path.abspath(__file__))
    start = time.time()
    src = sc.textFile(a.input, a.partitions) if a.partitions else sc.textFile(a.input)
    if a.method == "pipe":
        pipe_rdd(src, a.model, a.binary).saveAsTextFile(a.output)
        n_err = None
    else:
        out = translate_rdd(src, a.model, a.threads, a.batch_size)
        if a.errors:
            from pyspark import StorageLevel
            out = out.persist(StorageLevel.MEMORY_AND_DISK)
        out.map(lambda te: te[0]).saveAsTextFile(a.output)
        n_err = 0
        if a.errors:
            errs = out.zipWithIndex().filter(lambda x: x[0][1] is not None)
            errs.map(lambda x: "%d\t%s" % (x[1] + 1, x[0][1])).saveAsTextFile(a.errors)
            n_err = errs.count()
    elapsed = time.time() - start
    n = sc.textFile(a.output).count()
    print("spark_translate: %d lines, %s, %d partitions, %.1f s, %.0f lines/s%s" % (
        n, a.method, src.getNumPartitions(), elapsed, n / elapsed if elapsed else 0,
        "" if n_err is None else ", %d failed" % n_err), file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
