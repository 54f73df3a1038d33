"""A loopback HTTP server that speaks Anthropic Messages and OpenAI Chat Completions.

The real SDKs are pointed at it with `base_url`, so tests exercise their actual wire
behaviour (retries, timeouts, error classes) without a key or the internet:

    with FakeLLM() as server:
        server.reply(Text('{"ok": true}'), Error(429, retry_after=1))
        client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)

What it answers is `ScriptedLLM`'s (script.py); tests that need only scripted answers, not
the wire, can use the in-process `InProcessLLM` instead, which answers the same without a
socket.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from tests.fake_llm.script import ScriptedLLM


class FakeLLM(ScriptedLLM):
    """A scripted Anthropic/OpenAI server on 127.0.0.1 (a free port), served from a thread;
    what it answers is `ScriptedLLM`'s."""

    def __init__(self, **options: Any) -> None:
        """`options` are `ScriptedLLM`'s: refusals, models listed, a prompt cache."""
        super().__init__(**options)
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

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`: the anthropic SDK's `base_url`."""
        if self._server is None:
            raise RuntimeError("FakeLLM is not started: use `with FakeLLM() as server:`")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

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
        headers = {name.lower(): value for name, value in self.headers.items()}
        answer = self.server.fake.respond(self.command, self.path, headers, self.read_body())
        if answer is None:
            self.close_connection = True  # no bytes at all: the client sees a disconnect
        else:
            self.send(answer.status, answer.body, answer.headers)

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status, "Overloaded" if status == 529 else None)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
