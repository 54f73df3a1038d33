"""The scorer of a posting's requirements against a person's labels (tailor.posting.labels),
which the eval runner also uses on postings the tests never see."""

from __future__ import annotations

import pytest

from tailor.posting.labels import combined, score_requirements
from tailor.posting.model import JobPosting, Requirement


def posting_with(*requirements: tuple[str, str]) -> JobPosting:
    return JobPosting(
        source="job.txt",
        text="",
        requirements=[Requirement(text=text, kind=kind) for kind, text in requirements],
    )


def test_a_perfect_reading_scores_one() -> None:
    posting = posting_with(("must", "You have 5+ years of Python."), ("nice", "Go is a plus."))
    label = {
        "posting": "job.txt",
        "must": ["5+ years of  PYTHON"],  # case and spaces do not matter
        "nice": ["Go is a plus."],
        "not_requirements": ["We are a team of 40."],
    }
    score = score_requirements(posting, label)
    assert score["must"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0}
    assert score["nice"]["tp"] == 1 and score["any"]["tp"] == 2
    assert score["not_requirements"] == {"taken": 0, "left": 1}


def test_a_requirement_inside_its_fragment_matches_too() -> None:
    score = score_requirements(
        posting_with(("must", "Strong SQL")), {"must": ["Strong SQL, and code others can read."]}
    )
    assert score["must"]["tp"] == 1


def test_the_wrong_kind_is_a_miss_for_one_kind_and_an_extra_for_the_other() -> None:
    score = score_requirements(posting_with(("nice", "Rust is required.")), {"must": ["Rust"]})
    assert (score["must"]["fn"], score["nice"]["fp"], score["any"]["tp"]) == (1, 1, 1)
    assert score["errors"]["must"]["missed"] == ["Rust"]
    assert score["errors"]["nice"]["extra"] == ["Rust is required."]


def test_matching_is_one_to_one() -> None:
    """Two sentences run together find one label; one sentence read twice is one extra."""
    merged = score_requirements(
        posting_with(("must", "You know Go. You know SQL.")),
        {"must": ["You know Go.", "You know SQL."]},
    )
    assert (merged["must"]["tp"], merged["must"]["fn"]) == (1, 1)
    doubled = score_requirements(
        posting_with(("must", "You know Go"), ("must", "You know Go well")),
        {"must": ["You know Go well."]},
    )
    assert (doubled["must"]["tp"], doubled["must"]["fp"]) == (1, 1)


def test_a_not_requirement_taken_is_counted_and_named() -> None:
    score = score_requirements(
        posting_with(("must", "You will have a generous budget.")),
        {"not_requirements": ["You will have a generous budget"]},
    )
    assert score["not_requirements"] == {"taken": 1, "left": 0}
    assert score["errors"]["taken"] == ["You will have a generous budget"]
    assert score["must"]["precision"] == 0.0


def test_nothing_to_find_and_nothing_found_is_perfect() -> None:
    score = score_requirements(posting_with(), {"posting": "job.txt"})
    assert score["must"]["precision"] == score["must"]["recall"] == 1.0


def test_scores_add_up_over_postings() -> None:
    one = score_requirements(posting_with(("must", "Go")), {"must": ["Go"]})
    two = score_requirements(posting_with(("must", "SQL")), {"must": ["Rust"]})
    total = combined([one, two])
    assert total["must"] == {"tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5}


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ({"must": ["Go"], "musts": ["Rust"]}, "unknown key"),
        ({"must": "Go"}, "'must' in a posting label must be a list"),
        ({"nice": [""]}, "'nice' in a posting label must be a list"),
    ],
)
def test_a_malformed_label_is_refused(label: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score_requirements(posting_with(), label)
