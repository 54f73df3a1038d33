"""Requests at once on one upload: a forget during a run, a review during a download, two
asks for one letter. Each request is driven on one event loop, as a browser's tabs would."""

from __future__ import annotations

import asyncio
import re
import time

import httpx
import pytest

import tailor
from tailor.serve import jobs
from tests.conftest import EXAMPLES, REAL
from tests.serve.conftest import HOST, App, upload

CASEY = EXAMPLES / "casey-morgan.md"
POSTING = EXAMPLES / "postings" / "startup-inference.md"
SAMPLE = REAL / "web" / "jsonresume-sample.json"


def _client(app: App) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app.asgi, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url=HOST)


def _slowed(monkeypatch: pytest.MonkeyPatch, name: str, seconds: float) -> list[int]:
    """`jobs.<name>` taking `seconds` longer; the calls counted."""
    calls: list[int] = []
    original = getattr(jobs, name)

    def slow(*args, **kwargs):
        calls.append(1)
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(jobs, name, slow)
    return calls


def test_an_upload_forgotten_during_its_run_stays_forgotten(app, monkeypatch):
    _slowed(monkeypatch, "rewrites", 0.6)

    async def scenario() -> tuple[httpx.Response, httpx.Response]:
        async with _client(app) as client:
            workspace = (await client.post("/upload", files={"cv": upload(CASEY)})).headers[
                "location"
            ]
            run = asyncio.create_task(
                client.post(f"{workspace}/tailor", data={"target": ["startup"]})
            )
            await asyncio.sleep(0.2)
            assert (await client.post(f"{workspace}/forget")).status_code == 303
            return await run, await client.get(workspace)

    ran, afterwards = asyncio.run(scenario())
    assert ran.status_code == 404 and "this upload is gone" in ran.text
    assert afterwards.status_code == 404


def test_a_download_holds_the_changes_it_was_asked_with(app, monkeypatch):
    """A review posted while the download waits for its turn does not change the file."""
    monkeypatch.setattr(jobs, "WAIT_SECONDS", 10.0)

    async def scenario() -> tuple[str, list[str]]:
        async with _client(app) as client:
            workspace = (await client.post("/upload", files={"cv": upload(SAMPLE)})).headers[
                "location"
            ]
            await client.post(f"{workspace}/tailor", data={"target": ["frontier-lab"]})
            page = (await client.get(f"{workspace}?target=frontier-lab")).text
            trimmed = re.findall(r'data-kind="trimmed" checked> keep</label>\s*<b>trimmed</b>'
                                 r' <span class="muted">[^<]*</span>\s*<q class="quote">(.*?)</q>',
                                 page)  # fmt: skip
            every = re.findall(r'name="keep" value="(\d+)"', page)
            places = jobs._PLACES["files"]
            taken = [places.acquire(timeout=1) for _ in range(jobs.AT_ONCE)]
            download = asyncio.create_task(
                client.post(f"{workspace}/download/frontier-lab", data={"format": "md"})
            )  # nothing kept
            await asyncio.sleep(0.2)
            await client.post(f"{workspace}/review/frontier-lab", data={"keep": every})
            for _ in taken:
                places.release()
            return (await download).text, trimmed

    text, trimmed = asyncio.run(scenario())
    assert len(trimmed) == 2
    for quote in trimmed:  # undone in the file, as the download asked
        import html

        assert " ".join(html.unescape(quote).split()[:6]) in " ".join(text.split())


def test_two_asks_for_one_letter_write_it_once(app, monkeypatch):
    calls: list[int] = []
    original = tailor.letter

    def counted(*args, **kwargs):
        calls.append(1)
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(tailor, "letter", counted)

    async def scenario() -> list[int]:
        async with _client(app) as client:
            workspace = (await client.post("/upload", files={"cv": upload(CASEY)})).headers[
                "location"
            ]
            await client.post(
                f"{workspace}/tailor",
                data={"target": ["startup"]},
                files={"jd": upload(POSTING)},
            )
            answers = await asyncio.gather(
                client.get(f"{workspace}/letter/startup"),
                client.post(f"{workspace}/letter/startup/download", data={"format": "txt"}),
            )
            return [answer.status_code for answer in answers]

    assert asyncio.run(scenario()) == [200, 200]
    assert len(calls) == 1
