"""A loopback HTTP server that speaks Anthropic Messages and OpenAI Chat Completions.

The real SDKs are pointed at it with `base_url`, so tests exercise their actual wire
behaviour (retries, timeouts, error classes) without a key or the internet:

    with FakeLLM() as server:
        server.reply(Text('{"ok": true}'), Error(429, retry_after=1))
        client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)

Replies are answered in order, one per request; with none left the server answers 500
"no scripted reply", so an unexpected extra call shows up in the test.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import socket
import socketserver
import threading
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from tests.fake_llm.batches import BatchStore
from tests.fake_llm.caching import PromptCache
from tests.fake_llm.replies import (
    LLAMA_CPP_PYTHON,
    NO_SCHEMA_KEY,
    REPLY_TYPES,
    Drop,
    Error,
    Raw,
    Recorded,
    Refusal,
    Reply,
    Slow,
    Text,
    TokenUsage,
    ToolCall,
)
from tests.fake_llm.wire import ENDPOINTS, AnthropicWire, Json, OpenAIWire, ScriptError, Wire

__all__ = [
    "LLAMA_CPP_PYTHON",
    "NO_SCHEMA_KEY",
    "Drop",
    "Error",
    "FakeLLM",
    "Raw",
    "Recorded",
    "Refusal",
    "Reply",
    "Slow",
    "Text",
    "TokenUsage",
    "ToolCall",
]

NO_SCRIPTED_REPLY = "no scripted reply: the fake LLM server's queue is empty"
MODELS_PATH = "/v1/models"


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


class FakeLLM:
    """A scripted Anthropic/OpenAI server on 127.0.0.1 (a free port), served from a thread.

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
        self._closing = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeLLM:
        """Bind a free port and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeLLM is already started")
        self._closing.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},  # close() waits up to one interval,
            name=f"fake-llm-{self._server.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, cut open connections and wake slow handlers; safe to call twice."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._closing.set()
        server.shutdown()
        server.cut_connections()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- what tests use --------------------------------------------------------------------

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`: the anthropic SDK's `base_url`."""
        if self._server is None:
            raise RuntimeError("FakeLLM is not started: use `with FakeLLM() as server:`")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def openai_base_url(self) -> str:
        """`url + "/v1"`: the openai SDK's `base_url`."""
        return self.url + "/v1"

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

    # -- used by the handler threads -------------------------------------------------------

    def record(self, request: Recorded) -> None:
        with self._lock:
            if request.path == MODELS_PATH:
                self.model_lists.append(request)
            else:
                self._requests.append(request)

    def entered(self) -> None:
        """A request is being answered: count how many are at once."""
        with self._lock:
            self._in_flight += 1
            self.most_at_once = max(self.most_at_once, self._in_flight)

    def left(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def next_reply(self) -> Reply | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def refusal(self, wire: Wire, body: Json) -> tuple[int, Json] | None:
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

    def model_list(self) -> Json:
        """The `GET /v1/models` answer."""
        listed = [
            {"id": name, "object": "model", "created": 1, "owned_by": "fake"}
            for name in self.models or []
        ]
        return {"object": "list", "data": listed}

    def wait_unless_closed(self, seconds: float) -> bool:
        """Sleep `seconds`; True if the server was closed meanwhile."""
        return self._closing.wait(seconds)


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer (daemon threads) that tracks its connections so close() can cut them."""

    daemon_threads = True

    def __init__(self, fake: FakeLLM) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name (getfqdn), which can stall on a
        # machine with slow DNS; the fake server never needs it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        """Unblock handlers waiting on idle keep-alive connections; their threads then close them."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by its handler
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up (timeout, Drop) is expected here, not a failure


class _Handler(BaseHTTPRequestHandler):
    """One connection: records each request, then answers it from the script."""

    server: _Server
    protocol_version = "HTTP/1.1"
    # headers and body go out in separate writes: without this, Nagle's algorithm and the
    # client's delayed ACK add about 40 ms to every answer
    disable_nagle_algorithm = True
    timeout = 30  # an idle keep-alive connection is closed after this many seconds

    def do_POST(self) -> None:
        self.serve()

    def do_GET(self) -> None:
        self.serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def serve(self) -> None:
        raw = self.read_body()
        body = parse_json(raw)
        path, _, query = self.path.partition("?")
        headers = {name.lower(): value for name, value in self.headers.items()}
        fake = self.server.fake
        fake.record(Recorded(self.command, path, headers, body, query))
        fake.entered()
        try:
            if fake.batches.handles(path):
                status, data, kind = fake.batches.serve(
                    self.command, path, body if isinstance(body, dict) else {}, raw, headers,
                    fake.next_reply, fake.url,
                )  # fmt: skip
                self.send(status, data, {"Content-Type": kind})
                return
            self.route(path, body if isinstance(body, dict) else {})
        except (ScriptError, KeyError, TypeError, ValueError) as exc:
            self.send_error_json(self.wire_for(path), 500, f"fake LLM server: {exc}")
        finally:
            self.server.fake.left()

    def route(self, path: str, body: Json) -> None:
        fake, wire = self.server.fake, self.wire_for(path)
        if path == MODELS_PATH and self.command == "GET" and fake.models is not None:
            self.send_json(200, fake.model_list())
        elif path not in ENDPOINTS or self.command != "POST":
            self.send_error_json(wire, 404, f"fake LLM server has no {self.command} {path}")
        elif refused := fake.refusal(wire, body):
            self.send_json(*refused)
        elif body.get("stream"):
            self.send_error_json(wire, 400, "fake LLM server does not stream")
        elif (reply := fake.next_reply()) is None:
            self.send_error_json(wire, 500, NO_SCRIPTED_REPLY)
        else:
            self.answer(wire, reply, body)

    def answer(self, wire: Wire, reply: Reply, body: Json) -> None:
        cache, stored = self.server.fake.prompt_cache, None
        if cache is not None:  # billed as it arrives, readable by others once answered
            reply, stored = _with_cache_usage(reply, cache, wire.name, body)
        self._answer(wire, reply, body)
        if cache is not None:
            cache.store(stored)

    def _answer(self, wire: Wire, reply: Reply, body: Json) -> None:
        if isinstance(reply, Slow):
            if self.server.fake.wait_unless_closed(reply.seconds):
                self.close_connection = True
            else:
                self._answer(wire, reply.then, body)
        elif isinstance(reply, Drop):
            self.close_connection = True  # no bytes at all: the client sees a disconnect
        elif isinstance(reply, Raw):
            self.send(reply.status, reply.body, {"Content-Type": reply.content_type})
        elif isinstance(reply, Error):
            self.send_error_json(wire, reply.status, reply.message, reply.retry_after)
        else:
            self.send_json(200, wire.answer(reply, body))

    def wire_for(self, path: str) -> Wire:
        """The endpoint's provider; for an unknown path, guess from the SDK's headers."""
        if path in ENDPOINTS:
            return ENDPOINTS[path]
        return AnthropicWire() if "anthropic-version" in self.headers else OpenAIWire()

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_error_json(
        self, wire: Wire, status: int, message: str, retry_after: float | None = None
    ) -> None:
        headers = {} if retry_after is None else {"retry-after": f"{retry_after:g}"}
        self.send_json(status, wire.error(status, message), headers)

    def send_json(self, status: int, payload: Json, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload).encode()
        self.send(status, body, {"Content-Type": "application/json", **(headers or {})})

    def send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status, "Overloaded" if status == 529 else None)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


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
