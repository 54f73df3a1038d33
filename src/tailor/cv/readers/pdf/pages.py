"""A PDF's pages as positioned words, read with pdfplumber within tailor's limits: icon fonts
left out, drawn soft hyphens and unmapped bullets read as what they show, and each link's
address written after its label."""

from __future__ import annotations

import dataclasses
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from tailor import limits
from tailor.cv.links import shows_address
from tailor.cv.readers.pdf.budget import budget
from tailor.cv.readers.pdf.geometry import PageWords, Word
from tailor.cv.readers.pdf.hyphens import SOFT_HYPHEN
from tailor.errors import UserError

if TYPE_CHECKING:
    from pdfplumber.page import Page


# A gap wider than this fraction of the font size starts a new word. pdfTeX shrinks interword
# space to ~0.19 em at most (Times) or ~0.22 em (Computer Modern); kerns that widen a word stay
# under ~0.05 em. 0.12 em sits between the two.
X_TOLERANCE_RATIO = 0.12

_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")


def read_pages(data: bytes) -> list[PageWords]:
    """Every page's width and words, within the limits on pages, text and time; any parser
    failure becomes a UserError."""
    import pdfplumber

    deadline = limits.Deadline("the PDF")
    pages: list[PageWords] = []
    with _quiet_pdf_loggers(), budget(deadline):
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                if len(pdf.pages) > limits.PDF_PAGES:
                    raise UserError(
                        f"the PDF has {len(pdf.pages):,} pages; the limit is {limits.PDF_PAGES}"
                    )
                for page in pdf.pages:
                    _check_page_text(page)
                    addresses = tuple(str(link.get("uri") or "") for link in page.hyperlinks)
                    pages.append(
                        PageWords(
                            float(page.width), float(page.height), _page_words(page), addresses
                        )
                    )
                    page.close()  # its parsed objects are not needed again
                    deadline.check()
        except UserError:
            raise
        # pdfminer raises anything from its own PSEOF to KeyError on malformed files.
        except Exception as exc:
            # a limit's refusal from within pdfminer comes wrapped (PdfminerException(error))
            refusal = next((arg for arg in exc.args if isinstance(arg, UserError)), None)
            if refusal is not None:
                raise refusal from None
            raise UserError(f"could not read PDF: {_reason(exc)}") from exc
    if not pages:
        raise UserError("could not read PDF: it has no pages")
    return pages


# a string a page's content shows, (literal) or <hex>; and a drawing of an XObject, "/X0 Do"
_SHOWN_STRING = re.compile(
    rb"\((?:[^()\\]|\\.)*+\)|<[0-9A-Fa-f\s]*+>|/([^\s/\[\]()<>{}%]++)\s++Do\b"
)

_FORM_DEPTH = 4  # forms drawn inside forms; deeper is no real document


def _check_page_text(page: Page) -> None:
    """Refuse a page whose content shows more text than `limits.PDF_PAGE_TEXT_BYTES`, counted
    before the parser lays out every character (about 40 µs each): the text its content shows,
    and that of each form (XObject) it draws, as often as it draws it."""
    from pdfminer.pdftypes import resolve1

    resources = resolve1(page.page_obj.resources) or {}
    streams = [resolve1(reference) for reference in page.page_obj.contents]
    if _shown_bytes(streams, resources, depth=0) > limits.PDF_PAGE_TEXT_BYTES:
        raise UserError(
            f"page {page.page_number} of the PDF shows over {limits.PDF_PAGE_TEXT_BYTES:,} "
            "bytes of text, the limit for a page"
        )


def _shown_bytes(streams: list[Any], resources: Any, depth: int) -> int:
    """The bytes of text `streams` show, with the forms they draw; past the limit, the count
    stops early (a form drawn a thousand times is not counted a thousand times over)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    if depth > _FORM_DEPTH:
        return limits.PDF_PAGE_TEXT_BYTES + 1
    forms = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    shown = 0
    for stream in streams:
        if not isinstance(stream, PDFStream):
            continue
        for match in _SHOWN_STRING.finditer(stream.get_data()):
            text = match.group()
            if match.group(1) is not None:  # a drawing: the form's own text
                form = resolve1(forms.get(match.group(1).decode("latin-1"))) if forms else None
                if isinstance(form, PDFStream) and _is_form(form):
                    inner = resolve1(form.attrs.get("Resources")) or resources
                    shown += _shown_bytes([form], inner, depth + 1)
            else:
                shown += len(text) - 2 if text.startswith(b"(") else len(text) // 2
            if shown > limits.PDF_PAGE_TEXT_BYTES:
                return shown
    return shown


def _is_form(stream: Any) -> bool:
    return getattr(stream.attrs.get("Subtype"), "name", None) == "Form"


def _page_words(page: Page) -> list[Word]:
    words = page.extract_words(x_tolerance_ratio=X_TOLERANCE_RATIO, return_chars=True)
    found = [
        Word(
            _fix_bullet(_drawn_hyphens(_without_icons(w["text"]), w["chars"])),
            w["x0"],
            w["x1"],
            w["top"],
            w["bottom"],
            max((float(c.get("size") or 0.0) for c in w["chars"]), default=0.0),
        )
        for w in words
        if not _in_icon_font(w["chars"])
    ]
    return _with_link_targets([w for w in found if w.text], page.hyperlinks)


# the fonts that draw icons, whose glyphs' names ("Map-marker", "Envelope") are no text
_ICON_FONT = re.compile(r"awesome|icons|academicons|octicons|devicon|symbols?\b", re.IGNORECASE)


def _in_icon_font(chars: list[dict[str, Any]]) -> bool:
    return bool(chars) and all(_ICON_FONT.search(str(c.get("fontname", ""))) for c in chars)


def _without_icons(text: str) -> str:
    """A word without the private-use characters icon fonts draw with (U+E000-U+F8FF)."""
    return re.sub("[\ue000-\uf8ff]", "", text)


def _drawn_hyphens(text: str, chars: list[dict[str, Any]]) -> str:
    """A word with each soft hyphen (U+00AD) that is drawn, as a hyphen: LuaTeX gives a
    template's every hyphen that code ("cross\u00adcluster", "2019 \u00ad 2021"). One drawn
    with no width is the invisible kind and stays, for `soft_hyphens_read`."""
    if SOFT_HYPHEN not in text:
        return text
    drawn = iter(
        float(c["x1"]) - float(c["x0"]) > 0.1 * float(c.get("size") or 1.0)
        for c in chars
        if c.get("text") == SOFT_HYPHEN
    )
    return "".join("-" if char == SOFT_HYPHEN and next(drawn, False) else char for char in text)


def _with_link_targets(words: list[Word], links: list[dict[str, Any]]) -> list[Word]:
    """Write each link's address after the words it covers, unless they already show it.

    A CV's "GitHub" or "Portfolio" is often a clickable label (LaTeX's \\href); the address
    is the evidence a reader follows, so it belongs in the text. It goes after the label, before
    the punctuation the link does not cover ("batchwise (https://...)," as a DOCX reads).
    """
    for uri, inside, right in _link_runs(words, links):
        shown = [words[i].text for i in inside]
        # an address the label shows, whole or broken across lines ("http://nodejs." "org")
        if not uri.startswith(("http://", "https://")) or any(
            shows_address(text, uri) for text in (" ".join(shown), "".join(shown))
        ):
            continue
        last = words[inside[-1]]
        label, after = last.text, ""
        if last.x1 > right + 1:  # the word runs on past the link: its punctuation is not linked
            label = last.text.rstrip(_TRAILING)
            label, after = (label, last.text[len(label) :]) if label else (last.text, "")
        words[inside[-1]] = dataclasses.replace(last, text=f"{label} ({uri}){after}")
    return words


# what may follow a link's label within its word, outside the link: "batchwise," "repo:"
_TRAILING = ",.;:!?)]\"'\u201d\u2019"


def _link_runs(
    words: list[Word], links: list[dict[str, Any]]
) -> list[tuple[str, list[int], float]]:
    """Each link's address with the indices of the words it covers, in order, and where the
    link ends on the right; a link a writer set in pieces (Typst gives each box in a label its
    own annotation: "contract-" "qa demo") is one run when the pieces share the address and
    cover words next to each other."""
    runs: list[tuple[str, list[int], float]] = []
    for link in links:
        uri = str(link.get("uri") or "")
        inside = [
            i
            for i, w in enumerate(words)
            if link["x0"] - 1 <= (w.x0 + w.x1) / 2 <= link["x1"] + 1
            and link["top"] - 1 <= (w.top + w.bottom) / 2 <= link["bottom"] + 1
        ]
        if not inside:
            continue
        right = float(link["x1"])
        if runs and runs[-1][0] == uri and inside[0] - runs[-1][1][-1] in (0, 1):
            merged = sorted({*runs[-1][1], *inside})
            ends = right if merged[-1] in inside else runs[-1][2]
            runs[-1] = (uri, merged, ends)
        else:
            runs.append((uri, inside, right))
    return runs


def _fix_bullet(text: str) -> str:
    # A glyph the font gives no Unicode for comes out as "(cid:N)". Standing alone as a word it
    # is a symbol, and on a CV that symbol is a bullet or a separator: reportlab writes "•" as
    # code 127, and LaTeX's \textbullet (cmsy) comes out as "(cid:136)".
    return "•" if _UNMAPPED_GLYPH.fullmatch(text) else text


@contextmanager
def _quiet_pdf_loggers() -> Iterator[None]:
    """Hide pdfminer's and pdfplumber's warnings about harmless quirks while reading."""
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _reason(exc: Exception) -> str:
    """A short one-line reason for a parser failure."""
    # pdfplumber wraps pdfminer's exception as the first argument of its own.
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    if "Password" in type(cause).__name__:
        return "it is password-protected; save a copy without the password"
    lines = str(cause).strip().splitlines()
    reason = lines[0] if lines else ""
    return reason[:100] or type(cause).__name__
