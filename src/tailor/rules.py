"""Severities and the rule registry: the rubric's rules, thresholds and word lists.

The data lives in `data/rubric.yaml`. The offline critique applies it, the rewriter reads its
limits and word lists, and a company profile names its rules to weight them, so it sits
below all of them and imports no engine.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Literal

from tailor.resources import load_yaml, package_data

Severity = Literal["high", "medium", "low"]
SEVERITY_ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2}  # most severe first


@cache
def rubric() -> dict[str, Any]:
    """The rubric data (rules, thresholds, word lists), loaded once."""
    data: dict[str, Any] = load_yaml(package_data("rubric.yaml").read_text(encoding="utf-8"))
    return data


def general_rule_ids() -> list[str]:
    """The ids of the rubric's general rules, which a profile may weight."""
    return list(rubric()["rules"])


def rubric_pattern(key: str) -> re.Pattern[str]:
    """One case-insensitive regex matching any pattern of the rubric list `key`."""
    return any_of(tuple(rubric()[key]))


@cache
def any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive regex matching any of `patterns` (compiled once per list)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
