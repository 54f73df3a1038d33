"""How tailor words a count for a person: "1 role", "3 roles", "2 entries"."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and `noun`, the noun in the plural (given, or with an "s") unless it is one."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
