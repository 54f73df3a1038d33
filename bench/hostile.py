"""What tailor's input limits cost: how fast each hostile file is refused (in process, so
the figure is the refusal, not Python's start-up), and what the checks add to reading a
real CV.

    python bench/hostile.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import tailor
from bench.common import ROOT, Row, median_seconds, milliseconds, print_table, under
from tailor import limits
from tailor.cv.readers import read_cv
from tailor.errors import UserError
from tailor.resources import load_yaml
from tests.hostile import generate

REFUSAL_TARGET = 1.0  # seconds: a refusal must come before the costly work, not after it
REAL_PDF = ROOT / "tests" / "data" / "real" / "latex" / "awesome-cv-cv.pdf"


def refused_in(data: bytes, name: str) -> float:
    """The median time `read_cv` takes to refuse `data`; fails if it is read instead."""

    def attempt() -> None:
        try:
            read_cv(data, name=name)
        except UserError:
            return
        raise AssertionError(f"{name} was read, not refused")

    return median_seconds(attempt, repeats=3)


def refusal_rows() -> list[Row]:
    page = generate.page_of_text(["Built a feature store serving 40 models"] * 40)
    cases: list[tuple[str, Callable[[], bytes], str]] = [
        ("a 2.1 MB DOCX that unpacks to 2 GiB", lambda: generate.docx_bomb(2048), "cv.docx"),
        ("a 1,000-page PDF (3.9 MB)", lambda: generate.pdf([page] * 1000), "cv.pdf"),
        (
            "a 1 MB PDF whose stream unpacks to 1 GiB",
            lambda: generate.pdf([generate.deflated_zeros(1024, raw=False)], deflated=True),
            "cv.pdf",
        ),
        ("a 342-byte YAML alias bomb", generate.yaml_alias_bomb, "cv.yaml"),
        ("a JSON nested 100,000 deep", lambda: generate.nested_json(100_000), "cv.json"),
        ("a 10 MB one-line Markdown CV", lambda: b"# A\n\n- " + b"word " * 2_000_000, "cv.md"),
    ]
    rows = []
    for title, make, name in cases:
        seconds = refused_in(make(), name)
        rows.append(
            Row(f"refusing {title}", milliseconds(seconds), *under(seconds, REFUSAL_TARGET))
        )
    return rows


def at_limit_rows() -> list[Row]:
    """Tailoring a CV just under the entry limit: the slowest input tailor still accepts."""
    cv = read_cv(generate.json_resume(limits.CV_ENTRIES - 10, 2, 12), name="cv.json")
    critique = median_seconds(lambda: tailor.critique(cv, "startup"), repeats=3)
    rewrite = median_seconds(lambda: tailor.rewrite(cv, "startup"), repeats=3)
    title = f"a CV of {limits.CV_ENTRIES - 10:,} roles and {2 * (limits.CV_ENTRIES - 10):,} bullets"
    return [
        Row(f"offline critique of {title}", milliseconds(critique)),
        Row(f"offline rewrite of {title}", milliseconds(rewrite)),
    ]


def overhead_rows() -> list[Row]:
    data = REAL_PDF.read_bytes()
    whole = median_seconds(lambda: read_cv(data, name=REAL_PDF.name), repeats=3)
    text = (ROOT / "examples" / "jordan-reyes.rendercv.yaml").read_text(encoding="utf-8")
    bare = median_seconds(lambda: yaml.load(text, Loader=yaml.CSafeLoader))
    checked = median_seconds(lambda: load_yaml(text))
    return [
        Row(
            f"reading a real 3-page PDF ({len(data) // 1024} KB), every limit on",
            milliseconds(whole),
        ),
        Row(
            "loading a rendercv YAML CV: with the alias, nesting and text checks",
            f"{milliseconds(checked)} (PyYAML alone {milliseconds(bare)})",
        ),
    ]


def figures() -> list[tuple[str, list[Row]]]:
    """The sections of this benchmark's table."""
    return [("hostile input", [*refusal_rows(), *at_limit_rows(), *overhead_rows()])]


if __name__ == "__main__":
    print_table(figures())
