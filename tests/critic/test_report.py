"""The reports people read: each target's verdict and top findings first, the rest in one line
a rule unless asked for in full, the provider named once, Markdown kept verbatim."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

import tailor
from tailor.critic.model import Critique, Finding
from tailor.critic.provenance import provider_line
from tailor.critic.report import (
    ALL_HINT,
    compact,
    to_markdown,
    to_rich,
    top_findings,
)
from tailor.usage import Usage
from tests.conftest import EXAMPLES, cv_from_markdown

TARGETS = ("frontier-lab", "production-ml", "startup")
CASEY = EXAMPLES / "casey-morgan.md"
# the bundled examples read as text (the PDF and DOCX copies read the same)
TEXT_EXAMPLES = [
    CASEY,
    *(EXAMPLES / f"jordan-reyes.{ext}" for ext in ("md", "txt", "json", "yaml", "rendercv.yaml")),
]


def _text(renderable: object) -> str:
    console = Console(record=True, width=100, color_system=None, file=io.StringIO())
    console.print(renderable)
    return "\n".join(line.rstrip() for line in console.export_text().strip("\n").splitlines())


def _flat(text: str) -> str:
    """The text with its wrapping undone, to find a sentence whatever the width."""
    return " ".join(text.split())


def _critiques(path: object = CASEY, targets: tuple[str, ...] = TARGETS) -> list[Critique]:
    cv = tailor.load_cv(path)  # type: ignore[arg-type]
    return [tailor.critique(cv, target) for target in targets]


def _finding(severity: str, points: int | None, line: int | None, rule: str = "r") -> Finding:
    return Finding.model_validate(
        {"rule": rule, "severity": severity, "quote": f"q{line}" if line else None,
         "line": line, "message": "m", "suggestion": "s", "points": points}
    )  # fmt: skip


def test_top_findings_go_by_severity_then_points_then_line() -> None:
    findings = [
        _finding("low", 30, 1),
        _finding("medium", None, 2),  # a model's finding: after the rubric's of its severity
        _finding("medium", 2, 9),
        _finding("medium", 2, 5),
        _finding("high", 1, 40),
        _finding("medium", 7, 50),
    ]
    top = top_findings(findings)
    assert [(f.severity, f.points, f.line) for f in top] == [
        ("high", 1, 40),
        ("medium", 7, 50),
        ("medium", 2, 5),
    ]
    assert [f.line for f in top_findings(findings, 6)][3:] == [9, 2, 1]


@pytest.mark.parametrize("path", TEXT_EXAMPLES, ids=lambda path: path.name)
def test_the_default_report_is_short_and_all_shows_every_finding(path: object) -> None:
    critiques = _critiques(path)
    one = _text(to_rich(critiques[:1], boxed=False))
    three = _text(to_rich(critiques, boxed=False))
    assert len(one.splitlines()) < 80
    assert len(three.splitlines()) <= 100
    assert len(_text(to_rich(critiques[:1])).splitlines()) < 80  # boxed, as on a terminal
    for report, shown in ((one, critiques[:1]), (three, critiques)):
        more = any(len(critique.findings) > 3 for critique in shown)
        assert (report.splitlines()[-1] == ALL_HINT) is more
        assert (ALL_HINT in report) is more
    full = _flat(_text(to_rich(critiques, boxed=False, full=True)))
    assert ALL_HINT not in full
    for critique in critiques:
        for finding in critique.findings:
            assert _flat(finding.suggestion) in full
            assert finding.quote is None or _flat(finding.quote) in full


def test_casey_morgan_is_shorter_than_before() -> None:
    """Before the compact report: 74 lines for one target, 124 for three (at 100 columns)."""
    critiques = _critiques()
    assert len(_text(to_rich(critiques[:1], boxed=False)).splitlines()) <= 50
    assert len(_text(to_rich(critiques, boxed=False)).splitlines()) <= 100


def test_each_verdict_and_its_top_three_come_before_the_rest() -> None:
    critiques = _critiques()
    text = _text(to_rich(critiques, boxed=False))
    rest = text.index("Other findings for every target")
    assert text.index("Scores") < text.index(critiques[0].summary[:40])
    position = 0
    for critique in critiques:
        header = f"{critique.target_name} ({critique.target})  {critique.score}/100"
        assert position < text.index(header) < rest
        verdict = text.index(critique.summary[:40])
        assert text.index(header) < verdict
        position = verdict
        for finding in top_findings(critique.findings):
            title = f"{finding.severity.upper()} {finding.rule}  ("
            assert position < text.index(title, position + 1) < rest
            position = text.index(title, position + 1)
    # what is left: one line a rule, with its lines
    assert _rest_of("missing-metrics", critiques) in text[rest:]
    assert "technique-list (low): line 47: JAX, TensorRT, RLHF, Ray" in text[rest:]


def test_a_top_finding_shown_for_one_target_is_not_repeated_for_the_next() -> None:
    lab, production, startup = _critiques()
    text = _text(to_rich([lab, production, startup], boxed=False))
    startup_part = text[text.index(f"Startup or growth company (startup)  {startup.score}/100") :]
    startup_part = _flat(startup_part[: startup_part.index("Strengths for every target")])
    earlier = {
        key(f): name
        for critique, name in ((production, "Production-ML company"), (lab, "Frontier AI lab"))
        for f in top_findings(critique.findings)
    }
    top = top_findings(startup.findings)
    again = [earlier[key(f)] for f in top if key(f) in earlier]
    assert again, "casey-morgan's startup top three share a finding with another target's"
    for name in set(again):
        assert startup_part.count(f"As above, for {name}.") == again.count(name)
    assert startup_part.count("Fix:") == len(top) - len(again)


def key(finding: Finding) -> tuple[str, str | None]:
    return finding.rule, finding.quote


def _rest_of(rule: str, critiques: list[Critique]) -> str:
    """The compact line of a rule every target shares: its lines, but those every target
    showed among its top three."""
    tops = [{f.line for f in top_findings(c.findings) if f.rule == rule} for c in critiques]
    shown = set.intersection(*tops)
    lines = sorted({f.line for c in critiques for f in c.findings if f.rule == rule} - shown)
    severity = next(f.severity for f in critiques[0].findings if f.rule == rule)
    return f"{rule} ({severity}): {len(lines)} lines ({', '.join(map(str, lines))})"


def test_one_target_report_has_no_shared_part() -> None:
    text = _text(to_rich(_critiques(targets=("startup",))))
    assert "for every target" not in text and "Scores" not in text
    assert "Other findings\n" in text and "As above" not in text
    assert text.count("Provider: offline") == 1


def test_the_provider_is_named_once_for_the_whole_report() -> None:
    critiques = _critiques()
    for report in (_text(to_rich(critiques, boxed=False)), to_markdown(critiques)):
        assert report.count("Provider:") == 1
        assert report.count("nothing left this machine") == 1


def test_each_provider_is_named_with_its_targets_only_when_they_differ() -> None:
    lab, production, startup = _critiques()
    usage = Usage(
        provider="anthropic", model="m", input_tokens=1000, output_tokens=100, cost_usd=0.5
    )
    by_model = {"provider": "anthropic", "model": "m", "usage": usage}
    same = [c.model_copy(update=by_model) for c in (lab, production)]
    assert provider_line(same) == (
        "Provider: anthropic m, 2000 tokens in, 200 out, $1.0000, with tailor's rubric merged in."
    )
    cached = usage.model_copy(update={"cached": True})
    again = [same[0], same[1].model_copy(update={"usage": cached})]
    assert "1000 tokens in, 100 out, $0.5000 (1 of 2 answered from tailor's response cache)" in (
        provider_line(again)
    )
    from_cache = [c.model_copy(update={"usage": cached}) for c in same]
    assert (
        provider_line(from_cache) == "Provider: anthropic m, answered from tailor's response cache."
    )
    failed = startup.model_copy(update={"fallback": "the model's answer was not valid"})
    mixed = provider_line([*same, failed])
    assert mixed.count("Provider:") == 1
    assert mixed.startswith(
        "Provider: anthropic m, 2000 tokens in, 200 out, $1.0000, with tailor's rubric merged "
        "in for Frontier AI lab, Production-ML company; offline (tailor's built-in rubric), "
    )
    assert mixed.endswith("because the model's answer was not valid for Startup or growth company.")


def test_a_rule_in_one_line() -> None:
    lines = [_finding("medium", 1, n, "missing-metrics") for n in (20, 21, 31)]
    assert compact("missing-metrics", lines) == "missing-metrics (medium): 3 lines (20, 21, 31)"
    whole = _finding("low", 3, None, "missing-selected-projects")
    assert (
        compact("missing-selected-projects", [whole]) == "missing-selected-projects (low): whole CV"
    )
    in_pdf = [f.model_copy(update={"line": None, "section": "Experience"}) for f in lines]
    assert compact("m", in_pdf) == "m (medium): 3 findings (Experience)"
    listed = lines[0].model_copy(update={"items": ["JAX", "Ray"]})
    assert compact("technique-list", [listed]) == "technique-list (medium): line 20: JAX, Ray"


def test_markdown_has_every_finding_by_default_and_can_be_compact() -> None:
    critiques = _critiques()
    full = to_markdown(critiques)
    for critique in critiques:
        for finding in critique.findings:
            assert finding.quote is None or finding.quote in full
    assert ALL_HINT not in full
    startup = critiques[2]
    assert full.index(f"## Startup or growth company (startup): {startup.score}/100") < full.index(
        "## Other findings for every target"
    )
    short = to_markdown(critiques, full=False)
    assert "- " + _rest_of("missing-metrics", critiques) in short
    assert short.rstrip().endswith(f"_{ALL_HINT}_") and len(short) < len(full)


def test_json_keeps_every_finding_and_its_items() -> None:
    lab = _critiques(targets=("frontier-lab",))[0]
    payload = lab.model_dump(mode="json")
    assert len(payload["findings"]) == len(lab.findings) > 3
    for finding in payload["findings"]:
        assert set(finding) == {
            "rule", "severity", "quote", "section", "line", "message", "suggestion", "points",
            "items",
        }  # fmt: skip
        assert isinstance(finding["items"], list)
    skills = next(f for f in payload["findings"] if f["rule"] == "technique-list")
    assert skills["items"] == ["JAX", "TensorRT", "RLHF", "Ray"]


def test_markdown_keeps_quotes_verbatim() -> None:
    cv = cv_from_markdown("# A\n\n## Experience\n- Worked on *inference* for __init__ hooks\n")
    markdown = to_markdown([tailor.critique(cv, "startup")])
    assert r"Worked on \*inference\* for \_\_init\_\_ hooks" in markdown


def test_an_llms_own_score_stands_beside_the_rubrics_only_when_there_is_one() -> None:
    offline = _critiques()
    assert "model" not in _text(to_rich(offline, boxed=False)).split("Frontier AI lab")[0]
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
    critique = _critiques(targets=("startup",))[0]
    assert "left out" not in to_markdown([critique])  # offline: nothing to hold back
    note = "The model's summary named 'Google DeepMind', which your CV does not."
    held = critique.model_copy(
        update={"summary_replaced": note, "quotes_dropped": 2, "strengths_dropped": 1}
    )
    left_out = (
        "tailor left out 2 findings and 1 strength of the model's answer, which quoted or "
        "stated what your CV does not."
    )
    for report in (to_markdown([held]), _flat(_text(to_rich([held], boxed=False)))):
        assert note in report and left_out in report
        # beside the verdict they explain, before any finding
        assert report.index(left_out) < report.index("Fix:")


def test_no_finding_is_said() -> None:
    clean = _critiques(targets=("startup",))[0].model_copy(update={"findings": []})
    text = _text(to_rich([clean], boxed=False))
    assert "No findings." in text and ALL_HINT not in text and "Other findings" not in text
    assert re.search(r"^No findings\.$", to_markdown([clean]), re.MULTILINE)


def test_a_compact_line_names_each_line_once_in_order() -> None:
    from tailor.critic.report import compact

    def at(line: int) -> Finding:
        return Finding(
            rule="r", severity="medium", quote="q", line=line, message="m", suggestion="s"
        )

    assert compact("r", [at(32), at(17)]) == "r (medium): 2 lines (17, 32)"
    assert compact("r", [at(37), at(37)]) == "r (medium): 2 findings (line 37)"
