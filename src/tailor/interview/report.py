"""`tailor prep` as text (plain, for a terminal or a file) and Markdown; JSON is the model."""

from __future__ import annotations

from tailor.interview.model import Evidence, Prep, QuestionPrep
from tailor.wording import counted, markdown_escaped

MARKS = {"ready": "READY", "partial": "PARTLY READY", "gap": "GAP"}


def to_text(prep: Prep) -> str:
    """A plain-text report: each question, its mark, the points shown and missed, the lines."""
    lines = [_title(prep), _engine(prep), ""]
    for question in prep.questions:
        lines += _question_text(question)
    lines += _market_text(prep)
    return "\n".join(lines).rstrip() + "\n"


def to_markdown(prep: Prep) -> str:
    parts = [f"# {_title(prep)}\n", f"_{_engine(prep)}_\n"]
    for question in prep.questions:
        shown = f"{question.shown()} of {len(question.points)} points shown"
        parts.append(f"## {markdown_escaped(question.question)}\n")
        parts.append(f"**{MARKS[question.readiness]}** ({shown}). Asked by {question.source}.\n")
        parts.append("A strong answer covers:\n")
        for point in question.points:
            where = (
                f": {_quotemarkdown_escaped(point.evidence)}"
                if point.evidence
                else ": not in your CV"
            )
            parts.append(
                f"- [{'x' if point.shown else ' '}] {markdown_escaped(point.point)}{where}"
            )
        parts.append("")
        if question.evidence:
            parts.append("Draw your answer from:\n")
            parts += [f"- {_quotemarkdown_escaped(evidence)}" for evidence in question.evidence]
            parts.append("")
        if question.talking_points:
            parts.append("Talking points:\n")
            for talking in question.talking_points:
                advice = " _(to prepare)_" if talking.advice else ""
                parts.append(f"- {markdown_escaped(talking.text)}{advice}")
                parts += [
                    f"  - from \u201c{markdown_escaped(quote)}\u201d" for quote in talking.quotes
                ]
            parts.append("")
    if prep.market is not None:
        market = prep.market
        parts.append("## Market context\n")
        parts.append(
            f"_The role guide's figures, not advice._ {markdown_escaped(market.text())}, for "
            f'"{markdown_escaped(market.location)}". {markdown_escaped(market.caveat)}\n'
        )
    return "\n".join(parts).rstrip() + "\n"


def _title(prep: Prep) -> str:
    who = f" for {prep.target_name} ({prep.target})" if prep.target else ""
    ready = sum(1 for q in prep.questions if q.readiness == "ready")
    return f"Interview prep{who}: ready for {ready} of {len(prep.questions)} likely questions"


def _engine(prep: Prep) -> str:
    if prep.fallback:
        return f"Offline: evidence found by tailor's patterns; no talking points: {prep.fallback}."
    if prep.provider == "offline":
        return "Offline: evidence found by tailor's patterns; no talking points without an LLM."
    points = sum(len(q.talking_points) for q in prep.questions)
    dropped = prep.talking_points_dropped
    refused = f"; {dropped} more stated facts your CV does not, and were dropped"
    spent = f" ({prep.usage.spent()})" if prep.usage is not None else ""
    by = f"{prep.provider} {prep.model or ''}".strip() + spent
    if not points:
        return f"No talking points from {by}{refused if dropped else ''}."
    return (
        f"{counted(points, 'talking point')} by {by}, each checked against your "
        f"CV{refused if dropped else ''}."
    )


def _question_text(question: QuestionPrep) -> list[str]:
    shown = f"{question.shown()}/{len(question.points)}"
    lines = [f"{MARKS[question.readiness]} ({shown})  {question.question}"]
    lines.append(f"  asked by {question.source}")
    for point in question.points:
        mark, missing = ("+", "") if point.shown else ("-", "  (not in your CV)")
        lines.append(f"  {mark} {point.point}{missing}")
    if question.evidence:
        lines.append("  draw your answer from:")
        lines += [f"    {_quote(evidence)}" for evidence in question.evidence]
    if question.talking_points:
        lines.append("  talking points:")
        for talking in question.talking_points:
            lines.append(f"    * {talking.text}{'  (to prepare)' if talking.advice else ''}")
            lines += [f"        from \u201c{quote}\u201d" for quote in talking.quotes]
    return [*lines, ""]


def _market_text(prep: Prep) -> list[str]:
    market = prep.market
    if market is None:
        return []
    return [
        "Market context (the role guide's figures, not advice)",
        f'  {market.text()}, for "{market.location}". {market.caveat}',
    ]


def _quote(evidence: Evidence) -> str:
    where = f"line {evidence.line}: " if evidence.line else ""
    return f"{where}\u201c{evidence.quote}\u201d"


def _quotemarkdown_escaped(evidence: Evidence) -> str:
    where = f"line {evidence.line}: " if evidence.line else ""
    return f"{where}\u201c{markdown_escaped(evidence.quote)}\u201d"
