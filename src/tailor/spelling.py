"""Misspelt ordinary English words in a CV, and words written twice ("the the").

A CV is full of words no dictionary holds (PyTorch, Kubeflow, autoscaling, tokenizer), so a
word counts as misspelt only when it is lower case (or opens a sentence), unknown to the
dictionary, not a known skill or a word the CV's own context allows, not a compound or a
prefixed or suffixed form of known words, and one edit away from a common word. pyspellchecker
(its English word-frequency list) is the dictionary, loaded on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from tailor.skills import written_skills

if TYPE_CHECKING:
    from spellchecker import SpellChecker

_WORD = re.compile(r"(?<![\w@./#+-])([A-Za-z][a-z]{4,})(?![\w@/#+-]|\.\w)")
_DOUBLED = re.compile(r"(?<![\w-])([A-Za-z]+)\s+(\1)(?![\w-])", re.IGNORECASE)
# words that may stand twice in good English ("had had", "that that")
_FINE_TWICE = {"had", "that", "is", "can", "very", "bye", "ha", "no", "so", "do", "well"}
_PREFIXES = (
    "re", "pre", "de", "un", "non", "multi", "auto", "micro", "sub", "hyper", "meta", "co",
    "inter", "over", "under", "cross", "post", "self", "mis", "semi", "mini", "up", "out",
)  # fmt: skip
_SUFFIXES = (
    "s", "es", "ed", "d", "ing", "er", "ers", "r", "ize", "ized", "izing", "ise", "ised",
    "ising", "ation", "ations", "able", "ly", "ment", "ments", "less", "ness", "ity", "ful",
)  # fmt: skip
MOST_WORDS = 5000  # distinct words checked in one CV: pathological input stays fast
MOST_UNKNOWN_SHARE = 0.2  # above this share of unknown words the text is not English prose
FEWEST_TO_JUDGE = 30  # words needed before that share says anything


@dataclass(frozen=True)
class Misspelling:
    word: str  # as written ("recieved", or "the the" for a doubled word)
    correction: str  # "received", or "the"


@cache
def _checker() -> SpellChecker:
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


def misspellings(texts: Iterable[str], allowed: Iterable[str] = ()) -> list[Misspelling]:
    """The misspelt words and doubled words in `texts`, each once, in order; `allowed` are
    words the CV may use however it likes (its names, employers, skills)."""
    texts = list(texts)
    found: dict[str, Misspelling] = {}
    for text in texts:
        for match in _DOUBLED.finditer(text):
            word = match.group(1)
            if word.lower() not in _FINE_TWICE and not word.isdigit():
                found.setdefault(match.group(0).lower(), Misspelling(match.group(0), word))
    checker = _checker()
    if not _english(texts, checker):
        return list(found.values())  # another language: not judged
    candidates = _candidates(texts, {a.lower() for a in allowed})
    unknown = [
        w
        for w in candidates
        if w in checker.unknown([w])
        and not _formed_from_known(w, checker)
        and not _british(w, checker)
    ]
    if len(candidates) >= FEWEST_TO_JUDGE and len(unknown) / len(candidates) > MOST_UNKNOWN_SHARE:
        return list(found.values())  # a list of terms rather than prose: not judged
    for word in unknown:
        correction = checker.correction(word)
        plural = correction in (word + "s", word[:-1]) if correction else False
        if correction and correction != word and not plural and _common(correction, checker):
            found.setdefault(word, Misspelling(word, correction))
    return list(found.values())


def _english(texts: list[str], checker: Any) -> bool:
    """Whether the texts read as English: most of their short everyday words ("de", "la",
    "und") are English ones. Too few words to tell counts as English."""
    words = [w.lower() for text in texts for w in re.findall(r"[^\W\d_]{2,4}", text)][:MOST_WORDS]
    words = [w for w in words if w.isalpha()]
    if len(words) < FEWEST_TO_JUDGE:
        return True
    return len(checker.unknown(words)) / len(set(words)) <= MOST_UNKNOWN_SHARE


def _candidates(texts: list[str], allowed: set[str]) -> list[str]:
    """The distinct words worth checking, lower-cased: lower-case words, and capitalised ones
    that open a sentence or a line (proper nouns are left alone)."""
    words: dict[str, None] = {}
    for text in texts:
        skills = {name.lower() for name in written_skills(text).values()}
        for match in _WORD.finditer(text):
            word = match.group(1)
            if word[0].isupper() and not _opens_sentence(text, match.start()):
                continue
            lower = word.lower()
            if lower not in allowed and lower not in skills:
                words[lower] = None
            if len(words) >= MOST_WORDS:
                return list(words)
    return list(words)


def proper_words(texts: Iterable[str]) -> set[str]:
    """The words `texts` capitalise inside a sentence (names, places, products), lower-cased:
    written in lower case elsewhere, they are still names."""
    found: set[str] = set()
    for text in texts:
        for match in re.finditer(r"(?<![\w'’-])[A-Z][A-Za-z]+", text):
            if not _opens_sentence(text, match.start()):
                found.add(match.group(0).lower())
    return found


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“(*-•")
    return not before or before[-1] in ".!?:\n"


# British spellings, turned American for a dictionary that holds American ones
_BRITISH = (
    ("our", "or"), ("tre", "ter"), ("ise", "ize"), ("isa", "iza"), ("ising", "izing"),
    ("yse", "yze"), ("ogue", "og"), ("mme", "m"), ("ence", "ense"), ("sc", "sk"), ("ae", "e"),
    ("oe", "e"), ("ll", "l"),
)  # fmt: skip


def _british(word: str, checker: Any) -> bool:
    return any(
        british in word and checker.known([word.replace(british, american)])
        for british, american in _BRITISH
    )


def _formed_from_known(word: str, checker: Any) -> bool:
    """A compound of common words ("dataset", "runbooks"), a prefixed word ("retrained") or a
    suffixed one ("containerized"): technical English, not a slip."""
    known = checker.known
    for cut in range(3, len(word) - 2):
        if _common(word[:cut], checker, 1e-5) and _common(word[cut:], checker, 1e-5):
            return True
    if any(word.startswith(p) and known([word[len(p) :]]) for p in _PREFIXES):
        return True
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        # "tokenizer" from "tokenize": a suffix opening with a vowel drops the stem's e
        dropped_e = suffix[0] in "aeiou" and known([stem + "e"])
        if word.endswith(suffix) and len(stem) >= 4 and (known([stem]) or dropped_e):
            return True
    return False


def _common(word: str, checker: Any, floor: float = 1e-6) -> bool:
    """Whether a word is one people use often (a rare correction is a guess, not a fix)."""
    return bool(checker.word_usage_frequency(word) >= floor)
