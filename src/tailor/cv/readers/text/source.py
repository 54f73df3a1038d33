"""The source text as the text reader walks it: its lines and sections, and the marks that
structure them (bullets, underlines)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tailor.cv.patterns import LIST_MARK

BULLET = re.compile(LIST_MARK.pattern + r"(?P<text>\S.*)$")
UNDERLINE = re.compile(r"^\s*(=+|-{3,})\s*$")


@dataclass
class SourceLine:
    """A line of the source text."""

    number: int  # 1-based line in the source text
    text: str  # as written, trailing whitespace removed
    indent: int


@dataclass
class Section:
    """A section of the CV: its title as written, the kind it was read as, and its lines."""

    title: str
    kind: str | None
    lines: list[SourceLine] = field(default_factory=list)
    markdown: bool = False  # Markdown's rules hold: a line right after a bullet continues it


def join_wrapped(first: str, second: str) -> str:
    """Join a wrapped line to the text before it. A hyphen at the break is kept: text files
    are not hyphenated by a typesetter, and the PDF reader rejoins its own breaks."""
    return f"{first}{second}" if first.endswith("-") else f"{first} {second}"
