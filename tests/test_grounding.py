"""The grounding check: every planted invention is caught, every rewording is let through."""

from __future__ import annotations

from pathlib import Path

import pytest

import tailor
from tailor.cv.model import CV
from tailor.grounding import Violation, check, dates, figures, unsupported_in
from tests.conftest import ALL_CVS, cv_from_markdown

SOURCE = cv_from_markdown(
    """# Avery Lin

ML Engineer · Leeds, UK · avery.lin@example.com · [github.com/avery-lin-example](https://github.com/avery-lin-example)

## Summary

Machine learning engineer with six years of work on search and serving.

## Experience

### Senior ML Engineer — Tidewater Freight

*Apr 2021 – Present · Leeds, UK*

- Served a PyTorch ranking model to 40 million users at 180 ms p95 latency on Kubernetes.
- Trained the demand model with FSDP on 64 A100 GPUs, cutting training time by 37%.
- Saved $1.2M a year by moving batch scoring to spot instances.

### ML Engineer — Copperline Health

*Jan 2019 – Mar 2021 · Bristol, UK*

- Built a triage classifier that raised recall@10 from 0.61 to 0.78.

## Publications

- **Sparse Routing for Freight Forecasts**, Workshop on Applied ML, 2022.

## Education

- **Master of Science, Computer Science**, University of Eastmoor, Sep 2017 – Jun 2018

## Skills

- **ML:** PyTorch, k8s, FSDP
"""
)


def tailored(edit: dict[str, object]) -> CV:
    """The source CV with one JSON Resume path replaced, as a rewrite might return it."""
    document = SOURCE.to_json_resume()
    target: object = document
    *parents, last = edit["path"]  # type: ignore[misc]
    for key in parents:
        target = target[key]  # type: ignore[index]
    target[last] = edit["value"]  # type: ignore[index]
    return CV.from_document(document)


def bullet(text: str, role: int = 0) -> CV:
    return tailored({"path": ["work", role, "highlights", 0], "value": text})


def summary(text: str) -> CV:
    return tailored({"path": ["basics", "summary"], "value": text})


def test_a_cv_is_grounded_in_itself() -> None:
    assert check(SOURCE, SOURCE) == []


@pytest.mark.parametrize("path", ALL_CVS, ids=lambda p: p.name)
def test_every_example_is_grounded_in_itself(path: Path) -> None:
    cv = tailor.load_cv(path)
    assert check(cv, cv) == []


@pytest.mark.parametrize(
    "rewording",
    [
        # the same figures written differently
        "Served a PyTorch ranking model to 40M users at 180ms p95 latency on Kubernetes.",
        "Served a PyTorch ranking model to 40,000,000 users at 180 milliseconds p95 latency.",
        "Cut training time by 37 percent with FSDP on 64 A100 GPUs.",
        "Trained on 64 GPUs with FSDP.",  # an A100 is a GPU
        "Saved $1,200,000 a year by moving batch scoring to spot instances.",
        "Saved USD 1.2 million a year with spot instances.",
        # a synonym of a skill the CV shows
        "Served the ranking model on k8s.",
        "Deployed on Kubernetes in Apr 2021.",
        "Served the model; dates: 2021-04.",
    ],
)
def test_rewordings_of_the_same_facts_pass(rewording: str) -> None:
    assert check(bullet(rewording), SOURCE) == []


def test_rewordings_in_other_places_pass() -> None:
    assert check(summary("Six years of search work; 6 years in total."), SOURCE) == []
    assert check(summary("Served 40M users on 64 A100 GPUs at Tidewater Freight."), SOURCE) == []
    assert check(bullet("Raised recall@10 from .61 to 0.78.", role=1), SOURCE) == []


@pytest.mark.parametrize(
    ("invention", "kind", "value"),
    [
        ("Served a ranking model to 45 million users.", "number", "45 million users"),
        ("Served a ranking model at 150 ms p95 latency.", "number", "150 ms"),
        ("Cut training time by 38%.", "number", "38%"),
        ("Trained on 64 H100 GPUs.", "number", "64 H100"),
        ("Cut training time by 37% in 9 days.", "number", "9 days"),
        ("Saved $1.5M a year.", "number", "$1.5M"),
        ("Served the model at 180 ms p99 latency.", "name", "p99"),
        ("Served the ranking model with Triton on Kubernetes.", "skill", "Triton"),
        ("Worked with a team at Google on search.", "name", "Google"),
        ("Published the model at github.com/someone-else/ranker.", "link", None),
        ("Shipped the ranker in Mar 2020.", "date", "Mar 2020"),
        ("Shipped the ranker in 2016.", "date", "2016"),
    ],
)
def test_planted_inventions_are_caught(invention: str, kind: str, value: str | None) -> None:
    violations = check(bullet(invention), SOURCE)
    assert [v.kind for v in violations] == [kind], violations
    assert violations[0].path == "work[0].highlights[0]"
    assert violations[0].text == invention
    if value is not None:
        assert violations[0].value == value


@pytest.mark.parametrize(
    ("path", "value", "kind"),
    [
        (["work", 0, "name"], "Tidewater Logistics", "employer"),
        (["work", 0, "position"], "Staff ML Engineer", "title"),
        (["work", 0, "startDate"], "2020-04", "date"),
        (["work", 1, "endDate"], "2021-06", "date"),
        (["education", 0, "studyType"], "Doctor of Philosophy", "degree"),
        (["education", 0, "institution"], "University of Westmoor", "organisation"),
        (["publications", 0, "name"], "Dense Routing for Freight Forecasts", "publication"),
        (["basics", "email"], "someone@example.com", "contact"),
        (["basics", "profiles", 0, "url"], "https://github.com/not-avery", "link"),
        (["skills", 0, "keywords", 1], "JAX", "skill"),
    ],
)
def test_changed_structured_facts_are_caught(path: list[object], value: str, kind: str) -> None:
    violations = check(tailored({"path": path, "value": value}), SOURCE)
    assert [(v.kind, v.value) for v in violations] == [(kind, value)]


def test_structured_facts_written_as_in_the_source_pass() -> None:
    assert (
        check(tailored({"path": ["skills", 0, "keywords", 1], "value": "Kubernetes"}), SOURCE) == []
    )
    assert (
        check(tailored({"path": ["work", 0, "name"], "value": "TIDEWATER FREIGHT"}), SOURCE) == []
    )


def test_dropping_content_is_never_a_violation() -> None:
    document = SOURCE.to_json_resume()
    del document["work"][1]
    document["work"][0]["highlights"] = document["work"][0]["highlights"][:1]
    assert check(CV.from_document(document), SOURCE) == []


@pytest.mark.parametrize(
    ("sentence", "source", "unsupported"),
    [
        ("Halved p95 latency.", "Cut p95 latency from 80 ms to 40 ms.", [("number", "50%")]),
        ("Doubled throughput.", "Raised throughput 2x with batching.", []),
        ("Doubled throughput.", "Raised throughput with batching.", [("number", "2x")]),
        ("A tenfold speed-up.", "Sped inference up 10x.", []),
        ("Throughput tripled.", "Throughput tripled after batching.", []),
    ],
)
def test_a_figure_written_as_a_word_is_a_figure(
    sentence: str, source: str, unsupported: list[tuple[str, str]]
) -> None:
    assert unsupported_in(sentence, [source]) == unsupported


def test_violations_are_models_that_serialise() -> None:
    violation = check(bullet("Cut training time by 38%."), SOURCE)[0]
    assert Violation.model_validate(violation.model_dump()) == violation


def test_figures_read_units_multipliers_and_words() -> None:
    found = {
        (str(f.value), f.unit)
        for f in figures("six years, 40M users, $410K, 1.3B-parameter, 2 TB, 3.2x")
    }
    assert found == {
        ("6", "year"),
        ("40000000", "user"),
        ("410000", "$"),
        ("1300000000", None),
        ("2", "TB"),
        ("3.2", "x"),
    }


def test_figures_skip_versions_names_and_dates() -> None:
    assert figures("Python 3.11.2 on an A100, p95, v2, 2022-03, https://x.io/42") == []


def test_dates_read_the_usual_forms() -> None:
    assert dates("Mar 2022") == {"2022-03", "2022"}
    assert dates("03/2022 and 2019-11") == {"2022-03", "2022", "2019-11", "2019"}
    assert dates("2022 – 2024,") == {"2022", "2024"}


def grounded(source: str, output: str) -> list[tuple[str, str]]:
    """The violations of a one-role CV whose only bullet is rewritten from `source` to `output`."""
    template = (
        "# Kim Lau\n\n## Experience\n\n### ML Engineer — Oakridge\n\n*2021 – Present*\n\n- {}\n"
    )
    before = cv_from_markdown(template.format(source))
    after = cv_from_markdown(template.format(output))
    return [(v.kind, v.value) for v in check(after, before)]


@pytest.mark.parametrize(
    ("source", "output"),
    [
        ("Served 40 million users.", "Served 40M users."),
        ("Saved $410,000 a year.", "Saved $410K a year."),
        ("Cut latency from 180 to 42 ms.", "Cut latency from 180 ms to 42 ms."),
        ("Three to five years of data.", "3-5 years of data."),
        ("Served 40 million monthly users.", "Served 40M users."),  # a count noun may move
    ],
)
def test_figures_written_another_way_pass(source: str, output: str) -> None:
    assert grounded(source, output) == []


@pytest.mark.parametrize(
    ("source", "output", "violation"),
    [
        ("Trained 3 models in 2 weeks.", "Trained 2 models in 3 weeks.", ("number", "3 weeks")),
        ("Ran the study over 2015-2016.", "Ran the study over 2014-2016.", ("date", "2014")),
        ("Shipped it in Go for growth.", "Shipped it in C for growth.", ("name", "C")),
        ("Improved accuracy to 94.1.", "Improved accuracy to 95.3.", ("number", "95.3")),
    ],
)
def test_changed_figures_units_and_names_are_caught(
    source: str, output: str, violation: tuple[str, str]
) -> None:
    assert violation in grounded(source, output)


def test_short_names_and_abbreviations_match_as_whole_words_only() -> None:
    # "MS" is not stated by "35 ms", nor "Go" by "going"
    degree = tailored({"path": ["education", 0, "studyType"], "value": "MS"})
    assert [(v.kind, v.value) for v in check(degree, SOURCE)] == [("degree", "MS")]
    skill = tailored({"path": ["skills", 0, "keywords", 0], "value": "Go"})
    assert [(v.kind, v.value) for v in check(skill, SOURCE)] == [("skill", "Go")]


def test_a_figure_cannot_move_to_another_role() -> None:
    moved = bullet("Raised recall@10 from 0.61 to 0.78.", role=0)
    assert {(v.kind, v.value) for v in check(moved, SOURCE)} == {
        ("number", "10"),
        ("number", "0.61"),
        ("number", "0.78"),
    }


def test_a_role_must_pair_its_own_employer_title_and_dates() -> None:
    # each value exists in the CV, but not together
    swapped = tailored({"path": ["work", 0, "name"], "value": "Copperline Health"})
    assert [(v.kind, v.path) for v in check(swapped, SOURCE)] == [("employer", "work[0]")]
    assert check(swapped, SOURCE)[0].value == "Copperline Health — Senior ML Engineer"
    redated = tailored({"path": ["work", 0, "startDate"], "value": "2019-01"})
    assert [(v.kind, v.value) for v in check(redated, SOURCE)] == [("date", "2019-01")]


def test_violations_come_in_document_order() -> None:
    document = SOURCE.to_json_resume()
    document["skills"][0]["keywords"].append("JAX")
    document["work"][1]["highlights"][0] = "Raised recall by 12%."
    document["basics"]["summary"] = "Engineer of 9 years."
    document["work"][0]["name"] = "Copperline Health"
    violations = check(CV.from_document(document), SOURCE)
    assert [(v.kind, v.path) for v in violations] == [
        ("number", "basics.summary"),
        ("employer", "work[0]"),
        ("number", "work[1].highlights[0]"),
        ("skill", "skills[0].keywords[3]"),
    ]


@pytest.mark.parametrize(
    ("sentence", "written"),
    [
        ("Served the model on kafka streams with 3 replicas.", "kafka"),
        ("Built retrieval-augmented generation over 2M claims.", "retrieval-augmented generation"),
        ("Ran RLHF on the claims model.", "RLHF"),
        ("Tuned the claims model with LightGBM.", "LightGBM"),
    ],
)
def test_a_skill_named_in_a_sentence_must_be_one_the_cv_names(sentence: str, written: str) -> None:
    """Lower-case skills too: a posting's "kafka" cannot slip into a bullet."""
    violations = check(bullet(sentence), SOURCE)
    assert ("skill", written) in [(v.kind, v.value) for v in violations]


def test_a_narrower_skill_the_role_names_supports_the_broader_one() -> None:
    """The role names FSDP: "distributed training" says no more than that."""
    assert check(bullet("Ran distributed training with FSDP on 64 A100 GPUs."), SOURCE) == []


def test_a_figure_with_a_multiplier_is_no_year() -> None:
    """ "2K+ downloads" is two thousand downloads, not the year 2000: a CV is grounded in
    itself, and the same figure written another way passes."""
    assert grounded("Gained 2K+ downloads.", "Gained 2K+ downloads.") == []
    assert grounded("Gained 2,000 downloads.", "Gained 2K downloads.") == []
    assert grounded("Shipped it in 2016.", "Shipped it in 2017.") == [("date", "2017")]
