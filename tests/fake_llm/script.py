"""What the fake provider answers, whatever carries the requests: a queue of scripted replies,
a record of every request, and the answer to each, formatted for the endpoint called.

`ScriptedLLM.respond` turns one request into one `Answer` (or None: close the connection
without a word); the loopback server (server.py) writes it to a socket, the in-process fake
(in_process.py) hands it to the SDK's HTTP client.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tests.fake_llm.batches import BatchStore
from tests.fake_llm.caching import PromptCache
from tests.fake_llm.replies import (
    REPLY_TYPES,
    Drop,
    Error,
    Raw,
    Recorded,
    Refusal,
    Reply,
    Slow,
    Text,
)
from tests.fake_llm.wire import ENDPOINTS, AnthropicWire, Json, OpenAIWire, ScriptError, Wire

NO_SCRIPTED_REPLY = "no scripted reply: the fake LLM server's queue is empty"
MODELS_PATH = "/v1/models"


@dataclass(frozen=True)
class Answer:
    """The HTTP response to one request."""

    status: int
    body: bytes
    headers: dict[str, str]


def check_reply(reply: object) -> None:
    """Fail at scripting time, not in the server thread, on something that is not a Reply."""
    if not isinstance(reply, REPLY_TYPES):
        raise TypeError(f"not a fake LLM reply: {reply!r}")
    if isinstance(reply, Slow):
        check_reply(reply.then)


def parse_json(raw: bytes) -> Any | None:
    """The request body as JSON, or None when it is empty or not JSON."""
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def json_answer(status: int, payload: Json, headers: Mapping[str, str] | None = None) -> Answer:
    body = json.dumps(payload).encode()
    return Answer(status, body, {"Content-Type": "application/json", **(headers or {})})


def error_answer(wire: Wire, status: int, message: str, retry_after: float | None = None) -> Answer:
    headers = {} if retry_after is None else {"retry-after": f"{retry_after:g}"}
    return json_answer(status, wire.error(status, message), headers)


class ScriptedLLM:
    """A scripted Anthropic/OpenAI provider: replies answered in order, one per request; with
    none left it answers 500 "no scripted reply", so an unexpected extra call shows up.

    `reject_response_formats` emulates local OpenAI-compatible servers that refuse a
    structured-output mode: a chat completion whose `response_format.type` is in it gets a
    refusal (a 400 naming the type, or the `Refusal` it maps to, e.g. `LLAMA_CPP_PYTHON`)
    without consuming a scripted reply; `refuse_schema_key` refuses a `response_format`
    that carries a `schema` key. `models` are the ids `GET /v1/models` lists (None: it is a
    404); those requests are recorded apart, in `model_lists`, so that `requests` holds the
    completions a test scripts.
    """

    def __init__(
        self,
        *,
        reject_response_formats: Iterable[str] | Mapping[str, Refusal] = (),
        refuse_schema_key: Refusal | None = None,
        models: Sequence[str] | None = None,
        prompt_cache: bool = False,
    ) -> None:
        if isinstance(reject_response_formats, Mapping):
            self.reject_response_formats = dict(reject_response_formats)
        else:
            self.reject_response_formats = {kind: Refusal() for kind in reject_response_formats}
        self.refuse_schema_key = refuse_schema_key
        self.models = None if models is None else list(models)
        self.model_lists: list[Recorded] = []  # each GET /v1/models
        # with prompt_cache, an answer's usage is counted from the request, as a provider that
        # caches prompt prefixes would bill it (for benchmarks)
        self.prompt_cache = PromptCache() if prompt_cache else None
        self.batches = BatchStore()  # the providers' batch APIs
        self._queue: deque[Reply] = deque()
        self._requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self.most_at_once = 0  # the most requests it was answering at the same time

    @property
    def url(self) -> str:
        """The anthropic SDK's `base_url`."""
        raise NotImplementedError

    @property
    def openai_base_url(self) -> str:
        """`url + "/v1"`: the openai SDK's `base_url`."""
        return self.url + "/v1"

    @property
    def transport(self) -> Any | None:
        """The SDK's transport to this fake; None: the network (a real socket)."""
        return None

    @property
    def requests(self) -> list[Recorded]:
        """Every request received so far, in order (a copy)."""
        with self._lock:
            return list(self._requests)

    def reply(self, *replies: Reply) -> None:
        """Queue scripted replies, answered in order, one per request."""
        for reply in replies:
            check_reply(reply)
        with self._lock:
            self._queue.extend(replies)

    def reset(self) -> None:
        """Forget queued replies and recorded requests."""
        with self._lock:
            self._queue.clear()
            self._requests.clear()
            self.model_lists.clear()
            self.most_at_once = 0

    def wait_unless_closed(self, seconds: float) -> bool:
        """Sleep `seconds` (a `Slow` reply); True if the fake was closed meanwhile."""
        raise NotImplementedError

    # -- one request -----------------------------------------------------------------------

    def respond(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> Answer | None:
        """Record the request and answer it; None: close the connection without an answer.

        `target` is the path with its query; `headers` have lower-case names.
        """
        body = parse_json(raw)
        path, _, query = target.partition("?")
        self._record(Recorded(method, path, headers, body, query))
        self._entered()
        try:
            if self.batches.handles(path):
                status, data, kind = self.batches.serve(
                    method, path, body if isinstance(body, dict) else {}, raw, headers,
                    self._next_reply, self.url,
                )  # fmt: skip
                return Answer(status, data, {"Content-Type": kind})
            return self._route(method, path, headers, body if isinstance(body, dict) else {})
        except (ScriptError, KeyError, TypeError, ValueError) as exc:
            return error_answer(wire_for(path, headers), 500, f"fake LLM server: {exc}")
        finally:
            self._left()

    def _route(self, method: str, path: str, headers: dict[str, str], body: Json) -> Answer | None:
        wire = wire_for(path, headers)
        if path == MODELS_PATH and method == "GET" and self.models is not None:
            return json_answer(200, self._model_list())
        if path not in ENDPOINTS or method != "POST":
            return error_answer(wire, 404, f"fake LLM server has no {method} {path}")
        if refused := self._refusal(wire, body):
            return json_answer(*refused)
        if body.get("stream"):
            return error_answer(wire, 400, "fake LLM server does not stream")
        if (reply := self._next_reply()) is None:
            return error_answer(wire, 500, NO_SCRIPTED_REPLY)
        cache, stored = self.prompt_cache, None
        if cache is not None:  # billed as it arrives, readable by others once answered
            reply, stored = _with_cache_usage(reply, cache, wire.name, body)
        answer = self._answer(wire, reply, body)
        if cache is not None:
            cache.store(stored)
        return answer

    def _answer(self, wire: Wire, reply: Reply, body: Json) -> Answer | None:
        if isinstance(reply, Slow):
            if self.wait_unless_closed(reply.seconds):
                return None
            return self._answer(wire, reply.then, body)
        if isinstance(reply, Drop):
            return None  # no bytes at all: the client sees a disconnect
        if isinstance(reply, Raw):
            return Answer(reply.status, reply.body, {"Content-Type": reply.content_type})
        if isinstance(reply, Error):
            return error_answer(wire, reply.status, reply.message, reply.retry_after)
        return json_answer(200, wire.answer(reply, body))

    def _record(self, request: Recorded) -> None:
        with self._lock:
            if request.path == MODELS_PATH:
                self.model_lists.append(request)
            else:
                self._requests.append(request)

    def _entered(self) -> None:
        """A request is being answered: count how many are at once."""
        with self._lock:
            self._in_flight += 1
            self.most_at_once = max(self.most_at_once, self._in_flight)

    def _left(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _next_reply(self) -> Reply | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def _refusal(self, wire: Wire, body: Json) -> tuple[int, Json] | None:
        """The status and body refusing this chat completion's `response_format`, if the
        server refuses it."""
        response_format = body.get("response_format")
        if wire.name != OpenAIWire.name or not isinstance(response_format, dict):
            return None
        kind = str(response_format.get("type"))
        if (refusal := self.reject_response_formats.get(kind)) is not None:
            said = refusal.message or f"response_format.type '{kind}' is not supported"
        elif self.refuse_schema_key is not None and "schema" in response_format:
            refusal, said = self.refuse_schema_key, self.refuse_schema_key.message or ""
        else:
            return None
        if refusal.shape == "detail":
            detail = {"type": "value_error", "loc": list(refusal.loc), "msg": said}
            return refusal.status, {"detail": [detail]}
        if refusal.shape == "string":
            return refusal.status, {"error": said}
        return refusal.status, wire.error(refusal.status, said)

    def _model_list(self) -> Json:
        """The `GET /v1/models` answer."""
        listed = [
            {"id": name, "object": "model", "created": 1, "owned_by": "fake"}
            for name in self.models or []
        ]
        return {"object": "list", "data": listed}


def wire_for(path: str, headers: Mapping[str, str]) -> Wire:
    """The endpoint's provider; for an unknown path, guess from the SDK's headers."""
    if path in ENDPOINTS:
        return ENDPOINTS[path]
    return AnthropicWire() if "anthropic-version" in headers else OpenAIWire()


def _with_cache_usage(
    reply: Reply, cache: PromptCache, wire_name: str, body: Json
) -> tuple[Reply, str | None]:
    """`reply` (or the Text a Slow reply wraps) with the usage a caching provider bills."""
    if isinstance(reply, Slow):
        inner, stored = _with_cache_usage(reply.then, cache, wire_name, body)
        return dataclasses.replace(reply, then=inner), stored
    if isinstance(reply, Text) and reply.usage is None:
        usage, stored = cache.usage(wire_name, body)
        return dataclasses.replace(reply, usage=usage), stored
    return reply, None
