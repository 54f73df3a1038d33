"""Batch figures against the fake LLM server with a fixed latency per call.

    python bench/batch.py

Prints, for 1 CV x 3 targets and 20 CVs x 3 targets (critiques, Anthropic wire format):
wall time as a multiple of one call's, requests made, input tokens billed with and without
prompt caching (the fake server counts tokens as a caching provider would bill them), the
money that saves at the default model's prices, and the calls made by a repeated run.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tailor.jobs import Batch, plan  # noqa: E402
from tailor.llm.client import LLMClient  # noqa: E402
from tailor.llm.config import LLMSettings  # noqa: E402
from tailor.llm.pricing import cost_usd  # noqa: E402
from tests.fake_llm import FakeLLM, Slow, Text  # noqa: E402
from tests.fake_llm.caching import PromptCache  # noqa: E402

LATENCY = 0.25  # seconds the fake server takes per call
MODEL = "claude-sonnet-5-5"
CRITIQUE = json.dumps({"score": 70, "summary": "Fine.", "findings": [], "strengths": []})
TARGETS = ["frontier-lab", "production-ml", "startup"]
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
    for attempt in range(3):
        fake.reply(Slow(LATENCY, Text(CRITIQUE)))
        with client(fake) as llm:
            started = time.perf_counter()
            Batch(folder / f"one-{attempt}", client=llm).run(plan(cvs(folder, 1), ["startup"]))
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def batch_figures(
    fake: FakeLLM, folder: Path, count: int, concurrency: int, single: float, *, warm: bool
) -> list[str]:
    jobs = plan(cvs(folder, count), TARGETS)
    fake.reset()
    fake.prompt_cache = PromptCache()  # nothing cached from an earlier run
    fake.reply(*[Slow(LATENCY, Text(CRITIQUE)) for _ in jobs])
    out = folder / f"batch-{count}-{warm}"
    with client(fake) as llm:
        started = time.perf_counter()
        manifest = Batch(out, client=llm, concurrency=concurrency, warm_cache=warm).run(jobs)
        wall = time.perf_counter() - started
        requests = len(fake.requests)
        fake.reset()
        Batch(out, client=llm, concurrency=concurrency).run(jobs)
        repeated = len(fake.requests)
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
    name = f"{count} CV{'s' if count > 1 else ''} x {len(TARGETS)} targets"
    name += ", cache warmed first" if warm else ", all at once"
    return [
        f"{name}: wall time {wall:.2f} s = {wall / single:.2f}x one call "
        f"({len(jobs)} jobs, concurrency {concurrency})",
        f"{name}: {requests} requests; input tokens billed {with_caching:,.0f} with prompt "
        f"caching vs {without:,.0f} without ({1 - with_caching / without:.0%} fewer); "
        f"${price_with:.4f} vs ${price_without:.4f} at {MODEL} prices",
        f"{name}: a repeated run made {repeated} calls",
    ]


def main() -> None:
    with FakeLLM(prompt_cache=True) as fake, tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        single = one_call(fake, folder)
        print(f"one critique call (fake server latency {LATENCY:.2f} s): {single:.3f} s")
        for count, concurrency in ((1, 3), (20, 16)):
            for warm in (True, False):
                for line in batch_figures(fake, folder, count, concurrency, single, warm=warm):
                    print(line)


if __name__ == "__main__":
    main()
