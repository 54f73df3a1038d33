"""The offline reading: for each likely question, the CV lines that show each point a strong
answer covers, matched by patterns (`data/interview.yaml`, a target's `interview`, and the
skills a posting's must-haves name)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tailor.critic.rubric import Line, experience_lines, has_metric
from tailor.cv.model import CV
from tailor.interview.model import Evidence, PointCheck, Prep, QuestionPrep, Readiness
from tailor.market import market_for
from tailor.posting.model import JobPosting
from tailor.resources import load_yaml, package_data
from tailor.skills import skill_pattern
from tailor.targets import CompanyProfile, InterviewQuestion

READY_SHARE = 0.6  # of the points shown, for "ready"
EVIDENCE_LINES = 3  # lines quoted per question
POSTING_QUESTIONS = 3  # must-haves of a posting turned into questions


@dataclass(frozen=True)
class _Point:
    text: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class _Question:
    id: str
    question: str
    source: str
    points: tuple[_Point, ...]


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
                question = f'The posting asks for "{requirement.text}". Where have you done it?'
                questions.append(
                    _Question(
                        f"posting-{number}", question, f"the job posting ({posting.label})", points
                    )
                )
    return questions


def prep_offline(
    cv: CV, profile: CompanyProfile | None = None, posting: JobPosting | None = None
) -> Prep:
    """Each likely question with the CV's evidence, the points shown and missed, a mark."""
    lines = experience_lines(cv)
    return Prep(
        target=profile.id if profile else None,
        target_name=profile.name if profile else None,
        questions=[assess(question, lines) for question in questions_for(profile, posting)],
        market=market_for(cv),
    )


def assess(question: _Question, lines: list[Line]) -> QuestionPrep:
    """How the CV's lines answer one question."""
    # measured lines first: they make the better answer
    ordered = sorted(lines, key=lambda line: not has_metric(line.text))
    checks = []
    hits: dict[int, int] = {}  # index in `ordered` -> points it shows
    for point in question.points:
        matching = [i for i, line in enumerate(ordered) if _shows(line.text, point)]
        for index in matching:
            hits[index] = hits.get(index, 0) + 1
        first = ordered[matching[0]] if matching else None
        checks.append(
            PointCheck(point=point.text, shown=first is not None, evidence=_evidence(first))
        )
    best = sorted(hits, key=lambda i: (-hits[i], i))[:EVIDENCE_LINES]
    shown = sum(1 for check in checks if check.shown)
    return QuestionPrep(
        id=question.id,
        question=question.question,
        source=question.source,
        readiness=_readiness(shown, len(checks)),
        points=checks,
        evidence=[e for i in best if (e := _evidence(ordered[i])) is not None],
    )


def _readiness(shown: int, total: int) -> Readiness:
    if total and shown / total >= READY_SHARE:
        return "ready"
    return "partial" if shown else "gap"


def _shows(text: str, point: _Point) -> bool:
    return any(pattern.search(text) for pattern in point.patterns)


def _evidence(line: Line | None) -> Evidence | None:
    if line is None:
        return None
    return Evidence(quote=line.text, line=line.line, section=line.section)


def _from_data(question: InterviewQuestion, source: str) -> _Question:
    points = tuple(
        _Point(p.point, tuple(re.compile(pattern, re.IGNORECASE) for pattern in p.patterns))
        for p in question.points
    )
    return _Question(question.id, question.question, source, points)
