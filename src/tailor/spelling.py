"""Misspelt ordinary English words in a CV, and words written twice ("the the").

A CV is full of words no dictionary holds (PyTorch, Kubeflow, autoscaling, tokenizer), so a
word counts as misspelt only when it is lower case (or opens a sentence), unknown to the
dictionary, not a known skill or a word the CV's own context allows, not a compound or a
prefixed or suffixed form of known words, and one edit away from a common word. The dictionary
is pyspellchecker's English word-frequency list, read on first use (about 0.1 s); a correction
is the most frequent known word one edit away (Peter Norvig's method, as pyspellchecker has
it, without the start-up cost of its class).
"""

from __future__ import annotations

import gzip
import json
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from tailor.skills import written_skills

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


class Dictionary:
    """English words and how often each is used, from a large corpus."""

    def __init__(self, counts: dict[str, int]) -> None:
        self._counts = counts
        self._total = sum(counts.values()) or 1

    def known(self, word: str) -> bool:
        return word in self._counts

    def frequency(self, word: str) -> float:
        """Its share of all the words of the corpus."""
        return self._counts.get(word, 0) / self._total

    def correction(self, word: str) -> str | None:
        """The most frequent known word one edit (a letter left out, added, changed, or two
        swapped) away from `word`; None when there is none."""
        candidates = [w for w in _one_edit(word) if w in self._counts]
        return max(candidates, key=self._counts.__getitem__, default=None)


def _one_edit(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    letters = string.ascii_lowercase
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    changes = [a + c + b[1:] for a, b in splits if b for c in letters]
    inserts = [a + c + b for a, b in splits for c in letters]
    return set(deletes + swaps + changes + inserts)


@cache
def _dictionary() -> Dictionary:
    data = resources.files("spellchecker").joinpath("resources", "en.json.gz").read_bytes()
    counts: dict[str, int] = json.loads(gzip.decompress(data))
    return Dictionary(counts)


def misspellings(texts: Iterable[str], allowed: Iterable[str] = ()) -> list[Misspelling]:
    """The misspelt words and doubled words in `texts`, each once, in order; `allowed` are
    words the CV may use however it likes (its names, employers, skills)."""
    # remembered: a critique for three targets asks the same of one CV three times
    return list(_misspellings(tuple(texts), frozenset(word.lower() for word in allowed)))


@lru_cache(maxsize=8)
def _misspellings(texts: tuple[str, ...], allowed: frozenset[str]) -> tuple[Misspelling, ...]:
    found: dict[str, Misspelling] = {}
    for text in texts:
        for match in _DOUBLED.finditer(text):
            word = match.group(1)
            if word.lower() not in _FINE_TWICE and not word.isdigit():
                found.setdefault(match.group(0).lower(), Misspelling(match.group(0), word))
    if not _english(list(texts)):
        return tuple(found.values())  # another language: not judged
    words = _dictionary()
    candidates = _candidates(list(texts), set(allowed))
    unknown = [
        w
        for w in candidates
        if not words.known(w) and not _formed_from_known(w, words) and not _british(w, words)
    ]
    if len(candidates) >= FEWEST_TO_JUDGE and len(unknown) / len(candidates) > MOST_UNKNOWN_SHARE:
        return tuple(found.values())  # a list of terms rather than prose: not judged
    for word in unknown:
        correction = words.correction(word)
        plural = correction in (word + "s", word[:-1]) if correction else False
        if correction and correction != word and not plural and _common(correction, words):
            found.setdefault(word, Misspelling(word, correction))
    return tuple(found.values())


# the little words that make up much of any prose, in English and in the other languages a
# CV sent to an English reader is most often written in (not "e", "y" or "com": "e.g.",
# "example.com")
_ENGLISH_WORDS = frozenset((
    "the", "and", "of", "to", "in", "for", "with", "on", "by", "from", "at", "as", "is", "was",
    "were", "that", "this", "our", "my", "we", "an", "into", "over", "using", "across",
))  # fmt: skip
_OTHER_WORDS = frozenset((
    "de", "la", "le", "les", "des", "et", "en", "du", "pour", "avec", "une", "un", "dans", "sur",
    "au", "aux", "est", "der", "die", "das", "und", "mit", "für", "von", "zu", "im", "auf", "ein",
    "eine", "el", "los", "las", "del", "con", "para", "por", "una", "que", "het", "een", "van",
    "voor", "il", "di", "della", "per", "não", "em",
))  # fmt: skip


def _english(texts: list[str]) -> bool:
    """Whether the texts read as English: their little words are more often English ones
    ("the", "and", "of") than French, German, Spanish, Italian, Portuguese or Dutch ones."""
    little = [w.lower() for text in texts for w in re.findall(r"[^\W\d_]{1,4}", text)]
    english = sum(w in _ENGLISH_WORDS for w in little[: MOST_WORDS * 4])
    other = sum(w in _OTHER_WORDS for w in little[: MOST_WORDS * 4])
    return english >= other


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


def _british(word: str, words: Dictionary) -> bool:
    return any(
        british in word and words.known(word.replace(british, american))
        for british, american in _BRITISH
    )


def _formed_from_known(word: str, words: Dictionary) -> bool:
    """A compound of common words ("dataset", "runbooks"), a prefixed word ("retrained") or a
    suffixed one ("containerized"): technical English, not a slip."""
    for cut in range(3, len(word) - 2):
        if _common(word[:cut], words, 1e-5) and _common(word[cut:], words, 1e-5):
            return True
    if any(word.startswith(p) and words.known(word[len(p) :]) for p in _PREFIXES):
        return True
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        # "tokenizer" from "tokenize": a suffix opening with a vowel drops the stem's e
        dropped_e = suffix[0] in "aeiou" and words.known(stem + "e")
        if word.endswith(suffix) and len(stem) >= 4 and (words.known(stem) or dropped_e):
            return True
    return False


def _common(word: str, words: Dictionary, floor: float = 1e-6) -> bool:
    """Whether a word is one people use often (a rare correction is a guess, not a fix)."""
    return words.frequency(word) >= floor
