"""Personal details kept out of prompts: found in a CV, replaced by placeholders, put back.

Before a request goes to a cloud provider, the client replaces every personal value found in
the CV (the name in its usual forms, email addresses, phone numbers, street addresses,
personal sites, profile handles, date of birth, national ID numbers) by a placeholder such as
`[EMAIL_1]`, in every message, and puts the values back in the model's answer. Employers,
titles, towns and skills stay: the tailoring needs them. The placeholders are numbered in the
order the values appear in the CV, so the same CV always gives the same prompt (and the
provider's prompt cache keeps working across targets).

Phone numbers are found with Google's libphonenumber (the `phonenumbers` package), US,
Canadian and UK street addresses with `pyap2`, e-mail addresses, links and dates of birth with
the patterns of `tailor.cv.patterns`, the rest with patterns kept here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel

from tailor.cv.links import looks_like_link
from tailor.cv.model import json_strings
from tailor.cv.patterns import (
    DAY_DATE,
    EMAIL_ANY_LOCAL_PART,
    PHONE_CUE,
    SCHEME_OR_WWW_URL,
    URL_OR_HOST_WITH_PATH,
)

if TYPE_CHECKING:
    from tailor.cv.model import CV
    from tailor.llm.base import Message

T = TypeVar("T", bound=BaseModel)

HEADER_LINES = 8  # the lines of a CV's source that hold its contact details
# profile sites: where in the path the handle stands
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
    "researchgate.net": r"/profile/(?P<handle>[\w.%-]+)",
    "leetcode.com": r"/(?:u/)?(?P<handle>[\w.-]+)",
    "bsky.app": r"/profile/(?P<handle>[\w.-]+)",
    "instagram.com": r"/(?P<handle>[\w.]+)",
    "youtube.com": r"/@(?P<handle>[\w.-]+)",
}
# on any other host, these paths name a person ("/@ana" on a Mastodon server, "/in/ana")
PROFILE_PATH = re.compile(r"/(?:@|(?:in|u|user|users|profile|people)/)(?P<handle>[\w.%-]{3,})")
PAGES_HOSTS = re.compile(r"^(?P<handle>[\w-]+)\.(?:github|gitlab)\.io$")
NOT_HANDLES = {"in", "pub", "orgs", "topics", "sponsors", "features", "about", "settings", "u"}
SHARED_HOSTS = {
    "arxiv.org", "doi.org", "openreview.net", "pypi.org", "paperswithcode.com",
    "githubusercontent.com",
}  # fmt: skip
BIRTH = re.compile(
    r"(?i:\b(?:date of birth|birth ?date|birthday|d\.o\.b\.?|dob|born(?: on)?|geburtsdatum"
    r"|geboren(?: am)?|date de naissance|née? le|fecha de nacimiento|data di nascita"
    r"|geboortedatum)(?!\w))"
    rf"\s*[:\-–]?\s*(?P<value>(?i:{DAY_DATE}))"
)
NATIONAL_ID = re.compile(
    r"(?i:\b(?:SSN|social security(?: number| no\.?)?|national (?:insurance|id(?:entity)?)"
    r"(?: number| no\.?)?|NI(?:NO| number)|passport(?: number| no\.?)?|ID(?: card)? (?:number|no\.?)"
    r"|personalausweis(?:nummer)?|steuer-?id|steuerliche identifikationsnummer|DNI|NIE|NIF"
    r"|codice fiscale|BSN|PESEL|CPF|n° de sécurité sociale|numéro de sécurité sociale)(?!\w))"
    r"\s*[:#]?\s*(?P<value>[A-Z0-9][A-Z0-9 ./-]{3,22}[A-Z0-9])"
)
UNLABELLED_IDS = [
    re.compile(r"\b(?P<value>\d{3}-\d{2}-\d{4})\b"),  # a US social security number
    re.compile(r"\b(?P<value>[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b"),  # UK NINO
]
_STREET = (
    r"(?<![\w'.-])[A-ZÄÖÜ][\w'äöüßéèàç.-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|damm"
    r"|straat|laan|plein|gracht|kade|singel)\s+\d+\s?[a-zA-Z]?\b"
    r"|\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|chemin|allée|impasse|quai)"
    r"\s+[^\n,;·|]{2,40}"
    r"|\b(?:Calle|C/|Avenida|Avda\.|Paseo|Via|Viale|Piazza|Corso|Rua|Travessa)\s+[^\n,;·|\d]{2,40}"
    r",?\s*(?:n[º°o]\.?\s*)?\d+[a-zA-Z]?\b"
)
_POSTCODE_TOWN = r",?\s*(?:D-|NL-|F-)?\d{4,5}(?:-\d{3})?(?:\s?[A-Z]{2})?\s+[A-ZÄÖÜ][\wäöüßéè-]+"
# a street with its number, as written in continental Europe: with a postcode and a town
# anywhere; without them only among the contact details, where "Spring 2021" is no street
EUROPEAN_ADDRESS = re.compile(rf"(?:{_STREET})(?:{_POSTCODE_TOWN})")
EUROPEAN_STREET = re.compile(rf"(?:{_STREET})(?:{_POSTCODE_TOWN})?")
ADDRESS_COUNTRIES: tuple[Literal["US", "CA", "GB"], ...] = ("US", "CA", "GB")  # pyap2 reads
PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "IN", "AU", "CA")
KINDS = ("NAME", "EMAIL", "PHONE", "ADDRESS", "SITE", "HANDLE", "DATE_OF_BIRTH", "ID")
PLACEHOLDER = re.compile(rf"\[\s*(?P<key>(?:{'|'.join(KINDS)})(?:[ _]?\d+)?)\s*\]", re.IGNORECASE)
TITLES = ("Dr.", "Dr", "Prof.", "Prof", "Mr.", "Mr", "Ms.", "Ms", "Mrs.", "Mrs")
HONORIFICS = {"dr", "prof", "mr", "ms", "mrs", "mx", "sir", "dame"}
DEGREES = {"phd", "msc", "mba", "md", "bsc", "ma", "meng", "dphil"}


@dataclass(frozen=True)
class Redaction:
    """The personal values of one CV and the placeholder of each (one per value as written,
    so that each comes back as it was)."""

    placeholders: dict[str, str] = field(default_factory=dict)  # value -> placeholder
    _order: list[str] = field(default_factory=list, repr=False, compare=False)
    _originals: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _hide: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        values = sorted(self.placeholders, key=len, reverse=True)  # "a.b@x.org" before "a.b"
        if not values:
            return
        # each value as written first, then in any case: "M. Oyelaran-Holt" keeps its own
        # placeholder beside "M. OYELARAN-HOLT", and "ana quill" still finds "Ana Quill"
        self._order.extend(values * 2)
        for value, placeholder in self.placeholders.items():
            self._originals.setdefault(_key(placeholder), value)
        exact = [f"((?-i:{_flexible(value)}))" for value in values]
        any_case = [f"({_flexible(value)})" for value in values]
        object.__setattr__(self, "_hide", re.compile("|".join(exact + any_case), re.IGNORECASE))

    def __bool__(self) -> bool:
        return bool(self.placeholders)

    def hide(self, text: str) -> str:
        """`text` with every personal value replaced by its placeholder (in any case, and
        with any spacing inside it)."""
        if self._hide is None:
            return text
        return self._hide.sub(
            lambda match: self.placeholders[self._order[(match.lastindex or 1) - 1]], text
        )

    def reveal(self, text: str) -> str:
        """`text` with every placeholder replaced by the value it stands for; a model may
        write one in another case ("[Name]") or with spaces ("[ NAME ]")."""
        if not self._originals:
            return text
        return PLACEHOLDER.sub(
            lambda match: self._original(match.group("key"), match.group(0)), text
        )

    def _original(self, key: str, written: str) -> str:
        """The value behind a placeholder; "[NAME_1]" is "[NAME]" renumbered by a model."""
        key = _key(key)
        return self._originals.get(key) or self._originals.get(key.removesuffix("_1"), written)

    def hide_messages(self, messages: Sequence[Message]) -> list[Message]:
        return [dataclasses.replace(m, content=self.hide(m.content)) for m in messages]

    def reveal_answer(self, answer: T) -> T:
        """The model's answer with the values back in every text field."""
        if not self._originals:
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


def name_from_email(cv: CV) -> str | None:
    """The CV's name as written, found by its e-mail address when the reader found none (a
    LinkedIn export prints the name below its sidebar): "sofia.brandt@..." finds the line's
    "Sofia Brandt". None when the address holds no name or the CV does not write it."""
    local = (cv.basics.email or "").split("@")[0]
    parts = [part for part in re.split(r"[._-]+", local) if part.isalpha() and len(part) > 1]
    if len(parts) < 2:
        return None
    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, parts)) + r"\b", re.IGNORECASE)
    match = pattern.search(_source_text(cv))
    return match.group(0) if match else None


def find_personal_values(cv: CV) -> dict[str, list[str]]:
    """Each kind of personal value ("EMAIL", ...) and the values of it found in `cv`, in the
    order they first appear."""
    basics = cv.basics
    source = _source_text(cv)
    header = "\n".join(source.splitlines()[:HEADER_LINES])
    text = "\n".join([source, *json_strings(cv.model_dump(exclude={"meta"}))])
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    found["NAME"] = name_forms(basics.name or name_from_email(cv) or "")
    found["EMAIL"] = [basics.email or "", *EMAIL_ANY_LOCAL_PART.findall(text)]
    found["PHONE"] = [basics.phone or "", *_phones(header, text, cv)]
    location = basics.location
    if location is not None and location.address and re.search(r"\d", location.address):
        found["ADDRESS"].append(location.address)  # a street; a town stays: jobs depend on it
    found["ADDRESS"] += _addresses(header, text)
    found["SITE"], found["HANDLE"] = _sites_and_handles(cv, header, text)
    found["DATE_OF_BIRTH"] = [m.group("value") for m in BIRTH.finditer(text)]
    found["ID"] = [m.group("value").strip() for m in NATIONAL_ID.finditer(text)]
    for pattern in UNLABELLED_IDS:
        found["ID"] += [m.group("value") for m in pattern.finditer(text)]
    return {kind: _unique(values) for kind, values in found.items()}


def name_forms(name: str) -> list[str]:
    """The forms a person's name takes on a CV and in papers: "Jordan A. Reyes", "Jordan
    Reyes", "Reyes, Jordan", "J. Reyes", "Reyes J.", "Dr. Reyes", and each without accents."""
    parts = name.replace(",", " ").split()
    while parts and parts[0].rstrip(".").casefold() in HONORIFICS:
        parts = parts[1:]  # "Dr. Miriam Oyelaran-Holt": the forms start from the given name
    while len(parts) > 1 and parts[-1].replace(".", "").casefold() in DEGREES:
        parts = parts[:-1]
    if len(" ".join(parts)) <= 2:
        return []
    written = " ".join(parts)
    forms = _forms(parts)
    if written.isupper():  # "MIRIAM OYELARAN-HOLT" in a header, "M. Oyelaran-Holt" in papers
        forms += _forms(written.title().split())
    return list(dict.fromkeys([*forms, *(_unaccented(form) for form in forms)]))


def _forms(parts: list[str]) -> list[str]:
    forms = [" ".join(parts)]
    if len(parts) >= 2:
        first, last = parts[0], parts[-1]
        initial = first[0]
        forms += [f"{first} {last}", f"{last}, {' '.join(parts[:-1])}", f"{last}, {first}"]
        # with the initial's dot only: "A Ray" would hide "a Ray cluster"
        forms += [f"{initial}. {last}", f"{last}, {initial}.", f"{last} {initial}."]
        forms += [f"{title} {last}" for title in TITLES]
    return forms


def _sites_and_handles(cv: CV, header: str, text: str) -> tuple[list[str], list[str]]:
    """The person's own sites and profile handles.

    Their links are those of the profiles and the header: there a profile link (a host's
    handle path) is theirs, and a deeper link is theirs when it looks like their name. In the
    body, a profile link is theirs only when it looks like their name, so that
    `github.com/pytorch/pytorch` names nobody.
    """
    basics = cv.basics
    sites: list[str] = []
    handles: list[str] = [p.username or "" for p in basics.profiles]
    own = [basics.url or "", *(p.url or "" for p in basics.profiles)]
    header_links = SCHEME_OR_WWW_URL.findall(header) + [
        url
        for url in URL_OR_HOST_WITH_PATH.findall(header)
        if urlsplit(f"https://{url}").hostname in PROFILE_HOSTS
    ]
    own = [url for url in own if looks_like_link(url, profile_host=_host(url) in PROFILE_HOSTS)]
    for url in [*own, *header_links, *URL_OR_HOST_WITH_PATH.findall(text)]:
        host, handle, bare = _handle(url)
        ours = url in own or url in header_links
        if handle and ((ours and bare) or _like_name(handle, basics.name, basics.email)):
            handles.append(handle)
        if not (ours and host) or host in PROFILE_HOSTS or _shared(host):
            continue
        if PAGES_HOSTS.match(host) or handle is None:
            sites.append(host)  # a personal site: its name is the person's
        first = urlsplit(_with_scheme(url)).path.strip("/").split("/")[0]
        if handle is None and _like_name(first, basics.name, basics.email):
            handles.append(first)  # a profile on a site tailor does not know
    # a word the tailoring needs is never hidden, even if it is a handle too
    needed = {k.casefold() for group in cv.skills for k in [group.name or "", *group.keywords]}
    needed |= {(work.name or "").casefold() for work in cv.work}
    keep = [value for value in handles if value.casefold() not in needed]
    return [s for s in sites if s.casefold() not in needed], keep


def _shared(host: str) -> bool:
    """Hosts that many people's pages share: a paper archive, GitHub's file server."""
    return any(host == shared or host.endswith(f".{shared}") for shared in SHARED_HOSTS)


def _host(url: str) -> str:
    return (urlsplit(_with_scheme(url)).hostname or "").removeprefix("www.")


def _handle(url: str) -> tuple[str, str | None, bool]:
    """The host of `url`, the profile handle in it (or None), and whether the link is the
    profile itself rather than a page under it."""
    if not url:
        return "", None, False
    parts = urlsplit(_with_scheme(url))
    host = (parts.hostname or "").lower().removeprefix("www.")
    where = parts.path + (f"?{parts.query}" if parts.query else "")
    if pages := PAGES_HOSTS.match(host):
        return host, pages.group("handle"), True
    pattern = PROFILE_HOSTS.get(host)
    match = re.match(pattern, where) if pattern else PROFILE_PATH.match(parts.path)
    if match is None or match.group("handle").lower() in NOT_HANDLES:
        return host, None, False
    handle = unquote(match.group("handle")).rstrip(".")
    rest = where[match.end() :].strip("/")
    return host, handle, not rest


def _placeholders(found: dict[str, list[str]]) -> dict[str, str]:
    placeholders: dict[str, str] = {}
    for kind in KINDS:
        values = [v for v in found.get(kind, []) if v not in placeholders]
        for number, value in enumerate(values, start=1):
            single = (kind == "NAME" and number == 1) or (
                kind == "DATE_OF_BIRTH" and len(values) == 1
            )
            placeholders[value] = f"[{kind}]" if single else f"[{kind}_{number}]"
    return placeholders


def _like_name(part: str, name: str | None, email: str | None) -> bool:
    """Whether a handle or a path part looks like the person's: it shares a run of five
    letters with their name or their email address ("jbrandhuber", "Jonas Brandhuber")."""
    letters = re.sub(r"[^a-z]", "", _unaccented(part).lower())
    sources = [re.sub(r"[^a-z]", "", _unaccented(name or "").lower())]
    sources.append(re.sub(r"[^a-z]", "", (email or "").split("@")[0].lower()))
    for source in sources:
        for start in range(len(source) - 4):
            if source[start : start + 5] in letters:
                return True
    return False


def _phones(header: str, text: str, cv: CV) -> list[str]:
    import phonenumbers

    regions = list(PHONE_REGIONS)
    location = cv.basics.location
    if location is not None and location.country_code:
        regions.insert(0, location.country_code.upper()[:2])
    found: list[str] = []
    for region in dict.fromkeys(regions):
        for where, anywhere in ((header, True), (text, False)):
            for match in phonenumbers.PhoneNumberMatcher(where, region):
                raw = match.raw_string.strip()
                before = where[max(0, match.start - 20) : match.start]
                if anywhere or raw[:1] in "+(" or PHONE_CUE.search(before):
                    found.append(raw)
    return found


def _addresses(header: str, text: str) -> list[str]:
    with warnings.catch_warnings():  # pyap2's data modules have invalid escape sequences
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        import pyap

    found = [m.group(0).strip(" ,") for m in EUROPEAN_STREET.finditer(header)]
    found += [m.group(0).strip(" ,") for m in EUROPEAN_ADDRESS.finditer(text)]
    for country in ADDRESS_COUNTRIES:
        found += [str(a.full_address).strip(" ,") for a in pyap.parse(text, country=country)]
    return found


def _with_scheme(url: str) -> str:
    return url if "://" in url else f"https://{url}"


def _source_text(cv: CV) -> str:
    return cv.origin.text if cv.origin is not None and cv.origin.text else ""


def _key(placeholder: str) -> str:
    """ "[Handle 1]", "[HANDLE_1]" -> "HANDLE_1"."""
    inner = placeholder.strip("[] \t").upper()
    return re.sub(r"[ _]?(\d+)$", r"_\1", inner)


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _flexible(value: str) -> str:
    """A regex for `value` with any spacing inside it, that does not match inside a longer
    word ("Ana" in "Analytics")."""
    body = r"\s+".join(re.escape(part) for part in value.split())
    start = r"(?<![\w])" if value[:1].isalnum() else ""
    end = r"(?![\w])" if value[-1:].isalnum() else ""
    return f"{start}{body}{end}"


def _unique(values: Iterable[str]) -> list[str]:
    stripped = (value.strip() for value in values)
    return list(dict.fromkeys(value for value in stripped if len(value) >= 3))


def _map_strings(value: Any, change: Any) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: _map_strings(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_strings(item, change) for item in value]
    return value
