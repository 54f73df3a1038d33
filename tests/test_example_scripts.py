"""The scripts in examples/ run as a user runs them, offline or against the fake LLM server,
never with the developer's keys or settings: once as a real process, and otherwise in this one
(the script run as `__main__` with its own arguments, environment and working folder)."""

from __future__ import annotations

import contextlib
import io
import os
import runpy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import tailor
from tests import scripted
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


Run = Callable[..., subprocess.CompletedProcess[str]]


def run_script(
    env: dict[str, str], *args: str, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """The script in a process of its own."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def run_here(monkeypatch: pytest.MonkeyPatch) -> Run:
    """The script run in this process, as `python SCRIPT ARGS` runs it: `env` in place of
    this process's environment, `cwd` its working folder, its exit code and output kept."""

    def run(env: dict[str, str], *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
        for name in set(os.environ) - set(env):
            monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", [str(SCRIPT), *args])
        stdout, stderr, code = io.StringIO(), io.StringIO(), 0
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                runpy.run_path(str(SCRIPT), run_name="__main__")
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else 1
        return subprocess.CompletedProcess(args, code, stdout.getvalue(), stderr.getvalue())

    return run


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
    environment: dict[str, str], tmp_path: Path, run_here: Run
) -> None:
    result = run_here(environment, "tailored.md", cwd=tmp_path)  # run from elsewhere, too
    assert result.returncode == 0, result.stderr
    written = tmp_path / "tailored.md"
    assert written.read_text(encoding="utf-8").startswith("# Casey Morgan\n")
    assert result.stdout.rstrip().endswith("wrote tailored.md")
    assert "# Casey Morgan" not in result.stdout


def critique_answer() -> str:
    return scripted.critique_answer(
        scripted.finding(
            "Built an internal feature store in SQL for the claims and pricing teams.",
            rule="missing-metrics",
            message="The feature store has no figure.",
            suggestion="Say how many models or teams read from it.",
        ),
        score=73,
        summary="Shipped product work, light on ownership.",
        strengths=[
            scripted.strength(
                "to 120 paying customers six weeks after joining",
                "A model shipped to paying customers",
            )
        ],
    )


def rewrite_answer() -> str:
    reworded = (
        "Served 40,000 claims a day at 35 ms p95 latency with an XGBoost claims-triage model, "
        "deployed as a FastAPI service in Docker on AWS, fast-tracking 18% of claims to "
        "same-day settlement."
    )
    return scripted.rewrite_answer(
        ("w1.3", W13, "release speed"),
        ("w1.1", reworded, "the outcome first"),
        questions=[QUESTION],
    )


# TAILOR_PROVIDER names the provider (the variable the docstring promises), or an Anthropic
# key picks it through auto; the anthropic SDK reads ANTHROPIC_BASE_URL itself
WAYS = {
    # no TAILOR_MODEL, and a server that lists no model: none is named that it did not confirm
    "tailor-provider": ("openai-compatible unknown", "/v1/chat/completions"),
    "anthropic-key": ("anthropic claude-sonnet-5-5", "/v1/messages"),
}


@pytest.mark.parametrize("way", WAYS)
def test_with_a_provider_it_shows_the_models_score_cost_and_questions(
    way: str, environment: dict[str, str], fake_llm: FakeLLM, tmp_path: Path, run_here: Run
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
    result = run_here(environment)
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
