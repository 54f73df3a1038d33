"""How a rewrite is shown: its change log, and a diff of the source and tailored CV."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterator

from rich.text import Text

from tailor.cv.layout import source_order
from tailor.cv.model import CV
from tailor.renderers.markdown import to_markdown
from tailor.rewriter.model import Change, TailoredCV
from tailor.wording import counted

_ENGINES = {"offline": "tailor's offline engine (it only selects, reorders and trims your lines)"}


def headline(tailored: TailoredCV) -> str:
    """One line: the target, the engine, the number of changes, the length and the fact check."""
    engine = _ENGINES.get(tailored.provider) or _llm_engine(tailored)
    if tailored.fallback:  # the CV did go to the model, which failed
        engine += f", because {tailored.fallback}"
    within = "within" if tailored.pages <= tailored.max_pages else "over"
    pages = f"about {tailored.pages:.1f} pages, {within} the limit of {tailored.max_pages:g}"
    facts = (
        "every fact checked against your CV: all supported"
        if not tailored.unsupported
        else f"{counted(len(tailored.unsupported), 'fact')} NOT supported by your CV (listed below)"
    )
    return (
        f"Tailored for {tailored.target_name} ({tailored.target}) by {engine}: "
        f"{counted(len(tailored.changes), 'change')}; {pages}; {facts}.{_coverage(tailored)}"
    )


def _coverage(tailored: TailoredCV) -> str:
    """ " The posting: coverage 71/100; shows 5 of its 7 must-haves; not shown: AWS, CI/CD."."""
    coverage = tailored.coverage
    if coverage is None:
        return ""
    must = [item for item in coverage.requirements if item.requirement.kind == "must"]
    shown = sum(1 for item in must if item.status == "applied")
    gaps = [s for item in must if item.status == "missing" for s in item.missing]
    text = f" The posting: coverage {coverage.score}/100"
    if must:
        text += f"; shows {shown} of its {counted(len(must), 'must-have')}"
    if gaps:
        text += f"; not shown anywhere in your CV (tailor adds nothing): {', '.join(gaps)}"
    return text + "."


def to_text(tailored: TailoredCV) -> str:
    """The change log as plain text, one change per entry, with the line it concerns."""
    lines = [headline(tailored), ""]
    for change in tailored.changes:
        lines.extend(_change_lines(change))
    for violation in tailored.unsupported:
        lines.append(
            f"  UNSUPPORTED {violation.kind} {violation.value!r} in {violation.path}: "
            f"{violation.text}"
        )
    if tailored.questions:
        lines += ["", "Questions for you (answer them in your CV yourself; tailor adds nothing):"]
        lines += [f"  - {question}" for question in tailored.questions]
    return "\n".join(lines).rstrip() + "\n"


def _llm_engine(tailored: TailoredCV) -> str:
    """ "anthropic claude-sonnet-5-5 (3200 tokens in, 800 out, $0.0140)"."""
    name = f"{tailored.provider} {tailored.model or ''}".strip()
    usage = tailored.usage
    if usage is None:
        return name
    if usage.cached:
        return f"{name} (answered from tailor's response cache)"
    return f"{name} ({usage.spent()})"


def to_markdown_log(tailored: TailoredCV) -> str:
    """The change log as Markdown: a headline and a table."""
    rows = ["| change | section | line | your text | why |", "|---|---|---|---|---|"]
    for change in tailored.changes:
        quote = (change.quote or "").replace("|", "\\|")
        reason = change.reason.replace("|", "\\|")
        line = str(change.line) if change.line is not None else ""
        rows.append(f"| {change.kind} | {change.section} | {line} | {quote} | {reason} |")
    unsupported = [
        f"- **unsupported {v.kind}** `{v.value}` in `{v.path}`" for v in tailored.unsupported
    ]
    body = "\n".join(rows) if tailored.changes else "No changes."
    questions = ["**Questions for you:**\n" + "\n".join(f"- {q}" for q in tailored.questions)]
    parts = [headline(tailored), body, *unsupported, *(questions if tailored.questions else [])]
    return "\n\n".join(parts) + "\n"


def _change_lines(change: Change) -> Iterator[str]:
    where = f"line {change.line}" if change.line is not None else change.section
    quote = change.quote or ""
    shown = quote if len(quote) <= 90 else quote[:87].rstrip() + "..."
    yield f"  {change.kind:<9} {where:<10} {shown}"
    yield f"  {'':<9} {'':<10} {change.reason}"


MOVED = "\u2195"  # ↕
DIFF_LEGEND = (
    f"-  left out   +  added   {MOVED}  moved: the same line in a new place, nothing removed "
    "(line numbers as the @@ lines count them)"
)
_HUNK = re.compile(r"^@@ -(\d+)")


def diff(source: CV, tailored: TailoredCV) -> Text:
    """The source CV and the tailored CV, both as Markdown, line by line: removed lines red
    with '-', added green with '+', and a line that only moved dim with '↕' where it now
    stands, the first of a moved block saying the line it came from; a legend line first."""
    before = to_markdown(source, source_order(source) or None).splitlines()
    after = to_markdown(tailored.cv, tailored.section_order).splitlines()
    removed = set(before) - set(after)
    added = set(after) - set(before)
    lines = list(difflib.unified_diff(before, after, "your CV", "tailored", n=1, lineterm=""))
    origins = _removed_at(lines)  # where each line that left its place stood
    text = Text()
    last: int | None = None  # the source line of the moved line shown last
    for line in lines:
        if line.startswith(("---", "+++")):
            text.append(line + "\n", style="bold")
            if line.startswith("+++"):
                text.append(DIFF_LEGEND + "\n", style="dim")
        elif line.startswith("-") and line[1:] not in removed:
            continue  # a line that only moved is shown once, where it went
        elif not line[1:].strip():
            text.append("\n")  # a blank line that moved with its section
        elif line.startswith("+") and line[1:] not in added:
            came_from = origins[line[1:]].pop(0) if origins.get(line[1:]) else None
            text.append(MOVED, style="bold cyan")
            text.append(line[1:], style="dim")
            if came_from is not None and not _continues(before, last, came_from):
                text.append(f"  [moved from line {came_from}]", style="cyan")
            text.append("\n")
            last = came_from
        else:  # a hunk's head, a line left out or added, or one unchanged around them
            style = {"@": "cyan", "-": "red", "+": "green"}.get(line[0], "")
            text.append(line + "\n", style=style)
            last = None
    if not text.plain:
        text.append("No differences: the CV already suits this target as it is.\n")
    return text


def _removed_at(lines: list[str]) -> dict[str, list[int]]:
    """The 1-based source line of each '-' line of a unified diff, by its text."""
    at: dict[str, list[int]] = defaultdict(list)
    number = 0
    for line in lines:
        hunk = _HUNK.match(line)
        if hunk:
            number = int(hunk.group(1))
        elif line.startswith(("---", "+++", "+")):
            continue
        else:  # a removed or a context line
            if line.startswith("-"):
                at[line[1:]].append(number)
            number += 1
    return at


def _continues(before: list[str], last: int | None, line: int) -> bool:
    """Whether source line `line` follows source line `last` with only blank lines between:
    the same block moved, said once at its first line."""
    if last is None or line <= last:
        return False
    return all(not before[i - 1].strip() for i in range(last + 1, line))
