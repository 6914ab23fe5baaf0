# Python binding (issue 16): python/ is the package anuvad (a CPython extension compiled from
# src/ through the link python/csrc). Not part of `make test`: these need PyPI.
#   make python-test    venv .venv-py (pytest + the package), then tests/python/ against ./anuvad
#   make spark-test     venv .venv-spark (pyspark + pytest + the package), then
#                       tests/spark/ on Spark local[2] (SPARK_LINES lines, default 100000)
PY_VENV    := .venv-py
SPARK_VENV := .venv-spark
PY_BASE    ?= python3
SPARK_LINES ?= 100000
.PHONY: python-test spark-test clean-python bench-spark

$(PY_VENV)/bin/pytest:
	$(PY_BASE) -m venv $(PY_VENV)
	$(PY_VENV)/bin/pip install -q pytest

$(SPARK_VENV)/bin/pyspark:
	$(PY_BASE) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install -q pyspark pytest

# The package is reinstalled on every run: pip's build is the one users get.
python-test: anuvad $(PY_VENV)/bin/pytest  ## pip install ./python into .venv-py and run tests/python (PyPI)
	$(PY_VENV)/bin/pip install -q ./python
	cd tests/python && ../../$(PY_VENV)/bin/python -m pytest -q -p no:cacheprovider .; \
	    rc=$$?; [ $$rc -eq 5 ] && echo "no Python tests collected" && exit 1; exit $$rc

spark-test: anuvad $(SPARK_VENV)/bin/pyspark  ## scripts/spark_translate.py on Spark local[2], SPARK_LINES lines (PyPI, Java 17)
	$(SPARK_VENV)/bin/pip install -q ./python
	cd tests/spark && SPARK_LINES=$(SPARK_LINES) ../../$(SPARK_VENV)/bin/python -m pytest -q \
	    -p no:cacheprovider .; rc=$$?; [ $$rc -eq 5 ] && echo "no Spark tests collected" && exit 1; exit $$rc

clean-python:  ## the package's in-tree build files (the venvs stay)
	rm -rf python/build python/anuvad.egg-info python/anuvad/*.so

# Throughput of the four ways to translate BENCH_LINES lines (the test sentences repeated), one
# run each, in lines/s; the Spark rows count from the job's start (the JVM's start-up is
# printed apart). Needs the spark venv (make spark-test makes it).
BENCH_LINES ?= 100000
BENCH_DIR   := $(BUILD)/bench-spark
bench-spark: anuvad $(SPARK_VENV)/bin/pyspark  ## lines/s: CLI -t 2, Python translate_batch, Spark local[2] mapPartitions and pipe
	$(SPARK_VENV)/bin/pip install -q ./python
	@mkdir -p $(BENCH_DIR); rm -rf $(BENCH_DIR)/out-*
	@cut -f1 tests/fixtures/en-hi-test.tsv > $(BENCH_DIR)/src.txt
	@n=0; : > $(BENCH_DIR)/in.txt; while [ $$n -lt $(BENCH_LINES) ]; do \
	    cat $(BENCH_DIR)/src.txt >> $(BENCH_DIR)/in.txt; n=$$((n + 2000)); done; \
	    head -n $(BENCH_LINES) $(BENCH_DIR)/in.txt > $(BENCH_DIR)/in.n && mv $(BENCH_DIR)/in.n $(BENCH_DIR)/in.txt
	@s=$$(date +%s.%N); ./anuvad -q -t 2 < $(BENCH_DIR)/in.txt > $(BENCH_DIR)/out-cli.txt; e=$$(date +%s.%N); \
	    echo "cli -t 2: $$(wc -l < $(BENCH_DIR)/out-cli.txt) lines, $$(echo "$$s $$e" | awk '{printf "%.1f s, %.0f lines/s", $$2-$$1, $(BENCH_LINES)/($$2-$$1)}')"
	@$(SPARK_VENV)/bin/python -c 'import anuvad, sys, time; \
	    src = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]; \
	    t = anuvad.Translator("models/en-hi.gguf", threads=1, inter_threads=2); s = time.time(); \
	    out = [r.text for r in t.translate_iterable(src, max_batch_size=1000)]; e = time.time() - s; \
	    open(sys.argv[2], "w", encoding="utf-8").write("".join(o + "\n" for o in out)); \
	    print("python translate_batch (inter_threads=2): %d lines, %.1f s, %.0f lines/s" % (len(out), e, len(out) / e))' \
	    $(BENCH_DIR)/in.txt $(BENCH_DIR)/out-py.txt
	@cmp $(BENCH_DIR)/out-cli.txt $(BENCH_DIR)/out-py.txt && echo "python output identical to the CLI's"
	@for m in mappartitions pipe; do s=$$(date +%s.%N); \
	    $(SPARK_VENV)/bin/python scripts/spark_translate.py --master 'local[2]' --partitions 8 \
	    --method $$m --binary $(CURDIR)/anuvad --model $(CURDIR)/models/en-hi.gguf \
	    $(BENCH_DIR)/in.txt $(BENCH_DIR)/out-$$m 2>&1 | grep -o 'spark_translate: .*'; e=$$(date +%s.%N); \
	    echo "  ($$m: $$(echo "$$s $$e" | awk '{printf "%.1f", $$2-$$1}') s with the JVM's start-up)"; \
	    cat $(BENCH_DIR)/out-$$m/part-* | cmp - $(BENCH_DIR)/out-cli.txt && echo "  output identical to the CLI's"; done

# make format covers the extension too.
FORMAT_SRC += $(wildcard python/anuvad/*.c)
