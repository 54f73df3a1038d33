"""Market context: the role guide's salary band for the country a CV is in.

The bands are the guide's figures (`data/salaries.yaml`, with their source and caveat), shown
beside a critique, never as advice. A location tailor cannot place shows nothing rather than
a wrong band.
"""

from __future__ import annotations

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
        """ "United Kingdom: $75,000 - $115,000 a year (USD, mid-level (3-7 years))"."""
        return (
            f"{self.country}: ${self.low:,} - ${self.high:,} a year ({self.currency}, {self.level})"
        )


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(package_data("salaries.yaml").read_text(encoding="utf-8"))
    return data


@cache
def _names() -> dict[str, str]:
    """Each way of writing a country or one of its cities, lower-case, to its code."""
    return {name: code for code, names in _data()["names"].items() for name in names}


def country_of(location: str) -> str | None:
    """The ISO code of the country a written location is in ("Leeds, UK" -> "GB", "Austin,
    TX" -> "US", "Berlin, DE" -> "DE"), or None when it names none tailor knows."""
    parts = [part.strip() for part in location.replace(" · ", ",").split(",") if part.strip()]
    if not parts:
        return None
    names = _names()
    whole = location.strip().lower()
    if whole in names:
        return names[whole]
    found = [names.get(part.lower()) for part in parts]
    last = parts[-1]
    states = set(_data()["us_states"])
    if len(parts) >= 2 and last in states and last.isupper():
        # "Austin, TX"; "CA" after a Canadian city is Canada, "DE" after a German one Germany
        earlier = next((code for code in reversed(found[:-1]) if code), None)
        return earlier or "US"
    return next((code for code in reversed(found) if code), None)


def market_for(cv: CV) -> MarketBand | None:
    """The guide's band for the country of the CV's location, or None."""
    location = cv.basics.location
    if location is None:
        return None
    code = (location.country_code or "").upper() or None
    written = ", ".join(
        part for part in (location.city, location.region, location.address) if part
    ) or (location.country_code or "")
    if code is None or code not in _data()["bands"]:
        code = country_of(written) if written else None
    if code is None or code not in _data()["bands"]:
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
