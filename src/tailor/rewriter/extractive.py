"""The offline rewrite: select, reorder and trim the user's own lines for a target.

It never writes a sentence. Every bullet, summary sentence and skill of the result is the
user's own, copied whole; what changes is their order and which of them stay:
- bullets within each entry: measured outcomes first, then by how much they show what the
  target weighs (its values' keywords and the evidence its rules look for);
- projects by the same relevance; roles stay in the order the CV gives them (reverse
  chronological on almost every CV), because a reader checks dates top-down;
- sections in the order the target reads them (the profile's `section_order`);
- skills within each group: those the experience shows applied first (a bullet on FSDP
  shows PyTorch), the ones the target or posting looks for first among them; a listed skill
  is left out only to fit the page, and never a language, a core framework or one the
  target or posting asks for;
- a summary longer than three sentences cut to its most relevant sentences;
- the whole kept within two pages, dropping the least relevant unmeasured bullets first.
Every edit is recorded as a `Change` saying why, in terms of the target.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from tailor.cv.layout import (
    DEFAULT_ORDER,
    estimated_lines,
    largest_lines,
    layout,
    plain,
    section_titles,
    source_order,
)
from tailor.cv.lines import (
    experience_lines,
    has_metric,
    skill_line,
    title_line,
    unapplied_skills,
)
from tailor.cv.lines import sentences as split_sentences
from tailor.cv.model import CV, Bullet, Project, Volunteer, Work
from tailor.grounding import check
from tailor.posting.model import JobPosting
from tailor.rewriter.conservation import not_shown
from tailor.rewriter.model import Change, ChangeKind, TailoredCV
from tailor.rules import rubric, rubric_pattern
from tailor.skills import canonical, is_core, mentions, written_skills
from tailor.targets import CompanyProfile, satisfies
from tailor.wording import lower_first

SUMMARY_MAX_SENTENCES = 3
SUMMARY_MAX_WORDS = 80
RULE_EVIDENCE_SCORE = 3.0  # a line that satisfies a target rule is what the target looks for
KEYWORD_HITS_CAP = 3  # per value, so a keyword-stuffed line does not outrank real evidence
MIN_BULLETS_LATEST_ROLE = 2
RECENCY_WEIGHT = 0.5  # relevance a bullet gains for each step its role is closer to today
BULLETS_PER_ROLE = 5  # beyond this, each further bullet of a role counts for less...
CROWDING_WEIGHT = 1.0  # ...by this much per position
SECTIONS_DROPPED_FIRST = ("references", "interests")

Entry = Work | Project | Volunteer


@dataclass(frozen=True)
class Relevance:
    """How much a line shows what the target weighs."""

    score: float
    measured: bool
    shows: tuple[str, ...]  # the target's values the line gives evidence of


def relevance(text: str, profile: CompanyProfile) -> Relevance:
    """Score a line for a target: keywords of its values, its rules' evidence, production work
    and performance wins (weighted as the target weighs them), and whether it is measured."""
    score = 0.0
    shows: list[str] = []
    for value in profile.values:
        hits = sum(1 for keyword in value.keywords if mentions(text, keyword))
        if hits:
            score += min(hits, KEYWORD_HITS_CAP) * value.weight
            shows.append(value.label)
    for rule in profile.rules:
        if any(satisfies(text, check) for check in rule.satisfied_by):
            score += RULE_EVIDENCE_SCORE
    measured = has_metric(text)
    if rubric_pattern("production_patterns").search(text):
        score += profile.weight("no-production-evidence")
    if measured and rubric_pattern("performance_words").search(text):
        score += profile.weight("no-performance-wins")
    return Relevance(score, measured, tuple(shows))


def rewrite_offline(
    cv: CV, profile: CompanyProfile, posting: JobPosting | None = None
) -> TailoredCV:
    """Tailor `cv` for `profile` (refined by `posting`, if any) by selecting, reordering and
    trimming its own content."""
    tailored = cv.model_copy(deep=True)
    if cv.origin is not None:
        tailored.set_origin(cv.origin)
    run = _Run(cv, profile, posting)
    for kind in ("work", "projects", "volunteer"):
        for entry in getattr(tailored, kind):
            _order_bullets(entry, kind, run)
    _order_projects(tailored, run)
    if posting is not None:
        _use_posting_words(tailored, posting, run)
    _order_skills(tailored, run)
    _trim_summary(tailored, run)
    order = section_order(tailored, profile)
    _log_section_moves(order, run)
    max_pages = float(rubric()["length"]["max_pages"])
    _fit(tailored, order, max_pages, run)
    run.changes += not_shown(tailored, order)
    return TailoredCV(
        target=profile.id,
        target_name=profile.name,
        provider="offline",
        cv=tailored,
        section_order=order,
        changes=run.changes,
        unsupported=check(tailored, cv),
        pages=round(estimated_pages(tailored, order), 2),
        max_pages=max_pages,
    )


def fit_to_pages(cv: CV, source: CV, profile: CompanyProfile, order: list[str]) -> list[Change]:
    """Cut `cv` (a rewrite of `source`) to the page limit as the offline engine would; the
    changes that say what went. The LLM rewrite uses it on the model's answer too."""
    run = _Run(source, profile)
    _fit(cv, order, float(rubric()["length"]["max_pages"]), run)
    return run.changes


def section_order(cv: CV, profile: CompanyProfile) -> list[str]:
    """The target's order for the sections it names, then the CV's others in their own order."""
    present = _present_sections(cv)
    ranked = [kind for kind in profile.section_order if kind in present]
    return ranked + [kind for kind in present if kind not in ranked]


def estimated_pages(cv: CV, order: Sequence[str]) -> float:
    """How many pages the CV fills in tailor's layouts."""
    length = rubric()["length"]
    lines = estimated_lines(layout(cv, order), int(length["chars_per_line"]))
    return lines / float(length["lines_per_page"])


# -- the edits ------------------------------------------------------------------------------


class _Run:
    """One rewrite: the source, the target, the changes so far and each line's relevance."""

    def __init__(
        self, source: CV, profile: CompanyProfile, posting: JobPosting | None = None
    ) -> None:
        self.source = source
        self.profile = profile
        self.posting = posting
        self.employer = profile.employer_phrase
        self.changes: list[Change] = []
        self._relevance: dict[str, Relevance] = {}
        # the listed skills no experience line shows (a graduate's CV has no such lines: its
        # list is all there is, so nothing on it counts as unproven)
        unapplied = unapplied_skills(source) if experience_lines(source) else []
        # by canonical name: a skill renamed to the posting's word ("k8s" -> "Kubernetes")
        # is as unproven as before
        self._unapplied = {canonical(skill).lower() for skill in unapplied}
        self._older: tuple[tuple[int, int], list[Entry], int] | None = None

    def older_roles(self, cv: CV) -> Iterator[Entry]:
        """The roles before the three most recent, oldest first, from the first one that may
        still have a line to take: one left as its heading line stays so (nothing is added
        back), and on a CV of a thousand roles, walking past them each time would be slow."""
        key = (id(cv.work), len(cv.work))
        if self._older is None or self._older[0] != key:
            ranked = reversed(_ranked(cv, "work"))
            older = [entry for rank, entry in ranked if rank >= OLDER_FROM]
            self._older = (key, older, 0)
        _, older, start = self._older
        for index in range(start, len(older)):
            entry = older[index]
            if entry.highlights or _descriptions(entry):
                self._older = (key, older, index)
                yield entry
        self._older = (key, older, len(older))

    def unapplied(self, skill: str) -> bool:
        """Whether no experience line shows this listed skill applied."""
        return canonical(skill).lower() in self._unapplied

    def wanted(self, skill: str) -> bool:
        """Whether the target's profile or the posting names this skill."""
        named = self.posting is not None and mentions(self.posting.text, skill)
        return named or _valued(skill, self.profile)

    def keeps(self, skill: str) -> bool:
        """Whether a listed skill stays whatever the length: applied, wanted, or core."""
        return not self.unapplied(skill) or self.wanted(skill) or is_core(skill)

    def relevance(self, text: str) -> Relevance:
        if text not in self._relevance:
            self._relevance[text] = relevance(text, self.profile)
        return self._relevance[text]

    def log(
        self, kind: ChangeKind, section: str, quote: str | None, reason: str, line: int | None
    ) -> None:
        self.changes.append(
            Change(kind=kind, section=section, quote=quote, line=line, reason=reason)
        )

    def line_of(self, text: str | None) -> int | None:
        origin = self.source.origin
        return origin.line_of(text) if origin is not None and text else None

    def why(self, rel: Relevance) -> str:
        """Why a line ranks high for this target, in words."""
        parts = []
        if rel.measured:
            parts.append("it carries a measured outcome")
        if rel.shows:
            shows = " and ".join(lower_first(label) for label in rel.shows)
            parts.append(f"it speaks to {shows}, which {self.employer} weighs")
        return ", and ".join(parts) if parts else f"it is closer to what {self.employer} weighs"


def _order_bullets(entry: Entry, kind: str, run: _Run) -> None:
    scored = [(run.relevance(b.text), index, b) for index, b in enumerate(entry.highlights)]
    ranked = sorted(scored, key=lambda item: (not item[0].measured, -item[0].score, item[1]))
    entry.highlights = [bullet for _, _, bullet in ranked]
    for new_index, (rel, old_index, bullet) in enumerate(ranked):
        if new_index < old_index:
            reason = f"moved up in {_entry_name(entry)}: {run.why(rel)}"
            run.log("moved", kind, bullet.text, reason, _line(bullet))


def _order_projects(cv: CV, run: _Run) -> None:
    scored = [
        (run.relevance(_entry_text(project)), index, project)
        for index, project in enumerate(cv.projects)
    ]
    ranked = sorted(scored, key=lambda item: (-item[0].score, item[1]))
    cv.projects = [project for _, _, project in ranked]
    for new_index, (rel, old_index, project) in enumerate(ranked):
        if new_index < old_index:
            reason = f"project moved up: {run.why(rel)}"
            label = _project_label(project)
            run.log("moved", "projects", label, reason, run.line_of(label))


def _use_posting_words(cv: CV, posting: JobPosting, run: _Run) -> None:
    """Give a listed skill its full name where the posting uses it ("k8s" -> "Kubernetes"
    when the posting says Kubernetes): the same skill, the posting's word. Never the other
    way ("PyTorch" stays, whatever "torch.compile" a posting mentions)."""
    written = written_skills(posting.text)
    for skill in cv.skills:
        renamed = []
        for keyword in skill.keywords:
            name = canonical(keyword)
            word = written.get(name)
            if word == name and word.lower() != keyword.strip().lower():
                reason = f"the posting calls it {word!r}; same skill, the posting's word"
                run.log("reworded", "skills", keyword, reason, skill_line(run.source, keyword))
                keyword = word
            renamed.append(keyword)
        skill.keywords = list(dict.fromkeys(renamed))


def _order_skills(cv: CV, run: _Run) -> None:
    """Within each group, the skills your experience shows applied first, and among those
    the ones the target or the posting looks for; otherwise in your order. Nothing is left
    out here: a listed skill goes only when the CV must be cut to fit (`_drop_skill`)."""
    for skill in cv.skills:
        ranked = sorted(skill.keywords, key=lambda k: (run.unapplied(k), not run.wanted(k)))
        if ranked != skill.keywords:
            applied = [k for k in ranked if not run.unapplied(k)]
            wanted = [k for k in ranked if run.wanted(k) and k not in applied]
            if applied and len(applied) < len(ranked):
                reason = (
                    f"put first the skills your experience shows applied ({', '.join(applied)})"
                )
                if wanted:
                    reason += f", then those {run.employer} looks for ({', '.join(wanted)})"
            else:
                wanted = [k for k in ranked if run.wanted(k)]
                reason = f"put first the skills {run.employer} looks for ({', '.join(wanted)})"
            line = skill_line(run.source, skill.keywords[0])
            run.log("reordered", "skills", ", ".join(skill.keywords), reason, line)
            skill.keywords = ranked


def _valued(skill: str, profile: CompanyProfile) -> bool:
    return any(mentions(skill, keyword) or mentions(keyword, skill) for keyword in profile.keywords)


def _trim_summary(cv: CV, run: _Run) -> None:
    summary = cv.basics.summary
    if not summary:
        return
    sentences = split_sentences(summary)
    if len(sentences) <= SUMMARY_MAX_SENTENCES and len(summary.split()) <= SUMMARY_MAX_WORDS:
        return
    # the first sentence says who you are; the rest compete on relevance
    ranked = sorted(range(1, len(sentences)), key=lambda i: (-run.relevance(sentences[i]).score, i))
    keep = {0}
    words = len(sentences[0].split())
    for index in ranked:
        fits = words + len(sentences[index].split()) <= SUMMARY_MAX_WORDS
        if len(keep) < SUMMARY_MAX_SENTENCES and fits:
            keep.add(index)
            words += len(sentences[index].split())
    cv.basics.summary = " ".join(sentences[i] for i in sorted(keep))
    reason = (
        f"summary cut to its {len(keep)} sentences most related to what {run.employer} "
        "weighs; reviewers read three sentences at most"
    )
    for index, sentence in enumerate(sentences):
        if index not in keep:
            run.log("trimmed", "summary", sentence, reason, run.line_of(sentence))


def source_kinds(cv: CV) -> list[str]:
    """The section kinds in the order the source has them, JSON Resume's when it does not say:
    the order a section's move is logged against (and undone to, in a review)."""
    return source_order(cv) or list(DEFAULT_ORDER)


def _log_section_moves(order: list[str], run: _Run) -> None:
    before = [kind for kind in source_kinds(run.source) if kind in order]
    # compared among the kinds the source places: a summary it gives no title (a line under
    # the name) stands where the target puts it, and moves nothing up by being first
    after = [kind for kind in order if kind in before]
    titles = section_titles(run.source)
    for kind in after:
        if after.index(kind) < before.index(kind):
            why = run.profile.section_reasons.get(kind, f"the order {run.employer} reads a CV in")
            line = title_line(run.source, titles[kind])
            run.log("moved", kind, titles[kind], f"section moved up: {why}", line)


def _fit(cv: CV, order: list[str], max_pages: float, run: _Run) -> None:
    """Leave out the least valuable content until the CV fits on `max_pages` pages.

    Each step runs only while the CV is still too long, in this order: the sections reviewers
    read last; listed skills no line shows applied (never a language, a core framework or one
    the target or posting asks for), the last listed first; bullets without a measured
    outcome (every entry keeps one, the latest role two); projects beyond the three most
    relevant; publications beyond the six most recent; the bullets and descriptions of roles
    before the three most recent, so an older role stands as one line (its heading and
    dates); sections tailor could not place, last first; and only then measured bullets, the
    least relevant of the oldest roles first.
    """
    steps: list[tuple[Callable[[], bool], bool]] = [  # a step, and whether it drops sections
        (lambda: _drop_section(cv, order, run), True),
        (lambda: _drop_skill(cv, run), False),
        (lambda: _drop_bullet(cv, run, measured=False), False),
        (lambda: _drop_project(cv, run), False),
        (lambda: _drop_publication(cv, run), False),
        (lambda: _shorten_older_role(cv, run), False),
        (lambda: _drop_additional_section(cv, run), True),
        (lambda: _drop_bullet(cv, run, measured=True), False),
    ]
    length = rubric()["length"]
    per_line = int(length["chars_per_line"])
    budget = max_pages * float(length["lines_per_page"])
    for step, whole_sections in steps:
        while (over := estimated_lines(document := layout(cv, order), per_line) - budget) > 0:
            # One drop saves at most `largest` lines, so the first ceil(over / largest) drops
            # each leave the CV too long: measuring after each, as a long CV would need
            # thousands of times, would make the same drops.
            largest = largest_lines(document, per_line, whole_sections=whole_sections)
            if not all(step() for _ in range(max(1, math.ceil(over / max(largest, 1.0))))):
                break


OLDER_FROM = 3  # roles and projects from the fourth on may shrink to their heading line


def _drop_section(cv: CV, order: list[str], run: _Run) -> bool:
    kind = next((kind for kind in SECTIONS_DROPPED_FIRST if getattr(cv, kind)), None)
    if kind is None:
        return False
    setattr(cv, kind, [])
    order.remove(kind)
    title = section_titles(run.source)[kind]
    reason = "section left out to keep the CV to two pages; reviewers read it last"
    run.log("dropped", kind, title, reason, title_line(run.source, title))
    return True


def _drop_skill(cv: CV, run: _Run) -> bool:
    """Leave out the last listed skill that no line shows applied and nothing protects."""
    for skill in reversed(cv.skills):
        keyword = next((k for k in reversed(skill.keywords) if not run.keeps(k)), None)
        if keyword is None:
            continue
        skill.keywords.remove(keyword)
        reason = (
            "listed but never shown applied in your experience, left out to keep the CV to "
            f"two pages ({run.employer} reads an unused skill as padding); a bullet that uses "
            "it would keep it"
        )
        run.log("dropped", "skills", keyword, reason, skill_line(run.source, keyword))
        if not skill.keywords:
            cv.skills.remove(skill)
            if skill.name:
                reason = "every skill of this group was left out to keep the CV to two pages"
                run.log("dropped", "skills", skill.name, reason, run.line_of(skill.name))
        return True
    return False


def _drop_bullet(cv: CV, run: _Run, *, measured: bool) -> bool:
    """Drop the bullet worth least (measured ones only when `measured`): the least relevant,
    then the oldest entry's, then the last in its entry. False when none is left to drop."""
    candidates: list[tuple[float, int, int, Entry, Bullet, str]] = []
    for kind in ("volunteer", "projects", "work"):
        for rank, entry in _ranked(cv, kind):
            floor = MIN_BULLETS_LATEST_ROLE if kind == "work" and rank == 0 else 1
            if len(entry.highlights) <= floor:
                continue
            for position, bullet in enumerate(entry.highlights):
                rel = run.relevance(bullet.text)
                if rel.measured == measured:
                    # recent roles count for more (a reader weighs the last few years most),
                    # and a role's sixth bullet for less than another role's second
                    value = (
                        rel.score
                        + max(0, OLDER_FROM - rank) * RECENCY_WEIGHT
                        - max(0, position + 1 - BULLETS_PER_ROLE) * CROWDING_WEIGHT
                    )
                    candidates.append((value, -rank, -position, entry, bullet, kind))
    if not candidates:
        return False
    *_, entry, bullet, kind = min(candidates, key=lambda item: item[:3])
    if measured:
        why = (
            "it carries a measured outcome, but the CV still ran over two pages and it shows "
            f"the least of what {run.employer} weighs"
        )
    else:
        why = f"no measured outcome, and it shows little of what {run.employer} weighs"
    _drop_highlight(entry, bullet, kind, why, run)
    return True


def _shorten_older_role(cv: CV, run: _Run) -> bool:
    """Take a bullet, then the description, off the oldest role before the three most recent."""
    why = "roles before your three most recent stand as one line each"
    for entry in run.older_roles(cv):
        if entry.highlights:
            _drop_highlight(entry, entry.highlights[-1], "work", why, run)
            return True
        if texts := _descriptions(entry):
            _drop_descriptions(entry)
            reason = f"description of {_entry_name(entry)} left out: {why}"
            for text in texts:
                run.log("dropped", "work", text, reason, run.line_of(text))
            return True
    return False


def _descriptions(entry: Entry) -> list[str]:
    """The lines under an entry's heading (a role's summary and its employer's description),
    but a line that only repeats the entry's one bullet (a line of a plain list, read as a
    project)."""
    if isinstance(entry, Project):
        texts = [entry.description]
    else:
        texts = [entry.summary, getattr(entry, "description", None)]
    bullets = {plain(bullet.text) for bullet in entry.highlights}
    return [text for text in dict.fromkeys(texts) if text and plain(text) not in bullets]


def _drop_descriptions(entry: Entry) -> None:
    if isinstance(entry, Project):
        entry.description = None
    elif isinstance(entry, Work):
        entry.summary = entry.description = None
    else:
        entry.summary = None


def _ranked(cv: CV, kind: str) -> list[tuple[int, Entry]]:
    """The entries of a section with their rank, 0 first: roles and volunteering by date (the
    latest first, whatever order the CV gives them), projects in their order of relevance."""
    entries: list[Entry] = getattr(cv, kind)
    if kind == "projects" or not any(e.start_date or e.end_date for e in entries):
        return list(enumerate(entries))

    def latest_first(index: int) -> tuple[str, str, int]:
        entry = entries[index]
        end = entry.end_date or ("9999" if entry.start_date else "")  # no end: ongoing
        return (end, entry.start_date or "", -index)

    order = sorted(range(len(entries)), key=latest_first, reverse=True)
    ranks = {index: rank for rank, index in enumerate(order)}
    return sorted(((ranks[i], entry) for i, entry in enumerate(entries)), key=lambda p: p[0])


def _drop_highlight(entry: Entry, bullet: Bullet, kind: str, why: str, run: _Run) -> None:
    entry.highlights.remove(bullet)
    reason = f"dropped from {_entry_name(entry)} to keep the CV to two pages: {why}"
    run.log("dropped", kind, bullet.text, reason, _line(bullet))


def _drop_project(cv: CV, run: _Run) -> bool:
    if len(cv.projects) <= OLDER_FROM:
        return False
    project = cv.projects.pop()  # the least relevant: projects are in order of relevance
    reason = (
        f"the least related of your projects to what {run.employer} weighs, left out to "
        "keep the CV to two pages; the guide's advice is to show three to five systems"
    )
    label = _project_label(project)
    run.log("dropped", "projects", label, reason, run.line_of(label))
    return True


KEPT_PUBLICATIONS = 6  # a long publication list keeps its most recent few on two pages


def _drop_publication(cv: CV, run: _Run) -> bool:
    """Leave out the oldest publication beyond the six most recent (a full list belongs on
    a publication page or Google Scholar profile, which a link can point to)."""
    if len(cv.publications) <= KEPT_PUBLICATIONS:
        return False
    oldest = min(
        range(len(cv.publications)),
        key=lambda i: (cv.publications[i].release_date or "", -i),
    )
    publication = cv.publications.pop(oldest)
    reason = (
        "an older publication, left out to keep the CV to two pages; the most recent "
        f"{KEPT_PUBLICATIONS} stay, and a link to your full list covers the rest"
    )
    run.log("dropped", "publications", publication.name, reason, run.line_of(publication.name))
    return True


def _drop_additional_section(cv: CV, run: _Run) -> bool:
    extra = (cv.model_extra or {}).get("additionalSections") or []
    if not extra:
        return False
    title = str(extra.pop().get("title", ""))
    reason = "a section tailor cannot place, left out to keep the CV to two pages"
    run.log("dropped", "additional", title, reason, title_line(run.source, title))
    return True


# -- helpers --------------------------------------------------------------------------------


def _present_sections(cv: CV) -> list[str]:
    """The section kinds the CV has content for, in the source's order."""
    order = list(dict.fromkeys([*source_order(cv), *DEFAULT_ORDER]))
    present = []
    for kind in order:
        if kind == "summary":
            if cv.basics.summary:
                present.append(kind)
        elif getattr(cv, kind, None):
            present.append(kind)
    return present


def _entry_name(entry: Entry) -> str:
    if isinstance(entry, Work):
        return entry.name or entry.position or "this role"
    if isinstance(entry, Volunteer):
        return entry.organization or entry.position or "this entry"
    return entry.name or "this project"


def _project_label(project: Project) -> str | None:
    """What names a project in the change log: its name, else its first line."""
    if project.name:
        return project.name
    return project.highlights[0].text if project.highlights else project.description


def _entry_text(project: Project) -> str:
    parts = [project.name or "", project.description or "", *(b.text for b in project.highlights)]
    return " ".join(parts)


def _line(bullet: Bullet) -> int | None:
    return bullet.source.line if bullet.source is not None else None
