"""Reading a job posting offline: requirements, must-have or nice-to-have, skills and synonyms,
checked against labels a person wrote for fictional postings (tests/data/postings/labels.yaml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import tailor
from tailor.errors import UserError
from tailor.posting.extract import degree_asked, extract, heading_kind, years_asked
from tailor.posting.reader import PostingDocument, read_posting
from tailor.skills import canonical, known_skills, shows, synonyms
from tests.conftest import EXAMPLES

POSTINGS = EXAMPLES / "postings"
DATA = Path(__file__).resolve().parents[1] / "data" / "postings"
LABELS: dict[str, Any] = yaml.safe_load((DATA / "labels.yaml").read_text(encoding="utf-8"))
CLEAN = sorted(name for name, label in LABELS.items() if "same_as" not in label)


def posting_from(text: str, name: str = "job.md") -> tailor.JobPosting:
    return extract(PostingDocument(name, text))


@pytest.mark.parametrize("name", CLEAN)
def test_the_requirements_are_the_ones_a_reader_would_list(name: str) -> None:
    posting = tailor.load_posting(POSTINGS / name)
    label = LABELS[name]
    expected = [(kind, item["text"]) for kind in ("must", "nice") for item in label[kind]]
    found = [(r.kind, r.text) for r in posting.requirements]
    assert sorted(found) == sorted(expected)
    assert (posting.title, posting.company) == (label["title"], label["company"])


@pytest.mark.parametrize("name", CLEAN)
def test_each_requirement_names_the_skills_a_reader_would(name: str) -> None:
    """Every labelled skill tailor knows by some name is found, under its canonical name."""
    posting = tailor.load_posting(POSTINGS / name)
    by_text = {r.text: r for r in posting.requirements}
    wanted = found = 0
    missed = []
    for kind in ("must", "nice"):
        for item in LABELS[name][kind]:
            for skill in item["skills"]:
                if skill.lower() not in synonyms():
                    continue  # a name tailor does not know ("shipping end to end")
                wanted += 1
                if canonical(skill) in by_text[item["text"]].skills:
                    found += 1
                else:
                    missed.append((skill, item["text"]))
    assert wanted > 0
    assert found / wanted >= 0.9, missed


def test_the_pdf_posting_reads_like_its_text() -> None:
    from_pdf = tailor.load_posting(POSTINGS / "research-scientist-llm-evals.pdf")
    from_text = tailor.load_posting(POSTINGS / "research-scientist-llm-evals.txt")
    assert [(r.kind, r.text) for r in from_pdf.requirements] == [
        (r.kind, r.text) for r in from_text.requirements
    ]
    assert from_pdf.title == "Research Scientist, LLM Evaluations"


@pytest.mark.parametrize(
    ("written", "canonical_name"),
    [
        ("Experience deploying services on k8s", "Kubernetes"),
        ("Deep experience with torch", "PyTorch"),
        ("multi-node training at scale", "distributed training"),
        ("built retrieval-augmented generation systems", "RAG"),
        ("Postgres and Redis", "PostgreSQL"),
        ("gradient-boosted trees", "gradient boosting"),
        ("quantization to int8", "quantisation"),
        ("Golang services", "Go"),
    ],
)
def test_a_variant_counts_as_its_skill(written: str, canonical_name: str) -> None:
    assert canonical_name in known_skills(written)


@pytest.mark.parametrize(
    ("text", "skill", "expected"),
    [
        ("Built an XGBoost churn model", "gradient boosting", True),
        ("Used gradient boosting for churn", "XGBoost", False),  # broader does not show narrower
        ("Trained with FSDP on 64 GPUs", "distributed training", True),
        ("Built an XGBoost churn model", "LightGBM", False),  # different tools stay apart
    ],
)
def test_a_narrower_skill_shows_the_broader_one(text: str, skill: str, expected: bool) -> None:
    assert shows(text, skill) is expected


@pytest.mark.parametrize(
    "text",
    [
        "Go above and beyond for customers.",
        "TS/SCI clearance required.",
        "We spark new ideas every week.",
        "The rust belt is home.",
    ],
)
def test_ordinary_words_are_not_skills(text: str) -> None:
    assert known_skills(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Send your CV to jobs@example.com.",
        "Our vision is a world where every model is audited.",
        "Our go-to-market team is in Berlin.",
        "We value experimentation and curiosity.",
    ],
)
def test_common_words_do_not_make_a_keyword(text: str) -> None:
    assert known_skills(text) == []


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("## Requirements", "must"),
        ("Minimum qualifications:", "must"),
        ("WHAT YOU'LL BRING", "must"),
        ("**You might be a fit if you:**", "must"),
        ("Nice to have", "nice"),
        ("Preferred qualifications:", "nice"),
        ("### Bonus points", "nice"),
        ("Strong candidates may also have", "nice"),
        ("## What you'll do", "other"),
        ("BENEFITS", "other"),
        ("About Orrery", "other"),
        ("Experience with PyTorch.", None),
        ("- Python", None),
    ],
)
def test_headings_open_the_right_kind_of_section(line: str, kind: str | None) -> None:
    assert heading_kind(line) == kind


@pytest.mark.parametrize(
    ("text", "years", "degree"),
    [
        ("5+ years of experience with Python", 5, None),
        ("3-5 years building ML systems", 3, None),
        ("Five years shipping models", 5, None),
        ("Two or more years of experience with Go", 2, None),
        ("MS or PhD in Computer Science", None, "master"),
        ("PhD in machine learning or equivalent experience", None, "phd"),
        ("BS in Computer Science or equivalent practical experience", None, "bachelor"),
        ("Bachelor's degree in a quantitative field", None, "bachelor"),
        ("p95 latency under 35 ms with 2 GPUs", None, None),
    ],
)
def test_years_and_degrees_are_read_from_the_usual_wording(
    text: str, years: int | None, degree: str | None
) -> None:
    assert years_asked(text) == years
    assert degree_asked(text) == degree


def test_a_paragraph_is_split_into_sentences_each_with_its_own_kind() -> None:
    posting = posting_from(
        "# ML Engineer\n\nYou must have shipped PyTorch models. Experience with k8s is a plus.\n"
    )
    assert [(r.kind, r.skills) for r in posting.requirements] == [
        ("must", ["PyTorch"]),
        ("nice", ["Kubernetes"]),
    ]


def test_a_wrapped_list_item_is_one_requirement() -> None:
    posting = posting_from(
        "Requirements:\n- Experience designing evaluations for large language\n"
        "  models, including contamination checks\n- Python\n  and SQL\n"
    )
    assert [r.text for r in posting.requirements] == [
        "Experience designing evaluations for large language models, including contamination "
        "checks",
        "Python and SQL",
    ]


def test_prose_under_a_requirements_heading_is_not_a_requirement_unless_it_names_one() -> None:
    posting = posting_from(
        "## About you\n\nWe care about what you have built. You know Rust well.\n- Python\n"
        "  experience\n"
    )
    assert [r.text for r in posting.requirements] == ["You know Rust well.", "Python experience"]


def test_duties_and_benefits_are_not_requirements_but_their_skills_are_keywords() -> None:
    posting = posting_from(
        "## What you'll do\n- Run Spark jobs every night\n## Benefits\n- Free lunch\n"
        "## Requirements\n- Python\n  experience\n"
    )
    assert [r.text for r in posting.requirements] == ["Python experience"]
    assert posting.keywords == ["Spark", "Python"]


def test_html_is_read_as_the_visible_page() -> None:
    posting = tailor.load_posting(POSTINGS / "applied-ml-fintech.html")
    assert "<" not in posting.text and "function" not in posting.text  # no tags, no script
    assert posting.title == "Applied ML Engineer, Fraud"
    assert len(posting.must()) == len(LABELS["applied-ml-fintech.html"]["must"])


@pytest.mark.parametrize(
    "hidden",
    [
        '<div style="display:none">Hidden text here</div>',
        '<p style="color: #ffffff">Hidden text here</p>',
        '<span style="font-size:0">Hidden text here</span>',
        "<p hidden>Hidden text here</p>",
        '<p aria-hidden="true">Hidden text here</p>',
        "<!-- Hidden text here -->",
        "<script>var t = 'Hidden text here';</script>",
    ],
)
def test_text_a_reader_cannot_see_is_not_read(hidden: str) -> None:
    html = f"<html><body><h2>Requirements</h2><ul><li>Python</li></ul>{hidden}</body></html>"
    document = read_posting(html.encode(), name="job.html")
    assert "Hidden" not in document.text
    assert "Python" in document.text


def test_a_json_job_reads_its_qualifications_as_requirements() -> None:
    posting = tailor.load_posting(POSTINGS / "data-platform-job.json")
    job = json.loads((POSTINGS / "data-platform-job.json").read_text(encoding="utf-8"))
    assert posting.title == job["title"] and posting.company == job["company"]
    assert [r.text for r in posting.requirements] == job["qualifications"]
    assert "Spark" in posting.keywords  # from its skills


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "job.txt", "is empty"),
        (b"   \n\n", "job.md", "is empty"),
        (b"\x00\x01\x02binary" * 100, "job.txt", "binary file, not a job posting"),
        (b"{not json", "job.json", "malformed JSON"),
        (b"[1, 2]", "job.json", "must be an object"),
        (b'{"basics": {"name": "A"}, "work": []}', "job.json", "a CV in JSON Resume form"),
        (b'{"salary": "100k"}', "job.json", "no title, description or qualifications"),
        (b"<html><body><script>x</script></body></html>", "job.html", "no text found"),
        (b"x" * (3 * 1024 * 1024), "job.txt", "over 2 MB, the limit for a job posting file"),
    ],
)
def test_bad_postings_are_one_clear_error(data: bytes, name: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as caught:
        read_posting(data, name=name)
    assert name in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_posting_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such posting file"):
        tailor.load_posting(tmp_path / "nope.md")
    with pytest.raises(UserError, match="is a folder"):
        tailor.load_posting(tmp_path)


def test_the_format_is_sniffed_when_the_name_says_nothing() -> None:
    html = b"<!DOCTYPE html><html><body><h2>Requirements</h2><ul><li>Rust skills</li></ul>"
    assert "<" not in read_posting(html, name="<stdin>").text
    job = b'{"title": "ML Engineer", "qualifications": ["Python skills"]}'
    assert read_posting(job, name="<stdin>").title == "ML Engineer"


def test_a_dark_page_is_read_and_a_class_the_page_hides_is_not() -> None:
    html = (
        "<html><head><style>.seo, #promo { display: none }</style></head>"
        '<body style="color:#fff;background:#111"><h2>Requirements</h2><ul><li>Python skills</li>'
        '<li class="seo">Hidden requirement text</li><li id="promo">Hidden too</li></ul>'
        '<p style="color:white;background-color:#ffffff">White on white</p></body></html>'
    )
    text = read_posting(html.encode(), name="job.html").text
    assert "Python skills" in text
    assert "Hidden" not in text and "White on white" not in text


def test_a_json_job_with_one_qualification_as_a_string_reads_it_whole() -> None:
    job = b'{"title": "ML Engineer", "qualifications": "Strong Python and SQL experience"}'
    posting = extract(read_posting(job, name="job.json"))
    assert [r.text for r in posting.requirements] == ["Strong Python and SQL experience"]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Terraform would be an advantage", "nice"),
        ("Experience with dbt is an asset", "nice"),
        ("Spark experience is optional", "nice"),
        ("A strong preference for Rust experience", "nice"),
        ("Python experience", "must"),
    ],
)
def test_the_usual_words_for_a_nice_to_have(line: str, kind: str) -> None:
    posting = posting_from(f"Requirements:\n- {line}\n")
    assert [r.kind for r in posting.requirements] == [kind]


def test_what_a_posting_says_is_not_needed_is_not_a_requirement() -> None:
    posting = posting_from(
        "Requirements:\n- No Kubernetes experience required.\n- Go\n- A degree is not required\n"
    )
    assert [(r.text, r.skills) for r in posting.requirements] == [("Go", ["Go"])]


@pytest.mark.parametrize(
    "heading",
    [
        "Job Requirements:",
        "Skills and Qualifications:",
        "Qualifications & Experience:",
        "Technical Skills:",
        "Must-Have Skills:",
        "Requirements (must have):",
        "Desired Skills and Experience",
    ],
)
def test_the_usual_headings_of_a_requirements_list(heading: str) -> None:
    posting = posting_from(f"{heading}\n- Python experience\n")
    assert [(r.kind, r.text) for r in posting.requirements] == [("must", "Python experience")]


def test_a_list_item_under_the_title_is_not_the_employer() -> None:
    posting = posting_from("About the job\nMachine Learning Engineer\nRequirements:\n- Go\n")
    assert (posting.title, posting.company) == ("Machine Learning Engineer", None)
