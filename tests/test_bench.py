"""The benchmarks in bench/ are found, print one table, and count a request's tokens."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from bench.common import Row, print_table
from bench.run import benchmarks
from bench.tokens import answers, input_tokens, measure

ROOT = Path(__file__).resolve().parent.parent


def test_every_script_in_bench_is_a_benchmark_with_figures() -> None:
    names = benchmarks()
    assert names[:3] == ["bench.offline", "bench.batch", "bench.tokens"]
    scripts = {p.stem for p in (ROOT / "bench").glob("*.py")} - {"__init__", "common", "run"}
    assert {name.removeprefix("bench.") for name in names} == scripts
    for name in names:
        assert callable(importlib.import_module(name).figures)


def test_the_table_marks_a_missed_target(capsys: pytest.CaptureFixture[str]) -> None:
    print_table(
        [
            ("fast things", [Row("cold start", "80 ms", "< 300 ms", True)]),
            ("slow things", [Row("batch", "2.0x one call", "< 1.5x", False), Row("info", "7")]),
        ]
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["figure", "median", "of", "runs", "target"]
    assert lines[1] == "-- fast things"
    assert lines[2].endswith("< 300 ms met")
    assert lines[4].endswith("< 1.5x MISSED")
    assert lines[5].split() == ["info", "7"]


def test_a_requests_tokens_count_what_the_model_reads() -> None:
    body = {
        "model": "a-model-name-that-is-not-read",
        "max_tokens": 8192,
        "system": [{"type": "text", "text": "x" * 400}],
        "messages": [{"role": "user", "content": "y" * 800}],
    }
    # 1,200 characters of text plus the keys around them, at 4 characters a token
    assert 300 <= input_tokens(body) <= 310


def test_tokens_of_an_llm_critique_rewrite_and_letter_through_the_fake_server(
    tmp_path: Path,
) -> None:
    cv = ROOT / "examples" / "casey-morgan.md"
    (tmp_path / cv.name).write_bytes(cv.read_bytes())
    runs = answers(tmp_path)
    assert [task for _, _, task, _ in runs] == ["critique", "rewrite", "letter"] * 3
    tokens = measure(runs, "anthropic")
    cv_tokens = len(cv.read_text(encoding="utf-8")) // 4
    for task in ("critique", "rewrite", "letter"):
        assert len(tokens[task]) == 3
        for tokens_in, tokens_out in tokens[task]:
            assert tokens_in > cv_tokens + 300  # the CV, the instructions and the schema
            assert tokens_out > 50
