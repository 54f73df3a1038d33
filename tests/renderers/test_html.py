"""The HTML renderer: one self-contained, printable page, every bullet shown, nothing unsafe."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

import tailor
from tailor.cv.layout import plain
from tailor.renderers import render_bytes
from tests.conftest import EXAMPLES, TEXT_CVS, cv_from_markdown

JORDAN = EXAMPLES / "jordan-reyes.md"
SOURCES = TEXT_CVS
IDS = [path.name for path in SOURCES]
_VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "area", "base", "col"}


class Page(HTMLParser):
    """What a browser would see: declarations, elements, attributes, and each element's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.declarations: list[str] = []
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str | None]] = []  # (tag, name, value)
        self.texts: dict[str, list[str]] = {}  # tag -> the text of each such element
        self.links: list[tuple[str, str | None]] = []  # (text, href) of each <a>
        self._open: list[tuple[str, list[str], str | None]] = []
        self.feed(html)
        self.close()
        assert not self._open, f"unclosed elements: {[tag for tag, _, _ in self._open]}"

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attributes.extend((tag, name, value) for name, value in attrs)
        if tag not in _VOID:
            self._open.append((tag, [], dict(attrs).get("href")))

    def handle_endtag(self, tag: str) -> None:
        assert self._open and self._open[-1][0] == tag, f"</{tag}> closes {self._open[-1:]}"
        _, parts, href = self._open.pop()
        text = "".join(parts)
        self.texts.setdefault(tag, []).append(text)
        if tag == "a":
            self.links.append((text, href))

    def handle_data(self, data: str) -> None:
        for _, parts, _ in self._open:
            parts.append(data)

    def text(self, tag: str) -> list[str]:
        return self.texts.get(tag, [])


def _page(cv: tailor.CV, section_order: list[str] | None = None) -> Page:
    return Page(render_bytes(cv, "html", section_order).decode("utf-8"))


# -- one self-contained document -------------------------------------------------------------


def test_one_document_titled_with_the_name() -> None:
    data = render_bytes(tailor.load_cv(JORDAN), "html")
    assert data.startswith(b"<!doctype html>")
    page = Page(data.decode("utf-8"))
    assert page.declarations == ["doctype html"]
    assert (page.tags["html"], page.tags["head"], page.tags["body"], page.tags["title"]) == (
        1,
        1,
        1,
        1,
    )
    assert "Jordan Reyes" in page.text("title")[0]
    assert page.text("h1") == ["Jordan Reyes"]
    assert ("charset", "utf-8") in [(name, value) for _, name, value in page.attributes]


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_no_external_assets(path: Path) -> None:
    page = _page(tailor.load_cv(path))
    for tag in ("link", "script", "img", "iframe", "object", "embed", "picture", "video"):
        assert page.tags[tag] == 0, tag
    assert not [a for a in page.attributes if a[1] in ("src", "srcset", "background")]
    # the only addresses are links the reader can follow
    for tag, name, value in page.attributes:
        if value and "://" in value:
            assert (tag, name) == ("a", "href"), (tag, name, value)
    styles = page.text("style")
    assert len(styles) == 1
    assert "url(" not in styles[0].lower()
    assert "@import" not in styles[0].lower()


def test_page_and_print_rules_exist() -> None:
    (style,) = _page(tailor.load_cv(JORDAN)).text("style")
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", style)
    assert re.search(r"@media\s+print\s*\{", style)


# -- content ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_every_bullet_is_the_text_of_a_list_item(path: Path) -> None:
    cv = tailor.load_cv(path)
    items = _page(cv).text("li")
    bullets = [plain(bullet.text) for bullet in cv.bullets()]
    assert bullets
    missing = [bullet for bullet in bullets if bullet not in items]
    assert not missing


def test_section_titles_follow_the_given_order() -> None:
    page = _page(tailor.load_cv(JORDAN), ["skills", "education", "work", "projects"])
    assert page.text("h2") == [
        "Skills",
        "Education",
        "Experience",
        "Selected Projects",
        "Summary",
        "Publications",
        "Awards",
        "Languages",
    ]


def test_a_json_resume_source_gets_readable_titles_with_its_summary_first() -> None:
    """JSON Resume keys ("work") are not titles a user wrote; the summary leads, as in Markdown."""
    page = _page(tailor.load_cv(EXAMPLES / "jordan-reyes.json"))
    assert page.text("h2") == [
        "Summary",
        "Experience",
        "Education",
        "Awards",
        "Publications",
        "Skills",
        "Languages",
        "Projects",
    ]


# -- escaping and links ----------------------------------------------------------------------


def test_markup_in_the_cv_is_escaped() -> None:
    cv = tailor.load_cv(JORDAN)
    cv.basics.name = "Jo <b>Bold</b> & Co"
    bullet = 'Cut <script>alert(1)</script> latency & cost by "half" <img src=x onerror=alert(2)>'
    cv.work[0].highlights[0].text = bullet
    data = render_bytes(cv, "html")
    page = Page(data.decode("utf-8"))
    assert page.tags["script"] == page.tags["b"] == page.tags["img"] == 0
    assert bullet in page.text("li")
    assert page.text("h1") == ["Jo <b>Bold</b> & Co"]
    assert page.text("title")[0].startswith("Jo <b>Bold</b> & Co")
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in data
    assert b"latency &amp; cost" in data


def _with_bullet(text: str, url: str | None = None) -> tailor.CV:
    cv = cv_from_markdown(
        "# Ada Example\n\nada@example.com\n\n## Experience\n\n"
        f"### Engineer — Acme\n\n*Jan 2020 – Present*\n\n- {text}\n"
    )
    if url is not None:
        cv.basics.url = url
    return cv


def test_only_web_and_mail_links_are_clickable() -> None:
    cv = _with_bullet(
        "See [x](javascript:alert(1)), [y](JavaScript:alert(2)), [z](data:text/html,hi) "
        "and [the docs](https://example.com/docs) or [mail](mailto:ada@example.com)",
        url="javascript:alert(3)",
    )
    page = _page(cv)
    hrefs = [href or "" for _, href in page.links]
    assert not [h for h in hrefs if not h.startswith(("https://", "http://", "mailto:"))]
    assert ("the docs", "https://example.com/docs") in page.links
    assert ("mail", "mailto:ada@example.com") in page.links
    assert ("x", "javascript:alert(1") not in page.links
    # the labels are still shown, as text
    (item,) = [li for li in page.text("li") if li.startswith("See ")]
    assert item.startswith("See x")
    assert "javascript:alert(3)" in page.text("p")[0]


def test_a_quote_in_a_link_cannot_add_attributes() -> None:
    page = _page(_with_bullet('Read [this](https://example.com/"onmouseover="alert(1))'))
    assert not [a for a in page.attributes if a[1].startswith("on")]
    (href,) = [href for text, href in page.links if text == "this"]
    assert href == 'https://example.com/"onmouseover="alert(1)'  # escaped, one attribute


def test_contact_email_is_a_mailto_link() -> None:
    page = _page(tailor.load_cv(JORDAN))
    assert ("jordan.reyes@example.com", "mailto:jordan.reyes@example.com") in page.links
    assert ("jordanreyes.example.com", "https://jordanreyes.example.com") in page.links
    # the phone number is shown, not linked
    assert not [text for text, _ in page.links if "555-0142" in text]
