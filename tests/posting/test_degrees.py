"""Degrees in coverage: the level (a higher degree meets a lower one), the written names of
degrees, and a field related to the one asked where the posting accepts "a related field"."""

from __future__ import annotations

import datetime

import pytest

import tailor
from tailor.posting.coverage import coverage
from tailor.posting.extract import degree_asked, degree_level, extract
from tailor.posting.reader import PostingDocument
from tests.conftest import cv_from_markdown

TODAY = datetime.date(2026, 11, 25)
CS_OR_RELATED = "Bachelor's in Computer Science or a related field."


def cv_with_degree(*education: str) -> tailor.CV:
    lines = "\n".join(f"- {entry}, University of Northmoor, 2015" for entry in education)
    return cv_from_markdown(
        "# Robin Vale\nML engineer\n\n## Experience\n\n### ML Engineer, Kestrel Freight\n"
        "2020-01 – 2024-01\n- Built Python services for 40 forecasting models.\n\n"
        f"## Education\n{lines}\n"
    )


def covered(requirement: str, *education: str) -> tailor.RequirementCoverage:
    posting = extract(PostingDocument("job.md", f"ML Engineer\n\nRequirements:\n- {requirement}\n"))
    assert len(posting.requirements) == 1, posting.requirements
    return coverage(cv_with_degree(*education), posting, today=TODAY).requirements[0]


@pytest.mark.parametrize(
    "field",
    [
        "Information Technology",
        "Software Engineering",
        "Computer Engineering",
        "Electrical Engineering",
        "Mathematics",
        "Statistics",
        "Physics",
        "Data Science",
        "Informatics",
    ],
)
def test_a_degree_in_a_related_field_meets_computer_science_or_a_related_field(
    field: str,
) -> None:
    item = covered(CS_OR_RELATED, f"BSc, {field}")
    assert item.status == "applied"
    assert item.note == (
        f"the education section shows a bachelor's degree in {field}, a field related to "
        "Computer Science"
    )
    assert item.quote == "BSc" and item.section == "education"  # the degree's own line
    assert item.missing == []


@pytest.mark.parametrize(
    ("study_type", "field"),
    [
        ("BSc", "Information Technology"),
        ("B.S.", "Software Engineering"),
        ("Bachelor of Science", "Mathematics"),
        ("BEng", "Computer Engineering"),
        ("MEng", "Electrical Engineering"),
        ("MSc", "Statistics"),
        ("M.S.", "Data Science"),
        ("PhD", "Physics"),
        ("Ph.D.", "Informatics"),
    ],
)
def test_every_written_name_of_a_degree_at_or_above_the_level_meets_it(
    study_type: str, field: str
) -> None:
    assert covered(CS_OR_RELATED, f"{study_type}, {field}").status == "applied"


@pytest.mark.parametrize(
    "requirement",
    [
        "BS in Computer Science or a related field.",
        "B.S. or M.S. in Computer Science or a related technical field.",
        "Bachelor of Science in Computer Science or related discipline.",
        "A degree in Computer Science, Mathematics or a related subject.",
        "BSc/MSc in CS or a relevant field.",
    ],
)
def test_the_usual_wordings_of_or_a_related_field(requirement: str) -> None:
    item = covered(requirement, "BSc, Information Technology")
    assert (item.requirement.degree, item.status) == ("bachelor", "applied")


def test_another_quantitative_subject_is_a_field_of_the_same_family() -> None:
    requirement = "A degree in Statistics, Mathematics or another quantitative subject."
    assert covered(requirement, "BSc, Economics").status == "applied"


def test_a_higher_degree_in_a_related_field_meets_a_lower_one() -> None:
    item = covered(CS_OR_RELATED, "BA, History", "MSc, Statistics")
    assert item.status == "applied"
    assert "a master's degree in Statistics" in (item.note or "")


def test_a_lower_degree_does_not_meet_a_higher_one() -> None:
    item = covered("MSc in Computer Science or a related field.", "BSc, Information Technology")
    assert item.status != "applied"


def test_an_unrelated_field_stays_in_part_as_before() -> None:
    item = covered(CS_OR_RELATED, "BA, History")
    assert (item.status, item.missing) == ("partial", ["computer science"])
    assert item.note == "the education section shows a bachelor's degree"


def test_without_a_related_field_only_the_field_named_meets_it() -> None:
    item = covered("Bachelor's in Computer Science.", "BSc, Information Technology")
    assert (item.status, item.missing) == ("partial", ["computer science"])
    assert covered("Bachelor's in Computer Science.", "BSc, Computer Science").status == "applied"


def test_the_field_asked_shown_by_the_cv_is_read_as_before() -> None:
    item = covered(CS_OR_RELATED, "BSc, Computer Science")
    assert (item.status, item.shown) == ("applied", ["computer science"])
    assert item.note == "the education section shows a bachelor's degree"


def test_only_the_degrees_field_is_stood_for_not_the_rest_of_the_requirement() -> None:
    item = covered(
        "BSc in Computer Science or a related field, and experience with Kubernetes.",
        "BSc, Physics",
    )
    assert (item.status, item.missing) == ("partial", ["Kubernetes"])


@pytest.mark.parametrize(
    ("written", "rank"),
    [
        ("BSc", 0),
        ("B.Sc.", 0),
        ("B.S.", 0),
        ("BS", 0),
        ("BA", 0),
        ("BEng", 0),
        ("Bachelor of Science", 0),
        ("Bachelor's degree", 0),
        ("MSc", 1),
        ("M.S.", 1),
        ("MEng", 1),
        ("MPhil", 1),
        ("Master of Science", 1),
        ("PhD", 2),
        ("Ph.D.", 2),
        ("DPhil", 2),
        ("Doctor of Philosophy", 2),
    ],
)
def test_the_written_names_of_degrees_have_their_level(written: str, rank: int) -> None:
    assert degree_level(f"{written} Computer Science") == rank


@pytest.mark.parametrize(
    ("text", "degree"),
    [
        ("A degree in Computer Science or a related field.", "bachelor"),
        ("A university degree in a quantitative subject.", "bachelor"),
        ("MEng or PhD in robotics.", "master"),
        ("Ph.D. in machine learning.", "phd"),
        ("Don't worry about degrees.", None),
    ],
)
def test_the_degree_a_requirement_asks_for(text: str, degree: str | None) -> None:
    assert degree_asked(text) == degree
