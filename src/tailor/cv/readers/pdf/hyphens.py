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
# "org"): it goes on when the page links to the address that makes (see `_broken_address`)
_ADDRESS_START = re.compile(r"https?://|www\.")
# a range of dates broken after its dash, in a narrow column ("Sep 2012 –" / "May 2016"); a
# hyphen counts only with a space before it ("2019-" is a word of its own)
_OPEN_RANGE = re.compile(
    rf"\b(?P<start>{ENTRY_DATE})(?:(?P<tight>\s*)[\u2013\u2014]|(?P<spaced>\s+)-)$",
    re.IGNORECASE,
)
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
    None when `line` is not broken off in an address, a range of dates or a tight dash."""
    head, _, rest = following.partition(" ")
    address = _broken_address(line)
    if address is not None:
        whole = bare_url((address + head).rstrip(").,;:"))
        return (head, rest) if any(bare_url(a) == whole for a in addresses if a) else None
    opened = _OPEN_RANGE.search(line)
    if opened:
        end = _RANGE_END.match(following)
        after = following[end.end() :] if end else ""
        if (
            end is not None
            and _year(end.group()) >= _year(opened["start"])
            # not the start of a range of its own, nor "Now leading the team"
            and not _starts_range(after)
            # a date ends it wherever; "present" only at the line's end or before a column
            and (_YEAR.search(end.group()) or not after.strip() or after.startswith("   "))
        ):
            return (opened["tight"] or opened["spaced"] or "") + end.group(), after.strip()
        if not (_TIGHT_DASH.search(line) and following[0].isdigit()):  # "2019–" / "20"
            return None
    if _TIGHT_DASH.search(line) and following[0].isalnum():
        return head, rest
    return None


def _starts_range(text: str) -> bool:
    """Whether `text` opens with a range's dash or word ("– 2023", "to 2023")."""
    first = text.split(None, 1)[0] if text.strip() else ""
    return first[:1] in ("\u2013", "\u2014", "-") or first.lower() in ("to", "until")


def _broken_address(line: str) -> str | None:
    """The address that `line` ends in, cut after a dot, a slash, "_" or "-"; None if none.
    (Found in the last word only, so a long line of near-addresses costs no more than its
    length.)"""
    if not line.endswith((".", "/", "_", "-")):
        return None
    word = line.rsplit(None, 1)[-1]
    start = _ADDRESS_START.search(word)
    if start is None or (start.start() and re.match(r"[\w/.]", word[start.start() - 1])):
        return None
    return word[start.start() :]


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
