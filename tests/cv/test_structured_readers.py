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
