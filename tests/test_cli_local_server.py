"""The `tailor` command against a server like llama-cpp-python's (a 500 for json_schema, one
model listed at /v1/models): real processes, the real openai SDK, the fake server."""

from __future__ import annotations

import json
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tailor.llm.cache import SERVER_MODES_FILE
from tests.fake_llm import LLAMA_CPP_PYTHON, FakeLLM, Text

Run = Callable[..., subprocess.CompletedProcess[str]]
PING = '{"ok": true, "word": "tailor"}'
SMOL = "SmolLM2-135M-Instruct"
CRITIQUE = json.dumps({"score": 61, "summary": "Solid.", "findings": [], "strengths": []})


@pytest.fixture
def llama_cpp() -> Iterator[FakeLLM]:
    """A server that refuses json_schema with a 500, as llama-cpp-python 0.3 does, and
    serves one model."""
    with FakeLLM(reject_response_formats={"json_schema": LLAMA_CPP_PYTHON}, models=[SMOL]) as fake:
        yield fake


def check(server: FakeLLM, *extra: str) -> list[str]:
    return ["providers", "-p", "openai-compatible", "--base-url", server.openai_base_url,
            "--check", *extra]  # fmt: skip


def test_check_works_and_the_next_run_starts_at_the_mode_that_worked(
    run_tailor: Run, llama_cpp: FakeLLM, cache_dir: Path
) -> None:
    llama_cpp.reply(Text(PING), Text(PING))
    first = run_tailor("-v", *check(llama_cpp))
    assert first.returncode == 0, first.stderr
    assert f"the server's model: {SMOL}" in first.stdout
    assert "model: the one the server lists" in first.stdout
    assert "check: answered" in first.stdout and "2 requests" in first.stdout
    assert "refused output mode json_schema (HTTP 500: " in first.stderr
    assert "stepping down to json_object+schema" in first.stderr
    assert [r.body["model"] for r in llama_cpp.requests] == [SMOL, SMOL]
    stored = cache_dir / SERVER_MODES_FILE
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600

    second = run_tailor(*check(llama_cpp))  # another process: it remembers
    assert second.returncode == 0, second.stderr
    assert "1 request)" in second.stdout
    assert llama_cpp.requests[2].response_format == {
        "type": "json_object",
        "schema": llama_cpp.requests[0].body["response_format"]["json_schema"]["schema"],
    }


def test_the_output_mode_flag_and_variable_pin_the_mode(
    run_tailor: Run, llama_cpp: FakeLLM
) -> None:
    llama_cpp.reply(Text(PING), Text(PING))
    pinned = run_tailor(*check(llama_cpp, "--output-mode", "prompt"))
    assert pinned.returncode == 0, pinned.stderr
    assert "output mode: prompt" in pinned.stdout
    from_env = run_tailor(*check(llama_cpp), env={"TAILOR_OUTPUT_MODE": "json_object"})
    assert from_env.returncode == 0, from_env.stderr
    first, second = llama_cpp.requests
    assert first.response_format is None
    assert second.response_format is not None and second.response_format["type"] == "json_object"


def test_a_pinned_mode_the_server_refuses_is_one_line_with_its_words(
    run_tailor: Run, llama_cpp: FakeLLM
) -> None:
    result = run_tailor(*check(llama_cpp, "--output-mode", "json_schema"))
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert "Input should be 'text' or 'json_object'" in line and "HTTP 500" in line
    assert len(llama_cpp.requests) == 1


def test_a_critique_without_a_model_reports_the_servers_and_keeps_nothing_with_no_store(
    run_tailor: Run, llama_cpp: FakeLLM, cache_dir: Path
) -> None:
    llama_cpp.reply(Text(CRITIQUE))
    result = run_tailor(
        "critique", "examples/casey-morgan.md", "-t", "startup", "-f", "json", "--no-store",
        "-p", "openai-compatible", "--base-url", llama_cpp.openai_base_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["model"] == SMOL
    assert "using openai-compatible (the model the server lists)" in result.stderr
    assert not cache_dir.exists()  # --no-store: not even the server's mode


def test_an_unknown_output_mode_is_a_usage_error(run_tailor: Run) -> None:
    result = run_tailor("providers", "--output-mode", "grammar")
    assert result.returncode == 2
    assert "grammar" in result.stderr and "Traceback" not in result.stderr
