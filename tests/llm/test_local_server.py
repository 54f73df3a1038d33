"""OpenAI-compatible (local) servers through the real openai SDK against the fake server:
the output-mode ladder and its memory, the model the server lists, and the defaults that keep
a small local model from stalling (token budgets, no resent timeouts, short re-asks)."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from tailor.critic.llm import LLMCritique
from tailor.errors import ProviderError
from tailor.interview.llm import LLMPrep
from tailor.llm import LLMClient, LLMSettings, Message, modes
from tailor.llm.base import Schema
from tailor.llm.cache import SERVER_MODES_FILE, ResponseCache
from tailor.llm.check import Ping
from tailor.llm.config import batch_concurrency
from tailor.posting.llm import LLMPosting
from tailor.rewriter.llm import LLMRewrite
from tests.fake_llm import (
    LLAMA_CPP_PYTHON,
    NO_SCHEMA_KEY,
    Drop,
    Error,
    FakeLLM,
    Refusal,
    Slow,
    Text,
)

PROMPT = [
    Message("system", "You review CVs."),
    Message("user", "CV of Jane Doe, jane.doe@example.com: ...", cache=True),
    Message("user", "Score it for a startup."),
]
GOOD = '{"score": 72, "notes": ["lead with the launch"]}'
CUT = '{"score": 72, "notes": ["lead with the launch of the Jane Doe'
CLASS_NAME = re.compile(r"\bLLM[A-Z]\w+|\bPing\b")


class Verdict(BaseModel):
    score: int
    notes: list[str]


def local(server: FakeLLM, **changes: Any) -> LLMSettings:
    values: dict[str, Any] = {
        "provider": "openai-compatible",
        "model": "llama3.1",
        "api_key": "not-needed",
        "base_url": server.openai_base_url,
        "timeout": 2.0,
        "backoff": 0.01,
        "max_backoff": 0.1,
        "cache": False,
    }
    return LLMSettings(**(values | changes))


def generate(server: FakeLLM, answer: type[BaseModel] = Verdict, **changes: Any) -> Any:
    """Ask the fake server for `answer`, with the settings `changes` (model=... among them)."""
    with LLMClient(local(server, **changes)) as client:
        return client.generate(PROMPT, answer)


def failure(server: FakeLLM, answer: type[BaseModel] = Verdict, **changes: Any) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        generate(server, answer, **changes)
    return caught.value


def formats(server: FakeLLM) -> list[str]:
    """Each request's output mode, as the modes module names the rungs."""
    named = []
    for request in server.requests:
        found = request.response_format
        if found is None:
            named.append("prompt")
        elif found["type"] == "json_object" and request.sent_schema:
            named.append("json_object+schema")
        else:
            named.append(found["type"])
    return named


def modes_file(tmp_path: Path) -> Path:
    """Where the remembered modes go: the test's own cache folder (tests/conftest.py)."""
    return tmp_path / "user-cache" / SERVER_MODES_FILE


def new_run() -> None:
    """What a new process knows of servers: only what is on disk."""
    modes.forget()
    from tailor.llm.openai import forget_servers

    forget_servers()


# -- stepping down -----------------------------------------------------------------------------


REFUSALS = {
    "llama-cpp-python 500 detail": LLAMA_CPP_PYTHON,
    "500 error string": Refusal(500, "Input should be 'text' or 'json_object'", shape="string"),
    "500 openai body": Refusal(500, "response_format type must be one of text or json_object"),
    "400": Refusal(400),
    "422 detail": Refusal(422, "json_schema is not supported", shape="detail"),
    "501 structured output": Refusal(501, "structured output is not implemented"),
}


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=list(REFUSALS))
def test_a_refusal_naming_the_format_steps_down_whatever_its_status(refusal: Refusal) -> None:
    with FakeLLM(reject_response_formats={"json_schema": refusal}) as server:
        server.reply(Text(GOOD))
        result = generate(server)
        assert result.value.score == 72
        assert formats(server) == ["json_schema", "json_object+schema"]  # one request a mode
        assert result.usage.requests == 2


def test_a_500_that_does_not_name_the_format_is_retried_as_before(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Error(500, message="llama_decode returned -3"), Text(GOOD))
    assert generate(fake_llm).value.score == 72
    assert formats(fake_llm) == ["json_schema", "json_schema"]


@pytest.mark.parametrize("status", [401, 403, 404, 429])
def test_statuses_with_a_meaning_of_their_own_never_step_down(status: int) -> None:
    refusal = Refusal(status, "json_schema requests are not allowed for this key")
    with FakeLLM(reject_response_formats={"json_schema": refusal}) as server:
        failure(server, max_attempts=1)
        assert formats(server) == ["json_schema"]
        assert modes.first_rung(modes.server_key(server.openai_base_url), disk=True) == (
            "json_schema"
        )


def test_json_object_carries_the_schema_and_says_it_in_the_prompt() -> None:
    with FakeLLM(reject_response_formats={"json_schema": LLAMA_CPP_PYTHON}) as server:
        server.reply(Text(GOOD))
        generate(server)
        refused, accepted = server.requests
        schema = refused.body["response_format"]["json_schema"]["schema"]
        # the same schema, its lists bounded: a grammar then cannot let a model ramble on
        grammar = accepted.response_format["schema"]
        assert accepted.response_format["type"] == "json_object"
        assert grammar["properties"]["notes"] == {**schema["properties"]["notes"], "maxItems": 12}
        assert "maxItems" not in json.dumps(schema)  # never in a strict json_schema
        assert {k: v for k, v in grammar.items() if k != "properties"} == {
            k: v for k, v in schema.items() if k != "properties"
        }
        assert schema["required"] == ["score", "notes"]
        assert '"score"' in accepted.body["messages"][0]["content"]  # and in words


def test_a_server_that_refuses_the_schema_key_gets_json_object_without_it() -> None:
    with FakeLLM(
        reject_response_formats={"json_schema"}, refuse_schema_key=NO_SCHEMA_KEY
    ) as server:
        server.reply(Text(GOOD), Text(GOOD))
        assert generate(server).value.score == 72
        assert formats(server) == ["json_schema", "json_object+schema", "json_object"]
        generate(server)  # and the next call starts there
        assert formats(server)[3:] == ["json_object"]


def test_a_server_that_refuses_json_object_itself_goes_straight_to_the_prompt() -> None:
    with FakeLLM(reject_response_formats={"json_schema", "json_object"}) as server:
        server.reply(Text(GOOD))
        assert generate(server).value.score == 72
        assert formats(server) == ["json_schema", "json_object+schema", "prompt"]


def test_with_nothing_left_the_error_keeps_the_servers_words() -> None:
    with FakeLLM(reject_response_formats={"json_schema": LLAMA_CPP_PYTHON}) as server:
        error = failure(server, output_mode="json_schema")
        message = str(error)
        assert "HTTP 500" in message
        assert "Input should be 'text' or 'json_object'" in message
        assert "--output-mode auto" in message
        assert "\n" not in message
        assert len(server.requests) == 1  # not retried: a refusal is not transient


# -- pinning a mode ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "sent"),
    [
        ("json_schema", ["json_schema"]),
        ("json_object", ["json_object+schema"]),
        ("prompt", ["prompt"]),
        ("auto", ["json_schema"]),
    ],
)
def test_a_pinned_mode_is_the_one_sent(fake_llm: FakeLLM, mode: str, sent: list[str]) -> None:
    fake_llm.reply(Text(GOOD))
    generate(fake_llm, output_mode=mode)
    assert formats(fake_llm) == sent


def test_a_pinned_mode_wins_over_what_was_remembered_and_relearns_the_server(
    tmp_path: Path,
) -> None:
    with FakeLLM(reject_response_formats={"json_schema"}) as server:
        server.reply(Text(GOOD), Text(GOOD), Text(GOOD), Text(GOOD))
        generate(server)  # auto: json_schema refused, json_object+schema works
        server.reject_response_formats = {}  # the server is upgraded
        generate(server)
        assert formats(server)[2:] == ["json_object+schema"]  # auto starts where it worked
        generate(server, output_mode="json_schema")
        assert formats(server)[3:] == ["json_schema"]  # the pin is obeyed, and it works...
        new_run()
        generate(server)
        assert formats(server)[4:] == ["json_schema"]  # ...so the next auto run starts there


def test_a_pinned_json_object_may_drop_the_schema_key_but_goes_no_lower() -> None:
    with FakeLLM(
        reject_response_formats={"json_object": Refusal(400, "json_object is not supported")}
    ) as server:
        error = failure(server, output_mode="json_object")
        assert formats(server) == ["json_object+schema"]
        assert "--output-mode json_object" in str(error)


# -- remembering across runs -------------------------------------------------------------------


def test_what_a_server_refused_is_remembered_by_the_next_run(tmp_path: Path) -> None:
    with FakeLLM(reject_response_formats={"json_schema": LLAMA_CPP_PYTHON}) as server:
        server.reply(Text(GOOD), Text(GOOD))
        generate(server)
        assert len(server.requests) == 2
        new_run()
        result = generate(server)
        assert formats(server)[2:] == ["json_object+schema"]  # no refused probe this time
        assert result.usage.requests == 1
        url = server.openai_base_url
    stored = modes_file(tmp_path)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    text = stored.read_text(encoding="utf-8")
    assert json.loads(text)["servers"] == {url: "json_object+schema"}
    assert "Jane" not in text and "Input should be" not in text


def test_without_storing_nothing_is_written_and_the_next_run_probes_again(
    tmp_path: Path,
) -> None:
    with FakeLLM(reject_response_formats={"json_schema"}) as server:
        server.reply(Text(GOOD), Text(GOOD))
        generate(server, remember_modes=False)
        new_run()
        generate(server, remember_modes=False)
        assert formats(server) == ["json_schema", "json_object+schema"] * 2
    assert not modes_file(tmp_path).exists()


def test_the_memory_is_per_server_and_forgets_the_credentials_in_a_url() -> None:
    assert modes.server_key("http://user:secret@gpu-box.lan:8000/v1/?key=x") == (
        "http://gpu-box.lan:8000/v1"
    )
    assert modes.server_key("http://127.0.0.1:8080/v1") != modes.server_key(
        "http://127.0.0.1:8081/v1"
    )


def test_cache_clear_forgets_the_remembered_modes(tmp_path: Path) -> None:
    with FakeLLM(reject_response_formats={"json_schema"}) as server:
        server.reply(Text(GOOD))
        generate(server)
    assert modes_file(tmp_path).exists()
    ResponseCache(tmp_path / "user-cache").clear()
    assert not modes_file(tmp_path).exists()


def test_a_damaged_memory_is_ignored(tmp_path: Path, fake_llm: FakeLLM) -> None:
    modes_file(tmp_path).parent.mkdir(parents=True)
    modes_file(tmp_path).write_text("{not json", encoding="utf-8")
    fake_llm.reply(Text(GOOD))
    generate(fake_llm)
    assert formats(fake_llm) == ["json_schema"]


# -- token budgets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "depth", "budget"),
    [
        (Ping, 0, 512),
        (Verdict, 1, 2048),
        (LLMCritique, 1, 2048),
        (LLMPosting, 2, 3072),
        (LLMRewrite, 2, 3072),
        (LLMPrep, 3, 3072),
    ],
)
def test_a_local_servers_budget_is_sized_by_the_answers_shape(
    model: type[BaseModel], depth: int, budget: int
) -> None:
    assert Schema(model).list_depth() == depth
    settings = LLMSettings(provider="openai-compatible", model="m")
    assert settings.answer_budget(depth) == budget
    assert LLMSettings(provider="anthropic", model="m").answer_budget(depth) == 8192
    assert LLMSettings(provider="openai-compatible", model="m", max_tokens=900).answer_budget(
        depth
    ) == 900  # fmt: skip


def test_the_budget_goes_out_as_max_tokens(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(GOOD), Text('{"ok": true, "word": "tailor"}'))
    generate(fake_llm)
    generate(fake_llm, Ping, max_tokens=4000)  # as set in the config file
    assert [r.body["max_tokens"] for r in fake_llm.requests] == [2048, 4000]


# -- timeouts ----------------------------------------------------------------------------------


def test_a_local_server_that_times_out_is_not_asked_again(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Slow(0.8, Text(GOOD)), Text(GOOD), Text(GOOD))
    error = failure(fake_llm, timeout=0.2)
    assert len(fake_llm.requests) == 1
    assert fake_llm.most_at_once == 1  # nothing piled up behind the first
    message = str(error)
    assert "did not answer within 0.2 s" in message
    assert "timeout = 600" in message and "config.toml" in message
    assert error.usage is not None and error.usage.requests == 1


def test_the_async_path_does_not_resend_a_timed_out_request(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Slow(0.8, Text(GOOD)), Text(GOOD))

    async def one() -> None:
        client = LLMClient(local(fake_llm, timeout=0.2))
        try:
            await client.agenerate(PROMPT, Verdict)
        finally:
            await client.aclose()

    with pytest.raises(ProviderError, match="did not answer within"):
        asyncio.run(one())
    assert len(fake_llm.requests) == 1


@pytest.mark.parametrize("fault", [Drop(), Error(503), Error(429, retry_after=0.01)])
def test_a_local_server_is_still_retried_when_it_did_no_work(
    fake_llm: FakeLLM, fault: Drop | Error
) -> None:
    fake_llm.reply(fault, Text(GOOD))
    assert generate(fake_llm).value.score == 72
    assert len(fake_llm.requests) == 2


# -- a cut-off answer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("max_tokens", "second"),
    [(None, 3072), (1000, 2000), (8192, 8192)],
    ids=["default budget", "set low", "set high"],
)
def test_a_local_cut_off_answer_is_asked_again_shorter_without_the_cut_text(
    fake_llm: FakeLLM, max_tokens: int | None, second: int
) -> None:
    fake_llm.reply(Text(CUT, truncated=True), Text(GOOD))
    assert generate(fake_llm, max_tokens=max_tokens).value.score == 72
    first_body, again = (request.body for request in fake_llm.requests)
    assert again["max_tokens"] == second  # grown to the local cap at most, or as set
    assert all(turn["role"] != "assistant" for turn in again["messages"])
    sent = json.dumps(again["messages"])
    assert "launch of the Jane" not in sent
    assert "shorter" in again["messages"][-1]["content"]
    assert len(again["messages"]) == len(first_body["messages"])  # the ask joins the last turn


def test_a_cloud_cut_off_answer_is_still_sent_back_with_twice_the_budget() -> None:
    with FakeLLM() as server:
        server.reply(Text(CUT, truncated=True), Text(GOOD))
        settings = local(server, provider="openai", model="gpt-5.4-mini", max_tokens=1000)
        with LLMClient(settings) as client:
            client.generate(PROMPT, Verdict)
        again = server.requests[1].body
        assert again["max_completion_tokens"] == 2000
        assert again["messages"][-2] == {"role": "assistant", "content": CUT}


# -- which model -------------------------------------------------------------------------------


def test_without_a_model_the_one_the_server_lists_is_sent_and_reported() -> None:
    with FakeLLM(models=["SmolLM2-135M-Instruct"]) as server:
        server.reply(Text(GOOD), Text(GOOD))
        first = generate(server, model="")
        second = generate(server, model="")
        assert first.usage.model == second.usage.model == "SmolLM2-135M-Instruct"
        assert [r.body["model"] for r in server.requests] == ["SmolLM2-135M-Instruct"] * 2
        assert len(server.model_lists) == 1  # asked once a process


def test_a_server_of_several_models_needs_one_named() -> None:
    with FakeLLM(models=["qwen2.5:14b", "llama3.1:8b", "phi4"]) as server:
        message = str(failure(server, model=""))
        assert "3 models (qwen2.5:14b, llama3.1:8b, phi4)" in message
        assert "--model" in message
        assert server.requests == []  # nothing generated under a guessed name
        server.reply(Text(GOOD))
        assert generate(server, model="phi4").usage.model == "phi4"


@pytest.mark.parametrize("models", [None, []], ids=["404", "empty list"])
def test_a_server_that_does_not_say_gets_the_old_default_reported_as_unknown(
    models: list[str] | None,
) -> None:
    with FakeLLM(models=models) as server:
        server.reply(Text(GOOD))  # the server echoes the name it is sent
        result = generate(server, model="")
        assert server.requests[0].body["model"] == "llama3.1"
        assert result.usage.model == "unknown"


def test_a_named_model_is_not_looked_up(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(GOOD))
    assert generate(fake_llm, model="qwen3").usage.model == "qwen3"
    assert fake_llm.model_lists == []


def test_a_cache_hit_names_the_model_that_gave_the_answer(tmp_path: Path) -> None:
    with FakeLLM(models=["SmolLM2-135M-Instruct"]) as server:
        server.reply(Text(GOOD))
        cache = ResponseCache(tmp_path / "answers")
        for _ in range(2):
            with LLMClient(local(server, model="", cache=True), cache=cache) as client:
                result = client.generate(PROMPT, Verdict)
            new_run()
        assert result.usage.cached and result.usage.model == "SmolLM2-135M-Instruct"
        assert len(server.requests) == 1


# -- words, not class names, and the -v log ----------------------------------------------------


@pytest.mark.parametrize(
    ("model", "words"),
    [
        (LLMCritique, "critique"),
        (LLMRewrite, "rewrite"),
        (LLMPrep, "interview talking points"),
        (LLMPosting, "posting reading"),
        (Ping, "connection check"),
        (Verdict, "verdict"),
    ],
)
def test_errors_name_the_answer_in_words_not_its_class(
    fake_llm: FakeLLM, model: type[BaseModel], words: str
) -> None:
    fake_llm.reply(*[Text('{"wrong": true}')] * 3)
    message = str(failure(fake_llm, model))
    assert f"gave no valid {words} in 3 answers" in message
    assert not CLASS_NAME.search(message), message


def test_no_error_of_a_local_server_names_a_class() -> None:
    messages = []
    with FakeLLM(reject_response_formats={"json_schema": LLAMA_CPP_PYTHON}) as server:
        messages.append(str(failure(server, LLMCritique, output_mode="json_schema")))
        server.reply(Slow(0.5, Text(GOOD)))
        messages.append(str(failure(server, LLMRewrite, timeout=0.1)))
    with FakeLLM(models=["a", "b"]) as server:
        messages.append(str(failure(server, LLMPosting, model="")))
    for message in messages:
        assert not CLASS_NAME.search(message), message


def test_the_log_says_the_mode_and_why_it_stepped_down_but_no_cv(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with (
        FakeLLM(reject_response_formats={"json_schema": LLAMA_CPP_PYTHON}) as server,
        caplog.at_level(logging.INFO, logger="tailor.llm"),
    ):
        server.reply(Text(GOOD))
        generate(server)
    log = caplog.text
    assert "output mode json_schema" in log
    assert "refused output mode json_schema (HTTP 500: " in log
    assert "Input should be 'text' or 'json_object'" in log
    assert "stepping down to json_object+schema" in log
    assert "output mode json_object+schema" in log
    for secret in ("Jane Doe", "jane.doe@example.com", "lead with the launch", "You review"):
        assert secret not in log


# -- a batch -----------------------------------------------------------------------------------


def test_a_batch_on_a_local_server_runs_one_job_at_a_time_unless_told() -> None:
    local_settings = LLMSettings(provider="openai-compatible", model="")
    cloud = LLMSettings(provider="anthropic", model="claude-sonnet-5-5")
    assert batch_concurrency(None, local_settings) == 1
    assert batch_concurrency(3, local_settings) == 3  # -j 3
    assert batch_concurrency(None, cloud) == 4
    assert batch_concurrency(None, None) == 4  # offline
    assert batch_concurrency(1, cloud) == 1
