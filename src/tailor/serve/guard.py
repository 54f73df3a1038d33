"""What every request passes before the app sees it: the host it names, where it comes from,
and how big it is.

- Host: a request must name this server by an address (on loopback, a loopback address or
  localhost), or by a name it was told is its own: a web page that rebinds its own domain to
  this machine names that domain, and is refused, so it cannot read the app's answers.
- Origin: a request that changes something (POST and the like) from a browser must come from a
  page of this app: its Origin (or, without one, its Sec-Fetch-Site) must be this host. Other
  sites' pages cannot make the app do work on the user's CV. Clients that are not browsers
  (curl, scripts) send neither header and are served.
- Size: a body over `limit` bytes is refused with 413 before it is read (Content-Length) or as
  soon as it passes the limit (a chunked upload), and the server stays up.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("tailor.serve")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Guard:
    """ASGI middleware: the host, origin and size checks above, then security headers on
    every response."""

    def __init__(
        self, app: ASGIApp, *, limit: int, loopback_only: bool, names: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        self.limit = limit
        self.loopback_only = loopback_only
        self.names = frozenset(name.lower() for name in names)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {
            key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]
        }
        host = headers.get("host", "")
        if not self.host_allowed(host):
            where = "this machine's address" if self.loopback_only else "its address or name"
            await _refuse(send, 421, f"this server answers to {where}, not to {host[:100]!r}")
            return
        if scope["method"] not in SAFE_METHODS and not same_origin(headers, host):
            await _refuse(send, 403, "refused: the request came from another site's page")
            return
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _refuse(send, 413, too_large(self.limit))
            return
        await self._within_limit(scope, receive, _with_headers(send))

    def host_allowed(self, host: str) -> bool:
        """Whether the Host header names this server: localhost, one of the names it was
        given, or an address (a loopback one when the server listens on loopback)."""
        name = _hostname(host)
        if name is None:
            return False
        if name == "localhost" or name in self.names:
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:  # a name, which a page elsewhere could have pointed at this machine
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1, on any Python
        return address.is_loopback or not self.loopback_only

    async def _within_limit(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app, fed the body until it passes the limit: then the client is answered 413 and
        the app is told the client has gone, so it stops reading (whatever catches errors in
        the app cannot turn the refusal into another answer)."""
        received = 0
        started = False
        refused = False

        async def counted() -> Message:
            nonlocal received, refused, started
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    refused = True
                    if not started:
                        started = True
                        await _refuse(send, 413, too_large(self.limit))
                    return {"type": "http.disconnect"}
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the client has its answer: 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except asyncio.CancelledError:  # the server stopping mid-request: no traceback
            return
        except Exception as error:
            if refused:
                return  # the app gave up reading a body it was refused
            # the app has answered 500 already; the server stays quiet (a traceback could
            # quote the CV) and up
            log.error("internal error: %s", type(error).__name__)
            if not started:
                await _refuse(send, 500, f"internal error ({type(error).__name__})")


def same_origin(headers: dict[str, str], host: str) -> bool:
    """Whether a browser's request comes from a page of this host (or from no page)."""
    origin = headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc == host
    fetched_from = headers.get("sec-fetch-site")
    return fetched_from is None or fetched_from in ("same-origin", "none")


def too_large(limit: int) -> str:
    return f"the upload is over {limit / 2**20:.0f} MB, the most tailor takes in one request"


# a Host header: an IPv6 address in brackets, or a name or IPv4 address; then a port
_HOST = re.compile(r"\[(?P<v6>[0-9A-Fa-f:.]+)\](?::\d{1,5})?|(?P<name>[^\[\]:]+)(?::\d{1,5})?")


def _hostname(host: str) -> str | None:
    """The name or address of a Host header, lowercased: 'LocalHost:8765' -> 'localhost',
    '[::1]:80' -> '::1'; None when it is not a host (an address in brackets that is no IPv6
    address, junk after the port)."""
    match = _HOST.fullmatch(host)
    if match is None:
        return None
    if match["v6"] is not None:
        try:
            return str(ipaddress.IPv6Address(match["v6"]))
        except ValueError:
            return None
    return str(match["name"]).lower()


# no page may frame this one, load what is not its own, or send the user's data elsewhere
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; "
        b"form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    # "same-origin", not "no-referrer": with no referrer a browser sends its form posts with
    # "Origin: null", which the origin check must refuse
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


def _with_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            names = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(name, value) for name, value in SECURITY_HEADERS if name not in names]
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return sending


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
