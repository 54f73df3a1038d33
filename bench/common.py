"""What every benchmark shares: medians of repeated runs, a row of the table, and printing.

A timing is also shown relative to a baseline measured in the same invocation (a process
that does nothing, or a fixed piece of pure-Python work), so a slower machine does not read
as a regression: compare the relative figure across machines, the absolute one on one.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REPEATS = 7

for folder in (ROOT / "src", ROOT):  # tailor itself, and tests.fake_llm
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


@dataclass(frozen=True)
class Row:
    """One figure: what it measures, its value as printed, and the target it must meet.

    `met` is None for a figure with no target.
    """

    name: str
    value: str
    target: str = ""
    met: bool | None = None


def median_seconds(action: Callable[[], object], repeats: int = REPEATS) -> float:
    """The median wall time of `action` over `repeats` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cpu_baseline() -> float:
    """The median time of a fixed piece of pure-Python work (sorting 200,000 numbers)."""
    numbers = random.Random(7).sample(range(10_000_000), 200_000)
    return median_seconds(lambda: sorted(numbers), repeats=11)


def milliseconds(seconds: float, baseline: float | None = None, name: str = "baseline") -> str:
    """`seconds` in ms, with its multiple of `baseline` when one is given."""
    text = f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"
    return f"{text} ({seconds / baseline:.2f}x {name})" if baseline else text


def under(seconds: float, limit: float) -> tuple[str, bool]:
    """The target "< limit" and whether `seconds` meets it."""
    return f"< {limit * 1000:.0f} ms", seconds < limit


def print_table(sections: Sequence[tuple[str, Sequence[Row]]]) -> None:
    """Print the rows of every section as one table; a missed target reads MISSED."""
    rows = [row for _, section in sections for row in section]
    width = max(len(row.name) for row in rows)
    value_width = max(len(row.value) for row in rows)
    print(f"{'figure':<{width}}  {'median of runs':<{value_width}}  target")
    for title, section in sections:
        print(f"-- {title}")
        for row in section:
            verdict = {True: "met", False: "MISSED", None: ""}[row.met]
            target = f"{row.target} {verdict}".strip()
            print(f"{row.name:<{width}}  {row.value:<{value_width}}  {target}".rstrip())
