"""What a rendered CV shows a reader: its text, with every link's address, per output format;
and each CV read, rewritten and rendered once for all the tests that check them."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import tailor
from tailor.cv.layout import segments
from tailor.cv.model import CV
from tailor.cv.patterns import bare_url
from tailor.renderers import render_bytes
from tailor.rewriter.conservation import normal, readable
from tailor.rewriter.model import TailoredCV

_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "p", "div", "li", "ul", "header", "section", "tr", "td")


def shown_text(data: bytes, fmt: str) -> str:
    """The text an output shows, followed by the address of each of its links."""
    if fmt == "md":  # "[label](address)" as a reader sees it, then the address
        return readable(data.decode("utf-8"))
    if fmt == "html":
        import lxml.html

        page = lxml.html.fromstring(data)
        for element in page.iter(*_HTML_BLOCKS):  # a browser sets blocks apart
            element.tail = "\n" + (element.tail or "")
        return "\n".join([page.text_content(), *page.xpath("//a/@href")])
    if fmt == "docx":
        import docx

        document = docx.Document(io.BytesIO(data))
        lines = []
        for paragraph in document.paragraphs:
            lines.append(paragraph.text)
            lines += [link.url for link in paragraph.hyperlinks]
        return "\n".join(lines)
    if fmt == "pdf":
        import pdfplumber

        from tailor.cv.readers.pdf import extract_text

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            links = [str(link.get("uri")) for page in pdf.pages for link in page.hyperlinks]
        return "\n".join([extract_text(data).text, *links])
    raise ValueError(f"unknown format {fmt}")


def as_read(text: str) -> str:
    """A line as tailor's PDF and DOCX readers give it back, in the form pieces are compared:
    a link as its label and then its address in brackets, unless the label is the address."""
    return normal(
        "".join(
            f"{part.text} ({part.url})"
            if part.url and bare_url(part.url) != bare_url(part.text)
            else part.text
            for part in segments(text)
        )
    )


def header_links(cv: CV) -> set[str]:
    """The addresses of a CV's header: its site and its profiles', without their schemes."""
    return {bare_url(u) for u in [cv.basics.url, *(p.url for p in cv.basics.profiles)] if u}


@cache
def loaded(path: Path) -> CV:
    """The CV at `path`, read once (shared: a test must not change it)."""
    return tailor.load_cv(path)


@cache
def tailored(path: Path, target: str) -> TailoredCV:
    """The offline rewrite of the CV at `path` for `target` (rewritten once; shared: a test must
    not change it). It rewrites a copy of the reading, so that `loaded(path)` stays the source
    a test holds the result to, whatever the rewrite does to its input."""
    return tailor.rewrite(loaded(path).model_copy(deep=True), target)


@cache
def rendered(path: Path, target: str, fmt: str, theme: str | None = None) -> bytes:
    """The offline rewrite of the CV at `path` for `target`, rendered as `fmt` in `theme`
    (None: the default) once."""
    result = tailored(path, target)
    return render_bytes(result.cv, fmt, result.section_order, theme)
