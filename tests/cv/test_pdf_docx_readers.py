"""The PDF and DOCX readers: words, lines and reading order, bad files, and the binary examples."""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import re
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import docx
import pdfplumber
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from reportlab.lib import pdfencrypt
from reportlab.pdfgen.canvas import Canvas

from tailor.cv.readers import docx as docx_reader
from tailor.cv.readers import pdf as pdf_reader
from tailor.cv.readers.pdf import hyphens as pdf_hyphens
from tailor.cv.readers.pdf import pages as pdf_pages
from tailor.errors import UserError
from tests.conftest import EXAMPLES
from tests.cv import pdf_fixtures as fixtures

JSON_CV: dict[str, Any] = json.loads((EXAMPLES / "jordan-reyes.json").read_text(encoding="utf-8"))


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


def _flat(text: str) -> str:
    """The text with all line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


# --- pdfTeX-style justified lines ----------------------------------------------------------------


def test_latex_fixture_is_what_pdftex_writes() -> None:
    content, offsets = fixtures.latex_content_stream()
    strings = re.findall(rb"\((.*?)(?<!\\)\)", content)
    assert strings and not any(b" " in s for s in strings)
    assert offsets and all(200 <= offset <= 400 for offset in offsets)


def test_latex_fixture_defeats_pdfplumbers_default_tolerance() -> None:
    # Proves the fixture tests something: the default x_tolerance glues shrunk words together.
    with pdfplumber.open(io.BytesIO(fixtures.latex_justified_pdf())) as pdf:
        assert "fraudscoring" in pdf.pages[0].extract_text().replace(" ", "")
        assert "fraud scoring" not in pdf.pages[0].extract_text()


def test_latex_justified_words_come_out_separated() -> None:
    text = pdf_reader.extract_text(fixtures.latex_justified_pdf()).text
    for phrase in fixtures.LATEX_PHRASES:
        assert phrase in text
    assert "fraud scoring service handling" in text
    assert not re.search(r"fraudscoring|scoringservice|Builta\b|requestsper", text)


def test_latex_justified_text_is_exactly_the_source_words() -> None:
    source = [fixtures.LATEX_TITLE, fixtures.LATEX_ROLE]
    source += [line for paragraph in fixtures.LATEX_PARAGRAPHS for line in paragraph]
    joined = " ".join(source).replace("optimi- sation", "optimisation")
    expected = joined.replace("\xad ", "").replace("\xad", "").split()
    # the name, set larger than the rest, is marked the Markdown way
    assert pdf_reader.extract_text(fixtures.latex_justified_pdf()).text.split() == ["#", *expected]


def test_hyphenated_line_end_is_joined_to_the_next_line() -> None:
    lines = _lines(pdf_reader.extract_text(fixtures.latex_justified_pdf()).text)
    joined = lines.index(
        "p99 latency, and led the rebuild of the shared feature store and its optimisation"
    )
    assert lines[joined + 1].startswith("that cut training data preparation")
    assert not any(line.endswith("optimi-") or line.startswith("sation") for line in lines)


def test_soft_hyphens_are_dropped_and_their_words_joined() -> None:
    text = pdf_reader.extract_text(fixtures.latex_justified_pdf()).text
    assert "\xad" not in text
    assert "on Kubernetes with" in text
    assert "then led all platform engineering" in text


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["the optimi-", "sation work"], ["the optimisation", "work"]),
        (["an end-to-", "end system"], ["an end-to-end", "system"]),
        (["built for Python-", "Based teams"], ["built for Python-Based", "teams"]),
        # the CV writes the word whole elsewhere, or with its hyphen
        (["man-", "agement", "the management"], ["management", "the management"]),
        (["set-", "top box", "a set-top box"], ["set-top", "box", "a set-top box"]),
        (["a multi-", "node run"], ["a multi-node", "run"]),
        # a range of dates broken after its dash goes on; a number's dash stays
        (["2019 -", "present"], ["2019 - present"]),
        (
            ["Carrow University, Sep 2012 \u2013", "May 2016 GPA 3.8"],
            ["Carrow University, Sep 2012 \u2013 May 2016", "GPA 3.8"],
        ),
        (["scored 2019 -", "the rest"], ["scored 2019 -", "the rest"]),
        # a tight dash at the line's end keeps the next word beside it
        (["pp. 101\u2013", "119. Next"], ["pp. 101\u2013119.", "Next"]),
        (["the training\u2013", "serving skew"], ["the training\u2013serving", "skew"]),
        (["2019 \u2013", "2021"], ["2019 \u2013 2021"]),
        (["2019\u2013", "2021 then"], ["2019\u20132021", "then"]),
        # an open range takes only its end, never an earlier date, a title or a heading
        (
            ["Freelance, 2019\u2013", "Senior Engineer"],
            ["Freelance, 2019\u2013", "Senior Engineer"],
        ),
        (["Acme Corp 2019\u2013", "EDUCATION"], ["Acme Corp 2019\u2013", "EDUCATION"]),
        (
            ["Jan 2019 \u2013", "2017 \u2013 2018 Beta"],
            ["Jan 2019 \u2013", "2017 \u2013 2018 Beta"],
        ),
        (["Widgets 2020 -", "2019 Best Startup"], ["Widgets 2020 -", "2019 Best Startup"]),
        (
            ["Jan 2019 \u2013", "2021 \u2013 2023 Beta"],
            ["Jan 2019 \u2013", "2021 \u2013 2023 Beta"],
        ),
        (
            ["Acme 2019 \u2013", "Now leading the team"],
            ["Acme 2019 \u2013", "Now leading the team"],
        ),
        (["Acme 2019 \u2013", "Present"], ["Acme 2019 \u2013 Present"]),
        (["Widgets 2019-", "2020 Best"], ["Widgets 2019-", "2020 Best"]),
        (["2019\u2013", "20 then"], ["2019\u201320", "then"]),
        (["the Kolmogorov\u2013", "Smirnov test"], ["the Kolmogorov\u2013Smirnov", "test"]),
        # without a link to it, a broken address stays as the lines have it
        (["see (http://nodejs.", "org) now"], ["see (http://nodejs.", "org) now"]),
        (["optimi-", "", "sation"], ["optimi-", "", "sation"]),
        (["engi\xad", "neering"], ["engineering"]),
        (["engi\xad", "neering work"], ["engineering", "work"]),
        (["Kuber\xadnetes"], ["Kubernetes"]),
    ],
)
def test_hyphen_join_rules(lines: list[str], expected: list[str]) -> None:
    assert pdf_hyphens.join_hyphenated(pdf_hyphens.soft_hyphens_read(lines)) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["see (http://nodejs.", "org) now"], ["see (http://nodejs.org)", "now"]),
        (["at https://a.example/", "docs/x"], ["at https://a.example/docs/x"]),
        # what does not make an address the page links to stays apart
        (["Docs at https://a.example.", "used by 200 teams"], None),
        (["Tailor https://a.example/", "2023 \u2013 2024"], None),
        (["Published at https://a.example/lib/", "and kept"], None),
        (["Portfolio: www.a.example/", "github.com/me"], None),
        (["see https://a.example/lib/", "and more"], None),
    ],
)
def test_a_broken_address_goes_on_only_to_an_address_the_page_links_to(
    lines: list[str], expected: list[str] | None
) -> None:
    links = {"http://nodejs.org", "https://a.example/docs/x", "https://a.example/lib"}
    assert pdf_hyphens.join_hyphenated(lines, links) == (expected or lines)


def test_blank_line_marks_a_large_vertical_gap_only() -> None:
    lines = pdf_reader.extract_text(fixtures.latex_justified_pdf()).text.splitlines()
    # The role line sits 20 pt above the first bullet; bullets are 12-16 pt apart.
    assert lines[0] == "# " + fixtures.LATEX_TITLE
    assert lines[1] == fixtures.LATEX_ROLE and lines[2] == ""
    assert lines.count("") == 1


# --- Columns --------------------------------------------------------------------------------------


def test_two_columns_are_read_one_after_the_other() -> None:
    left, right = fixtures.two_column_lines()
    lines = _lines(pdf_reader.extract_text(fixtures.two_column_pdf()).text)
    assert lines[0] == "# " + fixtures.TWO_COLUMN_NAME
    assert lines[1] == fixtures.TWO_COLUMN_CONTACT
    assert [lines.index(line) for line in left] == list(range(2, 2 + len(left)))
    assert [lines.index(line) for line in right] == list(range(2 + len(left), len(lines)))


def test_reportlab_bullets_in_a_standard_font_come_out_as_bullets() -> None:
    text = pdf_reader.extract_text(fixtures.two_column_pdf()).text
    assert "(cid:" not in text
    assert "• Shipped a retrieval-augmented writing assistant to 85,000 monthly active" in text


@pytest.mark.parametrize(
    ("make", "rows"),
    [
        (fixtures.one_column_pdf, fixtures.ONE_COLUMN_LINES),
        (fixtures.tab_stop_pdf, fixtures.TAB_STOP_LINES),
    ],
)
def test_one_column_page_is_not_split(make: Any, rows: list[tuple[str, str]]) -> None:
    # each row is one line; the wide gap before a right-aligned part reads as three spaces
    lines = _lines(pdf_reader.extract_text(make()).text)
    assert lines == ["   ".join(part for part in (first, second) if part) for first, second in rows]


def test_example_two_column_pdf_reads_the_sidebar_before_the_main_column() -> None:
    extracted = pdf_reader.extract_text((EXAMPLES / "jordan-reyes-two-column.pdf").read_bytes())
    lines = _lines(extracted.text)
    assert extracted.pages == 2
    assert lines[:2] == ["# " + JSON_CV["basics"]["name"], JSON_CV["basics"]["label"]]
    # the headings, set larger than the text, are marked the Markdown way
    sidebar = [lines.index(f"## {t}") for t in ("CONTACT", "SKILLS", "EDUCATION", "LANGUAGES")]
    main = [lines.index(f"## {t}") for t in ("SUMMARY", "EXPERIENCE", "PROJECTS", "AWARDS")]
    assert sidebar == sorted(sidebar) and main == sorted(main)
    assert max(sidebar) < min(main)


def test_example_one_column_pdf_keeps_its_order_and_blocks() -> None:
    extracted = pdf_reader.extract_text((EXAMPLES / "jordan-reyes.pdf").read_bytes())
    lines = extracted.text.splitlines()
    assert extracted.pages == 2
    titles = ["SUMMARY", "EXPERIENCE", "PROJECTS", "EDUCATION", "PUBLICATIONS", "AWARDS", "SKILLS"]
    positions = [lines.index(f"## {title}") for title in titles]  # set larger: marked
    assert positions == sorted(positions)
    assert all(lines[position - 1] == "" for position in positions)
    first_role = lines.index(
        "Senior Machine Learning Engineer — Northwind Robotics (Mar 2022 – Present)"
    )
    assert lines[first_role + 2].startswith("• Moved grasp-detection training")


# --- Example files against their JSON source -----------------------------------------------------


def _json_phrases() -> list[str]:
    basics = JSON_CV["basics"]
    phrases = [basics["name"], basics["email"], basics["phone"], basics["summary"]]
    for entry in JSON_CV["work"] + JSON_CV["projects"]:
        phrases += [entry["name"], *entry["highlights"]]
    phrases += [school["institution"] for school in JSON_CV["education"]]
    phrases += [paper["name"] for paper in JSON_CV["publications"]]
    return phrases + [keyword for skill in JSON_CV["skills"] for keyword in skill["keywords"]]


@pytest.mark.parametrize("name", ["jordan-reyes.pdf", "jordan-reyes-two-column.pdf"])
def test_example_pdf_holds_every_phrase_of_the_json(name: str) -> None:
    text = _flat(pdf_reader.extract_text((EXAMPLES / name).read_bytes()).text)
    missing = [phrase for phrase in _json_phrases() if phrase not in text]
    assert missing == []


def test_example_docx_holds_every_phrase_of_the_json() -> None:
    text = _flat(docx_reader.extract_text((EXAMPLES / "jordan-reyes.docx").read_bytes()))
    missing = [phrase for phrase in _json_phrases() if phrase not in text]
    assert missing == []


def _load_example_script() -> ModuleType:
    path = EXAMPLES / "make_binary_examples.py"
    spec = importlib.util.spec_from_file_location("make_binary_examples", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_generator_is_deterministic() -> None:
    script = _load_example_script()
    assert script.one_column_pdf(JSON_CV) == script.one_column_pdf(JSON_CV)
    assert script.docx_bytes(JSON_CV) == script.docx_bytes(JSON_CV)


# --- Unreadable PDFs ------------------------------------------------------------------------------


def test_pdf_without_a_text_layer_asks_for_ocr() -> None:
    with pytest.raises(UserError, match="no text layer") as caught:
        pdf_reader.extract_text(fixtures.image_only_pdf())
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("data", [fixtures.corrupt_pdf(), b"", b"%PDF-1.4\n garbage"])
def test_corrupt_pdf_is_a_one_line_user_error(data: bytes) -> None:
    with pytest.raises(UserError, match=r"^could not read PDF: \S") as caught:
        pdf_reader.extract_text(data)
    assert "\n" not in str(caught.value)


def test_no_parser_exception_escapes_from_a_truncated_pdf() -> None:
    data = fixtures.two_column_pdf()
    for cut in range(0, len(data), max(1, len(data) // 40)):
        try:
            pdf_reader.extract_text(data[:cut])
        except UserError as error:
            assert "\n" not in str(error)


def test_password_protected_pdf_says_so() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, encrypt=pdfencrypt.StandardEncryption("secret"))
    canvas.drawString(72, 700, "Jordan Reyes")
    canvas.save()
    with pytest.raises(UserError, match="password-protected"):
        pdf_reader.extract_text(buffer.getvalue())


def test_pdfminer_logging_is_quiet_while_reading_and_restored_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logger = logging.getLogger("pdfminer")
    monkeypatch.setattr(logger, "level", logging.DEBUG)
    seen: list[int] = []
    original = pdf_pages._page_words

    def spy(page: Any) -> list[Any]:
        seen.append(logger.level)
        return original(page)

    monkeypatch.setattr(pdf_pages, "_page_words", spy)
    pdf_reader.extract_text(fixtures.one_column_pdf())
    assert seen == [logging.ERROR]
    assert logger.level == logging.DEBUG


# --- DOCX -----------------------------------------------------------------------------------------


def _numbered(paragraph: Any) -> None:
    """Give a Normal paragraph direct numbering properties, as Word's list buttons do."""
    properties = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "0"), ("w:numId", "1")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        numbering.append(element)
    properties.append(numbering)


def _hyperlink(paragraph: Any, url: str, text: str) -> None:
    rel_id = paragraph.part.relate_to(
        url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", True
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def _in_content_control(document: Any, text: str) -> None:
    """A paragraph wrapped in a content control (w:sdt), as Word's CV templates make them."""
    paragraph = document.add_paragraph(text)
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    paragraph._p.addprevious(sdt)
    content.append(paragraph._p)
    sdt.append(content)


def _docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _sample_docx() -> bytes:
    document = docx.Document()
    document.sections[0].header.is_linked_to_previous = False
    document.sections[0].header.paragraphs[0].text = "Jordan Reyes · Austin, TX"
    document.add_heading("Jordan Reyes", level=0)
    contact = document.add_paragraph("jordan.reyes@example.com · ")
    _hyperlink(
        contact, "https://github.com/jordan-reyes-example", "github.com/jordan-reyes-example"
    )
    document.add_heading("Experience", level=1)
    document.add_heading("Senior Machine Learning Engineer — Northwind Robotics", level=2)
    document.add_heading("Perception team", level=3)
    document.add_heading("Grasp planning", level=4)
    document.add_paragraph("Mar 2022 – Present\tAustin, TX")
    document.add_paragraph("Cut cloud GPU spend by 38%.", style="List Bullet")
    document.add_paragraph("Raised pick rate by 11%.", style="List Number")
    _numbered(document.add_paragraph("Moved training to PyTorch FSDP."))
    document.add_paragraph("   ")
    _in_content_control(document, "Inside a content control")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Skills"
    table.cell(0, 1).text = "PyTorch, TensorRT"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "Python, SQL"
    document.add_paragraph("Line one\nLine two")
    return _docx_bytes(document)


def test_docx_maps_styles_to_markdown() -> None:
    assert docx_reader.extract_text(_sample_docx()) == (
        "Jordan Reyes · Austin, TX\n\n"
        "# Jordan Reyes\n\n"
        "jordan.reyes@example.com · github.com/jordan-reyes-example\n\n"
        "# Experience\n\n"
        "## Senior Machine Learning Engineer — Northwind Robotics\n\n"
        "### Perception team\n\n"
        "#### Grasp planning\n\n"  # heading levels as Word has them
        "Mar 2022 – Present   Austin, TX\n\n"  # a tab reads as three spaces
        "- Cut cloud GPU spend by 38%.\n"
        "- Raised pick rate by 11%.\n"
        "- Moved training to PyTorch FSDP.\n\n"
        "Inside a content control\n\n"
        "Skills\n\n"
        "PyTorch, TensorRT\n\n"
        "Python, SQL\n\n"
        "Line one\nLine two"
    )


def test_docx_reads_a_distinct_first_page_header() -> None:
    document = docx.Document()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Jordan Reyes · jordan.reyes@example.com"
    section.header.paragraphs[0].text = "Jordan Reyes · page 2"
    document.add_paragraph("Body")
    text = docx_reader.extract_text(_docx_bytes(document))
    assert text == "Jordan Reyes · jordan.reyes@example.com\n\nBody"


def test_docx_hyperlink_text_is_kept() -> None:
    assert "github.com/jordan-reyes-example" in docx_reader.extract_text(_sample_docx())


def test_example_docx_headings_and_bullets() -> None:
    lines = docx_reader.extract_text((EXAMPLES / "jordan-reyes.docx").read_bytes()).splitlines()
    assert lines[0] == "# Jordan Reyes"
    assert "# Experience" in lines and "# Skills" in lines
    role = lines.index(
        "## Senior Machine Learning Engineer — Northwind Robotics (Mar 2022 – Present)"
    )
    bullets = [line for line in lines[role:] if line.startswith("- ")][:4]
    assert bullets == ["- " + text for text in JSON_CV["work"][0]["highlights"]]
    assert "jordanreyes.example.com" in lines[4]  # only present as a hyperlink


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not a zip at all", "it is not a zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "old binary .doc"),
        (None, r"\S"),  # a zip that holds no Word document
    ],
)
def test_unreadable_docx_is_a_one_line_user_error(data: bytes | None, reason: str) -> None:
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hi")
        data = buffer.getvalue()
    with pytest.raises(UserError, match=f"^could not read DOCX: .*{reason}") as caught:
        docx_reader.extract_text(data)
    assert "\n" not in str(caught.value)


def test_truncated_docx_is_a_user_error() -> None:
    data = (EXAMPLES / "jordan-reyes.docx").read_bytes()
    with pytest.raises(UserError, match=r"^could not read DOCX: "):
        docx_reader.extract_text(data[: len(data) // 2])


def test_empty_docx_says_it_has_no_text() -> None:
    with pytest.raises(UserError, match="DOCX has no text"):
        docx_reader.extract_text(_docx_bytes(docx.Document()))


# A CV typeset by pdfTeX itself (tests/data/pdf/latex-cv.tex, compiled with pdflatex and checked
# in): justified lines with no space characters, Computer Modern fonts, and \textbullet, which
# the font maps to no Unicode character.
LATEX_CV = Path(__file__).resolve().parent.parent / "data" / "pdf"


def _items_in_tex_source(name: str = "latex-cv.tex") -> list[str]:
    source = (LATEX_CV / name).read_text()
    items = re.findall(r"\\item (.+?)(?= \\item|\\end\{itemize\}|$)", source, re.MULTILINE)
    return [item.replace("\\%", "%").replace("--", "–") for item in items]


def test_real_pdftex_cv_reads_every_bullet_word_for_word() -> None:
    import tailor

    cv = tailor.load_cv(LATEX_CV / "latex-cv.pdf")
    assert [b.text for b in cv.bullets()] == _items_in_tex_source()
    assert [(w.position, w.name, w.start_date, w.end_date) for w in cv.work] == [
        ("Senior Machine Learning Engineer", "Fernhill Logistics", "2021-03", None),
        ("Machine Learning Engineer", "Quarry Analytics", "2018-06", "2021-02"),
    ]
    assert cv.basics.email == "priya.n@example.com"
    assert "(cid:" not in pdf_reader.extract_text((LATEX_CV / "latex-cv.pdf").read_bytes()).text


def test_dates_in_a_left_margin_stay_with_their_roles() -> None:
    """moderncv-style CVs put dates in a narrow left column; that is no two-column page."""
    import tailor

    cv = tailor.load_cv(LATEX_CV / "latex-dates-left.pdf")
    assert [(w.position, w.name, w.start_date, w.end_date) for w in cv.work] == [
        ("Staff ML Engineer", "Birchway Health", "2021", None),
        ("ML Engineer", "Copperline Bank", "2018", "2021"),
        ("Data Scientist", "Larchfield Retail", "2016", "2018"),
    ]
    assert [b.text for b in cv.bullets()] == _items_in_tex_source("latex-dates-left.tex")
    assert cv.education[0].institution == "University of Eastholm"


def test_pdftex_sidebar_layout_reads_header_sidebar_then_main_column() -> None:
    import tailor

    cv = tailor.load_cv(LATEX_CV / "latex-sidebar.pdf")
    assert (cv.basics.name, cv.basics.label, cv.basics.email) == (
        "Amara Okonjo",
        "Research Engineer",
        "amara@example.com",
    )
    assert [p.url for p in cv.basics.profiles] == ["https://github.com/amara-example"]
    assert [(w.position, w.name, w.start_date) for w in cv.work] == [
        ("Research Engineer", "Halcyon AI", "2021")
    ]
    assert [b.text for b in cv.bullets()] == _items_in_tex_source("latex-sidebar.tex")[:2]
    assert [s.keywords for s in cv.skills] == [
        ["JAX", "PyTorch", "Triton kernels", "Python", "C++"]
    ]
    assert [(e.study_type, e.area, e.institution) for e in cv.education] == [
        ("PhD", "Machine Learning", "University of Westmarch")
    ]
    assert [p.name for p in cv.publications] == [
        "Sparse Routing Without Tears. Workshop on Efficient Systems, 2022."
    ]


_TEXT_BOX_RUN = """
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
     xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps">
      <w:drawing><wp:anchor><a:graphic><a:graphicData>
        <wps:wsp><wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx></wps:wsp>
      </a:graphicData></a:graphic></wp:anchor></w:drawing>
    </mc:Choice>
    <mc:Fallback>
      <w:pict><v:shape><v:textbox><w:txbxContent>{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict>
    </mc:Fallback>
  </mc:AlternateContent>
</w:r>
"""


def test_docx_text_box_sidebar_is_read_once() -> None:
    """Word CV templates often put the contact and skills sidebar in a text box."""
    from docx.oxml import parse_xml

    sidebar = ["CONTACT", "ana.silva@example.com", "SKILLS", "Python, PyTorch, Airflow"]
    paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in sidebar)
    document = docx.Document()
    document.add_paragraph("Ana Silva", style="Title")._p.append(
        parse_xml(_TEXT_BOX_RUN.format(paragraphs=paragraphs))
    )
    document.add_paragraph("Experience", style="Heading 1")
    document.add_paragraph("ML Engineer, Porto Labs (2021 – Present)")
    document.add_paragraph("Cut p99 latency by 40 ms with Airflow-fed caches.", style="List Bullet")
    text = docx_reader.extract_text(_docx_bytes(document))
    assert text.count("ana.silva@example.com") == 1
    assert (
        text.index("# Ana Silva") < text.index("# Experience") < text.index("SKILLS")
    )  # boxes last

    import tailor

    cv = tailor.read_cv(_docx_bytes(document), name="cv.docx")
    assert cv.basics.email == "ana.silva@example.com"
    assert [s.keywords for s in cv.skills] == [["Python", "PyTorch", "Airflow"]]
    assert [w.name for w in cv.work] == ["Porto Labs"]


def test_docx_link_labels_keep_their_address() -> None:
    document = docx.Document()
    document.add_paragraph("Ana Silva", style="Title")
    contact = document.add_paragraph("ana@example.com | ")
    _hyperlink(contact, "https://github.com/ana-example", "GitHub")
    contact.add_run(" | ")
    _hyperlink(contact, "https://github.com/ana-example/demo", "github.com/ana-example/demo")
    text = docx_reader.extract_text(_docx_bytes(document))
    assert "GitHub (https://github.com/ana-example) | github.com/ana-example/demo" in text


def test_pdf_link_labels_keep_their_address() -> None:
    buffer = io.BytesIO()
    page = Canvas(buffer, invariant=1)
    page.setFont("Helvetica", 11)
    page.drawString(72, 700, "Ana Silva · GitHub · https://ana.example.com")
    label_x = 72 + page.stringWidth("Ana Silva · ", "Helvetica", 11)
    label_end = label_x + page.stringWidth("GitHub", "Helvetica", 11)
    page.linkURL("https://github.com/ana-example", (label_x, 696, label_end, 712), relative=0)
    site_x = 72 + page.stringWidth("Ana Silva · GitHub · ", "Helvetica", 11)
    page.linkURL("https://ana.example.com", (site_x, 696, 400, 712), relative=0)
    page.save()
    text = pdf_reader.extract_text(buffer.getvalue()).text
    assert text == "Ana Silva · GitHub (https://github.com/ana-example) · https://ana.example.com"


@pytest.mark.parametrize(
    ("before", "label", "after"),
    [
        ("Core maintainer of ", "batchwise", ", a batching library."),
        ("", "sparsemix", ": a router for JAX."),
        ("Merged into ", "featherstore", "."),
        ("Wrote ", "ranklib", " in Rust."),
    ],
)
def test_a_pdf_links_address_goes_before_the_punctuation_it_does_not_cover(
    before: str, label: str, after: str
) -> None:
    """As a DOCX reads: "batchwise (https://...), a batching library"."""
    text = _linked_lines_text([(before, label, after)], "https://code.example/x")
    assert text == f"{before}{label} (https://code.example/x){after}"


def _linked_lines_text(lines: list[tuple[str, str, str]], url: str) -> str:
    """The text tailor's PDF reader reads from a page of lines "before label after", each
    label linked to `url`."""
    buffer = io.BytesIO()
    page = Canvas(buffer, invariant=1)
    page.setFont("Helvetica", 11)
    for index, (before, label, after) in enumerate(lines):
        y = 700 - 14 * index
        page.drawString(72, y, before + label + after)
        start = 72 + page.stringWidth(before, "Helvetica", 11)
        end = start + page.stringWidth(label, "Helvetica", 11)
        page.linkURL(url, (start, y - 4, end, y + 12), relative=0)
    page.save()
    return pdf_reader.extract_text(buffer.getvalue()).text


def test_a_pdf_address_broken_across_lines_reads_whole_and_once() -> None:
    """An address printed as its own link's label, broken after a dot, is one address again,
    and the reader adds no copy of it."""
    lines = [("or node.js (see ", "http://nodejs.", ""), ("", "org", ") first")]
    text = _linked_lines_text(lines, "http://nodejs.org")
    assert text == "or node.js (see http://nodejs.org)\nfirst"
