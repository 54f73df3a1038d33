"""Run every benchmark in bench/ and print one table of figures beside their targets.

Each figure is measured several times and the median reported. Timings of the CLI are also
given relative to a baseline measured in the same run (`python -c pass`), so a slower machine
does not read as a regression.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REPEATS = 7


def median_seconds(action: Callable[[], object], repeats: int = REPEATS) -> float:
    """The median wall time of `action` over `repeats` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_process(*args: str) -> Callable[[], object]:
    def action() -> object:
        return subprocess.run([sys.executable, *args], check=True, capture_output=True, cwd=ROOT)

    return action


def cli_figures() -> list[tuple[str, str, str]]:
    baseline = median_seconds(run_process("-c", "pass"))
    help_time = median_seconds(run_process("-m", "tailor", "--help"))
    critique_md = median_seconds(
        run_process(
            "-m",
            "tailor",
            "critique",
            str(EXAMPLES / "casey-morgan.md"),
            "-t",
            "anthropic",
            "-f",
            "json",
            "-p",
            "offline",
        )
    )
    critique_pdf = median_seconds(
        run_process(
            "-m",
            "tailor",
            "critique",
            str(EXAMPLES / "jordan-reyes.pdf"),
            "-t",
            "anthropic",
            "-f",
            "json",
            "-p",
            "offline",
        )
    )
    return [
        ("python -c pass (baseline)", f"{baseline * 1000:.0f} ms", ""),
        (
            "tailor --help",
            f"{help_time * 1000:.0f} ms ({help_time / baseline:.1f}x baseline)",
            "< 300 ms",
        ),
        ("tailor critique example.md (1 target)", f"{critique_md * 1000:.0f} ms", ""),
        ("tailor critique example.pdf (1 target)", f"{critique_pdf * 1000:.0f} ms", ""),
    ]


def library_figures() -> list[tuple[str, str, str]]:
    import tailor

    paths = [EXAMPLES / "casey-morgan.md", EXAMPLES / "jordan-reyes.md"]
    paths += sorted((ROOT / "tests" / "data" / "cvs").glob("*.md"))
    documents = [path.read_bytes() for path in paths]
    cvs = [
        tailor.read_cv(data, name=path.name) for data, path in zip(documents, paths, strict=True)
    ]
    two_page = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    tailor.critique(two_page, "startup")  # warm the rubric and profile caches

    def critique_all() -> None:
        for cv in cvs:
            for target in ("frontier-lab", "production-ml", "startup"):
                tailor.critique(cv, target)

    def parse_all() -> None:
        for data, path in zip(documents, paths, strict=True):
            tailor.read_cv(data, name=path.name)

    big = _large_cv(roles=2000)
    big_time = median_seconds(
        lambda: tailor.critique(tailor.read_cv(big, name="big.md"), "startup"), repeats=3
    )

    critiques = len(cvs) * 3
    critique_time = median_seconds(critique_all)
    parse_time = median_seconds(parse_all)
    one = median_seconds(lambda: tailor.critique(two_page, "frontier-lab"), repeats=21)
    return [
        ("offline critique, one 2-page CV", f"{one * 1000:.1f} ms", "< 50 ms"),
        (
            f"offline critiques per second ({critiques} per round)",
            f"{critiques / critique_time:.0f}/s",
            "",
        ),
        (
            f"Markdown CVs parsed per second ({len(cvs)} per round)",
            f"{len(cvs) / parse_time:.0f}/s",
            "",
        ),
        (f"read + critique a {len(big) / 1e6:.1f} MB CV", f"{big_time:.2f} s", "grows linearly"),
    ]


def rewrite_figures() -> list[tuple[str, str, str]]:
    import tailor
    from tailor.grounding import check
    from tailor.renderers import render_bytes

    two_page = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    four_page = tailor.load_cv(ROOT / "tests" / "data" / "cvs" / "long.md")
    paths = [EXAMPLES / "casey-morgan.md", EXAMPLES / "jordan-reyes.md"]
    paths += sorted((ROOT / "tests" / "data" / "cvs").glob("*.md"))
    cvs = [tailor.load_cv(path) for path in paths]
    tailored = tailor.rewrite(two_page, "startup")  # also warms the caches

    def rewrite_all() -> None:
        for cv in cvs:
            for target in ("frontier-lab", "production-ml", "startup"):
                tailor.rewrite(cv, target)

    rewrites = len(cvs) * 3
    rows = [
        (
            "offline rewrite, one 2-page CV",
            f"{median_seconds(lambda: tailor.rewrite(two_page, 'startup'), repeats=21) * 1000:.0f} ms",
            "",
        ),
        (
            f"offline rewrites per second ({rewrites} per round)",
            f"{rewrites / median_seconds(rewrite_all, repeats=3):.0f}/s",
            "",
        ),
        (
            "offline rewrite of a 4-page CV down to 2",
            f"{median_seconds(lambda: tailor.rewrite(four_page, 'startup'), repeats=3) * 1000:.0f} ms",
            "",
        ),
        (
            "grounding check, 2-page CV",
            f"{median_seconds(lambda: check(tailored.cv, two_page), repeats=21) * 1000:.1f} ms",
            "",
        ),
    ]
    for fmt in ("md", "json", "html", "docx", "pdf"):
        render_bytes(tailored.cv, fmt, tailored.section_order)  # first use imports the renderer
        seconds = median_seconds(
            lambda fmt=fmt: render_bytes(tailored.cv, fmt, tailored.section_order)
        )
        rows.append((f"render a tailored 2-page CV as .{fmt}", f"{seconds * 1000:.1f} ms", ""))
    return rows


def rewrite_process_figures(folder: Path) -> list[tuple[str, str, str]]:
    output = folder / "cv.pdf"
    seconds = median_seconds(
        run_process(
            "-m",
            "tailor",
            "rewrite",
            str(EXAMPLES / "jordan-reyes.md"),
            "-t",
            "startup",
            "-o",
            str(output),
            "--force",
            "-p",
            "offline",
        )
    )
    return [("tailor rewrite example.md -o cv.pdf", f"{seconds * 1000:.0f} ms", "")]


def llm_client_figures(folder: Path) -> list[tuple[str, str, str]]:
    """The client's own overhead: SDK, validation and bookkeeping, against a loopback server
    that answers at once (so the figure is tailor's cost, not a model's)."""
    sys.path.insert(0, str(ROOT))
    from pydantic import BaseModel

    from tailor.llm import LLMClient, LLMSettings, Message
    from tailor.llm.cache import ResponseCache
    from tests.fake_llm import FakeLLM, Text

    class Answer(BaseModel):
        score: int
        notes: list[str]

    rows = []
    with FakeLLM() as server:
        for provider, base in (("anthropic", server.url), ("openai", server.openai_base_url)):
            settings = LLMSettings(
                provider=provider, model="bench", api_key="bench", base_url=base, cache=False
            )
            with LLMClient(settings) as client:
                server.reply(*[Text('{"score": 1, "notes": ["x"]}')] * (REPEATS + 1))
                client.generate([Message("user", "warm up")], Answer)
                seconds = median_seconds(
                    lambda client=client: client.generate([Message("user", "hi")], Answer)
                )
            rows.append(
                (f"LLM client overhead per call ({provider} SDK)", f"{seconds * 1000:.1f} ms", "")
            )
        settings = LLMSettings(
            provider="openai", model="bench", api_key="bench", base_url=server.openai_base_url
        )
        with LLMClient(settings, cache=ResponseCache(folder / "cache")) as client:
            server.reply(Text('{"score": 1, "notes": ["x"]}'))
            client.generate([Message("user", "cached")], Answer)
            before = len(server.requests)
            seconds = median_seconds(lambda: client.generate([Message("user", "cached")], Answer))
            calls = len(server.requests) - before
    rows.append(
        (
            "identical call answered from the response cache",
            f"{seconds * 1000:.1f} ms, {calls} requests",
            "0 requests",
        )
    )
    return rows


def _large_cv(roles: int) -> bytes:
    """A pathologically long Markdown CV, to show that reading time grows linearly."""
    lines = ["# Long Person", "", "## Experience"]
    for index in range(roles):
        lines += [f"### Engineer — Company {index}", "*2020 – 2021*", "- Cut latency by 10 ms."]
    return "\n".join(lines).encode()


def posting_figures() -> list[tuple[str, str, str]]:
    import tailor

    postings = EXAMPLES / "postings"
    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    text = tailor.load_posting(postings / "production-ml-platform.txt")
    tailor.critique(cv, "production-ml", posting=text)  # warm the vocabulary and patterns
    rows = []
    for name in ("production-ml-platform.txt", "applied-ml-fintech.html"):
        seconds = median_seconds(lambda n=name: tailor.load_posting(postings / n), repeats=11)
        rows.append(
            (f"read + extract a posting ({name.rsplit('.', 1)[1]})", f"{seconds * 1000:.1f} ms", "")
        )
    pdf = median_seconds(lambda: tailor.load_posting(postings / "research-scientist-llm-evals.pdf"))
    rows.append(("read + extract a posting (pdf)", f"{pdf * 1000:.1f} ms", ""))
    plain = median_seconds(lambda: tailor.critique(cv, "production-ml"), repeats=21)
    with_posting = median_seconds(
        lambda: tailor.critique(cv, "production-ml", posting=text), repeats=21
    )
    rows.append(
        (
            "offline critique with a posting (coverage included)",
            f"{with_posting * 1000:.1f} ms ({with_posting / plain:.1f}x without)",
            "< 50 ms",
        )
    )
    rewrite = median_seconds(lambda: tailor.rewrite(cv, "production-ml", posting=text))
    rows.append(("offline rewrite with a posting", f"{rewrite * 1000:.0f} ms", ""))
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rows = cli_figures() + rewrite_process_figures(Path(folder))
        rows += library_figures() + rewrite_figures() + posting_figures()
        rows += llm_client_figures(Path(folder))
    width = max(len(name) for name, _, _ in rows)
    print(f"{'figure':<{width}}  {'median of runs':<28}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<28}  {target}")


if __name__ == "__main__":
    main()
