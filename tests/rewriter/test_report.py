"""How a rewrite is shown: the headline, the change log and the diff."""

from __future__ import annotations

import tailor
from tailor.grounding import Violation
from tailor.rewriter import report
from tests.conftest import EXAMPLES


def test_unsupported_facts_are_shown_loudly() -> None:
    source = tailor.load_cv(EXAMPLES / "casey-morgan.md")
    tailored = tailor.rewrite(source, "startup")
    invented = Violation(
        kind="number", value="45%", path="work[0].highlights[0]", text="Cut costs by 45%."
    )
    flagged = tailored.model_copy(update={"unsupported": [invented]})
    assert "1 fact NOT supported by your CV" in report.headline(flagged)
    assert "UNSUPPORTED number '45%' in work[0].highlights[0]: Cut costs by 45%." in (
        report.to_text(flagged)
    )
    assert "**unsupported number** `45%`" in report.to_markdown_log(flagged)
    assert "all supported" in report.headline(tailored)


def test_the_change_log_names_each_change_with_its_line() -> None:
    tailored = tailor.rewrite(tailor.load_cv(EXAMPLES / "casey-morgan.md"), "frontier-lab")
    text = report.to_text(tailored)
    for change in tailored.changes:
        assert f"line {change.line}" in text
        assert change.reason in text


def test_a_cv_that_needs_no_change_says_so_in_the_diff() -> None:
    source = tailor.load_cv(EXAMPLES / "casey-morgan.md")
    tailored = tailor.rewrite(source, "startup")
    unchanged = tailored.model_copy(update={"cv": source, "section_order": []})
    assert report.diff(source, unchanged).plain.startswith("No differences")
