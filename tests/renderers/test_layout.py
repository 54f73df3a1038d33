"""The shared layout: which links become clickable, in every output format."""

from __future__ import annotations

import io
import zipfile

import pdfplumber
import pytest

import tailor
from tailor.cv.layout import Segment, link_target, segments
from tailor.renderers import render_bytes
from tests.conftest import cv_from_markdown

UNSAFE = "javascript:alert(1)"


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://example.com/a", "https://example.com/a"),
        ("HTTP://example.com", "HTTP://example.com"),
        ("mailto:ada@example.com", "mailto:ada@example.com"),
        ("github.com/ada-example", "https://github.com/ada-example"),
        ("www.example.org", "https://www.example.org"),
        (UNSAFE, None),
        ("JavaScript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("data:text/html,<b>x</b>", None),
        ("vbscript:msgbox", None),
    ],
)
def test_only_web_and_mail_links_become_clickable(url: str, target: str | None) -> None:
    assert link_target(url) == target


def test_a_markdown_link_to_an_unsafe_address_keeps_only_its_label() -> None:
    assert segments(f"See [the demo]({UNSAFE}) now") == [
        Segment("See "),
        Segment("the demo", None),
        Segment(" now"),
    ]


def _unsafe_cv() -> tailor.CV:
    cv = cv_from_markdown(
        "# Ada Park\n\nML Engineer · ada@example.com\n\n## Experience\n\n"
        "### ML Engineer — Oakridge\n\n*2021 – Present*\n\n"
        f"- Built [the demo]({UNSAFE}) and [the docs](https://example.com/docs).\n"
    )
    cv.basics.url = "javascript:alert(2)"
    return cv


def test_no_format_makes_an_unsafe_link_clickable() -> None:
    cv = _unsafe_cv()
    markdown = render_bytes(cv, "md").decode()
    assert "](javascript:" not in markdown and "[the docs](https://example.com/docs)" in markdown
    html = render_bytes(cv, "html").decode()
    assert 'href="javascript:' not in html and 'href="https://example.com/docs"' in html
    with zipfile.ZipFile(io.BytesIO(render_bytes(cv, "docx"))) as archive:
        relationships = archive.read("word/_rels/document.xml.rels").decode()
    assert "javascript:" not in relationships and "https://example.com/docs" in relationships
    with pdfplumber.open(io.BytesIO(render_bytes(cv, "pdf"))) as pdf:
        uris = [link["uri"] for page in pdf.pages for link in page.hyperlinks]
    assert "https://example.com/docs" in uris
    assert not [uri for uri in uris if not uri.startswith(("https://", "mailto:"))]


def test_render_refuses_an_unknown_section(tmp_path: object) -> None:
    cv = cv_from_markdown("# Ada Park\n\n## Skills\n\n- **ML:** PyTorch\n")
    with pytest.raises(tailor.UserError, match="unknown section 'experience'"):
        tailor.render(cv, f"{tmp_path}/cv.md", section_order=["experience"])
