"""What every provider shares: messages in, a raw reply out, and the errors that say whether
trying again can help. Provider quirks live in each provider's own module."""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel

from tailor.errors import ProviderError
from tailor.llm.config import KEY_VARIABLES, LLMSettings

SyncT = TypeVar("SyncT")
AsyncT = TypeVar("AsyncT")
AnswerT = TypeVar("AnswerT", bound=BaseModel)

Role = Literal["system", "user", "assistant"]
# what the user reads for an answer in an error ("gave no valid critique"): the engines' class
# names are tailor's insides. Another model is named by its class name in words ("Verdict":
# "verdict")
ANSWER_NAMES = {
    "LLMCritique": "critique",
    "LLMRewrite": "rewrite",
    "LLMPrep": "interview talking points",
    "LLMPosting": "posting reading",
    "Ping": "connection check",
}
_CAPITALISED = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+")


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
        """The schema's name on the wire (the class name: it says nothing to the user)."""
        return self.model.__name__

    @property
    def label(self) -> str:
        """The answer in words, for messages to the user."""
        if (known := ANSWER_NAMES.get(self.name)) is not None:
            return known
        words = _CAPITALISED.findall(self.name.removeprefix("LLM"))
        return " ".join(word.lower() for word in words) or "answer"

    def json_schema(self) -> dict[str, Any]:
        return self.model.model_json_schema()

    def list_depth(self) -> int:
        """How deeply the answer nests lists (0: none): what its size grows with, and so what
        a local server's token budget is sized by."""
        schema = self.json_schema()
        return _list_depth(schema, schema.get("$defs", {}), frozenset())

    def instruction(self) -> str:
        """The schema as a prompt, for servers that cannot enforce it."""
        return JSON_INSTRUCTION.format(schema=json.dumps(self.json_schema(), sort_keys=True))


def _list_depth(node: Any, defs: dict[str, Any], seen: frozenset[str]) -> int:
    """The deepest nesting of `array`s under a JSON schema node ($refs followed once)."""
    if isinstance(node, list):
        return max((_list_depth(item, defs, seen) for item in node), default=0)
    if not isinstance(node, dict):
        return 0
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref.removeprefix("#/$defs/")
        return 0 if name in seen else _list_depth(defs.get(name), defs, seen | {name})
    inner = max(
        (_list_depth(value, defs, seen) for key, value in node.items() if key != "$defs"),
        default=0,
    )
    return inner + (node.get("type") == "array")


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
    requests: int = 1  # a server that refused a structured-output mode was asked again
    cost_usd: float | None = None  # filled in by the client


class Redaction(Protocol):
    """Personal values to hide before a request leaves and to put back in the answer
    (`tailor.privacy.Redaction` is one): the client knows them only by this."""

    def __bool__(self) -> bool: ...

    def hide_messages(self, messages: Sequence[Message]) -> list[Message]: ...

    def reveal_answer(self, answer: AnswerT) -> AnswerT: ...


class Provider(Protocol):
    """One LLM API. `complete` sends one request (no retries: the client owns those) and
    raises `TransientError` when trying again may help, `ProviderError` when it cannot."""

    name: str

    def complete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply: ...

    async def acomplete(
        self, messages: list[Message], schema: Schema, *, max_tokens: int
    ) -> Reply: ...

    def close(self) -> None: ...

    async def aclose(self) -> None: ...


class BatchProvider(Provider, Protocol):
    """A provider with a batch API (Anthropic's Message Batches, OpenAI's Batch API)."""

    def batch_params(
        self, messages: list[Message], schema: Schema, max_tokens: int
    ) -> dict[str, Any]: ...

    def submit_batch(self, requests: dict[str, dict[str, Any]]) -> str: ...

    def batch_state(self, batch_id: str) -> tuple[bool, str]: ...

    def batch_results(self, batch_id: str) -> dict[str, Reply | str]: ...


class TransientError(ProviderError):
    """A failure worth retrying: rate limits, overload, server errors, timeouts, dropped
    connections. `retry_after` is the wait the server asked for, in seconds."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, setup: bool = False
    ) -> None:
        super().__init__(message, setup=setup)
        self.retry_after = retry_after
        self.requests = 1  # more when a local server was asked in several modes first


class FinalError(ProviderError):
    """A failure that trying again cannot help, after `requests` requests (more than one when
    a local server was asked in several modes first)."""

    def __init__(self, message: str, *, requests: int = 1) -> None:
        super().__init__(message)
        self.requests = requests


def retry_after_seconds(headers: Any) -> float | None:
    """The wait a response asks for: `retry-after-ms`, else `retry-after` (seconds or an
    HTTP date)."""
    if headers is None:
        return None
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, (when - datetime.now(UTC)).total_seconds())


JSON_INSTRUCTION = (
    "Reply with one JSON object and nothing else (no prose, no code fences). "
    "It must match this JSON schema:\n{schema}"
)


class SDKClients(Generic[SyncT, AsyncT]):
    """A provider's SDK clients: the sync one, made on first use, and an async one for the
    running event loop (an async client belongs to the loop it was made in)."""

    def __init__(self, make_sync: Callable[[], SyncT], make_async: Callable[[], AsyncT]) -> None:
        self._make_sync = make_sync
        self._make_async = make_async
        self._sync: SyncT | None = None
        self._async: tuple[asyncio.AbstractEventLoop, AsyncT] | None = None
        self._lock = threading.Lock()

    def sync(self) -> SyncT:
        with self._lock:  # a batch's threads share one client: make it once
            if self._sync is None:
                self._sync = self._make_sync()
            return self._sync

    def for_loop(self) -> AsyncT:
        """The async client of the running loop (a new one in a new loop)."""
        loop = asyncio.get_running_loop()
        if self._async is None or self._async[0] is not loop:
            self._async = (loop, self._make_async())
        return self._async[1]

    def close(self) -> None:
        if self._sync is not None:
            self._sync.close()  # type: ignore[attr-defined]
            self._sync = None

    async def aclose(self) -> None:
        """Close the async client, if it belongs to this loop (a closed loop's cannot be)."""
        if self._async is not None and self._async[0] is asyncio.get_running_loop():
            await self._async[1].close()  # type: ignore[attr-defined]
        self._async = None


def client_options(settings: LLMSettings) -> dict[str, Any]:
    """The SDK client's options: key, server, timeout, and no retries of its own (tailor's
    policy in tailor.llm.retry is the only one)."""
    options: dict[str, Any] = {
        "api_key": settings.api_key,
        "timeout": settings.timeout,
        "max_retries": 0,
    }
    if settings.base_url:
        options["base_url"] = settings.base_url
    return options


def sdk_error(sdk: Any, error: Exception, *, provider: str, settings: LLMSettings) -> ProviderError:
    """An SDK's exception as tailor's: transient (worth a retry) or final, said plainly, with
    the API key struck out of anything the server said. Both SDKs name their errors alike."""
    model = settings.model
    if isinstance(error, sdk.APITimeoutError):
        return TransientError(f"{provider} {model}: no answer within {settings.timeout:g} s")
    if isinstance(error, sdk.APIConnectionError):
        where = f" at {settings.base_url}" if settings.base_url else ""
        # worth a retry (a server starting up), but no server there at all is for the user to fix
        return TransientError(f"{provider} {model}: could not reach the server{where}", setup=True)
    if isinstance(error, sdk.APIStatusError):
        return status_error(
            error.status_code,
            redact(server_message(error), settings.api_key),
            provider=provider,
            model=model,
            key_env=KEY_VARIABLES.get(provider),
            headers=error.response.headers,
        )
    # a body the SDK could not read as JSON: the server misbehaved, it may not next time
    return TransientError(f"{provider} {model}: unreadable response ({type(error).__name__})")


def server_message(error: Any) -> str:
    """The message in an API error's body, on one line: Anthropic keeps the whole body, OpenAI
    the inner error object; FastAPI servers (llama-cpp-python, vLLM) say `{"detail": ...}`,
    a string or pydantic's list of errors, and some servers `{"error": "..."}`."""
    said = _said(getattr(error, "body", None))
    text = said or str(getattr(error, "message", "")) or type(error).__name__
    return " ".join(text.split())


def _said(body: Any) -> str:
    """The words of an error body, wherever the server put them."""
    if isinstance(body, str):
        return body
    if isinstance(body, list):
        return "; ".join(filter(None, (_said(item) for item in body[:5])))
    if not isinstance(body, dict):
        return ""
    for key in ("error", "detail", "message"):
        if text := _said(body.get(key)):
            return text
    if isinstance(message := body.get("msg"), str):  # one of pydantic's errors
        where = ".".join(str(part) for part in body.get("loc") or [])
        return f"{where}: {message}" if where else message
    return ""


def redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "[api key]") if secret and len(secret) >= 8 else text


def status_error(
    status: int, message: str, *, provider: str, model: str, key_env: str | None, headers: Any
) -> ProviderError:
    """The error for an HTTP status: transient (408, 409, 429, 5xx but 501) or final."""
    if status in (408, 409, 429) or (status >= 500 and status != 501):
        kind = {429: "rate limited", 529: "overloaded", 408: "timed out"}.get(status, "failed")
        return TransientError(
            f"{provider} {model}: {kind} (HTTP {status})",
            retry_after=retry_after_seconds(headers),
        )
    if status == 401:
        where = f"; check {key_env}" if key_env else ""
        return ProviderError(f"{provider} rejected the API key (HTTP 401){where}", setup=True)
    if status == 403:
        return ProviderError(f"{provider} refused the request (HTTP 403): {message}", setup=True)
    if status == 404:
        return ProviderError(
            f"{provider} does not know model {model!r} (HTTP 404): {message}", setup=True
        )
    return ProviderError(f"{provider} {model} rejected the request (HTTP {status}): {message}")
