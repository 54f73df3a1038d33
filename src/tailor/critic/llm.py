"""The LLM critique: the model's judgement for a target, held to the CV's own words.

The model answers in `LLMCritique`. Its findings and strengths are kept only if their quote is
the CV's: a quote found verbatim stays, one that is close to a line of the CV is replaced by
that line (the model paraphrased or dropped a character), and one that matches nothing is
dropped. What the model states in its own words is checked by `tailor.grounding`: a strength
whose note states a fact that neither the CV nor the posting does is dropped, and such a
summary is replaced by the rubric's, with a note that says why. A finding's message and
suggestion are advice about a quoted line, not claims about the candidate, and are not checked.

The offline rubric runs too: its findings are merged in, so a model that overlooks a bullet
without a figure does not hide it, and its score is the headline, the model's shown beside it
(small models give every CV the same score).
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tailor.critic.model import Critique, Finding
from tailor.critic.rubric import critique_offline
from tailor.cv.layout import plain
from tailor.cv.lines import experience_lines
from tailor.cv.model import CV
from tailor.grounding import FactKind, stated_by, unsupported_in
from tailor.llm.client import LLMClient
from tailor.posting.model import JobPosting
from tailor.privacy import redaction_for
from tailor.prompts import ID_PREFIX, task_messages
from tailor.rules import SEVERITY_ORDER, rubric
from tailor.targets import CompanyProfile
from tailor.wording import joined

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


class LLMStrength(BaseModel):
    """A strength as the model writes it: the CV's line that shows it, and what it shows."""

    model_config = ConfigDict(extra="forbid")

    quote: str
    note: str


class LLMCritique(BaseModel):
    """The model's critique of one CV for one target."""

    model_config = ConfigDict(extra="forbid")

    score: int
    summary: str
    findings: list[LLMFinding]
    strengths: list[LLMStrength]


def critique_llm(
    cv: CV, profile: CompanyProfile, client: LLMClient, posting: JobPosting | None = None
) -> Critique:
    """Critique `cv` for `profile` (and `posting`) with the model behind `client`, the
    rubric merged in and its score the headline."""
    messages = task_messages("critique", cv, profile, posting)
    result = client.generate(
        messages, LLMCritique, private=redaction_for(cv) if client.settings.redacts else None
    )
    answer = result.value
    offline = critique_offline(cv, profile)
    findings, repaired, dropped = ground_quotes(cv, answer.findings)
    sources = fact_sources(cv, profile, posting)
    strengths, strengths_repaired, strengths_dropped = ground_strengths(
        cv_lines(cv), answer.strengths, sources
    )
    summary, replaced = checked_summary(answer.summary, offline.summary, sources, posting)
    return Critique(
        target=profile.id,
        target_name=profile.name,
        provider=client.settings.provider,
        model=result.usage.model,
        score=offline.score,
        model_score=max(0, min(100, answer.score)),
        summary=summary,
        summary_replaced=replaced,
        findings=merge(findings, offline.findings),
        strengths=list(dict.fromkeys([*strengths, *offline.strengths])),
        usage=result.usage,
        quotes_repaired=repaired + strengths_repaired,
        quotes_dropped=dropped,
        strengths_dropped=strengths_dropped,
    )


def ground_quotes(cv: CV, findings: list[LLMFinding]) -> tuple[list[Finding], int, int]:
    """The findings whose quotes are the CV's (repaired to the nearest line where close), and
    how many were repaired and dropped."""
    lines = cv_lines(cv)
    kept: list[Finding] = []
    repaired = dropped = 0
    for finding in findings:
        quote, fixed = grounded_quote(finding.quote, lines)
        if quote is None:
            dropped += 1
            continue
        repaired += fixed
        kept.append(_finding(cv, finding, quote or None))
    unique = list({(f.rule, _key(f.quote)): f for f in reversed(kept)}.values())[::-1]
    return unique, repaired, dropped


def ground_strengths(
    lines: list[str], strengths: list[LLMStrength], sources: list[str]
) -> tuple[list[str], int, int]:
    """The strengths whose quote is a line of the CV (repaired where close) and whose note
    states only what `sources` do, worded as the rubric words its own; and how many quotes
    were repaired and how many strengths dropped."""
    kept: list[str] = []
    repaired = dropped = 0
    for strength in strengths:
        quote, fixed = grounded_quote(strength.quote, lines)
        note = strength.note.strip().rstrip(" .:;")
        if not quote or not note or unsupported_in(note, sources):
            dropped += 1
            continue
        repaired += fixed
        kept.append(f'{note}: "{quote}"')
    return list(dict.fromkeys(kept)), repaired, dropped


def grounded_quote(quote: str, lines: list[str]) -> tuple[str | None, bool]:
    """The CV's own text for a model's quote, and whether it was repaired: the quote when a
    line holds it verbatim, else the line it is close to; None when it names no line. An
    empty quote stays empty: a finding about the CV as a whole."""
    quote = ID_PREFIX.sub("", quote).strip().strip('"“”')
    if not quote:
        return "", False
    if len(quote) < MIN_QUOTE:
        return None, False
    if any(quote in line for line in lines):
        return quote, False
    close = difflib.get_close_matches(quote, lines, n=1, cutoff=REPAIR_CUTOFF)
    return (close[0], True) if close else (None, False)


def fact_sources(cv: CV, profile: CompanyProfile, posting: JobPosting | None) -> list[str]:
    """What a sentence of the model may state: the CV (its lines and every field), the
    posting, the target's name, and the words a critique uses for the document itself."""
    stated = stated_by(cv, *((posting.title, posting.company, posting.text) if posting else ()))
    return [*stated, profile.name, " ".join(rubric()["critique_words"])]


def checked_summary(
    summary: str, offline: str, sources: list[str], posting: JobPosting | None
) -> tuple[str, str | None]:
    """The model's summary when `sources` state every fact of it; else the rubric's, and a
    note that says what the model's stated."""
    text = summary.strip()
    if not text:
        return offline, None
    unsupported = unsupported_in(text, sources)
    if not unsupported:
        return text, None
    where = "neither your CV nor the job posting does" if posting else "your CV does not"
    return offline, (
        f"The model's summary named {_listed(_phrases(text, unsupported))}, which {where}; "
        "tailor's own summary is shown."
    )


def merge(llm: list[Finding], offline: list[Finding]) -> list[Finding]:
    """The model's findings, then the rubric's that say something new (by rule and quote),
    ordered by severity."""
    # the rubric's one finding for a list (the skills never shown) stands for the model's
    # findings on its items, so the report says it once
    listed = {(f.rule, _key(item)) for f in offline for item in f.items}
    llm = [f for f in llm if (f.rule, _key(f.quote)) not in listed]
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


def _phrases(text: str, facts: list[tuple[FactKind, str]]) -> list[str]:
    """The unsupported facts as the sentence groups them: "Google" and "DeepMind" side by
    side are "Google DeepMind"."""
    spans: list[tuple[int, int]] = []
    unplaced: list[str] = []
    for value in dict.fromkeys(value for _, value in facts):
        start = text.find(value)
        if start < 0:
            unplaced.append(value)
        else:
            spans.append((start, start + len(value)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return [text[start:end] for start, end in merged] + unplaced


def _listed(phrases: list[str], most: int = 3) -> str:
    """ "'a', 'b' and 'c'", with how many more when there are more than `most`."""
    quoted = [f"'{phrase}'" for phrase in phrases[:most]]
    if len(phrases) > most:
        quoted.append(f"{len(phrases) - most} more")
    return joined(quoted)


def _unmarked(line: str) -> str:
    """A source line without its list marker or Markdown emphasis."""
    return re.sub(r"^\s*(?:[-*•·]|\d{1,2}[.)]|#{1,6})\s+", "", line).replace("**", "").strip()


def _key(quote: str | None) -> str:
    return re.sub(r"\W+", " ", quote or "").strip().lower()
