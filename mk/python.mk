# Python binding (issue 16): python/ is the package anuvad (a CPython extension compiled from
# src/ through the link python/csrc). Not part of `make test`: these need PyPI.
#   make python-test    venv .venv-py (pytest + the package), then tests/python/ against ./anuvad
#   make spark-test     venv .venv-spark (pyspark + pytest + the package), then
#                       tests/spark/ on Spark local[2] (SPARK_LINES lines, default 100000)
PY_VENV    := .venv-py
SPARK_VENV := .venv-spark
PY_BASE    ?= python3
SPARK_LINES ?= 100000
.PHONY: python-test spark-test clean-python

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
