"""`tailor providers` and `tailor cache`, end to end, each run with its own environment."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tailor.llm.cache import ResponseCache, request_key
from tailor.llm.check import PROMPT
from tests.fake_llm import Error, FakeLLM, Text, TokenUsage

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-ant-test-secret"
PING = '{"ok": true, "word": "tailor"}'

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def tailor(run_tailor: Run) -> Run:
    """The real CLI, isolated from the developer's keys, settings and cache (conftest)."""
    return run_tailor


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tailor: error: ")
    assert "Traceback" not in result.stderr
    return lines[0]


# -- which provider ----------------------------------------------------------------------------


def test_without_keys_it_is_offline_and_says_why(tailor: Run, tmp_path: Path) -> None:
    result = tailor("providers")
    assert result.returncode == 0, result.stderr
    assert "provider: offline (auto: no ANTHROPIC_API_KEY or OPENAI_API_KEY set" in result.stdout
    assert "ANTHROPIC_API_KEY: not set" in result.stdout
    assert "OPENAI_API_KEY: not set" in result.stdout
    assert f"config file: {tmp_path / 'config.toml'}" in result.stdout
    assert "model:" not in result.stdout


@pytest.mark.parametrize("verbose", [[], ["-v"]], ids=["quiet", "verbose"])
def test_with_an_anthropic_key_it_says_set_and_never_shows_it(
    run_tailor_process: Run, verbose: list[str]
) -> None:
    result = run_tailor_process(*verbose, "providers", env={"ANTHROPIC_API_KEY": SECRET})
    assert result.returncode == 0, result.stderr
    assert "provider: anthropic (auto: ANTHROPIC_API_KEY is set)" in result.stdout
    assert "model: claude-sonnet-5-5" in result.stdout.splitlines()
    assert "ANTHROPIC_API_KEY: set" in result.stdout.splitlines()
    assert "OPENAI_API_KEY: not set" in result.stdout
    assert "base URL" not in result.stdout  # the SDK's own default
    assert SECRET not in result.stdout and SECRET not in result.stderr
    assert "test-secret" not in result.stdout + result.stderr


def test_with_only_an_openai_key_it_picks_openai(tailor: Run) -> None:
    result = tailor("providers", env={"OPENAI_API_KEY": "sk-openai-test"})
    assert result.returncode == 0, result.stderr
    assert "provider: openai (auto: OPENAI_API_KEY is set)" in result.stdout
    assert "sk-openai-test" not in result.stdout + result.stderr


def test_the_flags_win_over_the_environment(tailor: Run) -> None:
    env = {"ANTHROPIC_API_KEY": SECRET, "TAILOR_MODEL": "from-env"}
    result = tailor("providers", "-p", "openai-compatible", "-m", "qwen3", env=env)
    assert result.returncode == 0, result.stderr
    assert "provider: openai-compatible (chosen)" in result.stdout
    assert "model: qwen3" in result.stdout.splitlines()
    assert "base URL: http://localhost:11434/v1" in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_openai_without_its_key_is_one_line_and_exit_2(tailor: Run) -> None:
    result = tailor("providers", "-p", "openai", env={"ANTHROPIC_API_KEY": SECRET})
    line = one_error_line(result)
    assert line == "tailor: error: the openai provider needs an API key: set OPENAI_API_KEY"
    assert SECRET not in result.stdout + result.stderr


def test_an_unknown_provider_is_one_line_and_exit_2(tailor: Run) -> None:
    line = one_error_line(tailor("providers", "-p", "gemini"))
    assert "gemini" in line and "openai-compatible" in line


def test_a_bad_config_file_is_one_line_naming_it(tailor: Run, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('api_key = "sk-in-a-file"\n', encoding="utf-8")
    line = one_error_line(tailor("providers"))
    assert str(tmp_path / "config.toml") in line
    assert "sk-in-a-file" not in line


# -- --check against the fake server -----------------------------------------------------------


def check_args(server: FakeLLM, *extra: str) -> list[str]:
    return [
        "providers",
        "-p",
        "openai-compatible",
        "--base-url",
        server.openai_base_url,
        "--check",
        *extra,
    ]


def test_check_sends_one_structured_request(
    tailor: Run, fake_llm: FakeLLM, cache_dir: Path
) -> None:
    fake_llm.reply(Text(PING))
    result = tailor(*check_args(fake_llm))
    assert result.returncode == 0, result.stderr
    assert "check: answered" in result.stdout
    assert f"base URL: {fake_llm.openai_base_url}" in result.stdout
    [request] = fake_llm.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.body["response_format"]["type"] == "json_schema"
    assert request.body["model"] == "llama3.1"  # the server lists no model: the old default
    assert not cache_dir.exists()  # a check is never answered from, nor stored in, the cache


def test_check_with_verbose_logs_usage_but_not_the_prompt(tailor: Run, fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(PING, usage=TokenUsage(input=321, output=54)))
    result = tailor("-v", *check_args(fake_llm, "-m", "tiny-model"))
    assert result.returncode == 0, result.stderr
    assert "check: answered" in result.stdout
    assert "321 tokens in, 54 out" in result.stdout
    logged = [line for line in result.stderr.splitlines() if "321" in line and "54" in line]
    assert len(logged) == 1, result.stderr
    assert "openai-compatible" in logged[0] and "tiny-model" in logged[0]
    assert PROMPT not in result.stderr
    assert "connection check" not in result.stderr
    assert '"word"' not in result.stderr  # nor the answer


def test_check_reports_a_401_once_without_retrying(tailor: Run, fake_llm: FakeLLM) -> None:
    fake_llm.reply(Error(401))
    result = tailor(*check_args(fake_llm))
    line = one_error_line(result)
    assert "401" in line
    assert len(fake_llm.requests) == 1
    assert "check: answered" not in result.stdout


# -- the cache ---------------------------------------------------------------------------------


def test_cache_path_prints_tailor_cache_dir(tailor: Run, cache_dir: Path) -> None:
    result = tailor("cache", "path")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(cache_dir)
    assert not cache_dir.exists()  # asking where is not creating it


def test_cache_clear_removes_the_stored_answers(tailor: Run, cache_dir: Path) -> None:
    cache = ResponseCache(cache_dir)
    cache.put(request_key({"model": "a"}), {"value": {"ok": True}})
    cache.put(request_key({"model": "b"}), {"value": {"ok": False}})
    result = tailor("cache", "clear")
    assert result.returncode == 0, result.stderr
    assert "removed 2 stored answers" in result.stdout
    assert str(cache_dir) in result.stdout
    assert not cache_dir.exists()
    again = tailor("cache", "clear")
    assert again.returncode == 0, again.stderr
    assert "removed 0 stored answers" in again.stdout


def test_cache_clear_says_one_answer_in_the_singular(tailor: Run, cache_dir: Path) -> None:
    ResponseCache(cache_dir).put(request_key({"model": "a"}), {"value": {}})
    result = tailor("cache", "clear")
    assert result.returncode == 0, result.stderr
    assert "removed 1 stored answer from" in result.stdout
