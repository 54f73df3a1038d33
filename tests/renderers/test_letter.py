"""A cover letter in every format: it reads back whole, under the CV's own header, on one page,
its words shown as text (never markup), reproducibly."""

from __future__ import annotations

import functools
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest

import tailor
from tailor.cv.layout import Contact, layout, plain
from tailor.errors import UserError
from tailor.renderers import render_bytes
from tailor.renderers.letter import (
    LETTER_FORMATS,
    LetterPage,
    letter_bytes,
    letter_format,
    to_text,
)
from tests.conftest import EXAMPLES

JORDAN = EXAMPLES / "jordan-reyes.md"
FORMATS = ("md", "txt", "html", "docx", "pdf")
# Fictional: a letter from Jordan Reyes (examples/) to Ada Quill at Quill & Lamp.
GREETING = "Dear Ada Quill,"
PARAGRAPHS = [
    "I am writing about the applied research engineer role at Quill & Lamp, whose work on "
    "evaluation tooling I have followed since your team's post at https://example.org/quill.",
    "Over the last three years I moved a ranking service from nightly batches to online "
    "inference, and I kept its p95 latency under 80 ms while traffic grew fourfold.",
    "I would welcome a conversation about how that experience could help your team ship "
    "models that people trust, measured against held-out data rather than hope.",
]
CLOSING = "With thanks,"
TITLE = "Jordan Reyes — cover letter"
# Text that would be markup in Typst, HTML or Markdown if a renderer ever read it as such.
HOSTILE = (
    '#sys.exit() #read("/etc/passwd") $x$ *bold* _it_ <script>alert(1)</script> '
    "= not a heading // not a comment [content] & ampersand"
)
# A 400-word letter: a sentence of 20 words, 20 times, in five paragraphs.
SENTENCE = (
    "Our evaluation harness compared every candidate model against held-out production traffic "
    "before release, and reviewers signed off on the results."
)


@functools.cache
def _cv() -> tailor.CV:
    return tailor.load_cv(JORDAN)


def letter_page(
    cv: tailor.CV, *, greeting: str, paragraphs: list[str], closing: str, title: str
) -> LetterPage:
    """A page under `cv`'s header as the CV lays it out, signed with its name."""
    header = layout(cv)
    return LetterPage(
        name=header.name,
        label=header.label,
        contacts=header.contacts,
        greeting=greeting,
        paragraphs=paragraphs,
        closing=closing,
        signature=header.name,
        title=title,
    )


@functools.cache
def _page() -> LetterPage:
    return letter_page(
        _cv(), greeting=GREETING, paragraphs=PARAGRAPHS, closing=CLOSING, title=TITLE
    )


@functools.cache
def _render(fmt: str) -> bytes:
    return letter_bytes(_page(), fmt)


def _hostile_page() -> LetterPage:
    return LetterPage(
        name="Ada Quill",
        label="Research Engineer",
        contacts=[Contact("ada.quill@example.com", "mailto:ada.quill@example.com")],
        greeting=f"Dear {HOSTILE}",
        paragraphs=[HOSTILE, "Vertical\x0btab and a\x00null and a form\x0cfeed."],
        closing=f"Yours, {HOSTILE}",
        signature="Ada Quill",
        title="Ada Quill — cover letter",
    )


def _flat(text: str) -> str:
    """Whitespace collapsed, and no space after a hyphen (a line may break after one)."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


class _Html(HTMLParser):
    """The tags a browser would build and the text it would show."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.parts: list[str] = []
        self._in_head = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_head += tag in ("head", "script")

    def handle_endtag(self, tag: str) -> None:
        self._in_head -= tag in ("head", "script")

    def handle_data(self, data: str) -> None:
        if not self._in_head:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _word(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def _pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _read_back(fmt: str, data: bytes) -> str:
    """The text a reader of the format sees, whitespace collapsed."""
    if fmt == "pdf":
        return _flat(" ".join(_pdf_pages(data)))
    if fmt == "docx":
        return _flat(" ".join(paragraph.text for paragraph in _word(data).paragraphs))
    if fmt == "html":
        return _flat(_Html(data.decode("utf-8")).text)
    text = data.decode("utf-8")
    if fmt == "md":  # links as their labels, the hard break gone
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("\\\n", "\n")
    return _flat(text)


def _header(html: bytes) -> str:
    text = html.decode("utf-8")
    return text[text.index("<header>") : text.index("</header>")]


def _style(html: bytes) -> list[str]:
    text = html.decode("utf-8")
    return text[text.index("<style>") : text.index("</style>")].splitlines()


# -- every format, read back whole -----------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_back_whole(fmt: str) -> None:
    text = _read_back(fmt, _render(fmt))
    page = _page()
    expected = [GREETING, *map(plain, PARAGRAPHS), CLOSING, page.signature, page.name]
    expected += [contact.text for contact in page.contacts]
    assert page.label and page.contacts  # the header has every part to show
    expected.append(page.label)
    missing = [part for part in expected if _flat(part) not in text]
    assert not missing, f"{fmt}: {missing}"
    # in the letter's order: the header, the greeting, the paragraphs, the closing, the name
    positions = [text.index(_flat(part)) for part in [GREETING, *PARAGRAPHS, CLOSING]]
    assert positions == sorted(positions) and text.index(page.name) < positions[0]
    assert text.rindex(page.signature) > positions[-1]


@pytest.mark.parametrize("suffix", sorted(LETTER_FORMATS))
def test_every_letter_suffix_renders_in_its_format(suffix: str) -> None:
    fmt = {"markdown": "md", "text": "txt"}.get(LETTER_FORMATS[suffix], LETTER_FORMATS[suffix])
    assert letter_bytes(_page(), suffix) == _render(fmt)


def test_a_bare_page_renders_in_every_format() -> None:
    """No label, no contacts, no greeting, no closing: what is there shows, and nothing else."""
    page = LetterPage(
        name="Ada Quill",
        label=None,
        contacts=[],
        greeting="",
        paragraphs=["A single paragraph."],
        closing="",
        signature="Ada Quill",
        title="Ada Quill — cover letter",
    )
    for fmt in FORMATS:
        text = _read_back(fmt, letter_bytes(page, fmt))
        assert text.count("Ada Quill") == 2 and "A single paragraph." in text, fmt
    assert b"<br>" not in letter_bytes(page, "html")
    assert letter_bytes(page, "md").decode() == "# Ada Quill\n\nA single paragraph.\n\nAda Quill\n"


# -- the CV's header -------------------------------------------------------------------------


def test_html_has_the_cvs_header_and_its_style() -> None:
    cv_html, letter_html = render_bytes(_cv(), "html"), _render("html")
    assert _header(letter_html) == _header(cv_html)
    header_rules = [
        line for line in _style(cv_html) if re.match(r"\s*(header|h1|\.label|\.contacts)\b", line)
    ]
    assert len(header_rules) >= 4
    assert set(header_rules) <= set(_style(letter_html))
    assert f"<title>{TITLE}</title>" in letter_html.decode()


def test_html_letter_body_is_set_larger_than_the_cv() -> None:
    page = _Html(_render("html").decode())
    assert page.tags.count("h1") == 1 and "h2" not in page.tags  # a header, no CV sections
    assert any(
        re.search(r"\.letter \{[^}]*font-size: 11pt", line) for line in _style(_render("html"))
    )


def test_markdown_starts_with_the_cvs_header() -> None:
    cv_blocks = render_bytes(_cv(), "md").decode().split("\n\n")
    letter_blocks = _render("md").decode().split("\n\n")
    assert letter_blocks[:2] == cv_blocks[:2]
    assert letter_blocks[0] == f"# {_page().name}"
    # the closing and the name on two lines of one paragraph, joined by a hard break
    assert letter_blocks[-1] == f"{CLOSING}\\\n{_page().signature}\n"


def test_docx_has_the_cvs_header_paragraphs() -> None:
    cv_word, letter_word = _word(render_bytes(_cv(), "docx")), _word(_render("docx"))
    cv_head, letter_head = cv_word.paragraphs[:3], letter_word.paragraphs[:3]
    assert [p.style.name for p in letter_head] == ["Title", "Subtitle", "Normal"]
    assert letter_head[0].text == _page().name
    assert [p._p.xml for p in letter_head] == [p._p.xml for p in cv_head]
    body = letter_word.paragraphs[3:]
    assert {p.style.name for p in body} == {"Normal"}
    assert [p.text for p in body] == [GREETING, *PARAGRAPHS, f"{CLOSING}\n{_page().signature}"]
    assert letter_word.core_properties.title == TITLE


def test_pdf_shows_the_header_on_page_one() -> None:
    (first,) = _pdf_pages(_render("pdf"))
    assert first.splitlines()[0].strip() == _page().name
    head = _flat(first[: first.index(GREETING)])
    assert _page().label in head
    assert all(contact.text in head for contact in _page().contacts)
    metadata = pypdf.PdfReader(io.BytesIO(_render("pdf"))).metadata
    assert metadata is not None and metadata.title == TITLE and metadata.author == _page().name


# -- one page --------------------------------------------------------------------------------


def test_a_400_word_letter_is_one_page() -> None:
    paragraphs = [" ".join([SENTENCE] * 4) for _ in range(5)]
    assert sum(len(p.split()) for p in paragraphs) == 400
    page = letter_page(
        _cv(), greeting=GREETING, paragraphs=paragraphs, closing=CLOSING, title=TITLE
    )
    pages = _pdf_pages(letter_bytes(page, "pdf"))
    assert len(pages) == 1
    assert _flat(pages[0]).endswith(f"{CLOSING} {page.signature}")


def test_a_letter_too_long_for_one_page_runs_on_whole() -> None:
    paragraphs = [" ".join([SENTENCE] * 10) for _ in range(6)]  # 1,200 words
    page = letter_page(
        _cv(), greeting=GREETING, paragraphs=paragraphs, closing=CLOSING, title=TITLE
    )
    pages = _pdf_pages(letter_bytes(page, "pdf"))
    assert len(pages) == 2
    assert _flat(" ".join(pages)).count(_flat(SENTENCE)) == 60


# -- the user's words are text ---------------------------------------------------------------


def test_markup_in_a_letter_shows_literally_in_the_pdf() -> None:
    text = _read_back("pdf", letter_bytes(_hostile_page(), "pdf"))
    assert text.count(_flat(HOSTILE)) == 3  # greeting, paragraph, closing
    assert "Vertical tab" in text


def test_markup_in_a_letter_is_escaped_in_html() -> None:
    html = letter_bytes(_hostile_page(), "html").decode("utf-8")
    page = _Html(html)
    assert "script" not in page.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert _flat(page.text).count(_flat(HOSTILE)) == 3


def test_characters_xml_forbids_do_not_break_the_docx() -> None:
    word = _word(letter_bytes(_hostile_page(), "docx"))
    texts = [p.text for p in word.paragraphs]
    assert "Vertical tab and anull and a form feed." in texts
    assert sum(HOSTILE in text for text in texts) == 3


def test_markup_in_a_letter_is_kept_verbatim_in_markdown_and_text() -> None:
    for fmt in ("md", "txt"):
        assert letter_bytes(_hostile_page(), fmt).decode().count(HOSTILE) == 3, fmt


# -- reproducible ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_same_letter_gives_the_same_bytes(fmt: str) -> None:
    assert letter_bytes(_page(), fmt) == _render(fmt)


# -- formats ---------------------------------------------------------------------------------


def test_an_unknown_suffix_is_refused_naming_the_letter_formats() -> None:
    with pytest.raises(UserError) as raised:
        letter_format(Path("letter.rtf"))
    message = str(raised.value)
    assert "'.rtf' is not a letter format" in message
    assert all(suffix in message.split() or f"{suffix})" in message for suffix in LETTER_FORMATS)
    with pytest.raises(UserError):
        letter_bytes(_page(), ".rtf")


@pytest.mark.parametrize("suffix", [".txt", "txt", ".TXT"])
def test_text_is_to_text(suffix: str) -> None:
    assert letter_bytes(_page(), suffix) == to_text(_page()).encode("utf-8")
