"""The offline critique: a deterministic rubric from the role guide's CV advice.

Each general rule is a function that looks at the CV and returns its findings and the share of
its penalty at stake (1.0 for a whole-CV rule that fires; the flagged share of lines for a
per-line rule). Target rules come from the company profile as data. Thresholds, word lists and
wording live in `data/rubric.yaml`; how a line is read (its figures and outcomes) in
`tailor.cv.lines`.

The score is 100 times the product of (1 - penalty x share x target weight / 100) over the
rules, so every problem costs something, no CV falls below zero, and a target's weights decide
which problems matter most to it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from tailor import profile_patterns
from tailor.critic.model import Critique, Finding
from tailor.critic.verdict import fit_factor, values_shown, verdict
from tailor.cv.lines import (
    Line,
    experience_lines,
    has_metric,
    has_outcome,
    listed_techniques,
    names_outcome,
    sentences,
    skill_line,
    skills_section,
    statement_lines,
    title_line,
    title_of,
    unapplied_skills,
)
from tailor.cv.model import CV, Volunteer, Work, json_strings
from tailor.rules import SEVERITY_ORDER, any_of, rubric, rubric_pattern
from tailor.skills import written_skills
from tailor.targets import Check, CompanyProfile, TargetRule, satisfies
from tailor.wording import joined


@dataclass(frozen=True)
class RuleResult:
    findings: list[Finding]
    share: float  # how much of the rule's penalty is at stake, 0..1
    strength: str | None = None


def critique_offline(cv: CV, profile: CompanyProfile) -> Critique:
    """Critique `cv` for `profile` with the offline rubric."""
    lines = experience_lines(cv)
    results: list[tuple[str, float, RuleResult]] = []
    for rule_id, check in GENERAL_RULES.items():
        penalty = float(rubric()["rules"][rule_id]["penalty"]) * profile.weight(rule_id)
        results.append((rule_id, penalty, check(cv, lines)))
    for rule in profile.rules:
        results.append(
            (rule.id, rule.penalty * profile.weight(rule.id), _target_rule(cv, lines, rule))
        )
    kept = [1 - min(penalty * result.share, 100.0) / 100 for _, penalty, result in results]
    shown = values_shown(lines, profile)
    score = 100.0 * math.prod(kept) * fit_factor(shown)
    findings = sorted(
        (
            finding.model_copy(update={"points": _points(score, share, len(result.findings))})
            for (_, _, result), share in zip(results, kept, strict=True)
            for finding in result.findings
        ),
        key=lambda f: (SEVERITY_ORDER[f.severity], f.line if f.line is not None else 10**9),
    )
    strengths = [result.strength for _, _, result in results if result.strength]
    strengths = _one_per_line(strengths + _recognition(cv))
    return Critique(
        target=profile.id,
        target_name=profile.name,
        provider="offline",
        score=round(score),
        summary=verdict(profile, round(score), findings, shown),
        findings=findings,
        strengths=strengths,
    )


def _points(score: float, kept: float, findings: int) -> int:
    """What fixing one of a rule's `findings` would add to `score`, the rule having kept
    `kept` of it: the rule's whole cost, shared among its findings."""
    if kept <= 0:
        return 0
    return round((score / kept - score) / findings)


_QUOTED_STRENGTH = re.compile(r'^Shows (.+?): "(.+)"$', re.DOTALL)


def _one_per_line(strengths: list[str]) -> list[str]:
    """Strengths that quote the same line, said once: 'Shows production work and a
    performance win in numbers: "Deployed ..."'."""
    shown: dict[str, list[str]] = {}  # a quoted line -> what it shows
    said: list[str] = []  # each strength, or the quote standing for its group, in order
    for strength in strengths:
        match = _QUOTED_STRENGTH.match(strength)
        if match is None:
            said.append(strength)
            continue
        what, quote = match.groups()
        if quote not in shown:
            shown[quote] = []
            said.append(quote)
        shown[quote].append(what)
    return [f'Shows {joined(shown[item])}: "{item}"' if item in shown else item for item in said]


def _recognition(cv: CV) -> list[str]:
    """An award, a win or a best paper, credited as the outcome it is."""
    for award in cv.awards:
        text = " — ".join(filter(None, [award.title, award.awarder, award.summary]))
        if text and names_outcome(text):
            return [f'Shows recognition others gave the work: "{text}"']
    return []


def _finding(rule: str, at: Line | None = None, **fields: str) -> Finding:
    """A finding of a general rule about line `at` (None: the whole CV), worded from the rubric."""
    spec = rubric()["rules"][rule]
    return Finding(
        rule=rule,
        severity=spec["severity"],
        quote=at.text if at else None,
        section=at.section if at else None,
        line=at.line if at else None,
        message=spec["message"].format(quote=at.text if at else "", **fields),
        suggestion=spec["suggestion"].format(quote=at.text if at else "", **fields),
    )


# -- general rules ------------------------------------------------------------------------


def missing_metrics(cv: CV, lines: list[Line]) -> RuleResult:
    bullets = statement_lines(cv)
    flagged = [line for line in bullets if not has_outcome(line.text)]
    findings = [_finding("missing-metrics", line, hint=_metric_hint(line.text)) for line in flagged]
    share = len(flagged) / len(bullets) if bullets else 0.0
    measured = len(bullets) - len(flagged)
    strength = (
        f"{measured} of {len(bullets)} experience lines state an outcome"
        if bullets and measured / len(bullets) >= 0.6
        else None
    )
    return RuleResult(findings, share, strength)


def _metric_hint(text: str) -> str:
    for hint in rubric()["metric_hints"]:
        if any_of((hint["when"],)).search(text):
            return str(hint["ask"])
    return ""


@cache
def _vague_phrase() -> re.Pattern[str]:
    phrases = sorted(rubric()["vague_phrases"], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, phrases)) + r")\b", re.IGNORECASE)


def vague_bullet(cv: CV, lines: list[Line]) -> RuleResult:
    pattern = _vague_phrase()
    bullets = statement_lines(cv)
    findings = []
    for line in bullets:
        if match := pattern.search(line.text):
            findings.append(_finding("vague-bullet", line, phrase=match.group(1)))
    share = min(1.0, 2 * len(findings) / len(bullets)) if bullets else 0.0
    return RuleResult(findings, share)


def technique_list(cv: CV, lines: list[Line]) -> RuleResult:
    """One finding for the skills list, naming every listed technique no line shows applied."""
    listed = listed_techniques(cv)
    unapplied = unapplied_skills(cv, lines)
    if not unapplied:
        return RuleResult([], 0.0)
    section = skills_section(cv)[0]
    line = title_line(cv, section) or skill_line(cv, unapplied[0])
    named = ", ".join(f'"{skill}"' for skill in unapplied)
    finding = _finding(
        "technique-list",
        Line(section, section, line),
        skills=named,
        count=f"{len(unapplied)} of {len(listed)}",
    )
    return RuleResult(
        [finding.model_copy(update={"items": unapplied})], len(unapplied) / len(listed)
    )


def _first_match(lines: Iterable[Line], pattern: re.Pattern[str]) -> Line | None:
    return next((line for line in lines if pattern.search(line.text)), None)


def no_production_evidence(cv: CV, lines: list[Line]) -> RuleResult:
    found = _first_match(lines, rubric_pattern("production_patterns"))
    if found:
        return RuleResult([], 0.0, f'Shows production work: "{found.text}"')
    return RuleResult([_finding("no-production-evidence")], 1.0)


def no_performance_wins(cv: CV, lines: list[Line]) -> RuleResult:
    words = rubric_pattern("performance_words")
    found = next(
        (line for line in lines if words.search(line.text) and has_metric(line.text)), None
    )
    if found:
        return RuleResult([], 0.0, f'Shows a performance win in numbers: "{found.text}"')
    return RuleResult([_finding("no-performance-wins")], 1.0)


def missing_links(cv: CV, lines: list[Line]) -> RuleResult:
    """A link to work a reader can check: code, papers, demos or a site; not social profiles."""
    social = rubric_pattern("social_links")
    content = {k: v for k, v in cv.to_json_resume().items() if k not in ("$schema", "meta")}
    document = social.sub(" ", " ".join(json_strings(content)))
    work_profiles = [
        p
        for p in cv.basics.profiles
        if (p.url or p.username) and not social.search(f"{p.network} {p.url}")
    ]
    link = next((p.url or p.username for p in work_profiles), None)
    if link is None and (match := rubric_pattern("link_patterns").search(document)):
        link = document[match.start() :].split()[0].rstrip(").,;")  # the link's whole word
    if link:
        return RuleResult([], 0.0, f"Links to work a reader can check: {link}")
    return RuleResult([_finding("missing-links")], 1.0)


def length(cv: CV, lines: list[Line]) -> RuleResult:
    limits = rubric()["length"]
    words = len(" ".join(json_strings(cv.to_json_resume())).split())
    if cv.origin is not None and cv.origin.text:  # sections tailor does not read take room too
        words = max(words, len(re.findall(r"\w[\w'’-]*", cv.origin.text)))
    pages = cv.origin.pages if cv.origin and cv.origin.pages else None
    estimate = pages or words / limits["words_per_page"]
    bullets = sum(1 for _ in cv.bullets())
    if estimate > limits["max_pages"]:
        detail = (
            f"The CV runs to {pages} pages"
            if pages
            else f"The CV runs to about {estimate:.1f} pages ({words} words)"
        ) + f"; the guide's limit is {limits['max_pages']}."
        advice = "Cut to the three to five systems that matter most for this target; drop old roles to one line each and remove bullets without outcomes."
        return RuleResult([_finding("length", detail=detail, advice=advice)], 1.0)
    if words < limits["min_words"] or bullets < limits["min_bullets"]:
        detail = f"The CV is too thin to judge: {words} words and {bullets} bullets."
        advice = "Describe each role with three to five bullets: what you built, how, and the measured result."
        share = limits["thin_penalty"] / rubric()["rules"]["length"]["penalty"]
        return RuleResult([_finding("length", detail=detail, advice=advice)], share)
    return RuleResult([], 0.0)


def missing_selected_projects(cv: CV, lines: list[Line]) -> RuleResult:
    if cv.projects:
        return RuleResult([], 0.0)
    counts = {
        name: sum(1 for line in lines if any_of(tuple(patterns)).search(line.text))
        for name, patterns in rubric()["domains"].items()
    }
    domains = [name for name, count in counts.items() if count]
    # several lines in each of two domains, or a line each in three or more
    if sum(1 for count in counts.values() if count >= 2) < 2 and len(domains) < 3:
        return RuleResult([], 0.0)
    return RuleResult([_finding("missing-selected-projects", domains=", ".join(domains))], 1.0)


def unread_section(cv: CV, lines: list[Line]) -> RuleResult:
    """Say which sections the reader could not place, so their content is not judged silently."""
    unread = (cv.model_extra or {}).get("additionalSections") or []
    findings = [
        _finding(
            "unread-section",
            Line(str(section["title"]), None, title_line(cv, str(section["title"]))),
        )
        for section in unread
    ]
    return RuleResult(findings, 0.0)


ENGLISH_TITLES = {
    "summary": "Summary", "work": "Experience", "education": "Education",
    "projects": "Projects", "publications": "Publications", "skills": "Skills",
    "awards": "Awards", "certificates": "Certifications", "languages": "Languages",
    "interests": "Interests", "volunteer": "Volunteering",
}  # fmt: skip
_BULLET = re.compile(r"^\s*[-*•+]\s")


def _unmarked(line: str) -> str:
    """A heading or a line without the markup around it ("## Talks:", "**Hobbies**")."""
    return line.lstrip("#*_ \t\r\n").rstrip("*_: \t\r\n")


def other_language_title(cv: CV, lines: list[Line]) -> RuleResult:
    """In a CV with English section titles, a title in another language (say
    "Berufserfahrung"): tailor reads it, but an English-language screening system may not."""
    from tailor.cv.readers.sections import is_other_language, section_kind

    if cv.origin is None or not cv.origin.text:
        return RuleResult([], 0.0)
    headings = [
        (number, line)
        for number, line in enumerate(cv.origin.text.splitlines(), start=1)
        if len(line) <= 60 and not _BULLET.match(line) and section_kind(line)
    ]
    if all(is_other_language(line) for _, line in headings):
        return RuleResult([], 0.0)  # a CV written in that language throughout
    findings = [
        _finding(
            "other-language-title",
            Line(_unmarked(line), None, number),
            english=ENGLISH_TITLES.get(section_kind(line) or "", "an English title"),
        )
        for number, line in headings
        if is_other_language(line)
    ]
    return RuleResult(findings, 1.0 if findings else 0.0)


def shows_ml_work(lines: Iterable[Line]) -> Line | None:
    """The first line that shows ML work (a model trained, evaluated, served or researched)."""
    return _first_match(lines, rubric_pattern("ml_patterns"))


def no_ml_evidence(cv: CV, lines: list[Line]) -> RuleResult:
    found = shows_ml_work(lines)
    if found:
        return RuleResult([], 0.0)
    return RuleResult([_finding("no-ml-evidence")], 1.0)


def cliche_summary(cv: CV, lines: list[Line]) -> RuleResult:
    """A summary of words every CV uses, in the third person, or with nothing to check."""
    summary = (cv.basics.summary or "").strip()
    if not summary:
        return RuleResult([], 0.0)
    # whole words: "data-driven" is not "driven"
    words = any_of(tuple(rf"(?<![\w-]){w}(?![\w-])" for w in rubric()["cliche_words"]))
    cliches = list(dict.fromkeys(m.group(0).lower() for m in words.finditer(summary)))
    first_name = (cv.basics.name or "").split()[0] if (cv.basics.name or "").split() else ""
    third_person = bool(
        any_of((rubric()["third_person"],)).search(summary)
        or (len(first_name) > 1 and re.match(rf"{re.escape(first_name)}\b", summary))
    )
    concrete = has_metric(summary) or bool(written_skills(summary)) or _is_specific(summary)
    quote = next(
        (s for s in sentences(summary) if words.search(s)), sentences(summary)[0] if summary else ""
    )
    if third_person:
        detail = (
            "The summary speaks of you in the third person, which reads as written by someone else."
        )
    elif len(cliches) >= 2 or (cliches and not concrete):
        named = ", ".join(f'"{c}"' for c in cliches[:4])
        detail = (
            f"The summary leans on words every CV uses ({named}) instead of what you have built."
        )
    elif not concrete and len(summary.split()) >= 6:
        detail = "The summary names no system, domain, tool or result a reader could check."
    else:
        return RuleResult([], 0.0)
    line = Line(quote, title_of(cv, "summary"), cv.origin.line_of(quote) if cv.origin else None)
    return RuleResult([_finding("cliche-summary", line, detail=detail)], 1.0)


def _is_specific(text: str) -> bool:
    """Whether a text names a domain or production work (something one could ask about)."""
    domains = tuple(p for patterns in rubric()["domains"].values() for p in patterns)
    return bool(
        any_of(domains).search(text)
        or rubric_pattern("ml_patterns").search(text)
        or rubric_pattern("production_patterns").search(text)
    )


def off_target_content(cv: CV, lines: list[Line]) -> RuleResult:
    """An interests section, "references on request" and personal details (birth date,
    marital status, nationality, a photo): room taken from evidence, or details to weigh."""
    spec = rubric()["off_target"]
    findings: list[Finding] = []
    title = title_of(cv, "interests")
    if cv.interests and "research" not in title.lower():  # research interests are the work
        at = Line(title, title, title_line(cv, title))
        findings.append(_off_target(at, spec["interests"]))
    text = cv.origin.text if cv.origin and cv.origin.text else ""
    for kind in ("references", "personal"):
        # each part of a line ("Date of birth: ... | Nationality: ..."), from its start, with
        # any list marker or markup before it: anchored, so a long line stays linear
        pattern = re.compile(r"[-*•#>\s]*(?:" + spec[kind]["pattern"] + ")", re.IGNORECASE)
        for number, raw in enumerate(text.splitlines(), start=1):
            if any(pattern.match(part) for part in _LINE_PARTS.split(raw)):
                quote = _unmarked(raw.strip()).strip()
                findings.append(_off_target(Line(quote, None, number), spec[kind]))
    if cv.references and not any(f.quote and "reference" in f.quote.lower() for f in findings):
        title = title_of(cv, "references")
        findings.append(_off_target(Line(title, title, title_line(cv, title)), spec["references"]))
    return RuleResult(findings, 1.0 if findings else 0.0)


_LINE_PARTS = re.compile(r"[|·•,;]|[^\S\n]{2,}")


def _off_target(at: Line, spec: dict[str, str]) -> Finding:
    return _finding(
        "off-target-content", at, detail=spec["detail"].format(quote=at.text), advice=spec["advice"]
    )


def typo(cv: CV, lines: list[Line]) -> RuleResult:
    """Misspelt ordinary words and doubled words in the CV's prose (its summary, bullets and
    entry descriptions); names, employers and skills are the CV's own to spell."""
    from tailor.spelling import misspellings

    prose = [cv.basics.summary or "", *(line.text for line in lines)]
    prose += [a.title for a in cv.awards if a.title]
    findings = []
    for slip in misspellings(prose, allowed=_proper_words(cv)):
        line = next((ln for ln in lines if slip.word in ln.text.lower()), None)
        at = Line(slip.word, line.section if line else None, _word_line(cv, slip.word))
        findings.append(_finding("typo", at, correction=slip.correction))
    return RuleResult(findings, min(1.0, len(findings) / 3))


def _proper_words(cv: CV) -> set[str]:
    """The CV's names: words it capitalises inside a sentence (names, places, products), and
    its skills; written in lower case elsewhere, they are still its own."""
    from tailor.spelling import proper_words

    names = [cv.basics.name, cv.basics.label, *(k for s in cv.skills for k in s.keywords)]
    names += [text for w in cv.work for text in (w.name, w.position, w.location)]
    names += [text for v in cv.volunteer for text in (v.organization, v.position)]
    names += [p.name for p in cv.projects] + [e.institution for e in cv.education]
    named = {word.lower() for name in names if name for word in re.findall(r"[\w'-]+", name)}
    allowed = {word.lower() for word in rubric()["spelling_allowed"]}
    return proper_words(json_strings(cv.to_json_resume())) | named | allowed


def _word_line(cv: CV, word: str) -> int | None:
    if cv.origin is None:
        return None
    return cv.origin.line_of_pattern(re.compile(rf"(?i)(?<!\w){re.escape(word)}(?!\w)"))


GENERAL_RULES: dict[str, Callable[[CV, list[Line]], RuleResult]] = {
    "missing-metrics": missing_metrics,
    "vague-bullet": vague_bullet,
    "technique-list": technique_list,
    "no-production-evidence": no_production_evidence,
    "no-performance-wins": no_performance_wins,
    "missing-links": missing_links,
    "length": length,
    "missing-selected-projects": missing_selected_projects,
    "unread-section": unread_section,
    "other-language-title": other_language_title,
    "no-ml-evidence": no_ml_evidence,
    "cliche-summary": cliche_summary,
    "off-target-content": off_target_content,
    "typo": typo,
}


# -- target rules ---------------------------------------------------------------------------


def _target_rule(cv: CV, lines: list[Line], rule: TargetRule) -> RuleResult:
    for check in rule.satisfied_by:
        evidence = _evidence(cv, lines, check)
        if evidence is not None:
            return RuleResult([], 0.0, rule.strength.format(quote=evidence))
    finding = Finding(
        rule=rule.id,
        severity=rule.severity,
        quote=None,
        message=rule.message,
        suggestion=rule.suggestion,
    )
    return RuleResult([finding], 1.0)


def _evidence(cv: CV, lines: list[Line], check: Check) -> str | None:
    """The text that satisfies a check, or None when nothing does."""
    if check.section:
        entries = getattr(cv, check.section)
        if not entries:
            return None
        first = entries[0]
        return str(getattr(first, "name", None) or getattr(first, "title", None) or check.section)
    found = next((line for line in lines if satisfies(line.text, check)), None)
    if found:
        return found.text
    if check.all_of and check.within_entry:
        for entry in _entries(cv):  # its parts on different lines of one role or project
            if satisfies(" \n ".join(entry), check):
                return " … ".join(_lines_showing(entry, check))
    return None


def _entries(cv: CV) -> list[list[str]]:
    """Each role's, volunteer post's and project's lines: its summary and its bullets."""
    entries: list[list[str]] = []
    roles: list[Work | Volunteer] = [*cv.work, *cv.volunteer]
    for entry in roles:
        entries.append([t for t in [entry.summary, *(b.text for b in entry.highlights)] if t])
    for project in cv.projects:
        texts = [project.name, project.description, *(b.text for b in project.highlights)]
        entries.append([t for t in texts if t])
    return entries


def _lines_showing(entry: list[str], check: Check) -> list[str]:
    """The first line of an entry matching each of a check's groups, without repeats."""
    shown: list[str] = []
    for group in check.all_of or []:
        pattern = profile_patterns.any_of(tuple(group))
        line = next((text for text in entry if pattern.search(text)), None)
        if line and line not in shown:
            shown.append(line)
    return shown
