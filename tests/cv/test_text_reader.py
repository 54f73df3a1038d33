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


def _roles(
    text: str, name: str = "cv.txt"
) -> list[tuple[str | None, str | None, str | None, str | None]]:
    cv = tailor.read_cv(text.encode(), name=name)
    return [(w.position, w.name, w.start_date, w.end_date) for w in cv.work]


def test_company_in_capitals_is_a_role_not_a_section() -> None:
    text = (
        "Jane Roe\njane@example.com\n\nEXPERIENCE\n\nACME CORPORATION, London\n"
        "Data Scientist, Jan 2020 – Present\n- Cut churn by 12%.\n\nBETA LABS LTD\n"
        "ML Engineer, 2017 – 2019\n- Worked on the search ranker.\n\nSKILLS\nPython, SQL\n"
    )
    assert _roles(text) == [
        ("Data Scientist", "ACME CORPORATION", "2020-01", None),
        ("ML Engineer", "BETA LABS LTD", "2017", "2019"),
    ]
    cv = tailor.read_cv(text.encode(), name="cv.txt")
    assert cv.origin is not None and cv.origin.sections == ["EXPERIENCE", "SKILLS"]
    assert cv.work[0].location == "London"


def test_linkedin_layout_of_title_company_dates_place() -> None:
    text = (
        "Alex Kim\n\nExperience\nSenior Machine Learning Engineer\nFinlytics\n"
        "Mar 2021 - Present (3 years 2 months)\nSan Francisco, California\n"
        "Built a fraud scoring service handling 2,000 requests per second.\n\n"
        "Machine Learning Engineer\nShopCo\nJun 2018 - Feb 2021 (2 years 9 months)\n"
        "Worked on the recommendation engine.\n\n"
        "Education\nStanford University\nMaster of Science - MS, Computer Science\n2016 - 2018\n"
    )
    cv = tailor.read_cv(text.encode(), name="cv.txt")
    assert _roles(text) == [
        ("Senior Machine Learning Engineer", "Finlytics", "2021-03", None),
        ("Machine Learning Engineer", "ShopCo", "2018-06", "2021-02"),
    ]
    assert cv.work[0].location == "San Francisco, California"
    assert cv.work[1].summary == "Worked on the recommendation engine."
    degree = cv.education[0]
    assert (degree.institution, degree.study_type, degree.area) == (
        "Stanford University",
        "Master of Science",
        "Computer Science",
    )


def test_next_role_is_not_glued_to_an_unpunctuated_bullet() -> None:
    text = (
        "Kim Lee\n\nEXPERIENCE\nSenior Data Scientist, Foo Corp, Jan 2021 - Present\n"
        "- Led migration to Kubernetes\nData Scientist, Bar Inc\nJan 2019 - Dec 2020\n"
        "- Worked on pricing models\n"
    )
    cv = tailor.read_cv(text.encode(), name="cv.txt")
    assert [b.text for b in cv.bullets()] == [
        "Led migration to Kubernetes",
        "Worked on pricing models",
    ]
    assert _roles(text)[1] == ("Data Scientist", "Bar Inc", "2019-01", "2020-12")


@pytest.mark.parametrize(
    "subheading", ["Key Achievements:", "KEY ACHIEVEMENTS", "Responsibilities"]
)
def test_achievement_subheadings_stay_inside_their_role(subheading: str) -> None:
    text = (
        "Dana White\n\nEXPERIENCE\n\nSenior Data Scientist, Nimbus Ltd (Jan 2020 – Present)\n"
        f"Led forecasting for retail.\n\n{subheading}\n• Cut forecast error by 12%.\n\n"
        "Data Scientist, Orion plc (2017 – 2019)\n• Built churn models.\n\nSKILLS\nPython\n"
    )
    cv = tailor.read_cv(text.encode(), name="cv.txt")
    assert [w.name for w in cv.work] == ["Nimbus Ltd", "Orion plc"]
    assert [b.text for b in cv.work[0].highlights] == ["Cut forecast error by 12%."]
    assert not cv.awards


def test_markdown_sections_open_only_at_the_section_heading_level() -> None:
    text = (
        "# Bo Chen\n\n## Technical Skills\nLanguages\nPython, Go, C++\n\n"
        "## Experience\n### ML Engineer — Acme\n*2021 – Present*\nPUBLIC SPEAKING\n- Built a thing.\n"
    )
    cv = cv_from_markdown(text)
    assert cv.origin is not None and cv.origin.sections == ["Technical Skills", "Experience"]
    assert [(s.name, s.keywords) for s in cv.skills] == [("Languages", ["Python", "Go", "C++"])]
    assert not cv.languages


def test_dotted_european_dates_and_tab_separated_headers() -> None:
    assert _roles(
        "Maria\n\nEXPERIENCE\nData Scientist, Acme S.p.A., 03.2019 – 05.2021\n- Built X.\n"
    ) == [("Data Scientist", "Acme S.p.A.", "2019-03", "2021-05")]
    assert _roles(
        "Maria\n\nEXPERIENCE\nData Scientist\tAcme Corp\tJan 2020 – Dec 2022\n- Built X.\n"
    ) == [("Data Scientist", "Acme Corp", "2020-01", "2022-12")]


def test_hyphen_at_a_wrap_is_kept() -> None:
    cv = cv_from_markdown("# A\n\n## Experience\n- Built an end-to-\n  end training pipeline.\n")
    assert next(cv.bullets()).text == "Built an end-to-end training pipeline."


def test_profiles_are_recognised_by_host() -> None:
    cv = cv_from_markdown(
        "# Mo\nmo@example.com · https://www.github.com/mo · https://box.com/s/cv · https://scholar.google.com/citations?user=1\n\n"
        "## Experience\n- Built a thing.\n"
    )
    assert [(p.network, p.url) for p in cv.basics.profiles] == [
        ("GitHub", "https://www.github.com/mo"),
        ("Google Scholar", "https://scholar.google.com/citations?user=1"),
    ]
    assert cv.basics.url == "https://box.com/s/cv"


def test_roles_written_as_paragraphs_each_keep_their_text() -> None:
    text = (
        "Sofia Almeida\n\nEXPERIENCE\n\nMachine Learning Engineer, Tidewave Energy (Apr 2021 – Present)\n"
        "I trained a model on 4 years of SCADA data and deployed it on AWS; it cut downtime by 17%.\n\n"
        "Data Scientist, Oporto Retail (Sep 2018 – Mar 2021)\n"
        "Built demand forecasts for 400 stores. Helped with the A/B testing framework.\n\n"
        "Analyst, Lisbon Telecom (Jan 2017 – Aug 2018)\nDeployed a churn model used by 50 agents.\n"
    )
    cv = tailor.read_cv(text.encode(), name="cv.txt")
    assert [w.name for w in cv.work] == ["Tidewave Energy", "Oporto Retail", "Lisbon Telecom"]
    assert cv.work[0].summary == (
        "I trained a model on 4 years of SCADA data and deployed it on AWS; it cut downtime by 17%."
    )
    vague = [f.quote for f in tailor.critique(cv, "startup").findings if f.rule == "vague-bullet"]
    assert vague == ["Helped with the A/B testing framework."]


def test_company_line_under_a_title_heading_completes_the_role() -> None:
    text = (
        "# Priya\n\n## Experience\n\n### Senior Machine Learning Engineer\n\n"
        "Lumen Logistics | Mar 2021 – Present | San Francisco, CA\n\n- Cut p95 latency by 160 ms.\n\n"
        "### Machine Learning Engineer\n\nBrightcart | Jun 2018 – Feb 2021 | Austin, TX\n\n- Shipped it.\n"
    )
    cv = cv_from_markdown(text)
    assert [(w.position, w.name, w.location, w.start_date) for w in cv.work] == [
        ("Senior Machine Learning Engineer", "Lumen Logistics", "San Francisco, CA", "2021-03"),
        ("Machine Learning Engineer", "Brightcart", "Austin, TX", "2018-06"),
    ]


def test_company_and_place_under_a_dated_title() -> None:
    text = "Jo\n\nEXPERIENCE\nData Scientist   Mar 2020 – Present\nAcme Corp, Boston\n- Cut churn by 12%.\n"
    cv = tailor.read_cv(text.encode(), name="cv.txt")
    assert (cv.work[0].position, cv.work[0].name, cv.work[0].location) == (
        "Data Scientist",
        "Acme Corp",
        "Boston",
    )


def test_phone_in_brackets_and_degree_year_as_end_date() -> None:
    cv = tailor.read_cv(
        b"Jo Park\n(312) 555-0188 | jo@example.com\n\nEDUCATION\nMSc Statistics, University of Elm, 2019\n\nSKILLS\nR\n",
        name="cv.txt",
    )
    assert cv.basics.phone == "(312) 555-0188"
    assert (cv.education[0].start_date, cv.education[0].end_date) == (None, "2019")


def test_a_school_with_its_own_dates_is_no_heading_for_the_next() -> None:
    """LinkedIn's layout names a school on a line of its own above its degree (its dates on
    either); two rows with dates of their own are two entries."""
    rows = (
        "Exchange Student, Mathematics, Hebrew University of Jerusalem, Sep 2019 – Mar 2020\n\n"
        "Karl-Friedrich-Schule, Mannheim, Germany, 1.0 (full marks)\tSep 2009 – Jun 2017\n"
    )
    cv = tailor.read_cv(f"Ada\n\nEducation\n\n{rows}\nSkills\n\nPython\n".encode(), name="cv.txt")
    assert [(e.institution, e.start_date) for e in cv.education] == [
        ("Hebrew University of Jerusalem", "2019-09"),
        ("Karl-Friedrich-Schule", "2009-09"),
    ]
    dated_school = "Stanford University, 2015 – 2019\n\nB.S. in Computer Science\n"
    cv = tailor.read_cv(
        f"Ada\n\nEducation\n\n{dated_school}\nSkills\n\nPython\n".encode(), name="cv.txt"
    )
    assert [(e.institution, e.start_date) for e in cv.education] == [
        ("Stanford University", "2015")
    ]
    linkedin = "University of Elm\nMaster of Science - MS, Computer Science\n2015 - 2017\n"
    cv = tailor.read_cv(
        f"Ada\n\nEducation\n\n{linkedin}\nSkills\n\nPython\n".encode(), name="cv.txt"
    )
    assert [(e.institution, e.study_type) for e in cv.education] == [
        ("University of Elm", "Master of Science")
    ]


@pytest.mark.parametrize("years", ["2015 - 2019", "2015 – 2019", "2015-2019"])
def test_a_range_of_years_at_the_end_is_no_phone_number(years: str) -> None:
    """Where a header has no contact details the last lines are searched for them; a degree's
    years there are its dates."""
    cv = cv_from_markdown(f"# Ada\n\n## Education\n\n### BSc Physics, Elm University\n{years}\n")
    assert cv.basics.phone is None
    assert (cv.education[0].start_date, cv.education[0].end_date) == ("2015", "2019")
    with_phone = cv_from_markdown(
        "# Ada\n\n## Education\n\nBSc Physics, 2019\n\n+44 20 7946 0000\n"
    )
    assert with_phone.basics.phone == "+44 20 7946 0000"


@pytest.mark.parametrize(
    ("contact", "url"),
    [
        ("Node.js/TypeScript", None),
        ("ASP.NET/C#", None),
        ("B.Sc/M.Sc", None),
        ("anaquill.net", "https://anaquill.net"),
        ("anaquill.dev/talks", "https://anaquill.dev/talks"),
    ],
)
def test_a_technology_in_the_header_is_not_taken_for_a_site(contact: str, url: str | None) -> None:
    text = f"# Ana Quill\nML engineer · {contact}\n\n## Experience\n\n### ML Engineer, Acme\n2020 - 2024\n- Built things.\n"
    cv = tailor.read_cv(text.encode(), name="cv.md")
    assert cv.basics.url == url
