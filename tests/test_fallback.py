"""A model that fails at its task gives way to tailor's offline result, said in one line; a
setting at fault (a refused key, no server) still stops the command. Through the real SDKs and
the fake server."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import tailor
from tailor.errors import ProviderError
from tests import scripted
from tests.conftest import EXAMPLES, client_for
from tests.fake_llm import Error, FakeLLM, InProcessLLM, Text, TokenUsage

CASEY = EXAMPLES / "casey-morgan.md"
BAD = Text("not json", usage=TokenUsage(input=300, output=70))
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_a_critique_the_model_cannot_give_is_the_offline_one_with_the_reason(
    provider: str, in_process_llm: InProcessLLM
) -> None:
    in_process_llm.reply(BAD, BAD, BAD)
    cv = tailor.load_cv(CASEY)
    with client_for(in_process_llm, provider) as client:
        result = tailor.critique(cv, "startup", llm=tailor.LLMOptions(client=client))
    offline = tailor.critique(cv, "startup")
    assert result.provider == "offline" and result.score == offline.score
    assert result.findings == offline.findings
    assert result.fallback is not None
    assert "gave no valid" in result.fallback and "offline critique" in result.fallback
    assert "spent 1,110 tokens" in result.fallback  # the three answers are billed all the same
    assert result.usage is not None and result.usage.output_tokens == 210
    from tailor.critic.report import to_markdown

    # the report does not say "nothing left this machine": the CV went to the model
    assert "because " in to_markdown([result]) and "nothing left" not in to_markdown([result])


def test_a_rewrite_the_model_cannot_give_is_the_offline_one(in_process_llm: InProcessLLM) -> None:
    in_process_llm.reply(BAD, BAD, BAD)
    cv = tailor.load_cv(CASEY)
    with client_for(in_process_llm, "openai") as client:
        result = tailor.rewrite(cv, "startup", llm=tailor.LLMOptions(client=client))
    assert result.provider == "offline"
    assert result.cv == tailor.rewrite(cv, "startup").cv
    assert result.fallback and "offline rewrite" in result.fallback
    from tailor.rewriter.report import headline

    assert "offline engine" in headline(result) and result.fallback in headline(result)


def test_without_fallback_the_failure_is_raised_with_its_cost(in_process_llm: InProcessLLM) -> None:
    in_process_llm.reply(BAD, BAD, BAD)
    with (
        client_for(in_process_llm, "openai") as client,
        pytest.raises(ProviderError, match="gave no valid") as raised,
    ):
        tailor.critique(CASEY, "startup", llm=tailor.LLMOptions(client=client, fallback=False))
    assert raised.value.answers == 3 and raised.value.usage is not None


@pytest.mark.parametrize("status", [401, 403, 404])
def test_settings_at_fault_are_not_hidden_by_a_fallback(
    status: int, in_process_llm: InProcessLLM
) -> None:
    in_process_llm.reply(Error(status, message="no"))
    with client_for(in_process_llm, "openai") as client, pytest.raises(ProviderError) as raised:
        tailor.critique(CASEY, "startup", llm=tailor.LLMOptions(client=client))
    assert raised.value.setup


def test_a_server_that_is_not_there_is_not_hidden_by_a_fallback() -> None:
    from tailor.llm.client import LLMClient
    from tailor.llm.config import LLMSettings

    settings = LLMSettings(
        provider="openai-compatible",
        model="m",
        api_key="not-needed",
        base_url="http://127.0.0.1:9/v1",  # the discard port: nothing listens
        cache=False,
        max_attempts=1,
    )
    with LLMClient(settings) as client, pytest.raises(ProviderError, match="could not reach"):
        tailor.critique(CASEY, "startup", llm=tailor.LLMOptions(client=client))


def test_prep_keeps_its_evidence_when_the_model_fails(in_process_llm: InProcessLLM) -> None:
    in_process_llm.reply(BAD, BAD, BAD)
    with client_for(in_process_llm, "openai") as client:
        prep = tailor.prep(CASEY, "startup", llm=tailor.LLMOptions(client=client))
    assert prep.fallback and "without talking points" in prep.fallback
    assert prep.questions and all(not q.talking_points for q in prep.questions)
    assert [q.id for q in prep.questions] == [q.id for q in tailor.prep(CASEY, "startup").questions]
    from tailor.interview.report import to_text

    assert "no talking points: " in to_text(prep) and "each checked" not in to_text(prep)


def test_prep_does_not_claim_checked_talking_points_it_does_not_have(
    in_process_llm: InProcessLLM,
) -> None:
    in_process_llm.reply(Text(scripted.prep_answer({})))
    with client_for(in_process_llm, "openai") as client:
        prep = tailor.prep(CASEY, "startup", llm=tailor.LLMOptions(client=client))
    from tailor.interview.report import to_text

    text = to_text(prep)
    assert "No talking points from openai" in text and "each checked" not in text


POSTING = (
    "# Machine Learning Engineer\n\nFernhill Analytics\n\n## Requirements\n\n"
    "- 3+ years of Python\n- Shipped ML models to production on AWS\n"
)


def test_a_posting_the_model_cannot_read_is_read_by_tailor_and_the_command_goes_on(
    run_tailor: Run, fake_llm: FakeLLM, tmp_path: Path
) -> None:
    posting = tmp_path / "posting.md"
    posting.write_text(POSTING, encoding="utf-8")
    fake_llm.reply(BAD, BAD, BAD, Text(scripted.critique_answer(score=61, summary="Fine.")))
    result = run_tailor(
        "critique", str(CASEY), "--jd", str(posting), "-t", "startup", "-f", "json",
        "-p", "openai", "--base-url", fake_llm.openai_base_url, "-m", "gpt-4.1-mini",
        env={"OPENAI_API_KEY": "sk-test"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert any("tailor's own reading is used" in line for line in lines), lines
    assert not any("Traceback" in line or "error:" in line for line in lines)
    report = json.loads(result.stdout)
    assert report["provider"] == "openai" and report["coverage"]["requirements"]
    assert len(fake_llm.requests) == 4  # three tries at the posting, one critique
