"""The reports people read: shared findings once, plain text in files, Markdown kept verbatim."""

from __future__ import annotations

import io

from rich.console import Console

import tailor
from tailor.critic.report import to_markdown, to_rich
from tests.conftest import EXAMPLES, cv_from_markdown

TARGETS = ("frontier-lab", "production-ml", "startup")


def _text(renderable: object) -> str:
    console = Console(record=True, width=100, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_findings_every_target_shares_are_shown_once() -> None:
    cv = tailor.load_cv(EXAMPLES / "casey-morgan.md")
    critiques = [tailor.critique(cv, target) for target in TARGETS]
    text = _text(to_rich(critiques, boxed=False))
    assert text.count("Built the SQL reporting views") == 1
    assert text.index("Findings for every target") < text.index(
        "Frontier AI lab (frontier-lab)  54/100"
    )
    # a target's own rule still appears under that target only
    own = text.index("Production-ML company (production-ml)  62/100")
    assert text.index("no-pipeline-reliability") > own


def test_one_target_report_has_no_shared_part() -> None:
    critique = tailor.critique(tailor.load_cv(EXAMPLES / "casey-morgan.md"), "startup")
    text = _text(to_rich([critique]))
    assert "Findings for every target" not in text and "Scores" not in text
    assert "Provider: offline" in text


def test_markdown_keeps_quotes_verbatim() -> None:
    cv = cv_from_markdown("# A\n\n## Experience\n- Worked on *inference* for __init__ hooks\n")
    markdown = to_markdown([tailor.critique(cv, "startup")])
    assert r"Worked on \*inference\* for \_\_init\_\_ hooks" in markdown
