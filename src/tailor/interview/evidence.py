"""The offline reading: for each likely question, the CV lines that show each point a strong
answer covers, matched by patterns (`data/interview.yaml`, a target's `interview`, and the
skills a posting's must-haves name)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tailor.cv.lines import Line, experience_lines, has_metric
from tailor.cv.model import CV
from tailor.interview.model import Evidence, PointCheck, Prep, QuestionPrep, Readiness
from tailor.market import market_for
from tailor.posting.model import JobPosting
from tailor.profile_patterns import Matcher, compiled
from tailor.resources import load_yaml, package_data
from tailor.skills import skill_pattern
from tailor.targets import CompanyProfile, InterviewQuestion

READY_SHARE = 0.6  # of the points shown, for "ready"
EVIDENCE_LINES = 3  # lines quoted per question
POSTING_QUESTIONS = 3  # must-haves of a posting turned into questions
BULLET = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+")


@dataclass(frozen=True)
class _Point:
    text: str
    patterns: tuple[Matcher, ...]
    exclude: tuple[Matcher, ...] = ()


@dataclass(frozen=True)
class _Question:
    id: str
    question: str
    source: str
    points: tuple[_Point, ...]
    requires: tuple[Matcher, ...] = ()
    all_points: bool = False  # "ready" only when every point is shown (a posting's skills)


@cache
def _guide() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(package_data("interview.yaml").read_text(encoding="utf-8"))
    return data


def guide_questions() -> list[InterviewQuestion]:
    """The role guide's five most-asked questions, in tailor's words."""
    return [InterviewQuestion.model_validate(q) for q in _guide()["questions"]]


def questions_for(
    profile: CompanyProfile | None = None, posting: JobPosting | None = None
) -> list[_Question]:
    """The guide's questions, then the target's own, then the posting's must-haves."""
    questions = [_from_data(q, "the role guide") for q in guide_questions()]
    if profile is not None:
        questions += [_from_data(q, profile.name) for q in profile.interview]
    if posting is not None:
        asked = [r for r in posting.must() if r.skills][:POSTING_QUESTIONS]
        for number, requirement in enumerate(asked, start=1):
            points = tuple(
                _Point(skill, (pattern,))
                for skill in requirement.skills
                if (pattern := skill_pattern(skill)) is not None
            )
            if points:
                asks = requirement.asked()
                question = f"The posting asks for: {asks}. Where have you done that?"
                source = f"the job posting ({posting.label})"
                questions.append(
                    _Question(f"posting-{number}", question, source, points, all_points=True)
                )
    return questions


def prep_offline(
    cv: CV, profile: CompanyProfile | None = None, posting: JobPosting | None = None
) -> Prep:
    """Each likely question with the CV's evidence, the points shown and missed, a mark."""
    # what a candidate did: not the titles of their papers
    lines = [line for line in experience_lines(cv) if line.section != "publications"]
    return Prep(
        target=profile.id if profile else None,
        target_name=profile.name if profile else None,
        questions=[assess(question, lines, cv) for question in questions_for(profile, posting)],
        market=market_for(cv),
    )


def assess(question: _Question, lines: list[Line], cv: CV | None = None) -> QuestionPrep:
    """How the CV's lines answer one question."""
    about = [
        line
        for line in lines
        if not question.requires or any(p.search(line.text) for p in question.requires)
    ]
    shows = {
        index: [point for point in question.points if _shows(line.text, point)]
        for index, line in enumerate(about)
    }
    # the lines that show most of the answer first, then measured ones
    order = sorted(
        (i for i in shows if shows[i]),
        key=lambda i: (-len(shows[i]), not has_metric(about[i].text), i),
    )
    checks = []
    for point in question.points:
        first = next((about[i] for i in order if point in shows[i]), None)
        checks.append(
            PointCheck(point=point.text, shown=first is not None, evidence=_evidence(first, cv))
        )
    evidence: list[Evidence] = []
    for index in order:
        found = _evidence(about[index], cv)
        if found is not None and all(_key(found) != _key(e) for e in evidence):
            evidence.append(found)
        if len(evidence) == EVIDENCE_LINES:
            break
    shown = sum(1 for check in checks if check.shown)
    return QuestionPrep(
        id=question.id,
        question=question.question,
        source=question.source,
        readiness=_readiness(shown, len(checks), question.all_points),
        points=checks,
        evidence=evidence,
    )


def _readiness(shown: int, total: int, all_points: bool = False) -> Readiness:
    needed = 1.0 if all_points else READY_SHARE
    if total and shown / total >= needed:
        return "ready"
    return "partial" if shown else "gap"


def _shows(text: str, point: _Point) -> bool:
    if any(pattern.search(text) for pattern in point.exclude):
        return False
    return any(pattern.search(text) for pattern in point.patterns)


# the formats whose line in the file is the text itself; a JSON or YAML line holds a value
# with its syntax around it (quotes, a key, a comma) or only the first part of a folded one
LINE_FORMATS = ("markdown", "text")


def _evidence(line: Line | None, cv: CV | None) -> Evidence | None:
    """The line as the user wrote it in their Markdown or text file (without its bullet mark),
    where tailor knows the line; else as read (a JSON or YAML value), with its line."""
    if line is None:
        return None
    origin = cv.origin if cv is not None else None
    if (
        line.line is not None
        and origin is not None
        and origin.format in LINE_FORMATS
        and origin.text
        and origin.text_is_file
    ):
        source = origin.text.splitlines()
        written = source[line.line - 1] if line.line <= len(source) else ""
        quote = BULLET.sub("", written).strip()
        if quote and _same_line(quote, line.text):
            return Evidence(quote=quote, line=line.line, section=line.section)
    return Evidence(quote=line.text, line=line.line, section=line.section)


def _same_line(written: str, read: str) -> bool:
    """Whether the file's line is the one read (its words), not a neighbour."""
    words = re.findall(r"\w+", read.lower())[:4]
    return all(word in written.lower() for word in words)


def _key(evidence: Evidence) -> object:
    return evidence.line if evidence.line is not None else evidence.quote


def _from_data(question: InterviewQuestion, source: str) -> _Question:
    points = tuple(
        _Point(p.point, _compiled(p.patterns), _compiled(p.exclude)) for p in question.points
    )
    return _Question(
        question.id, question.question, source, points, requires=_compiled(question.requires)
    )


def _compiled(patterns: list[str]) -> tuple[Matcher, ...]:
    return tuple(compiled(pattern) for pattern in patterns)
