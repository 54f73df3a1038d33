"""Patterns for the contact details and dates that CVs write, shared by the readers and checks."""

from __future__ import annotations

import re

# An address starts where a run of its characters starts, and that run is never given back:
# searching a long word without an "@" stays linear (it was quadratic).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+")

# A web address in running text stops at white space, quotes, brackets and list separators,
# but keeps a balanced pair of parentheses inside it (Wikipedia's ".../Silicon_Valley_(TV_series)"),
# so "(see https://example.org)" still ends before the closing bracket; never on a full stop.
_URL_CHAR = r"[^\s()<>\[\]\"'|,;]"
URL_TAIL = rf"(?:{_URL_CHAR}|\({_URL_CHAR}*\))+(?<![.:!?])"
WEB_URL = rf"(?:https?://|www\.){URL_TAIL}"
# a web address written without a scheme: "ilse.example.org", "scholar.example.net/ilse". A
# host starts where a run of host characters starts, never after "@" (an e-mail's domain is no
# link) nor inside a longer address; whether a match is a link and not "Node.js" or "B.Sc" is
# `tailor.cv.links.looks_like_link`'s call
BARE_URL = re.compile(
    rf"(?<![\w.@/-])(?:[\w-]++\.)+[a-z]{{2,10}}(?![\w@-])(?:/(?:{URL_TAIL})?)?", re.IGNORECASE
)
# a Markdown link "[label](address)", whose address may hold one balanced pair of parentheses
MARKDOWN_LINK = re.compile(r"\[(?P<label>[^\[\]]+)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))+)\)")

# what a CV calls itself above the name ("Curriculum Vitae", "Résumé"): never the name
DOCUMENT_TITLE = re.compile(r"(?:curriculum\s+vitae|r[eé]sum[eé]|cv)", re.IGNORECASE)

# month names and their abbreviations, lower-case, mapped to the month's number
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def bare_url(url: str) -> str:
    """A web address without scheme, "www.", trailing slash or punctuation, lower-cased:
    the form in which two ways of writing one link compare equal."""
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip(), flags=re.IGNORECASE)
    url = url.rstrip("/.,;")
    while url.endswith(")") and url.count(")") > url.count("("):  # "(see x.org)", not "_(TV)"
        url = url[:-1].rstrip("/.,;")
    return url.lower()
