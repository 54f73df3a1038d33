"""Run every benchmark in bench/ and print one table of figures beside their targets.

    python bench/run.py            # or: make bench

A benchmark is a module of this folder with a `figures()` function returning titled
sections of rows; each also runs alone (`python bench/batch.py`). Every figure is the median
of several runs; a target the figure misses reads MISSED.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Row, print_table

HERE = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"__init__", "common", "run"}
FIRST = ("offline", "batch", "tokens")  # the order of the table; any other benchmark follows


def benchmarks() -> list[str]:
    """The module names of every benchmark in bench/, in a stable order."""
    names = {path.stem for path in HERE.glob("*.py")} - NOT_BENCHMARKS
    ordered = [name for name in FIRST if name in names] + sorted(names - set(FIRST))
    return [f"bench.{name}" for name in ordered]


def main() -> int:
    sections: list[tuple[str, list[Row]]] = []
    started = time.perf_counter()
    for name in benchmarks():
        print(f"running {name} ...", file=sys.stderr, flush=True)
        sections += importlib.import_module(name).figures()
    print_table(sections)
    missed = [row.name for _, rows in sections for row in rows if row.met is False]
    print(f"\n{len(missed)} target(s) missed; {time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
