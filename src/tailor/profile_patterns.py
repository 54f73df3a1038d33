"""The patterns of company profiles, matched by RE2 in time linear in the text.

A profile is data a user writes and shares. Python's `re` backtracks, so one pattern such as
`^(\\w+\\s?)+$` in a shared profile would hang a critique on a long CV line. RE2 never
backtracks, and refuses what it cannot match in linear time: backreferences, lookarounds,
possessive quantifiers and atomic groups. Every profile pattern, bundled or the user's, and
the role guide's interview patterns (written to the same schema) are compiled here.

Patterns match in any case (`(?-i:...)` for a part that must match its case). Unlike Python's
`re`, RE2's `\\w`, `\\d`, `\\s` and `\\b` know ASCII only, `\\z` ends the text (Python's
`\\Z`), and a repeat is at most 1000.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Protocol, cast


class Matcher(Protocol):
    """What tailor asks of a compiled pattern (RE2's and Python's both have it)."""

    def search(self, text: str, /) -> object | None: ...


def check(pattern: str) -> str:
    """`pattern` if RE2 can compile it; else a ValueError that names it and says why."""
    compiled(pattern)
    return pattern


@cache
def any_of(patterns: tuple[str, ...]) -> Matcher:
    """One pattern that matches where any of `patterns` does (compiled once per list)."""
    return compiled("|".join(f"(?:{pattern})" for pattern in patterns))


@cache
def compiled(pattern: str) -> Matcher:
    """`pattern` compiled by RE2, case-insensitive; a ValueError if RE2 cannot take it."""
    import re2  # a compiled extension, loaded only when a profile is

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # the error is raised, not also written to stderr
    try:
        return cast(Matcher, re2.compile(pattern, options))
    except re2.error as error:
        raise ValueError(_refusal(pattern, _reason(error))) from None


def _reason(error: Any) -> str:
    reason = error.args[0] if error.args else error
    return reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)


def _refusal(pattern: str, reason: str) -> str:
    shown = f"'{pattern}'" if pattern.isprintable() else repr(pattern)
    try:
        re.compile(pattern)
    except re.error:
        return f"pattern {shown} is not a valid regular expression ({reason})"
    return (
        f"pattern {shown} is not supported ({reason}): profile patterns are matched in linear "
        "time by RE2, which has no backreferences, lookarounds, possessive or atomic groups"
    )
