"""The scripts in examples/ run as a user runs them: a real process, offline or against the fake
LLM server, never with the developer's keys or settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import tailor
from tailor.critic.llm import LLMCritique, LLMFinding, LLMStrength
from tailor.rewriter.llm import BulletEdit, EntryEdit, LLMRewrite
from tests.conftest import EXAMPLES, ROOT, offline_environment
from tests.fake_llm import FakeLLM, Text, TokenUsage

SCRIPT = EXAMPLES / "with_a_provider.py"
W11 = (
    "Deployed an XGBoost claims-triage model as a FastAPI service in Docker on AWS, serving "
    "40,000 claims a day at 35 ms p95 latency and fast-tracking 18% of claims to same-day "
    "settlement."
)
W13 = (
    "Set up MLflow experiment tracking and a model registry, cutting the time from a trained "
    "model to a production release from 3 weeks to 4 days."
)
QUESTION = "How many claims adjusters use the triage model's same-day queue each week?"


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """No keys, no TAILOR_* of the developer's; a cache and config file of the test's own."""
    env = offline_environment()
    env["TAILOR_CACHE_DIR"] = str(tmp_path / "cache")
    env["TAILOR_CONFIG"] = str(tmp_path / "config.toml")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return env


def run_script(
    env: dict[str, str], *args: str, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def test_offline_it_prints_the_score_the_change_log_and_the_cv(
    environment: dict[str, str],
) -> None:
    result = run_script(environment)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("score ") and lines[0].endswith("/100 for Startup or growth company")
    assert lines[1] == "provider: offline"
    assert "tokens in" not in result.stdout  # offline has no usage to show
    assert "by tailor's offline engine" in result.stdout
    assert "# Casey Morgan" in lines


def test_it_writes_the_tailored_cv_to_the_path_given(
    environment: dict[str, str], tmp_path: Path
) -> None:
    result = run_script(environment, "tailored.md", cwd=tmp_path)  # run from elsewhere, too
    assert result.returncode == 0, result.stderr
    written = tmp_path / "tailored.md"
    assert written.read_text(encoding="utf-8").startswith("# Casey Morgan\n")
    assert result.stdout.rstrip().endswith("wrote tailored.md")
    assert "# Casey Morgan" not in result.stdout


def critique_answer() -> str:
    finding = LLMFinding(
        rule="missing-metrics",
        severity="medium",
        quote="Built an internal feature store in SQL for the claims and pricing teams.",
        message="The feature store has no figure.",
        suggestion="Say how many models or teams read from it.",
    )
    return LLMCritique(
        score=73,
        summary="Shipped product work, light on ownership.",
        findings=[finding],
        strengths=[
            LLMStrength(
                quote="to 120 paying customers six weeks after joining",
                note="A model shipped to paying customers",
            )
        ],
    ).model_dump_json()


def rewrite_answer() -> str:
    reworded = (
        "Served 40,000 claims a day at 35 ms p95 latency with an XGBoost claims-triage model, "
        "deployed as a FastAPI service in Docker on AWS, fast-tracking 18% of claims to "
        "same-day settlement."
    )
    return LLMRewrite(
        summary="",
        entries=[
            EntryEdit(
                id="w1",
                bullets=[
                    BulletEdit(id="w1.3", text=W13, why="release speed"),
                    BulletEdit(id="w1.1", text=reworded, why="the outcome first"),
                ],
            )
        ],
        questions=[QUESTION],
    ).model_dump_json()


# TAILOR_PROVIDER names the provider (the variable the docstring promises), or an Anthropic
# key picks it through auto; the anthropic SDK reads ANTHROPIC_BASE_URL itself
WAYS = {
    # no TAILOR_MODEL, and a server that lists no model: none is named that it did not confirm
    "tailor-provider": ("openai-compatible unknown", "/v1/chat/completions"),
    "anthropic-key": ("anthropic claude-sonnet-5-5", "/v1/messages"),
}


@pytest.mark.parametrize("way", WAYS)
def test_with_a_provider_it_shows_the_models_score_cost_and_questions(
    way: str, environment: dict[str, str], fake_llm: FakeLLM, tmp_path: Path
) -> None:
    assert W11 in (EXAMPLES / "casey-morgan.md").read_text(encoding="utf-8")
    fake_llm.reply(
        Text(critique_answer(), usage=TokenUsage(input=2100, output=300)),
        Text(rewrite_answer(), usage=TokenUsage(input=2400, output=500)),
    )
    if way == "tailor-provider":
        environment["TAILOR_PROVIDER"] = "openai-compatible"
        environment["TAILOR_BASE_URL"] = fake_llm.openai_base_url
    else:
        environment["ANTHROPIC_API_KEY"] = "sk-ant-example-script"
        environment["ANTHROPIC_BASE_URL"] = fake_llm.url
    engine, path = WAYS[way]
    result = run_script(environment)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    rubric = tailor.critique(EXAMPLES / "casey-morgan.md", "startup").score
    assert lines[0] == f"score {rubric}/100 (model: 73/100) for Startup or growth company", (
        "the rubric's score, the LLM's beside it"
    )
    assert lines[1] == f"provider: {engine}"
    assert lines[2].startswith("2100 tokens in, 300 out, cost ")
    assert f"by {engine} (2400 tokens in, 500 out" in result.stdout
    assert f"  - {QUESTION}" in lines
    assert "Served 40,000 claims a day at 35 ms p95 latency" in result.stdout  # the new CV
    assert "reworded" in result.stdout and "line 17" in result.stdout
    assert [r.path for r in fake_llm.requests] == [path, path]
    assert (tmp_path / "cache").is_dir()  # TAILOR_CACHE_DIR was used, not the user's cache
    assert "sk-ant-example-script" not in result.stdout + result.stderr
