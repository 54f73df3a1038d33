"""The harness itself: a well-behaved run passes, and it measures what it claims to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.hostile.conftest import Run


def test_an_ordinary_critique_is_bounded_and_succeeds(run_bounded: Run) -> None:
    outcome = run_bounded("critique", EXAMPLES / "casey-morgan.md", "--target", "startup")
    outcome.bounded()
    assert outcome.code == 0, outcome.stderr
    assert outcome.peak_mb > 20  # a Python process: the figure is real, not zero


def test_a_missing_file_is_one_line_and_exit_2(run_bounded: Run, tmp_path: Path) -> None:
    run_bounded("critique", tmp_path / "nope.md", "--target", "startup").refused("no such file")


def test_a_refusal_that_names_the_wrong_words_fails_the_check(run_bounded: Run) -> None:
    outcome = run_bounded("critique", "nope.md", "--target", "startup")
    with pytest.raises(AssertionError):
        outcome.refused("zip bomb")
