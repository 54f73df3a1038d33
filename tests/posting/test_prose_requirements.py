"""Requirements stated anywhere: in paragraphs and in lists, with or without a heading, checked
against labels a person wrote for fictional heading-less postings (tests/data/postings/prose/)
and against classes of wording, accepted and refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import tailor
from tailor.posting.extract import extract
from tailor.posting.labels import combined, score_requirements
from tailor.posting.reader import PostingDocument

PROSE = Path(__file__).resolve().parents[1] / "data" / "postings" / "prose"
LABELS = sorted(PROSE.glob("*.yaml"))


def label_of(path: Path) -> dict[str, Any]:
    label: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return label


def scores_of(path: Path) -> dict[str, Any]:
    label = label_of(path)
    return score_requirements(tailor.load_posting(path.parent / label["posting"]), label)


def posting_from(text: str) -> tailor.JobPosting:
    return extract(PostingDocument("job.md", text))


def test_there_are_enough_labelled_postings() -> None:
    assert len(LABELS) >= 6
    assert sum(len(label_of(path)["must"]) for path in LABELS) >= 30


@pytest.mark.parametrize("path", LABELS, ids=lambda path: path.stem)
def test_each_labelled_fragment_is_the_postings_own_text(path: Path) -> None:
    """A label that no longer quotes its posting would score nothing: every fragment is a
    piece of the posting's text as tailor reads it."""
    label = label_of(path)
    posting = tailor.load_posting(path.parent / label["posting"])
    text = " ".join(posting.text.split()).casefold()
    for key in ("must", "nice", "not_requirements"):
        for fragment in label[key]:
            assert " ".join(fragment.split()).casefold() in text, (key, fragment)


def test_requirements_in_prose_are_read_with_precision_and_recall_of_at_least_0_9() -> None:
    total = combined(scores_of(path) for path in LABELS)
    for kind in ("must", "nice", "any"):
        assert total[kind]["precision"] >= 0.9, (kind, total)
        assert total[kind]["recall"] >= 0.9, (kind, total)
    taken = total["not_requirements"]
    assert taken["taken"] <= 0.1 * (taken["taken"] + taken["left"]), taken


@pytest.mark.parametrize("path", LABELS, ids=lambda path: path.stem)
def test_no_duty_benefit_or_company_sentence_is_taken(path: Path) -> None:
    assert scores_of(path)["errors"]["taken"] == []


def test_the_issues_posting_reads_its_must_have_from_a_paragraph() -> None:
    posting = posting_from(
        "Inference Engineer\n\nWe are a team of 40 in Lisbon. Must have shipped LLM inference to "
        "production with p99 latency targets. You will build the eval harness. Nice to have: "
        "experience with CUDA.\n"
    )
    assert [(r.kind, r.text) for r in posting.requirements] == [
        ("must", "Must have shipped LLM inference to production with p99 latency targets."),
        ("nice", "Nice to have: experience with CUDA."),
    ]


MUST = [
    "Must have shipped LLM inference to production with p99 latency targets.",
    "You must hold a current driving licence.",
    "Candidates must be based in the EU.",
    "Experience with Kubernetes is a must.",
    "Fluent German is required.",
    "Security clearance required.",
    "Requirements include strong SQL and dbt.",
    "Minimum qualifications: a BSc in physics.",
    "Basic qualifications include experience with Java.",
    "You have shipped recommender systems to millions of users.",
    "You've got hands-on experience with Spark.",
    "You will need strong Python.",
    "You'll need to be fluent in Spanish.",
    "We need someone who has run on-call for a production ML service.",
    "We're looking for someone with production experience in Scala.",
    "You bring experience designing evaluation suites for LLMs.",
    "You should have a solid grounding in probability.",
    "Applicants should have published at NeurIPS or ICML.",
    "We expect familiarity with Terraform.",
    "5+ years of experience with Go.",
    "At least three years building data pipelines.",
    "Two or more years of experience with Kubernetes.",
    "A degree in Computer Science, Statistics or a related field.",
    "MSc or PhD in machine learning.",
    "The ideal candidate has led a team of engineers.",
    "You will have 4+ years of experience in MLOps.",
    "You are fluent in Rust and C++.",
    "Proficiency in SQL is mandatory.",
    "Knowledge of Airflow is expected.",
    "You'd be a great fit if you have built search systems.",
]
NICE = [
    "Nice to have: experience with Ray.",
    "Experience with JAX is nice to have.",
    "Bonus: you have contributed to PyTorch.",
    "Kafka experience is a bonus.",
    "Bonus points if you have worked on speech models.",
    "Experience with dbt is a plus.",
    "Knowledge of Rust would be a big plus.",
    "Ideally, you have worked in fintech.",
    "Experience with Databricks preferred.",
    "Preferably, you know Scala.",
    "A PhD is preferred but not required.",
    "Familiarity with Ray would be helpful.",
    "Exposure to Triton is an advantage.",
    "Knowledge of FHIR is desirable.",
    "We'd love it if you've used ONNX Runtime.",
    "It would be great if you have written CUDA kernels.",
    "It helps if you have published research.",
    "Experience with Flink would set you apart.",
    "Experience with robotics is welcome.",
    "Open-source contributions are highly valued.",
    "Familiarity with LangChain is nice but not necessary.",
    "Even better if you have worked with Kafka.",
]
NOT_REQUIREMENTS = [
    # the company
    "We are a team of 40 in Lisbon.",
    "Our founders have 20+ years of experience in fintech.",
    "We have been profitable for five years.",
    "Our team includes three PhDs in physics.",
    "Most of our engineers have 10+ years of experience.",
    "The team has shipped models to 50 million users.",
    "We're hiring an engineer to own our serving stack.",
    # benefits
    "You will have a generous budget for conferences.",
    "You'll get 30 days of paid holiday.",
    "You will have access to a cluster of 512 GPUs.",
    "You'll have the chance to grow your skills.",
    "We offer an annual performance bonus.",
    "You will be supported by a mentor in your first months.",
    # the process
    "You will interview with two engineers and the CTO.",
    "If you have questions, write to jobs@example.com.",
    "Applications close on 30 June.",
    "Everyone is welcome to apply.",
    "We welcome applicants of every background.",
    # duties
    "You will build the eval harness.",
    "In this role you will need to own the inference roadmap.",
    "You'll work with a team that has 10+ years of experience in search.",
    "In this role you will mentor two engineers with 5+ years of experience.",
    "We expect you to publish your work.",
    "You will be joining a team of five.",
    # what is not asked for
    "You don't need a degree.",
    "No prior fintech experience required.",
    "A cover letter is not required.",
]


def _as(form: str, sentence: str) -> str:
    body = f"- {sentence}" if form == "list item" else f"We build search. {sentence} Thanks."
    return f"Machine Learning Engineer\n\n{body}\n"


@pytest.mark.parametrize("form", ["paragraph", "list item"])
@pytest.mark.parametrize(
    ("sentence", "kind"), [*((s, "must") for s in MUST), *((s, "nice") for s in NICE)]
)
def test_a_sentence_that_states_a_requirement_is_one_under_no_heading(
    sentence: str, kind: str, form: str
) -> None:
    posting = posting_from(_as(form, sentence))
    assert [(r.kind, r.text) for r in posting.requirements] == [(kind, sentence)]


@pytest.mark.parametrize("form", ["paragraph", "list item"])
@pytest.mark.parametrize("sentence", NOT_REQUIREMENTS)
def test_a_sentence_about_the_job_the_company_or_the_process_is_not_a_requirement(
    sentence: str, form: str
) -> None:
    assert posting_from(_as(form, sentence)).requirements == []


@pytest.mark.parametrize(
    ("lead_in", "kind"),
    [
        ("You'll need:", "must"),
        ("To do well here, you should have most of the following:", "must"),
        ("What we need from you:", "must"),
        ("We'd love it if you also have:", "nice"),
    ],
)
def test_a_lead_in_line_opens_a_list_of_requirements(lead_in: str, kind: str) -> None:
    posting = posting_from(f"ML Engineer\n\n{lead_in}\n- Strong SQL\n- Airflow pipelines\n")
    assert [(r.kind, r.text) for r in posting.requirements] == [
        (kind, "Strong SQL"),
        (kind, "Airflow pipelines"),
    ]


def test_an_item_among_requirements_in_a_list_under_no_heading_is_one() -> None:
    posting = posting_from(
        "ML Engineer\n\n- You will run the deployment pipeline.\n- 4+ years of Python.\n"
        "- Strong Go or Rust.\n- Kubernetes is a must.\n- We offer a four-day week.\n"
    )
    assert [(r.kind, r.text) for r in posting.requirements] == [
        ("must", "4+ years of Python."),
        ("must", "Strong Go or Rust."),
        ("must", "Kubernetes is a must."),
    ]


def test_a_list_of_duties_under_no_heading_stays_duties() -> None:
    posting = posting_from(
        "ML Engineer\n\n- Build pipelines with Airflow.\n- Run Spark jobs.\n"
        "- Kubernetes is a must.\n"
    )
    assert [r.text for r in posting.requirements] == ["Kubernetes is a must."]


@pytest.mark.parametrize(
    "sentence",
    [
        "This is a 2-3 year fixed-term contract.",
        "Founded 3 years ago, Foo has 2+ years of runway.",
        "Equity vests over 4 or more years.",
        "You have a high degree of autonomy.",
        "The team works with a high degree of independence.",
    ],
)
def test_the_companys_years_and_a_degree_of_something_are_not_requirements(sentence: str) -> None:
    posting = posting_from(f"We build search tools. {sentence} You must know Python well.")
    assert [r.text for r in posting.requirements] == ["You must know Python well."]


@pytest.mark.parametrize(
    "sentence",
    [
        "You must know SQL; it is beneficial to our data team.",
        "Experience with PyTorch is required; Kubernetes would be useful.",
        "Must have 3+ years of Go; Rust is nice but not necessary.",
    ],
)
def test_a_must_have_with_a_nice_clause_stays_a_must_have(sentence: str) -> None:
    (requirement,) = posting_from(f"We build search tools. {sentence}").requirements
    assert requirement.kind == "must"


def test_nice_but_not_required_is_a_nice_to_have() -> None:
    posting = posting_from("We build search tools. Go is nice to have, but not required.")
    assert [r.kind for r in posting.requirements] == ["nice"]


def test_a_lead_in_opens_its_list_and_not_the_paragraphs_after_it() -> None:
    posting = posting_from(
        "To do well here, you should have:\n- 3+ years of Python\n- shipped a model to users\n\n"
        "We offer a generous learning budget for Kubernetes courses.\n\n"
        "You will work with Spark every day.\n"
    )
    assert [r.text for r in posting.requirements] == [
        "3+ years of Python",
        "shipped a model to users",
    ]


def test_a_short_requirement_matches_a_label_by_whole_words_only() -> None:
    posting = posting_from("We build search tools.\n\nRequirements:\n- Go\n")
    label = {"posting": "p.txt", "must": ["Google Cloud experience"]}
    score = score_requirements(posting, label)
    assert (score["must"]["tp"], score["must"]["fp"]) == (0, 1)
