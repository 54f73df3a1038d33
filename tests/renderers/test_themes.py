"""Themes: each looks its own in the PDF (its own fonts), the HTML and the DOCX follow it, and
every theme keeps tailor's guarantees: two pages, the two-line headers and rows read back,
links behind their names, the same bytes twice, the user's text literal."""

from __future__ import annotations

import functools
import io
import json
import re
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pdfplumber
import pytest
from pypdf import PdfReader

import tailor
from tailor.cv.layout import layout
from tailor.errors import UserError
from tailor.renderers import render_bytes
from tailor.renderers.letter import letter_bytes
from tailor.renderers.themes import DEFAULT_THEME, themes
from tests.conftest import ALL_CVS, EXAMPLES, cv_from_markdown
from tests.rendered import loaded, rendered, tailored
from tests.renderers.test_letter import letter_page

THEMES = [theme.name for theme in themes()]
TARGETS = ("frontier-lab", "production-ml", "startup")
JORDAN = EXAMPLES / "jordan-reyes.md"
CASEY = EXAMPLES / "casey-morgan.md"
EXAMPLE_CVS = [path for path in ALL_CVS if path.parent == EXAMPLES]
PROJECT_LINKS = {
    "driftwatch": "https://github.com/jordan-reyes-example/driftwatch",
    "PocketOCR": "https://pocketocr.example.com",
}


@functools.cache
def _render(path: Path, fmt: str, theme: str) -> bytes:
    return render_bytes(loaded(path), fmt, None, theme)


def _fonts(data: bytes) -> set[str]:
    """The base font names a PDF uses, without their subset prefix ("ABCDEF+Lato-Bold")."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def _squeezed(name: str) -> str:
    return name.replace(" ", "").lower()


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


# -- the themes, and choosing one ------------------------------------------------------------


def test_there_are_three_themes_the_default_first() -> None:
    assert len(THEMES) >= 3
    assert THEMES[0] == DEFAULT_THEME
    assert len({theme.font for theme in themes()}) == len(THEMES)


@pytest.mark.parametrize("fmt", ["md", "json", "html", "docx", "pdf"])
def test_an_unknown_theme_is_a_user_error_naming_the_themes(fmt: str) -> None:
    with pytest.raises(UserError) as raised:
        render_bytes(loaded(JORDAN), fmt, None, "baroque")
    assert "baroque" in str(raised.value)
    assert all(name in str(raised.value) for name in THEMES)


def test_no_theme_is_the_default_theme() -> None:
    for fmt in ("html", "docx", "pdf"):
        assert render_bytes(loaded(JORDAN), fmt) == _render(JORDAN, fmt, DEFAULT_THEME)


def test_markdown_and_json_look_the_same_in_every_theme() -> None:
    for fmt in ("md", "json"):
        assert len({_render(JORDAN, fmt, theme) for theme in THEMES}) == 1


# -- each theme its own look, the same in every format ---------------------------------------


def test_each_theme_gives_a_distinct_pdf_in_its_own_fonts() -> None:
    fonts = {theme.name: _fonts(_render(JORDAN, "pdf", theme.name)) for theme in themes()}
    assert len({_render(JORDAN, "pdf", theme) for theme in THEMES}) == len(THEMES)
    for theme in themes():
        own = fonts[theme.name]
        assert own and all(_squeezed(theme.font) in _squeezed(name) for name in own), own
        assert len([name for name in own if "bold" in name.lower()]) >= 1
        others = set().union(*(fonts[name] for name in THEMES if name != theme.name))
        assert not own & others


@pytest.mark.parametrize("theme", themes(), ids=lambda theme: theme.name)
def test_html_and_docx_name_the_pdfs_family(theme: Any) -> None:
    page = lxml.html.fromstring(_render(JORDAN, "html", theme.name))
    style = page.xpath("//style")[0].text
    family = re.search(r"body \{[^}]*font-family: ([^;]+);", style)
    assert family and family.group(1).startswith(f'"{theme.font}", ')
    assert family.group(1).rstrip().endswith("serif")  # a generic family last
    assert theme.accent in style
    word = docx.Document(io.BytesIO(_render(JORDAN, "docx", theme.name)))
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        assert word.styles[name].font.name == theme.font, name
    assert word.styles["Normal"].font.size.pt == theme.body_size


@pytest.mark.parametrize("theme", THEMES)
def test_a_letter_wears_its_themes_header_and_fonts(theme: str) -> None:
    page = letter_page(
        loaded(JORDAN),
        greeting="Dear Ada,",
        paragraphs=["A paragraph."],
        closing="Thanks,",
        title="Jordan Reyes — cover letter",
    )
    font = next(t.font for t in themes() if t.name == theme)
    assert all(
        _squeezed(font) in _squeezed(name) for name in _fonts(letter_bytes(page, ".pdf", theme))
    )
    html = letter_bytes(page, ".html", theme).decode()
    assert f'font-family: "{font}"' in html
    word = docx.Document(io.BytesIO(letter_bytes(page, ".docx", theme)))
    assert word.styles["Normal"].font.name == font


# -- the guarantees, in every theme ----------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("path", EXAMPLE_CVS, ids=lambda path: path.name)
def test_every_example_and_its_tailored_versions_fit_on_two_pages(path: Path, theme: str) -> None:
    assert _pages(_render(path, "pdf", theme)) <= 2
    for target in TARGETS:
        assert _pages(rendered(path, target, "pdf", theme)) <= 2, target


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("path", [JORDAN, CASEY], ids=lambda path: path.name)
def test_the_two_line_headers_read_back_to_the_same_roles(path: Path, fmt: str, theme: str) -> None:
    source = loaded(path)
    back = tailor.read_cv(_render(path, fmt, theme), name=f"cv.{fmt}")
    fields = ("name", "position", "location", "start_date", "end_date")
    assert [[getattr(w, f) for f in fields] for w in back.work] == [
        [getattr(w, f) for f in fields] for w in source.work
    ]
    assert back.skills == source.skills
    assert [(e.institution, e.start_date, e.end_date) for e in back.education] == [
        (e.institution, e.start_date, e.end_date) for e in source.education
    ]
    assert back.origin is not None and back.origin.warnings == []


@pytest.mark.parametrize("theme", THEMES)
def test_the_pdf_sets_place_and_dates_right_of_the_two_header_lines(theme: str) -> None:
    with pdfplumber.open(io.BytesIO(_render(JORDAN, "pdf", theme))) as pdf:
        page = pdf.pages[0]
        right_edge = page.width - min(char["x0"] for char in page.chars)
        lines = page.extract_text_lines()
    texts = [line["text"] for line in lines]
    for entry in layout(loaded(JORDAN)).sections[1].entries:
        organisation = texts.index(f"{entry.organization} {entry.location}")
        assert texts[organisation + 1] == f"{entry.title} {entry.dates}"
        for line in lines[organisation : organisation + 2]:  # flush right, at the margin
            assert abs(line["x1"] - right_edge) < 2
        bold = {
            c["fontname"]
            for c in lines[organisation]["chars"][: len(entry.organization.replace(" ", ""))]
        }
        assert all("bold" in name.lower() for name in bold)


@pytest.mark.parametrize("theme", THEMES)
def test_skills_and_education_are_label_value_rows_not_bullets(theme: str) -> None:
    word = docx.Document(io.BytesIO(_render(JORDAN, "docx", theme)))
    rows = [p for p in word.paragraphs if p.text.startswith(("ML: ", "Master of Science"))]
    assert "ML: PyTorch, FSDP, TensorRT, XGBoost, JAX" in [p.text for p in rows]
    assert len(rows) == 2
    assert {p.style.name for p in rows} == {"Normal"} and all(p.runs[0].bold for p in rows)
    page = lxml.html.fromstring(_render(JORDAN, "html", theme))
    shown = [p.text_content() for p in page.xpath("//section[@class='skills']//p[@class='row']")]
    assert shown[0] == "ML: PyTorch, FSDP, TensorRT, XGBoost, JAX"
    assert not page.xpath("//section[@class='skills']//li")
    text = pdfplumber.open(io.BytesIO(_render(JORDAN, "pdf", theme))).pages[-1].extract_text()
    assert "\nML: PyTorch, FSDP, TensorRT, XGBoost, JAX\n" in f"\n{text}\n"


DEGREES = """# Ada Example

## Education

### M.Sc. Computer Science, Westbrook University
2019 - 2021

### B.Sc. Mathematics, Carrow State University of Applied Science and Technology
2015 - 2019

Thesis on sparse probabilistic localisation for indoor robots with cheap laser range finders.
"""


@pytest.mark.parametrize("theme", THEMES)
def test_a_degrees_dates_stand_right_when_its_row_fits_and_unbroken_in_it_when_not(
    theme: str,
) -> None:
    cv = cv_from_markdown(DEGREES)
    [short, long] = layout(cv).sections[0].items
    assert short.columns is not None and short.columns[1] == "2019 – 2021"
    assert "2019 – 2021" in short.text and "2019 – 2021" not in short.columns[0]
    assert long.columns is not None and long.columns[1] == "2015 – 2019"  # the PDF measures
    with pdfplumber.open(io.BytesIO(render_bytes(cv, "pdf", theme=theme))) as pdf:
        page = pdf.pages[0]
        lines = [
            line
            for line in page.extract_text_lines()
            if "Sc" in line["text"] or "20" in line["text"]
        ]
        right_edge = page.width - min(char["x0"] for char in page.chars)
    texts = [line["text"] for line in lines]
    assert texts[0].startswith("M.Sc., Computer Science, Westbrook University")
    assert texts[0].endswith("2019 – 2021") and abs(lines[0]["x1"] - right_edge) < 2
    assert any("Technology, 2015 – 2019;" in text for text in texts[1:])  # the long row, whole
    assert not any(text.endswith(("2015", "2015 –")) for text in texts)
    word = docx.Document(io.BytesIO(render_bytes(cv, "docx", theme=theme)))
    rows = [p.text for p in word.paragraphs if "Sc" in p.text]
    assert rows[0] == "M.Sc., Computer Science, Westbrook University\t2019 – 2021"
    assert rows[1] == f"B.Sc., Mathematics, {long.text}"  # too long for a line: as written
    page_html = lxml.html.fromstring(render_bytes(cv, "html", theme=theme))
    [dates] = page_html.xpath("//section[@class='education']//p[1]/span[@class='right']/text()")
    assert dates == "2019 – 2021"
    back = tailor.read_cv(render_bytes(cv, "pdf", theme=theme), name="cv.pdf")
    assert [(e.start_date, e.end_date) for e in back.education] == [
        ("2019", "2021"),
        ("2015", "2019"),
    ]


@pytest.mark.parametrize("theme", THEMES)
def test_a_projects_link_is_behind_its_name_not_printed_after_its_summary(theme: str) -> None:
    for path in (JORDAN, EXAMPLES / "jordan-reyes.json"):
        with pdfplumber.open(io.BytesIO(_render(path, "pdf", theme))) as pdf:
            text = "\n".join(page.extract_text() for page in pdf.pages)
            links = {
                page.crop((link["x0"], link["top"], link["x1"], link["bottom"]))
                .extract_text()
                .strip(): link["uri"]
                for page in pdf.pages
                for link in page.hyperlinks
            }
        page = lxml.html.fromstring(_render(path, "html", theme))
        html_links = {a.text_content(): a.get("href") for a in page.xpath("//a")}
        word = docx.Document(io.BytesIO(_render(path, "docx", theme)))
        docx_links = {link.text: link.url for p in word.paragraphs for link in p.hyperlinks}
        for name, url in PROJECT_LINKS.items():
            assert links[name] == html_links[name] == docx_links[name] == url
        for shown in (text, page.text_content(), "\n".join(p.text for p in word.paragraphs)):
            assert "pocketocr.example.com" not in shown
            assert "github.com/jordan-reyes-example/driftwatch" not in shown


def test_markdown_still_writes_a_projects_address() -> None:
    markdown = _render(JORDAN, "md", DEFAULT_THEME).decode()
    assert "[pocketocr.example.com](https://pocketocr.example.com)" in markdown
    back = tailor.read_cv(markdown.encode(), name="cv.md")
    assert [p.url for p in back.projects] == [p.url for p in loaded(JORDAN).projects]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_the_same_cv_gives_the_same_bytes(fmt: str, theme: str) -> None:
    cv = tailored(CASEY, "startup").cv
    assert render_bytes(cv, fmt, None, theme) == render_bytes(cv, fmt, None, theme)


@pytest.mark.parametrize("theme", THEMES)
def test_user_text_stays_literal(theme: str) -> None:
    hostile = "#set text(size: 40pt) *not bold* $x$ <b>not html</b> @ref // no comment"
    resume = {
        "basics": {"name": "Ada #strong[Lovelace]"},
        "work": [
            {
                "name": "Acme <corp>",
                "position": "Lead // engineer",
                "location": "$HOME",
                "startDate": "2021-02",
                "highlights": [hostile],
            }
        ],
        "skills": [{"name": "ML #x", "keywords": ["<i>"]}],
    }
    cv = tailor.read_cv(json.dumps(resume).encode(), name="cv.json")
    with pdfplumber.open(io.BytesIO(render_bytes(cv, "pdf", None, theme))) as pdf:
        text = " ".join(pdf.pages[0].extract_text().split())
        assert max(char["size"] for char in pdf.pages[0].chars) < 30
    for shown in ("Ada #strong[Lovelace]", "Acme <corp> $HOME", "ML #x: <i>", hostile):
        assert " ".join(shown.split()) in text
    page = lxml.html.fromstring(render_bytes(cv, "html", None, theme))
    assert not page.xpath("//b|//i")
    assert hostile in page.text_content()


def test_a_missing_font_family_is_an_error_not_another_face(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A theme whose family rendercv-fonts lacks would fall back to another face unseen."""
    from tailor.errors import TailorError
    from tailor.renderers import themes as themes_module

    assert len(themes_module.font_folders()) == len({t.font for t in themes()})
    odd = themes()[0].model_copy(update={"font": "No Such Family"})
    monkeypatch.setattr(themes_module, "themes", lambda: [odd])
    with pytest.raises(TailorError, match="rendercv-fonts has no No Such Family: reinstall tailor"):
        themes_module.font_folders()


def test_a_docx_row_in_capitals_is_measured_wider() -> None:
    """Word cannot be asked where a line ends: capitals count wider, so a row of them too
    long to sit beside its dates keeps its whole text rather than break the range."""
    school = "WESTBROOK INSTITUTE OF TECHNOLOGY AND SCIENCE, CAMBRIDGE, MA"  # 86 with its dates
    cv = cv_from_markdown(f"# Ada\n\n## Education\n\n### MSC, {school}\nSep 2016 - Jun 2018\n")
    [row] = [
        p.text
        for p in docx.Document(io.BytesIO(render_bytes(cv, "docx"))).paragraphs
        if "MSC" in p.text
    ]
    assert "\t" not in row and row.endswith("Sep 2016 – Jun 2018")
    short = cv_from_markdown("# Ada\n\n## Education\n\n### MSC, MIT\nSep 2016 - Jun 2018\n")
    [row] = [
        p.text
        for p in docx.Document(io.BytesIO(render_bytes(short, "docx"))).paragraphs
        if "MSC" in p.text
    ]
    assert row.endswith("\tSep 2016 – Jun 2018")
