"""Personal details kept out of prompts: found in a CV, replaced by placeholders, put back.

Before a request goes to a cloud provider, the client replaces every personal value found in
the CV (name, email addresses, phone numbers, street addresses, personal sites, profile
handles, date of birth, national ID numbers) by a placeholder such as `[EMAIL_1]`, in every
message, and puts the values back in the model's answer. Employers, titles, places and skills
stay: the tailoring needs them. The placeholders are numbered in the order the values appear
in the CV, so the same CV always gives the same prompt (and the provider's prompt cache keeps
working across targets).

Phone numbers are found with Google's libphonenumber (the `phonenumbers` package), US,
Canadian and UK street addresses with `pyap2`, the rest with patterns kept here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel

if TYPE_CHECKING:
    from tailor.cv.model import CV
    from tailor.llm.base import Message

T = TypeVar("T", bound=BaseModel)

EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]\"'`,;·|]+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/[^\s<>()\[\]\"'`,;·|]*",
    re.IGNORECASE,
)
# hosts of profiles: the first part of the path (or the part after /in/, /u/, @) is a handle
PROFILE_HOSTS = {
    "github.com": r"/(?P<handle>[\w.-]+)",
    "gitlab.com": r"/(?P<handle>[\w.-]+)",
    "bitbucket.org": r"/(?P<handle>[\w.-]+)",
    "huggingface.co": r"/(?P<handle>[\w.-]+)",
    "kaggle.com": r"/(?P<handle>[\w.-]+)",
    "linkedin.com": r"/(?:in|pub)/(?P<handle>[\w%.-]+)",
    "twitter.com": r"/(?P<handle>\w+)",
    "x.com": r"/(?P<handle>\w+)",
    "medium.com": r"/@(?P<handle>[\w.-]+)",
    "dev.to": r"/(?P<handle>[\w.-]+)",
    "stackoverflow.com": r"/users/(?P<handle>\d+(?:/[\w-]+)?)",
    "orcid.org": r"/(?P<handle>[\d-]{15,19}X?)",
    "scholar.google.com": r"/citations\?(?:.*&)?user=(?P<handle>[\w-]+)",
    "instagram.com": r"/(?P<handle>[\w.]+)",
    "youtube.com": r"/@(?P<handle>[\w.-]+)",
}
# the path parts of a profile host that are pages, not people
NOT_HANDLES = {"in", "pub", "orgs", "topics", "sponsors", "features", "about", "settings"}
DATE = r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.? [A-Za-zäéû]+\.? \d{4}|[A-Za-z]+\.? \d{1,2},? \d{4})"
BIRTH = re.compile(
    r"(?i:\b(?:date of birth|birth ?date|d\.o\.b\.?|dob|born(?: on)?|geburtsdatum|geboren(?: am)?"
    r"|date de naissance|né(?:e)? le|fecha de nacimiento|data di nascita|geboortedatum)\b)"
    rf"\s*[:\-–]?\s*(?P<value>{DATE})"
)
NATIONAL_ID = re.compile(
    r"(?i:\b(?:SSN|social security(?: number| no\.?)?|national (?:insurance|id(?:entity)?)"
    r"(?: number| no\.?)?|NI(?:NO| number)|passport(?: number| no\.?)?|ID(?: card)? (?:number|no\.?)"
    r"|personalausweis(?:nummer)?|steuer-?id|steuerliche identifikationsnummer|DNI|NIE|NIF"
    r"|codice fiscale|BSN|PESEL|CPF|n° de sécurité sociale|numéro de sécurité sociale)\b)"
    r"\s*[:#]?\s*(?P<value>[A-Z0-9][A-Z0-9 ./-]{3,22}[A-Z0-9])"
)
UNLABELLED_IDS = [
    re.compile(r"\b(?P<value>\d{3}-\d{2}-\d{4})\b"),  # a US social security number
    re.compile(r"\b(?P<value>[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b"),  # UK NINO
]
# a street with its number (and a postcode and town), as written in continental Europe
EUROPEAN_STREET = re.compile(
    r"\b[A-ZÄÖÜ][\w'äöüßéèàç.-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm"
    r"|straat|laan|plein|gracht|kade|singel)\s+\d+\s?[a-zA-Z]?\b"
    r"(?:,?\s*(?:D-|NL-)?\d{4,5}(?:\s?[A-Z]{2})?\s+[A-ZÄÖÜ][\wäöüß-]+)?"
    r"|\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|chemin|allée|impasse|quai)"
    r"\s+[^\n,;·|]{2,40}(?:,\s*\d{5}\s+[A-Z][\w-]+)?"
    r"|\b(?:Calle|C/|Avenida|Avda\.|Paseo|Via|Viale|Piazza|Corso|Rua|Travessa)\s+[^\n,;·|\d]{2,40}"
    r",?\s*(?:n[º°o]\.?\s*)?\d+[a-zA-Z]?\b(?:,?\s*\d{4,5}(?:-\d{3})?\s+[A-Z][\w-]+)?"
)
ADDRESS_COUNTRIES: tuple[Literal["US", "CA", "GB"], ...] = ("US", "CA", "GB")  # pyap2 reads
PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "IN", "AU", "CA")
KINDS = ("NAME", "EMAIL", "PHONE", "ADDRESS", "SITE", "HANDLE", "DATE_OF_BIRTH", "ID")


@dataclass(frozen=True)
class Redaction:
    """The personal values of one CV and the placeholder of each."""

    placeholders: dict[str, str] = field(default_factory=dict)  # value -> placeholder
    _folded: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _originals: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _hide: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _reveal: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        values = sorted(self.placeholders, key=len, reverse=True)  # "a.b@x.org" before "a.b"
        if not values:
            return
        self._folded.update({v.casefold(): p for v, p in self.placeholders.items()})
        for value, placeholder in self.placeholders.items():
            self._originals.setdefault(placeholder, value)  # "[NAME]" reads as the first form
        hide = re.compile("|".join(_bounded(value) for value in values), re.IGNORECASE)
        placeholders = sorted(self._originals, key=len, reverse=True)
        reveal = re.compile("|".join(re.escape(p) for p in placeholders))
        object.__setattr__(self, "_hide", hide)
        object.__setattr__(self, "_reveal", reveal)

    def __bool__(self) -> bool:
        return bool(self.placeholders)

    def hide(self, text: str) -> str:
        """`text` with every personal value replaced by its placeholder."""
        if self._hide is None:
            return text
        # a value matched in another case folds to its own; none can fail to, but a value
        # must never go out in clear because of a case quirk
        return self._hide.sub(
            lambda match: self._folded.get(match.group(0).casefold(), "[REDACTED]"), text
        )

    def reveal(self, text: str) -> str:
        """`text` with every placeholder replaced by the value it stands for."""
        if self._reveal is None:
            return text
        return self._reveal.sub(lambda match: self._originals[match.group(0)], text)

    def hide_messages(self, messages: Sequence[Message]) -> list[Message]:
        return [dataclasses.replace(m, content=self.hide(m.content)) for m in messages]

    def reveal_answer(self, answer: T) -> T:
        """The model's answer with the values back in every text field."""
        if self._reveal is None:
            return answer
        return type(answer).model_validate(_map_strings(answer.model_dump(), self.reveal))


def redaction_for(cv: CV) -> Redaction:
    """The personal values of `cv` and their placeholders (computed once per CV content)."""
    key = hashlib.sha256(cv.model_dump_json().encode() + _source_text(cv).encode()).hexdigest()
    with _LOCK:
        if (known := _MEMO.get(key)) is not None:
            return known
    redaction = Redaction(_placeholders(find_personal_values(cv)))
    with _LOCK:
        if len(_MEMO) > 256:
            _MEMO.clear()
        _MEMO[key] = redaction
    return redaction


_MEMO: dict[str, Redaction] = {}
_LOCK = threading.Lock()


def find_personal_values(cv: CV) -> dict[str, list[str]]:
    """Each kind of personal value ("EMAIL", ...) and the values of it found in `cv`, in the
    order they first appear."""
    basics = cv.basics
    text = "\n".join([_source_text(cv), *_strings(cv.model_dump(exclude={"meta"}))])
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    if basics.name and len(basics.name.strip()) > 2:
        name = basics.name.strip()
        found["NAME"].append(name)
        parts = name.split()
        if len(parts) >= 2:
            found["NAME"].append(f"{parts[-1]}, {' '.join(parts[:-1])}")  # "Reyes, Jordan"
    found["EMAIL"] += [basics.email or "", *EMAIL.findall(text)]
    found["PHONE"] += [basics.phone or "", *_phones(text, cv)]
    location = basics.location
    if location is not None and location.address and re.search(r"\d", location.address):
        found["ADDRESS"].append(location.address)  # a street; a town stays: jobs depend on it
    found["ADDRESS"] += _addresses(text)
    # the person's own links: the site and profiles of the header; a link elsewhere (a
    # repository of PyTorch's, a paper) names nobody, unless it carries one of these handles
    own = [basics.url or "", *(p.url or "" for p in basics.profiles), *_header(cv)]
    for url in own:
        host, handle = _handle(url)
        if handle:
            found["HANDLE"].append(handle)
        elif host and not _is_shared_host(host):
            found["SITE"].append(host)  # a personal site: its name is the person's
            first = (
                urlsplit(url if "://" in url else f"https://{url}").path.strip("/").split("/")[0]
            )
            if _like_name(first, basics.name, basics.email):
                found["HANDLE"].append(first)  # a profile on a site tailor does not know
    found["HANDLE"] += [p.username or "" for p in basics.profiles]
    found["DATE_OF_BIRTH"] += [m.group("value") for m in BIRTH.finditer(text)]
    found["ID"] += [m.group("value").strip() for m in NATIONAL_ID.finditer(text)]
    for pattern in UNLABELLED_IDS:
        found["ID"] += [m.group("value") for m in pattern.finditer(text)]
    return {kind: _unique(values) for kind, values in found.items()}


def _placeholders(found: dict[str, list[str]]) -> dict[str, str]:
    placeholders: dict[str, str] = {}
    for kind in KINDS:
        values = [v for v in found.get(kind, []) if v.casefold() not in _folded(placeholders)]
        for number, value in enumerate(values, start=1):
            # the name's forms ("Jordan Reyes", "Reyes, Jordan") are one person
            one = kind in ("NAME", "DATE_OF_BIRTH")
            placeholders[value] = f"[{kind}]" if one else f"[{kind}_{number}]"
    return placeholders


def _like_name(part: str, name: str | None, email: str | None) -> bool:
    """Whether a path part of a link looks like the person's handle: it shares a run of
    five letters with their name or their email address ("jbrandhuber", "Jonas Brandhuber")."""
    letters = re.sub(r"[^a-z]", "", part.lower())
    sources = [re.sub(r"[^a-z]", "", (name or "").lower())]
    sources.append(re.sub(r"[^a-z]", "", (email or "").split("@")[0].lower()))
    for source in sources:
        for start in range(len(source) - 4):
            if source[start : start + 5] in letters:
                return True
    return False


def _folded(placeholders: dict[str, str]) -> set[str]:
    return {value.casefold() for value in placeholders}


def _phones(text: str, cv: CV) -> list[str]:
    import phonenumbers

    regions = list(PHONE_REGIONS)
    location = cv.basics.location
    if location is not None and location.country_code:
        regions.insert(0, location.country_code.upper()[:2])
    found: list[str] = []
    for region in dict.fromkeys(regions):
        for match in phonenumbers.PhoneNumberMatcher(text, region):
            found.append(match.raw_string.strip())
    return found


def _addresses(text: str) -> list[str]:
    import pyap

    found = [m.group(0).strip(" ,") for m in EUROPEAN_STREET.finditer(text)]
    for country in ADDRESS_COUNTRIES:
        found += [
            str(address.full_address).strip(" ,") for address in pyap.parse(text, country=country)
        ]
    return found


def _handle(url: str) -> tuple[str, str | None]:
    """The host of `url`, and the profile handle in it when the host is a profile site."""
    if not url:
        return "", None
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    pattern = PROFILE_HOSTS.get(host)
    if pattern is None:
        return host, None
    where = parts.path + (f"?{parts.query}" if parts.query else "")
    match = re.match(pattern, where)
    if match is None or match.group("handle").lower() in NOT_HANDLES:
        return host, None
    return host, match.group("handle").rstrip(".")


def _is_shared_host(host: str) -> bool:
    """Hosts that many people's pages share (a profile site without a handle, a paper
    archive): the host names nobody."""
    shared = {"arxiv.org", "doi.org", "scholar.google.com", "openreview.net", "pypi.org"}
    return host in shared or host in PROFILE_HOSTS


def _header(cv: CV) -> list[str]:
    """The URLs in the CV's first lines (its header), as written."""
    source = _source_text(cv)
    head = "\n".join(source.splitlines()[:6])
    return URL.findall(head)


def _source_text(cv: CV) -> str:
    return cv.origin.text if cv.origin is not None and cv.origin.text else ""


def _bounded(value: str) -> str:
    """A regex for `value` that does not match inside a longer word ("Ana" in "Analytics")."""
    start = r"(?<![\w])" if value[:1].isalnum() else ""
    end = r"(?![\w])" if value[-1:].isalnum() else ""
    return f"{start}{re.escape(value)}{end}"


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        value = value.strip()
        if len(value) >= 3 and value.casefold() not in seen:
            seen[value.casefold()] = value
    return list(seen.values())


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _map_strings(value: Any, change: Any) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: _map_strings(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_strings(item, change) for item in value]
    return value
