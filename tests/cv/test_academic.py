"""Academic CV layouts (issue 20): their section titles, the headline under the name, links
written without a scheme, and roles listed as a left-hand column of dates or indented lines.

The four fictional CVs in tests/data/cvs/academic-* vary the layouts; the smaller cases are
written inline.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

import tailor
from tailor.cv.readers.sections import section_kind
from tests.conftest import CVS


def _read(text: str, suffix: str = "txt") -> tailor.CV:
    return tailor.read_cv(text.encode(), name=f"cv.{suffix}")


def _extra_titles(cv: tailor.CV) -> list[str]:
    return [str(s["title"]) for s in (cv.model_extra or {}).get("additionalSections") or []]


def _kinds(cv: tailor.CV) -> dict[str, str | None]:
    assert cv.origin is not None
    return cv.origin.kinds


def _profiles(cv: tailor.CV) -> list[tuple[str | None, str | None]]:
    return [(profile.network, profile.url) for profile in cv.basics.profiles]


# --- the fixtures, read whole ------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    label: str
    kinds: dict[str, str]
    bullets: int
    publications: int
    awards: int
    degrees: int
    url: str
    profiles: list[tuple[str, str]]


EXPECTED = {
    "academic-allcaps.txt": Expected(
        label="RESEARCH SCIENTIST",
        kinds={
            "RESEARCH INTERESTS": "interests",
            "ACADEMIC POSITIONS": "work",
            "TEACHING": "work",
            "EDUCATION": "education",
            "HONOURS AND AWARDS": "awards",
            "PUBLICATIONS": "publications",
            "SKILLS": "skills",
        },
        bullets=6,
        publications=3,
        awards=2,
        degrees=2,
        url="https://scholar.example.net/ilse",
        profiles=[("GitHub", "https://github.com/ilse-v")],
    ),
    "academic-markdown.md": Expected(
        label="Postdoctoral Fellow in Machine Learning",
        kinds={
            "Academic Appointments": "work",
            "Teaching Experience": "work",
            "Education": "education",
            "Fellowships": "awards",
            "Peer-Reviewed Publications": "publications",
            "Preprints": "publications",
            "Skills": "skills",
        },
        bullets=6,
        publications=4,
        awards=2,
        degrees=2,
        url="https://tomasina.example.org",
        profiles=[
            ("GitHub", "https://github.com/tokereke"),
            ("ORCID", "https://orcid.org/0000-0002-1825-0097"),
        ],
    ),
    "academic-fields.txt": Expected(
        label="Machine Learning · Statistics",
        kinds={
            "Appointments": "work",
            "Teaching Experience": "work",
            "Education": "education",
            "Grants and Awards": "awards",
            "Journal Articles": "publications",
            "Conference Papers": "publications",
            "Skills": "skills",
        },
        bullets=6,
        publications=3,
        awards=2,
        degrees=2,
        url="https://henrike.example.net",
        profiles=[
            ("ORCID", "https://orcid.org/0000-0001-5109-3700"),
            ("Google Scholar", "https://scholar.google.com/citations?user=hodu7aaaaaj"),
        ],
    ),
    "academic-moderncv.txt": Expected(
        label="Senior ML Engineer | NLP",
        kinds={
            "Research Experience": "work",
            "Teaching": "work",
            "Education": "education",
            "Awards and Honors": "awards",
            "Selected Publications": "publications",
            "Skills": "skills",
        },
        bullets=6,
        publications=2,
        awards=2,
        degrees=2,
        url="https://ravi-la.example.org",
        profiles=[
            ("GitHub", "https://github.com/ravi-la"),
            ("LinkedIn", "https://linkedin.com/in/ravi-la"),
        ],
    ),
}


def test_every_academic_fixture_has_its_expectations() -> None:
    assert sorted(path.name for path in CVS.glob("academic-*")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_academic_cv_sections_are_read_as_their_kinds(name: str) -> None:
    cv = tailor.load_cv(CVS / name)
    expected = EXPECTED[name]
    assert _kinds(cv) == expected.kinds
    assert _extra_titles(cv) == []
    assert sum(1 for _ in cv.bullets()) == expected.bullets
    assert len(cv.publications) == expected.publications
    assert len(cv.awards) == expected.awards
    assert len(cv.education) == expected.degrees
    assert all(degree.institution and degree.study_type for degree in cv.education)
    assert all(role.position and role.name and role.start_date for role in cv.work)


@pytest.mark.parametrize("name", EXPECTED)
def test_academic_cv_headline_is_the_label_and_no_section(name: str) -> None:
    cv = tailor.load_cv(CVS / name)
    label = EXPECTED[name].label
    assert cv.basics.label == label
    assert label not in _kinds(cv)
    assert cv.basics.email is not None
    assert cv.origin is not None and cv.origin.unplaced == []


@pytest.mark.parametrize("name", EXPECTED)
def test_academic_cv_links_without_a_scheme_are_read(name: str) -> None:
    cv = tailor.load_cv(CVS / name)
    assert cv.basics.url == EXPECTED[name].url
    assert _profiles(cv) == EXPECTED[name].profiles


@pytest.mark.parametrize("name", EXPECTED)
def test_academic_cv_critique_sees_its_sections_and_bullets(name: str) -> None:
    cv = tailor.load_cv(CVS / name)
    findings = tailor.critique(cv, "frontier-lab").findings
    rules = {finding.rule for finding in findings}
    assert "unread-section" not in rules
    assert not any(f.rule == "length" and "too thin" in f.message for f in findings)
    assert "missing-links" not in rules


# --- the same CV as a PDF and a DOCX -----------------------------------------------------------


def _pdf_of(text: str) -> bytes:
    """The CV drawn line by line: the name large, known section titles bold, the rest small."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    y = 800.0
    for index, line in enumerate(text.splitlines()):
        if not line.strip():
            y -= 8
            continue
        font, size = "Helvetica", 9.0
        if index == 0:
            font, size = "Helvetica-Bold", 18.0
        elif line.isupper() and section_kind(line):
            font, size = "Helvetica-Bold", 12.0
        canvas.setFont(font, size)
        canvas.drawString(40, y, line)
        y -= size + 4
    canvas.save()
    return buffer.getvalue()


def _docx_of(text: str) -> bytes:
    """The CV as Word paragraphs: the name a title, known section titles headings, bullets
    in Word's list style."""
    document: Any = docx.Document()
    for index, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        if index == 0:
            document.add_heading(line, level=0)
        elif line.isupper() and section_kind(line):
            document.add_heading(line, level=1)
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("suffix", "make"), [("pdf", _pdf_of), ("docx", _docx_of)])
def test_pdf_and_docx_read_the_headline_links_and_academic_sections(suffix: str, make: Any) -> None:
    text = (CVS / "academic-allcaps.txt").read_text()
    cv = tailor.read_cv(make(text), name=f"cv.{suffix}")
    assert cv.basics.label == "RESEARCH SCIENTIST"
    assert cv.basics.url == "https://scholar.example.net/ilse"
    assert _profiles(cv) == [("GitHub", "https://github.com/ilse-v")]
    kinds = _kinds(cv)
    assert kinds["ACADEMIC POSITIONS"] == "work"
    assert kinds["TEACHING"] == "work"
    assert kinds["HONOURS AND AWARDS"] == "awards"
    assert _extra_titles(cv) == []
    assert (sum(1 for _ in cv.bullets()), len(cv.publications)) == (6, 3)


# --- section titles, by class of wording and of setting ----------------------------------------

ACADEMIC_TITLES = {
    "work": [
        "Positions",
        "Academic Positions",
        "Appointments",
        "Academic Appointments",
        "Professional Appointments",
        "Research Experience",
        "Research Positions",
        "Employment",
        "Teaching",
        "Teaching Experience",
    ],
    "awards": [
        "Awards",
        "Honours",
        "Honors",
        "Honours and Awards",
        "Awards and Honors",
        "Fellowships",
        "Grants and Awards",
        "Scholarships",
    ],
    "publications": [
        "Publications",
        "Selected Publications",
        "Peer-Reviewed Publications",
        "Journal Articles",
        "Conference Papers",
        "Preprints",
    ],
    "education": ["Education"],
    "skills": ["Skills"],
}
# what each kind of section holds, and how many items of it are read
CONTENT = {
    "work": "2019–2022  Lecturer, Example University, Leeds\n- Taught statistics to 80 students.\n",
    "awards": "2021  Best Paper Award, Example Conference\n2019  Example Fellowship\n",
    "publications": (
        "Doe, J. (2022). Calibrated models. Journal of Examples, 3, 1–9.\n"
        "Doe, J., & Roe, R. (2020). Priors. In Proceedings of ExampleConf.\n"
    ),
    "education": "PhD in Statistics, Example University, 2018\n",
    "skills": "Python, R, Stan\n",
}
COUNTS = {
    "work": lambda cv: len(cv.work[0].highlights),
    "awards": lambda cv: len(cv.awards),
    "publications": lambda cv: len(cv.publications),
    "education": lambda cv: len(cv.education),
    "skills": lambda cv: len(cv.skills[0].keywords),
}
EXPECTED_COUNTS = {"work": 1, "awards": 2, "publications": 2, "education": 1, "skills": 3}
STYLES = {
    "caps": lambda title: title.upper(),
    "title-case": lambda title: title,
    "colon": lambda title: f"{title}:",
    "caps-colon": lambda title: f"{title.upper()}:",
    "hash": lambda title: f"## {title}",
    "bold": lambda title: f"**{title}**",
    "equals-underline": lambda title: f"{title}\n{'=' * len(title)}",
    "dash-underline": lambda title: f"{title}\n{'-' * len(title)}",
}
CASES = [(title, kind) for kind, titles in ACADEMIC_TITLES.items() for title in titles]


@pytest.mark.parametrize("suffix", ["txt", "md"])
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("title", "kind"), CASES, ids=[title for title, _ in CASES])
def test_academic_section_titles_read_as_their_kind(
    title: str, kind: str, style: str, suffix: str
) -> None:
    heading = STYLES[style](title)
    cv = _read(
        f"Ada Brennan-Iwu\nRESEARCH SCIENTIST\nada@example.org\n\n{heading}\n{CONTENT[kind]}",
        suffix,
    )
    written = heading.split("\n")[0].strip("#*: ")
    assert _kinds(cv)[written] == kind
    assert COUNTS[kind](cv) == EXPECTED_COUNTS[kind]
    assert _extra_titles(cv) == []
    assert cv.basics.label == "RESEARCH SCIENTIST"


@pytest.mark.parametrize(
    "title",
    ["Grants, Fellowships and Awards", "Fellowships & Scholarships", "Awards and Fellowships"],
)
def test_titles_joining_kinds_of_award_are_awards(title: str) -> None:
    assert section_kind(title) == "awards"


@pytest.mark.parametrize(
    "header",
    [
        "Research Scientist, Example Institute (2021–present)",
        "2021–present  Research Scientist, Example Institute",
        "2021–present     Research Scientist, Example Institute",
        "Research Scientist   Example Institute   2021 – present",
    ],
)
def test_academic_role_lines_read_as_roles(header: str) -> None:
    cv = _read(f"Ada Brennan-Iwu\nada@example.org\n\nPOSITIONS\n{header}\n- Led the lab.\n")
    (role,) = cv.work
    assert (role.position, role.name, role.start_date, role.end_date) == (
        "Research Scientist",
        "Example Institute",
        "2021",
        None,
    )
    assert [bullet.text for bullet in role.highlights] == ["Led the lab."]


# --- the headline under the name ---------------------------------------------------------------

# the head of a CV (name, headline, contacts), and the label read from it
HEADLINES = {
    "caps": ("txt", "ILSE VANTERPOOL\nRESEARCH SCIENTIST\nilse@example.org", "RESEARCH SCIENTIST"),
    "caps-no-contact": ("txt", "ILSE VANTERPOOL\nRESEARCH SCIENTIST", "RESEARCH SCIENTIST"),
    "two-lines": (
        "txt",
        "ILSE VANTERPOOL\nRESEARCH SCIENTIST\nMACHINE LEARNING · STATISTICS\nilse@example.org",
        "RESEARCH SCIENTIST · MACHINE LEARNING · STATISTICS",
    ),
    "field": (
        "txt",
        "Ilse Vanterpool\nMachine Learning · Statistics\nilse@example.org",
        "Machine Learning · Statistics",
    ),
    "title-case": (
        "txt",
        "Ilse Vanterpool\nPostdoctoral Fellow in Machine Learning\nilse@example.org",
        "Postdoctoral Fellow in Machine Learning",
    ),
    "bar": (
        "txt",
        "Ilse Vanterpool\nSenior ML Engineer | NLP\nilse@example.org",
        "Senior ML Engineer | NLP",
    ),
    "bold": (
        "txt",
        "Ilse Vanterpool\n**Research Scientist**\nilse@example.org",
        "Research Scientist",
    ),
    "hash-in-text": (
        "txt",
        "# Ilse Vanterpool\n## Research Scientist\nilse@example.org",
        "Research Scientist",
    ),
    "underlined": (
        "txt",
        "Ilse Vanterpool\n===============\nResearch Scientist\n------------------\nilse@example.org",
        "Research Scientist",
    ),
    "under-a-document-title": (
        "txt",
        "CURRICULUM VITAE\nILSE VANTERPOOL\nRESEARCH SCIENTIST\nilse@example.org",
        "RESEARCH SCIENTIST",
    ),
    "md-heading": (
        "md",
        "# Ilse Vanterpool\n## Research Scientist\nilse@example.org",
        "Research Scientist",
    ),
    "md-heading-apart": (
        "md",
        "# Ilse Vanterpool\n\n## Machine Learning · Statistics\n\nilse@example.org",
        "Machine Learning · Statistics",
    ),
    "md-setext": (
        "md",
        "Ilse Vanterpool\n===============\n\nResearch Scientist\n------------------\n\n"
        "ilse@example.org",
        "Research Scientist",
    ),
    "md-bold": (
        "md",
        "# Ilse Vanterpool\n**Senior ML Engineer | NLP**\n\nilse@example.org",
        "Senior ML Engineer | NLP",
    ),
}
BODY = (
    "\n\n{positions}\n2021–present  Research Scientist, Example Institute, Amsterdam\n"
    "- Led a team of four building evaluation suites.\n- Designed a calibration benchmark.\n\n"
    "{education}\nPhD in Statistics, University of Exampleton, 2017\n"
)


@pytest.mark.parametrize("case", HEADLINES)
def test_the_headline_under_the_name_is_the_label_never_a_section(case: str) -> None:
    suffix, head, label = HEADLINES[case]
    titles = ("## Positions", "## Education") if suffix == "md" else ("POSITIONS", "EDUCATION")
    cv = _read(head + BODY.format(positions=titles[0], education=titles[1]), suffix)
    assert cv.basics.label == label
    assert cv.basics.name is not None and cv.basics.name.lower() == "ilse vanterpool"
    assert list(_kinds(cv).values()) == ["work", "education"]
    assert _extra_titles(cv) == []
    assert sum(1 for _ in cv.bullets()) == 2
    assert cv.basics.email == ("ilse@example.org" if "@" in head else None)
    assert cv.origin is not None and cv.origin.unplaced == []


@pytest.mark.parametrize(
    "head",
    [
        "JANE DOE\n\nRESEARCH HIGHLIGHTS\n- Built a benchmark used by 11 groups.",
        "JANE DOE\njane@example.org\n\nINVITED TALKS\nExample Workshop, 2023",
    ],
    ids=["bullets-under-it", "below-the-contacts"],
)
def test_an_unknown_title_that_heads_content_is_still_an_unread_section(head: str) -> None:
    cv = _read(head + BODY.format(positions="POSITIONS", education="EDUCATION"))
    title = head.split("\n")[2] or head.split("\n")[3]
    assert _extra_titles(cv) == [title]
    assert cv.basics.label is None


def test_a_note_above_the_name_takes_no_headline() -> None:
    cv = _read(
        "Last updated in Mar 2026\nIlse Vanterpool\nilse@example.org"
        + BODY.format(positions="POSITIONS", education="EDUCATION")
    )
    assert cv.basics.label is None  # the name is misread, and said to be (not hidden as a label)
    assert cv.origin is not None and cv.origin.unplaced == ["Ilse Vanterpool"]


def test_a_place_under_the_headline_is_the_location_not_the_label() -> None:
    cv = _read(
        "ILSE VANTERPOOL\nRESEARCH SCIENTIST\nAmsterdam, The Netherlands\nilse@example.org"
        + BODY.format(positions="POSITIONS", education="EDUCATION")
    )
    assert cv.basics.label == "RESEARCH SCIENTIST"
    assert cv.basics.location is not None
    assert cv.basics.location.address == "Amsterdam, The Netherlands"


# --- links written without a scheme ------------------------------------------------------------


@pytest.mark.parametrize(
    ("contacts", "url", "profiles"),
    [
        (
            "ilse@example.org | scholar.example.net/ilse | github.com/ilse",
            "https://scholar.example.net/ilse",
            [("GitHub", "https://github.com/ilse")],
        ),
        ("ilse@example.org · ilse.example.org", "https://ilse.example.org", []),
        (
            "Email: ilse@example.org   ORCID: orcid.org/0000-0002-1825-0097",
            None,
            [("ORCID", "https://orcid.org/0000-0002-1825-0097")],
        ),
        (
            "ilse@example.org | scholar.google.com/citations?user=abc | linkedin.com/in/ilse",
            None,
            [
                ("Google Scholar", "https://scholar.google.com/citations?user=abc"),
                ("LinkedIn", "https://linkedin.com/in/ilse"),
            ],
        ),
        (
            "ilse.example.org | https://github.com/ilse | ilse@example.org",
            "https://ilse.example.org",
            [("GitHub", "https://github.com/ilse")],
        ),
    ],
    ids=["scholar-and-github", "own-site", "labelled-orcid", "scholar-linkedin", "mixed"],
)
def test_header_links_without_a_scheme_are_read(
    contacts: str, url: str | None, profiles: list[tuple[str, str]]
) -> None:
    cv = _read(
        f"Ilse Vanterpool\n{contacts}" + BODY.format(positions="POSITIONS", education="EDUCATION")
    )
    assert cv.basics.email == "ilse@example.org"
    assert cv.basics.url == url
    assert _profiles(cv) == profiles
    assert cv.origin is not None and cv.origin.unplaced == []


def test_links_without_a_scheme_in_a_contact_section_are_read() -> None:
    cv = _read(
        "Ilse Vanterpool\n\nCONTACT\nilse@example.org\nilse.example.org\ngithub.com/ilse\n"
        + BODY.format(positions="POSITIONS", education="EDUCATION")
    )
    assert cv.basics.url == "https://ilse.example.org"
    assert _profiles(cv) == [("GitHub", "https://github.com/ilse")]


@pytest.mark.parametrize(
    "contacts",
    [
        "ilse@example.org",
        "ilse.vanterpool@scholar.example.net | +31 20 555 0100",
        "ilse@example.org, i.vanterpool@uni.example.edu",
        "ilse.vanterpool+jobs@example.org",
    ],
)
def test_no_part_of_an_email_address_is_a_link(contacts: str) -> None:
    cv = _read(
        f"Ilse Vanterpool\n{contacts}" + BODY.format(positions="POSITIONS", education="EDUCATION")
    )
    assert cv.basics.email == contacts.split(" ")[0].rstrip(",")
    assert cv.basics.url is None
    assert cv.basics.profiles == []


def test_words_with_dots_in_a_headline_are_no_links() -> None:
    cv = _read(
        "Ilse Vanterpool\nNode.js Developer | ASP.NET | B.Sc. Computer Science\n"
        "ilse@example.org" + BODY.format(positions="POSITIONS", education="EDUCATION")
    )
    assert cv.basics.label == "Node.js Developer | ASP.NET | B.Sc. Computer Science"
    assert (cv.basics.url, cv.basics.profiles) == (None, [])


# --- roles listed as indented lines ------------------------------------------------------------

INDENTED = (
    "Ada Brennan-Iwu\nada@example.org\n\nAPPOINTMENTS\n"
    "Research Scientist, Example Institute (2021–present)\n"
    "    Amsterdam, The Netherlands\n"
    "    Built a probabilistic forecasting library used by 14 research groups across\n"
    "    three hospitals and two public-health agencies.\n"
    "    Reduced posterior sampling time by 60% with an amortised variational scheme\n"
    "    Supervised nine MSc dissertations, three of them published.\n"
)


def test_lines_indented_under_a_role_are_its_bullets() -> None:
    (role,) = _read(INDENTED).work
    assert role.location == "Amsterdam, The Netherlands"
    assert [bullet.text for bullet in role.highlights] == [
        "Built a probabilistic forecasting library used by 14 research groups across "
        "three hospitals and two public-health agencies.",
        "Reduced posterior sampling time by 60% with an amortised variational scheme",
        "Supervised nine MSc dissertations, three of them published.",
    ]
    assert role.summary is None


def test_lines_under_a_marked_bullet_still_go_on_with_it() -> None:
    cv = _read(
        "Ada Brennan-Iwu\nada@example.org\n\nAPPOINTMENTS\n"
        "Research Scientist, Example Institute (2021–present)\n"
        "- Built a forecasting library used by 14 research groups across\n"
        "  three hospitals.\n"
    )
    assert [bullet.text for bullet in cv.work[0].highlights] == [
        "Built a forecasting library used by 14 research groups across three hospitals."
    ]


@pytest.mark.parametrize("gap", ["   ", " · ", " | "])
def test_a_place_beside_dates_alone_stays_the_place(gap: str) -> None:
    cv = _read(
        "# Ada Brennan-Iwu\nada@example.org\n\n## Positions\n\n"
        f"### Lecturer — Example University\n\n*2021 – Present{gap}Boston, MA*\n\n- Taught.\n",
        "md",
    )
    assert [(w.position, w.name, w.location) for w in cv.work] == [
        ("Lecturer", "Example University", "Boston, MA")
    ]


def test_a_left_hand_column_of_years_keeps_the_degree_whole() -> None:
    cv = _read(
        "Ada Brennan-Iwu\nada@example.org\n\nEDUCATION\n"
        "2019            MSc in Language Technology, Example University\n"
        "2017            BSc in Computer Science, Example University\n"
    )
    assert [(d.study_type, d.area, d.institution, d.end_date) for d in cv.education] == [
        ("MSc", "Language Technology", "Example University", "2019"),
        ("BSc", "Computer Science", "Example University", "2017"),
    ]
    assert all(degree.location is None for degree in cv.education)
