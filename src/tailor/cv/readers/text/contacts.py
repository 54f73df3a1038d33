"""Contact details in a line: its links, e-mail addresses and phone numbers, the network a
profile link belongs to, and the address a label links to."""

from __future__ import annotations

from urllib.parse import urlsplit

from tailor.cv.links import looks_like_link
from tailor.cv.patterns import BARE_URL, CONTACT_URL, EMAIL, PHONE_LIKE, TEXT_AND_ADDRESS


def has_contact(line: str) -> bool:
    """Whether a line holds a link, an email address or a phone number."""
    return bool(links_in(line) or EMAIL.search(line) or PHONE_LIKE.search(line))


def links_in(text: str) -> list[str]:
    """The web addresses in contact details, in the order written: with a scheme, or without
    one ("scholar.example.net/ilse", "github.com/ilse"); an e-mail's domain, "Node.js" or
    "B.Sc" is none."""
    found = [(match.start(), match.group()) for match in CONTACT_URL.finditer(text)]
    # each address is read once, and no part of an e-mail address ("ana.quill+jobs@...") is one
    rest = CONTACT_URL.sub(lambda match: " " * len(match.group()), text)
    rest = EMAIL.sub(lambda match: " " * len(match.group()), rest)
    found += [
        (match.start(), match.group())
        for match in BARE_URL.finditer(rest)
        if looks_like_link(match.group(), profile_host=network_of(match.group()) is not None)
    ]
    return [url for _, url in sorted(found)]


def is_prose(line: str) -> bool:
    """Words in sentences with no contact detail: eight words or more, most of them starting
    lower-case (a header's motto or a summary without its title, not a list of places)."""
    if has_contact(line) or "|" in line:
        return False
    words = line.split()
    return len(words) >= 8 and sum(w[:1].islower() for w in words) >= len(words) / 2


_NETWORKS = {
    "github.com": "GitHub",
    "gitlab.com": "GitLab",
    "linkedin.com": "LinkedIn",
    "huggingface.co": "Hugging Face",
    "scholar.google.com": "Google Scholar",
    "x.com": "X",
    "twitter.com": "Twitter",
    "facebook.com": "Facebook",
    "youtube.com": "YouTube",
    "quora.com": "Quora",
    "stackoverflow.com": "Stack Overflow",
    "kaggle.com": "Kaggle",
    "medium.com": "Medium",
    "orcid.org": "ORCID",
    "xing.com": "XING",
}


def network_of(url: str) -> str | None:
    """The profile network a URL belongs to, by its host ("box.com" is not X)."""
    host = (urlsplit(with_scheme(url)).hostname or "").removeprefix("www.")
    return next(
        (
            name
            for domain, name in _NETWORKS.items()
            if host == domain or host.endswith(f".{domain}")
        ),
        None,
    )


def with_scheme(url: str) -> str:
    """`url` with "https://" before it when it has no scheme."""
    return url if url.startswith(("http://", "https://")) else f"https://{url}"


def without_link(text: str | None) -> tuple[str | None, str | None]:
    """A header cell and the address a PDF or DOCX linked it to ("Acme (https://acme.io)")."""
    match = TEXT_AND_ADDRESS.fullmatch(text or "")
    return (match["text"], match["url"]) if match else (text, None)
