"""The Markdown and plain-text reader: sections, roles, bullets and provenance."""

from __future__ import annotations

import pytest

import tailor
from tests.conftest import CVS, cv_from_markdown

MARKDOWN_CV = """\
# Ada Kowalczyk
Machine Learning Engineer · Kraków, PL · ada@example.com · +48 12 555 0199 · [github.com/ada-k-example](https://github.com/ada-k-example)

## Experience

### Senior ML Engineer — Vistula Vision
*Mar 2022 – Present · Kraków*
- Cut p99 latency of the shelf detector from 180 ms to 45 ms
  by moving it to TensorRT.
- Worked on the labelling tool.

Data Scientist, Oderbank (Jan 2019 – Feb 2022)
* Responsible for churn dashboards.
• Built a churn model used by 40 account managers.

## Education
- **MSc, Computer Science**, Jagiellon Institute of Technology, 2017 – 2019

## Skills
- **ML:** PyTorch, TensorRT
- Python, SQL
"""


def test_markdown_sections_roles_and_bullets() -> None:
    cv = cv_from_markdown(MARKDOWN_CV)
    assert cv.basics.name == "Ada Kowalczyk"
    assert cv.basics.email == "ada@example.com"
    assert cv.basics.label == "Machine Learning Engineer"
    assert [p.url for p in cv.basics.profiles] == ["https://github.com/ada-k-example"]
    assert [(w.position, w.name, w.start_date, w.end_date) for w in cv.work] == [
        ("Senior ML Engineer", "Vistula Vision", "2022-03", None),
        ("Data Scientist", "Oderbank", "2019-01", "2022-02"),
    ]
    assert cv.work[0].location == "Kraków"
    assert [b.text for b in cv.work[1].highlights] == [
        "Responsible for churn dashboards.",
        "Built a churn model used by 40 account managers.",
    ]
    assert (cv.education[0].study_type, cv.education[0].area) == ("MSc", "Computer Science")
    assert cv.education[0].institution == "Jagiellon Institute of Technology"
    assert [(s.name, s.keywords) for s in cv.skills] == [
        ("ML", ["PyTorch", "TensorRT"]),
        (None, ["Python", "SQL"]),
    ]


def test_wrapped_bullet_is_joined_and_keeps_its_first_line() -> None:
    cv = cv_from_markdown(MARKDOWN_CV)
    bullet = cv.work[0].highlights[0]
    assert bullet.text == (
        "Cut p99 latency of the shelf detector from 180 ms to 45 ms by moving it to TensorRT."
    )
    assert bullet.source is not None
    assert (bullet.source.section, bullet.source.line) == ("Experience", 8)


def test_every_bullet_points_at_its_source_line() -> None:
    lines = MARKDOWN_CV.splitlines()
    cv = cv_from_markdown(MARKDOWN_CV)
    bullets = list(cv.bullets())
    assert len(bullets) == 4
    for bullet in bullets:
        assert bullet.source is not None and bullet.source.line is not None
        assert bullet.text.split(" by moving")[0] in lines[bullet.source.line - 1]


PLAIN_TEXT_CV = """\
LENA BRANDT
ML Engineer
lena@example.com | https://lena.example.com

WORK EXPERIENCE
Northgate Freight | ML Engineer | 2020 - Present
• Built a demand forecaster that cut empty truck miles by 12%.
• Deployed it as a nightly batch job.

Research Assistant at Hollin University, 2018 - 2020
- Ran ablations for a parsing model.

SELECTED PROJECTS
routewise (https://github.com/lena-example/routewise)
Open-source route-planning library.
• 300 GitHub stars.

EDUCATION
BSc Mathematics, Hollin University (2015 - 2018)

SKILLS
Languages: Python, Go
"""


def test_plain_text_with_uppercase_titles() -> None:
    cv = tailor.read_cv(PLAIN_TEXT_CV.encode(), name="cv.txt")
    assert cv.basics.name == "LENA BRANDT"
    assert cv.origin is not None
    assert cv.origin.sections == ["WORK EXPERIENCE", "SELECTED PROJECTS", "EDUCATION", "SKILLS"]
    assert [(w.position, w.name, w.start_date, w.end_date) for w in cv.work] == [
        ("ML Engineer", "Northgate Freight", "2020", None),
        ("Research Assistant", "Hollin University", "2018", "2020"),
    ]
    assert len(cv.work[0].highlights) == 2
    project = cv.projects[0]
    assert project.name == "routewise"
    assert project.url == "https://github.com/lena-example/routewise"
    assert project.description == "Open-source route-planning library."
    assert [b.text for b in project.highlights] == ["300 GitHub stars."]
    assert cv.skills[0].keywords == ["Python", "Go"]


def test_underlined_titles_and_title_with_colon() -> None:
    text = "Kai Moreau\n\nExperience\n==========\nEngineer, Polder Labs (2021 - 2023)\n- Shipped a search API.\n\nSkills:\nPython\n"
    cv = tailor.read_cv(text.encode(), name="cv.txt")
    assert cv.work[0].name == "Polder Labs"
    assert cv.work[0].highlights[0].text == "Shipped a search API."
    assert cv.skills[0].keywords == ["Python"]


def test_unknown_sections_are_kept() -> None:
    cv = cv_from_markdown(
        "# Mo\n\n## Experience\n- Built a thing.\n\n## Speaking\n- Talk at PyCon Nowhere\n"
    )
    assert cv.to_json_resume()["additionalSections"] == [
        {"title": "Speaking", "lines": ["- Talk at PyCon Nowhere"]}
    ]


def test_html_comments_are_ignored_without_shifting_lines() -> None:
    cv = cv_from_markdown(
        "<!-- a note\nover two lines -->\n# Mo Tran\n\n## Experience\n- Built a thing.\n"
    )
    assert cv.basics.name == "Mo Tran"
    bullet = next(cv.bullets())
    assert bullet.source is not None and bullet.source.line == 6


def test_text_without_any_section_is_an_error() -> None:
    with pytest.raises(tailor.UserError, match="no CV sections found"):
        tailor.read_cv(
            b"Dear hiring manager, I am writing to apply.\nRegards, Mo\n", name="letter.txt"
        )


@pytest.mark.parametrize(
    "path", sorted(CVS.glob("*.md")) + sorted(CVS.glob("*.txt")), ids=lambda p: p.name
)
def test_test_cvs_parse_into_roles_with_bullets(path: object) -> None:
    cv = tailor.load_cv(str(path))
    assert cv.basics.name and not cv.basics.name.startswith("<!--")
    assert cv.work and all(w.position and w.name for w in cv.work)
    assert all(b.source and b.source.line for b in cv.bullets())


def test_volunteer_roles_read_like_work_roles() -> None:
    cv = cv_from_markdown(
        "# Mo Tran\n\n## Volunteering\n### Mentor — Code Club Leeds\n*Jan 2021 – Present · Leeds*\n"
        "- Mentored 12 students through their first ML project.\n"
    )
    role = cv.volunteer[0]
    assert (role.position, role.organization, role.start_date, role.end_date) == (
        "Mentor",
        "Code Club Leeds",
        "2021-01",
        None,
    )
    assert [b.text for b in role.highlights] == [
        "Mentored 12 students through their first ML project."
    ]
