"""The CV's text toolkit: its lines of evidence, their sentences and outcomes, the techniques
it lists, and where a section title or a listed skill stands in its source file.

The critique's rules, a posting's coverage, the rewriter and interview prep all read a CV
this way. What counts as a measured figure, an outcome in words, or a listed skill that is
no technique lives in `data/lines.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tailor.cv.model import CV, Bullet, Volunteer, Work
from tailor.cv.readers.sections import kind_in
from tailor.resources import load_yaml, package_data
from tailor.skills import names_in_any, shows, skill_pattern, stems_of, written_skills


@dataclass(frozen=True)
class Line:
    """A line of experience evidence: a bullet, an entry summary, a project or a publication."""

    text: str
    section: str | None
    line: int | None


def experience_lines(cv: CV) -> list[Line]:
    """The lines that can show work applied: bullets, entry summaries, projects, publications."""
    lines: list[Line] = []
    entries: list[Work | Volunteer] = [*cv.work, *cv.volunteer]
    for entry in entries:
        lines.extend(_text_line(cv, entry.summary, "work"))
        lines.extend(_bullet_line(bullet) for bullet in entry.highlights)
    for project in cv.projects:
        lines.extend(
            _text_line(
                cv, " — ".join(filter(None, [project.name, project.description])), "projects"
            )
        )
        lines.extend(_bullet_line(bullet) for bullet in project.highlights)
    for publication in cv.publications:
        lines.extend(_text_line(cv, publication.name, "publications"))
    return lines


def statement_lines(cv: CV) -> list[Line]:
    """What the per-line rules judge: every bullet, and the sentences of a role with no bullets
    (LinkedIn exports and some CVs describe roles in plain sentences)."""
    lines = [_bullet_line(bullet) for bullet in cv.bullets()]
    entries: list[Work | Volunteer] = [*cv.work, *cv.volunteer]
    section = title_of(cv, "work")
    for entry in entries:
        if entry.summary and not entry.highlights:
            for sentence in sentences(entry.summary):
                lines.extend(_text_line(cv, sentence, section))
    return lines


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
# words ending in a full stop that do not end a sentence
_ABBREVIATIONS = {
    "e.g.", "i.e.", "etc.", "vs.", "approx.", "incl.", "no.", "ph.d.", "dr.", "mr.", "ms.",
    "mrs.", "prof.", "inc.", "ltd.", "co.", "corp.", "st.", "jr.", "sr.", "u.s.", "u.k.",
}  # fmt: skip


def sentences(text: str) -> list[str]:
    """The sentences of a text, as written: a break after ".", "!" or "?" before a capital,
    a digit or a quote, but not after "e.g.", "Ph.D." or an initial ("J.")."""
    text = text.strip()
    found: list[str] = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        last_word = text[start : match.start()].rsplit(None, 1)[-1].lower()
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]\.", last_word):
            continue
        found.append(text[start : match.start()])
        start = match.end()
    found.append(text[start:])
    return [sentence for sentence in found if sentence]


def title_of(cv: CV, kind: str) -> str:
    """The title the CV gives the section of this kind ("Work History", "Core Competencies"),
    or the kind itself."""
    titles = cv.origin.sections if cv.origin else []
    return next((t for t in titles if t == kind or kind_in(cv.origin, t) == kind), kind)


def _bullet_line(bullet: Bullet) -> Line:
    source = bullet.source
    return Line(bullet.text, source.section if source else None, source.line if source else None)


def _text_line(cv: CV, text: str | None, section: str) -> list[Line]:
    if not text:
        return []
    return [Line(text, section, cv.origin.line_of(text) if cv.origin else None)]


@cache
def _data() -> dict[str, Any]:
    """What a line's words say (data/lines.yaml), loaded once."""
    data: dict[str, Any] = load_yaml(package_data("lines.yaml").read_text(encoding="utf-8"))
    return data


@cache
def _pattern(key: str) -> re.Pattern[str]:
    """One case-insensitive regex matching any pattern of the list `key` of data/lines.yaml."""
    return re.compile("|".join(f"(?:{p})" for p in _data()[key]), re.IGNORECASE)


def has_metric(text: str) -> bool:
    """Whether a line carries a measured outcome: a figure that is not a year, a version or a
    team size."""
    return bool(_pattern("metric_patterns").search(_pattern("not_metrics").sub(" ", text)))


def names_outcome(text: str) -> bool:
    """Whether a text names an outcome that is not a number: a win, an award, a record, an
    acceptance, a selection, an adoption."""
    return bool(_pattern("outcome_patterns").search(text))


def has_outcome(text: str) -> bool:
    """Whether a line states what the work changed: a measured figure, or an outcome that is
    not a number (a win, an award, a record, an acceptance, a selection, an adoption)."""
    return has_metric(text) or names_outcome(text)


def listed_techniques(cv: CV) -> list[str]:
    """The skills list's techniques, without repeats and without soft skills ("teamwork")."""
    ignored = {s.lower() for s in _data()["not_techniques"]}
    listed = [k for skill in cv.skills for k in skill.keywords if k.strip().lower() not in ignored]
    return list(dict.fromkeys(listed))


def unapplied_skills(cv: CV, lines: list[Line] | None = None) -> list[str]:
    """Listed techniques that no experience line shows applied, by name or by a narrower
    skill that implies it (a bullet on FSDP shows PyTorch, one on pgvector PostgreSQL)."""
    texts = [line.text for line in (lines or experience_lines(cv))]
    evidence = " \n ".join(texts)
    stems = stems_of(texts)

    def shown(skill: str) -> bool:
        return shows(evidence, skill) or names_in_any(texts, skill, stems)

    unshown = []
    for skill in listed_techniques(cv):
        parts = list(written_skills(skill))  # "PyTorch FSDP": shown when FSDP is
        if not shown(skill) and not (len(parts) > 1 and all(shown(part) for part in parts)):
            unshown.append(skill)
    return unshown


def skills_section(cv: CV) -> tuple[str, int]:
    """The skills section's title as written, and the line where it starts (0 if unknown)."""
    title = title_of(cv, "skills")
    if cv.origin is None:
        return title, 0
    key = re.compile(rf"^[^\S\n]*[\"']?{re.escape(title)}[\"']?\s*:", re.MULTILINE)
    return title, title_line(cv, title) or cv.origin.line_of_pattern(key) or 0


def skill_line(cv: CV, skill: str) -> int | None:
    """The line of the source file where a listed skill stands: its whole word, within the
    skills section."""
    pattern = skill_pattern(skill)
    if cv.origin is None or pattern is None:
        return None
    after_line = skills_section(cv)[1]
    as_written = re.compile(rf"(?<![\w+#]){re.escape(skill)}(?![\w+#])")
    return cv.origin.line_of_pattern(as_written, after_line=after_line) or (
        cv.origin.line_of_pattern(pattern, after_line=after_line)
    )


def title_line(cv: CV, title: str) -> int | None:
    """The line where a section title stands alone, with any markup around it."""
    if cv.origin is None:
        return None
    # "## Talks", "TALKS:", "**Talks**": the title with markup around it, alone on its line
    pattern = re.compile(rf"^[^\w\n]*{re.escape(title)}[^\w\n]*$", re.IGNORECASE | re.MULTILINE)
    return cv.origin.line_of_pattern(pattern)
