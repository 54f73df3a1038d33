"""A posting's coverage in the critique: the requirements a CV does not show as findings, and
the critique's score scaled by how much of the posting it covers."""

from __future__ import annotations

from tailor.critic.llm import merge
from tailor.critic.model import Critique, Finding
from tailor.critic.verdict import first_fix
from tailor.posting.model import Coverage, RequirementCoverage
from tailor.wording import counted

COVERAGE_SHARE = 0.4  # how much of a critique's score rides on covering the posting


def with_coverage(critique: Critique, result: Coverage) -> Critique:
    """A critique with a posting's coverage: its findings merged in, and the score scaled from
    60% (the CV shows none of the posting) to 100% (all of it) of the profile's score."""
    checkable = any(item.status != "unchecked" for item in result.requirements)
    score = critique.score
    if checkable or result.keywords_shown or result.keywords_missing:
        score = round(score * (1 - COVERAGE_SHARE + COVERAGE_SHARE * result.score / 100))
    must = [item for item in result.requirements if item.requirement.kind == "must"]
    shown = [item for item in must if item.status == "applied"]
    strengths = list(critique.strengths)
    if must and shown:
        strengths.append(
            f"Your experience shows {len(shown)} of the posting's {counted(len(must), 'must-have')}."
        )
    shown_must = f"{len(shown)} of {counted(len(must), 'must-have')} shown, " if must else ""
    merged = merge(findings(result), critique.findings)
    # the rubric's verdict names its first fix: named again from the merged findings, so a
    # must-have the CV does not show comes first when it is the most severe
    base, marker, _ = critique.summary.partition(" First fix:")
    fix = first_fix(merged) if marker else ""
    summary = (
        f"{base} Against the posting: coverage {result.score}/100, "
        f"{shown_must}so {score}/100 overall.{fix}"
    )
    return critique.model_copy(
        update={
            "score": score,
            "summary": summary,
            "findings": merged,
            "strengths": strengths,
            "posting": result.posting,
            "coverage": result,
        }
    )


def findings(result: Coverage) -> list[Finding]:
    """The critique's findings about a posting: must-haves the CV does not show (high), shows
    only in a list or in part (medium), and nice-to-haves it does not show (low)."""
    found: list[Finding] = []
    for item in result.requirements:
        requirement = item.requirement
        must = requirement.kind == "must"
        asked = (
            f"The posting {'requires' if must else 'would like'}: \u201c{requirement.text}\u201d."
        )
        if item.status == "missing":
            found.append(
                Finding(
                    rule="posting-must-missing" if must else "posting-nice-missing",
                    severity="high" if must else "low",
                    quote=None,
                    message=f"{asked} Nothing in the CV shows it{_what(item)}.",
                    suggestion="If you have done this, add a bullet under the role where you did "
                    "it, with what it achieved; if you have not, do not claim it: address the gap "
                    "in your cover letter or in the interview.",
                )
            )
        elif item.status == "listed" and must:
            found.append(
                Finding(
                    rule="posting-must-listed-only",
                    severity="medium",
                    quote=item.quote,
                    section=item.section,
                    line=item.line,
                    message=f"{asked} The CV only lists {', '.join(item.listed_only)}; no role "
                    "shows it used.",
                    suggestion="Name it in the bullet of the role where you used it, with what "
                    "it achieved; a reviewer checking this requirement reads roles, not lists.",
                )
            )
        elif item.status == "partial" and must:
            found.append(
                Finding(
                    rule="posting-must-partial",
                    severity="medium",
                    quote=item.quote,
                    section=item.section,
                    line=item.line,
                    message=f"{asked} The CV shows {', '.join(item.shown) or 'part of it'}"
                    f"{_what(item, prefix=' but not ')}.",
                    suggestion="Where you have the rest, say so in the bullet that shows the "
                    "work; where you do not, leave it out rather than stretch a line.",
                )
            )
    return found


def _what(item: RequirementCoverage, *, prefix: str = " (") -> str:
    gaps = [*item.missing, *([item.note] if item.note and item.status != "applied" else [])]
    if not gaps:
        return ""
    text = ", ".join(gaps)
    return f"{prefix}{text})" if prefix == " (" else f"{prefix}{text}"
