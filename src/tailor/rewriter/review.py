"""Review a rewrite: keep the changes the user accepts, undo the others against the source.

A rejected change is undone with the source's own text, place or order; nothing is written
that is neither the tailored text of an accepted change nor the source's own. How each kind
is undone, and what happens where two changes touch one thing:

- a dropped bullet, project, publication, section, skill, skill group, description or
  additional section comes back as the source has it, after its nearest preceding source
  sibling that is present (first, when none is). A dropped project comes back with its
  source bullets in the source's order, less those whose own drop is accepted; rejecting
  the drop of a line of a dropped project brings the project back the same way. A bullet the
  model reworded and the page fit then dropped comes back reworded if that rewording is
  accepted, else as the user wrote it;
- a skill comes back with its group: rejecting the drop of one skill of a group that was
  dropped whole brings the group back with the skills whose drops are not accepted;
  rejecting the group's own drop brings back those skills too, or every skill of the group
  when all their drops are accepted (a group is never shown empty);
- a trimmed summary sentence comes back in its place; a reworded summary, bullet or skill
  gets the source's text back;
- moves are undone per list (an entry's bullets, the projects, the sections): when one
  move of a list is rejected, the items whose move is accepted keep their places and every
  other item of the list takes the remaining places in the source's order. So rejecting
  every move of a list gives the source's order, and accepting them all keeps the tailored
  one. A bullet the model reworded is one it placed too, so its rewording counts as a move
  of its entry's list (rejecting every change of an LLM rewrite gives the source's order). A
  bullet or project that was moved and then dropped, its drop rejected, comes back at its
  source place;
- a reordered skill group gets the source's order of its skills (a skill renamed to the
  posting's word ranks as the user's word did);
- a change that names nothing this function can find in both CVs has nothing to undo.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from tailor.cv.layout import DEFAULT_TITLES, section_titles
from tailor.cv.lines import sentences
from tailor.cv.model import CV, Bullet, Project, Skill, Volunteer, Work, json_strings
from tailor.errors import UserError
from tailor.posting.coverage import coverage
from tailor.posting.model import JobPosting
from tailor.rewriter.extractive import estimated_pages, source_kinds
from tailor.rewriter.model import Change, TailoredCV
from tailor.skills import canonical

NOTE_KINDS = frozenset({"reverted", "hidden", "restored"})
ENTRY_KINDS = ("work", "projects", "volunteer")
_ADDITIONAL = "additionalSections"

T = TypeVar("T")
Entry = Work | Project | Volunteer
# what a change is about, in the source: ("bullet", kind, entry, bullet), ("project", index)...
Target = tuple[Any, ...]


def reviewable(change: Change) -> bool:
    """Whether a user can accept or reject this change: moved, reordered, trimmed, dropped,
    reworded. reverted, hidden, restored and the 'unplaced' dropped lines are notes: always
    kept."""
    return change.kind not in NOTE_KINDS and change.section != "unplaced"


def apply_changes(
    source: CV,
    tailored: TailoredCV,
    accepted: Collection[int],
    *,
    posting: JobPosting | None = None,
) -> TailoredCV:
    """`tailored` rebuilt with only the reviewable changes whose index (in tailored.changes) is
    in `accepted`: every other reviewable change is undone, back to the source's own line,
    place or order (see this module's docstring for how).

    The result's changes are the accepted reviewable ones and every note, in their order; its
    pages are estimated again; `unsupported` keeps the violations whose text the result still
    holds. Its coverage is computed again for `posting` when one is given (the posting the
    rewrite was made for); otherwise `tailored.coverage` is kept as it was. Neither input is
    changed.
    """
    chosen = _checked(accepted, len(tailored.changes))
    review = _Review(source, tailored, chosen)
    review.undo()
    cv, order = review.cv, review.order
    held = set(json_strings(cv.model_dump()))
    update: dict[str, Any] = {
        "cv": cv,
        "section_order": order,
        "changes": [c for i, c in enumerate(tailored.changes) if i in chosen or not reviewable(c)],
        "unsupported": [v for v in tailored.unsupported if v.text in held],
        "pages": round(estimated_pages(cv, order), 2),
    }
    if posting is not None:
        update["coverage"] = coverage(cv, posting)
    result = tailored.model_copy(deep=True, update=update)
    result.changes = [change.model_copy() for change in result.changes]
    return result


def _checked(accepted: Collection[int], count: int) -> set[int]:
    """The accepted indexes, each one of a change of the rewrite."""
    for index in accepted:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
            span = f"numbered 0 to {count - 1}" if count else "none"
            raise UserError(
                f"There is no change {index!r} to accept: this rewrite's changes are {span}."
            )
    return set(accepted)


# -- matching the tailored CV to its source --------------------------------------------------


def _identity(item: Any) -> str:
    """What names an entry whatever the rewrite did to its lines."""
    if isinstance(item, dict):
        return json.dumps(item, sort_keys=True, default=str)
    exclude = {"keywords"} if isinstance(item, Skill) else {"highlights", "summary", "description"}
    if not isinstance(item, BaseModel):
        return repr(item)
    dumped = item.model_dump(mode="json", exclude=exclude)
    return json.dumps(dumped, sort_keys=True, default=str)


def _content(item: Any) -> set[Hashable]:
    """What an entry holds, to tell apart two entries of the same identity."""
    if isinstance(item, Skill):
        return {canonical(keyword).lower() for keyword in item.keywords}
    if isinstance(item, Work | Project | Volunteer):
        return {b.source or b.text for b in item.highlights}
    return set()


def _pairs(sources: Sequence[T], items: Sequence[T]) -> list[int | None]:
    """For each item, the index of the source item it is a copy of (None: none)."""
    free: dict[str, list[int]] = {}
    for index, item in enumerate(sources):
        free.setdefault(_identity(item), []).append(index)
    pairs: list[int | None] = []
    for item in items:
        candidates = free.get(_identity(item), [])
        if not candidates:
            pairs.append(None)
            continue
        mine = _content(item)
        best = max(candidates, key=lambda i: (len(mine & _content(sources[i])), -i))
        candidates.remove(best)
        pairs.append(best)
    return pairs


def _bullet_pairs(sources: Sequence[Bullet], bullets: Sequence[Bullet]) -> list[int | None]:
    """For each bullet, its source bullet: by `Bullet.source` where that names one line of
    the entry, else by text."""
    located = Counter(b.source for b in sources if b.source is not None and b.source.line)
    used: set[int] = set()
    pairs: list[int | None] = []
    for bullet in bullets:
        index = None
        if bullet.source is not None and located[bullet.source] == 1:
            index = next(i for i, s in enumerate(sources) if s.source == bullet.source)
        if index is None or index in used:
            index = next(
                (i for i, s in enumerate(sources) if s.text == bullet.text and i not in used), None
            )
        if index is not None:
            used.add(index)
        pairs.append(index)
    return pairs


# -- putting things back ---------------------------------------------------------------------


def _insert(tagged: list[tuple[int | None, T]], index: int, item: T) -> None:
    """Put `item` (source position `index`) after its nearest preceding source sibling that
    is present, else first."""
    before = [p for p, (i, _) in enumerate(tagged) if i is not None and i < index]
    position = max(before, key=lambda p: tagged[p][0] or 0) + 1 if before else 0
    tagged.insert(position, (index, item))


def _source_ordered(
    tagged: list[tuple[int | None, T]], fixed: Callable[[int], bool]
) -> list[tuple[int | None, T]]:
    """The items that stay (`fixed`, or not from the source) in their places; the others in
    the remaining places, in the source's order."""
    slots = [p for p, (i, _) in enumerate(tagged) if i is not None and not fixed(i)]
    movable = sorted((tagged[p] for p in slots), key=lambda pair: pair[0] or 0)
    result = list(tagged)
    for slot, pair in zip(slots, movable, strict=True):
        result[slot] = pair
    return result


@dataclass
class _Review:
    """One review: the source, a copy of the tailored CV, and what each change is about."""

    source: CV
    tailored: TailoredCV
    chosen: set[int]
    cv: CV = field(init=False)
    order: list[str] = field(init=False)
    # what each reviewable change is about, in the change log's order, and whether it stays
    targets: list[tuple[Target, bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cv = self.tailored.cv.model_copy(deep=True)
        if self.tailored.cv.origin is not None:
            self.cv.set_origin(self.tailored.cv.origin)
        self.order = list(self.tailored.section_order)
        self.titles = section_titles(self.source)
        self.entry_pairs = {
            kind: _pairs(getattr(self.source, kind), getattr(self.cv, kind)) for kind in ENTRY_KINDS
        }
        for index, change in enumerate(self.tailored.changes):
            if not reviewable(change):
                continue
            target = self._target(change)
            if target is None:
                continue
            self.targets.append((target, index in self.chosen))
        self.accepted = [target for target, ok in self.targets if ok]
        self.rejected = [target for target, ok in self.targets if not ok]

    # -- what a change is about

    def _target(self, change: Change) -> Target | None:
        kind, section, quote = change.kind, change.section, change.quote or ""
        if section == "summary":
            return {"reworded": ("summary",), "trimmed": ("sentence", quote)}.get(
                kind, ("section", section) if kind == "moved" else None
            )
        if kind == "moved" and section in DEFAULT_TITLES and self._section_move(section, quote):
            return ("section", section)
        if kind == "dropped" and self._section_drop(section, quote):
            return ("section-drop", section)
        if section == "skills":
            return self._skill_target(change)
        if section == "publications" and kind == "dropped":
            found = self._absent(self.source.publications, self.cv.publications, "name", quote)
            return ("publication", found) if found is not None else None
        if section == "additional" and kind == "dropped":
            return self._additional_target(quote)
        if section == "projects" and kind in ("moved", "dropped"):
            project = self._project_target(change)
            if project is not None:
                return project
        if section in ENTRY_KINDS:
            return self._bullet_target(change)
        return None

    def _section_move(self, section: str, quote: str) -> bool:
        if quote != self.titles.get(section):
            return False
        entries = getattr(self.source, section, [])
        return not any(str(b) == quote for e in entries for b in getattr(e, "highlights", []))

    def _section_drop(self, section: str, quote: str) -> bool:
        return (
            section in DEFAULT_TITLES
            and section not in ("summary", "work")
            and quote == self.titles.get(section)
            and bool(getattr(self.source, section, None))
            and not getattr(self.cv, section, None)
        )

    def _absent(self, sources: Sequence[Any], items: Sequence[Any], key: str, quote: str) -> Any:
        """The source item named `quote` (by `key`) that `items` lacks, else the first so named."""
        named = [i for i, s in enumerate(sources) if getattr(s, key, None) == quote]
        present = {i for i in _pairs(sources, items) if i is not None}
        return next((i for i in named if i not in present), named[0] if named else None)

    def _additional_target(self, title: str) -> Target | None:
        sources = self._additional(self.source)
        named = [i for i, s in enumerate(sources) if str(s.get("title", "")) == title]
        present = {i for i in _pairs(sources, self._additional(self.cv)) if i is not None}
        found = next((i for i in named if i not in present), None)
        return ("additional", found) if found is not None else None

    def _project_target(self, change: Change) -> Target | None:
        quote = change.quote or ""
        present = {i for i in self.entry_pairs["projects"] if i is not None}
        for index, project in enumerate(self.source.projects):
            if project.name:
                if project.name != quote:
                    continue
            elif quote not in (project.description, *(b.text for b in project.highlights)):
                continue
            if change.kind == "dropped" and index not in present:
                return ("project", index, "dropped")
            if change.kind == "moved" and index in present and self._project_moved(index, quote):
                return ("project", index, "moved")
        return None

    def _project_moved(self, index: int, quote: str) -> bool:
        """Whether a move quoting `quote` is the project's own: a named project's by its name;
        a nameless one's by its first line, unless that line is a bullet that moved up."""
        project = self.source.projects[index]
        if project.name:
            return True
        texts = [b.text for b in project.highlights]
        return quote not in texts or texts.index(quote) == 0

    def _bullet_target(self, change: Change) -> Target | None:
        kind, quote = change.section, change.quote or ""
        entries: list[Entry] = getattr(self.source, kind)
        found = [
            (e, j)
            for e, entry in enumerate(entries)
            for j, bullet in enumerate(entry.highlights)
            if bullet.text == quote
        ]
        if not found and change.line is not None:  # a reworded line dropped: by its line
            found = [
                (e, j)
                for e, entry in enumerate(entries)
                for j, bullet in enumerate(entry.highlights)
                if bullet.source is not None and bullet.source.line == change.line
            ]
        if found:

            def rank(place: tuple[int, int]) -> tuple[bool, bool]:
                bullet = entries[place[0]].highlights[place[1]]
                line = bullet.source.line if bullet.source else None
                shown = self._bullet_present(kind, *place)
                return (line != change.line, shown == (change.kind == "dropped"))

            e, j = min(found, key=rank)
            return ("bullet", kind, e, j, change.kind, quote)
        if kind == "work" and change.kind == "dropped":
            for e, entry in enumerate(self.source.work):
                if quote in (entry.summary, entry.description):
                    return ("description", e, quote)
        return None

    def _bullet_present(self, kind: str, entry: int, bullet: int) -> bool:
        mine = self._tailored_entry(kind, entry)
        if mine is None:
            return False
        source = getattr(self.source, kind)[entry].highlights
        return bullet in _bullet_pairs(source, mine.highlights)

    def _tailored_entry(self, kind: str, index: int) -> Entry | None:
        pairs = self.entry_pairs[kind]
        entries: list[Entry] = getattr(self.cv, kind)
        return entries[pairs.index(index)] if index in pairs else None

    def _skill_target(self, change: Change) -> Target | None:
        quote = change.quote or ""
        groups = self.source.skills
        present = {i for i in self._group_pairs() if i is not None}
        if change.kind == "reordered":
            found = self._reordered_group(quote.split(", "))
            return ("reorder", found) if found is not None else None
        if change.kind == "dropped":
            for g, group in enumerate(groups):
                if group.name == quote and g not in present:
                    return ("group", g)
        named = [
            (g, k)
            for g, group in enumerate(groups)
            for k, keyword in enumerate(group.keywords)
            if keyword == quote
        ]
        if not named:
            return None
        # a skill two groups list: the group the change took it from (a drop: where it is gone)
        shown = {
            g: s.keywords
            for g, s in zip(self._group_pairs(), self.cv.skills, strict=True)
            if g is not None
        }
        gone = [(g, k) for g, k in named if quote not in shown.get(g, [])]
        first = gone[0] if change.kind == "dropped" and gone else named[0]
        return ("keyword", change.kind, *first)

    def _group_pairs(self) -> list[int | None]:
        return _pairs(self.source.skills, self.cv.skills)

    def _reordered_group(self, keywords: list[str]) -> int | None:
        """The source group a reordered change lists (its skills, some by the posting's word)."""
        wanted = {canonical(k).lower() for k in keywords}
        for g, group in enumerate(self.source.skills):
            if {canonical(k).lower() for k in group.keywords} == wanted:
                return g
        return None

    # -- undoing

    def undo(self) -> None:
        if not self.rejected:
            return
        self._undo_sections()
        self._undo_projects()
        for kind in ENTRY_KINDS:
            self._undo_bullets(kind)
        self._undo_descriptions()
        self._undo_publications()
        self._undo_additional()
        self._undo_skills()
        self._undo_summary()
        self._undo_section_order()

    def _rejected(self, kind: str) -> list[Target]:
        return [t for t in self.rejected if t[0] == kind]

    def _accepted(self, kind: str) -> list[Target]:
        return [t for t in self.accepted if t[0] == kind]

    def _undo_sections(self) -> None:
        for _, kind in self._rejected("section-drop"):
            setattr(
                self.cv, kind, [item.model_copy(deep=True) for item in getattr(self.source, kind)]
            )

    def _undo_section_order(self) -> None:
        # the kinds the source places (JSON Resume's order when it does not say); any other
        # keeps its place
        ranks = {kind: rank for rank, kind in enumerate(source_kinds(self.source))}
        tagged: list[tuple[int | None, str]] = [(ranks.get(kind), kind) for kind in self.order]
        for _, kind in self._rejected("section-drop"):
            if kind in ranks and all(k != kind for _, k in tagged):
                _insert(tagged, ranks[kind], kind)
            elif all(k != kind for _, k in tagged):
                tagged.append((None, kind))
        if self._rejected("section"):
            kept = {ranks.get(t[1]) for t in self._accepted("section")}
            tagged = _source_ordered(tagged, lambda rank: rank in kept)
        self.order = [kind for _, kind in tagged]

    def _undo_projects(self) -> None:
        sources = self.source.projects
        tagged: list[tuple[int | None, Project]] = list(
            zip(self.entry_pairs["projects"], self.cv.projects, strict=True)
        )
        dropped = {
            (t[2], t[3])
            for t in self._accepted("bullet")
            if t[1] == "projects" and t[4] == "dropped"
        }
        # a project's rejected drop, or that of one of its lines, brings the project back
        wanted = {index for _, index, what in self._rejected("project") if what == "dropped"}
        wanted |= {
            t[2] for t in self._rejected("bullet") if t[1] == "projects" and t[4] == "dropped"
        }
        for index in sorted(wanted):
            if all(i != index for i, _ in tagged):
                project = sources[index].model_copy(deep=True)
                project.highlights = [
                    b for j, b in enumerate(project.highlights) if (index, j) not in dropped
                ]
                _insert(tagged, index, project)
        if any(what == "moved" for *_, what in self._rejected("project")):
            kept = {index for _, index, what in self._accepted("project") if what == "moved"}
            tagged = _source_ordered(tagged, lambda i: i in kept)
        self.cv.projects = [project for _, project in tagged]
        self.entry_pairs["projects"] = [i for i, _ in tagged]

    def _undo_bullets(self, kind: str) -> None:
        touched = {t[2] for t, _ in self.targets if t[0] == "bullet" and t[1] == kind}
        for e in sorted(touched):
            entry = self._tailored_entry(kind, e)
            if entry is not None:
                self._undo_entry(kind, e, entry)

    def _undo_entry(self, kind: str, e: int, entry: Entry) -> None:
        sources: list[Bullet] = getattr(self.source, kind)[e].highlights
        pairs = self._located(kind, e, sources, entry.highlights)
        tagged: list[tuple[int | None, Bullet]] = list(zip(pairs, entry.highlights, strict=True))
        mine = [(t, ok) for t, ok in self.targets if t[:3] == ("bullet", kind, e)]
        reworded = {t[3] for t, ok in mine if ok and t[4] == "reworded"}
        for target, ok in mine:
            j, what, quote = target[3], target[4], target[5]
            at = next((p for p, (i, _) in enumerate(tagged) if i == j), None)
            if ok:
                continue
            if what == "reworded" and at is not None:
                tagged[at] = (j, Bullet(text=sources[j].text, source=tagged[at][1].source))
            elif what == "dropped" and at is None:
                # a reworded line the page fit dropped: as accepted, or the user's own
                text = quote if j in reworded else sources[j].text
                _insert(tagged, j, Bullet(text=text, source=sources[j].source))
        # the model places the lines it rewords: a rewording counts as a move too
        if any(not ok and t[4] in ("moved", "reworded") for t, ok in mine):
            kept = {t[3] for t, ok in mine if ok and t[4] in ("moved", "reworded")}
            tagged = _source_ordered(tagged, lambda i: i in kept)
        entry.highlights = [bullet for _, bullet in tagged]

    def _located(
        self, kind: str, e: int, sources: list[Bullet], bullets: list[Bullet]
    ) -> list[int | None]:
        """Each bullet's source bullet; a reworded bullet that names no line of the source is
        paired with the rewordings of its entry, in the change log's order."""
        pairs = _bullet_pairs(sources, bullets)
        reworded = [
            t[3]
            for t, _ in self.targets
            if t[:3] == ("bullet", kind, e) and t[4] == "reworded" and t[3] not in pairs
        ]
        unplaced = [p for p, i in enumerate(pairs) if i is None]
        for p, j in zip(unplaced, dict.fromkeys(reworded), strict=False):
            pairs[p] = j
        return pairs

    def _undo_descriptions(self) -> None:
        for _, e, quote in self._rejected("description"):
            entry = self._tailored_entry("work", e)
            source = self.source.work[e]
            if not isinstance(entry, Work):
                continue
            if source.summary == quote:
                entry.summary = quote
            if source.description == quote:
                entry.description = quote

    def _undo_publications(self) -> None:
        sources = self.source.publications
        tagged = list(zip(_pairs(sources, self.cv.publications), self.cv.publications, strict=True))
        for _, index in self._rejected("publication"):
            if all(i != index for i, _ in tagged):
                _insert(tagged, index, sources[index].model_copy(deep=True))
        self.cv.publications = [item for _, item in tagged]

    @staticmethod
    def _additional(cv: CV) -> list[dict[str, Any]]:
        extra = (cv.model_extra or {}).get(_ADDITIONAL)
        return [item for item in extra if isinstance(item, dict)] if isinstance(extra, list) else []

    def _undo_additional(self) -> None:
        rejected = self._rejected("additional")
        if not rejected:
            return
        sources = self._additional(self.source)
        mine = self._additional(self.cv)
        tagged = list(zip(_pairs(sources, mine), mine, strict=True))
        for _, index in rejected:
            if all(i != index for i, _ in tagged):
                _insert(tagged, index, json.loads(json.dumps(sources[index])))
        setattr(self.cv, _ADDITIONAL, [item for _, item in tagged])

    def _undo_skills(self) -> None:
        groups = self.source.skills
        tagged = list(zip(_pairs(groups, self.cv.skills), self.cv.skills, strict=True))
        dropped = {(t[2], t[3]) for t in self._accepted("keyword") if t[1] == "dropped"}
        wanted = {t[1] for t in self._rejected("group")}
        wanted |= {t[2] for t in self._rejected("keyword") if t[1] == "dropped"}
        for g in sorted(wanted):
            if any(i == g for i, _ in tagged):
                continue
            group = groups[g].model_copy(deep=True)
            kept = [w for k, w in enumerate(group.keywords) if (g, k) not in dropped]
            group.keywords = kept or list(group.keywords)
            _insert(tagged, g, group)
        for g, group in tagged:
            if g is not None:
                self._undo_group(g, group)
        self.cv.skills = [group for _, group in tagged]

    def _undo_group(self, g: int, group: Skill) -> None:
        """A skill group's rejected rewordings, drops and reordering undone."""
        sources = self.source.skills[g].keywords
        tagged = [(_rank(keyword, sources), keyword) for keyword in group.keywords]
        for target in self._rejected("keyword"):
            what, k = target[1], target[3]
            if target[2] != g:
                continue
            word = sources[k]
            if what == "reworded":
                same = canonical(word).lower()
                at = next(
                    (
                        p
                        for p, (_, kw) in enumerate(tagged)
                        if kw not in sources and canonical(kw).lower() == same
                    ),
                    None,
                )
                if at is not None:
                    tagged[at] = (k, word)
                    continue
            if all(kw != word for _, kw in tagged):
                _insert(tagged, k, word)
        if any(t[1] == g for t in self._rejected("reorder")):
            tagged = _source_ordered(tagged, lambda _: False)
        group.keywords = [keyword for _, keyword in tagged]

    def _undo_summary(self) -> None:
        basics = self.cv.basics
        if self._rejected("summary"):
            basics.summary = self.source.basics.summary
            return
        if not self._rejected("sentence") or self._accepted("summary"):
            return
        if not self._accepted("sentence"):
            basics.summary = self.source.basics.summary
            return
        parts = sentences(self.source.basics.summary or "")
        for _, quote in self._accepted("sentence"):
            if quote in parts:
                parts.remove(quote)
        basics.summary = " ".join(parts)  # as the rewrite joins the sentences it keeps


def _rank(keyword: str, sources: list[str]) -> int | None:
    """A skill's place in its source group: as written, else by its canonical name."""
    if keyword in sources:
        return sources.index(keyword)
    same = canonical(keyword).lower()
    return next((k for k, kw in enumerate(sources) if canonical(kw).lower() == same), None)
