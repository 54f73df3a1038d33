"""What `tailor serve` costs: its start, and each API call beside the library call it wraps
(through httpx's ASGI transport, so the figure is the app's, not the network's).

    python bench/serve.py
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

import tailor
import tailor.renderers
from bench.common import EXAMPLES, ROOT, Row, median_seconds, milliseconds, print_table, under
from tailor.serve.app import create_app

CV = EXAMPLES / "jordan-reyes.md"
TARGETS = ["frontier-lab", "production-ml", "startup"]
START_TARGET = 3.0  # seconds from `tailor serve` to its first answer
OVERHEAD_TARGET = 0.05  # seconds an API call adds to the library's work
REFUSAL_TARGET = 0.5  # seconds to refuse an 11 MB upload


def started_in() -> float:
    """Seconds from starting `tailor serve --port 0` to its first page."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "tailor", "serve", "--port", "0", "--provider", "offline"],
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert process.stderr is not None
    try:
        for line in process.stderr:
            found = re.search(r"serving (http://\S+/)", line)
            if found:
                httpx.get(found.group(1), timeout=10).raise_for_status()
                return time.perf_counter() - began
        raise AssertionError("tailor serve did not start")
    finally:
        process.terminate()
        process.wait(timeout=10)


def call(app: Any, path: str, **kwargs: Any) -> httpx.Response:
    async def request() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            response = await client.post(path, **kwargs)
            return response

    return asyncio.run(request())


def figures() -> list[tuple[str, list[Row]]]:
    app = create_app()
    data = CV.read_bytes()
    cv_file = {"cv": (CV.name, data)}
    rows = []
    start = median_seconds(started_in, repeats=3)
    rows.append(
        Row("`tailor serve` to its first page", milliseconds(start), *under(start, START_TARGET))
    )

    def library_critique() -> None:
        cv = tailor.read_cv(data, name=CV.name)
        for target in TARGETS:
            tailor.critique(cv, target)

    def library_render() -> None:
        cv = tailor.read_cv(data, name=CV.name)
        tailor.renderers.render_bytes(tailor.rewrite(cv, "startup").cv, "pdf")

    for title, library, path, form in [
        ("critique, 3 targets", library_critique, "/api/critique", {"target": TARGETS}),
        ("rewrite + PDF, 1 target", library_render, "/api/render", {"target": "startup"}),
    ]:
        alone = median_seconds(library)
        served = median_seconds(
            lambda path=path, form=form: call(app, path, files=cv_file, data=form)
        )
        overhead = served - alone
        rows.append(Row(f"{title}: the library", milliseconds(alone)))
        rows.append(Row(f"{title}: {path}", milliseconds(served)))
        rows.append(
            Row(
                f"{title}: what the API adds",
                milliseconds(overhead),
                *under(overhead, OVERHEAD_TARGET),
            )
        )
    big = {"cv": ("big.pdf", b"%PDF-1.7\n" + b"0" * 11_000_000)}
    refused = median_seconds(lambda: call(app, "/api/critique", files=big), repeats=3)
    rows.append(
        Row("an 11 MB upload refused (413)", milliseconds(refused), *under(refused, REFUSAL_TARGET))
    )
    return [("tailor serve (in process, through the ASGI transport)", rows)]


if __name__ == "__main__":
    print_table(figures())
