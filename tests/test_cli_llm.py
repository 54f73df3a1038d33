"""`tailor critique` and `tailor rewrite` with an LLM provider, end to end: the real CLI in its
own process, the real SDKs, the fake server on 127.0.0.1, a cache folder of the test's own."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import tailor as tailor_api
from tailor.critic.llm import LLMFinding
from tailor.rewriter.model import TailoredCV
from tailor.rules import Severity
from tests import scripted
from tests.conftest import EXAMPLES
from tests.fake_llm import Error, FakeLLM, Recorded, Text, TokenUsage

CASEY = "examples/casey-morgan.md"
CASEY_LINES = (EXAMPLES / "casey-morgan.md").read_text(encoding="utf-8").splitlines()
KEY = "sk-ant-test"

W11 = (
    "Deployed an XGBoost claims-triage model as a FastAPI service in Docker on AWS, serving "
    "40,000 claims a day at 35 ms p95 latency and fast-tracking 18% of claims to same-day "
    "settlement."
)
W11_REWORDED = (
    "Served 40,000 claims a day at 35 ms p95 latency with an XGBoost claims-triage model, "
    "deployed as a FastAPI service in Docker on AWS, fast-tracking 18% of claims to same-day "
    "settlement."
)
W12 = (
    "Trained a PyTorch text classifier on adjuster notes that raised fraud-referral precision "
    "from 0.42 to 0.61, worth an estimated $1.2M a year in avoided payouts."
)
W13 = (
    "Set up MLflow experiment tracking and a model registry, cutting the time from a trained "
    "model to a production release from 3 weeks to 4 days."
)
W14 = "Built an internal feature store in SQL for the claims and pricing teams."
W15 = "Worked on the claims models with the underwriting and actuarial teams."
W23 = "Responsible for the nightly Airflow pipeline that feeds the sales forecasts."
PARAPHRASED_W23 = "Responsible for the nightly Airflow pipeline feeding the sales forecasts"
INVENTED = "Led a team of 40 researchers at a frontier lab."
QUESTION = "How many adjusters work from the same-day settlement queue?"

Run = Callable[..., subprocess.CompletedProcess[str]]


def line_of(text: str) -> int:
    """The 1-based line of a bullet in examples/casey-morgan.md."""
    return CASEY_LINES.index(f"- {text}") + 1


@pytest.fixture
def tailor(run_tailor: Run) -> Run:
    """The real CLI, isolated from the developer's keys, settings and cache (conftest)."""
    return run_tailor


def finding(quote: str, rule: str = "vague-bullet", severity: Severity = "medium") -> LLMFinding:
    return scripted.finding(
        quote,
        rule=rule,
        severity=severity,
        message="It says what was done, not what it changed.",
        suggestion="Add the figure that shows the result, if you have it.",
    )


SHIPPED = (
    "Shipped the company's first ML feature, a scikit-learn lead-scoring model inside the CRM "
    "app, to 120 paying customers six weeks after joining."
)
SUMMARY = "Strong production record; the startup story needs users and speed."


def critique_answer(
    *findings: LLMFinding, score: int = 67, summary: str = SUMMARY, strengths: int = 1
) -> str:
    shipped = scripted.strength(SHIPPED, "Shipped a lead-scoring model in six weeks")
    invented = scripted.strength(INVENTED, "Leads research")
    return scripted.critique_answer(
        *findings, score=score, summary=summary, strengths=[shipped, invented][:strengths]
    )


def rewrite_answer(*bullets: tuple[str, str], questions: tuple[str, ...] = (QUESTION,)) -> str:
    return scripted.rewrite_answer(*bullets, why="what a startup reads first", questions=questions)


# w1.3 first as it is, w1.1 reworded with every figure kept, the rest in their order
W1_EDITED = (("w1.3", W13), ("w1.1", W11_REWORDED), ("w1.2", W12), ("w1.4", W14), ("w1.5", W15))


def openai_compatible(server: FakeLLM) -> list[str]:
    return ["-p", "openai-compatible", "--base-url", server.openai_base_url]


def anthropic(server: FakeLLM) -> list[str]:
    return ["-p", "anthropic", "--base-url", server.url]


def body_of(request: Recorded) -> dict[str, Any]:
    assert isinstance(request.body, dict), request
    return request.body


def assert_no_key(result: subprocess.CompletedProcess[str]) -> None:
    assert KEY not in result.stdout and KEY not in result.stderr


def offline_score(target: str) -> int:
    """Casey's score for `target` by tailor's rubric alone."""
    return tailor_api.critique(EXAMPLES / "casey-morgan.md", target).score


# -- critique ----------------------------------------------------------------------------------


def test_an_llm_critique_holds_quotes_to_the_cv_and_merges_the_rubric(
    tailor: Run, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(
        Text(
            critique_answer(
                finding(W15),
                finding(PARAPHRASED_W23, rule="missing-metrics"),
                finding(INVENTED, rule="no-distributed-training", severity="high"),
                finding("", rule="no-shipped-product-story", severity="high"),
            ),
            usage=TokenUsage(input=2300, output=410),
        )
    )
    result = tailor("critique", CASEY, "-t", "startup", *openai_compatible(fake_llm), "-f", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # no --model, and a server that lists none: the report names no model it did not confirm
    assert report["provider"] == "openai-compatible" and report["model"] == "unknown"
    assert report["score"] == offline_score("startup")  # the rubric's, the model's beside it
    assert report["model_score"] == 67
    assert (report["quotes_repaired"], report["quotes_dropped"]) == (1, 1)
    assert report["usage"]["input_tokens"] == 2300 and report["usage"]["output_tokens"] == 410
    assert report["usage"]["requests"] == 1 and report["usage"]["cached"] is False
    findings = report["findings"]
    by_key = {(f["rule"], f["quote"]): f for f in findings}
    assert len(by_key) == len(findings)  # no finding twice
    # verbatim: kept with its line; paraphrased: the user's own line stands in for it
    assert by_key[("vague-bullet", W15)]["line"] == line_of(W15)
    assert by_key[("missing-metrics", W23)]["line"] == line_of(W23)
    assert by_key[("missing-metrics", W23)]["message"].startswith("It says what was done")
    assert all(f["quote"] != PARAPHRASED_W23 for f in findings)
    # invented: dropped; about the whole CV: kept without a quote
    assert all(f["quote"] != INVENTED and f["rule"] != "no-distributed-training" for f in findings)
    whole = by_key[("no-shipped-product-story", None)]
    assert whole["severity"] == "high" and whole["line"] is None
    # the rubric's finding the model did not make is merged in
    feature_store = by_key[("missing-metrics", W14)]
    assert feature_store["line"] == line_of(W14)
    assert [f["severity"] for f in findings] == sorted(
        (f["severity"] for f in findings), key=["high", "medium", "low"].index
    )
    assert "Shipped a lead-scoring model" in report["strengths"][0]
    assert result.stderr.startswith(
        "tailor: using openai-compatible (the model the server lists) at "
        f"{fake_llm.openai_base_url} (chosen)"
    )
    [request] = fake_llm.requests
    assert request.path == "/v1/chat/completions"
    assert body_of(request)["response_format"]["json_schema"]["name"] == "LLMCritique"


INVENTED_SUMMARY = "Led a team of 500 engineers at Google DeepMind before startup work."
REPLACED = (
    "The model's summary named 'Led', '500 engineers' and 'Google DeepMind', which your CV does "
    "not; tailor's own summary is shown."
)


def critique_through_anthropic(tailor: Run, server: FakeLLM, form: str) -> str:
    """`tailor critique` of Casey for a startup through Anthropic, in `form`: a model that
    scores 10, invents a summary and one of its two strengths."""
    server.reply(Text(critique_answer(score=10, summary=INVENTED_SUMMARY, strengths=2)))
    args = ["critique", CASEY, "-t", "startup", *anthropic(server), "-f", form]
    result = tailor(*args, env={"ANTHROPIC_API_KEY": KEY})
    assert result.returncode == 0, result.stderr
    assert_no_key(result)
    assert [r.path for r in server.requests] == ["/v1/messages"]
    return result.stdout


def test_the_json_critique_has_the_rubrics_score_and_says_what_was_held_back(
    tailor: Run, fake_llm: FakeLLM
) -> None:
    report = json.loads(critique_through_anthropic(tailor, fake_llm, "json"))
    assert (report["score"], report["model_score"]) == (offline_score("startup"), 10)
    assert report["summary"] == tailor_api.critique(CASEY, "startup").summary
    assert report["summary_replaced"] == REPLACED
    assert report["strengths_dropped"] == 1
    assert not any("Google" in s or "researchers" in s for s in report["strengths"])
    assert f'Shipped a lead-scoring model in six weeks: "{SHIPPED}"' in report["strengths"]


@pytest.mark.parametrize("form", ["text", "md"])
def test_the_reports_show_both_scores_and_what_was_held_back(
    form: str, tailor: Run, fake_llm: FakeLLM
) -> None:
    out = critique_through_anthropic(tailor, fake_llm, form)
    flat = " ".join(out.split())  # the text report wraps its lines
    headline = f"{offline_score('startup')}/100 (model: 10/100)"
    if form == "md":
        assert f"# Startup or growth company (startup): {headline}\n" in out
    else:
        assert f"Startup or growth company (startup)  {headline}" in out
    assert REPLACED in flat
    assert "tailor left out 1 strength of the model's answer" in flat
    assert "DeepMind" not in flat.replace(REPLACED, "")


def test_two_targets_make_two_requests_that_share_the_instructions_and_the_cv(
    tailor: Run, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(Text(critique_answer(score=71)), Text(critique_answer(score=38)))
    result = tailor(
        "critique", CASEY, "-t", "startup", "-t", "lab", *openai_compatible(fake_llm), "-f", "json"
    )
    assert result.returncode == 0, result.stderr
    reports = json.loads(result.stdout)
    assert [(r["target"], r["model_score"]) for r in reports] == [
        ("startup", 71),
        ("frontier-lab", 38),
    ]
    assert [r["score"] for r in reports] == [offline_score("startup"), offline_score("lab")]
    first, second = (body_of(r)["messages"] for r in fake_llm.requests)  # exactly two requests
    # one user turn (local chat templates want alternating roles): the CV, then the task
    assert [m["role"] for m in first] == ["system", "user"]
    assert first[0] == second[0]
    task = "Critique the CV above"
    first_cv, first_task = first[1]["content"].split(task)
    second_cv, second_task = second[1]["content"].split(task)
    assert first_cv == second_cv  # the prefix a provider's prompt cache reuses
    assert first_cv.startswith("<cv>\n") and first_cv.rstrip().endswith("</cv>")
    assert "Startup or growth company" in first_task
    assert "Frontier AI lab" in second_task
    assert result.stderr.count("tailor: using openai-compatible") == 1


def test_tailor_provider_in_the_environment_picks_the_llm(tailor: Run, fake_llm: FakeLLM) -> None:
    """README: "the environment (TAILOR_PROVIDER, ...)" sets the provider when no flag does, and
    `tailor providers` says so; critique must then use it, not fall back to offline."""
    fake_llm.reply(Text(critique_answer()))
    env = {"TAILOR_PROVIDER": "openai-compatible", "TAILOR_BASE_URL": fake_llm.openai_base_url}
    shown = tailor("providers", env=env)
    assert "provider: openai-compatible (chosen)" in shown.stdout
    result = tailor("critique", CASEY, "-t", "startup", "-f", "json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["provider"] == "openai-compatible"
    assert len(fake_llm.requests) == 1


# -- rewrite -----------------------------------------------------------------------------------


def rewrite(
    tailor: Run, server: FakeLLM, *extra: str, verbose: bool = False
) -> subprocess.CompletedProcess[str]:
    """`tailor rewrite` of Casey for startup through Anthropic, the JSON result on stdout."""
    args = ["rewrite", CASEY, "-t", "startup", *anthropic(server), "--format", "json", *extra]
    return tailor(*(["-v"] if verbose else []), *args, env={"ANTHROPIC_API_KEY": KEY})


def tailored_from(result: subprocess.CompletedProcess[str]) -> TailoredCV:
    assert result.returncode == 0, result.stderr
    assert_no_key(result)
    return TailoredCV.model_validate_json(result.stdout)


def test_an_anthropic_rewrite_rewords_reorders_and_marks_the_prefix_for_caching(
    tailor: Run, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(
        Text(
            rewrite_answer(*W1_EDITED),
            usage=TokenUsage(input=900, output=700, cache_write=2500),
        )
    )
    tailored = tailored_from(rewrite(tailor, fake_llm))
    assert tailored.provider == "anthropic" and tailored.target == "startup"
    assert [b.text for b in tailored.cv.work[0].highlights] == [W13, W11_REWORDED, W12, W14, W15]
    reworded = [c for c in tailored.changes if c.kind == "reworded"]
    assert [(c.quote, c.line, c.section) for c in reworded] == [(W11, 17, "work")]
    assert line_of(W11) == 17
    assert "what a startup reads first" in reworded[0].reason
    moved = [c for c in tailored.changes if c.kind == "moved"]
    assert [(c.quote, c.line) for c in moved] == [(W13, line_of(W13))]
    assert not [c for c in tailored.changes if c.kind in ("dropped", "reverted")]
    assert tailored.unsupported == []
    assert tailored.questions == [QUESTION]
    assert tailored.usage is not None and tailored.usage.requests == 1
    assert tailored.usage.cache_write_tokens == 2500 and tailored.usage.output_tokens == 700
    [request] = fake_llm.requests
    assert request.path == "/v1/messages"
    # sent to the server (x-api-key, or a bearer token in newer SDKs), never printed
    assert KEY in request.headers.get("x-api-key", "") + request.headers.get("authorization", "")
    body = body_of(request)
    ephemeral = {"type": "ephemeral"}
    [system] = body["system"]
    assert system["cache_control"] == ephemeral
    assert system["text"].startswith("You are tailor, an editor of CVs")
    (turn,) = body["messages"]  # one user turn: the CV block, then the task block
    cv_block, target_block = turn["content"]
    assert cv_block["cache_control"] == ephemeral and cv_block["text"].startswith("<cv>\n")
    assert "cache_control" not in target_block
    assert target_block["text"].startswith("Tailor the CV above for this employer.")


def test_the_text_log_shows_the_change_and_the_question(tailor: Run, fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(rewrite_answer(*W1_EDITED)))
    env = {"ANTHROPIC_API_KEY": KEY}
    result = tailor("rewrite", CASEY, "-t", "startup", *anthropic(fake_llm), env=env)
    assert result.returncode == 0, result.stderr
    assert_no_key(result)
    assert result.stdout.startswith("# Casey Morgan\n")
    assert W11_REWORDED in result.stdout
    assert "tailor: using anthropic claude-sonnet-5-5 (chosen)" in result.stderr
    assert "line 17" in result.stderr and "reworded" in result.stderr
    assert QUESTION in result.stderr


def test_no_cache_asks_again_and_stores_nothing(
    tailor: Run, fake_llm: FakeLLM, cache_dir: Path
) -> None:
    fake_llm.reply(Text(rewrite_answer(*W1_EDITED)), Text(rewrite_answer(*W1_EDITED)))
    first = tailored_from(rewrite(tailor, fake_llm, "--no-cache"))
    second = tailored_from(rewrite(tailor, fake_llm, "--no-cache"))
    assert len(fake_llm.requests) == 2
    assert first.usage is not None and not first.usage.cached
    assert second.usage is not None and not second.usage.cached
    assert not cache_dir.exists()


def test_the_same_rewrite_again_is_answered_from_the_cache(
    tailor: Run, fake_llm: FakeLLM, cache_dir: Path
) -> None:
    fake_llm.reply(Text(rewrite_answer(*W1_EDITED)))  # one answer: a second request would fail
    first = tailored_from(rewrite(tailor, fake_llm))
    assert len(fake_llm.requests) == 1 and cache_dir.is_dir()
    again = rewrite(tailor, fake_llm, verbose=True)
    second = tailored_from(again)
    assert len(fake_llm.requests) == 1  # the second run made no request
    assert second.usage is not None and second.usage.cached and second.usage.cost_usd == 0
    assert second.cv == first.cv and second.changes == first.changes
    assert "answered from the response cache" in again.stderr


def test_a_model_that_copies_the_bullet_ids_into_its_text_costs_no_second_request(
    tailor: Run, fake_llm: FakeLLM
) -> None:
    """The CV block shows "- [w1.1] Deployed ..."; a model that keeps "[w1.1] " in front of its
    text has stated no new fact. The critique strips such ids from quotes; the rewrite should
    strip them from texts too, instead of sending the answer back and then logging a revert of
    "name 'w1.1'"."""
    fake_llm.reply(
        Text(rewrite_answer(*((i, f"[{i}] {t}") for i, t in W1_EDITED))),
        Text(rewrite_answer(*W1_EDITED)),  # what a re-ask would get, so the test ends cleanly
    )
    tailored = tailored_from(rewrite(tailor, fake_llm, "--no-cache"))
    texts = [b.text for b in tailored.cv.work[0].highlights]
    assert not any(text.startswith("[w1.") for text in texts)
    assert not [c for c in tailored.changes if c.kind == "reverted"]
    assert len(fake_llm.requests) == 1


# -- the key -----------------------------------------------------------------------------------


def test_the_key_is_struck_out_of_a_server_error_that_echoes_it(
    tailor: Run, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(Error(400, message=f"invalid request for key {KEY}: model not enabled"))
    result = rewrite(tailor, fake_llm, verbose=True)
    assert result.returncode == 0  # the offline rewrite stands in, and the line says why
    assert "HTTP 400" in result.stderr and "[api key]" in result.stderr
    assert "offline rewrite" in result.stderr
    assert_no_key(result)
    assert len(fake_llm.requests) == 1  # a 400 is not retried
