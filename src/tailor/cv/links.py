"""Links as a CV writes them: whether something written like a link is one ("anaquill.dev" is;
"Node.js/TypeScript", "ASP.NET" and "B.Sc/M.Sc" are not), and whether a label behind which the
PDF and DOCX readers find a link already shows its address."""

from __future__ import annotations

from tailor.cv.patterns import bare_url

# endings of file names and languages, never of a site ("Node.js", "main.py")
CODE_SUFFIXES = frozenset(
    {"js", "ts", "py", "rs", "go", "md", "txt", "sh", "cpp", "java", "rb", "kt"}
)


def looks_like_link(url: str, *, profile_host: bool = False) -> bool:
    """Whether `url` is a link: its host must end like a domain, and without a scheme it must
    be written in lower case (a profile site's host, such as GitHub.com, in any case)."""
    host = url.split("://", 1)[-1].split("/", 1)[0]
    ending = host.rsplit(".", 1)[-1].lower()
    if not ending.isalpha() or len(ending) < 2 or ending in CODE_SUFFIXES:
        return False
    has_scheme = "://" in url or url.lower().startswith("www.")
    return has_scheme or profile_host or host == host.lower()


def shows_address(label: str, url: str) -> bool:
    """Whether a link's visible label already shows its web address (with or without scheme)."""
    return bare_url(url) in label.lower()
