"""Dates in a CV's text: taken out of a line, and written in ISO form."""

from __future__ import annotations

import re

from tailor.cv.patterns import (
    DATE_RANGE,
    ISO_DATE,
    MONTH_SLASH_YEAR,
    MONTHS,
    PRESENT,
    SEASONS,
    SINGLE_DATE,
)

_DURATION = re.compile(r"\(\s*\d+\s*(?:years?|yrs?|months?|mos?)\b[^)]*\)", re.IGNORECASE)


def split_dates(text: str) -> tuple[str, str | None, str | None]:
    """Remove a date range (or single date) from text; return the rest, start and end."""
    match = DATE_RANGE.search(text)
    if match:
        start, end = iso_date(match["start"]), iso_date(match["end"])
    else:
        match = SINGLE_DATE.search(text)
        if not match:
            return text, None, None
        start, end = iso_date(match["date"]), None
    rest = text[: match.start()] + text[match.end() :]
    rest = _DURATION.sub("", re.sub(r"\(\s*\)|\[\s*\]", "", rest))
    rest = re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s{2,}", " ", rest))
    rest = re.sub(r"[,;]+(?=[.,;])", "", rest)
    return rest.strip(" ,|·•—–-"), start, end


def iso_date(text: str) -> str | None:
    """A date as the CV model writes it ("2021-03", "2021"); None for an open end ("Present")."""
    value = text.strip().rstrip(".")
    if re.fullmatch(PRESENT, value, re.IGNORECASE):
        return None
    if ISO_DATE.fullmatch(value):
        return value
    if slash := MONTH_SLASH_YEAR.fullmatch(value):
        return f"{slash['year']}-{int(slash['month']):02d}"
    month, _, year = value.partition(" ")
    if month.lower() in SEASONS:
        return year.strip()  # a season says the year, not the month
    number = MONTHS.get(month.lower().rstrip("."))
    return f"{year.strip()}-{number:02d}" if number else value


def date_list(cell: str) -> tuple[str | None, str | None] | None:
    """The first and last of a cell that lists dates and nothing else: "Summer 2012 and
    2013", "2019, 2021"; None for any other cell."""
    found = [iso_date(m["date"]) for m in SINGLE_DATE.finditer(cell)]
    if len(found) < 2 or SINGLE_DATE.sub("", cell).strip(" ,&") not in ("", "and"):
        return None
    return found[0], found[-1]
