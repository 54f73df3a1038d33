"""Patterns for the contact details and dates that CVs write, shared by the readers and checks."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

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
    return url.rstrip("/.,;)").lower()
