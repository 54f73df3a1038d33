"""Pathological text is read in bounded time: every pattern of the readers and the layout
stays linear on long runs of one character (each of these took minutes when one did not)."""

from __future__ import annotations

import time

import pytest

import tailor
from tailor.renderers.markdown import to_markdown

SIZE = 100_000
HEAD = "# Ana Ruiz\n\n## Experience\n\n### ML Engineer — Quillnet\n"
CASES = {
    "a word with no @": HEAD + "- " + "x" * SIZE + "\n",
    "spaces inside a bullet": HEAD + "- a" + " " * SIZE + "b\n",
    "spaces on the last line": HEAD + "- a\n" + "x" + " " * SIZE + "y\n",
    "opening brackets": HEAD + "- " + "[a" * (SIZE // 2) + "\n",
    "unclosed autolinks": HEAD + "- " + "<http://" * (SIZE // 8) + "\n",
    "a link definition": HEAD + "[a]: " + "x" * SIZE + "\n",
    "wide gaps": HEAD + "Engineer   " * (SIZE // 11) + "\n",
    "years": HEAD + "2019 and " * (SIZE // 9) + "2020\n",
    "a run of dots": HEAD + "- see https://example.org/" + "." * SIZE + "\n",
    "one address repeated": "# Ana Ruiz\n" + "ana@example.com " * (SIZE // 16) + "\n\n" + HEAD[12:],
}


@pytest.mark.parametrize("suffix", ["md", "txt"])
@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_pathological_text_is_read_in_bounded_time(text: str, suffix: str) -> None:
    started = time.process_time()  # CPU time: what other processes take does not count
    try:
        cv = tailor.read_cv(text.encode(), name=f"cv.{suffix}")
        to_markdown(cv)
    except tailor.UserError:
        pass  # refusing it is fine; hanging is not
    assert time.process_time() - started < 5
