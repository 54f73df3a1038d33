"""How tailor words things for a person: a count ("1 role", "3 roles"), a list ("a, b and
c"), a label inside a sentence ("deep ML fundamentals"), text shown verbatim in Markdown."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and `noun`, the noun in the plural (given, or with an "s") unless it is one."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def joined(items: list[str], last: str = "and") -> str:
    """ "a", "a and b", "a, b and c" (or with `last` "or": "a, b or c")."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def lower_first(text: str) -> str:
    """A label inside a sentence: "Deep ML fundamentals" -> "deep ML fundamentals"; a first
    word in capitals keeps them ("ML systems")."""
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first[1:].islower() else text


def markdown_escaped(text: str) -> str:
    """Text as Markdown shows it verbatim: `*inference*` stays starred, `__init__` stays."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
