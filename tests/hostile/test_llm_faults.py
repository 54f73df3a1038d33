"""A provider that answers badly, through the real CLI and SDK against the fake server: the
run stays bounded, falls back to tailor's offline result with one line that says why and what
the failed call's answers cost (a batch records the job as failed, with that cost)."""

from __future__ import annotations

import re
from pathlib import Path

from tailor.llm.pricing import cost_usd
from tests import scripted
from tests.conftest import EXAMPLES
from tests.fake_llm import FakeLLM, Text, TokenUsage
from tests.hostile.conftest import Outcome, Run

CASEY = EXAMPLES / "casey-morgan.md"
MODEL = "gpt-4.1-mini"
KEY = {"OPENAI_API_KEY": "sk-test-hostile-key"}
BAD = '{"score": "high"}'  # JSON, but never a critique
PAID = TokenUsage(input=1_000, output=400)
HUGE = '{"score": "' + "x" * 10_000_000 + '"}'  # 10 MB a model could send back
HUGE_EXTRA_MB = 100  # the most three 10 MB answers may add to a run's peak memory (about 40)


def critique(run: Run, server: FakeLLM) -> Outcome:
    """`tailor critique` of Casey for a startup, through OpenAI at the fake server."""
    provider = ["-p", "openai", "--base-url", server.openai_base_url, "-m", MODEL]
    return run("critique", CASEY, "-t", "startup", *provider, env=KEY)


def fallback_line(outcome: Outcome, *words: str) -> str:
    """The run's one line on the model's failure, after the notice of the provider in use: the
    offline critique printed, exit 0, bounded."""
    outcome.bounded()
    assert outcome.code == 0, outcome.stderr[-2000:]
    assert "Traceback" not in outcome.stderr
    *notices, last = outcome.stderr.strip().splitlines()
    assert [line.startswith("tailor: using openai") for line in notices] == [True]
    assert last.startswith("tailor: ") and last.endswith("offline critique is shown instead")
    assert "Provider: offline (tailor's built-in rubric), because " in outcome.stdout
    for word in words:
        assert word in last, f"{word!r} not in {last!r}"
    return last


def test_a_call_that_never_validates_says_what_it_spent(
    run_bounded: Run, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(*[Text(BAD, usage=PAID)] * 3)
    line = fallback_line(critique(run_bounded, fake_llm), "gave no valid critique in 3 answers")
    one = cost_usd("openai", MODEL, input_tokens=1_000, output_tokens=400)
    assert one is not None
    assert f" (spent 4,200 tokens, ${3 * one:.4f} on 3 answers); " in line, line
    assert len(fake_llm.requests) == 3


def test_three_huge_answers_stay_bounded_and_end_in_one_line(
    run_bounded: Run, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(*[Text(BAD, usage=PAID)] * 3)
    small = critique(run_bounded, fake_llm)
    fallback_line(small)
    fake_llm.reset()
    fake_llm.reply(*[Text(HUGE, usage=TokenUsage(input=1_000, output=2_500_000))] * 3)
    huge = critique(run_bounded, fake_llm)
    line = fallback_line(huge, "on 3 answers", "spent 7,503,000 tokens")
    assert len(line) < 2_000 and not re.search("x{2000}", line)  # the answer is not echoed
    assert huge.peak_mb - small.peak_mb < HUGE_EXTRA_MB, (small.peak_mb, huge.peak_mb)
    first, second, third = (len(str(request.body)) for request in fake_llm.requests)
    assert second - first < 64 * 1024 and third <= second  # re-asks stay small


def test_a_batch_counts_its_failed_jobs_answers_in_the_total(
    run_bounded: Run, fake_llm: FakeLLM, tmp_path: Path
) -> None:
    fake_llm.reply(Text(_critique(), usage=PAID), *[Text(BAD, usage=PAID)] * 3)
    provider = ["-p", "openai", "--base-url", fake_llm.openai_base_url, "-m", MODEL]
    out = tmp_path / "out"
    outcome = run_bounded(
        "batch", CASEY, "-t", "startup", "-t", "lab", *provider, "-j", "1", "--out-dir", out,
        env=KEY,
    )  # fmt: skip
    outcome.bounded()
    assert outcome.code == 3, outcome.stderr[-2000:]  # a job failed
    one = cost_usd("openai", MODEL, input_tokens=1_000, output_tokens=400)
    assert one is not None
    assert f"1 done, 1 failed, 0 pending; ${4 * one:.4f};" in outcome.stdout, outcome.stdout


def _critique() -> str:
    return scripted.critique_answer(score=70, summary="Fine.")
