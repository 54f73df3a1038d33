"""What a test scripts the fake server to answer, and what the server records.

Each reply is provider-neutral: the server formats it for the endpoint that was called
(see `wire.py`), so one script works against the Anthropic and the OpenAI client alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeAlias


@dataclass(frozen=True)
class TokenUsage:
    """Token counts of one answer; `input` excludes the cached tokens, as Anthropic counts them."""

    input: int = 10
    output: int = 5
    cache_write: int = 0
    cache_read: int = 0


@dataclass(frozen=True)
class Text:
    """A normal text answer; `truncated` makes it stop on the token limit."""

    content: str
    truncated: bool = False
    usage: TokenUsage | None = None
    model: str | None = None


@dataclass(frozen=True)
class ToolCall:
    """An answer that calls a tool with `arguments`.

    `name` defaults to the single tool the request offered, so a test need not repeat it.
    """

    arguments: dict[str, Any]
    name: str | None = None
    usage: TokenUsage | None = None


@dataclass(frozen=True)
class Error:
    """An HTTP error with the provider's error body, and a `retry-after` header when given."""

    status: int
    retry_after: float | None = None
    message: str = "scripted error from the fake LLM server"


@dataclass(frozen=True)
class Slow:
    """Wait `seconds`, then answer `then` (to trip a client's timeout)."""

    seconds: float
    then: Reply


@dataclass(frozen=True)
class Drop:
    """Close the connection without sending any response."""


@dataclass(frozen=True)
class Raw:
    """Send `body` as it is, e.g. `b"{not json"`."""

    body: bytes
    status: int = 200
    content_type: str = "application/json"


@dataclass(frozen=True)
class Refusal:
    """How the server refuses a structured-output request: its status, its words (None: it
    names the refused `response_format.type`), and where its body puts them: "openai"
    `{"error": {"message": ...}}`, "detail" FastAPI's `{"detail": [{"loc": ..., "msg": ...}]}`
    (llama-cpp-python, vLLM), "string" `{"error": "..."}`."""

    status: int = 400
    message: str | None = None
    shape: Literal["openai", "detail", "string"] = "openai"
    loc: tuple[str, ...] = ("body", "response_format", "type")


# llama-cpp-python 0.3's server, asked for json_schema: a 500 and pydantic's words
LLAMA_CPP_PYTHON = Refusal(500, "Input should be 'text' or 'json_object'", shape="detail")
# a strict server that takes json_object but not the `schema` key beside it
NO_SCHEMA_KEY = Refusal(
    422, "Extra inputs are not permitted", shape="detail", loc=("body", "response_format", "schema")
)


Reply: TypeAlias = Text | ToolCall | Error | Slow | Drop | Raw
REPLY_TYPES = (Text, ToolCall, Error, Slow, Drop, Raw)


@dataclass(frozen=True)
class Recorded:
    """One request the server received.

    `headers` has lower-case names; `body` is the parsed JSON, or None when it was not JSON.
    """

    method: str
    path: str
    headers: dict[str, str]
    body: Any | None
    query: str = ""

    @property
    def response_format(self) -> dict[str, Any] | None:
        """The chat completion's `response_format`, if it sent one."""
        found = self.body.get("response_format") if isinstance(self.body, dict) else None
        return found if isinstance(found, dict) else None

    @property
    def sent_schema(self) -> bool:
        """Whether a schema went with the response format (`json_schema`, or the `schema` key
        of `json_object`)."""
        found = self.response_format or {}
        return "schema" in found or "schema" in (found.get("json_schema") or {})
