"""The LLM critique: the model's judgement for a target, held to the CV's own words.

The model answers in `LLMCritique`. Its findings are kept only if their quote is the CV's:
a quote found verbatim stays, one that is close to a line of the CV is replaced by that line
(the model paraphrased or dropped a character), and one that matches nothing is dropped. The
offline rubric runs too and its findings are merged in, so a model that overlooks a bullet
without a figure does not hide it.
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tailor.critic.model import Critique, Finding
from tailor.critic.rubric import SEVERITY_ORDER, critique_offline, experience_lines
from tailor.cv.model import CV
from tailor.llm.client import LLMClient
from tailor.posting.model import JobPosting
from tailor.privacy import redaction_for
from tailor.prompts import ID_PREFIX, task_messages
from tailor.renderers.layout import plain
from tailor.targets import CompanyProfile

REPAIR_CUTOFF = 0.75  # how close (difflib ratio) a quote must be to a CV line to stand for it
MIN_QUOTE = 12  # characters: a shorter quote ("a", "SQL") points at no line in particular


class LLMFinding(BaseModel):
    """A finding as the model writes it (every field required, for strict schemas)."""

    model_config = ConfigDict(extra="forbid")

    rule: str
    severity: Literal["high", "medium", "low"]
    quote: str
    message: str
    suggestion: str


class LLMCritique(BaseModel):
    """The model's critique of one CV for one target."""

    model_config = ConfigDict(extra="forbid")

    score: int
    summary: str
    findings: list[LLMFinding]
    strengths: list[str]


def critique_llm(
    cv: CV, profile: CompanyProfile, client: LLMClient, posting: JobPosting | None = None
) -> Critique:
    """Critique `cv` for `profile` (and `posting`) with the model behind `client`, the
    rubric merged in."""
    messages = task_messages("critique", cv, profile, posting)
    result = client.generate(
        messages, LLMCritique, private=redaction_for(cv) if client.settings.redacts else None
    )
    answer = result.value
    offline = critique_offline(cv, profile)
    findings, repaired, dropped = ground_quotes(cv, answer.findings)
    return Critique(
        target=profile.id,
        target_name=profile.name,
        provider=client.settings.provider,
        model=result.usage.model,
        score=max(0, min(100, answer.score)),
        summary=answer.summary.strip() or offline.summary,
        findings=merge(findings, offline.findings),
        strengths=list(dict.fromkeys([*answer.strengths, *offline.strengths])),
        usage=result.usage,
        quotes_repaired=repaired,
        quotes_dropped=dropped,
    )


def ground_quotes(cv: CV, findings: list[LLMFinding]) -> tuple[list[Finding], int, int]:
    """The findings whose quotes are the CV's (repaired to the nearest line where close), and
    how many were repaired and dropped."""
    lines = cv_lines(cv)
    kept: list[Finding] = []
    repaired = dropped = 0
    for finding in findings:
        quote = ID_PREFIX.sub("", finding.quote).strip().strip('"“”')
        if quote and len(quote) < MIN_QUOTE:
            dropped += 1
            continue
        if quote and not any(quote in line for line in lines):
            close = difflib.get_close_matches(quote, lines, n=1, cutoff=REPAIR_CUTOFF)
            if not close:
                dropped += 1
                continue
            quote = close[0]
            repaired += 1
        kept.append(_finding(cv, finding, quote or None))
    unique = list({(f.rule, _key(f.quote)): f for f in reversed(kept)}.values())[::-1]
    return unique, repaired, dropped


def merge(llm: list[Finding], offline: list[Finding]) -> list[Finding]:
    """The model's findings, then the rubric's that say something new (by rule and quote),
    ordered by severity."""
    seen = {(f.rule, _key(f.quote)) for f in llm}
    extra = [f for f in offline if (f.rule, _key(f.quote)) not in seen]
    return sorted([*llm, *extra], key=lambda f: SEVERITY_ORDER[f.severity])


def cv_lines(cv: CV) -> list[str]:
    """Every line of the CV a finding may quote: its source text, and its parsed lines."""
    lines: list[str] = []
    if cv.origin is not None and cv.origin.text:
        lines += [_unmarked(line) for line in cv.origin.text.splitlines()]
    lines += [plain(line.text) for line in experience_lines(cv)]
    lines += [plain(bullet.text) for bullet in cv.bullets()]
    if cv.basics.summary:
        lines.append(cv.basics.summary)
    lines += [", ".join(skill.keywords) for skill in cv.skills]
    return [line for line in dict.fromkeys(lines) if line.strip()]


def _finding(cv: CV, finding: LLMFinding, quote: str | None) -> Finding:
    bullet = next((b for b in cv.bullets() if quote and quote in plain(b.text)), None)
    origin = cv.origin
    line = bullet.source.line if bullet is not None and bullet.source is not None else None
    if line is None and origin is not None and quote:
        line = origin.line_of(quote)
    return Finding(
        rule=finding.rule.strip() or "llm",
        severity=finding.severity,
        quote=quote,
        section=bullet.source.section if bullet and bullet.source else None,
        line=line,
        message=finding.message.strip(),
        suggestion=finding.suggestion.strip(),
    )


def _unmarked(line: str) -> str:
    """A source line without its list marker or Markdown emphasis."""
    return re.sub(r"^\s*(?:[-*•·]|\d{1,2}[.)]|#{1,6})\s+", "", line).replace("**", "").strip()


def _key(quote: str | None) -> str:
    return re.sub(r"\W+", " ", quote or "").strip().lower()
