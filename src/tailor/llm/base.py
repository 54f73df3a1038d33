"""What every provider shares: messages in, a raw reply out, and the errors that say whether
trying again can help. Provider quirks live in each provider's own module."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from tailor.errors import ProviderError

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    """One message of a prompt. `cache` marks the end of a prefix that stays the same across
    calls (instructions, the CV), which providers that support it cache."""

    role: Role
    content: str
    cache: bool = False


@dataclass(frozen=True)
class Schema:
    """The shape the answer must have: a pydantic model. Each provider turns it into the form
    its API enforces (strict JSON schema, tool input, or the schema in the prompt)."""

    model: type[BaseModel]

    @property
    def name(self) -> str:
        return self.model.__name__

    def json_schema(self) -> dict[str, Any]:
        return self.model.model_json_schema()

    def instruction(self) -> str:
        """The schema as a prompt, for servers that cannot enforce it."""
        return JSON_INSTRUCTION.format(schema=json.dumps(self.json_schema(), sort_keys=True))


@dataclass(frozen=True)
class Reply:
    """What one request to a provider returned, before any validation."""

    text: str
    model: str
    truncated: bool  # stopped at max_tokens
    input_tokens: int = 0  # not counting cache reads and writes
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0


class Usage(BaseModel):
    """What a call cost: tokens, dollars, time and requests."""

    provider: str
    model: str
    input_tokens: int = 0  # not counting cache reads and writes
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    cost_usd: float | None = Field(default=None, description="None when the price is unknown")
    latency_s: float = 0.0
    requests: int = 0  # HTTP requests made, retries and re-asks included
    cached: bool = Field(default=False, description="served from tailor's response cache")


class Provider(Protocol):
    """One LLM API. `complete` sends one request (no retries: the client owns those) and
    raises `TransientError` when trying again may help, `ProviderError` when it cannot."""

    name: str

    def complete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply: ...

    async def acomplete(
        self, messages: list[Message], schema: Schema, *, max_tokens: int
    ) -> Reply: ...


class TransientError(ProviderError):
    """A failure worth retrying: rate limits, overload, server errors, timeouts, dropped
    connections. `retry_after` is the wait the server asked for, in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def retry_after_seconds(headers: Any) -> float | None:
    """The wait a response asks for: `retry-after-ms`, else `retry-after` in seconds."""
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:  # an HTTP date: rare from these APIs, fall back to our backoff
            return None
    return None


JSON_INSTRUCTION = (
    "Reply with one JSON object and nothing else (no prose, no code fences). "
    "It must match this JSON schema:\n{schema}"
)


def status_error(
    status: int, message: str, *, provider: str, model: str, key_env: str | None, headers: Any
) -> ProviderError:
    """The error for an HTTP status: transient (408, 409, 429, 5xx) or final, said plainly."""
    if status in (408, 409, 429) or status >= 500:
        kind = {429: "rate limited", 529: "overloaded", 408: "timed out"}.get(status, "failed")
        return TransientError(
            f"{provider} {model}: {kind} (HTTP {status})",
            retry_after=retry_after_seconds(headers),
        )
    if status == 401:
        where = f"; check {key_env}" if key_env else ""
        return ProviderError(f"{provider} rejected the API key (HTTP 401){where}")
    if status == 403:
        return ProviderError(f"{provider} refused the request (HTTP 403): {message}")
    if status == 404:
        return ProviderError(f"{provider} does not know model {model!r} (HTTP 404): {message}")
    return ProviderError(f"{provider} {model} rejected the request (HTTP {status}): {message}")
