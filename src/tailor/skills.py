"""Skill names: splitting a written list of skills, synonyms, and finding a skill in text.

The synonyms (k8s / Kubernetes, torch / PyTorch, ...) are data in `data/synonyms.yaml`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from tailor.resources import load_yaml, package_data

_LIST_SEPARATORS = re.compile(r"[,;|·•]|\s/\s")
SHORT_NAME = 3  # names this short ("Go", "R", "TF") are matched case-sensitively


@cache
def _vocabulary() -> dict[str, list[Any]]:
    data: dict[str, list[Any]] = load_yaml(
        package_data("synonyms.yaml").read_text(encoding="utf-8")
    )
    return data


@cache
def synonyms() -> dict[str, tuple[str, ...]]:
    """Each skill name (lower-case) mapped to every name of its group."""
    return {name.lower(): tuple(group) for group in _vocabulary()["groups"] for name in group}


def canonical(skill: str) -> str:
    """A skill's canonical name ("k8s" -> "Kubernetes"); an unknown skill as written."""
    names = synonyms().get(skill.strip().lower())
    return names[0] if names else skill.strip()


@cache
def _detector() -> re.Pattern[str]:
    """One regex that finds every unambiguous known name, longest first."""
    ambiguous = {name.lower() for name in _vocabulary()["ambiguous"]}
    names = sorted(
        (n for group in _vocabulary()["groups"] for n in group if n.lower() not in ambiguous),
        key=len,
        reverse=True,
    )
    long_names = "|".join(re.escape(n) for n in names if len(n) > SHORT_NAME)
    short_names = "|".join(re.escape(n) for n in names if len(n) <= SHORT_NAME)
    return re.compile(
        rf"(?i:(?<![\w+#])(?:{long_names})(?![\w+#]))"
        rf"|(?<![\w+#.-])(?:{short_names})(?![\w+#-])"
    )


def known_skills(text: str) -> list[str]:
    """The known skills a text names, by canonical name, in order of first mention.

    Names that are common words in a job posting ("vision", "CV") are not enough on their own.
    """
    return list(written_skills(text))


def written_skills(text: str) -> dict[str, str]:
    """The known skills a text names: canonical name -> the name as first written there."""
    found: dict[str, str] = {}
    for match in _detector().finditer(text):
        found.setdefault(canonical(match.group(0)), match.group(0))
    return found


def split_skill_list(text: str) -> list[str]:
    """Split "PyTorch, AWS (EMR, S3), PyTorch/JAX" into skills, keeping bracketed details whole.

    A slash separates two skills ("PyTorch/JAX") unless the whole is one known name ("CI/CD",
    "A/B testing"), a side is a single character ("I/O"), or the item has several words.
    """
    skills: list[str] = []
    for item in _split_outside_brackets(text):
        item = item.strip(" .")
        parts = item.split("/")
        known = item.lower() in synonyms()
        one_word = " " not in item  # "MLOps & CI/CD" is not "MLOps & CI" and "CD"
        if len(parts) > 1 and one_word and not known and all(len(p.strip()) >= 2 for p in parts):
            skills.extend(part.strip() for part in parts)
        elif item:
            skills.append(item)
    return skills


def _split_outside_brackets(text: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if depth <= 0 and _LIST_SEPARATORS.fullmatch(char):
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item for item in items if item.strip(" .")]


@cache
def skill_pattern(skill: str) -> re.Pattern[str] | None:
    """A regex that finds `skill` or a synonym as a whole word ("C" does not match "C++").

    Short names are matched in their written case, so "Go" does not match "go-to-market"
    and "TF" does not match "tf-idf".
    """
    name = re.sub(r"\s*[(\[].*?[)\]]\s*", " ", skill).strip()
    names = synonyms().get(name.lower(), (name,))
    long_names = [re.escape(n) for n in names if len(n) > SHORT_NAME]
    short_names = [re.escape(n) for n in names if 0 < len(n) <= SHORT_NAME]
    alternatives = []
    if long_names:
        alternatives.append(rf"(?i:(?<![\w+#])(?:{'|'.join(long_names)})(?![\w+#]))")
    if short_names:
        alternatives.append(rf"(?<![\w+#.-])(?:{'|'.join(short_names)})(?![\w+#-])")
    return re.compile("|".join(alternatives)) if alternatives else None


def mentions(text: str, skill: str) -> bool:
    """Whether `text` names `skill` or one of its synonyms, as a whole word."""
    pattern = skill_pattern(skill)
    return pattern is not None and pattern.search(text) is not None
