"""The in-process fake answers every scripted reply as the loopback server does: the same
request recorded, the same answer parsed by the real SDKs, the same SDK error raised."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import anthropic
import openai
import pytest

from tests.fake_llm import (
    Drop,
    Error,
    FakeLLM,
    InProcessLLM,
    Raw,
    Recorded,
    ScriptedLLM,
    Slow,
    Text,
    TokenUsage,
    ToolCall,
)

KEY = "sk-test-key"
MESSAGES = [{"role": "user", "content": "Tailor my CV."}]
TOOLS = {
    "anthropic": [{"name": "record", "input_schema": {"type": "object"}}],
    "openai": [{"type": "function", "function": {"name": "record", "parameters": {}}}],
}
REPLIES = {
    "text": Text('{"score": 7}', usage=TokenUsage(input=120, output=30, cache_read=500)),
    "truncated": Text('{"score": ', truncated=True),
    "model": Text("a", model="claude-sonnet-4-6"),
    "tool call": ToolCall({"score": 7}),
    "429": Error(429, retry_after=1, message="slow down"),
    "401": Error(401),
    "529": Error(529),
    "not json": Raw(b"{not json"),
    "html": Raw(b"<html>busy</html>", status=502, content_type="text/html"),
}


def http_client(fake: ScriptedLLM, sdk: Any, *, is_async: bool = False) -> Any:
    """The SDK's HTTP client to `fake`: over the network, or through its transport."""
    if fake.transport is None:
        return None
    kind = sdk.DefaultAsyncHttpxClient if is_async else sdk.DefaultHttpxClient
    return kind(transport=fake.transport)


def ask(fake: ScriptedLLM, provider: str, **options: Any) -> Any:
    """One request through the real SDK: its parsed answer, or the error it raised."""
    try:
        if provider == "anthropic":
            with anthropic.Anthropic(
                api_key=KEY, base_url=fake.url, max_retries=0,
                http_client=http_client(fake, anthropic),
            ) as claude:  # fmt: skip
                return claude.messages.create(
                    model="claude-haiku-4-5", max_tokens=100, messages=MESSAGES, **options
                ).model_dump()
        with openai.OpenAI(
            api_key=KEY, base_url=fake.openai_base_url, max_retries=0,
            http_client=http_client(fake, openai),
        ) as gpt:  # fmt: skip
            return gpt.chat.completions.create(
                model="gpt-4.1-mini", messages=MESSAGES, **options
            ).model_dump()
    except (anthropic.APIError, openai.APIError) as error:
        status = getattr(error, "status_code", None)
        return type(error).__name__, status, getattr(error, "body", None)
    except ValueError as error:  # a body that is not JSON, as the SDK reads it
        return type(error).__name__, str(error)


def seen(request: Recorded) -> tuple[Any, ...]:
    """What a test reads of a recorded request (headers but those of one connection)."""
    headers = {k: v for k, v in request.headers.items() if k not in ("host", "connection")}
    return request.method, request.path, request.query, request.body, headers


def both(script: Callable[[ScriptedLLM], Any]) -> tuple[Any, Any]:
    """`script` run against the loopback server and against the in-process fake."""
    with FakeLLM() as loopback:
        over_the_wire = script(loopback), [seen(r) for r in loopback.requests]
    in_process = InProcessLLM()
    return over_the_wire, (script(in_process), [seen(r) for r in in_process.requests])


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
@pytest.mark.parametrize("name", REPLIES)
def test_each_reply_reads_the_same_in_process(provider: str, name: str) -> None:
    def script(fake: ScriptedLLM) -> Any:
        fake.reply(REPLIES[name])
        tools = {"tools": TOOLS[provider]} if name == "tool call" else {}
        return ask(fake, provider, **tools)

    wire, in_process = both(script)
    assert in_process == wire
    assert len(in_process[1]) == 1


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_an_empty_queue_and_an_unknown_path_read_the_same(provider: str) -> None:
    def script(fake: ScriptedLLM) -> Any:
        missing = ask(fake, provider)
        with openai.OpenAI(
            api_key=KEY, base_url=fake.url + "/nowhere", max_retries=0,
            http_client=http_client(fake, openai),
        ) as gpt:  # fmt: skip
            try:
                gpt.models.list()
            except openai.NotFoundError as error:
                return missing, error.status_code, error.body
        raise AssertionError("no 404")

    wire, in_process = both(script)
    assert in_process == wire
    assert "no scripted reply" in str(in_process[0])


def test_the_async_clients_read_the_same() -> None:
    async def asked(fake: ScriptedLLM) -> Any:
        async with anthropic.AsyncAnthropic(
            api_key=KEY, base_url=fake.url, max_retries=0,
            http_client=http_client(fake, anthropic, is_async=True),
        ) as claude:  # fmt: skip
            message = await claude.messages.create(
                model="claude-haiku-4-5", max_tokens=100, messages=MESSAGES
            )
        return message.model_dump()

    def script(fake: ScriptedLLM) -> Any:
        fake.reply(REPLIES["text"])
        return asyncio.run(asked(fake))

    wire, in_process = both(script)
    assert in_process == wire


def test_a_model_list_and_a_batch_read_the_same() -> None:
    def script(fake: ScriptedLLM) -> Any:
        fake.models = ["local-model"]
        fake.reply(Text('{"a": 1}'), Error(500))
        with anthropic.Anthropic(
            api_key=KEY, base_url=fake.url, max_retries=0, http_client=http_client(fake, anthropic)
        ) as claude:
            requests = [
                {
                    "custom_id": f"r{n}",
                    "params": {"model": "m", "max_tokens": 9, "messages": MESSAGES},
                }
                for n in (1, 2)
            ]
            batch = claude.messages.batches.create(requests=requests)
            polled = [claude.messages.batches.retrieve(batch.id).processing_status for _ in (1, 2)]
            results = [r.model_dump() for r in claude.messages.batches.results(batch.id)]
        with openai.OpenAI(
            api_key=KEY, base_url=fake.openai_base_url, max_retries=0,
            http_client=http_client(fake, openai),
        ) as gpt:  # fmt: skip
            models = [m.id for m in gpt.models.list()]
        return polled, results, models, len(fake.model_lists)

    wire, in_process = both(script)
    assert in_process[0] == wire[0]
    assert in_process[0][0] == ["in_progress", "ended"] and in_process[0][2] == ["local-model"]


@pytest.mark.parametrize("reply", [Slow(1, Text("late")), Drop()])
def test_what_needs_a_real_connection_is_refused_when_scripted(reply: Slow | Drop) -> None:
    with pytest.raises(TypeError, match="loopback FakeLLM"):
        InProcessLLM().reply(reply)
