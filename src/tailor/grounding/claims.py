"""Claims: what a line says of the candidate's part beyond its facts (the ownership ladder, scope
and seniority words of `data/claims.yaml`), and whether its source lines make them."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any, Literal

from tailor.grounding.model import Claim, ClaimKind
from tailor.resources import load_yaml, package_data


def unsupported_claims(text: str, sources: list[str]) -> list[Claim]:
    """The claims of `text` that `sources` (the lines it was written from) do not make, in the
    order written: a rung of the ownership ladder above the highest any source line shows, and
    a scope or seniority word none of them has."""
    return claims_beyond(text, _claims_of(tuple(sources)))


@dataclass(frozen=True)
class SourceClaims:
    """What source lines claim, to judge a rewrite of them by."""

    rung: int  # the highest rung of the ladder they show
    said: str | None  # the word that shows it, as written; None when a line with no ladder word
    scope: frozenset[str]  # the scope groups they name ("alone", "company-wide")
    seniority: frozenset[str]  # the seniority groups they name ("senior", "lead")


@dataclass(frozen=True)
class _Reading:
    """A ladder word read as a claim: its rung and where it stands; `governed` when a word of
    the first rung takes it ("helped lead"): a verb, claiming nothing of its own."""

    rung: int
    start: int
    end: int
    governed: bool = False


# a sentence starts at the start of a text, after a full stop, a semicolon or a bullet, maybe
# with a subject or an adverb ("Helped...", "...; actively contributed", "I support...")
_STARTS = re.compile(
    r"(?:^|[\n.!?;:•*\"“\u2013\u2014-]|(?<![\w-])(?:i|we))\s*(?:[a-z]+ly\s+)?$", re.IGNORECASE
)

# a clause opens where a sentence starts, or after a comma, a bracket, a conjunction or "to"
# ("..., driving adoption", "and then led", "while leading", "to lead")
_OPENS = re.compile(
    r"(?:^|[\n.!?;:,•(\[*\"'“‘/|\u2013\u2014-]"
    r"|(?<![\w-])(?:and|or|then|also|while|by|when|after|before|to|i|we))"
    r"\s*(?:[a-z]+ly\s+)?$",
    re.IGNORECASE,
)

# what may stand between a word of the first rung and the verb it governs ("helped to build")
_GOVERNED = re.compile(r"[^\S\n]+(?:(?:to|in|on|with)[^\S\n]+)?", re.IGNORECASE)

# "a project led by Dr Ng" (a run of spaces read from its start, so a long one stays linear)
_PASSIVE = re.compile(r"(?<![^\S\n])[^\S\n]++by(?!\w)", re.IGNORECASE)

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))

_OPENING_WINDOW = 40  # characters before a word to look for the opening of its clause


@lru_cache(maxsize=256)
def _claims_of(sources: tuple[str, ...]) -> SourceClaims:
    """What `sources` claim: the highest rung any of their lines shows, a line with no ladder
    word (or no line at all) standing on "built". Kept for the next check: a rewrite checks
    its source's lines again after each answer of the model."""
    text = "\n".join(sources)
    plain = _plain(text)
    readings = [reading for reading in _readings(plain) if not reading.governed]
    top = max(readings, key=lambda r: r.rung, default=None)
    if top is None or (top.rung < _built() and _a_line_without(plain, readings)):
        rung, said = _built(), None
    else:
        rung, said = top.rung, text[top.start : top.end]
    return SourceClaims(rung, said, *_groups_in(plain))


def _a_line_without(text: str, readings: list[_Reading]) -> bool:
    """Whether a line of `text` with words on it has none of `readings`."""
    starts = [reading.start for reading in readings]
    offset = 0
    for line in text.split("\n"):
        end = offset + len(line)
        if line.strip() and bisect.bisect_left(starts, offset) == bisect.bisect_left(starts, end):
            return True
        offset = end + 1
    return False


def claims_beyond(text: str, claims: SourceClaims) -> list[Claim]:
    """The claims of `text` above `claims`; a word is refused once, as its ladder rung first."""
    found: list[tuple[int, Claim]] = []
    verbs: set[int] = set()  # where governed verbs and ladder words refused start
    plain = _plain(text)
    for reading in _readings(plain):
        if reading.governed:
            verbs.add(reading.start)  # "helped lead": no title either
        elif reading.rung > claims.rung:
            written = text[reading.start : reading.end]
            found.append((reading.start, Claim("ownership", written, claims.said)))
            verbs.update(range(reading.start, reading.end))
    # a compound holds its words ("first-author" claims "first"), though not for the ladder
    for match in _word_pattern("claim").finditer(plain.replace("-", " ")):
        written = text[match.start() : match.end()]
        if written in _claims_data()["acronyms"] or match.start() in verbs:
            continue
        kind, group = _word_groups("claim")[_form(written)]
        named = claims.scope if kind == "scope" else claims.seniority
        if group not in named:
            found.append((match.start(), Claim(kind, written)))
    return [claim for _, claim in sorted(found, key=lambda item: item[0])]


@dataclass
class SourceLines:
    """Source lines a field is judged against; what they claim is read when first needed (most
    fields of a rewrite are the source's own lines, which need no reading)."""

    texts: list[str]
    entry: SourceLines | None = None  # for a bullet, its entry: a title's seniority supports it
    read: list[str] | None = None  # the texts to read claims in, if fewer than `texts` hold all
    _claims: SourceClaims | None = field(default=None, repr=False)

    def claims(self) -> SourceClaims:
        if self._claims is None:
            self._claims = _claims_of(tuple(self.texts if self.read is None else self.read))
            if self.entry is not None:
                seniority = self._claims.seniority | self.entry.claims().seniority
                self._claims = replace(self._claims, seniority=seniority)
        return self._claims


def _readings(plain: str) -> list[_Reading]:
    """The ladder words of a text (as `_plain` gives it) that claim a part in the work, in
    order, with those a word of the first rung governs ("helped lead"), marked.

    A word of the first rung counts only where it starts a sentence (the line's own verb); one
    that is as often a noun (`opening_only`) only where it opens a clause; a passive word ("led
    by") does not count; an acronym ("LED") is no word.
    """
    rungs, opening_only = _rungs(), _opening_only()
    readings: list[_Reading] = []
    previous: re.Match[str] | None = None
    for match in _ladder().finditer(plain):
        form = _form(match.group(0))
        rung = rungs[form]
        governed = (
            previous is not None
            and rungs[_form(previous.group(0))] == 0
            and _GOVERNED.fullmatch(plain, previous.end(), match.start()) is not None
        )
        previous = match
        if not governed and (
            match.group(0) in _claims_data()["acronyms"]
            or _PASSIVE.match(plain, match.end())
            or (rung == 0 and not _after(_STARTS, plain, match.start()))
            or (form in opening_only and not _after(_OPENS, plain, match.start()))
        ):
            continue
        readings.append(_Reading(rung, match.start(), match.end(), governed))
    return readings


def _after(opening: re.Pattern[str], text: str, start: int) -> bool:
    """Whether the text before `start` ends as `opening` says (a sentence or clause opens)."""
    return opening.search(text, max(0, start - _OPENING_WINDOW), start) is not None


def _groups_in(plain: str) -> tuple[frozenset[str], frozenset[str]]:
    """The scope and seniority groups a source (as `_plain` gives it) names, a compound's words
    too ("first-author" names "first")."""
    scope: set[str] = set()
    seniority: set[str] = set()
    groups = _word_groups("support")
    for match in _word_pattern("support").finditer(plain.replace("-", " ")):
        if match.group(0) in _claims_data()["acronyms"]:
            continue
        kind, group = groups[_form(match.group(0))]
        (scope if kind == "scope" else seniority).add(group)
    return frozenset(scope), frozenset(seniority)


def _plain(text: str) -> str:
    """The text as claims are read in it: one kind of dash, and the phrases that claim nothing
    blanked out, every character where it was (what is reported is cut from the text)."""
    text = text.translate(_DASHES)
    return _not_claims().sub(lambda match: " " * len(match.group(0)), text)


def _form(written: str) -> str:
    """A word or phrase as the data lists it: lower case, spaces and hyphens one space."""
    return " ".join(re.split(r"[\s-]+", written.lower()))


@cache
def _claims_data() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(package_data("claims.yaml").read_text(encoding="utf-8"))
    return data


@cache
def _rungs() -> dict[str, int]:
    """Each ladder word (as `_form` writes it) mapped to its rung, 0 the lowest."""
    ladder = _claims_data()["ladder"]
    return {_form(str(w)): rung for rung, words in enumerate(ladder.values()) for w in words}


@cache
def _built() -> int:
    """The rung of a line that names no part: "built"."""
    return list(_claims_data()["ladder"]).index("built")


@cache
def _opening_only() -> frozenset[str]:
    return frozenset(_form(str(word)) for word in _claims_data()["opening_only"])


@cache
def _word_groups(side: Literal["claim", "support"]) -> dict[str, tuple[ClaimKind, str]]:
    """Each scope or seniority word mapped to its kind and group: the words a rewrite claims,
    or (`support`) those that support them in a source, inflections too."""
    data = _claims_data()
    kinds: tuple[ClaimKind, ...] = ("scope", "seniority")
    table = {
        _form(str(word)): (kind, str(group))
        for kind in kinds
        for group, words in data[kind].items()
        for word in words
    }
    if side == "support":
        for group, words in data["inflections"].items():
            table.update({_form(str(word)): ("seniority", str(group)) for word in words})
    return table


def _whole_words(forms: list[str]) -> str:
    """A regex for any of `forms` as whole words, a space in a form any spaces or hyphens, and a
    hyphen binding a word to its neighbours ("co-led" holds no "led").

    The forms are merged into a tree by their common starts ("lead(?:s|ing)?"): Python's `re`
    tries an alternation's branches one by one at every word, and the tree reads a CV several
    times faster. Each branch starts with its own character, so a failed match backtracks no
    further than the phrase it tried.
    """
    tree: dict[str, Any] = {}
    for form in forms:
        node = tree
        for token in form:
            node = node.setdefault(token, {})
        node[""] = {}  # a form ends here
    return rf"(?<![\w-])(?:{_branches(tree)})(?![\w-])"


def _branches(node: dict[str, Any]) -> str:
    branches = [
        (r"[\s-]+" if token == " " else re.escape(token)) + _branches(child)
        for token, child in sorted(node.items())
        if token
    ]
    if not branches:
        return ""
    if "" not in node and len(branches) == 1:
        return branches[0]
    return f"(?:{'|'.join(branches)})" + ("?" if "" in node else "")


@cache
def _ladder() -> re.Pattern[str]:
    return re.compile(_whole_words(list(_rungs())), re.IGNORECASE)


@cache
def _word_pattern(side: Literal["claim", "support"]) -> re.Pattern[str]:
    return re.compile(_whole_words(list(_word_groups(side))), re.IGNORECASE)


@cache
def _not_claims() -> re.Pattern[str]:
    forms = [_form(str(phrase)) for phrase in _claims_data()["not_claims"]]
    return re.compile(_whole_words(forms), re.IGNORECASE)
