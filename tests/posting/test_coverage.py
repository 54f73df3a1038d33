"""Coverage: whether and where a CV shows each requirement of a posting, and what the critique
and the rewrite make of it."""

from __future__ import annotations

import datetime
import re

import pytest

import tailor
from tailor.critic.llm import cv_lines
from tailor.posting.coverage import coverage, experience_years
from tailor.posting.extract import extract
from tailor.posting.reader import PostingDocument
from tests.conftest import EXAMPLES, cv_from_markdown

POSTINGS = EXAMPLES / "postings"
TODAY = datetime.date(2026, 11, 25)

CV_TEXT = """\
# Robin Vale
ML platform engineer

## Experience

### Senior ML Engineer, Kestrel Freight
2020-01 – 2023-12
- Moved 40 forecasting models onto k8s with Docker images built per commit, cutting deploy time from 2 days to 20 minutes.
- Wrote the Airflow retraining pipeline with drift monitoring that caught 6 bad data loads in a year.

### ML Engineer, Tidewater Health
2016-01 – 2019-12
- Trained PyTorch readmission models in Python and SQL, lifting recall by 9 points.

## Education
- BSc, Computer Science, University of Northmoor, 2015

## Skills
- Tools: Kafka, AWS, Python, PyTorch
"""

POSTING_TEXT = """\
Senior ML Engineer
Requirements:
- 5+ years of experience shipping models to production.
- BS in Computer Science or equivalent.
- Experience deploying services on Kubernetes with Docker.
- Production experience on AWS.
- Experience setting up CI/CD for model releases.
- Strong written communication.
Nice to have:
- Kafka or another event-streaming platform.
- A PhD in machine learning.
"""


@pytest.fixture(scope="module")
def robin() -> tailor.CV:
    return cv_from_markdown(CV_TEXT)


@pytest.fixture(scope="module")
def posting() -> tailor.JobPosting:
    return extract(PostingDocument("job.txt", POSTING_TEXT))


def status_of(result: tailor.Coverage, start: str) -> str:
    return next(i.status for i in result.requirements if i.requirement.text.startswith(start))


def test_each_requirement_is_shown_listed_or_missing(
    robin: tailor.CV, posting: tailor.JobPosting
) -> None:
    result = coverage(robin, posting, today=TODAY)
    assert status_of(result, "5+ years") == "applied"  # 2016-2023: eight years
    assert status_of(result, "BS in Computer") == "applied"
    assert status_of(result, "Experience deploying") == "applied"  # k8s is Kubernetes
    assert status_of(result, "Production experience on AWS") == "listed"
    assert status_of(result, "Experience setting up CI/CD") == "missing"
    assert status_of(result, "Strong written") == "unchecked"
    assert status_of(result, "Kafka") == "listed"
    assert status_of(result, "A PhD") == "missing"  # neither the degree nor the subject


def test_every_quote_is_a_line_of_the_cv_as_written(
    robin: tailor.CV, posting: tailor.JobPosting
) -> None:
    result = coverage(robin, posting, today=TODAY)
    lines = CV_TEXT.splitlines()
    quoted = [item for item in result.requirements if item.quote]
    assert len(quoted) >= 4
    for item in quoted:
        assert item.quote in cv_lines(robin) or item.quote in CV_TEXT
        if item.line is not None:
            assert item.quote in lines[item.line - 1]


def test_the_quote_shows_the_requirement_and_prefers_the_line_that_shows_most_of_it(
    robin: tailor.CV, posting: tailor.JobPosting
) -> None:
    result = coverage(robin, posting, today=TODAY)
    deploy = next(i for i in result.requirements if i.requirement.text.startswith("Experience d"))
    assert deploy.quote is not None and deploy.quote.startswith("Moved 40 forecasting models")
    assert deploy.section == "Experience" and deploy.shown == ["Kubernetes", "Docker"]


def test_the_score_counts_must_haves_double_and_listed_skills_half(
    robin: tailor.CV, posting: tailor.JobPosting
) -> None:
    result = coverage(robin, posting, today=TODAY)
    # must (x2): years 1, degree 1, k8s 1, AWS 0.5, CI/CD 0; nice (x1): Kafka 0.5, PhD 0
    assert result.score == round(100 * (2 * 3.5 + 0.5) / (2 * 5 + 2))
    assert "CI/CD" in result.keywords_missing and "Kubernetes" in result.keywords_shown


def test_adding_evidence_raises_the_score(posting: tailor.JobPosting) -> None:
    before = coverage(cv_from_markdown(CV_TEXT), posting, today=TODAY).score
    better = CV_TEXT.replace(
        "- Trained PyTorch",
        "- Set up CI/CD on AWS for 12 model releases a month.\n- Trained PyTorch",
    )
    assert coverage(cv_from_markdown(better), posting, today=TODAY).score > before


def test_years_count_overlapping_roles_once(robin: tailor.CV) -> None:
    assert experience_years(robin, TODAY) == 8.0
    overlapping = CV_TEXT.replace("2016-01 – 2019-12", "2019-01 – 2021-06")
    assert experience_years(cv_from_markdown(overlapping), TODAY) == 5.0


def test_the_critique_flags_missing_must_haves_and_scores_lower(
    robin: tailor.CV, posting: tailor.JobPosting
) -> None:
    plain = tailor.critique(robin, "production-ml")
    with_posting = tailor.critique(robin, "production-ml", posting=posting)
    assert with_posting.coverage is not None and with_posting.posting == "Senior ML Engineer"
    assert with_posting.score < plain.score
    rules = {(f.rule, f.severity) for f in with_posting.findings}
    assert ("posting-must-missing", "high") in rules
    assert ("posting-must-listed-only", "medium") in rules
    missing = next(f for f in with_posting.findings if f.rule == "posting-must-missing")
    assert "CI/CD" in missing.message and missing.quote is None
    listed = next(f for f in with_posting.findings if f.rule == "posting-must-listed-only")
    assert (
        listed.quote == "AWS"
        and listed.line == CV_TEXT.splitlines().index("- Tools: Kafka, AWS, Python, PyTorch") + 1
    )
    # the profile's own findings are still there
    assert {f.rule for f in plain.findings} <= {f.rule for f in with_posting.findings}


def test_a_posting_alone_is_a_target_of_its_own(
    robin: tailor.CV, posting: tailor.JobPosting
) -> None:
    result = tailor.critique(robin, posting=posting)
    assert result.target == "job-posting" and result.target_name == "Senior ML Engineer"
    assert result.coverage is not None


def test_a_cv_that_shows_everything_covers_the_posting_fully() -> None:
    cv = cv_from_markdown(CV_TEXT)
    posting = extract(
        PostingDocument("job.md", "Requirements:\n- PyTorch and Python\n- Airflow pipelines\n")
    )
    result = coverage(cv, posting, today=TODAY)
    assert result.score == 100 and all(i.status == "applied" for i in result.requirements)


def test_the_rewrite_leads_with_the_lines_the_posting_asks_for() -> None:
    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    plain = tailor.rewrite(cv, "startup")
    posting = extract(
        PostingDocument("job.md", "Requirements:\n- Strong SQL and Spark experience\n")
    )
    tailored = tailor.rewrite(cv, "startup", posting=posting)
    lumenbay = next(w for w in tailored.cv.work if w.name == "Lumenbay Analytics")
    assert "Spark" in lumenbay.highlights[0].text
    plain_lumenbay = next(w for w in plain.cv.work if w.name == "Lumenbay Analytics")
    assert "Spark" not in plain_lumenbay.highlights[0].text
    assert tailored.unsupported == [] and tailored.coverage is not None


def test_the_rewrite_uses_the_postings_word_for_a_skill_the_cv_lists(robin: tailor.CV) -> None:
    posting = extract(
        PostingDocument("job.md", "Requirements:\n- Amazon Web Services experience\n")
    )
    tailored = tailor.rewrite(robin, "production-ml", posting=posting)
    keywords = [k for skill in tailored.cv.skills for k in skill.keywords]
    assert "Amazon Web Services" in keywords and "AWS" not in keywords
    # renamed, it is still the skill no experience line shows: after the applied ones
    assert keywords == ["Python", "PyTorch", "Amazon Web Services", "Kafka"]
    renamed = next(c for c in tailored.changes if c.kind == "reworded")
    assert renamed.quote == "AWS" and "the posting" in renamed.reason
    assert tailored.unsupported == []


def test_the_rewrite_keeps_a_listed_skill_with_or_without_the_posting(robin: tailor.CV) -> None:
    without = tailor.rewrite(robin, "production-ml")
    # never applied: kept (the CV fits), after the applied ones
    assert [k for s in without.cv.skills for k in s.keywords] == [
        "Python",
        "PyTorch",
        "Kafka",
        "AWS",
    ]
    posting = extract(PostingDocument("job.md", "Requirements:\n- Kafka in production\n"))
    tailored = tailor.rewrite(robin, "production-ml", posting=posting)
    assert "Kafka" in [k for s in tailored.cv.skills for k in s.keywords]
    assert not [c for c in tailored.changes if c.section == "skills" and c.kind == "dropped"]


def test_the_rewrite_never_adds_a_skill_the_posting_wants_and_the_cv_lacks(
    robin: tailor.CV, posting: tailor.JobPosting
) -> None:
    tailored = tailor.rewrite(robin, posting=posting)
    text = tailored.cv.model_dump_json()
    assert not re.search(r"CI/CD|continuous integration", text)
    assert tailored.coverage is not None
    assert status_of(tailored.coverage, "Experience setting up CI/CD") == "missing"


@pytest.mark.parametrize("name", ["production-ml-platform.txt", "startup-inference.md"])
def test_every_example_posting_critiques_and_rewrites_the_example_cv(name: str) -> None:
    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    posting = tailor.load_posting(POSTINGS / name)
    critique = tailor.critique(cv, posting=posting)
    assert critique.coverage is not None and 0 < critique.coverage.score < 100
    for item in critique.coverage.requirements:
        if item.quote:
            assert item.quote in cv_lines(cv) or item.quote in cv.origin.text  # type: ignore[union-attr]
    tailored = tailor.rewrite(cv, posting=posting)
    assert tailored.unsupported == []


ONE_YEAR_CV = CV_TEXT.replace("2020-01 – 2023-12", "2022-01 – 2022-12").replace(
    "2016-01 – 2019-12", "2022-06 – 2022-12"
)
ONE_MUST_POSTING = "ML Engineer\nRequirements:\n- 3+ years of experience with Kubernetes.\n"


@pytest.mark.parametrize(
    ("dates", "says"),
    [
        (("2022-01 – 2022-12", "2022-06 – 2022-12"), "about 1 year"),
        (("2022-01 – 2023-06", "2022-06 – 2022-12"), "about 1.5 years"),
        (("2020-01 – 2023-12", "2016-01 – 2019-12"), "about 8 years"),
    ],
)
def test_the_years_note_agrees_in_number(dates: tuple[str, str], says: str) -> None:
    text = CV_TEXT.replace("2020-01 – 2023-12", dates[0]).replace("2016-01 – 2019-12", dates[1])
    posting = extract(PostingDocument("job.txt", ONE_MUST_POSTING))
    item = coverage(cv_from_markdown(text), posting, today=TODAY).requirements[0]
    assert item.note == f"the roles' dates add up to {says}"


def test_one_must_have_is_one_must_have_in_the_critique_and_the_rewrite() -> None:
    from tailor.rewriter.report import headline

    cv = cv_from_markdown(ONE_YEAR_CV)
    posting = extract(
        PostingDocument("job.txt", "ML Engineer\nRequirements:\n- Experience with k8s.\n")
    )
    report = tailor.critique(cv, posting=posting)
    assert "Your experience shows 1 of the posting's 1 must-have." in report.strengths
    assert "1 of 1 must-have shown" in report.summary
    rewritten = headline(tailor.rewrite(cv, posting=posting))
    assert "shows 1 of its 1 must-have." in rewritten
    texts = [*report.strengths, report.summary, rewritten]
    assert not any(re.search(r"\b1 (?:\w+ )?(?:years|must-haves)\b", text) for text in texts)
