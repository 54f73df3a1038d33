"""The app under test, called through httpx's ASGI transport: no socket, no server."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from tailor.serve.app import create_app
from tailor.serve.jobs import Engine

HOST = "http://127.0.0.1:8765"


class App:
    """One app (one store of uploads), called as a browser or a script would."""

    def __init__(self, engine: Engine | None = None, **options: Any) -> None:
        self.asgi = create_app(engine, **options)

    def request(
        self, method: str, path: str, *, headers: Mapping[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        return asyncio.run(self._request(method, path, headers=headers, **kwargs))

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.asgi, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=HOST) as client:
            return await client.request(method, path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)


def upload(path: Path, name: str | None = None) -> tuple[str, bytes]:
    """A file as a multipart field's (file name, bytes)."""
    return (name or path.name, path.read_bytes())


@pytest.fixture
def app() -> App:
    return App()
