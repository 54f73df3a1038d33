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


def test_a_moved_bullet_is_marked_as_moved_not_removed() -> None:
    source = tailor.load_cv(EXAMPLES / "casey-morgan.md")
    lines = report.diff(source, tailor.rewrite(source, "frontier-lab")).plain.splitlines()
    assert lines[2] == report.DIFF_LEGEND and "nothing removed" in lines[2]
    moved = [line for line in lines if "Trained a PyTorch text classifier" in line]
    assert len(moved) == 1  # shown once, where it now stands
    assert moved[0].startswith(f"{report.MOVED}- Trained a PyTorch text classifier")
    # the line it stood on in the left side, as the @@ lines count
    assert moved[0].endswith("[moved from line 18]")
    # a line that changed is still a removal and an addition
    assert any(line.startswith("-- **ML:**") for line in lines)
    assert any(line.startswith("+- **ML:**") for line in lines)
    assert not any(line.startswith(("~", "+- Trained", "-- Trained")) for line in lines)


def test_a_moved_section_says_where_it_came_from_once() -> None:
    from tailor.cv.layout import source_order
    from tailor.renderers.markdown import to_markdown

    source = tailor.load_cv(EXAMPLES / "jordan-reyes.json")
    lines = report.diff(source, tailor.rewrite(source, "frontier-lab")).plain.splitlines()
    before = to_markdown(source, source_order(source) or None).splitlines()
    heading = next(line for line in lines if line.startswith(f"{report.MOVED}## Publications"))
    number = int(heading.rsplit("line ", 1)[1].rstrip("]"))
    assert before[number - 1] == "## Publications"
    block = lines[lines.index(heading) + 1 : lines.index(heading) + 3]
    assert block[1].startswith(f"{report.MOVED}- **Calibration-Aware Distillation")
    assert "[moved from" not in block[1]  # the block's first line says it for the block
    assert not any(line.startswith("-") and "Publications" in line for line in lines)
