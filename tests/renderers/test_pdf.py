"""The PDF renderer: what the PDF says, its page budget, reading it back, links, literal text."""

from __future__ import annotations

import collections
import functools
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

import tailor
from tailor.cv.layout import layout, plain
from tailor.cv.model import CV, Bullet, Work
from tailor.renderers import pdf
from tests.conftest import CVS, EXAMPLES

CV_SUFFIXES = (".md", ".txt", ".json", ".yaml", ".docx", ".pdf")
EXAMPLE_CVS = sorted(path for path in EXAMPLES.iterdir() if path.name.endswith(CV_SUFFIXES))
EXAMPLE_CVS = [path for path in EXAMPLE_CVS if path.name != "README.md"]
ROUND_TRIP_CVS = [EXAMPLES / "jordan-reyes.md", EXAMPLES / "casey-morgan.md"]
CUSTOM_ORDER = ["skills", "education", "projects", "work", "summary"]
# Text that would be Typst markup if the template ever evaluated the user's words.
MARKUP = [
    "#set text(size: 40pt)",
    '#read("/etc/hostname")',
    "*not bold*",
    "_not italic_",
    "$x^2 + y$",
    "@not-a-reference",
    "<not-a-label>",
    "back\\slash \\ and \\n",
    "// not a comment",
    "/* not a block comment */",
    "[not content] and ]",
    "= Not a heading",
    "--- no em dash, ... no ellipsis, ~ no space",
    "`not raw` and ```nor this```",
    "\"straight quotes\" and 'single'",
]


@functools.cache
def _cv(path: Path) -> CV:
    return tailor.load_cv(path)


@functools.cache
def _render(path: Path, order: tuple[str, ...] | None = None) -> bytes:
    return pdf.render(_cv(path), order)


def _flat(text: str) -> str:
    """Whitespace collapsed, and no space after a hyphen (a line may break after one)."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return "\n".join(page.extract_text() for page in document.pages)


def _pages(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return len(document.pages)


def _body_size(data: bytes) -> float:
    """The size of most characters on the first page: the body text's."""
    with pdfplumber.open(io.BytesIO(data)) as document:
        sizes = collections.Counter(
            round(float(char["size"]), 1) for char in document.pages[0].chars
        )
    return sizes.most_common(1)[0][0]


def _with_bullets(cv: CV, count: int) -> CV:
    """A copy of `cv` whose first role has `count` more one-line bullets."""
    padded = cv.model_copy(deep=True)
    padded.work[0].highlights += [
        Bullet(text=f"Added bullet {n} to lengthen the CV by about one line of text on the page.")
        for n in range(count)
    ]
    return padded


# --- What the PDF says ------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_CVS, ids=lambda path: path.name)
def test_every_example_shows_its_name_bullets_and_titles(path: Path) -> None:
    cv = _cv(path)
    text = _flat(_text(_render(path)))
    assert cv.basics.name
    assert _flat(cv.basics.name) in text
    bullets = [bullet.text for bullet in cv.bullets()]
    assert bullets
    assert [b for b in bullets if _flat(plain(b)) not in text] == []
    for section in layout(cv).sections:
        assert section.title.upper() in text


@pytest.mark.parametrize("path", EXAMPLE_CVS, ids=lambda path: path.name)
def test_sections_come_in_the_order_given(path: Path) -> None:
    lines = _text(_render(path, tuple(CUSTOM_ORDER))).splitlines()
    sections = layout(_cv(path), CUSTOM_ORDER).sections
    placed = [section.kind for section in sections if section.kind in CUSTOM_ORDER]
    assert placed == [kind for kind in CUSTOM_ORDER if kind in placed]
    positions = [lines.index(section.title.upper()) for section in sections]
    assert positions == sorted(positions)


def test_a_role_shows_its_place_and_dates_on_its_two_header_lines() -> None:
    path = EXAMPLES / "jordan-reyes.md"
    lines = _text(_render(path)).splitlines()
    entries = [entry for section in layout(_cv(path)).sections for entry in section.entries]
    dated = [entry for entry in entries if entry.dates]
    assert len(dated) == 3
    for entry in dated:  # "Northwind Robotics Austin, TX" over "Senior ... Mar 2022 – Present"
        organisation = lines.index(f"{entry.organization} {entry.location}")
        assert lines[organisation + 1] == f"{entry.title} {entry.dates}"


def test_the_document_title_and_author_are_set() -> None:
    with pdfplumber.open(io.BytesIO(_render(EXAMPLES / "jordan-reyes.md"))) as document:
        assert document.metadata["Title"] == "Jordan Reyes — CV"
        assert document.metadata["Author"] == "Jordan Reyes"


# --- The page budget ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_CVS, ids=lambda path: path.name)
def test_every_example_fits_on_two_pages(path: Path) -> None:
    assert _pages(_render(path)) <= 2


def test_a_cv_too_long_for_two_pages_runs_on_at_the_smallest_size() -> None:
    data = _render(CVS / "long.md")
    assert _pages(data) > 2
    assert _body_size(data) == pdf.BODY_SIZES[-1]


def test_a_cv_just_over_two_pages_is_set_a_size_smaller(monkeypatch: pytest.MonkeyPatch) -> None:
    cv = _cv(EXAMPLES / "jordan-reyes.md")
    with monkeypatch.context() as patch:
        patch.setattr(pdf, "BODY_SIZES", pdf.BODY_SIZES[:1])
        assert _pages(pdf.render(cv)) <= 2
        # the fewest added bullets that push the CV onto a third page at the default size
        low, high = 0, 80
        assert _pages(pdf.render(_with_bullets(cv, high))) > 2
        while high - low > 1:
            middle = (low + high) // 2
            if _pages(pdf.render(_with_bullets(cv, middle))) > 2:
                high = middle
            else:
                low = middle
    data = pdf.render(_with_bullets(cv, high))
    assert _pages(data) == 2
    assert _body_size(data) == pdf.BODY_SIZES[1]


def test_a_cv_that_fits_keeps_the_default_size() -> None:
    assert _body_size(_render(EXAMPLES / "jordan-reyes.md")) == pdf.BODY_SIZES[0]


# --- Reading the PDF back --------------------------------------------------------------------


@pytest.mark.parametrize("path", ROUND_TRIP_CVS, ids=lambda path: path.name)
def test_our_pdf_reader_reads_the_roles_and_bullets_back(path: Path) -> None:
    source = _cv(path)
    back = tailor.read_cv(_render(path), name="cv.pdf")
    for field in ("name", "label", "email", "phone"):
        assert getattr(back.basics, field) == getattr(source.basics, field)
    assert [_role(work) for work in back.work] == [_role(work) for work in source.work]
    assert [b.text for b in back.bullets()] == [b.text for b in source.bullets()]
    assert [e.institution for e in back.education] == [e.institution for e in source.education]
    assert back.skills == source.skills
    for read, written in zip(back.work, source.work, strict=True):
        # "Austin, TX" reads back as the place; "Remote (Denver, CO)" does not look like one
        # to the reader, which keeps it as the start of the role's summary.
        if read.location is None:
            assert written.location and (read.summary or "").startswith(written.location)
        else:
            assert read.location == written.location


def _role(work: Work) -> tuple[str | None, ...]:
    return (work.position, work.name, work.start_date, work.end_date)


# --- Links, literal text, the same bytes -----------------------------------------------------


def test_contact_links_are_clickable_on_their_text() -> None:
    path = EXAMPLES / "jordan-reyes.md"
    contacts = [c for c in layout(_cv(path)).contacts if c.url]
    assert len(contacts) == 3
    with pdfplumber.open(io.BytesIO(_render(path))) as document:
        page = document.pages[0]
        links = {
            link["uri"]: page.crop((link["x0"], link["top"], link["x1"], link["bottom"]))
            .extract_text()
            .strip()
            for link in page.hyperlinks
        }
    for contact in contacts:
        assert links.get(contact.url) == contact.text


def test_user_text_is_never_read_as_typst_markup() -> None:
    resume = {
        "basics": {"name": "Ada #strong[Lovelace] *Byron*", "label": "Engineer $1 + 1$"},
        "work": [
            {
                "name": "Acme <corp> [Labs]",
                "position": "Lead // engineer",
                "startDate": "2021-02",
                "highlights": [f"Bullet {n}: {markup}" for n, markup in enumerate(MARKUP)],
            }
        ],
    }
    cv = tailor.read_cv(json.dumps(resume).encode(), name="cv.json")
    data = pdf.render(cv)
    text = " ".join(_text(data).split())
    for shown in [*(f"Bullet {n}: {m}" for n, m in enumerate(MARKUP)), "Engineer $1 + 1$"]:
        assert " ".join(shown.split()) in text
    assert "Ada #strong[Lovelace] *Byron*" in text
    assert "Acme <corp> [Labs]" in text and "Lead // engineer" in text
    with pdfplumber.open(io.BytesIO(data)) as document:
        assert document.metadata["Title"] == "Ada #strong[Lovelace] *Byron* — CV"
        assert max(char["size"] for char in document.pages[0].chars) < 30  # no 40 pt text


def test_a_cv_with_empty_fields_renders() -> None:
    resume = {
        "basics": {"name": ""},
        "work": [{"position": "Engineer", "highlights": [""]}, {"name": "Acme"}],
        "skills": [{"name": "Python"}, {"name": "", "keywords": []}],
        "references": [{"name": "Sam Lee"}],
    }
    cv = tailor.read_cv(json.dumps(resume).encode(), name="cv.json")
    text = _text(pdf.render(cv))
    assert "Engineer" in text
    assert "Sam Lee" in text


def test_the_same_cv_gives_the_same_bytes() -> None:
    cv = _cv(EXAMPLES / "casey-morgan.md")
    data = pdf.render(cv)
    assert data == pdf.render(cv)
    # a fixed date, not the time of rendering: two renders a second apart agree too
    with pdfplumber.open(io.BytesIO(data)) as document:
        assert document.metadata["CreationDate"] == pdf.TIMESTAMP.strftime("D:%Y%m%d%H%M%SZ")


def test_a_template_error_is_a_runtime_error_with_typsts_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    template = tmp_path / "cv.typ"
    template.write_text("#let cv = json(bytes(sys.inputs.cv))\n#no-such-function(cv.name)\n")
    monkeypatch.setattr(pdf, "TEMPLATE", template)
    with pytest.raises(RuntimeError, match="no-such-function") as raised:
        pdf.render(_cv(EXAMPLES / "casey-morgan.md"))
    assert "Casey" not in str(raised.value)


def test_importing_the_renderer_does_not_import_typst() -> None:
    code = "import sys, tailor.renderers.pdf; print('typst' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"
