"""Batch figures against the fake LLM server with a fixed latency per call.

    python bench/batch.py

For 1 CV x 3 targets (-j 4) and 10 CVs x 3 targets (-j 4), critiques on the Anthropic wire,
by default and with the other `--warm-cache` choice: wall time as a multiple of one call's (so the
figure does not depend on the server's latency), the input tokens prompt caching saves (the
fake server counts tokens as a caching provider bills them) and what that is worth at the
default model's prices, and the calls a repeated run makes.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Row, print_table
from tailor.batch import Batch, JobSpec, RunManifest, plan
from tailor.llm.client import LLMClient
from tailor.llm.config import LLMSettings
from tailor.llm.pricing import cost_usd
from tests.fake_llm import FakeLLM, Slow, Text
from tests.fake_llm.caching import PromptCache

LATENCY = 0.25  # seconds the fake server takes per call
REPEATS = 3  # runs of each batch; the median wall time is reported
MODEL = "claude-sonnet-5-5"
CRITIQUE = json.dumps({"score": 70, "summary": "Fine.", "findings": [], "strengths": []})
TARGETS = ["frontier-lab", "production-ml", "startup"]
WALL_LIMIT = 1.5  # 1 CV x 3 targets, as a multiple of one call
# Anthropic bills a cache write at 1.25x the input price and a cache read at 0.1x
WRITE, READ = 1.25, 0.1


def client(fake: FakeLLM) -> LLMClient:
    settings = LLMSettings(
        provider="anthropic", model=MODEL, api_key="sk-bench", base_url=fake.url, cache=False
    )
    return LLMClient(settings)


def cvs(folder: Path, count: int) -> list[str]:
    sources = [ROOT / "examples" / "casey-morgan.md", ROOT / "examples" / "jordan-reyes.md"]
    sources += sorted((ROOT / "tests" / "data" / "cvs").glob("*.md"))
    paths = []
    for number in range(count):
        path = folder / f"cv-{number:02d}.md"
        shutil.copy(sources[number % len(sources)], path)
        paths.append(str(path))
    return paths


def one_call(fake: FakeLLM, folder: Path) -> float:
    times = []
    for attempt in range(REPEATS):
        fake.reply(Slow(LATENCY, Text(CRITIQUE)))
        with client(fake) as llm:
            started = time.perf_counter()
            Batch(folder / f"one-{attempt}", client=llm).run(plan(cvs(folder, 1), ["startup"]))
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def run_batch(
    fake: FakeLLM, out: Path, jobs: list[JobSpec], concurrency: int, warm: bool | None
) -> tuple[float, int, RunManifest, int]:
    """One batch from a cold cache: its wall time, the requests it made, its manifest, and
    the requests a repeated run made."""
    fake.reset()
    fake.prompt_cache = PromptCache()  # nothing cached from an earlier run
    fake.reply(*[Slow(LATENCY, Text(CRITIQUE)) for _ in jobs])
    with client(fake) as llm:
        started = time.perf_counter()
        manifest = Batch(out, client=llm, concurrency=concurrency, warm_cache=warm).run(jobs)
        wall = time.perf_counter() - started
        requests = len(fake.requests)
        fake.reset()
        Batch(out, client=llm, concurrency=concurrency).run(jobs)
        return wall, requests, manifest, len(fake.requests)


def batch_rows(
    fake: FakeLLM, folder: Path, count: int, concurrency: int, single: float, *, warm: bool | None
) -> list[Row]:
    jobs = plan(cvs(folder, count), TARGETS)
    runs = [
        run_batch(fake, folder / f"batch-{count}-{warm}-{attempt}", jobs, concurrency, warm)
        for attempt in range(REPEATS)
    ]
    wall = statistics.median(run[0] for run in runs)
    _, requests, manifest, _ = runs[-1]
    repeated = max(run[3] for run in runs)
    fresh = sum(r.input_tokens for r in manifest.jobs)
    written = sum(r.cache_write_tokens for r in manifest.jobs)
    read = sum(r.cache_read_tokens for r in manifest.jobs)
    output = sum(r.output_tokens for r in manifest.jobs)
    without = fresh + written + read
    with_caching = fresh + WRITE * written + READ * read
    price_without = cost_usd("anthropic", MODEL, input_tokens=without, output_tokens=output) or 0.0
    price_with = (
        cost_usd(
            "anthropic",
            MODEL,
            input_tokens=fresh,
            output_tokens=output,
            cache_write_tokens=written,
            cache_read_tokens=read,
        )
        or 0.0
    )
    name = f"{count} CV{'s' if count > 1 else ''} x {len(TARGETS)} targets, -j {concurrency}"
    name += {None: "", True: ", --warm-cache", False: ", --no-warm-cache"}[warm]
    multiple = wall / single
    wall_row = Row(f"{name}: wall time", f"{multiple:.2f}x one call ({requests} calls)")
    if count == 1 and warm is None:
        wall_row = Row(wall_row.name, wall_row.value, f"< {WALL_LIMIT}x", multiple < WALL_LIMIT)
    saved = 1 - with_caching / without
    effect = f"{saved:.0%} saved" if saved >= 0 else f"none: {-saved:.0%} more (cache writes)"
    return [
        wall_row,
        Row(
            f"{name}: input tokens, with prompt caching",
            f"{effect}; {with_caching:,.0f} vs {without:,.0f}, "
            f"${price_with:.3f} vs ${price_without:.3f}",
        ),
        Row(f"{name}: calls made by a repeated run", str(repeated), "0", repeated == 0),
    ]


def figures() -> list[tuple[str, list[Row]]]:
    """The sections of this benchmark's table."""
    with FakeLLM(prompt_cache=True) as fake, tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        single = one_call(fake, folder)
        rows = [Row(f"one critique call (fake server, {LATENCY:.2f} s a call)", f"{single:.3f} s")]
        # the default (None) warms the cache only when that adds no round of -j jobs
        for count, concurrency, other in ((1, 4, True), (10, 4, False)):
            for warm in (None, other):
                rows += batch_rows(fake, folder, count, concurrency, single, warm=warm)
    return [(f"batch critiques, {MODEL} prices (Anthropic wire)", rows)]


if __name__ == "__main__":
    print_table(figures())
