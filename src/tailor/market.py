"""Market context: the role guide's salary band for the country a CV is in.

The bands are the guide's figures (`data/salaries.yaml`, with their source and caveat), shown
beside a critique, never as advice. A location tailor cannot place shows nothing rather than
a wrong band.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel, Field

from tailor.cv.model import CV
from tailor.resources import load_yaml, package_data


class MarketBand(BaseModel):
    """The guide's salary band for one country."""

    country: str = Field(description="the country's name")
    country_code: str = Field(description="ISO 3166 alpha-2")
    low: int
    high: int
    currency: str
    level: str = Field(description="the experience the band is for")
    caveat: str
    source: str
    location: str = Field(description="the CV's location the country was read from")

    def text(self) -> str:
        """ "United Kingdom: $75,000 - $115,000 a year (USD; mid-level, 3-7 years)"."""
        return (
            f"{self.country}: ${self.low:,} - ${self.high:,} a year ({self.currency}; {self.level})"
        )


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(package_data("salaries.yaml").read_text(encoding="utf-8"))
    return data


@cache
def _lookup(table: str) -> dict[str, str]:
    """A table of `salaries.yaml` (`countries`, `cities`, `provinces`) as name -> code."""
    return {str(name).lower(): code for code, names in _data()[table].items() for name in names}


def country_of(location: str) -> str | None:
    """The ISO code of the country a written location is in ("Leeds, UK" -> "GB", "Austin,
    TX" -> "US", "Toronto, CA" -> "CA"), or None when tailor cannot be sure: a wrong band is
    worse than none. The last part (a country, a state, a province) decides; a city before it
    must agree, and settles a code that could be a state or a country ("CA", "DE")."""
    parts = [p.strip() for p in location.replace(" · ", ",").split(",") if p.strip()]
    if not parts:
        return None
    countries, cities = _lookup("countries"), _lookup("cities")
    whole = ", ".join(parts).lower()
    if whole in cities or whole in countries:
        return cities.get(whole) or countries[whole]
    if len(parts) == 1:
        return countries.get(whole) or cities.get(whole)
    last, city = parts[-1], parts[-2].lower()
    candidates = _qualifier(last)
    known_city = cities.get(city)
    if not candidates:
        return None
    if len(candidates) == 1:
        (code,) = candidates
        agrees = known_city is None or known_city == code
        return code if code != "?" and agrees else None
    return known_city if known_city in candidates else None


def _qualifier(last: str) -> set[str]:
    """The countries the last part of a location may mean ("?" for one without a band)."""
    data = _data()
    lower = last.lower()
    candidates: set[str] = set()
    if code := _lookup("countries").get(lower):
        candidates.add(code)
    if last in data["us_states"] or lower in data["us_state_names"]:
        candidates.add("US")
        if last in data["ambiguous_state_codes"]:
            # also a country's code: Canada's or Germany's, or one without a band
            candidates.add(last if last in data["bands"] else "?")
    for code, provinces in data["provinces"].items():  # "NT" is Canadian and Australian
        if lower in {str(name).lower() for name in provinces}:
            candidates.add(code)
    if not candidates and len(last) == 2 and last.isupper():
        candidates.add("?")  # another country's code ("ES", "FR")
    return candidates


def market_for(cv: CV) -> MarketBand | None:
    """The guide's band for the country of the CV's location, or None."""
    location = cv.basics.location
    if location is None:
        return None
    # a street address is not shown, nor used: the town, region and country are enough
    address = (
        location.address if location.address and not re.search(r"\d", location.address) else None
    )
    written = ", ".join(part for part in (location.city, location.region, address) if part)
    explicit = (location.country_code or "").upper()
    if explicit:
        code = explicit if explicit in _data()["bands"] else None  # never second-guessed
        written = ", ".join(part for part in (written, explicit) if part)
    else:
        code = country_of(written) if written else None
    if code is None:
        return None
    band = _data()["bands"][code]
    return MarketBand(
        country=band["country"],
        country_code=code,
        low=band["low"],
        high=band["high"],
        currency=_data()["currency"],
        level=_data()["level"],
        caveat=_data()["caveat"],
        source=_data()["source"],
        location=written,
    )
