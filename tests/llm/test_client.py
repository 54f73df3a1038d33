"""The LLM client through the real anthropic and openai SDKs, against the fake server."""

from __future__ import annotations

import asyncio
import logging
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from tailor.errors import ProviderError
from tailor.llm import LLMClient, LLMSettings, Message
from tailor.llm.cache import ResponseCache
from tailor.llm.pricing import cost_usd
from tests.fake_llm import Drop, Error, FakeLLM, Raw, Slow, Text, TokenUsage

KEY = "sk-test-secret-key-123"
PROVIDERS = ("anthropic", "openai", "openai-compatible")
MODELS = {
    "anthropic": "claude-sonnet-5-5",
    "openai": "gpt-5.4-mini",
    "openai-compatible": "llama3.1",
}
PROMPT = [
    Message("system", "You review CVs."),
    Message("user", "CV of Jane Doe, jane.doe@example.com: ...", cache=True),
    Message("user", "Score it for a startup."),
]
GOOD = '{"score": 72, "notes": ["lead with the launch"]}'


class Verdict(BaseModel):
    score: int
    notes: list[str]


def settings(provider: str, server: FakeLLM, **changes: Any) -> LLMSettings:
    base = server.url if provider == "anthropic" else server.openai_base_url
    values: dict[str, Any] = {
        "provider": provider,
        "model": MODELS[provider],
        "api_key": KEY,
        "base_url": base,
        "timeout": 2.0,
        "backoff": 0.01,
        "max_backoff": 1.0,
        "cache": False,
    }
    return LLMSettings(**(values | changes))


def generate(provider: str, server: FakeLLM, **changes: Any) -> Any:
    with LLMClient(settings(provider, server, **changes)) as client:
        return client.generate(PROMPT, Verdict)


def bodies(server: FakeLLM) -> list[dict[str, Any]]:
    return [request.body for request in server.requests]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_valid_answer_comes_back_as_the_model(provider: str, fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(GOOD))
    result = generate(provider, fake_llm)
    assert result.value == Verdict(score=72, notes=["lead with the launch"])
    assert result.usage.provider == provider
    assert result.usage.requests == 1
    assert result.usage.latency_s > 0
    assert len(fake_llm.requests) == 1


def test_anthropic_enforces_the_schema_natively_and_marks_the_cached_prefix(
    fake_llm: FakeLLM,
) -> None:
    fake_llm.reply(Text(GOOD))
    generate("anthropic", fake_llm)
    (body,) = bodies(fake_llm)
    assert fake_llm.requests[0].path == "/v1/messages"
    output = body["output_config"]["format"]
    assert output["type"] == "json_schema"
    assert output["schema"]["additionalProperties"] is False
    assert set(output["schema"]["properties"]) == {"score", "notes"}
    assert body["system"] == [{"type": "text", "text": "You review CVs."}]
    (turn,) = body["messages"]  # consecutive user messages: one turn, one block each
    cv_block, task_block = turn["content"]
    assert cv_block["cache_control"] == {"type": "ephemeral"}
    assert "cache_control" not in task_block


def test_openai_enforces_a_strict_json_schema(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(GOOD))
    generate("openai", fake_llm)
    (body,) = bodies(fake_llm)
    assert fake_llm.requests[0].path == "/v1/chat/completions"
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    assert response_format["json_schema"]["schema"]["required"] == ["score", "notes"]
    assert body["max_completion_tokens"] == 8192
    assert "temperature" not in body  # newer OpenAI models accept only their default


def test_usage_and_cost_include_cache_tokens_for_anthropic(fake_llm: FakeLLM) -> None:
    fake_llm.reply(
        Text(GOOD, usage=TokenUsage(input=1200, output=300, cache_write=2000, cache_read=5000))
    )
    usage = generate("anthropic", fake_llm).usage
    assert (usage.input_tokens, usage.output_tokens) == (1200, 300)
    assert (usage.cache_write_tokens, usage.cache_read_tokens) == (2000, 5000)
    expected = cost_usd(
        "anthropic",
        "claude-sonnet-5-5",
        input_tokens=1200,
        output_tokens=300,
        cache_write_tokens=2000,
        cache_read_tokens=5000,
    )
    assert expected is not None and expected > 0
    assert usage.cost_usd == pytest.approx(expected)


def test_openai_cached_tokens_are_counted_apart_from_fresh_input(fake_llm: FakeLLM) -> None:
    # OpenAI's prompt_tokens includes the cached ones; tailor reports them separately
    fake_llm.reply(Text(GOOD, usage=TokenUsage(input=800, output=100, cache_read=1200)))
    usage = generate("openai", fake_llm).usage
    assert (usage.input_tokens, usage.cache_read_tokens, usage.output_tokens) == (800, 1200, 100)
    assert usage.cost_usd is not None and usage.cost_usd > 0


def test_a_local_server_reports_tokens_and_an_unknown_cost(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(GOOD, usage=TokenUsage(input=50, output=20)))
    usage = generate("openai-compatible", fake_llm).usage
    assert (usage.input_tokens, usage.output_tokens) == (50, 20)
    assert usage.cost_usd is None


FAULTS = {
    "429": Error(429, retry_after=0.2),
    "500": Error(500),
    "overloaded 529": Error(529),
    "slow past the timeout": Slow(1.5, Text(GOOD)),
    "dropped connection": Drop(),
    "invalid JSON body": Raw(b"{not json"),
    "not JSON at all": Raw(b"<html>busy</html>", content_type="text/html"),
}


@pytest.mark.parametrize(
    ("provider", "fault"),
    [
        (provider, fault)
        for provider in PROVIDERS
        for fault in FAULTS
        # a local server goes on with a request that timed out: it is not sent again
        # (tests/llm/test_local_server.py)
        if (provider, fault) != ("openai-compatible", "slow past the timeout")
    ],
)
def test_transient_faults_are_retried_until_an_answer(
    provider: str, fault: str, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(FAULTS[fault], Text(GOOD))
    result = generate(provider, fake_llm, timeout=0.5)
    assert result.value.score == 72
    assert result.usage.requests == 2
    assert len(fake_llm.requests) == 2  # the SDK did not retry on its own


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_retry_after_is_honoured(provider: str, fake_llm: FakeLLM) -> None:
    fake_llm.reply(Error(429, retry_after=0.4), Text(GOOD))
    started = time.perf_counter()
    generate(provider, fake_llm)
    assert time.perf_counter() - started >= 0.4  # our own backoff would be 0.01 s


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_provider_that_keeps_failing_gives_up_with_the_attempt_count(
    provider: str, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(*[Error(500)] * 4)
    with pytest.raises(ProviderError, match="gave up after 4 attempts") as caught:
        generate(provider, fake_llm)
    assert caught.value.attempts == 4
    assert len(fake_llm.requests) == 4
    assert MODELS[provider] in str(caught.value)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_refusals_are_never_retried(provider: str, status: int, fake_llm: FakeLLM) -> None:
    fake_llm.reply(Error(status, message="refused by the fake server"), Text(GOOD))
    with pytest.raises(ProviderError, match=f"HTTP {status}"):
        generate(provider, fake_llm)
    assert len(fake_llm.requests) == 1


@pytest.mark.parametrize(
    ("provider", "variable"), [("anthropic", "ANTHROPIC_API_KEY"), ("openai", "OPENAI_API_KEY")]
)
def test_a_rejected_key_names_the_variable_to_fix(
    provider: str, variable: str, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(Error(401))
    with pytest.raises(ProviderError, match=f"rejected the API key .*check {variable}"):
        generate(provider, fake_llm)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ('{"score": "high", "notes": []}', "score"),
        ('{"score": 70}', "notes"),
        ("I think the CV is good.", "no JSON object"),
        ('{"score": 70, "notes": [', "not valid JSON"),
    ],
)
def test_an_invalid_answer_is_sent_back_with_what_was_wrong(
    provider: str, bad: str, problem: str, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(Text(bad), Text(GOOD))
    result = generate(provider, fake_llm)
    assert result.value.score == 72
    assert result.usage.requests == 2
    second = bodies(fake_llm)[1]
    turns = second["messages"]
    assert _text(turns[-2]) == bad  # the model sees its own answer...
    assert turns[-2]["role"] == "assistant"
    assert problem in _text(turns[-1])  # ...and what was wrong with it
    assert turns[-1]["role"] == "user"


def test_a_truncated_answer_is_asked_again_with_twice_the_budget(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text('{"score": 70, "notes": ["a', truncated=True), Text(GOOD))
    result = generate("anthropic", fake_llm, max_tokens=1000)
    assert result.value.score == 72
    first, second = bodies(fake_llm)
    assert (first["max_tokens"], second["max_tokens"]) == (1000, 2000)
    assert "cut off" in _text(second["messages"][-1])


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_answer_that_never_validates_fails_clearly(provider: str, fake_llm: FakeLLM) -> None:
    fake_llm.reply(*[Text('{"score": "high"}')] * 3)
    with pytest.raises(ProviderError) as caught:
        generate(provider, fake_llm)
    message = str(caught.value)
    assert f"{provider} {MODELS[provider]} gave no valid verdict in 3 answers" in message
    assert caught.value.attempts == 3
    assert len(fake_llm.requests) == 3


def test_a_local_models_fenced_json_is_accepted(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(f"Here you go:\n```json\n{GOOD}\n```\nHope it helps."))
    assert generate("openai-compatible", fake_llm).value.score == 72


def test_a_server_that_rejects_json_schema_gets_json_mode_and_the_schema_in_words() -> None:
    with FakeLLM(reject_response_formats={"json_schema"}) as server:
        server.reply(Text(GOOD), Text(GOOD))
        assert generate("openai-compatible", server).value.score == 72
        refused, accepted = bodies(server)
        assert refused["response_format"]["type"] == "json_schema"
        assert len(server.requests) == 2
        assert accepted["response_format"]["type"] == "json_object"
        assert accepted["response_format"]["schema"]["required"] == ["score", "notes"]
        assert '"score"' in accepted["messages"][0]["content"]  # the schema, as an instruction
        # the next call goes straight to what worked
        generate("openai-compatible", server)
        assert bodies(server)[2]["response_format"] == accepted["response_format"]
        assert len(server.requests) == 3


def test_a_server_that_rejects_both_modes_gets_plain_text() -> None:
    with FakeLLM(reject_response_formats={"json_schema", "json_object"}) as server:
        server.reply(Text(GOOD))
        result = generate("openai-compatible", server)
        assert result.value.score == 72
        assert "response_format" not in bodies(server)[-1]
        assert len(server.requests) == result.usage.requests == 3


def test_openai_itself_does_not_step_down() -> None:
    with FakeLLM(reject_response_formats={"json_schema"}) as server:
        with pytest.raises(ProviderError, match="HTTP 400"):
            generate("openai", server)
        assert len(server.requests) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_identical_request_is_answered_from_the_cache(
    provider: str, fake_llm: FakeLLM, tmp_path: Path
) -> None:
    fake_llm.reply(Text(GOOD))
    cache = ResponseCache(tmp_path / "cache")
    with LLMClient(settings(provider, fake_llm, cache=True), cache=cache) as client:
        first = client.generate(PROMPT, Verdict)
        second = client.generate(PROMPT, Verdict)
    assert second.value == first.value
    assert second.usage.cached and second.usage.requests == 0 and second.usage.cost_usd == 0
    assert len(fake_llm.requests) == 1
    files = list((tmp_path / "cache").rglob("*.json"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert "jane" not in str(files[0]).lower()


def test_a_different_request_is_not_served_from_the_cache(
    fake_llm: FakeLLM, tmp_path: Path
) -> None:
    fake_llm.reply(Text(GOOD), Text(GOOD))
    cache = ResponseCache(tmp_path)
    with LLMClient(settings("openai", fake_llm, cache=True), cache=cache) as client:
        client.generate(PROMPT, Verdict)
        client.generate([*PROMPT[:2], Message("user", "Score it for a frontier lab.")], Verdict)
    assert len(fake_llm.requests) == 2


def test_without_the_cache_nothing_is_stored(fake_llm: FakeLLM, tmp_path: Path) -> None:
    fake_llm.reply(Text(GOOD), Text(GOOD))
    cache = ResponseCache(tmp_path / "cache")
    with LLMClient(settings("anthropic", fake_llm, cache=False), cache=cache) as client:
        client.generate(PROMPT, Verdict)
        client.generate(PROMPT, Verdict)
    assert len(fake_llm.requests) == 2
    assert not (tmp_path / "cache").exists()


def test_logs_name_the_call_but_never_the_key_or_the_cv(
    fake_llm: FakeLLM, caplog: pytest.LogCaptureFixture
) -> None:
    fake_llm.reply(Error(429, retry_after=0.01), Text('{"score": "x"}'), Text(GOOD), Error(401))
    with caplog.at_level(logging.INFO, logger="tailor.llm"):
        generate("anthropic", fake_llm)
        with pytest.raises(ProviderError) as caught:
            generate("anthropic", fake_llm)
    assert "anthropic claude-sonnet-5-5" in caplog.text
    assert "retrying" in caplog.text and "did not validate" in caplog.text
    for secret in (KEY, "Jane Doe", "jane.doe@example.com", "lead with the launch"):
        assert secret not in caplog.text
        assert secret not in str(caught.value)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_async_path_runs_calls_at_once(provider: str, fake_llm: FakeLLM) -> None:
    fake_llm.reply(*[Slow(0.5, Text(GOOD))] * 3)

    async def three() -> list[Any]:
        client = LLMClient(settings(provider, fake_llm))
        try:
            return await asyncio.gather(*(client.agenerate(PROMPT, Verdict) for _ in range(3)))
        finally:
            await client.aclose()

    started = time.perf_counter()
    results = asyncio.run(three())
    elapsed = time.perf_counter() - started
    assert [r.value.score for r in results] == [72, 72, 72]
    assert elapsed < 1.3  # three 0.5 s answers at once, not one after another (1.5 s)


def test_the_async_path_retries_and_reasks(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Error(503), Text('{"score": 1}'), Text(GOOD))

    async def one() -> Any:
        client = LLMClient(settings("openai", fake_llm))
        try:
            return await client.agenerate(PROMPT, Verdict)
        finally:
            await client.aclose()

    result = asyncio.run(one())
    assert result.value.score == 72
    assert result.usage.requests == 3


def _text(turn: dict[str, Any]) -> str:
    content = turn["content"]
    if isinstance(content, str):
        return content
    return "".join(block.get("text", "") for block in content)


def test_each_reply_is_priced_on_its_own(fake_llm: FakeLLM) -> None:
    """gpt-5.4 costs more per token above 272k input: two 150k replies are two cheap ones."""
    big = TokenUsage(input=150_000, output=0)
    fake_llm.reply(Text('{"score": "x"}', usage=big), Text(GOOD, usage=big))
    usage = generate("openai", fake_llm, model="gpt-5.4").usage
    one = cost_usd("openai", "gpt-5.4", input_tokens=150_000, output_tokens=0)
    summed = cost_usd("openai", "gpt-5.4", input_tokens=300_000, output_tokens=0)
    assert one is not None and summed is not None and summed > 2 * one  # the tier is real
    assert usage.cost_usd == pytest.approx(2 * one)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_one_client_serves_two_event_loops(provider: str, fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(GOOD), Text(GOOD))
    client = LLMClient(settings(provider, fake_llm))

    async def once() -> Any:
        try:
            return await client.agenerate(PROMPT, Verdict)
        finally:
            await client.aclose()  # the async SDK client of this loop

    assert asyncio.run(once()).value.score == 72
    assert asyncio.run(once()).value.score == 72  # a new loop: a new async SDK client
    assert len(fake_llm.requests) == 2
    client.close()


def test_a_refused_mode_is_not_tried_again_after_a_retry() -> None:
    with FakeLLM(reject_response_formats={"json_schema"}) as server:
        server.reply(Error(503), Text(GOOD))
        result = generate("openai-compatible", server)
        formats = [b.get("response_format", {}).get("type") for b in bodies(server)]
        assert formats == ["json_schema", "json_object", "json_object"]
        assert result.usage.requests == 3  # the refused probe counts too


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_a_key_the_server_echoes_is_struck_out_of_the_error(
    provider: str, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(Error(400, message=f"malformed header: Bearer {KEY}"))
    with pytest.raises(ProviderError) as caught:
        generate(provider, fake_llm)
    assert KEY not in str(caught.value)
    assert "[api key]" in str(caught.value)


def test_a_blank_answer_is_asked_again_without_sending_blank_text(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text("   "), Text(GOOD))
    assert generate("anthropic", fake_llm).value.score == 72
    assistant = bodies(fake_llm)[1]["messages"][-2]
    assert _text(assistant) == "(empty answer)"


def test_501_is_not_retried(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Error(501), Text(GOOD))
    with pytest.raises(ProviderError, match="HTTP 501"):
        generate("openai", fake_llm)
    assert len(fake_llm.requests) == 1


def test_a_cache_that_cannot_be_written_does_not_lose_the_answer(
    fake_llm: FakeLLM, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    fake_llm.reply(Text(GOOD))
    with (
        caplog.at_level(logging.WARNING, logger="tailor.llm"),
        LLMClient(settings("openai", fake_llm, cache=True), cache=ResponseCache(blocked)) as client,
    ):
        assert client.generate(PROMPT, Verdict).value.score == 72
    assert "cannot be written" in caplog.text
    assert len(fake_llm.requests) == 1


def test_retry_after_reads_milliseconds_seconds_and_dates() -> None:
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    from tailor.llm.base import retry_after_seconds

    assert retry_after_seconds({"retry-after-ms": "250"}) == 0.25
    assert retry_after_seconds({"retry-after-ms": "soon", "retry-after": "3"}) == 3.0
    in_ten = format_datetime(datetime.now(UTC) + timedelta(seconds=10), usegmt=True)
    assert 8 < (retry_after_seconds({"retry-after": in_ten}) or 0) <= 10
    assert retry_after_seconds({"retry-after": "whenever"}) is None
    assert retry_after_seconds({}) is None


class _Note(BaseModel):
    text: str


def test_a_raw_control_character_inside_a_string_is_read_as_text() -> None:
    from tailor.llm.client import InvalidAnswer, parse_answer

    # small local models write a raw newline or tab inside a JSON string
    assert parse_answer('{"text": "line one\nline\ttwo"}', _Note).text == "line one\nline\ttwo"
    with pytest.raises(InvalidAnswer, match="not valid JSON"):
        parse_answer('{"text": "unclosed}', _Note)
