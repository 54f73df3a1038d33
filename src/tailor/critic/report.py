"""Critique reports for people: rich text for the terminal, and Markdown.

With several targets, the findings that every target shares (most of the general rules) are
shown once, after a table of scores, and each target then lists only what is its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tailor.critic.model import Critique, Finding
from tailor.posting.model import Coverage, RequirementCoverage
from tailor.wording import counted

_SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


@dataclass(frozen=True)
class _Layout:
    """The findings of several critiques: those they all share, and each one's own."""

    shared: list[Finding]
    own: dict[str, list[Finding]]  # by target id


def _layout(critiques: list[Critique]) -> _Layout:
    if len(critiques) < 2:
        return _Layout([], {c.target: c.findings for c in critiques})
    first, *others = critiques
    # the same finding for every target (its points differ with each target's weights)
    keys = [{_same(f) for f in other.findings} for other in others]
    shared = [f for f in first.findings if all(_same(f) in found for found in keys)]
    said = {_same(f) for f in shared}
    own = {c.target: [f for f in c.findings if _same(f) not in said] for c in critiques}
    return _Layout(shared, own)


def _same(finding: Finding) -> str:
    return finding.model_copy(update={"points": None}).model_dump_json()


def _where(finding: Finding) -> str:
    if finding.line is not None:
        return f"line {finding.line}"
    return finding.section or "whole CV"


def _by_rule(findings: list[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[finding.rule].append(finding)
    return groups


def _provider(critique: Critique) -> str:
    if critique.fallback:  # the CV did go to the model: say what happened instead
        return f"offline (tailor's built-in rubric), because {critique.fallback}"
    if critique.provider == "offline":
        return "offline (tailor's built-in rubric, no API key, nothing left this machine)"
    name = f"{critique.provider} {critique.model}" if critique.model else critique.provider
    usage = critique.usage
    if usage is None:
        return name
    if usage.cached:
        return f"{name}, answered from tailor's response cache"
    return f"{name}, {usage.spent()}, with tailor's rubric merged in"


def _model_score(critique: Critique) -> str:
    """ " (model: 10/100)" beside the rubric's score; nothing offline."""
    return "" if critique.model_score is None else f" (model: {critique.model_score}/100)"


def _checked(critique: Critique) -> list[str]:
    """What tailor held back from the model's answer, one line each, so nothing is left out
    without a word."""
    lines = [critique.summary_replaced] if critique.summary_replaced else []
    dropped = [
        counted(n, noun)
        for n, noun in (
            (critique.quotes_dropped, "finding"),
            (critique.strengths_dropped, "strength"),
        )
        if n
    ]
    if dropped:
        lines.append(
            f"tailor left out {' and '.join(dropped)} of the model's answer, which quoted or "
            "stated what your CV does not."
        )
    return lines


# -- terminal -------------------------------------------------------------------------------


def to_rich(critiques: list[Critique], *, boxed: bool = True) -> RenderableType:
    """A terminal report; `boxed=False` gives a plain layout for files and pipes."""
    layout = _layout(critiques)
    parts: list[RenderableType] = []
    coverage = critiques[0].coverage if critiques else None
    if coverage is not None:
        parts.append(_coverage_table(coverage))
    if len(critiques) > 1:
        parts.append(_score_table(critiques))
        if layout.shared:
            parts.append(Text("\nFindings for every target", style="bold"))
            parts.extend(
                _rule_block(rule, found) for rule, found in _by_rule(layout.shared).items()
            )
    for critique in critiques:
        body = _critique_body(critique, layout.own[critique.target], several=len(critiques) > 1)
        header = Text.assemble(
            (f"{critique.target_name} ", "bold"),
            (f"({critique.target})  ", "dim"),
            (f"{critique.score}/100", _score_style(critique.score)),
            (_model_score(critique), "dim"),
        )
        if boxed:
            parts.append(Panel(body, title=header, title_align="left"))
        else:
            parts.append(Group(Text("\n") + header, body))
    market = critiques[0].market if critiques else None
    if market is not None:
        parts.append(
            Text.assemble(
                ("\nMarket context ", "bold"),
                ("(the role guide's figures, not advice)\n", "dim"),
                f'{market.text()}, for "{market.location}". {market.caveat}',
            )
        )
    return Group(*parts)


_STATUS_STYLE = {
    "applied": "green",
    "partial": "yellow",
    "listed": "yellow",
    "missing": "bold red",
    "unchecked": "dim",
}
_STATUS_WORDS = {
    "applied": "shown",
    "partial": "in part",
    "listed": "listed only",
    "missing": "missing",
    "unchecked": "not checked",
}


def _coverage_table(coverage: Coverage) -> RenderableType:
    """The posting's requirements, must-haves first: whether the CV shows each, and where."""
    if not coverage.requirements:
        return Text(_no_requirements(coverage), style="yellow")
    table = Table(
        box=box.SIMPLE_HEAD,
        title=f"Job posting: {coverage.posting}. Coverage {coverage.score}/100",
        title_justify="left",
        title_style="bold",
        show_lines=False,
    )
    table.add_column("", no_wrap=True)
    table.add_column("requirement", ratio=3)
    table.add_column("CV", no_wrap=True)
    table.add_column("evidence", ratio=3)
    for item in _ordered(coverage):
        evidence = Text()
        if item.quote:
            evidence.append(f"“{item.quote}”", style="italic")
            if item.line is not None:
                evidence.append(f" (line {item.line})", style="dim")
        gaps = _gaps(item)
        if gaps:
            evidence.append(("\n" if item.quote else "") + gaps, style="dim")
        table.add_row(
            item.requirement.kind,
            item.requirement.text,
            Text(_STATUS_WORDS[item.status], style=_STATUS_STYLE[item.status]),
            evidence,
        )
    parts: list[RenderableType] = [table]
    if coverage.keywords_missing:
        parts.append(
            Text(f"Named in the posting, not in your CV: {', '.join(coverage.keywords_missing)}")
        )
    if coverage.ignored:
        parts.append(Text(_ignored_note(coverage), style="yellow"))
    return Group(*parts)


def _no_requirements(coverage: Coverage) -> str:
    """Said instead of an empty table."""
    named = ", ".join(
        coverage.keywords_shown + coverage.keywords_listed_only + coverage.keywords_missing
    )
    return (
        f"Job posting: {coverage.posting}. tailor found no list of requirements in it (it looks "
        "for headings such as 'Requirements' or 'Nice to have'); "
        + (f"the skills it names: {named}." if named else "it names no skill tailor knows.")
    )


def _ordered(coverage: Coverage) -> list[RequirementCoverage]:
    return sorted(coverage.requirements, key=lambda item: item.requirement.kind != "must")


def _gaps(item: RequirementCoverage) -> str:
    gaps = []
    if item.missing:
        gaps.append(f"not in the CV: {', '.join(item.missing)}")
    if item.listed_only and item.status != "listed":
        gaps.append(f"only listed: {', '.join(item.listed_only)}")
    if item.note:
        gaps.append(item.note)
    return "; ".join(gaps)


def _ignored_note(coverage: Coverage) -> str:
    return (
        f"Left out {counted(len(coverage.ignored), 'line')} of the posting that addressed an AI "
        "model rather than a candidate; they changed nothing."
    )


def _score_table(critiques: list[Critique]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title="Scores", title_justify="left", title_style="bold")
    table.add_column("target")
    table.add_column("score", justify="right")
    by_model = any(c.model_score is not None for c in critiques)
    if by_model:
        table.add_column("model", justify="right")
    for severity in ("high", "medium", "low"):
        table.add_column(severity, justify="right")
    for critique in critiques:
        counts = [
            sum(1 for f in critique.findings if f.severity == s) for s in ("high", "medium", "low")
        ]
        model = [Text(_or_dash(critique.model_score), style="dim")] if by_model else []
        table.add_row(
            f"{critique.target_name} ({critique.target})",
            Text(str(critique.score), style=_score_style(critique.score)),
            *model,
            *map(str, counts),
        )
    return table


def _or_dash(score: int | None) -> str:
    return "-" if score is None else str(score)


def _critique_body(critique: Critique, findings: list[Finding], *, several: bool) -> Group:
    parts: list[RenderableType] = [
        Text(f"{critique.summary}\nProvider: {_provider(critique)}.", style="dim")
    ]
    parts.extend(Text(line, style="yellow") for line in _checked(critique))
    if critique.strengths:
        parts.append(Text("\nStrengths", style="bold"))
        strengths = Table.grid(padding=(0, 1))
        strengths.add_column(no_wrap=True)
        strengths.add_column(ratio=1)
        for strength in critique.strengths:
            strengths.add_row(Text(" +", style="green"), Text(strength, style="green"))
        parts.append(strengths)
    if findings:
        parts.append(Text("\nFindings for this target" if several else "\nFindings", style="bold"))
    parts.extend(_rule_block(rule, found) for rule, found in _by_rule(findings).items())
    return Group(*parts)


def _rule_block(rule: str, findings: list[Finding]) -> RenderableType:
    """One rule's findings: the message once where it is shared, then each quote with its fix."""
    first = findings[0]
    title = Text.assemble(
        "\n",
        (f"{first.severity.upper()} ", _SEVERITY_STYLE[first.severity]),
        (rule, "bold"),
        f"  ({len(findings)})" if len(findings) > 1 else "",
    )
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(ratio=1)
    shared_message = len({f.message for f in findings}) == 1
    if shared_message:
        grid.add_row("", Text(first.message))
    for finding in findings:
        body = Text()
        if finding.quote:
            body.append(f"\u201c{finding.quote}\u201d\n", style="italic")
        if not shared_message:
            body.append(f"{finding.message}\n")
        body.append("Fix: ", style="bold")
        body.append(finding.suggestion)
        grid.add_row(_where(finding) if finding.quote else "", body)
    return Group(title, grid)


def _score_style(score: int) -> str:
    return "bold green" if score >= 70 else "bold yellow" if score >= 45 else "bold red"


# -- Markdown -------------------------------------------------------------------------------


def to_markdown(critiques: list[Critique]) -> str:
    """A Markdown report of one or more critiques; quotes are escaped so they stay verbatim."""
    layout = _layout(critiques)
    parts: list[str] = []
    if len(critiques) > 1:
        by_model = any(c.model_score is not None for c in critiques)
        parts += [
            "# CV critique\n",
            f"| target | score |{' model |' if by_model else ''} high | medium | low |",
            f"|---|--:|{'--:|' if by_model else ''}--:|--:|--:|",
        ]
        for critique in critiques:
            counts = [
                sum(1 for f in critique.findings if f.severity == s)
                for s in ("high", "medium", "low")
            ]
            model = [_or_dash(critique.model_score)] if by_model else []
            parts.append(
                f"| {critique.target_name} ({critique.target}) | {critique.score} | "
                + " | ".join([*model, *map(str, counts)])
                + " |"
            )
        parts.append("")
        if layout.shared:
            parts.append("## Findings for every target\n")
            parts += _markdown_findings(layout.shared, level=3)
    heading = "##" if len(critiques) > 1 else "#"
    coverage = critiques[0].coverage if critiques else None
    if coverage is not None:
        parts += _markdown_coverage(coverage, level=2 if len(critiques) > 1 else 1)
    for critique in critiques:
        parts.append(
            f"{heading} {critique.target_name} ({critique.target}): "
            f"{critique.score}/100{_model_score(critique)}\n"
        )
        parts.append(f"_{_escape(critique.summary)} Provider: {_provider(critique)}._\n")
        parts += [f"{_escape(line)}\n" for line in _checked(critique)]
        if critique.strengths:
            parts.append(f"{heading}# Strengths\n")
            parts += [f"- {_escape(strength)}" for strength in critique.strengths]
            parts.append("")
        own = layout.own[critique.target]
        parts.append(f"{heading}# Findings{' for this target' if len(critiques) > 1 else ''}\n")
        parts += _markdown_findings(own, level=len(heading) + 2) if own else ["No findings.\n"]
    market = critiques[0].market if critiques else None
    if market is not None:
        parts += [
            "## Market context\n",
            f"_The role guide's figures, not advice._ {_escape(market.text())}, for "
            f'"{_escape(market.location)}". {_escape(market.caveat)}\n',
        ]
    return "\n".join(parts).rstrip() + "\n"


def _markdown_coverage(coverage: Coverage, *, level: int) -> list[str]:
    if not coverage.requirements:
        return [_escape(_no_requirements(coverage)) + "\n"]
    lines = [
        f"{'#' * level} Job posting: {_escape(coverage.posting)}: coverage {coverage.score}/100\n",
        "| | requirement | CV | evidence |",
        "|---|---|---|---|",
    ]
    for item in _ordered(coverage):
        evidence = f"“{_escape(item.quote)}”" if item.quote else ""
        if item.quote and item.line is not None:
            evidence += f" (line {item.line})"
        gaps = _gaps(item)
        if gaps:
            evidence += ("; " if evidence else "") + _escape(gaps)
        lines.append(
            f"| {item.requirement.kind} | {_escape(item.requirement.text)} | "
            f"{_STATUS_WORDS[item.status]} | {evidence} |"
        )
    lines.append("")
    if coverage.keywords_missing:
        lines += [
            f"Named in the posting, not in your CV: {_escape(', '.join(coverage.keywords_missing))}\n"
        ]
    if coverage.ignored:
        lines += [_ignored_note(coverage) + "\n"]
    return lines


def _markdown_findings(findings: list[Finding], *, level: int) -> list[str]:
    lines: list[str] = []
    for rule, found in _by_rule(findings).items():
        lines.append(f"{'#' * level} `{rule}` ({found[0].severity})\n")
        for finding in found:
            quote = (
                f"\u201c{_escape(finding.quote)}\u201d ({_where(finding)}): "
                if finding.quote
                else ""
            )
            lines.append(
                f"- {quote}{_escape(finding.message)}\n  - Fix: {_escape(finding.suggestion)}"
            )
        lines.append("")
    return lines


def _escape(text: str) -> str:
    """Text as Markdown shows it verbatim: `*inference*` stays starred, `__init__` stays."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
