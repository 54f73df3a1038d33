"""Critique reports for people: rich text for the terminal, and Markdown.

Each target's score, verdict and the three findings that matter most come first; the rest
follows, each rule in one line (`full=False`) or every finding in full. With several targets,
a table of scores leads, and the findings and strengths every target shares are shown once.
The provider is named once for the whole report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tailor.critic.model import Critique, Finding
from tailor.critic.provenance import held_back, model_score_note, provider_line
from tailor.posting.model import Coverage, RequirementCoverage
from tailor.rules import SEVERITY_ORDER
from tailor.wording import counted, markdown_escaped

TOP = 3  # findings shown first, in full, for each target
ALL_HINT = "--all shows every finding in full."
_SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}


def top_findings(findings: list[Finding], count: int = TOP) -> list[Finding]:
    """The findings that matter most: by severity, then the points fixing them adds (a
    model's findings, without points, last), then line order."""
    ranked = sorted(
        findings,
        key=lambda f: (
            SEVERITY_ORDER[f.severity],
            f.points is None,
            -(f.points or 0),
            f.line if f.line is not None else 10**9,
        ),
    )
    return ranked[:count]


@dataclass(frozen=True)
class _Layout:
    """What goes where: each target's top findings, then the rest, where what every target
    shares is shown once."""

    top: dict[str, list[Finding]]  # by target id
    shared: list[Finding]  # the rest, the same for every target
    own: dict[str, list[Finding]]  # the rest, each target's own
    strengths: list[str]  # every target's
    own_strengths: dict[str, list[str]]
    # where each top finding is first shown in full: that target's id and name
    above: dict[str, tuple[str, str]]


def _layout(critiques: list[Critique]) -> _Layout:
    top = {c.target: top_findings(c.findings) for c in critiques}
    shown = {c.target: {_same(f) for f in top[c.target]} for c in critiques}
    above: dict[str, tuple[str, str]] = {}
    for critique in critiques:
        for key in shown[critique.target]:
            above.setdefault(key, (critique.target, critique.target_name))
    if len(critiques) < 2:
        own = {
            c.target: [f for f in c.findings if _same(f) not in shown[c.target]] for c in critiques
        }
        return _Layout(top, [], own, [], {c.target: c.strengths for c in critiques}, above)
    first, *others = critiques
    # the same finding for every target (its points differ with each target's weights)
    keys = [{_same(f) for f in other.findings} for other in others]
    common = {_same(f) for f in first.findings if all(_same(f) in found for found in keys)}
    # a shared finding stays in the shared part unless every target showed it first
    shared = [
        f
        for f in first.findings
        if _same(f) in common and not all(_same(f) in seen for seen in shown.values())
    ]
    own = {
        c.target: [
            f for f in c.findings if _same(f) not in common and _same(f) not in shown[c.target]
        ]
        for c in critiques
    }
    strengths = [s for s in first.strengths if all(s in o.strengths for o in others)]
    own_strengths = {c.target: [s for s in c.strengths if s not in strengths] for c in critiques}
    return _Layout(top, shared, own, strengths, own_strengths, above)


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


def _worth(finding: Finding) -> str:
    """ "line 21; fixing it adds 2 points", as much of it as is known."""
    parts = [_where(finding)] if finding.quote else []
    if finding.points:
        parts.append(f"fixing it adds {counted(finding.points, 'point')}")
    return "; ".join(parts)


def compact(rule: str, findings: list[Finding]) -> str:
    """One rule's findings in one line: "missing-metrics (medium): 5 lines (20, 21, 31)"."""
    first = findings[0]
    numbers = [f.line for f in findings if f.line is not None]
    lines = [str(n) for n in sorted(set(numbers))]
    if len(findings) == 1:
        where = _where(first)
    elif len(numbers) == len(findings) and len(lines) == len(findings):
        where = f"{len(lines)} lines ({', '.join(lines)})"
    elif len(numbers) == len(findings):  # several findings on one line (a posting's)
        where = f"{len(findings)} findings ({', '.join(f'line {n}' for n in lines)})"
    else:
        places = dict.fromkeys(
            f"line {f.line}" if f.line else f.section or "whole CV" for f in findings
        )
        where = f"{len(findings)} findings ({', '.join(places)})"
    items = [item for f in findings for item in f.items]
    return f"{rule} ({first.severity}): {where}" + (f": {', '.join(items)}" if items else "")


def _hidden(layout: _Layout, full: bool) -> bool:
    """Whether the report shows some finding in one line only."""
    return not full and bool(layout.shared or any(layout.own.values()))


# -- terminal -------------------------------------------------------------------------------


def to_rich(critiques: list[Critique], *, boxed: bool = True, full: bool = False) -> RenderableType:
    """A terminal report: each target's score, verdict and top three findings first, then the
    rest, each rule in one line (every finding in full with `full=True`). `boxed=False` gives
    a plain layout for files and pipes."""
    layout = _layout(critiques)
    several = len(critiques) > 1
    parts: list[RenderableType] = []
    if several:
        parts.append(_score_table(critiques))
    for critique in critiques:
        header = Text.assemble(
            (f"{critique.target_name} ", "bold"),
            (f"({critique.target})  ", "dim"),
            (f"{critique.score}/100", _score_style(critique.score)),
            (model_score_note(critique), "dim"),
        )
        body = _verdict(critique, layout)
        if boxed:
            parts.append(Panel(body, title=header, title_align="left"))
        else:
            parts.append(Group(Text("\n") + header, body))
    coverage = critiques[0].coverage if critiques else None
    if coverage is not None:
        parts.append(Text(""))
        parts.append(_coverage_table(coverage))
    if layout.strengths:
        parts.append(_strengths("Strengths for every target", layout.strengths))
    if layout.shared:
        parts.append(Text("\nOther findings for every target", style="bold"))
        parts.append(_findings(layout.shared, full))
    for critique in critiques:
        name = f" for {critique.target_name} ({critique.target})" if several else ""
        strengths = layout.own_strengths[critique.target]
        if strengths:
            parts.append(
                _strengths(f"Strengths{' also' if layout.strengths else ''}{name}", strengths)
            )
        own = layout.own[critique.target]
        if own:
            parts.append(Text(f"\nOther findings{name}", style="bold"))
            parts.append(_findings(own, full))
    market = critiques[0].market if critiques else None
    if market is not None:
        parts.append(
            Text.assemble(
                ("\nMarket context ", "bold"),
                ("(the role guide's figures, not advice)\n", "dim"),
                f'{market.text()}, for "{market.location}". {market.caveat}',
            )
        )
    if critiques:
        parts.append(Text("\n" + provider_line(critiques), style="dim"))
    if _hidden(layout, full):
        parts.append(Text(ALL_HINT, style="dim"))
    return Group(*parts)


def _verdict(critique: Critique, layout: _Layout) -> Group:
    """The verdict, what tailor held back from the model, and the findings that matter most."""
    parts: list[RenderableType] = [Text(critique.summary)]
    parts.extend(Text(line, style="yellow") for line in held_back(critique))
    for finding in layout.top[critique.target]:
        parts.append(_finding_block(finding, _shown_for(critique, finding, layout)))
    if not layout.top[critique.target]:
        parts.append(Text("No findings.", style="green"))
    return Group(*parts)


def _shown_for(critique: Critique, finding: Finding, layout: _Layout) -> str | None:
    """The earlier target whose top findings show this one in full, if any."""
    target, name = layout.above[_same(finding)]
    return None if target == critique.target else name


def _finding_block(finding: Finding, shown_for: str | None = None) -> RenderableType:
    """One finding in full (its severity, rule and worth, the quote, the message and the fix),
    or only its quote when it is shown in full above, for the target `shown_for`."""
    title = Text.assemble(
        "\n",
        (f"{finding.severity.upper()} ", _SEVERITY_STYLE[finding.severity]),
        (finding.rule, "bold"),
    )
    worth = _worth(finding)
    if worth:
        title.append(f"  ({worth})", style="dim")
    body = Text()
    if finding.quote:
        body.append(f"\u201c{finding.quote}\u201d" + ("" if shown_for else "\n"), style="italic")
    if shown_for:
        body.append(f"{' ' if finding.quote else ''}As above, for {shown_for}.", style="dim")
    else:
        body.append(f"{finding.message}\n")
        body.append("Fix: ", style="bold")
        body.append(finding.suggestion)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row("", body)
    return Group(title, grid)


def _strengths(title: str, strengths: list[str]) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for strength in strengths:
        grid.add_row(Text(" +", style="green"), Text(strength, style="green"))
    return Group(Text(f"\n{title}", style="bold"), grid)


def _findings(findings: list[Finding], full: bool) -> RenderableType:
    """Findings by rule: in full, or one line a rule."""
    groups = _by_rule(findings)
    if full:
        return Group(*(_rule_block(rule, found) for rule, found in groups.items()))
    lines = Table.grid(padding=(0, 1))
    lines.add_column(no_wrap=True)
    lines.add_column(ratio=1)
    for rule, found in groups.items():
        severity = found[0].severity
        lines.add_row(Text(" -", style=_SEVERITY_STYLE[severity]), Text(compact(rule, found)))
    return lines


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
        f"Job posting: {coverage.posting}. tailor found no requirements in it (it looks for "
        "sentences and list items that ask something of you: 'you have', 'must', 'a plus'); "
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
    for severity in SEVERITY_ORDER:
        table.add_column(severity, justify="right")
    for critique in critiques:
        counts = [sum(1 for f in critique.findings if f.severity == s) for s in SEVERITY_ORDER]
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


def to_markdown(critiques: list[Critique], *, full: bool = True) -> str:
    """A Markdown report of one or more critiques, in the order of `to_rich`; every finding in
    full unless `full=False`. Quotes are escaped so they stay verbatim."""
    layout = _layout(critiques)
    several = len(critiques) > 1
    heading = "##" if several else "#"
    parts: list[str] = []
    if several:
        parts += ["# CV critique\n", *_markdown_scores(critiques), ""]
    for critique in critiques:
        parts.append(
            f"{heading} {critique.target_name} ({critique.target}): "
            f"{critique.score}/100{model_score_note(critique)}\n"
        )
        parts.append(f"{markdown_escaped(critique.summary)}\n")
        parts += [f"{markdown_escaped(line)}\n" for line in held_back(critique)]
        top = layout.top[critique.target]
        parts += [_markdown_finding(f, _shown_for(critique, f, layout)) for f in top]
        parts += [] if top else ["No findings."]
        parts.append("")
    coverage = critiques[0].coverage if critiques else None
    if coverage is not None:
        parts += _markdown_coverage(coverage, level=2)
    if layout.strengths:
        parts += _markdown_strengths("## Strengths for every target", layout.strengths)
    if layout.shared:
        parts.append("## Other findings for every target\n")
        parts += _markdown_findings(layout.shared, level=3, full=full)
    for critique in critiques:
        name = (
            f" for {markdown_escaped(critique.target_name)} ({critique.target})" if several else ""
        )
        strengths = layout.own_strengths[critique.target]
        if strengths:
            also = " also" if layout.strengths else ""
            parts += _markdown_strengths(f"## Strengths{also}{name}", strengths)
        own = layout.own[critique.target]
        if own:
            parts.append(f"## Other findings{name}\n")
            parts += _markdown_findings(own, level=3, full=full)
    market = critiques[0].market if critiques else None
    if market is not None:
        parts += [
            "## Market context\n",
            f"_The role guide's figures, not advice._ {markdown_escaped(market.text())}, for "
            f'"{markdown_escaped(market.location)}". {markdown_escaped(market.caveat)}\n',
        ]
    if critiques:
        parts.append(f"_{markdown_escaped(provider_line(critiques))}_\n")
    if _hidden(layout, full):
        parts.append(f"_{markdown_escaped(ALL_HINT)}_\n")
    return "\n".join(parts).rstrip() + "\n"


def _markdown_scores(critiques: list[Critique]) -> list[str]:
    by_model = any(c.model_score is not None for c in critiques)
    lines = [
        f"| target | score |{' model |' if by_model else ''} high | medium | low |",
        f"|---|--:|{'--:|' if by_model else ''}--:|--:|--:|",
    ]
    for critique in critiques:
        counts = [sum(1 for f in critique.findings if f.severity == s) for s in SEVERITY_ORDER]
        model = [_or_dash(critique.model_score)] if by_model else []
        lines.append(
            f"| {critique.target_name} ({critique.target}) | {critique.score} | "
            + " | ".join([*model, *map(str, counts)])
            + " |"
        )
    return lines


def _markdown_finding(finding: Finding, shown_for: str | None = None) -> str:
    """One finding as a list item: severity, rule, worth, quote, then the message and fix, or
    a pointer to the target `shown_for` above, which shows them."""
    worth = _worth(finding)
    quote = f"\u201c{markdown_escaped(finding.quote)}\u201d " if finding.quote else ""
    item = f"- **{finding.severity}** `{finding.rule}`{f' ({worth})' if worth else ''}: {quote}"
    if shown_for:
        return f"{item}_As above, for {markdown_escaped(shown_for)}._"
    return f"{item}{markdown_escaped(finding.message)}\n  - Fix: {markdown_escaped(finding.suggestion)}"


def _markdown_strengths(heading: str, strengths: list[str]) -> list[str]:
    return [f"{heading}\n", *(f"- {markdown_escaped(strength)}" for strength in strengths), ""]


def _markdown_coverage(coverage: Coverage, *, level: int) -> list[str]:
    if not coverage.requirements:
        return [markdown_escaped(_no_requirements(coverage)) + "\n"]
    lines = [
        f"{'#' * level} Job posting: {markdown_escaped(coverage.posting)}: coverage {coverage.score}/100\n",
        "| | requirement | CV | evidence |",
        "|---|---|---|---|",
    ]
    for item in _ordered(coverage):
        evidence = f"“{markdown_escaped(item.quote)}”" if item.quote else ""
        if item.quote and item.line is not None:
            evidence += f" (line {item.line})"
        gaps = _gaps(item)
        if gaps:
            evidence += ("; " if evidence else "") + markdown_escaped(gaps)
        lines.append(
            f"| {item.requirement.kind} | {markdown_escaped(item.requirement.text)} | "
            f"{_STATUS_WORDS[item.status]} | {evidence} |"
        )
    lines.append("")
    if coverage.keywords_missing:
        lines += [
            f"Named in the posting, not in your CV: {markdown_escaped(', '.join(coverage.keywords_missing))}\n"
        ]
    if coverage.ignored:
        lines += [_ignored_note(coverage) + "\n"]
    return lines


def _markdown_findings(findings: list[Finding], *, level: int, full: bool) -> list[str]:
    """Findings by rule: a heading a rule with each finding in full, or one line a rule."""
    groups = _by_rule(findings)
    if not full:
        return [
            *(f"- {markdown_escaped(compact(rule, found))}" for rule, found in groups.items()),
            "",
        ]
    lines: list[str] = []
    for rule, found in groups.items():
        lines.append(f"{'#' * level} `{rule}` ({found[0].severity})\n")
        for finding in found:
            quote = (
                f"\u201c{markdown_escaped(finding.quote)}\u201d ({_where(finding)}): "
                if finding.quote
                else ""
            )
            lines.append(
                f"- {quote}{markdown_escaped(finding.message)}\n  - Fix: {markdown_escaped(finding.suggestion)}"
            )
        lines.append("")
    return lines
