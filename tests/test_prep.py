"""`tailor prep`: each likely question's evidence found and missed, quotes verbatim, the
target's and posting's questions, market context by country, and LLM talking points held to
the CV through the fake server."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import tailor
from tailor.interview.evidence import guide_questions
from tailor.market import country_of, market_for
from tests import scripted
from tests.conftest import EXAMPLES, ROOT, client_for, cv_from_markdown
from tests.fake_llm import InProcessLLM, Text

Run = Callable[..., subprocess.CompletedProcess[str]]

HEADER = "# Ana Quill\nML engineer · Leeds, UK · ana@example.com\n\n## Experience\n\n"
ROLE = "### ML Engineer, Lanternfish Logistics\n2020-01 – 2024-06\n"
# for each of the guide's questions, bullets that show every point a strong answer covers
WRITTEN_FOR = {
    "weekly-retraining": [
        "Built the weekly retraining pipeline in Airflow, triggered by new labels.",
        "Added Great Expectations data validation before each training run.",
        "Gated promotion on a holdout evaluation against the champion model.",
        "Set up drift monitoring with alerts on the ranking model's features.",
    ],
    "low-latency-inference": [
        "Cut p95 latency from 120 ms to 30 ms with INT8 quantisation and TensorRT.",
        "Added dynamic batching and caching of repeated prompts, doubling throughput.",
    ],
    "choosing-llms": [
        "Chose between three LLMs using MMLU scores and a 400-question eval set of our cases.",
        "Compared each LLM's cost per request, context window and latency; fine-tuned with LoRA.",
    ],
    "rag": [
        "Built RAG over contracts: 500-token chunking, bge embeddings in pgvector.",
        "Added BM25 hybrid retrieval with a reranker, raising recall@10 from 0.62 to 0.81.",
    ],
    "degraded-in-production": [
        "Found training-serving skew and data drift behind a fraud model's drop in recall.",
        "Traced a label shift in the base rate; monitoring alerts caught it and we rolled back.",
    ],
}
UNRELATED = "- Wrote the onboarding guide for new analysts.\n"


def cv_for(*bullets: str) -> str:
    return HEADER + ROLE + "".join(f"- {b}\n" for b in bullets) + UNRELATED


def prep_of(text: str, **options: object) -> tailor.Prep:
    return tailor.prep(cv_from_markdown(text), **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("question_id", list(WRITTEN_FOR))
def test_a_cv_written_for_a_question_is_ready_with_every_point_quoted(question_id: str) -> None:
    text = cv_for(*WRITTEN_FOR[question_id])
    question = next(q for q in prep_of(text).questions if q.id == question_id)
    assert question.readiness == "ready"
    assert all(point.shown for point in question.points), [
        p.point for p in question.points if not p.shown
    ]
    lines = text.splitlines()
    for evidence in [*question.evidence, *(p.evidence for p in question.points if p.evidence)]:
        assert evidence.quote in WRITTEN_FOR[question_id]  # verbatim, never paraphrased
        assert evidence.line is not None and lines[evidence.line - 1] == f"- {evidence.quote}"
    assert "Wrote the onboarding guide for new analysts." not in [
        e.quote for e in question.evidence
    ]


@pytest.mark.parametrize("question_id", list(WRITTEN_FOR))
def test_a_cv_written_for_other_questions_shows_little_for_this_one(question_id: str) -> None:
    others = [b for q, bullets in WRITTEN_FOR.items() if q != question_id for b in bullets]
    question = next(q for q in prep_of(cv_for(*others)).questions if q.id == question_id)
    assert question.readiness != "ready"
    assert question.shown() < len(question.points)


def test_a_cv_with_nothing_for_a_question_is_a_gap_with_no_evidence() -> None:
    question = next(q for q in prep_of(cv_for("Ran the team's weekly demos.")).questions)
    assert question.id == "weekly-retraining"
    assert question.readiness == "gap" and question.evidence == []
    assert all(not p.shown and p.evidence is None for p in question.points)


def test_the_guides_five_questions_come_first_in_their_order() -> None:
    ids = [q.id for q in prep_of(cv_for("Built a model.")).questions]
    assert ids == [q.id for q in guide_questions()]
    assert len(ids) == 5


def test_a_target_and_a_posting_add_their_own_questions() -> None:
    posting = tailor.load_posting(EXAMPLES / "postings" / "startup-inference.md")
    result = prep_of(
        cv_for(*WRITTEN_FOR["low-latency-inference"]), target="startup", posting=posting
    )
    sources = [q.source for q in result.questions]
    assert sources[:5] == ["the role guide"] * 5
    assert sources[5] == "Startup or growth company"
    posting_questions = [q for q in result.questions if q.id.startswith("posting-")]
    assert 1 <= len(posting_questions) <= 3
    for question in posting_questions:
        asked = question.question.removeprefix("The posting asks for: ")
        requirement = asked.removesuffix(". Where have you done that?")
        assert requirement != asked and requirement in posting.text  # the posting's words
        assert not requirement.lower().startswith("required")
    latency = next(q for q in posting_questions if "latency" in q.question)
    assert any(p.shown for p in latency.points)


def test_a_profile_file_can_add_questions(tmp_path: Path) -> None:
    profile = (ROOT / "company_profiles" / "startup.yaml").read_text(encoding="utf-8")
    custom = tmp_path / "robotics.yaml"
    custom.write_text(
        profile.replace("id: startup", "id: robotics-startup").split("interview:")[0]
        + "interview:\n  - id: sim-to-real\n    question: How did you close the sim-to-real gap?\n"
        "    points:\n      - point: domain randomisation\n        patterns: ['domain random']\n",
        encoding="utf-8",
    )
    result = prep_of(cv_for("Used domain randomisation for grasping."), target=str(custom))
    question = result.questions[-1]
    assert (question.id, question.readiness) == ("sim-to-real", "ready")


# -- market context -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "country"),
    [
        ("UK", "GB"), ("United Kingdom", "GB"), ("London", "GB"), ("GB", "GB"),
        ("Leeds, UK", "GB"), ("Edinburgh, Scotland", "GB"), ("london, united kingdom", "GB"),
        ("Austin, TX", "US"), ("Austin, TX, US", "US"), ("Mountain View, CA", "US"),
        ("New York", "US"), ("Toronto, CA", "CA"), ("London, Ontario, Canada", "CA"),
        ("Berlin, DE", "DE"), ("München, Germany", "DE"), ("Dubai", "AE"),
        ("Sydney, Australia", "AU"),
    ],
)  # fmt: skip
def test_locations_map_to_the_guides_countries(location: str, country: str) -> None:
    assert country_of(location) == country


@pytest.mark.parametrize(
    "location",
    [
        "Paris, France", "Valencia, ES", "Mumbai, IN", "Vancouver, WA", "Melbourne, FL",
        "Manchester, NH", "Sunnyvale, CA", "Yellowknife, NT", "Remote, Earth",
    ],
)  # fmt: skip
def test_an_unknown_or_doubtful_location_shows_no_band_rather_than_a_wrong_one(
    location: str,
) -> None:
    assert country_of(location) is None
    cv = cv_from_markdown(HEADER.replace("Leeds, UK", location) + ROLE + UNRELATED)
    assert cv.basics.location is not None  # the header was read: the band is refused
    assert market_for(cv) is None
    assert tailor.critique(cv, "startup").market is None


@pytest.mark.parametrize("location", ["Remote", "CA", "Georgia", "Jersey", "Earth", ""])
def test_a_lone_word_that_names_no_country_for_sure_maps_to_none(location: str) -> None:
    assert country_of(location) is None


@pytest.mark.parametrize(
    ("location", "country"),
    [
        ("London, ON", "CA"), ("Birmingham, Alabama", "US"), ("Essen, DE", "DE"),
        ("Boston, MA", "US"), ("Cambridge, MA", "US"), ("Cambridge, UK", "GB"),
        ("Perth, WA", "AU"), ("Perth, Scotland", "GB"), ("Halifax, CA", "CA"),
    ],
)  # fmt: skip
def test_a_state_or_province_after_a_city_decides(location: str, country: str) -> None:
    assert country_of(location) == country


def test_an_explicit_country_code_is_never_second_guessed() -> None:
    cv = tailor.CV.model_validate(
        {"basics": {"name": "Ana", "location": {"city": "Waterloo", "countryCode": "BE"}}}
    )
    assert market_for(cv) is None  # Belgium has no band, though Waterloo, ON is Canadian


def test_a_street_address_is_never_shown_with_the_band() -> None:
    cv = tailor.CV.model_validate(
        {
            "basics": {
                "name": "Ana",
                "location": {"address": "42 Wharf Road", "city": "Boston", "region": "MA"},
            }
        }
    )
    market = market_for(cv)
    assert market is not None and market.country_code == "US"
    assert "Wharf" not in market.location and "42" not in market.location


# lines that only look like evidence for a point: each must not count
LOOKALIKES = [
    ("degraded-in-production", 4, "Calibrated the production model's scores with isotonic regression."),
    ("degraded-in-production", 4, "Trained a LightGBM regressor for delivery times in production."),
    ("weekly-retraining", 1, "Reached 12% lower validation perplexity when training the model."),
    ("weekly-retraining", 3, "Hired 6 engineers for the models team, 4 of whom were promoted."),
    ("low-latency-inference", 0, "Used product quantisation in the FAISS index serving 2M requests a day."),
    ("low-latency-inference", 0, "Trained in bf16 mixed precision on 8 GPUs for production."),
    ("rag", 0, "Wrote chunked prefill kernels for LLM inference."),
    ("rag", 1, "Fused the rotary-embedding kernel for LLM serving."),
    ("choosing-llms", 2, "Cut advertisers' cost per click by 12% with a new bidding model."),
    ("weekly-retraining", 4, "Led an environmental monitoring project with 3 models."),
]  # fmt: skip


@pytest.mark.parametrize(("question_id", "point", "line"), LOOKALIKES)
def test_a_line_that_only_looks_like_evidence_does_not_count(
    question_id: str, point: int, line: str
) -> None:
    question = next(q for q in prep_of(cv_for(line)).questions if q.id == question_id)
    assert not question.points[point].shown, question.points[point].point


def test_the_critique_shows_the_guides_band_labelled_as_such() -> None:
    cv = cv_from_markdown(cv_for("Built a model."))
    critique = tailor.critique(cv, "startup")
    assert critique.market is not None
    assert (critique.market.country_code, critique.market.low, critique.market.high) == (
        "GB",
        75000,
        115000,
    )
    assert critique.market.currency == "USD" and "3-7 years" in critique.market.level
    from tailor.critic.report import to_markdown

    report = to_markdown([critique])
    assert "## Market context" in report and "not advice" in report
    assert "$75,000 - $115,000" in report and "upper end" in report


def test_a_json_resume_country_code_is_used() -> None:
    cv = tailor.CV.model_validate(
        {"basics": {"name": "Ana", "location": {"city": "Perth", "countryCode": "AU"}}}
    )
    market = market_for(cv)
    assert market is not None and market.country == "Australia"


# -- talking points with an LLM -----------------------------------------------------------------


GROUNDED = "At Lanternfish I cut p95 latency from 120 ms to 30 ms with INT8 quantisation."
INVENTED_NUMBER = "I cut p95 latency from 120 ms to 8 ms on 64 GPUs."
INVENTED_TOOL = "I served the model with Triton on Kubernetes."
ADVICE = "Prepare an example of a RAG system you would build."
INVENTED_ADVICE = "Prepare to explain how you cut costs by 70%."  # a figure the CV lacks


def llm_answer() -> str:
    return scripted.prep_answer(
        {
            "low-latency-inference": [
                (GROUNDED, ["w1.1", "[W1.2]", "w9.9"]),
                (INVENTED_NUMBER, ["w1.1"]),
                (INVENTED_TOOL, []),
            ],
            "rag": [(ADVICE, []), (INVENTED_ADVICE, [])],
            "not-a-question": [],
        }
    )


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_talking_points_that_claim_what_the_cv_does_not_are_dropped(
    in_process_llm: InProcessLLM, provider: str
) -> None:
    in_process_llm.reply(Text(llm_answer()))
    cv = cv_from_markdown(cv_for(*WRITTEN_FOR["low-latency-inference"]))
    with client_for(in_process_llm, provider) as client:
        result = tailor.prep(cv, llm=tailor.LLMOptions(client=client))
    latency = next(q for q in result.questions if q.id == "low-latency-inference")
    assert [p.text for p in latency.talking_points] == [GROUNDED]
    # the cited bullet that backs it; the other cited one shares nothing with it
    assert latency.talking_points[0].quotes == WRITTEN_FOR["low-latency-inference"][:1]
    rag = next(q for q in result.questions if q.id == "rag")
    assert [(p.text, p.advice) for p in rag.talking_points] == [(ADVICE, True)]
    assert result.talking_points_dropped == 3
    from tailor.interview.report import to_markdown, to_text

    quote = WRITTEN_FOR["low-latency-inference"][0]
    text = to_text(result)
    assert f"* {GROUNDED}" in text and f"from \u201c{quote}\u201d" in text
    assert f"* {ADVICE}  (to prepare)" in text
    assert "2 talking points by " in text and "each checked against your CV" in text
    assert "3 more stated facts your CV does not, and were dropped" in text
    markdown = to_markdown(result)
    assert "_(to prepare)_" in markdown and "  - from \u201c" in markdown
    assert result.provider == provider and result.usage is not None
    request = json.dumps(in_process_llm.requests[0].body)
    assert "Ana Quill" not in request and "[NAME]" in request  # redacted for a cloud provider
    assert "low-latency-inference" in request and "not shown in the CV" in request


# -- the CLI ------------------------------------------------------------------------------------


def test_the_cli_prints_text_markdown_and_json(run_tailor: Run, tmp_path: Path) -> None:
    cv = tmp_path / "cv.md"
    cv.write_text(cv_for(*WRITTEN_FOR["rag"]), encoding="utf-8")
    text = run_tailor("prep", str(cv), "-t", "startup")
    assert text.returncode == 0, text.stderr
    rag = next(q for q in guide_questions() if q.id == "rag")
    assert f"READY (5/5)  {rag.question}" in text.stdout
    assert "United Kingdom: $75,000 - $115,000" in text.stdout
    markdown = run_tailor("prep", str(cv), "-f", "md", "-o", str(tmp_path / "prep.md"))
    assert markdown.returncode == 0
    assert "- [x] how the documents are split into chunks" in (tmp_path / "prep.md").read_text(
        encoding="utf-8"
    )
    payload = json.loads(run_tailor("prep", str(cv), "-f", "json").stdout)
    assert [q["id"] for q in payload["questions"]][:5] == [q.id for q in guide_questions()]
    assert payload["market"]["country_code"] == "GB"


def test_the_cli_refuses_an_unknown_target_in_one_line(run_tailor: Run) -> None:
    result = run_tailor("prep", str(EXAMPLES / "casey-morgan.md"), "-t", "no-such-target")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no-such-target" in result.stderr


def test_a_batch_with_prep_writes_each_cvs_prep_and_shows_it_in_the_report(
    tmp_path: Path,
) -> None:
    from tailor.batch import Batch, plan

    cvs = [str(EXAMPLES / "casey-morgan.md"), str(EXAMPLES / "jordan-reyes.md")]
    Batch(tmp_path / "with", prep=True).run(plan(cvs, ["startup", "palantir"]))
    for name in ("casey-morgan", "jordan-reyes"):
        prep = (tmp_path / "with" / name / "prep.md").read_text(encoding="utf-8")
        assert prep.startswith("# Interview prep")
        assert next(q for q in guide_questions() if q.id == "rag").question in prep
    report = (tmp_path / "with" / "report.html").read_text(encoding="utf-8")
    assert report.count('<div class="prep">') == 2
    assert 'href="casey-morgan/prep.md"' in report
    assert report.count('class="mark ') == 10  # the guide's five questions, for each CV
    Batch(tmp_path / "without").run(plan(cvs, ["startup"]))
    assert not list((tmp_path / "without").rglob("prep.md"))
    assert '<div class="prep">' not in (tmp_path / "without" / "report.html").read_text(
        encoding="utf-8"
    )


def test_the_batch_command_takes_prep(run_tailor: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_tailor(
        "batch", str(EXAMPLES / "casey-morgan.md"), "-t", "startup", "-o", str(out), "--prep"
    )
    assert result.returncode == 0, result.stderr
    assert (out / "casey-morgan" / "prep.md").is_file()


SECOND_ROLE = (
    "\n### Data Scientist, Corvid Bank\n2017-01 – 2019-12\n- Built churn dashboards in Tableau.\n"
)


@pytest.mark.parametrize(
    ("text", "ids", "kept"),
    [
        (GROUNDED, ["w1.1"], True),
        (GROUNDED, [], False),  # a claim must cite the bullets it draws on
        ("At Corvid Bank I cut p95 latency from 120 ms to 30 ms.", ["w1.1"], False),
        ("At Lanternfish I cut p95 latency from 120 ms to 30 ms in 2019.", ["w1.1"], False),
        ("Prepare to explain how you led the Kubernetes migration at Google.", [], False),
        ("Be ready to describe the RAG system you built with Pinecone.", [], False),
        ("Prepare an example of choosing an LLM against a test set of your own.", [], True),
    ],
)
def test_each_talking_point_is_held_to_the_lines_it_cites(
    in_process_llm: InProcessLLM, text: str, ids: list[str], kept: bool
) -> None:
    # the question's id as the prompt writes ids
    answer = scripted.prep_answer({"[low-latency-inference]": [(text, ids)]})
    in_process_llm.reply(Text(answer))
    cv = cv_from_markdown(cv_for(*WRITTEN_FOR["low-latency-inference"]) + SECOND_ROLE)
    with client_for(in_process_llm, "anthropic") as client:
        result = tailor.prep(cv, llm=tailor.LLMOptions(client=client))
    latency = next(q for q in result.questions if q.id == "low-latency-inference")
    assert [p.text for p in latency.talking_points] == ([text] if kept else [])
    assert result.talking_points_dropped == (0 if kept else 1)


def test_resuming_a_batch_with_prep_keeps_its_prep(tmp_path: Path) -> None:
    from tailor.batch import Batch, load_manifest, plan

    jobs = plan([str(EXAMPLES / "casey-morgan.md")], ["startup"])
    Batch(tmp_path, prep=True).run(jobs)
    assert load_manifest(tmp_path).prep
    Batch(tmp_path).run(jobs)  # --resume: the jobs as they were, no options
    assert '<div class="prep">' in (tmp_path / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("written", "asked"),
    [
        ("Required: strong Python.", "strong Python"),
        ("You must have served LLMs in production.", "served LLMs in production"),
        ("Must-have: Kubernetes", "Kubernetes"),
    ],
)
def test_a_posting_question_leaves_out_the_label(written: str, asked: str) -> None:
    assert tailor.Requirement(text=written, kind="must").asked() == asked


def test_distinctions_is_an_english_title_too() -> None:
    text = cv_for("Built a model.") + "\n## Distinctions\n- Best paper, 2021\n"
    critique = tailor.critique(cv_from_markdown(text), "startup")
    assert "other-language-title" not in {f.rule for f in critique.findings}


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "tests" / "data" / "cvs" / "jsonresume-full.json",
        EXAMPLES / "jordan-reyes.json",
        EXAMPLES / "jordan-reyes.yaml",
        EXAMPLES / "jordan-reyes.rendercv.yaml",
    ],
    ids=lambda path: path.name,
)
def test_quotes_from_a_json_or_yaml_cv_are_the_values_at_their_lines(path: Path) -> None:
    """Not the file's line (`"Built ...",`, or the first part of a folded YAML value): the
    bullet's text, with the line number still pointing at where it starts in the file."""
    from tailor.cv.lines import experience_lines
    from tailor.interview.report import to_markdown, to_text

    cv = tailor.load_cv(path)
    prep = tailor.prep(cv)
    lines = path.read_text(encoding="utf-8").splitlines()
    said = {line.text for line in experience_lines(cv)}  # what the CV's lines read as
    quoted = [
        evidence
        for question in prep.questions
        for evidence in [*question.evidence, *(p.evidence for p in question.points)]
        if evidence is not None
    ]
    assert sum(evidence.line is not None for evidence in quoted) >= 3
    for evidence in quoted:
        assert evidence.quote in said
        assert not evidence.quote.startswith(('"', "- ")) and not evidence.quote.endswith(
            ('",', '"')
        )
        if evidence.line is not None:  # a project's line is not located, a bullet's is
            assert evidence.quote[:24] in lines[evidence.line - 1]
    text = to_text(prep) + to_markdown(prep)
    assert '",\u201d' not in text and '\u201c"' not in text


def test_quotes_from_a_markdown_cv_stay_as_written() -> None:
    """A Markdown line keeps what the reading takes away (its emphasis marks)."""
    text = cv_for("Built the weekly retraining pipeline in **Airflow**, triggered by new labels.")
    question = next(q for q in prep_of(text).questions if q.id == "weekly-retraining")
    assert question.evidence[0].quote == (
        "Built the weekly retraining pipeline in **Airflow**, triggered by new labels."
    )
