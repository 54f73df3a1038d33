"""Critique reports for people: Markdown, and rich text for the terminal."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tailor.critic.model import Critique, Finding

_SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}


def _where(finding: Finding) -> str:
    if finding.line is not None:
        return f"line {finding.line}"
    return finding.section or "whole CV"


def _by_rule(findings: list[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[finding.rule].append(finding)
    return groups


def to_markdown(critiques: list[Critique]) -> str:
    """A Markdown report of one or more critiques."""
    parts: list[str] = []
    for critique in critiques:
        parts.append(f"# {critique.target_name} ({critique.target}): {critique.score}/100\n")
        parts.append(f"_{critique.summary} Provider: {_provider(critique)}._\n")
        if critique.strengths:
            parts.append("## Strengths\n")
            parts.extend(f"- {strength}" for strength in critique.strengths)
            parts.append("")
        parts.append("## Findings\n")
        if not critique.findings:
            parts.append("No findings.\n")
        for rule, findings in _by_rule(critique.findings).items():
            parts.append(f"### `{rule}` ({findings[0].severity})\n")
            for finding in findings:
                quote = f'"{finding.quote}" ({_where(finding)}): ' if finding.quote else ""
                parts.append(f"- {quote}{finding.message}\n  - Fix: {finding.suggestion}")
            parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def to_rich(critique: Critique) -> RenderableType:
    """A terminal report of one critique: findings grouped by rule, each quote with its line."""
    header = Text.assemble(
        (f"{critique.target_name} ", "bold"),
        (f"({critique.target})  ", "dim"),
        (f"{critique.score}/100", _score_style(critique.score)),
    )
    parts: list[RenderableType] = [
        Text(f"{critique.summary}\nProvider: {_provider(critique)}.", style="dim")
    ]
    if critique.strengths:
        parts.append(Text("\nStrengths", style="bold"))
        strengths = Table.grid(padding=(0, 1))
        strengths.add_column(no_wrap=True)
        strengths.add_column(ratio=1)
        for strength in critique.strengths:
            strengths.add_row(Text(" +", style="green"), Text(strength, style="green"))
        parts.append(strengths)
    if critique.findings:
        parts.append(Text("\nFindings", style="bold"))
    for rule, findings in _by_rule(critique.findings).items():
        parts.append(_rule_block(rule, findings))
    return Panel(Group(*parts), title=header, title_align="left")


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


def _provider(critique: Critique) -> str:
    if critique.provider == "offline":
        return "offline (tailor's built-in rubric, no API key, nothing left this machine)"
    return f"{critique.provider}:{critique.model}" if critique.model else critique.provider
