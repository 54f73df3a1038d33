"""Offline figures: CLI start-up, critique and rewrite latency and throughput, rendering,
postings, and the LLM client's own overhead.

    python bench/offline.py

Timings of a whole process are also given relative to `python -c pass`, and library
timings relative to a fixed piece of pure-Python work, both measured in the same run.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    EXAMPLES,
    REPEATS,
    ROOT,
    Row,
    cpu_baseline,
    median_seconds,
    milliseconds,
    print_table,
    under,
)

TARGETS = ("frontier-lab", "production-ml", "startup")
HELP_LIMIT = 0.3  # seconds, for `tailor --help`
CRITIQUE_LIMIT = 0.05  # seconds, for an offline critique of a two-page CV


def run_process(*args: str) -> Callable[[], object]:
    def action() -> object:
        return subprocess.run([sys.executable, *args], check=True, capture_output=True, cwd=ROOT)

    return action


def tailor_process(*args: str) -> Callable[[], object]:
    return run_process("-m", "tailor", *args, "-p", "offline")


def cli_rows(folder: Path) -> list[Row]:
    baseline = median_seconds(run_process("-c", "pass"))
    help_time = median_seconds(run_process("-m", "tailor", "--help"))
    md, pdf = EXAMPLES / "casey-morgan.md", EXAMPLES / "jordan-reyes.pdf"
    critique_md = median_seconds(tailor_process("critique", str(md), "-t", "anthropic"))
    critique_pdf = median_seconds(tailor_process("critique", str(pdf), "-t", "anthropic"))
    output = str(folder / "cv.pdf")
    cv = str(EXAMPLES / "jordan-reyes.md")
    rewrite = median_seconds(
        tailor_process("rewrite", cv, "-t", "startup", "-o", output, "--force")
    )
    target, met = under(help_time, HELP_LIMIT)
    name = "python -c pass"
    return [
        Row("python -c pass (the baseline)", milliseconds(baseline)),
        Row("tailor --help (cold start)", milliseconds(help_time, baseline, name), target, met),
        Row("tailor critique example.md, 1 target", milliseconds(critique_md, baseline, name)),
        Row("tailor critique example.pdf, 1 target", milliseconds(critique_pdf, baseline, name)),
        Row("tailor rewrite example.md -o cv.pdf", milliseconds(rewrite, baseline, name)),
    ]


def sample_cvs() -> list[Path]:
    """The CVs the throughput figures run over: the examples and the test CVs."""
    paths = [EXAMPLES / "casey-morgan.md", EXAMPLES / "jordan-reyes.md"]
    return paths + sorted((ROOT / "tests" / "data" / "cvs").glob("*.md"))


def critique_rows(baseline: float) -> list[Row]:
    import tailor

    paths = sample_cvs()
    documents = [path.read_bytes() for path in paths]
    cvs = [tailor.read_cv(data, name=p.name) for data, p in zip(documents, paths, strict=True)]
    two_page = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    tailor.critique(two_page, "startup")  # warm the rubric and profile caches

    def critique_all() -> None:
        for cv in cvs:
            for target in TARGETS:
                tailor.critique(cv, target)

    def parse_all() -> None:
        for data, path in zip(documents, paths, strict=True):
            tailor.read_cv(data, name=path.name)

    big = _large_cv(roles=900)  # under the CV entry limit (limits.CV_ENTRIES)
    big_time = median_seconds(
        lambda: tailor.critique(tailor.read_cv(big, name="big.md"), "startup"), repeats=3
    )
    critiques = len(cvs) * len(TARGETS)
    one = median_seconds(lambda: tailor.critique(two_page, "frontier-lab"), repeats=21)
    tailor.prep(two_page, "startup")  # warm the question patterns
    prep = median_seconds(lambda: tailor.prep(two_page, "startup"), repeats=21)
    posting = tailor.load_posting(EXAMPLES / "postings" / "frontier-lab-research-engineer.md")
    tailor.letter(two_page, posting=posting)  # warm the posting's patterns
    letter = median_seconds(lambda: tailor.letter(two_page, posting=posting), repeats=21)
    target, met = under(one, CRITIQUE_LIMIT)
    return [
        Row("offline critique, one 2-page CV", milliseconds(one, baseline), target, met),
        Row(
            f"offline critiques per second ({critiques} per round)",
            f"{critiques / median_seconds(critique_all):.0f}/s",
        ),
        Row(
            f"Markdown CVs parsed per second ({len(cvs)} per round)",
            f"{len(cvs) / median_seconds(parse_all):.0f}/s",
        ),
        Row(
            f"read + critique a {len(big) / 1e6:.2f} MB CV of 900 roles, 150 skills",
            f"{big_time:.2f} s",
        ),
        Row("offline interview prep, one 2-page CV (6 questions)", milliseconds(prep, baseline)),
        Row(
            "offline cover letter draft, one 2-page CV and posting", milliseconds(letter, baseline)
        ),
    ]


def rewrite_rows(baseline: float) -> list[Row]:
    import tailor
    from tailor.grounding import check
    from tailor.renderers import render_bytes

    two_page = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    four_page = tailor.load_cv(ROOT / "tests" / "data" / "cvs" / "long.md")
    cvs = [tailor.load_cv(path) for path in sample_cvs()]
    tailored = tailor.rewrite(two_page, "startup")  # also warms the caches

    def rewrite_all() -> None:
        for cv in cvs:
            for target in TARGETS:
                tailor.rewrite(cv, target)

    rewrites = len(cvs) * len(TARGETS)
    one = median_seconds(lambda: tailor.rewrite(two_page, "startup"), repeats=21)
    four = median_seconds(lambda: tailor.rewrite(four_page, "startup"), repeats=3)
    grounding = median_seconds(lambda: check(tailored.cv, two_page), repeats=21)
    rows = [
        Row("offline rewrite, one 2-page CV", milliseconds(one, baseline)),
        Row(
            f"offline rewrites per second ({rewrites} per round)",
            f"{rewrites / median_seconds(rewrite_all, repeats=3):.0f}/s",
        ),
        Row("offline rewrite of a 4-page CV down to 2", milliseconds(four, baseline)),
        Row("grounding check of a 2-page CV", milliseconds(grounding, baseline)),
    ]
    for fmt in ("md", "json", "html", "docx", "pdf"):
        render_bytes(tailored.cv, fmt, tailored.section_order)  # first use imports the renderer
        seconds = median_seconds(
            lambda fmt=fmt: render_bytes(tailored.cv, fmt, tailored.section_order)
        )
        rows.append(Row(f"render a tailored 2-page CV as .{fmt}", milliseconds(seconds)))
    from tailor.renderers.themes import themes

    for theme in themes()[1:]:  # the default's figures are above
        for fmt in ("html", "docx", "pdf"):
            seconds = median_seconds(
                lambda fmt=fmt, name=theme.name: render_bytes(
                    tailored.cv, fmt, tailored.section_order, theme=name
                )
            )
            rows.append(
                Row(f"render it as .{fmt} in the {theme.name} theme", milliseconds(seconds))
            )
    from tailor.cover_letter.report import file_bytes

    posting = EXAMPLES / "postings" / "frontier-lab-research-engineer.md"
    letter = tailor.letter(two_page, posting=posting)
    for suffix in (".docx", ".pdf"):
        file_bytes(letter, Path(f"letter{suffix}"))  # first use imports the renderer
        seconds = median_seconds(lambda s=suffix: file_bytes(letter, Path(f"letter{s}")))
        rows.append(Row(f"render a cover letter as {suffix}", milliseconds(seconds)))
    return rows


def posting_rows(baseline: float) -> list[Row]:
    import tailor

    postings = EXAMPLES / "postings"
    cv = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    text = tailor.load_posting(postings / "production-ml-platform.txt")
    tailor.critique(cv, "production-ml", posting=text)  # warm the vocabulary and patterns
    rows = []
    for name in (
        "production-ml-platform.txt",
        "applied-ml-fintech.html",
        "research-scientist-llm-evals.pdf",
    ):
        seconds = median_seconds(lambda n=name: tailor.load_posting(postings / n), repeats=11)
        rows.append(
            Row(f"read + extract a posting (.{name.rsplit('.', 1)[1]})", milliseconds(seconds))
        )
    plain = median_seconds(lambda: tailor.critique(cv, "production-ml"), repeats=21)
    with_posting = median_seconds(
        lambda: tailor.critique(cv, "production-ml", posting=text), repeats=21
    )
    target, met = under(with_posting, CRITIQUE_LIMIT)
    rows.append(
        Row(
            "offline critique with a posting (coverage too)",
            f"{milliseconds(with_posting)} ({with_posting / plain:.1f}x without)",
            target,
            met,
        )
    )
    rewrite = median_seconds(lambda: tailor.rewrite(cv, "production-ml", posting=text))
    rows.append(Row("offline rewrite with a posting", milliseconds(rewrite, baseline)))
    return rows


def llm_client_rows(folder: Path) -> list[Row]:
    """The client's own overhead: SDK, validation and bookkeeping, against a loopback server
    that answers at once (so the figure is tailor's cost, not a model's)."""
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
                Row(f"LLM client overhead per call ({provider} SDK)", milliseconds(seconds))
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
        Row(
            "an identical LLM call, from the response cache",
            f"{milliseconds(seconds)}, {calls} requests",
            "0 requests",
            calls == 0,
        )
    )
    return rows


def reading_rows() -> list[Row]:
    """Reading real CVs: the PDFs of tests/data/real/ (pdfplumber's parse is most of it), and
    the fidelity scoring of the whole corpus."""
    import tailor
    from evals.fidelity import evaluate

    real = ROOT / "tests" / "data" / "real"
    pdfs = sorted(real.glob("*/*.pdf"))
    documents = [path.read_bytes() for path in pdfs]
    tailor.read_cv(documents[0], name="cv.pdf")  # first use imports pdfplumber

    def read_all() -> None:
        for data in documents:
            tailor.read_cv(data, name="cv.pdf")

    per_pdf = median_seconds(read_all, repeats=3) / len(documents)
    awesome = (real / "latex" / "awesome-cv-cv.pdf").read_bytes()
    three_pages = median_seconds(lambda: tailor.read_cv(awesome, name="cv.pdf"), repeats=5)
    scoring = median_seconds(evaluate, repeats=1)
    return [
        Row(f"read a real PDF CV (mean of {len(pdfs)} from 13 templates)", milliseconds(per_pdf)),
        Row("read a real 3-page PDF (Awesome-CV, LuaLaTeX)", milliseconds(three_pages)),
        Row("score the readers on the 22 real CVs (make eval)", f"{scoring:.1f} s"),
    ]


def privacy_rows() -> list[Row]:
    """Finding a CV's personal details for redaction (done once per CV, then remembered)."""
    import tailor
    from tailor.privacy import Redaction, _placeholders, find_personal_values, redaction_for

    cv = tailor.load_cv(ROOT / "tests" / "data" / "private" / "personal.md")
    two_page = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    find_personal_values(cv)  # first use imports phonenumbers and pyap
    rows = []
    for name, document in (("a CV of every kind of detail", cv), ("a two-page CV", two_page)):
        seconds = median_seconds(
            lambda d=document: Redaction(_placeholders(find_personal_values(d)))
        )
        rows.append(Row(f"find the personal details of {name}", milliseconds(seconds)))
    redaction = redaction_for(two_page)
    text = two_page.origin.text if two_page.origin and two_page.origin.text else ""
    hide = median_seconds(lambda: redaction.reveal(redaction.hide(text)), repeats=21)
    rows.append(Row("hide and reveal a two-page CV's details", milliseconds(hide)))
    return rows


def _large_cv(roles: int) -> bytes:
    """A pathologically long Markdown CV with 150 listed skills, to show that reading and
    critique time grow linearly (every skill is looked for in every line)."""
    lines = ["# Long Person", "", "## Experience"]
    for index in range(roles):
        lines += [f"### Engineer — Company {index}", "*2020 – 2021*", "- Cut latency by 10 ms."]
    skills = ", ".join(f"Tool{index} method{index}" for index in range(150))
    lines += ["", "## Skills", f"- {skills}"]
    return "\n".join(lines).encode()


def figures() -> list[tuple[str, list[Row]]]:
    """The sections of this benchmark's table."""
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        baseline = cpu_baseline()
        work = Row("sorting 200,000 numbers (the library baseline)", milliseconds(baseline))
        return [
            ("start-up, whole process", cli_rows(folder)),
            ("offline critique", [work, *critique_rows(baseline)]),
            ("offline rewrite", rewrite_rows(baseline)),
            ("job postings", posting_rows(baseline)),
            ("reading real CVs", reading_rows()),
            ("LLM client", llm_client_rows(folder)),
            ("privacy", privacy_rows()),
        ]


if __name__ == "__main__":
    print_table(figures())
