"""The one interface the critique and rewrite pipelines call, whatever the provider.

`LLMClient(settings).generate(messages, Model)` returns a validated `Model` and what it cost.
On the way: the response cache (an identical request is answered from disk), retries of
transient failures (tailor.llm.retry), and re-asking when the answer does not validate: the
request goes again with the last answer (its first `REASK_ANSWER_CHARS`) and what was wrong
with it, up to `settings.reasks` times, and a truncated answer gets twice the token budget. A
local (OpenAI-compatible) server's cut-off answer is not sent back, as it would only fill a
small context: the request goes again asking for a shorter answer, its budget grown no further
than `LOCAL_MAX_TOKENS[-1]`. A call that fails still says what its answers cost
(`ProviderError.usage`). Nothing of the prompt or the answer is logged: only provider, model,
output mode, tokens, cost, time and whether the cache answered.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from tailor.errors import ProviderError
from tailor.llm.base import (
    FinalError,
    Message,
    Provider,
    Redaction,
    Reply,
    Schema,
    TransientError,
)
from tailor.llm.cache import ResponseCache, request_key
from tailor.llm.config import LOCAL_MAX_TOKENS, UNKNOWN_MODEL, LLMSettings
from tailor.llm.limits import RateLimiter, estimated_tokens
from tailor.llm.pricing import cost_usd
from tailor.llm.retry import async_retrying, retrying
from tailor.usage import Usage

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
log = logging.getLogger("tailor.llm")

MAX_TOKENS_CAP = 32_000  # the most a truncated answer's budget grows to
# how much of a bad answer, and of what was wrong with it, a re-ask sends back: enough for the
# model to see its mistake, and a 10 MB answer does not make the next request 10 MB bigger
REASK_ANSWER_CHARS = 6_000
REASK_PROBLEM_CHARS = 1_000
# where an SDK sends requests when tailor names no server
_SDK_SERVER = {
    "anthropic": "ANTHROPIC_BASE_URL",
    "openai": "OPENAI_BASE_URL",
    "openai-compatible": "TAILOR_BASE_URL",
}
_FENCED = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


@dataclass(frozen=True)
class Result(Generic[T]):
    """A validated answer and what it cost."""

    value: T
    usage: Usage


class InvalidAnswer(Exception):
    """An answer that is not JSON, or not the JSON the schema asks for."""


@dataclass(frozen=True)
class DeferredRequest:
    """A request kept for a provider batch instead of being sent: its key and what to send."""

    key: str
    messages: list[Message]
    schema: Schema
    max_tokens: int


class Deferred(Exception):
    """Raised by `generate` while the client collects requests for a provider batch."""

    def __init__(self, request: DeferredRequest) -> None:
        super().__init__(request.key)
        self.request = request


BATCH_DISCOUNT = 0.5  # Anthropic's Message Batches and OpenAI's Batch API cost half


@dataclass
class _Call:
    """One `generate` call in progress: the request as asked, what is sent now (the request, or
    a re-ask), and what it has cost."""

    prompt: list[Message]
    messages: list[Message]
    schema: Schema
    usage: Usage
    max_tokens: int
    started: float = field(default_factory=time.perf_counter)
    problem: str = ""
    costs: list[float | None] = field(default_factory=list)  # one per reply


def make_provider(settings: LLMSettings) -> Provider:
    """The provider module for the settings; its SDK is imported on first use."""
    if settings.provider == "anthropic":
        from tailor.llm.anthropic import AnthropicProvider

        return AnthropicProvider(settings)
    if settings.provider in ("openai", "openai-compatible"):
        from tailor.llm.openai import OpenAIProvider

        return OpenAIProvider(settings, compatible=settings.provider == "openai-compatible")
    raise ProviderError(f"unknown provider {settings.provider!r}", setup=True)


class LLMClient:
    """Structured, validated, retried, cached calls to one model."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        provider: Provider | None = None,
        cache: ResponseCache | None = None,
    ) -> None:
        self.settings = settings
        self.provider = provider or make_provider(settings)
        self.cache = (cache or ResponseCache()) if settings.cache else None
        self.limiter: RateLimiter | None = None  # a batch sets one to space requests out
        self.token_limiter: RateLimiter | None = None  # ... and one for input tokens a minute
        # a provider batch: requests are collected instead of sent (`deferring` is a list),
        # and their answers, once the batch is done, are served from `answers` by key
        self.deferring: list[DeferredRequest] | None = None
        self.answers: dict[str, Reply] = {}
        self._answers_lock = threading.Lock()

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> LLMClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def close(self) -> None:
        self.provider.close()

    async def aclose(self) -> None:
        await self.provider.aclose()

    def generate(
        self, messages: Sequence[Message], model: type[T], *, private: Redaction | None = None
    ) -> Result[T]:
        """Ask for an answer shaped like `model`; return it validated, with its usage.

        With `private`, the messages go out with its personal values replaced by
        placeholders (when the settings redact), and the answer comes back with them put back;
        the response cache and a provider batch keep only the placeholders.
        """
        private = private if private and self.settings.redacts else None
        if private is not None:
            messages = private.hide_messages(messages)
        key = self._key(messages, model)
        if (hit := self._cached(key, model)) is not None:
            return _revealed(hit, private)
        call = self._start(messages, model)
        try:
            for _ in range(self.settings.reasks + 1):
                reply = self._batch_answer(call, model) or self._send(call)
                if (value := self._accept(call, reply, model)) is not None:
                    return _revealed(self._finish(call, key, value), private)
            raise self._gave_up(call)
        except ProviderError as error:
            self._charge(call, error)
            raise

    def with_retries(self, action: Callable[[], R]) -> R:
        """`action()` (one request, or a provider batch's submit, status or results) retried
        on transient failures, as the settings say."""
        attempts = 0
        try:
            for attempt in retrying(self.settings):
                with attempt:
                    attempts += 1
                    return action()
        except TransientError as error:
            raise ProviderError(
                f"{error}; gave up after {attempts} attempts", attempts=attempts, setup=error.setup
            ) from None
        raise AssertionError("unreachable: tenacity returns or raises")  # pragma: no cover

    def _batch_answer(self, call: _Call, model: type[BaseModel]) -> Reply | None:
        """The provider batch's answer to this request, a re-ask's too (counted at the batch
        price), or None; while requests are being collected, this one is kept and `Deferred`
        raised. Answers stay: a job run again, or an identical job, finds them too."""
        if self.deferring is None and not self.answers:
            return None
        key = self._key(call.messages, model)
        with self._answers_lock:
            reply = self.answers.get(key)
        if reply is not None:
            call.usage.requests += 1
            self._count(call, reply)
            if call.costs[-1] is not None:
                call.costs[-1] *= BATCH_DISCOUNT
            return reply
        if self.deferring is not None:
            request = DeferredRequest(key, list(call.messages), call.schema, call.max_tokens)
            with self._answers_lock:
                self.deferring.append(request)
            raise Deferred(request)
        return None

    async def agenerate(
        self, messages: Sequence[Message], model: type[T], *, private: Redaction | None = None
    ) -> Result[T]:
        """`generate` for asyncio, so that many calls can run at once."""
        private = private if private and self.settings.redacts else None
        if private is not None:
            messages = private.hide_messages(messages)
        key = self._key(messages, model)
        if (hit := self._cached(key, model)) is not None:
            return _revealed(hit, private)
        call = self._start(messages, model)
        try:
            for _ in range(self.settings.reasks + 1):
                reply = await self._asend(call)
                if (value := self._accept(call, reply, model)) is not None:
                    return _revealed(self._finish(call, key, value), private)
            raise self._gave_up(call)
        except ProviderError as error:
            self._charge(call, error)
            raise

    # -- one request, retried -----------------------------------------------------------------

    def _send(self, call: _Call) -> Reply:
        return self._count(call, self.with_retries(lambda: self._request_once(call)))

    def _request_once(self, call: _Call) -> Reply:
        """One request, counted; a transient failure is raised for `with_retries`."""
        call.usage.requests += 1
        self._wait_for_limits(call)
        try:
            return self.provider.complete(call.messages, call.schema, max_tokens=call.max_tokens)
        except (TransientError, FinalError) as error:
            call.usage.requests += error.requests - 1
            raise

    async def _asend(self, call: _Call) -> Reply:
        attempts = 0
        try:
            async for attempt in async_retrying(self.settings):
                with attempt:
                    attempts += 1
                    call.usage.requests += 1
                    await asyncio.to_thread(self._wait_for_limits, call)
                    try:
                        reply = await self.provider.acomplete(
                            call.messages, call.schema, max_tokens=call.max_tokens
                        )
                    except (TransientError, FinalError) as error:
                        call.usage.requests += error.requests - 1
                        raise
        except TransientError as error:
            raise ProviderError(
                f"{error}; gave up after {attempts} attempts", attempts=attempts, setup=error.setup
            ) from None
        return self._count(call, reply)

    def _wait_for_limits(self, call: _Call) -> None:
        if self.limiter is not None:
            self.limiter.wait()
        if self.token_limiter is not None:
            self.token_limiter.wait(estimated_tokens([m.content for m in call.messages]))

    # -- the answer ---------------------------------------------------------------------------

    def _start(self, messages: Sequence[Message], model: type[BaseModel]) -> _Call:
        schema = Schema(model)
        # the model is the one the replies name: until one does, the one asked for, if named
        usage = Usage(provider=self.provider.name, model=self.settings.model or UNKNOWN_MODEL)
        return _Call(list(messages), list(messages), schema, usage, self._budget(schema))

    def _budget(self, schema: Schema) -> int:
        """An answer's max_tokens: as set, else by provider and, for a local server, by the
        answer's shape."""
        return self.settings.answer_budget(schema.list_depth())

    def _count(self, call: _Call, reply: Reply) -> Reply:
        """Add a reply's tokens and cost to the call's. Each reply is priced on its own, as it
        is billed: some prices step up with the size of one request."""
        usage = call.usage
        usage.model = reply.model or usage.model
        usage.requests += reply.requests - 1  # a local server asked again in another mode
        usage.input_tokens += reply.input_tokens
        usage.output_tokens += reply.output_tokens
        usage.cache_write_tokens += reply.cache_write_tokens
        usage.cache_read_tokens += reply.cache_read_tokens
        call.costs.append(
            cost_usd(
                usage.provider,
                usage.model,
                input_tokens=reply.input_tokens,
                output_tokens=reply.output_tokens,
                cache_write_tokens=reply.cache_write_tokens,
                cache_read_tokens=reply.cache_read_tokens,
            )
        )
        return reply

    def _accept(self, call: _Call, reply: Reply, model: type[T]) -> T | None:
        """The validated answer, or None after making the re-ask: the request, then this answer
        and what was wrong with it, both cut short (a local server's cut-off answer: not at
        all). Never the earlier answers: the re-ask stays as small as the first re-ask,
        however many answers went wrong."""
        try:
            return parse_answer(reply.text, model)
        except InvalidAnswer as problem:
            call.problem = "cut off at the token limit" if reply.truncated else str(problem)
        call.problem = _clipped(" ".join(call.problem.split()), REASK_PROBLEM_CHARS)
        log.info("%s %s: answer did not validate (%s); asking again",
                 self.provider.name, call.usage.model, call.problem)  # fmt: skip
        if reply.truncated and self.settings.local_server:
            self._ask_shorter(call)
            return None
        if reply.truncated:
            call.max_tokens = min(call.max_tokens * 2, max(MAX_TOKENS_CAP, call.max_tokens))
            ask = (
                "Your answer was cut off at the length limit. Reply again with the complete "
                "JSON object, as short as the content allows."
            )
        else:
            ask = (
                f"Your answer could not be used: {call.problem}. Reply again with only the "
                "corrected JSON object, matching the schema exactly."
            )
        call.messages = [
            *call.prompt,
            # the Anthropic API refuses a message of whitespace only
            Message("assistant", _clipped(reply.text, REASK_ANSWER_CHARS) or "(empty answer)"),
            Message("user", ask),
        ]
        return None

    def _ask_shorter(self, call: _Call) -> None:
        """A local server's re-ask of a cut-off answer: the request again, without the answer
        (it would fill a small context) and asking for less, the budget grown to the local cap
        at most (or kept, if set above it)."""
        limit = call.max_tokens
        call.max_tokens = min(limit * 2, max(LOCAL_MAX_TOKENS[-1], limit))
        ask = (
            f"Your last answer was cut off at the length limit ({limit} tokens) and was lost. "
            "Answer again, shorter: the complete JSON object, with fewer items and brief text."
        )
        call.messages = [*call.prompt, Message("user", ask)]

    def _finish(self, call: _Call, key: str, value: T) -> Result[T]:
        usage = self._settle(call)
        if self.cache is not None:  # with the model that answered, for the report of a hit
            self.cache.put(key, {"value": value.model_dump(mode="json"), "model": usage.model})
        _log_usage(usage)
        return Result(value, usage)

    def _charge(self, call: _Call, error: ProviderError) -> None:
        """Put what the call's answers cost on the error that ends it, and log it: a provider
        bills the answers tailor could not use too."""
        error.usage = self._settle(call)
        error.answers = len(call.costs)
        _log_usage(error.usage, failed=True)

    def _settle(self, call: _Call) -> Usage:
        """The call's usage with its time and its cost (unknown if one answer's price is)."""
        usage = call.usage
        usage.latency_s = round(time.perf_counter() - call.started, 3)
        known = [cost for cost in call.costs if cost is not None]
        usage.cost_usd = sum(known) if known and len(known) == len(call.costs) else None
        return usage

    def _gave_up(self, call: _Call) -> ProviderError:
        tries = self.settings.reasks + 1
        return ProviderError(
            f"{call.usage.provider} {call.usage.model} gave no valid {call.schema.label} in "
            f"{tries} answers (last: {call.problem})",
            attempts=call.usage.requests,
        )

    # -- the response cache -------------------------------------------------------------------

    def _key(self, messages: Sequence[Message], model: type[BaseModel]) -> str:
        settings = self.settings
        return request_key(
            {
                "provider": settings.provider,
                "model": settings.model,
                "base_url": settings.base_url or os.environ.get(_SDK_SERVER[settings.provider], ""),
                "max_tokens": self._budget(Schema(model)),
                "temperature": settings.temperature,
                "schema": model.model_json_schema(),
                "messages": [[m.role, m.content, m.cache] for m in messages],
            }
        )

    def _cached(self, key: str, model: type[T]) -> Result[T] | None:
        if self.cache is None or (entry := self.cache.get(key)) is None:
            return None
        try:
            value = model.model_validate(entry["value"])
        except (ValidationError, KeyError, TypeError):  # stored by an older model: a miss
            return None
        stored = entry.get("model")  # the model that gave the answer (none in older entries)
        named = stored if isinstance(stored, str) and stored else self.settings.model
        usage = Usage(provider=self.provider.name, model=named or UNKNOWN_MODEL, cached=True)
        usage.cost_usd = 0.0
        _log_usage(usage)
        return Result(value, usage)


def _revealed(result: Result[T], private: Redaction | None) -> Result[T]:
    """`result` with the personal values put back in its answer."""
    if private is None:
        return result
    return dataclasses.replace(result, value=private.reveal_answer(result.value))


def parse_answer(text: str, model: type[T]) -> T:
    """The answer as the model: its JSON object, found even inside code fences or prose."""
    candidate = text.strip()
    if fenced := _FENCED.search(candidate):
        candidate = fenced.group(1).strip()
    if not candidate.startswith("{"):
        start, end = candidate.find("{"), candidate.rfind("}")
        if start < 0 or end <= start:
            raise InvalidAnswer("the answer holds no JSON object")
        candidate = candidate[start : end + 1]
    try:
        # strict=False: a raw newline or tab inside a string, as small local models write, is
        # read as the text it is rather than refused
        data: Any = json.loads(candidate, strict=False)
    except json.JSONDecodeError as error:
        raise InvalidAnswer(f"not valid JSON ({error.msg} at character {error.pos})") from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidAnswer(_problems(error)) from None


def _clipped(text: str, limit: int) -> str:
    """`text` stripped, and cut to `limit` characters with a note of what was left out."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return f"{text[:limit]} [... cut: {len(text) - limit:,} more characters]"


def _problems(error: ValidationError) -> str:
    """Validation errors as field paths and messages, without echoing the values (a key the
    model made up is cut short)."""
    problems = [
        f"{'.'.join(_clipped(str(part), 40) for part in item['loc']) or 'the object'}: "
        f"{item['msg']}"
        for item in error.errors()[:8]
    ]
    more = error.error_count() - len(problems)
    return "; ".join(problems) + (f"; and {more} more" if more > 0 else "")


def _log_usage(usage: Usage, *, failed: bool = False) -> None:
    if usage.cached:
        log.info("%s %s: answered from the response cache", usage.provider, usage.model)
        return
    cost = usage.cost_text()
    log.info(
        "%s %s: %s%d in, %d out, cache %d written %d read, %s, %.1f s, %d request(s)",
        usage.provider,
        usage.model,
        "failed, spent " if failed else "",
        usage.input_tokens,
        usage.output_tokens,
        usage.cache_write_tokens,
        usage.cache_read_tokens,
        cost,
        usage.latency_s,
        usage.requests,
    )
