"""Skill names: splitting a written list of skills, synonyms, and finding a skill in text.

The synonyms (k8s / Kubernetes, torch / PyTorch, ...) are data in `data/synonyms.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from tailor.resources import load_yaml, package_data

_LIST_SEPARATORS = re.compile(r"[,;|·•]|\s/\s")
# a bracketed detail ("AWS (EMR, S3)"), innermost pair first, so a run of "(" stays linear
_BRACKETED = re.compile(r"(?<!\s)\s*+[(\[][^()\[\]\n]*+[)\]]\s*")
SHORT_NAME = 3  # names this short ("Go", "R", "TF") are matched case-sensitively


@cache
def _vocabulary() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(package_data("synonyms.yaml").read_text(encoding="utf-8"))
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
    names = [n for group in _vocabulary()["groups"] for n in group if n.lower() not in ambiguous]
    return re.compile(_alternation(sorted(names, key=len, reverse=True)))


def _alternation(names: list[str]) -> str:
    """A regex for any of `names` as a whole word: short names and those that are ordinary
    words in lower case ("Go", "Spark") in their written case, the rest in any case."""
    exact = {name.lower() for name in _vocabulary()["case_sensitive"]}
    any_case = [re.escape(n) for n in names if len(n) > SHORT_NAME and n.lower() not in exact]
    as_written = [re.escape(n) for n in names if 0 < len(n) <= SHORT_NAME or n.lower() in exact]
    alternatives = []
    if any_case:
        alternatives.append(rf"(?i:(?<![\w+#])(?:{'|'.join(any_case)})(?![\w+#]))")
    if as_written:
        alternatives.append(rf"(?<![\w+#.-])(?:{'|'.join(as_written)})(?![\w+#-])")
    return "|".join(alternatives)


@cache
def narrower(skill: str) -> tuple[str, ...]:
    """The skills that show `skill` too (XGBoost shows gradient boosting, FSDP shows PyTorch),
    canonical names."""
    broad = canonical(skill).lower()
    return tuple(
        canonical(narrow)
        for narrow, broader in _vocabulary()["broader"].items()
        if broad in {canonical(name).lower() for name in _as_list(broader)}
    )


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


@cache
def _core() -> frozenset[str]:
    return frozenset(canonical(name).lower() for name in _vocabulary()["core"])


def _without_details(skill: str) -> str:
    """A skill's name without its bracketed details: "AWS (EMR, S3)" -> "AWS"."""
    return _BRACKETED.sub(" ", skill).strip()


def is_core(skill: str) -> bool:
    """Whether a skill is a programming language or a core ML framework (`core` in the data):
    the backbone of a skills list, never left out by a rewrite."""
    name = _without_details(skill)
    return canonical(name).lower() in _core()


def shows(text: str, skill: str) -> bool:
    """Whether `text` names `skill`, a synonym, or a narrower skill that shows it."""
    return mentions(text, skill) or any(mentions(text, narrow) for narrow in narrower(skill))


def known_skills(text: str) -> list[str]:
    """The known skills a text names, by canonical name, in order of first mention."""
    return list(written_skills(text))


def written_skills(text: str) -> dict[str, str]:
    """The known skills a text names: canonical name -> the name as first written there.

    A name that is a common word in a job posting ("vision", "CV") is not enough on its own,
    and neither is a short name opening a sentence before a lower-case word ("Go above and
    beyond").
    """
    found: dict[str, str] = {}
    for match in _detector().finditer(text):
        name = match.group(0)
        if len(name) <= SHORT_NAME and _opens_a_phrase(text, match):
            continue
        found.setdefault(canonical(name), name)
    return found


def _opens_a_phrase(text: str, match: re.Match[str]) -> bool:
    before = text[: match.start()]
    at_start = not before.strip() or bool(re.search(r"[.!?:]\s*$|^\W*$", before.split("\n")[-1]))
    return at_start and re.match(r" [a-z]", text[match.end() :]) is not None


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
    and "TF" does not match "tf-idf"; so are names that are ordinary words ("Spark").
    """
    name = _without_details(skill)
    names = synonyms().get(name.lower(), (name,))
    pattern = _alternation(list(names))
    return re.compile(pattern) if pattern else None


def mentions(text: str, skill: str) -> bool:
    """Whether `text` names `skill` or one of its synonyms, as a whole word."""
    pattern = skill_pattern(skill)
    return pattern is not None and pattern.search(text) is not None


# words that qualify a skill phrase without naming what was done ("Megatron-style")
_FILLER = frozenset({"a", "an", "and", "as", "for", "in", "of", "on", "the", "to", "with", "style"})


@lru_cache(maxsize=8192)
def word_stems(text: str) -> frozenset[str]:
    """The stems of the words of `text`: lower case, hyphens as spaces, and plural, -ing and
    -ed forms alike ("rerankers", "reranker"; "modelling", "model"; "mentored", "mentor")."""
    return frozenset(_stem(word) for word in re.findall(r"[a-z0-9+#]+", text.lower()))


def _stem(word: str) -> str:
    if len(word) <= SHORT_NAME:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "aeiouls":
                word = word[:-1]  # "planned" -> "plan"
            elif word.endswith("ll"):
                word = word[:-1]  # "modelling" -> "model"
            break
    return word


def names_in_words(text: str, skill: str) -> bool:
    """Whether `text` names the words of a listed skill in another form: one or two words in
    a row ("language modelling" in "a language model"), or of three or more all but one
    anywhere ("Megatron-style tensor parallelism" in "tensor and pipeline parallelism").

    Names matched in their written case ("Go", "Spark", "Rust") never match this way.
    """
    name = _without_details(skill)
    exact = {n.lower() for n in _vocabulary()["case_sensitive"]}
    if len(name) <= SHORT_NAME or name.lower() in exact:
        return False
    wanted = _content_stems(name)
    if not wanted:
        return False
    if len(wanted) <= 2:  # in a row: "Google Cloud" is not "Google search ads in the cloud"
        stems = _content_stems(text)
        return any(stems[i : i + len(wanted)] == wanted for i in range(len(stems)))
    found = len(set(wanted) & word_stems(text))
    return found >= len(set(wanted)) - 1


def names_in_any(texts: Sequence[str], skill: str, stems: frozenset[str] | None = None) -> bool:
    """Whether one of `texts` names the skill's words (`names_in_words`). `stems`, the stems of
    all the texts, rules most skills out at once: a long CV is not read once per skill."""
    wanted = set(_content_stems(_without_details(skill)))
    if stems is not None and len(wanted - stems) > (1 if len(wanted) >= 3 else 0):
        return False
    return any(names_in_words(text, skill) for text in texts)


def stems_of(texts: Sequence[str]) -> frozenset[str]:
    """The stems of every word of `texts`, for `names_in_any`."""
    return frozenset().union(*(word_stems(text) for text in texts))


@lru_cache(maxsize=8192)
def _content_stems(text: str) -> tuple[str, ...]:
    """The stems of `text`'s words but the filler, in order (computed once per line: every
    listed skill is looked for in every line)."""
    words = re.findall(r"[a-z0-9+#]+", text.lower())
    return tuple(stem for stem in map(_stem, words) if stem not in _FILLER)
