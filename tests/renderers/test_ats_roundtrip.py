"""What tailor writes survives an applicant tracking system: every example CV, tailored for
every target and rendered as PDF and DOCX in every theme, reads back whole with tailor's own
readers, and its PDF's text, extracted by pdfplumber and by pypdf, holds every bullet in
reading order."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import tailor
from tailor.cv.layout import layout, plain
from tailor.cv.model import CV
from tailor.cv.patterns import bare_url
from tailor.renderers.themes import themes
from tailor.rewriter.conservation import normal
from tests.conftest import EVERY_CV, EXAMPLES
from tests.rendered import as_read, header_links, rendered, tailored

TARGETS = ("frontier-lab", "production-ml", "startup")
THEMES = [theme.name for theme in themes()]


# every example in every target, format and theme; how every other CV of the repository reads
# back is a figure (evals/roundtrip.py), and that each loses nothing is
# tests/rewriter/test_conservation.py's check of every CV in every theme
CASES = [
    (path, target, fmt, theme)
    for path in dict.fromkeys(EVERY_CV)
    if path.parent == EXAMPLES
    for target in TARGETS
    for fmt in ("pdf", "docx")
    for theme in THEMES
]


def ids(value: object) -> str:
    return f"{value.parent.name}/{value.name}" if isinstance(value, Path) else str(value)


def roles(cv: CV) -> list[tuple[str | None, ...]]:
    return [(w.position, w.name, w.location, w.start_date, w.end_date) for w in cv.work]


def projects(cv: CV) -> list[tuple[str | None, str | None]]:
    return [(p.name, bare_url(p.url) if p.url else None) for p in cv.projects]


@pytest.mark.parametrize(("path", "target", "fmt", "theme"), CASES, ids=ids)
def test_a_rendered_cv_reads_back_whole(path: Path, target: str, fmt: str, theme: str) -> None:
    written = tailored(path, target).cv
    back = tailor.read_cv(rendered(path, target, fmt, theme), name=f"cv.{fmt}")
    assert back.basics.name == written.basics.name
    assert back.basics.email == written.basics.email
    assert re.sub(r"\D", "", back.basics.phone or "") == re.sub(
        r"\D", "", written.basics.phone or ""
    )
    assert header_links(written) <= header_links(back)
    assert roles(back) == roles(written)
    assert projects(back) == projects(written)
    assert [as_read(b.text) for b in back.bullets()] == [as_read(b.text) for b in written.bullets()]
    assert [(e.institution, e.start_date, e.end_date) for e in back.education] == [
        (e.institution, e.start_date, e.end_date) for e in written.education
    ]
    assert back.origin is not None and back.origin.warnings == []


def pdfplumber_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pypdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def words(text: str) -> str:
    """Text as a tracking system compares it: its words, lower case, any spacing."""
    return " ".join(re.findall(r"[^\W_]+", normal(text)))


@pytest.mark.parametrize("extract", [pdfplumber_text, pypdf_text], ids=["pdfplumber", "pypdf"])
@pytest.mark.parametrize(
    ("path", "target", "theme"),
    [(path, target, theme) for path, target, fmt, theme in CASES if fmt == "pdf"],
    ids=ids,
)
def test_every_bullet_is_in_the_pdf_text_in_reading_order(
    path: Path, target: str, theme: str, extract: object
) -> None:
    assert callable(extract)
    text = words(extract(rendered(path, target, "pdf", theme)))
    result = tailored(path, target)
    document = layout(result.cv, result.section_order)
    bullets = [b for section in document.sections for e in section.entries for b in e.bullets]
    assert len(bullets) == len(list(result.cv.bullets()))
    position = 0
    for bullet in bullets:  # in the order the page shows them
        found = text.find(words(plain(bullet)), position)
        assert found >= 0, bullet
        position = found
