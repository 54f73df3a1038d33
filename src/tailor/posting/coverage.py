"""How well a CV covers a posting: for each requirement, whether and where the CV shows it.

A requirement's skill is *applied* when a line of experience (a bullet, a role's or
project's description, a publication) names it, and *listed* when only the skills list does.
Years of experience are counted from the roles' dates (overlaps once); a degree from the
education section. The quote of each covered requirement is the CV's own line, as written.
A requirement that names nothing tailor can check (a soft skill, a work permit) is
*unchecked*: it counts neither for nor against the CV.
"""

from __future__ import annotations

import datetime
import re

from tailor.critic.model import Critique, Finding
from tailor.critic.rubric import Line, experience_lines, has_metric, skill_line
from tailor.cv.model import CV
from tailor.posting.extract import degree_level
from tailor.posting.model import (
    Coverage,
    CoverageStatus,
    JobPosting,
    Requirement,
    RequirementCoverage,
)
from tailor.renderers.layout import plain
from tailor.skills import mentions

KIND_WEIGHT = {"must": 2.0, "nice": 1.0}
STATUS_VALUE = {"applied": 1.0, "partial": 0.6, "listed": 0.5, "missing": 0.0}
DEGREE_NAMES = ("a bachelor's degree", "a master's degree", "a PhD")
_ALTERNATIVES = re.compile(r"\bor\b|(?<=\w)/(?=\w)|\beither\b", re.I)
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?")
_ONGOING = re.compile(r"present|current|now|today|ongoing", re.I)


def coverage(cv: CV, posting: JobPosting, *, today: datetime.date | None = None) -> Coverage:
    """Each requirement of `posting` against `cv`, the keywords, and a coverage score."""
    lines = experience_lines(cv) + _education_lines(cv)
    listed = [k for skill in cv.skills for k in [*skill.keywords, skill.name or ""] if k]
    covered = [
        _requirement(cv, requirement, lines, listed, today or datetime.date.today())
        for requirement in posting.requirements
    ]
    shown, listed_only, missing = _sort_skills(posting.keywords, lines, listed, cv)
    return Coverage(
        posting=posting.label,
        score=_score(covered, posting.keywords, shown, listed_only),
        requirements=covered,
        keywords_shown=shown,
        keywords_listed_only=listed_only,
        keywords_missing=missing,
        ignored=posting.ignored,
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


def _education_lines(cv: CV) -> list[Line]:
    """A degree's subject and type as lines that can show a requirement ("Computer Science")."""
    origin = cv.origin
    return [
        Line(text, "education", origin.line_of(text) if origin is not None else None)
        for entry in cv.education
        for text in (entry.area, entry.study_type)
        if text
    ]


def _requirement(
    cv: CV, requirement: Requirement, lines: list[Line], listed: list[str], today: datetime.date
) -> RequirementCoverage:
    shown = [s for s in requirement.skills if _applied_line(s, lines, cv) is not None]
    listed_only = [
        s for s in requirement.skills if s not in shown and any(mentions(k, s) for k in listed)
    ]
    missing = [s for s in requirement.skills if s not in shown and s not in listed_only]
    checks_met: list[bool] = []
    notes: list[str] = []
    if requirement.years is not None:
        years = experience_years(cv, today)
        checks_met.append(years >= requirement.years)
        notes.append(f"the roles' dates add up to about {years:g} years")
    if requirement.degree is not None:
        met, note = _degree_met(cv, requirement.degree)
        checks_met.append(met)
        notes.append(note)
    status = _status(requirement, shown, listed_only, missing, checks_met)
    quote_line = _best_line(shown, lines, cv)
    quote, section, line = None, None, None
    if quote_line is not None:
        quote, section, line = plain(quote_line.text), quote_line.section, quote_line.line
    elif listed_only:
        quote, section, line = _listed_quote(cv, listed_only[0])
    elif requirement.degree is not None and status == "applied":
        quote, section, line = _degree_quote(cv)
    return RequirementCoverage(
        requirement=requirement,
        status=status,
        quote=quote,
        section=section,
        line=line,
        shown=shown,
        listed_only=listed_only,
        missing=missing,
        note="; ".join(notes) or None,
    )


def _status(
    requirement: Requirement,
    shown: list[str],
    listed_only: list[str],
    missing: list[str],
    checks_met: list[bool],
) -> CoverageStatus:
    if not requirement.skills and not checks_met:
        return "unchecked"
    any_of = bool(_ALTERNATIVES.search(requirement.text))
    skills_met = bool(shown) and (any_of or not (listed_only or missing))
    if requirement.skills and not checks_met:
        if skills_met:
            return "applied"
        if shown:
            return "partial"
        return "listed" if listed_only else "missing"
    if not requirement.skills:
        if all(checks_met):
            return "applied"
        # "PhD or equivalent experience": a shortfall tailor cannot weigh is not a gap
        return "partial" if any(checks_met) or _ALTERNATIVES.search(requirement.text) else "missing"
    if skills_met and all(checks_met):
        return "applied"
    if shown or any(checks_met):
        return "partial"
    return "listed" if listed_only else "missing"


def _applied_line(skill: str, lines: list[Line], cv: CV) -> Line | None:
    if skill == "publications" and cv.publications:
        publication = cv.publications[0]
        return Line(publication.name or "", "publications", None) if publication.name else None
    return next((line for line in lines if mentions(line.text, skill)), None)


def _best_line(skills: list[str], lines: list[Line], cv: CV) -> Line | None:
    """The line that shows most of `skills`, a measured one first among equals."""
    if not skills:
        return None
    scored = [
        (sum(mentions(line.text, s) for s in skills), has_metric(line.text), -index, line)
        for index, line in enumerate(lines)
    ]
    best = max(scored, key=lambda item: item[:3], default=None)
    if best is None or best[0] == 0:
        return _applied_line(skills[0], lines, cv)
    return best[3]


def _listed_quote(cv: CV, skill: str) -> tuple[str | None, str | None, int | None]:
    for group in cv.skills:
        for keyword in group.keywords:
            if mentions(keyword, skill):
                return keyword, "skills", skill_line(cv, keyword)
    return None, "skills", None


def _degree_met(cv: CV, degree: str) -> tuple[bool, str]:
    wanted = ("bachelor", "master", "phd").index(degree)
    ranks = [
        rank
        for entry in cv.education
        if (rank := degree_level(" ".join(filter(None, [entry.study_type, entry.area]))))
        is not None
    ]
    best = max(ranks, default=None)
    if best is None:
        return False, "no degree level found in the education section"
    return best >= wanted, f"the education section shows {DEGREE_NAMES[best]}"


def _degree_quote(cv: CV) -> tuple[str | None, str | None, int | None]:
    for entry in cv.education:
        text = entry.study_type or entry.area
        if (
            text
            and degree_level(" ".join(filter(None, [entry.study_type, entry.area]))) is not None
        ):
            origin = cv.origin
            return text, "education", origin.line_of(text) if origin is not None else None
    return None, None, None


def experience_years(cv: CV, today: datetime.date) -> float:
    """Years covered by the CV's roles, counting overlapping roles once, to the half year."""
    spans: list[tuple[int, int]] = []
    for role in cv.work:
        start = _month(role.start_date)
        if start is None:
            continue
        end = (
            _month(role.end_date) if role.end_date and not _ONGOING.search(role.end_date) else None
        )
        spans.append((start, end if end is not None else today.year * 12 + today.month))
    months = 0
    reach = -1
    for start, end in sorted(spans):
        start = max(start, reach)
        if end > start:
            months += end - start
            reach = end
    return round(months / 6) / 2


def _month(value: str | None) -> int | None:
    match = _DATE.search(value or "")
    if match is None:
        return None
    return int(match.group(1)) * 12 + (int(match.group(2)) if match.group(2) else 1)


def _sort_skills(
    keywords: list[str], lines: list[Line], listed: list[str], cv: CV
) -> tuple[list[str], list[str], list[str]]:
    shown = [k for k in keywords if _applied_line(k, lines, cv) is not None]
    listed_only = [k for k in keywords if k not in shown and any(mentions(x, k) for x in listed)]
    missing = [k for k in keywords if k not in shown and k not in listed_only]
    return shown, listed_only, missing


def _score(
    covered: list[RequirementCoverage],
    keywords: list[str],
    shown: list[str],
    listed_only: list[str],
) -> int:
    checked = [item for item in covered if item.status != "unchecked"]
    if checked:
        total = sum(KIND_WEIGHT[item.requirement.kind] for item in checked)
        got = sum(
            KIND_WEIGHT[item.requirement.kind] * STATUS_VALUE[item.status] for item in checked
        )
        return round(100 * got / total)
    if keywords:  # a posting without a list of requirements: its keywords stand for them
        return round(100 * (len(shown) + 0.5 * len(listed_only)) / len(keywords))
    return 0


COVERAGE_SHARE = 0.4  # how much of a critique's score rides on covering the posting


def with_coverage(critique: Critique, result: Coverage) -> Critique:
    """A critique with a posting's coverage: its findings merged in, and the score scaled from
    60% (the CV shows none of the posting) to 100% (all of it) of the profile's score."""
    from tailor.critic.llm import merge

    checkable = any(item.status != "unchecked" for item in result.requirements)
    score = critique.score
    if checkable or result.keywords_shown or result.keywords_missing:
        score = round(score * (1 - COVERAGE_SHARE + COVERAGE_SHARE * result.score / 100))
    must = [item for item in result.requirements if item.requirement.kind == "must"]
    shown = [item for item in must if item.status == "applied"]
    strengths = list(critique.strengths)
    if must and shown:
        strengths.append(
            f"Your experience shows {len(shown)} of the posting's {len(must)} must-haves."
        )
    summary = (
        f"{critique.summary} Against the posting: coverage {result.score}/100, "
        f"{len(shown)} of {len(must)} must-haves shown, so {score}/100 overall."
    )
    return critique.model_copy(
        update={
            "score": score,
            "summary": summary,
            "findings": merge(findings(result), critique.findings),
            "strengths": strengths,
            "posting": result.posting,
            "coverage": result,
        }
    )
