"""Classes of real-world CV layouts the readers learnt, each shown on a fictional CV written here.

Text and Markdown CVs are written inline; PDFs are drawn with reportlab at known positions and
sizes, or written object by object where a font's widths or name must be set exactly.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

import tailor
from tailor.cv import checks
from tailor.cv.model import Basics, Origin
from tailor.cv.readers import pdf as pdf_reader
from tailor.cv.readers.pdf import hyphens as pdf_hyphens
from tailor.cv.readers.pdf import pages as pdf_pages
from tests.conftest import ALL_CVS
from tests.cv import pdf_fixtures as fixtures


def _txt(text: str) -> tailor.CV:
    return tailor.read_cv(text.encode(), name="cv.txt")


def _md(text: str) -> tailor.CV:
    return tailor.read_cv(text.encode(), name="cv.md")


def _roles(cv: tailor.CV) -> list[tuple[str | None, ...]]:
    return [(w.position, w.name, w.location, w.start_date, w.end_date) for w in cv.work]


def _content(cv: tailor.CV, *, without: frozenset[str] = frozenset()) -> str:
    """Everything the CV was read into, as JSON, without its origin (which quotes the source)
    and the parts named in `without`."""
    dump = cv.model_dump(mode="json", exclude={"origin", *without})
    return json.dumps(dump, ensure_ascii=False)


def _extra_sections(cv: tailor.CV) -> list[dict[str, Any]]:
    return list((cv.model_extra or {}).get("additionalSections") or [])


def _warnings(cv: tailor.CV) -> list[str]:
    assert cv.origin is not None
    return cv.origin.warnings


HEADER = "Mira Tanaka-Hale\nmira@example.net\n\nEXPERIENCE\n\n"


# --- 1. role headers split into cells ------------------------------------------------------------


@pytest.mark.parametrize("gap", ["   ", "\t", " | "], ids=["spaces", "tab", "bar"])
def test_role_header_cells_in_either_order(gap: str) -> None:
    cv = _txt(
        HEADER
        + f"Halvorsen Analytics{gap}Berlin, Germany\n"
        + f"Data Engineer{gap}Mar 2021 – Present\n"
        + "- Built streaming ingestion for 40 retail partners.\n\n"
        + f"Backend Developer{gap}Jun 2018 – Feb 2021\n"
        + f"Corvid Freight, Inc.{gap}Hamburg, Germany\n"
        + "- Rewrote the billing service in Go.\n"
    )
    assert _roles(cv) == [
        ("Data Engineer", "Halvorsen Analytics", "Berlin, Germany", "2021-03", None),
        ("Backend Developer", "Corvid Freight, Inc.", "Hamburg, Germany", "2018-06", "2021-02"),
    ]
    assert [len(w.highlights) for w in cv.work] == [1, 1]


@pytest.mark.parametrize(
    "company_line",
    [
        "Brightwater Digital, LLC   Remote",
        "Brightwater Digital, LLC",
        "Corvid Freight, Inc.",
    ],
    ids=["with-place-cell", "llc-alone", "inc-alone"],
)
def test_company_with_a_legal_form_keeps_its_comma(company_line: str) -> None:
    cv = _txt(
        HEADER
        + f"{company_line}\nProduct Designer   2019 – 2022\n- Designed the onboarding flow.\n"
    )
    (role,) = cv.work
    assert role.name == company_line.split("   ")[0]
    assert role.position == "Product Designer"
    assert role.location in (None, "Remote")
    assert (role.start_date, role.end_date) == ("2019", "2022")


def test_single_cell_company_splits_off_its_place() -> None:
    cv = _txt(
        HEADER
        + "Ostrander Mills Corporation, London\n"
        + "Platform Analyst   2016 – 2018\n"
        + "- Tracked supplier lead times for 90 mills.\n"
    )
    assert _roles(cv) == [
        ("Platform Analyst", "Ostrander Mills Corporation", "London", "2016", "2018")
    ]


# --- 2. "Title at Employer" over a place -----------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Developer at Quillnet\nLisbon\nMay 2020 – Dec 2023",
        "Developer at Quillnet   May 2020 – Dec 2023\nLisbon",
    ],
    ids=["dates-below", "dates-in-a-column"],
)
def test_title_at_employer_with_a_place_line(header: str) -> None:
    cv = _txt(HEADER + header + "\n- Maintained the payments API for 12 banks.\n")
    assert _roles(cv) == [("Developer", "Quillnet", "Lisbon", "2020-05", "2023-12")]
    assert cv.work[0].summary is None


# --- 3. a single year is when the role was ---------------------------------------------------------


def test_single_year_role_ends_when_it_starts_and_present_stays_open() -> None:
    cv = _txt(
        HEADER
        + "Teaching Assistant, Brennan College   2015\n"
        + "- Ran weekly algebra tutorials.\n\n"
        + "Data Analyst, Pellucid Maps   2019 – Present\n"
        + "- Built the map-tile cost model.\n\n"
        + "Summer Intern, Larkspur Bank\n"
        + "2014\n"
        + "- Reconciled ledgers for the treasury desk.\n"
    )
    assert [(w.position, w.start_date, w.end_date) for w in cv.work] == [
        ("Teaching Assistant", "2015", "2015"),
        ("Data Analyst", "2019", None),
        ("Summer Intern", "2014", "2014"),
    ]


# --- 4. seasons and lists of dates -------------------------------------------------------------------


def test_season_and_date_list_give_first_and_last_year() -> None:
    cv = _txt(
        HEADER
        + "Research Intern   Summer 2019 and 2020\n"
        + "Orla Photonics   Cork, Ireland\n"
        + "- Calibrated laser rigs.\n\n"
        + "Field Assistant   2016, 2017\n"
        + "Marram Survey Co-op\n"
        + "- Logged dune erosion at 30 sites.\n"
    )
    assert _roles(cv) == [
        ("Research Intern", "Orla Photonics", "Cork, Ireland", "2019", "2020"),
        ("Field Assistant", "Marram Survey Co-op", None, "2016", "2017"),
    ]


# --- 5. page ranges are not years --------------------------------------------------------------------


@pytest.mark.parametrize("title", ["PUBLICATIONS", "RESEARCH"])
def test_page_ranges_keep_publications_as_publications(title: str) -> None:
    cv = _txt(
        HEADER
        + "Data Analyst, Pellucid Maps   2019 – Present\n"
        + "- Built the map-tile cost model.\n\n"
        + f"{title}\n\n"
        + "I. Vakarian and P. Osei. Sparse tiling for vector maps. "
        + "In Proc. CartoConf, pp. 1393–1398, 2021.\n"
        + "I. Vakarian. Road graphs at scale. Journal of Map Systems 12(3):1201–1219, 2020.\n"
    )
    assert [w.name for w in cv.work] == ["Pellucid Maps"]
    assert [p.release_date for p in cv.publications] == ["2021", "2020"]
    assert "pp. 1393–1398" in (cv.publications[0].name or "")
    assert cv.origin is not None and cv.origin.kinds.get(title) in (None, "publications")


# --- 6. section titles by their last word ----------------------------------------------------------

LAST_WORD_CV = """\
Ines Vakarian
ines@example.net

Teaching Experience

Lecturer, Brennan College   2018 – 2021
- Taught discrete maths to 120 students a year.

Tutor, Fenwick Academy   2015 – 2018
- Coached students for olympiads.

Technical Experience

Linux system administration
Kubernetes on bare metal
Soldering and PCB layout

Honors & Awards

Brennan Teaching Prize, 2020
Fenwick Alumni Medal, 2016

Education

MSc Mathematics, Brennan College, 2015
"""


def test_section_titles_named_by_their_last_word() -> None:
    cv = _txt(LAST_WORD_CV)
    assert _roles(cv) == [
        ("Lecturer", "Brennan College", None, "2018", "2021"),
        ("Tutor", "Fenwick Academy", None, "2015", "2018"),
    ]
    assert _extra_sections(cv) == [
        {
            "title": "Technical Experience",
            "lines": [
                "Linux system administration",
                "Kubernetes on bare metal",
                "Soldering and PCB layout",
            ],
        }
    ]
    assert [(a.title, a.date) for a in cv.awards] == [
        ("Brennan Teaching Prize", "2020"),
        ("Fenwick Alumni Medal", "2016"),
    ]
    assert cv.education[0].institution == "Brennan College"


def test_experience_section_kept_as_lines_is_not_called_empty() -> None:
    warnings = _warnings(_txt(LAST_WORD_CV))
    assert not [w for w in warnings if "Technical Experience" in w], warnings


# --- 7. Markdown's other syntax ----------------------------------------------------------------------

MARKDOWN_SYNTAX_CV = """\
Rosalind Achterberg
===================

> Platform Engineer \\
> <rosalind@example.org> · <https://rosalind.example.org>

Experience
----------

### Platform Engineer — Veldhuis Logistics
*Feb 2020 – Present · Utrecht*
- Moved 300 services to [the new mesh][mesh].
- Cut deploy time from 40 to 6 minutes.

----

Education
---------

MSc Distributed Systems
:   Delft Institute of Technology, 2017 – 2019

* * *

Skills
------

- Go, Rust, Terraform

[mesh]: https://mesh.example.org "The mesh"
"""


def test_markdown_underlines_quotes_definitions_and_links() -> None:
    cv = _md(MARKDOWN_SYNTAX_CV)
    assert cv.origin is not None
    assert cv.basics.name == "Rosalind Achterberg"
    assert cv.origin.sections == ["Experience", "Education", "Skills"]
    assert cv.basics.email == "rosalind@example.org"
    assert cv.basics.url == "https://rosalind.example.org"
    assert _roles(cv) == [
        ("Platform Engineer", "Veldhuis Logistics", "Utrecht", "2020-02", None),
    ]
    assert [b.text for b in cv.work[0].highlights] == [
        "Moved 300 services to [the new mesh](https://mesh.example.org).",
        "Cut deploy time from 40 to 6 minutes.",
    ]
    (degree,) = cv.education
    assert (degree.institution, degree.study_type, degree.area) == (
        "Delft Institute of Technology",
        "MSc",
        "Distributed Systems",
    )
    assert (degree.start_date, degree.end_date) == ("2017", "2019")
    assert cv.skills[0].keywords == ["Go", "Rust", "Terraform"]
    assert cv.origin.unplaced == []


def test_markdown_syntax_leaves_no_marks_in_the_text() -> None:
    content = _content(_md(MARKDOWN_SYNTAX_CV))
    for mark in ("----", "===", "* * *", ">", "\\\\", "[mesh]", "<", "The mesh"):
        assert mark not in content, mark


# --- 8. lazy continuation of a Markdown bullet ---------------------------------------------------

LAZY_BULLET_ROLE = """\
Site Reliability Engineer, Fjällbo Cloud, 2021 – Present
- Built the on-call rota tool.
Shipped it to 14 teams.
- Wrote the incident guide.
"""


def test_markdown_line_after_a_bullet_continues_it() -> None:
    cv = _md(f"# Oskar Lindqvist\noskar@example.se\n\n## Experience\n\n{LAZY_BULLET_ROLE}")
    assert [b.text for b in cv.work[0].highlights] == [
        "Built the on-call rota tool. Shipped it to 14 teams.",
        "Wrote the incident guide.",
    ]


def test_plain_text_line_after_a_finished_bullet_does_not_continue_it() -> None:
    cv = _txt(f"OSKAR LINDQVIST\noskar@example.se\n\nEXPERIENCE\n{LAZY_BULLET_ROLE}")
    assert cv.work[0].highlights[0].text == "Built the on-call rota tool."


# --- 9. a bold line opens a role -----------------------------------------------------------------


def test_bold_only_line_opens_a_role() -> None:
    cv = _md(
        "# Oskar Lindqvist\noskar@example.se\n\n## Experience\n\n"
        "**Platform Lead**\nFjällbo Cloud · Jan 2022 – Present\n- Led five engineers.\n\n"
        "**Backend Engineer**\nNorrsken Apps · 2018 – 2021\n- Built the push service.\n"
    )
    assert [(w.position, w.name, w.start_date, w.end_date) for w in cv.work] == [
        ("Platform Lead", "Fjällbo Cloud", "2022-01", None),
        ("Backend Engineer", "Norrsken Apps", "2018", "2021"),
    ]
    assert [len(w.highlights) for w in cv.work] == [1, 1]


# --- 10. employer headings over role headings ----------------------------------------------------


@pytest.mark.parametrize("role_level", ["####", "###"], ids=["deeper", "same-level"])
def test_employer_heading_lends_its_roles_name_place_and_dates(role_level: str) -> None:
    cv = _md(
        "# Oskar Lindqvist\noskar@example.se\n\n## Experience\n\n"
        "### Nimbus Labs\nOslo, Norway | Jan 2019 - Present\n\n"
        f"{role_level} Staff Engineer\n- Designed the event bus.\n\n"
        f"{role_level} Engineer\n- Wrote the billing exporter.\n\n"
        "### Tindra Systems\nBergen, Norway | 2015 - 2018\n\n"
        f"{role_level} Developer\n- Built the ticketing app.\n\n"
        "## Education\n- BSc Informatics, Bergen University College, 2015\n"
    )
    assert _roles(cv) == [
        ("Staff Engineer", "Nimbus Labs", "Oslo, Norway", "2019-01", None),
        ("Engineer", "Nimbus Labs", "Oslo, Norway", "2019-01", None),
        ("Developer", "Tindra Systems", "Bergen, Norway", "2015", "2018"),
    ]
    assert [[b.text for b in w.highlights] for w in cv.work] == [
        ["Designed the event bus."],
        ["Wrote the billing exporter."],
        ["Built the ticketing app."],
    ]


# --- 11. contacts at the end -------------------------------------------------------------------------


@pytest.mark.parametrize("reader", [_txt, _md], ids=["text", "markdown"])
def test_contacts_at_the_end_fill_the_header(reader: Any) -> None:
    cv = reader(
        "# Johanna Okafor\n\n## Experience\n\n"
        "### Logistics Analyst — Tarrow Freight\n*2020 – Present*\n"
        "- Modelled depot capacity for 12 sites.\n\n"
        "## Skills\n- Python, SQL, Excel\n\n"
        "jo@example.org • +44 20 7946 0000\n"
    )
    assert (cv.basics.email, cv.basics.phone) == ("jo@example.org", "+44 20 7946 0000")
    assert cv.skills[0].keywords == ["Python", "SQL", "Excel"]
    content = _content(cv, without=frozenset({"basics"}))
    assert "jo@example.org" not in content and "7946" not in content
    assert cv.origin is not None and cv.origin.unplaced == []


# --- 12. the header's lines without titles -------------------------------------------------------


def test_header_prose_label_profile_and_second_email() -> None:
    cv = _txt(
        "Priya Ramaswamy-Cole\n"
        "ML Engineer · Data Platform\n"
        "I build data pipelines that keep forecasting models honest and cheap to run.\n"
        "priya@example.com | +1 415 555 0188 | priya.work@example.net\n"
        "LinkedIn: linkedin.com/in/priya-rc-example\n\n"
        "EXPERIENCE\nML Engineer, Sorrel Health, 2021 – Present\n"
        "- Cut feature backfill time from 9 hours to 50 minutes.\n"
    )
    assert cv.basics.label == "ML Engineer · Data Platform"
    assert cv.basics.summary == (
        "I build data pipelines that keep forecasting models honest and cheap to run."
    )
    assert (cv.basics.email, cv.basics.phone) == ("priya@example.com", "+1 415 555 0188")
    assert [(p.network, p.url) for p in cv.basics.profiles] == [
        ("LinkedIn", "https://linkedin.com/in/priya-rc-example")
    ]
    assert cv.origin is not None and cv.origin.unplaced == ["priya.work@example.net"]


# --- 13. a Research section of roles ------------------------------------------------------------


def test_research_section_of_lab_roles_is_work() -> None:
    cv = _txt(
        "Priya Ramaswamy-Cole\npriya@example.com\n\n"
        "RESEARCH\n"
        "Graduate Researcher, Halden Vision Lab   2019 – 2021\n"
        "- Trained depth estimators on drone footage.\n"
        "Research Assistant, Quarry Robotics Group   2017 – 2019\n"
        "- Labelled 20,000 lidar frames.\n\n"
        "EDUCATION\nMSc Robotics, Halden University, 2021\n"
    )
    assert [(w.position, w.name, w.start_date, w.end_date) for w in cv.work] == [
        ("Graduate Researcher", "Halden Vision Lab", "2019", "2021"),
        ("Research Assistant", "Quarry Robotics Group", "2017", "2019"),
    ]
    assert cv.publications == []
    assert cv.origin is not None and cv.origin.kinds["RESEARCH"] == "work"


# --- 14. education as school and degree lines --------------------------------------------------

EDU_HEADER = (
    "Lukas Brandvold\nlukas@example.de\n\n"
    "EXPERIENCE\nData Scientist, Kelpie Insurance, 2022 – Present\n- Priced flood cover.\n\n"
    "EDUCATION\n"
)


def _degrees(cv: tailor.CV) -> list[tuple[str | None, ...]]:
    return [
        (e.institution, e.study_type, e.area, e.location, e.start_date, e.end_date)
        for e in cv.education
    ]


@pytest.mark.parametrize("school_first", [True, False], ids=["school-first", "degree-first"])
def test_school_and_degree_lines_in_either_order(school_first: bool) -> None:
    entries = [
        ("Ruprecht Institute of Technology – Heidelberg, Germany", "MSc Mathematics   2019 – 2021"),
        ("Aldgate University – Leeds, UK", "BSc Mathematics   2016 – 2019"),
    ]
    lines = [line for pair in entries for line in (pair if school_first else pair[::-1])]
    cv = _txt(EDU_HEADER + "\n".join(lines) + "\n")
    assert _degrees(cv) == [
        (
            "Ruprecht Institute of Technology",
            "MSc",
            "Mathematics",
            "Heidelberg, Germany",
            "2019",
            "2021",
        ),
        ("Aldgate University", "BSc", "Mathematics", "Leeds, UK", "2016", "2019"),
    ]


def test_one_line_degrees_each_make_an_entry() -> None:
    cv = _txt(
        EDU_HEADER
        + "MSc Mathematics, Ruprecht Institute of Technology, 2019 – 2021\n"
        + "BSc Physics, Aldgate University, 2016 – 2019\n"
    )
    assert _degrees(cv) == [
        ("Ruprecht Institute of Technology", "MSc", "Mathematics", None, "2019", "2021"),
        ("Aldgate University", "BSc", "Physics", None, "2016", "2019"),
    ]


THESIS_EDUCATION = (
    "Ruprecht Institute of Technology\n"
    "MSc Mathematics   2019 – 2021\n\n"
    "Thesis: Random matrices in portfolio risk\n\n"
    "Aldgate University\n"
    "BSc Mathematics   2016 – 2019\n"
)


def test_thesis_after_a_blank_line_stays_with_its_degree() -> None:
    cv = _txt(EDU_HEADER + THESIS_EDUCATION)
    assert [(e.institution, e.study_type) for e in cv.education] == [
        ("Ruprecht Institute of Technology", "MSc"),
        ("Aldgate University", "BSc"),
    ]
    assert "Random matrices" in json.dumps(cv.education[0].model_dump())
    assert "Random matrices" not in json.dumps(cv.education[1].model_dump())


def test_thesis_line_is_a_highlight_of_its_degree() -> None:
    cv = _txt(EDU_HEADER + THESIS_EDUCATION)
    first = cv.education[0]
    assert first.highlights == ["Thesis: Random matrices in portfolio risk"]
    assert first.area == "Mathematics"


def test_school_place_after_a_dash_is_its_location() -> None:
    cv = _txt(
        EDU_HEADER
        + "Ruprecht Institute of Technology\nM.Sc. in Mathematics – Heidelberg, Germany\n"
    )
    assert _degrees(cv) == [
        (
            "Ruprecht Institute of Technology",
            "M.Sc.",
            "Mathematics",
            "Heidelberg, Germany",
            None,
            None,
        )
    ]


# --- PDF fixtures ------------------------------------------------------------------------------------

Drawn = tuple[float, float, str, float, str]  # x, y, font, size, text


def _drawn_pdf(pages: list[list[Drawn]]) -> bytes:
    """An A4 PDF with each page's strings drawn where and how given."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    for page in pages:
        for x, y, font, size, text in page:
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


NOTE = "Last updated in Mar 2026"
FIRST_PAGE: list[Drawn] = [
    (72, 810, "Helvetica", 7, NOTE),
    (72, 780, "Helvetica-Bold", 22, "Marisol Quintero"),
    (72, 760, "Helvetica", 10, "marisol@example.org · +34 91 555 0123"),
    (72, 725, "Helvetica-Bold", 13, "Experience"),
    (72, 705, "Helvetica", 10, "Data Engineer, Albarda Logistics, 2021 – Present"),
    (72, 691, "Helvetica", 10, "• Built a freight-matching service used by 300 carriers."),
    (72, 677, "Helvetica", 10, "• Cut warehouse scan errors by 40% with a barcode audit."),
    (72, 650, "Helvetica-Bold", 13, "Education"),
    (72, 630, "Helvetica", 10, "MSc Computer Science, Meseta Institute of Technology, 2019"),
    (72, 610, "Helvetica-Bold", 11, "Courses"),
    (72, 596, "Helvetica", 10, "Distributed systems, compilers and applied statistics"),
    (72, 570, "Helvetica-Bold", 13, "Program Committees"),
    (72, 550, "Helvetica", 10, "Reviewer for the Iberian Data Systems Workshop, 2023 and 2024"),
    (72, 50, "Helvetica", 8, "Marisol Quintero · Curriculum Vitae · 1"),
    (480, 50, "Helvetica", 8, "Page 1 of 2"),
]
SECOND_PAGE: list[Drawn] = [
    (72, 780, "Helvetica-Bold", 13, "Skills"),
    (72, 760, "Helvetica", 10, "Python, Rust, PostgreSQL, Kafka"),
    (72, 50, "Helvetica", 8, "Marisol Quintero · Curriculum Vitae · 2"),
    (480, 50, "Helvetica", 8, "Page 2 of 2"),
]


@pytest.fixture(scope="module")
def two_page_pdf() -> bytes:
    return _drawn_pdf([FIRST_PAGE, SECOND_PAGE])


# --- 15. the name by its size ------------------------------------------------------------------------


def test_name_is_the_largest_line_under_an_update_note(two_page_pdf: bytes) -> None:
    cv = tailor.read_cv(two_page_pdf, name="cv.pdf")
    assert cv.origin is not None and cv.origin.text is not None
    assert cv.basics.name == "Marisol Quintero"
    assert cv.origin.text.splitlines()[0] == "# Marisol Quintero"
    assert "updated" not in cv.origin.text.lower()
    assert (cv.basics.email, cv.basics.phone) == ("marisol@example.org", "+34 91 555 0123")


def test_name_is_the_largest_line_under_a_small_kicker() -> None:
    page: list[Drawn] = [
        (72, 812, "Helvetica", 8, "Curriculum Vitae"),
        *[line for line in FIRST_PAGE if line[4] != NOTE and line[1] > 100],
    ]
    cv = tailor.read_cv(_drawn_pdf([page]), name="cv.pdf")
    assert cv.basics.name == "Marisol Quintero"
    assert [w.name for w in cv.work] == ["Albarda Logistics"]


# --- 16. running footers and page numbers --------------------------------------------------------


def test_running_footer_and_page_numbers_are_removed(two_page_pdf: bytes) -> None:
    extracted = pdf_reader.extract_text(two_page_pdf)
    assert extracted.pages == 2
    assert "Curriculum Vitae" not in extracted.text
    assert "Page" not in extracted.text and " of 2" not in extracted.text
    assert "Python, Rust, PostgreSQL, Kafka" in extracted.text
    cv = tailor.read_cv(two_page_pdf, name="cv.pdf")
    assert cv.skills[0].keywords == ["Python", "Rust", "PostgreSQL", "Kafka"]
    assert not [w for w in _warnings(cv) if "every page" in w]


# --- 17. headings by their type size ----------------------------------------------------------------


def test_headings_are_marked_by_size_whatever_their_words(two_page_pdf: bytes) -> None:
    extracted = pdf_reader.extract_text(two_page_pdf)
    lines = extracted.text.splitlines()
    assert extracted.headings
    for heading in ("Experience", "Education", "Program Committees", "Skills"):
        assert f"## {heading}" in lines
    assert "Courses" in lines  # a smaller known title inside Education: a label, no heading
    assert "## Courses" not in lines
    cv = tailor.read_cv(two_page_pdf, name="cv.pdf")
    assert cv.origin is not None
    assert cv.origin.sections == ["Experience", "Education", "Program Committees", "Skills"]
    assert cv.certificates == []


# --- 18 and 19. soft hyphens, icon fonts: a PDF written object by object -----------------------


def _type1_font(name: str, soft_hyphen_width: int) -> bytes:
    """A Type 1 font dictionary, not one of the standard 14 (so its /Widths are used), with
    Helvetica's widths and the soft hyphen (code 173) as wide as given."""
    widths = []
    for code in range(32, 256):
        try:
            char = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            char = ""
        width = soft_hyphen_width if code == 173 else stringWidth(char, "Helvetica", 1000)
        widths.append(str(round(width)))
    descriptor = (
        f"<< /Type /FontDescriptor /FontName /{name} /Flags 32 /FontBBox [0 -210 1000 930]"
        " /ItalicAngle 0 /Ascent 718 /Descent -207 /CapHeight 718 /StemV 88 >>"
    )
    return (
        f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} /FirstChar 32 /LastChar 255"
        f" /Widths [{' '.join(widths)}] /FontDescriptor {descriptor} /Encoding"
        " << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [173 /sfthyphen] >> >>"
    ).encode()


def _font_pdf(lines: list[tuple[str, float, float, str]]) -> bytes:
    """One page of (font, x, y, text) at 10 pt; F1 draws soft hyphens, F2 does not, F3 is an
    icon font."""
    ops = [b"BT"]
    for font, x, y, text in lines:
        raw = text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(")
        ops += [
            f"/{font} 10 Tf 1 0 0 1 {x:g} {y:g} Tm".encode(),
            b"(" + raw.replace(b")", b"\\)") + b") Tj",
        ]
    content = b"\n".join([*ops, b"ET"])
    fonts = [
        _type1_font("Arimo", 333),
        _type1_font("Arimo", 0),
        _type1_font("ABCDEF+FontAwesome5Free-Solid", 600),
    ]
    return fixtures.one_page_pdf(content, fonts)


def test_drawn_soft_hyphen_is_a_hyphen_and_a_zero_width_one_is_invisible() -> None:
    data = _font_pdf(
        [
            ("F1", 72, 700, "Ran cross\xadcluster failover drills."),
            ("F2", 72, 686, "Moved the fleet to Kuber\xadnetes."),
            ("F2", 72, 672, "Then led platform engi\xad"),
            ("F2", 72, 658, "neering for the team."),
        ]
    )
    text = pdf_reader.extract_text(data).text
    assert text.splitlines() == [
        "Ran cross-cluster failover drills.",
        "Moved the fleet to Kubernetes.",
        "Then led platform engineering",
        "for the team.",
    ]
    assert "\xad" not in text


def test_drawn_hyphens_judged_by_width() -> None:
    def chars(word: str, soft_width: float) -> list[dict[str, Any]]:
        return [
            {"text": c, "x0": 0.0, "x1": soft_width if c == "\xad" else 5.0, "size": 10.0}
            for c in word
        ]

    assert pdf_pages._drawn_hyphens("cross\xadcluster", chars("cross\xadcluster", 3.3)) == (
        "cross-cluster"
    )
    assert pdf_pages._drawn_hyphens("Kuber\xadnetes", chars("Kuber\xadnetes", 0.0)) == (
        "Kuber\xadnetes"
    )


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["Led change man-", "agement for 40 staff.", "Ran management reviews."], "management"),
        (["Built set-", "top box firmware.", "Shipped three set-top boxes."], "set-top"),
        (["Tuned the data-", "base indexes.", "Ran the database on-call."], "database"),
        (["Tuned the data-", "base indexes."], "data-base"),
        (["Added geo-", "fencing to the app.", "Owned geo-fencing rules."], "geo-fencing"),
        (["Added geo-", "fencing to the app."], "geofencing"),
    ],
)
def test_line_end_hyphen_judged_from_the_cvs_own_words(lines: list[str], joined: str) -> None:
    out = pdf_hyphens.join_hyphenated(lines)
    assert out[0].split()[-1] == joined
    assert out[1] == lines[1].partition(" ")[2]
    assert out[2:] == lines[2:]


def test_words_in_an_icon_font_are_dropped() -> None:
    data = _font_pdf(
        [
            ("F3", 72, 700, "E"),
            ("F1", 90, 700, "jo@example.org"),
            ("F3", 200, 700, "Phone"),
            ("F1", 240, 700, "+44 20 7946 0000"),
        ]
    )
    # the icons' glyphs read as letters ("E", "Phone") unless their font is recognised
    assert pdf_reader.extract_text(data).text.split() == [
        "jo@example.org",
        "+44",
        "20",
        "7946",
        "0000",
    ]


def test_icon_font_and_private_use_glyphs() -> None:
    assert pdf_pages._in_icon_font([{"fontname": "ABCDEF+FontAwesome5Free-Solid"}] * 2)
    assert pdf_pages._in_icon_font([{"fontname": "FontAwesome"}])
    assert not pdf_pages._in_icon_font([{"fontname": "FontAwesome"}, {"fontname": "Helvetica"}])
    assert not pdf_pages._in_icon_font([{"fontname": "Helvetica-Bold"}])
    assert not pdf_pages._in_icon_font([])
    assert pdf_pages._without_icons("\uf0e0jo@example.org") == "jo@example.org"
    assert pdf_pages._without_icons("Zürich") == "Zürich"


# --- 20. checks: signs of a misread CV -------------------------------------------------------------

CHECKED_ROLE = "### Platform Engineer — Quayside Cloud\n*2021 – 2023*\n- Ran the build farm.\n"


def _checked(body: str) -> list[str]:
    return _warnings(_md(f"# Dara Whitcombe\ndara@example.com\n\n## Experience\n\n{body}"))


def test_name_that_reads_like_a_date_is_flagged() -> None:
    cv = _txt(
        "Last updated in Mar 2026\nDara Whitcombe\ndara@example.com\n\n"
        "EXPERIENCE\nAnalyst, Fernhill Bank, 2020 – 2023\n- Built credit dashboards.\n"
    )
    assert any("Last updated in Mar 2026" in w and "date" in w for w in _warnings(cv))


@pytest.mark.parametrize("title", ["Curriculum Vitae", "CURRICULUM VITAE"])
def test_a_document_title_above_the_name_is_not_the_name(title: str) -> None:
    cv = _txt(
        f"{title}\nDARA WHITCOMBE\ndara@example.com\n\nEXPERIENCE\n"
        "Analyst, Fernhill Bank, 2020 – 2023\n- Built credit dashboards.\n"
    )
    assert cv.basics.name == "DARA WHITCOMBE"
    assert cv.basics.email == "dara@example.com"
    assert [w.name for w in cv.work] == ["Fernhill Bank"]


def test_a_document_title_above_a_name_in_title_case() -> None:
    cv = _txt(
        "Curriculum Vitae\nDara Whitcombe\ndara@example.com\n\nEXPERIENCE\n"
        "Analyst, Fernhill Bank, 2020 – 2023\n- Built credit dashboards.\n"
    )
    assert cv.basics.name == "Dara Whitcombe"
    assert cv.basics.email == "dara@example.com"


@pytest.mark.parametrize("title", ["Curriculum Vitae", "RÉSUMÉ", "Resume", "CV"])
def test_a_document_title_read_as_the_name_is_flagged(title: str) -> None:
    cv = tailor.CV(basics=Basics(name=title))
    assert checks.misreadings(cv) == [f"the name read ('{title}') looks like the document's title"]


def _paged(*pages: str) -> tailor.CV:
    cv = tailor.CV(basics=Basics(name="Dara Whitcombe"))
    cv.set_origin(Origin(format="pdf", text="\f".join(pages)))
    return cv


def test_a_line_at_the_top_of_every_page_is_flagged() -> None:
    header = "Dara Whitcombe · Curriculum Vitae"
    cv = _paged(
        f"{header}\nEXPERIENCE\nAnalyst\nRan reports.\nMore", f"{header}\nSKILLS\nSQL\nR\nEnd"
    )
    assert checks.misreadings(cv) == [f"the line '{header}' stands on every page"]


def test_a_line_inside_every_page_is_not_a_running_header() -> None:
    middle = "Python, SQL, Airflow and dbt"  # a skills line each page happens to repeat
    cv = _paged(f"One\nTwo\n{middle}\nThree\nFour", f"Five\nSix\n{middle}\nSeven\nEight")
    assert checks.misreadings(cv) == []


def test_roles_without_an_employer_are_flagged() -> None:
    warnings = _checked(
        "### Platform Engineer\n*2021 – 2023*\n- Ran the build farm.\n\n"
        "### Site Engineer\n*2019 – 2021*\n- Kept the racks cool.\n"
    )
    assert "2 roles read without an employer" in warnings


def test_all_dated_roles_open_ended_is_flagged() -> None:
    warnings = _checked(
        "### Platform Engineer — Quayside Cloud\n*2021 – Present*\n- Ran the build farm.\n\n"
        "### Site Engineer — Brackwater Hosting\n*2019 – Present*\n- Kept the racks cool.\n\n"
        "### Intern — Gorse Labs\n*2018 – Present*\n- Wrote tests.\n"
    )
    assert any("running to the present" in w for w in warnings)


def test_one_open_role_among_ended_ones_is_not_flagged() -> None:
    warnings = _checked(
        "### Platform Engineer — Quayside Cloud\n*2021 – Present*\n- Ran the build farm.\n\n"
        "### Site Engineer — Brackwater Hosting\n*2019 – 2021*\n- Kept the racks cool.\n\n"
        "### Intern — Gorse Labs\n*2018*\n- Wrote tests.\n"
    )
    assert warnings == []


def test_empty_section_is_flagged() -> None:
    warnings = _checked(f"{CHECKED_ROLE}\n## Projects\n\n## Skills\n- Go, Bash\n")
    assert warnings == ["the section 'Projects' was read with nothing in it"]


def test_overlong_bullet_is_flagged() -> None:
    bullet = "Ran the build farm and tuned its caches, " * 16 + "then handed it over."
    assert len(bullet) > 600
    warnings = _checked(f"### Platform Engineer — Quayside Cloud\n*2021 – 2023*\n- {bullet}\n")
    assert any("over 600 characters" in w for w in warnings)


def test_a_well_read_cv_has_no_warnings() -> None:
    assert _checked(CHECKED_ROLE) == []


@pytest.mark.parametrize("path", ALL_CVS, ids=lambda path: path.name)
def test_every_shipped_cv_reads_without_warnings(path: Path) -> None:
    cv = tailor.load_cv(path)
    assert _warnings(cv) == []


# --- 21. degrees: every part kept -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("BSc Statistics, Tufts University, Medford, MA, 2014", "Medford, MA"),
        ("Tufts University, BSc Statistics, Medford, MA, 2014", "Medford, MA"),
        ("BS Economics, Delta State University, Cleveland, MS, 2012", "Cleveland, MS"),
    ],
)
def test_a_state_that_reads_like_a_degree_stays_in_the_place(line: str, place: str) -> None:
    cv = _txt(f"Dara Whitcombe\ndara@example.com\n\nEDUCATION\n{line}\n")
    assert cv.education[0].location == place


def test_the_short_form_after_a_spelled_out_degree_is_not_a_part() -> None:
    cv = _txt(
        "Dara Whitcombe\ndara@example.com\n\nEDUCATION\n"
        "Master of Science, MS, Data Science, Hollin University, 2019\n"
    )
    degree = cv.education[0]
    assert (degree.study_type, degree.area) == ("Master of Science", "Data Science")
    assert degree.location is None and not degree.summary


def test_a_school_named_with_a_comma_in_a_heading_keeps_its_name_whole() -> None:
    cv = _md(
        "# Dara Whitcombe\n\n## Education\n### Utah State University, Quinney College\n"
        "MSc Data Science, 2019\n"
    )
    degree = cv.education[0]
    assert degree.institution == "Utah State University, Quinney College"
    assert (degree.study_type, degree.area, degree.end_date) == ("MSc", "Data Science", "2019")


@pytest.mark.parametrize(
    ("line", "degree", "area"),
    [
        ("Doctor of Philosophy - PhD, Physics", "Doctor of Philosophy", "Physics"),
        ("Master of Science - MS, Computer Science", "Master of Science", "Computer Science"),
        ("Master of Science, MBA", "Master of Science", "MBA"),  # another degree: kept
    ],
)
def test_a_degree_s_own_short_form_goes_and_nothing_else(line: str, degree: str, area: str) -> None:
    cv = _txt(f"Dara Whitcombe\ndara@example.com\n\nEDUCATION\n{line}, Hollin University, 2019\n")
    assert (cv.education[0].study_type, cv.education[0].area) == (degree, area)


@pytest.mark.parametrize(
    ("heading", "school", "place"),
    [
        ("Utah State University — Logan, UT", "Utah State University", "Logan, UT"),
        ("Stanford University, Stanford, CA", "Stanford University", "Stanford, CA"),
        ("University of California, Berkeley", "University of California, Berkeley", None),
    ],
)
def test_a_place_after_a_school_in_its_heading_stays_apart(
    heading: str, school: str, place: str | None
) -> None:
    cv = _md(f"# Dara Whitcombe\n\n## Education\n### {heading}\nMSc Data Science, 2019\n")
    assert (cv.education[0].institution, cv.education[0].location) == (school, place)


@pytest.mark.parametrize(
    ("header", "kept"),
    [
        ("Gitlytics — a dashboard   2019 – 2020   2021 – 2022", "2021 – 2022"),
        ("Gitlytics | 2019 – 2020 | Relaunch 2022 – 2023", "Relaunch 2022 – 2023"),
    ],
)
def test_a_project_s_second_span_of_dates_is_kept(header: str, kept: str) -> None:
    cv = _md(f"# Dara Whitcombe\n\n## Projects\n\n### {header}\n- Built it.\n")
    project = cv.projects[0]
    assert (project.start_date, project.end_date) == ("2019", "2020")
    assert kept in (project.description or "")
