"""Words broken across lines: soft hyphens, and hyphens kept or dropped when a broken word is
joined again."""

from __future__ import annotations

import re
from collections.abc import Collection

from tailor.cv.patterns import ENTRY_DATE, PRESENT, bare_url

SOFT_HYPHEN = "\u00ad"

_HYPHENATED = re.compile(r"[^\W\d_]-$")
# a line that breaks after a dash set tight between words ("pp. 101–" / "119",
# "training–" / "serving"): the dash stays and nothing comes between
_TIGHT_DASH = re.compile(r"\w[\u2013\u2014]$")
# an address broken where a writer may break it, after a dot or a slash ("http://nodejs." /
# "org"): it goes on when the page links to the address that makes
_BROKEN_ADDRESS = re.compile(r"(?<![\w/.])(?:https?://|www\.)\S*[./_-]$")
# a range of dates broken after its dash, in a narrow column ("Sep 2012 –" / "May 2016")
_OPEN_RANGE = re.compile(rf"\b(?P<start>{ENTRY_DATE})(?P<gap>\s*)[\u2013\u2014-]$", re.IGNORECASE)
_RANGE_END = re.compile(rf"(?:{ENTRY_DATE}|{PRESENT})\b", re.IGNORECASE)
_YEAR = re.compile(r"\d{4}")


def soft_hyphens_read(lines: list[str]) -> list[str]:
    """Invisible soft hyphens (those drawn are hyphens already): at a line end the word goes
    on on the next line ("engi\u00ad" / "neering"), elsewhere they show nothing."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith(SOFT_HYPHEN) and line:
            head, _, rest = line.partition(" ")
            out[-1] = out[-1][:-1] + head
            line = rest
            if not line:
                continue
        out.append(line)
    return [line.replace(SOFT_HYPHEN, "") for line in out]


def join_hyphenated(lines: list[str], addresses: Collection[str] = ()) -> list[str]:
    """Join words broken across lines by a hyphen; the hyphen stays where the CV writes the
    word with it elsewhere, or the word is a compound ("set-top", "multi-VPC"). A tight
    en or em dash at a line's end stays, and the next word follows it directly when it goes
    on in lower case or in figures; the end of a range of dates follows its start; and an
    address broken after a dot or a slash is whole again when it is one of `addresses` (the
    page's links)."""
    vocabulary = _vocabulary(lines)
    out: list[str] = []
    for line in lines:
        # a right-hand column's cell may follow the broken word: "by race, eth-   July 2024"
        left, gap, column = out[-1].rpartition("   ") if out and "   " in out[-1] else ("", "", "")
        if gap and not _HYPHENATED.search(left):
            left = gap = column = ""
        broken = left if gap else (out[-1] if out else "")
        carried = _carried(broken, line, addresses) if out and not gap and line else None
        if carried is not None:
            head, rest = carried
            out[-1] += head
            if rest:
                out.append(rest)
        elif out and line and _HYPHENATED.search(broken) and line[0].isalnum():
            head, _, rest = line.partition(" ")
            joined = _joined(broken, head, vocabulary)
            out[-1] = f"{joined}{gap}{column}" if gap else joined
            if rest:
                out.append(rest)
        else:
            out.append(line)
    return out


# the first parts of compounds CVs write with a hyphen, kept when a line breaks after them
COMPOUND_PREFIXES = frozenset(
    {"multi", "cross", "non", "co", "self", "end", "real", "full", "high", "low", "large",
     "small", "long", "short", "well", "open", "state", "on", "off", "in", "out", "up", "pre",
     "post", "semi", "sub", "inter", "intra", "anti", "auto", "hands", "first", "second",
     "third", "top", "cutting", "fine", "hyper", "mid", "user", "data", "cost", "client",
     "server", "set", "day", "year", "team", "world", "part", "time", "fast", "event", "test"}
)  # fmt: skip


def _carried(line: str, following: str, addresses: Collection[str]) -> tuple[str, str] | None:
    """What of `following` goes on the end of `line` (with what stands between) and the rest;
    None when `line` is not broken off in a range of dates, a tight dash or an address."""
    head, _, rest = following.partition(" ")
    if opened := _OPEN_RANGE.search(line):  # only its end may follow, no earlier than its start
        end = _RANGE_END.match(following)
        if end is None or _year(end.group()) < _year(opened["start"]):
            return None
        return opened["gap"] + end.group(), following[end.end() :].strip()
    if _TIGHT_DASH.search(line) and (following[0].islower() or following[0].isdigit()):
        return head, rest
    if address := _BROKEN_ADDRESS.search(line):
        whole = bare_url((address.group() + head).rstrip(").,;:"))
        if any(bare_url(known) == whole for known in addresses):
            return head, rest
    return None


def _year(date: str) -> int:
    """A date's year; a range still open ends in the year 9999."""
    found = _YEAR.search(date)
    return int(found.group()) if found else 9999


def _joined(line: str, head: str, vocabulary: set[str]) -> str:
    """`line` (ending in a broken word's first part and its hyphen) joined with `head`."""
    first = re.split(r"[\s/]", line[:-1])[-1]
    whole, compound = (first + head).lower(), f"{first}-{head}".lower()
    stem = re.sub(r"\W+$", "", compound)
    if stem in vocabulary or "-" in first or "-" in head:  # "set-top" elsewhere; "end-to-"
        # + "end"; "pixel-" + "by-pixel"
        return line + head
    if re.sub(r"\W+$", "", whole) in vocabulary:  # "management" elsewhere
        return line[:-1] + head
    if not head[0].islower() or first.lower() in COMPOUND_PREFIXES:
        return line + head
    return line[:-1] + head


def _vocabulary(lines: list[str]) -> set[str]:
    """The words the CV writes within its lines (lower case), hyphenated ones included."""
    words: set[str] = set()
    for line in lines:
        inner = line.split()[:-1] if line.endswith("-") else line.split()
        words.update(re.sub(r"^\W+|\W+$", "", word).lower() for word in inner)
    return words
