"""A call that fails still says what its answers cost, and its re-asks stay small: through the
real anthropic and openai SDKs against the fake server."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from tailor.errors import ProviderError
from tailor.llm import LLMClient, LLMSettings, Message
from tailor.llm.client import REASK_ANSWER_CHARS, REASK_PROBLEM_CHARS
from tailor.llm.pricing import cost_usd
from tests.fake_llm import Error, FakeLLM, Text, TokenUsage

PROVIDERS = ("anthropic", "openai", "openai-compatible")
MODELS = {
    "anthropic": "claude-haiku-4-5",
    "openai": "gpt-4.1-mini",
    "openai-compatible": "llama3.1",
}
PROMPT = [Message("system", "You review CVs."), Message("user", "Score this CV for a startup.")]
BAD = '{"score": "high", "notes": []}'  # JSON, but not a Verdict
PAID = TokenUsage(input=1_000, output=400)
HUGE = '{"score": "' + "x" * 10_000_000 + '", "notes": []}'  # 10 MB that never validates
REASK_GROWTH = 64 * 1024  # the most a re-ask may add to the request it repeats


class Verdict(BaseModel):
    score: int
    notes: list[str]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int


def settings(provider: str, server: FakeLLM) -> LLMSettings:
    return LLMSettings(
        provider=provider,
        model=MODELS[provider],
        api_key="sk-test-secret-key-123",
        base_url=server.url if provider == "anthropic" else server.openai_base_url,
        timeout=10.0,
        backoff=0.01,
        max_backoff=0.1,
        cache=False,
    )


def failure(provider: str, server: FakeLLM, model: type[BaseModel] = Verdict) -> ProviderError:
    """The error of a `generate` that must fail."""
    with LLMClient(settings(provider, server)) as client, pytest.raises(ProviderError) as caught:
        client.generate(PROMPT, model)
    return caught.value


def sizes(server: FakeLLM) -> list[int]:
    """Each request's body, in bytes of JSON."""
    return [len(json.dumps(request.body)) for request in server.requests]


def turns(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(role, text) of each message of a request, either provider's."""
    result = []
    for message in body["messages"]:
        content = message["content"]
        text = content if isinstance(content, str) else "".join(b["text"] for b in content)
        result.append((message["role"], text))
    return result


# -- what a failure cost ----------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_call_that_never_validates_says_what_its_answers_cost(
    provider: str, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(*[Text(BAD, usage=PAID)] * 3)
    error = failure(provider, fake_llm)
    assert "gave no valid verdict in 3 answers" in str(error)
    assert error.answers == 3
    assert error.usage is not None
    assert (error.usage.input_tokens, error.usage.output_tokens) == (3_000, 1_200)
    assert error.usage.requests == 3
    one = cost_usd(provider, MODELS[provider], input_tokens=1_000, output_tokens=400)
    if provider == "openai-compatible":  # a local server has no list price
        assert one is None and error.usage.cost_usd is None
    else:
        assert one is not None and error.usage.cost_usd == pytest.approx(3 * one)


def test_truncated_answers_are_counted_when_the_call_gives_up(fake_llm: FakeLLM) -> None:
    fake_llm.reply(*[Text('{"score": 70, "notes": ["a', truncated=True, usage=PAID)] * 3)
    error = failure("anthropic", fake_llm)
    assert "cut off at the token limit" in str(error)
    assert error.answers == 3 and error.usage is not None
    assert error.usage.output_tokens == 1_200


def test_answers_paid_before_a_transient_failure_are_counted(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(BAD, usage=PAID), *[Error(503)] * 4)
    error = failure("openai", fake_llm)
    assert "gave up after 4 attempts" in str(error)
    assert error.answers == 1 and error.usage is not None
    assert (error.usage.input_tokens, error.usage.output_tokens) == (1_000, 400)
    assert error.usage.requests == 5  # the paid answer, then four failed tries
    assert error.usage.cost_usd is not None and error.usage.cost_usd > 0


def test_a_refusal_before_any_answer_cost_nothing(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Error(401))
    error = failure("anthropic", fake_llm)
    assert error.answers == 0
    assert error.usage is not None and error.usage.output_tokens == 0


def test_the_async_path_counts_a_failed_calls_answers(fake_llm: FakeLLM) -> None:
    fake_llm.reply(*[Text(BAD, usage=PAID)] * 3)

    async def one() -> ProviderError:
        client = LLMClient(settings("openai", fake_llm))
        try:
            await client.agenerate(PROMPT, Verdict)
        except ProviderError as error:
            return error
        finally:
            await client.aclose()
        raise AssertionError("the call did not fail")

    error = asyncio.run(one())
    assert error.answers == 3 and error.usage is not None
    assert error.usage.output_tokens == 1_200


def test_the_log_shows_what_a_failed_call_spent(
    fake_llm: FakeLLM, caplog: pytest.LogCaptureFixture
) -> None:
    fake_llm.reply(*[Text(BAD, usage=PAID)] * 3)
    with caplog.at_level(logging.INFO, logger="tailor.llm"):
        failure("anthropic", fake_llm)
    assert "anthropic claude-haiku-4-5: failed, spent 3000 in, 1200 out" in caplog.text


# -- how big a re-ask gets --------------------------------------------------------------------


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_a_reask_repeats_the_request_with_the_last_answer_cut_short(
    provider: str, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(Text(HUGE), Text(HUGE), Text(HUGE))
    failure(provider, fake_llm)
    first, second, third = sizes(fake_llm)
    assert second - first < REASK_GROWTH  # not the 10 MB answer
    assert third <= second  # not the history of every answer
    last = turns(fake_llm.requests[2].body)
    assert last[: len(last) - 2] == turns(fake_llm.requests[0].body)  # the request as asked
    (role, answer), (_, ask) = last[-2:]
    assert role == "assistant"
    assert answer.startswith('{"score": "xxx') and len(answer) < REASK_ANSWER_CHARS + 100
    assert answer.endswith("more characters]") and "[... cut: " in answer
    assert "score" in ask  # what was wrong with it


def test_what_was_wrong_is_cut_short_and_one_line(fake_llm: FakeLLM) -> None:
    # the keys of an answer show up in the validation errors: a model can make them huge
    keys = {f"key {n}\nwith a line break " + "y" * 100_000: n for n in range(20)}
    fake_llm.reply(*[Text(json.dumps({"score": 1, **keys}))] * 3)
    error = failure("openai", fake_llm, Strict)
    message = str(error)
    assert "\n" not in message and len(message) < REASK_PROBLEM_CHARS + 300
    assert "Extra inputs are not permitted" in message
    (_, ask) = turns(fake_llm.requests[1].body)[-1]
    assert len(ask) < REASK_PROBLEM_CHARS + 300
