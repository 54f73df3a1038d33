"""Read a job posting file into plain text: text, Markdown, HTML, PDF, or a JSON job.

HTML is reduced to its visible text: scripts, styles, comments and anything a browser would
not show (display:none, hidden, white or zero-size text) are dropped before the text is taken,
so a page cannot hide instructions to an AI from the person reading it. JSON follows the JSON
Resume project's job schema (title, company, description, responsibilities, qualifications,
skills).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tailor import limits
from tailor.errors import UserError
from tailor.limits import load_json

FORMATS = ("text", "markdown", "html", "pdf", "json")
_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".json": "json",
}
# styles that hide an element from a reader
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])"
    r"|opacity\s*:\s*0(?![.\d]*[1-9])",
    re.I,
)
# white or transparent text and text of a pixel or so: invisible on the usual white page
_WHITE = r"(?:#fff(?:fff)?\b|white\b|rgba?\(\s*255\s*,\s*255\s*,\s*255\b|transparent\b)"
_WHITE_TEXT = re.compile(rf"(?<![-\w])color\s*:\s*{_WHITE}", re.I)
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([^;]+)", re.I)
_TINY_TEXT = re.compile(r"font-size\s*:\s*(?:0?\.\d+|1)(?:px|pt)\b", re.I)
# a style sheet's rules that hide a class or an id: ".seo-text { display: none }"
_HIDING_RULE = re.compile(r"(?<![^{}])([^{}]++)\{([^}]*+)\}")  # from a brace or the start


@dataclass(frozen=True)
class PostingDocument:
    """A posting's text and what its format states about it outright."""

    source: str
    text: str
    title: str | None = None
    company: str | None = None


def read_posting_file(path: str | Path) -> PostingDocument:
    """Read the posting at `path` (`-` reads standard input)."""
    data = limits.read_limited(path, limit=limits.POSTING_BYTES, what="job posting")
    return read_posting(data, name="<stdin>" if str(path) == "-" else str(path))


def read_posting(data: bytes, *, name: str = "<posting>") -> PostingDocument:
    """Parse posting bytes, by `name`'s extension, else by content."""
    if len(data) > limits.POSTING_BYTES:
        raise UserError(limits.too_large(name, "job posting", limits.POSTING_BYTES))
    if not data.strip():
        raise UserError(f"{name} is empty")
    fmt = _EXTENSIONS.get(Path(name).suffix.lower()) or _sniff(data)
    try:
        document = _parse(data, fmt, name)
    except UserError as error:
        raise UserError(f"{name}: {error}") from None
    if not document.text.strip():
        raise UserError(f"{name}: no text found in the posting")
    limits.check_text(document.text, name=name)
    return document


def _sniff(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return "pdf"
    from tailor.cv.readers import head_text

    text = head_text(data[:8192]).lower()  # as decoded: a UTF-16 page is HTML all the same
    head = text.lstrip("\ufeff \t\r\n")[:200]
    if head.startswith(("<!doctype html", "<html")) or "<body" in text:
        return "html"
    if head.startswith("{"):
        return "json"
    return "text"


def _parse(data: bytes, fmt: str, name: str) -> PostingDocument:
    if fmt == "pdf":
        from tailor.cv.readers.pdf import extract_text

        return PostingDocument(name, extract_text(data).text)
    from tailor.cv.readers import decode_text

    text = decode_text(data, kind="a job posting", formats=FORMATS)
    if fmt == "html":
        return _from_html(text, name)
    if fmt == "json":
        return _from_json(text, name)
    return PostingDocument(name, text)


def _from_html(html: str, name: str) -> PostingDocument:
    import lxml.html
    from inscriptis import Inscriptis
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(html)
    except (ParserError, ValueError) as error:
        raise UserError(f"not readable as HTML ({error})") from None
    title = tree.findtext(".//title")
    hidden_classes, hidden_ids = _hidden_selectors(tree)
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        style = element.get("style", "")
        if (
            element.tag in ("script", "style", "template", "noscript", "head")
            or "hidden" in element.attrib
            or element.get("aria-hidden") == "true"
            or _HIDDEN_STYLE.search(style)
            or _invisible_text(style)
            or set(element.get("class", "").split()) & hidden_classes
            or element.get("id") in hidden_ids
        ):
            element.drop_tree()
    for comment in tree.xpath("//comment()"):
        comment.drop_tree()
    text = Inscriptis(tree).get_text()
    return PostingDocument(name, text, title=title.strip() if title else None)


def _invisible_text(style: str) -> bool:
    """White text on no background of its own or on white (a dark theme sets one), or text
    too small to read."""
    if _TINY_TEXT.search(style):
        return True
    if not _WHITE_TEXT.search(style):
        return False
    background = _BACKGROUND.search(style)
    return background is None or re.match(_WHITE, background.group(1).strip(), re.I) is not None


def _hidden_selectors(tree: Any) -> tuple[set[str], set[str]]:
    """The classes and ids the page's style sheets hide (simple selectors only)."""
    classes: set[str] = set()
    ids: set[str] = set()
    for sheet in tree.iter("style"):
        for selectors, body in _HIDING_RULE.findall(sheet.text or ""):
            if not _HIDDEN_STYLE.search(body):
                continue
            for selector in selectors.split(","):
                selector = selector.strip()
                if re.fullmatch(r"\.[\w-]+", selector):
                    classes.add(selector[1:])
                elif re.fullmatch(r"#[\w-]+", selector):
                    ids.add(selector[1:])
    return classes, ids


def _from_json(text: str, name: str) -> PostingDocument:
    job = load_json(text, name="the JSON")
    if not isinstance(job, dict):
        raise UserError("a JSON posting must be an object in the JSON Resume job schema")
    if "basics" in job or "work" in job:
        raise UserError("this is a CV in JSON Resume form, not a job posting")
    lines: list[str] = []
    for key in ("title", "company", "description"):
        if isinstance(job.get(key), str):
            lines += [job[key], ""]
    for key, heading in (
        ("responsibilities", "Responsibilities:"),
        ("qualifications", "Qualifications:"),
    ):
        value = job.get(key) or []
        items = [value] if isinstance(value, str) else [i for i in value if isinstance(i, str)]
        if items:
            lines += [heading, *(f"- {item}" for item in items), ""]
    # the schema's skills are the job's stack: keywords, not requirement lines of their own
    skills = [_skill_line(skill) for skill in job.get("skills") or [] if isinstance(skill, dict)]
    if any(skills):
        lines += ["Stack:", *(f"- {line}" for line in skills if line), ""]
    if isinstance(job.get("experience"), str):
        lines += [f"Experience level: {job['experience']}"]
    if not any(line.strip() for line in lines):
        raise UserError("no title, description or qualifications in this JSON job")
    return PostingDocument(
        name, "\n".join(lines), title=_string(job.get("title")), company=_string(job.get("company"))
    )


def _skill_line(skill: dict[str, Any]) -> str:
    name = _string(skill.get("name")) or ""
    keywords = [k for k in skill.get("keywords") or [] if isinstance(k, str)]
    return f"{name}: {', '.join(keywords)}" if name and keywords else name or ", ".join(keywords)


def _string(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
