"""Builds anuvad._anuvad from the library's own C sources (csrc/ is a link to the repository's
src/): only a C compiler is needed, and no installed libanuvad."""
import glob
import os

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
os.chdir(HERE)  # the source paths below are relative to this folder

LIB = sorted(glob.glob("csrc/*.c") + glob.glob("csrc/engine/*.c") + glob.glob("csrc/spm/*.c"))
if not LIB:
    raise SystemExit("csrc/ (a link to ../src) is missing: build from a checkout of anuvad")

setup(
    ext_modules=[
        Extension(
            "anuvad._anuvad",
            sources=["anuvad/_anuvad.c"] + LIB,
            include_dirs=["csrc"],
            # The Makefile's flags: C11 without GNU extensions also keeps floating-point
            # contraction off, so results are the CLI's to the bit.
            extra_compile_args=["-std=c11", "-O2", "-D_POSIX_C_SOURCE=200809L", "-D_DEFAULT_SOURCE",
                                "-fno-semantic-interposition", "-Wno-unused-parameter"],
            extra_link_args=["-pthread"],
            libraries=["m"],
        )
    ],
)
