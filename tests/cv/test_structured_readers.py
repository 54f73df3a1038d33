"""JSON Resume (JSON and YAML) and rendercv YAML readers."""

from __future__ import annotations

import json

import pytest
import yaml

import tailor
from tests.conftest import EXAMPLES


def test_json_resume_loads_without_mapping() -> None:
    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.json")
    document = json.loads((EXAMPLES / "jordan-reyes.json").read_text())
    assert cv.basics.name == document["basics"]["name"]
    assert [w.name for w in cv.work] == [w["name"] for w in document["work"]]
    assert [b.text for b in cv.work[0].highlights] == document["work"][0]["highlights"]
    assert cv.to_json_resume()["work"] == document["work"]


def test_json_bullets_point_at_their_line_in_the_file() -> None:
    path = EXAMPLES / "jordan-reyes.json"
    lines = path.read_text().splitlines()
    cv = tailor.load_cv(path)
    for bullet in cv.bullets():
        assert bullet.source is not None and bullet.source.line is not None
        assert json.dumps(bullet.text)[1:40] in lines[bullet.source.line - 1]


def test_yaml_json_resume_equals_the_json_one() -> None:
    from_yaml = tailor.load_cv(EXAMPLES / "jordan-reyes.yaml")
    from_json = tailor.load_cv(EXAMPLES / "jordan-reyes.json")
    assert from_yaml.to_json_resume() == from_json.to_json_resume()


def test_rendercv_yaml_maps_to_json_resume_sections() -> None:
    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.rendercv.yaml")
    reference = tailor.load_cv(EXAMPLES / "jordan-reyes.json")
    assert cv.origin is not None and cv.origin.format == "rendercv-yaml"
    assert [(w.name, w.position, w.start_date) for w in cv.work] == [
        (w.name, w.position, w.start_date) for w in reference.work
    ]
    assert [b.text for b in cv.bullets()] == [b.text for b in reference.bullets()]
    assert [e.institution for e in cv.education] == [e.institution for e in reference.education]
    assert len(cv.publications) == len(reference.publications)
    assert cv.skills and cv.basics.summary
    assert cv.basics.profiles[0].network == "GitHub"


def test_unknown_fields_are_kept() -> None:
    document = {
        "$schema": "https://example.com/schema.json",
        "basics": {"name": "Ines", "pronouns": "she/her"},
        "work": [{"name": "Acme", "highlights": ["Built X"], "team": "Search"}],
        "certificatesOfMerit": [{"name": "thing"}],
    }
    cv = tailor.read_cv(json.dumps(document).encode(), name="cv.json")
    assert cv.to_json_resume() == document


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("cv.json", b'{"basics": {"name": "A"},\n "work": [}', "malformed JSON at line 2"),
        ("cv.yaml", b"basics:\n  name: [unclosed\n", "malformed YAML at line"),
        ("cv.json", b'["a list", "not a CV"]', "must be an object"),
        (
            "cv.json",
            b'{"work": [{"highlights": "not a list"}]}',
            "invalid CV field work.0.highlights",
        ),
        ("cv.json", b'{"$schema": "x", "basics": {}}', "no CV sections found"),
    ],
)
def test_malformed_structured_input_is_a_user_error(name: str, data: bytes, message: str) -> None:
    with pytest.raises(tailor.UserError, match=message) as caught:
        tailor.read_cv(data, name=name)
    assert "\n" not in str(caught.value)


def test_yaml_with_cv_key_but_rendercv_sections_only() -> None:
    document = {
        "cv": {
            "name": "Ola",
            "sections": {
                "experience": [
                    {
                        "company": "Fjord AI",
                        "position": "ML Engineer",
                        "start_date": "2021-01",
                        "end_date": "present",
                        "highlights": ["Shipped a ranking model to 2M users."],
                    }
                ]
            },
        }
    }
    cv = tailor.read_cv(yaml.safe_dump(document).encode(), name="cv.yaml")
    assert cv.work[0].name == "Fjord AI"
    assert cv.work[0].end_date is None
    assert cv.work[0].highlights[0].source is not None


def test_folded_yaml_bullets_still_find_their_line() -> None:
    text = (
        "basics:\n  name: Ola\nwork:\n  - name: Fjord AI\n    highlights:\n"
        "      - >-\n        Shipped a ranking model\n        to 2 million users.\n"
        "      - Cut p99 latency by 30 ms.\n"
    )
    cv = tailor.read_cv(text.encode(), name="cv.yaml")
    lines = [b.source.line for b in cv.bullets() if b.source]
    assert lines == [7, 9]


def test_a_bullet_not_found_in_the_file_has_no_line() -> None:
    # the second bullet is written with every letter escaped, so its text is nowhere in the file
    text = '{"work": [{"highlights": [\n"Cut costs by 10%",\n"\\u0042\\u0075\\u0069\\u006c\\u0074"\n]}]}'
    cv = tailor.read_cv(text.encode(), name="cv.json")
    assert [b.text for b in cv.bullets()] == ["Cut costs by 10%", "Built"]
    assert [b.source.line for b in cv.bullets() if b.source] == [2, None]


def test_yaml_dates_are_kept_as_iso_text() -> None:
    text = "basics:\n  name: A\nwork:\n  - name: Acme\n    startDate: 2020-01-15\n    highlights: [Built a thing]\n"
    cv = tailor.read_cv(text.encode(), name="cv.yaml")
    assert cv.work[0].start_date == "2020-01-15"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cv: 5\n", "rendercv's `cv:` must be a mapping"),
        ("cv:\n  name: A\n  sections: 5\n", "`cv.sections` must map section titles"),
        ('{"x": "only an unknown key"}', "no CV sections found"),
    ],
)
def test_malformed_rendercv_and_keyless_documents_are_user_errors(text: str, message: str) -> None:
    with pytest.raises(tailor.UserError, match=message):
        tailor.read_cv(text.encode(), name="cv.json" if text.startswith("{") else "cv.yaml")


def test_rendercv_highlights_written_as_one_string_are_one_bullet() -> None:
    text = "cv:\n  name: A\n  sections:\n    experience:\n      - company: Acme\n        position: Eng\n        highlights: Built a thing\n"
    cv = tailor.read_cv(text.encode(), name="cv.yaml")
    assert [b.text for b in cv.bullets()] == ["Built a thing"]


def test_a_link_in_a_rendercv_projects_summary_is_its_link() -> None:
    """As a Markdown CV's reader takes a project's link from what the project is; an entry's
    own url stands first, and the summary keeps its link."""
    entry = "      - name: {name}\n        summary: '{summary}'\n{extra}"
    projects = [
        entry.format(name="a", summary="Tool. [x.example/a](https://x.example/a)", extra=""),
        entry.format(name="b", summary="Tool, see https://y.example/b.", extra=""),
        entry.format(
            name="c", summary="[z](https://z.example)", extra="        url: https://c.example\n"
        ),
        entry.format(name="d", summary="No link here.", extra=""),
    ]
    text = "cv:\n  name: A\n  sections:\n    projects:\n" + "".join(projects)
    cv = tailor.read_cv(text.encode(), name="cv.yaml")
    assert [p.url for p in cv.projects] == [
        "https://x.example/a",
        "https://y.example/b",
        "https://c.example",
        None,
    ]
    assert cv.projects[0].description == "Tool. [x.example/a](https://x.example/a)"


# -- rendercv: every entry type as a typed section under its own title -----------------------

RENDERCV = """cv:
  name: Noor Vale
  headline: Machine Learning Engineer
  email: noor@example.com
  social_networks:
    - network: ORCID
      username: 0000-0002-1825-0097
    - network: Mastodon
      username: "@noor@sigmoid.social"
  sections:
    summary:
      - Builds retrieval systems for legal search.
    data_science_experience:
      - company: Lexora
        position: ML Engineer
        location: Dublin, Ireland
        start_date: 2021-03
        end_date: present
        highlights:
          - Cut reranking latency by 38%.
    teaching_experience:
      - company: Brannock College
        position: Tutor
        date: 2019-09
        highlights:
          - Taught 40 students linear algebra.
    education:
      - institution: Brannock College
        area: Statistics
        degree: MSc
        grade: Distinction
        start_date: 2019-09
        end_date: 2020-09
        highlights:
          - "Thesis: Calibrated retrieval"
    publications:
      - title: Calibrated Dense Retrieval
        authors: ["***Vale, N.***", "Osei, K."]
        journal: Fictional Workshop
        date: 2022-05
    patents:
      - name: Method for calibrated ranking
        date: 2023-01
        summary: Granted in the EU.
    invited_talks:
      - bullet: Retrieval at scale, Dublin ML Meetup 2023
    honors:
      - label: 2022
        details: Best Paper Award, Fictional Workshop
    selected_numbers:
      - number: First numbered line
      - reversed_number: A reversed numbered line
    skills:
      - label: Languages
        details: Python, Rust
    notes:
      - A plain text entry in a section of its own.
"""


@pytest.fixture(scope="module")
def rendercv_cv() -> tailor.CV:
    return tailor.read_cv(RENDERCV.encode(), name="noor.yaml")


def test_rendercv_sections_keep_their_own_titles(rendercv_cv: tailor.CV) -> None:
    origin = rendercv_cv.origin
    assert origin is not None
    assert origin.sections[:3] == ["Summary", "Data Science Experience", "Teaching Experience"]
    assert origin.kinds["Data Science Experience"] == origin.kinds["Teaching Experience"] == "work"
    from tailor.renderers.markdown import to_markdown

    markdown = to_markdown(rendercv_cv)
    assert "## Data Science Experience" in markdown and "## Teaching Experience" in markdown


def test_rendercv_entries_keep_every_field(rendercv_cv: tailor.CV) -> None:
    cv = rendercv_cv
    assert cv.basics.label == "Machine Learning Engineer"
    assert [p.url for p in cv.basics.profiles] == [
        "https://orcid.org/0000-0002-1825-0097",
        "https://sigmoid.social/@noor",
    ]
    tutor = cv.work[1]
    assert (tutor.start_date, tutor.end_date) == ("2019-09", "2019-09")  # a single `date`
    degree = cv.education[0]
    assert (degree.score, degree.highlights, degree.courses) == (
        "Distinction",
        ["Thesis: Calibrated retrieval"],
        [],
    )
    paper = cv.publications[0]
    assert paper.authors == ["Vale, N.", "Osei, K."] and paper.publisher == "Fictional Workshop"
    assert cv.skills[0].name == "Languages" and cv.skills[0].keywords == ["Python", "Rust"]


def test_rendercv_sections_json_resume_has_no_place_for_are_kept_as_lines(
    rendercv_cv: tailor.CV,
) -> None:
    extra = {s["title"]: s["lines"] for s in (rendercv_cv.model_extra or {})["additionalSections"]}
    assert extra["Patents"] == ["Method for calibrated ranking, 2023-01", "Granted in the EU."]
    assert extra["Invited Talks"] == ["Retrieval at scale, Dublin ML Meetup 2023"]
    assert extra["Selected Numbers"] == ["First numbered line", "A reversed numbered line"]
    assert extra["Notes"] == ["A plain text entry in a section of its own."]
    assert rendercv_cv.awards[0].title == "2022"  # a one-line entry under an awards title
    from tailor.renderers.markdown import to_markdown

    markdown = to_markdown(rendercv_cv)
    for line in ("Method for calibrated ranking", "Retrieval at scale", "A reversed numbered"):
        assert line in markdown


def test_rendercv_award_and_paper_highlights_stay_with_their_entry() -> None:
    yaml_text = """cv:
  name: Noor Vale
  sections:
    awards:
      - name: Best Paper
        date: 2022-05
        summary: Fictional Workshop on Retrieval
        highlights:
          - Chosen from 212 submissions
          - Invited to the journal issue.
    selected_publications:
      - name: Calibrated Dense Retrieval
        date: 2022-05
        highlights:
          - Oral presentation
"""
    cv = tailor.read_cv(yaml_text.encode(), name="noor.yaml")
    assert cv.awards[0].summary == (
        "Fictional Workshop on Retrieval. Chosen from 212 submissions. Invited to the journal issue."
    )
    assert cv.publications[0].summary == "Oral presentation"
    assert not (cv.model_extra or {}).get("additionalSections")  # no second "Awards" section


def test_a_json_resume_written_before_1_0_is_read_under_todays_names() -> None:
    document = {
        "basics": {"name": "Ines", "website": "https://ines.example.com"},
        "work": [{"company": "Acme", "position": "Engineer", "website": "https://acme.example"}],
        "education": [{"institution": "Brannock", "gpa": "3.9"}],
    }
    cv = tailor.read_cv(json.dumps(document).encode(), name="cv.json")
    assert cv.basics.url == "https://ines.example.com"
    assert (cv.work[0].name, cv.work[0].url) == ("Acme", "https://acme.example")
    assert cv.education[0].score == "3.9"


def test_reading_an_old_json_resume_leaves_the_callers_document_as_it_was() -> None:
    from tailor.cv.readers.structured import from_document

    document = {"basics": {"name": "Ines"}, "work": [{"company": "Acme", "position": "Engineer"}]}
    before = json.dumps(document, sort_keys=True)
    cv = from_document(document, text=before, fmt="json", path=None)
    assert cv.work[0].name == "Acme"
    assert json.dumps(document, sort_keys=True) == before
