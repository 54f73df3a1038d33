"""The DOCX renderer: Word's styles, clickable links, our reader reads it back, safe text."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm

import tailor
from tailor.cv.layout import layout, plain
from tailor.renderers.docx import FIXED_TIME, render, xml_safe
from tests.conftest import CVS, EXAMPLES

JORDAN = EXAMPLES / "jordan-reyes.md"
ROUND_TRIP = [EXAMPLES / "jordan-reyes.md", EXAMPLES / "casey-morgan.md"]


def _word(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def _styled(word: Any, style: str) -> list[str]:
    return [p.text for p in word.paragraphs if p.style.name == style]


def _links(word: Any) -> dict[str, str]:
    """Each hyperlink's visible text and its external target."""
    links: dict[str, str] = {}
    rels = word.part.rels
    for link in word.element.body.iter(qn("w:hyperlink")):
        rel = rels[link.get(qn("r:id"))]
        assert rel.is_external and rel.reltype == RELATIONSHIP_TYPE.HYPERLINK
        text = "".join(node.text or "" for node in link.iter(qn("w:t")))
        links[text] = rel.target_ref
    return links


def _part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


# -- Word structure --------------------------------------------------------------------------


def test_name_sections_and_entries_use_words_heading_styles() -> None:
    cv = tailor.load_cv(JORDAN)
    word = _word(render(cv, ["skills", "education", "work", "projects"]))
    assert word.paragraphs[0].text == "Jordan Reyes"
    assert word.paragraphs[0].style.name == "Title"
    sections = _styled(word, "Heading 1")
    assert sections[:4] == ["Skills", "Education", "Experience", "Selected Projects"]
    assert sections == [
        s.title for s in layout(cv, ["skills", "education", "work", "projects"]).sections
    ]
    # the organisation's line of each role's two-line header, its place at the right tab
    assert _styled(word, "Heading 2")[:2] == [
        "Northwind Robotics\tAustin, TX",
        "Quillfeather Labs\tRemote (Denver, CO)",
    ]


def test_the_title_line_is_italic_with_its_dates_at_a_right_tab_under_its_heading() -> None:
    word = _word(render(tailor.load_cv(JORDAN)))
    texts = [p.text for p in word.paragraphs]
    title = word.paragraphs[texts.index("Senior Machine Learning Engineer\tMar 2022 – Present")]
    assert word.paragraphs[texts.index(title.text) - 1].style.name == "Heading 2"
    assert title.runs[0].italic and not title.runs[-1].italic
    (stop,) = title.paragraph_format.tab_stops
    section = word.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    assert stop.alignment == WD_TAB_ALIGNMENT.RIGHT and abs(stop.position - width) < Cm(0.01)


@pytest.mark.parametrize("path", [*ROUND_TRIP, EXAMPLES / "jordan-reyes.json", CVS / "long.md"])
def test_every_bullet_is_a_word_list_bullet_with_its_text(path: Path) -> None:
    cv = tailor.load_cv(path)
    document = layout(cv)
    word = _word(render(cv))
    listed = _styled(word, "List Bullet")
    bullets = [plain(bullet.text) for bullet in cv.bullets()]
    assert bullets
    for bullet in bullets:
        assert bullet in listed
    items = sum(len(section.items) for section in document.sections if not section.rows)
    assert len(listed) == len(bullets) + items
    assert not any(p.text.lstrip().startswith("•") for p in word.paragraphs)
    # the style is a real Word list, numbered through numbering.xml
    assert word.styles["List Bullet"].element.pPr.numPr is not None


def test_skills_are_label_value_rows_with_bold_labels() -> None:
    word = _word(render(tailor.load_cv(JORDAN)))
    skill = next(p for p in word.paragraphs if p.text.startswith("ML: "))
    assert skill.text == "ML: PyTorch, FSDP, TensorRT, XGBoost, JAX"
    assert skill.style.name == "Normal"  # a row, not a bullet
    assert skill.runs[0].text == "ML:" and skill.runs[0].bold
    assert not skill.runs[-1].bold


def test_page_is_a4_with_small_dark_headings() -> None:
    word = _word(render(tailor.load_cv(JORDAN)))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.cm, 1) == 1.6
    assert word.styles["Normal"].font.size.pt == 10.5
    heading = word.styles["Heading 1"].font
    assert heading.size.pt <= 12
    assert str(heading.color.rgb) == "222222"
    assert "asciiTheme" not in word.styles["Heading 1"].element.rPr.rFonts.xml


# -- links -----------------------------------------------------------------------------------


def test_contact_and_project_links_are_clickable() -> None:
    word = _word(render(tailor.load_cv(JORDAN)))
    links = _links(word)
    assert links["jordan.reyes@example.com"] == "mailto:jordan.reyes@example.com"
    assert links["jordanreyes.example.com"] == "https://jordanreyes.example.com"
    assert links["github.com/jordan-reyes-example"] == "https://github.com/jordan-reyes-example"
    # a project's link is behind its name, not printed after its description
    assert links["driftwatch"] == "https://github.com/jordan-reyes-example/driftwatch"
    assert links["PocketOCR"] == "https://pocketocr.example.com"
    assert not [p.text for p in word.paragraphs if "pocketocr.example.com" in p.text]
    assert links["example.org/abs/2311.04417"] == "https://example.org/abs/2311.04417"
    run = word.element.body.find(f".//{qn('w:hyperlink')}/{qn('w:r')}")
    assert run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == "Hyperlink"


def test_project_url_not_in_its_description_is_linked() -> None:
    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.json")
    links = _links(_word(render(cv)))
    assert links["PocketOCR"] == "https://pocketocr.example.com"


# -- our reader reads it back ----------------------------------------------------------------


@pytest.mark.parametrize("path", ROUND_TRIP)
def test_our_docx_reader_reads_the_same_cv_back(path: Path) -> None:
    cv = tailor.load_cv(path)
    back = tailor.read_cv(render(cv), name="cv.docx")

    def roles(source: tailor.CV) -> list[tuple[str | None, ...]]:
        return [(w.position, w.name, w.start_date, w.end_date, w.location) for w in source.work]

    assert back.basics.name == cv.basics.name
    assert back.basics.email == cv.basics.email
    assert roles(back) == roles(cv)
    assert [plain(b.text) for b in back.bullets()] == [plain(b.text) for b in cv.bullets()]
    assert [e.institution for e in back.education] == [e.institution for e in cv.education]
    assert [s.keywords for s in back.skills] == [s.keywords for s in cv.skills]
    assert [p.name for p in back.projects] == [p.name for p in cv.projects]
    assert back.basics.summary == cv.basics.summary


# -- text XML cannot hold --------------------------------------------------------------------


def test_xml_safe_drops_control_characters_and_keeps_markup_characters() -> None:
    assert xml_safe('a < b & "c"') == 'a < b & "c"'
    assert xml_safe("line\x0bbreak\x0cpage") == "line break page"
    assert xml_safe("bell\x07\x00\x1f\ufffe done") == "bell done"
    assert xml_safe("tab\tnew\nline") == "tab\tnew\nline"


def test_markup_and_control_characters_do_not_break_the_document() -> None:
    cv = tailor.load_cv(JORDAN)
    cv.basics.name = 'Jo <"Jr"> & Co\x07'
    cv.work[0].highlights[0].text = 'Cut <p95> latency & cost by "half"\x0bwith\x07 batching'
    data = render(cv)
    word = _word(data)
    assert word.paragraphs[0].text == 'Jo <"Jr"> & Co'
    assert 'Cut <p95> latency & cost by "half" with batching' in _styled(word, "List Bullet")
    assert word.core_properties.author == 'Jo <"Jr"> & Co'


# -- reproducible output and metadata --------------------------------------------------------


def test_two_renders_are_identical() -> None:
    cv = tailor.load_cv(JORDAN)
    first, second = render(cv), render(cv)
    assert _part(first, "word/document.xml") == _part(second, "word/document.xml")
    assert _part(first, "docProps/core.xml") == _part(second, "docProps/core.xml")
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {entry.date_time for entry in package.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_metadata_is_the_users_not_python_docx_s() -> None:
    data = render(tailor.load_cv(JORDAN))
    properties = _word(data).core_properties
    assert properties.title == "Jordan Reyes — CV"
    assert properties.author == "Jordan Reyes"
    assert properties.comments == ""
    assert properties.created == properties.modified == FIXED_TIME
    assert b"python-docx" not in _part(data, "docProps/core.xml")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "docProps/thumbnail.jpeg" not in package.namelist()


def test_importing_the_renderer_does_not_import_python_docx() -> None:
    code = "import sys, tailor.renderers.docx; print('docx' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"
