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
    lab, production = critiques[0].score, critiques[1].score
    assert text.index("Findings for every target") < text.index(
        f"Frontier AI lab (frontier-lab)  {lab}/100"
    )
    # a target's own rule still appears under that target only
    own = text.index(f"Production-ML company (production-ml)  {production}/100")
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


def test_an_llms_own_score_stands_beside_the_rubrics_only_when_there_is_one() -> None:
    cv = tailor.load_cv(EXAMPLES / "casey-morgan.md")
    offline = [tailor.critique(cv, target) for target in TARGETS]
    assert "model" not in _text(to_rich(offline, boxed=False)).split("Findings")[0]
    assert "| target | score | high | medium | low |" in to_markdown(offline)
    llm = [c.model_copy(update={"model_score": 10 + i}) for i, c in enumerate(offline)]
    text = _text(to_rich(llm, boxed=False))
    lab = offline[0]
    assert f"Frontier AI lab (frontier-lab)  {lab.score}/100 (model: 10/100)" in text
    markdown = to_markdown(llm)
    assert "| target | score | model | high | medium | low |" in markdown
    counts = " | ".join(
        str(sum(f.severity == s for f in lab.findings)) for s in ("high", "medium", "low")
    )
    assert f"| Frontier AI lab (frontier-lab) | {lab.score} | 10 | {counts} |" in markdown
    assert f"## Frontier AI lab (frontier-lab): {lab.score}/100 (model: 10/100)\n" in markdown


def test_what_was_held_back_from_the_model_is_said_in_one_line_each() -> None:
    critique = tailor.critique(tailor.load_cv(EXAMPLES / "casey-morgan.md"), "startup")
    assert "left out" not in to_markdown([critique])  # offline: nothing to hold back
    note = "The model's summary named 'Google DeepMind', which your CV does not."
    held = critique.model_copy(
        update={"summary_replaced": note, "quotes_dropped": 2, "strengths_dropped": 1}
    )
    left_out = (
        "tailor left out 2 findings and 1 strength of the model's answer, which quoted or "
        "stated what your CV does not."
    )
    for report in (to_markdown([held]), " ".join(_text(to_rich([held], boxed=False)).split())):
        assert note in report and left_out in report
