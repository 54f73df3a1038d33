"""The figures and dates a text states: a number with its unit ("40M", "180 ms", "six years")
and a month or year, read by the rules of `data/grounding.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from tailor.cv.patterns import EMAIL, MONTH_DATE, MONTHS, PHONE_IN_PROSE, PROSE_URL, STANDALONE_YEAR
from tailor.resources import load_yaml, package_data

_RANGE_JOIN = re.compile(r"(?<!\s)\s*+(?:to|-|–|—|and|or)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """A number with its unit: value in canonical form, unit canonical or None."""

    value: Decimal
    unit: str | None
    written: str


def figures(text: str) -> list[Figure]:
    """The figures in a text, dates and links excluded: "cut p95 from 180 ms to 42 ms" gives
    180 ms and 42 ms ("p95" is a name, checked as one)."""
    text = without_dates_and_links(_words_to_digits(text))
    found: list[Figure] = []
    previous: re.Match[str] | None = None
    for match in figure_pattern().finditer(text):
        figure = _figure(match)
        if figure is None:
            continue
        # "from 180 to 42 ms", "3-5 years": the first figure of a range takes the second's unit
        if (
            previous is not None
            and found
            and found[-1].unit is None
            and figure.unit is not None
            and _RANGE_JOIN.fullmatch(text[previous.end() : match.start()])
        ):
            found[-1] = Figure(found[-1].value, figure.unit, found[-1].written)
        found.append(figure)
        previous = match
    return found


def dates(text: str) -> set[str]:
    """The month-dates ("2022-03") and years ("2022") a text states."""
    found: set[str] = set()
    for match in MONTH_DATE.finditer(text):
        year, month = date_parts(match)
        found.update({f"{year}-{month:02d}", year})
    found.update(STANDALONE_YEAR.findall(text))
    return found


@cache
def grounding_data() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(package_data("grounding.yaml").read_text(encoding="utf-8"))
    return data


@cache
def aliases(table: str) -> dict[str, str]:
    """Each written form of a unit or currency, lower-cased, mapped to its canonical name."""
    return {
        str(alias).lower(): str(canonical)
        for canonical, written in grounding_data()[table].items()
        for alias in written
    }


@cache
def _multipliers() -> dict[str, Decimal]:
    return {
        str(alias): Decimal(str(factor))
        for factor, written in grounding_data()["multipliers"].items()
        for alias in written
    }


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def figure_pattern() -> re.Pattern[str]:
    currencies = _alternatives(list(aliases("currencies")))
    multipliers = _alternatives(list(_multipliers()))
    units = _alternatives(list(aliases("units")))
    return re.compile(
        rf"(?<![\w.,/#])(?:(?P<currency>{currencies})\s?)?"
        r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?![\d,]*\.\d)"
        rf"(?:[\s-]?(?P<multiplier>{multipliers})(?![A-Za-z]))?"
        rf"(?:[\s-]?(?P<unit>{units})(?![A-Za-z0-9]))?"
        rf"(?:\s?(?P<currency_after>{currencies})(?![A-Za-z]))?",
        re.IGNORECASE,
    )


def _figure(match: re.Match[str]) -> Figure | None:
    try:
        value = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
        return None
    multiplier = match.group("multiplier")
    if multiplier:
        factor = _multipliers().get(multiplier) or _multipliers().get(multiplier.lower())
        value *= factor or Decimal(1)
    currency = match.group("currency") or match.group("currency_after")
    unit_written = match.group("unit")
    unit = aliases("currencies")[currency.lower()] if currency else None
    if unit_written:
        unit = aliases("units")[unit_written.lower()]
    return Figure(_canonical(value), unit, match.group(0).strip())


def _canonical(value: Decimal) -> Decimal:
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


def is_year(figure: Figure) -> bool:
    """Whether a figure is a year: four digits as written ("2K" is 2000 downloads, not 2000)."""
    return figure.unit is None and figure.written.isdigit() and 1950 <= figure.value <= 2099


@cache
def _number_words() -> re.Pattern[str]:
    data = grounding_data()
    words = _alternatives([str(w) for w in [*data["number_words"], *data["figure_words"]]])
    return re.compile(rf"\b({words})\b", re.IGNORECASE)


def _words_to_digits(text: str) -> str:
    """Numbers and figures written in words as digits: "six years" -> "6 years", "doubled"
    -> "2x"."""
    table = {str(k).lower(): str(v) for k, v in grounding_data()["number_words"].items()}
    table |= {str(k).lower(): str(v) for k, v in grounding_data()["figure_words"].items()}
    return _number_words().sub(lambda m: table[m.group(1).lower()], text)


def without_dates_and_links(text: str) -> str:
    for pattern in (PROSE_URL, EMAIL, MONTH_DATE, PHONE_IN_PROSE):
        text = pattern.sub(" ", text)
    return text


def date_parts(match: re.Match[str]) -> tuple[str, int]:
    if match.group("month"):
        return match.group("year"), MONTHS[match.group("month").lower()]
    if match.group("iso_year"):
        return match.group("iso_year"), int(match.group("iso_month"))
    return match.group("num_year"), int(match.group("num_month"))
