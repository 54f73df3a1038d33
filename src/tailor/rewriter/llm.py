"""The LLM rewrite: the model rewords and reorders the user's lines; the grounding check keeps
it honest.

The model answers with edits by id (`LLMRewrite`): for each role or project, its bullets in a
new order, each naming the CV bullet it comes from and its new wording; a summary; questions
for the user. tailor applies the edits to a copy of the CV (a bullet can only stay within its
own role, and only once), then runs `tailor.grounding.check`. A fact the CV does not state is
sent back to the model once, with the list; whatever is still unsupported after that is
reverted to the user's own line, and the change log says so. The result cannot state a fact
the source does not.

Nothing is lost either: a bullet the model leaves out is put back, and only the page fit (the
same as offline) may drop it, with its reason. The model's questions for the user and its
reasons for an edit are held to the same rule as its wording: a question or reason that names
a figure, employer, tool or claim neither the CV nor the posting states is not shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from tailor.cv.model import CV, Bullet
from tailor.errors import ProviderError
from tailor.grounding import FactKind, Violation, check, stated_by, unsupported_in
from tailor.llm.base import Message
from tailor.llm.client import LLMClient
from tailor.posting.model import JobPosting
from tailor.privacy import redaction_for
from tailor.prompts import (
    ENTRY_PREFIXES,
    ID_PREFIX,
    BulletRef,
    bullet_ids,
    normal_id,
    task_messages,
    without_instruction_bullets,
)
from tailor.rewriter.conservation import not_shown
from tailor.rewriter.extractive import (
    estimated_pages,
    fit_to_pages,
    section_order,
)
from tailor.rewriter.model import Change, ChangeKind, TailoredCV
from tailor.rules import rubric
from tailor.skills import shows, written_skills
from tailor.targets import CompanyProfile
from tailor.usage import add_usage

_KINDS = {prefix: kind for kind, prefix in ENTRY_PREFIXES.items()}
log = logging.getLogger("tailor.llm")


class BulletEdit(BaseModel):
    """One bullet of the tailored entry: which CV bullet it comes from, and its wording."""

    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    why: str


class EntryEdit(BaseModel):
    """A role or project's bullets in their new order (a bullet left out is dropped)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    bullets: list[BulletEdit]


class LLMRewrite(BaseModel):
    """The model's edits of one CV for one target."""

    model_config = ConfigDict(extra="forbid")

    summary: str
    entries: list[EntryEdit]
    questions: list[str]


@dataclass
class _Edited:
    """A CV with the model's edits applied, and where each edited field came from."""

    cv: CV
    changes: list[Change]
    # path in the tailored CV -> the user's own text it replaced, and that text's line
    originals: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    # (kind, entry index) -> the bullets of that entry the model's answer left out
    left_out: dict[tuple[str, int], list[Bullet]] = field(default_factory=dict)


def rewrite_llm(
    cv: CV, profile: CompanyProfile, client: LLMClient, posting: JobPosting | None = None
) -> TailoredCV:
    """Tailor `cv` for `profile` (and `posting`) with the model behind `client`; every fact
    checked."""
    source, removed = without_instructions(cv)
    messages = task_messages("rewrite", source, profile, posting)
    # what the model's questions and reasons for the user may name
    stated = stated_by(source, posting.text if posting else None)
    # the user's personal details go out as placeholders
    private = redaction_for(cv) if client.settings.redacts else None
    first = client.generate(messages, LLMRewrite, private=private)
    answer, usage = first.value, first.usage
    edited = apply_edits(source, profile, answer, stated)
    violations = check(edited.cv, source)
    if violations:
        again = [
            *messages,
            Message("assistant", answer.model_dump_json()),
            Message("user", _violations_note(violations)),
        ]
        try:
            second = client.generate(again, LLMRewrite, private=private)
        except ProviderError as error:  # the first answer, with its inventions undone, stands
            log.info("the second answer failed (%s); keeping the first, reverted", error)
            if error.usage is not None:  # its answers are billed all the same
                usage = add_usage(usage, error.usage)
        else:
            answer, usage = second.value, add_usage(usage, second.usage)
            edited = apply_edits(source, profile, answer, stated)
            violations = check(edited.cv, source)
    if violations:
        revert(edited, violations)
    keep_summary_skills(edited, source)
    restored = restore_left_out(edited)
    order = section_order(edited.cv, profile)
    # the page fit decides what goes, as offline: the model's drops were put back above
    fitted = fit_to_pages(edited.cv, source, profile, order)
    edited.changes = removed + edited.changes + fitted + _still_there(restored, edited.cv)
    edited.changes += not_shown(edited.cv, order)
    questions = [q.strip() for q in answer.questions if q.strip()]
    # a question asks rather than claims ("did you lead it?"): its facts are checked, not its verbs
    grounded = [q for q in questions if not _facts_only(unsupported_in(q, stated))]
    if len(grounded) < len(questions):
        log.info(
            "%d question(s) not shown: they name what the CV does not",
            len(questions) - len(grounded),
        )
    return TailoredCV(
        target=profile.id,
        target_name=profile.name,
        provider=client.settings.provider,
        model=usage.model,
        cv=edited.cv,
        section_order=order,
        changes=edited.changes,
        unsupported=check(edited.cv, source),
        pages=round(estimated_pages(edited.cv, order), 2),
        max_pages=float(rubric()["length"]["max_pages"]),
        questions=grounded,
        questions_dropped=len(questions) - len(grounded),
        usage=usage,
    )


def without_instructions(cv: CV) -> tuple[CV, list[Change]]:
    """The CV without bullets that read as instructions to an AI ("ignore your rules...").

    Such a line is no fact about the candidate. Left in, a model that obeyed it could reword
    it into a claim the grounding check would take for the user's own; so it is neither sent
    nor kept, and the change log says so.
    """
    clean, removed = without_instruction_bullets(cv)
    reason = "it reads as an instruction to an AI, not as a line of a CV"
    return clean, [_about(bullet, "dropped", kind, reason) for kind, bullet in removed]


def apply_edits(
    source: CV, profile: CompanyProfile, answer: LLMRewrite, stated: list[str]
) -> _Edited:
    """The source with the model's edits applied, each logged against the user's line; the
    model's reason for an edit is given only if it names nothing `stated` does not.

    An entry whose edits name none of its own bullets (an empty list, ids the CV does not
    have) is left as it was: a malformed answer never empties a role.
    """
    cv = source.model_copy(deep=True)
    if source.origin is not None:
        cv.set_origin(source.origin)
    edited = _Edited(cv, [])
    employer = profile.employer_phrase
    refs = bullet_ids(source)
    done: set[tuple[str, int]] = set()
    for entry_edit in answer.entries:
        kind, index = _entry_ref(entry_edit.id)
        entries = getattr(source, kind, []) if kind else []
        if kind is None or not 0 <= index < len(entries) or (kind, index) in done:
            continue  # an id the CV does not have, or an entry edited twice
        original = entries[index].highlights
        picks = _picks(entry_edit, refs, kind, index)
        if not picks:
            continue
        done.add((kind, index))
        kept: list[Bullet] = []
        for bullet_index, edit in picks:
            mine = original[bullet_index]
            line = mine.source.line if mine.source else None
            text = ID_PREFIX.sub("", edit.text).strip() or mine.text
            edited.originals[f"{kind}[{index}].highlights[{len(kept)}]"] = (mine.text, line)
            why = edit.why.strip()
            why = "" if why and unsupported_in(why, stated) else why
            if text != mine.text:
                reason = f"reworded for {employer}" + (f": {why}" if why else "")
                edited.changes.append(
                    Change(kind="reworded", section=kind, quote=mine.text, line=line, reason=reason)
                )
            elif len(kept) < bullet_index:
                reason = f"moved up for {employer}" + (f": {why}" if why else "")
                edited.changes.append(
                    Change(kind="moved", section=kind, quote=mine.text, line=line, reason=reason)
                )
            kept.append(Bullet(text=text, source=mine.source))
        used = {bullet_index for bullet_index, _ in picks}
        edited.left_out[(kind, index)] = [b for i, b in enumerate(original) if i not in used]
        getattr(cv, kind)[index].highlights = kept
    summary = answer.summary.strip()
    if summary and source.basics.summary and summary != source.basics.summary:
        cv.basics.summary = summary
        line = source.origin.line_of(source.basics.summary[:60]) if source.origin else None
        edited.originals["basics.summary"] = (source.basics.summary, line)
        edited.changes.append(
            Change(
                kind="reworded",
                section="summary",
                quote=source.basics.summary,
                line=line,
                reason=f"summary reworded for {employer}",
            )
        )
    return edited


def _picks(
    entry_edit: EntryEdit, refs: dict[str, BulletRef], kind: str, index: int
) -> list[tuple[int, BulletEdit]]:
    """The edit's bullets that are this entry's own, each once, in the order given."""
    picks: list[tuple[int, BulletEdit]] = []
    seen: set[int] = set()
    for edit in entry_edit.bullets:
        ref = refs.get(normal_id(edit.id))
        if ref is None or ref.kind != kind or ref.entry != index or ref.bullet in seen:
            continue  # a bullet may not move to another role, nor appear twice
        seen.add(ref.bullet)
        picks.append((ref.bullet, edit))
    return picks


def revert(edited: _Edited, violations: list[Violation]) -> None:
    """Put the user's own line back wherever the model's wording states an unsupported fact."""
    for violation in violations:
        if violation.path not in edited.originals:
            continue
        original, line = edited.originals.pop(violation.path)
        _set_text(edited.cv, violation.path, original)
        section = "summary" if violation.path == "basics.summary" else violation.path.split("[")[0]
        _replace_rewording(edited, section, original, line, _why_reverted(violation))


def _facts_only(found: list[tuple[FactKind, str]]) -> list[tuple[FactKind, str]]:
    return [(kind, value) for kind, value in found if kind != "claim"]


def _why_reverted(violation: Violation) -> str:
    if violation.kind == "claim":
        said = violation.source_value
        yours = f" where your line says '{said}'" if said else ", which your line does not"
        return f"the model's wording claimed '{violation.value}'{yours}; your own line is kept"
    return (
        f"the model's wording stated {violation.kind} '{violation.value}', which your CV does "
        "not; your own line is kept"
    )


def _replace_rewording(
    edited: _Edited, section: str, original: str, line: int | None, reason: str
) -> None:
    """Log a rewording undone as one change, not two: the line is the user's own again."""
    edited.changes = [
        change
        for change in edited.changes
        if not (
            change.kind == "reworded" and change.section == section and change.quote == original
        )
    ]
    edited.changes.append(
        Change(kind="reverted", section=section, quote=original, line=line, reason=reason)
    )


def restore_left_out(edited: _Edited) -> list[tuple[str, Bullet]]:
    """Put back, after the model's own picks, each bullet its answer left out of a role or
    project: only the page fit may drop a line of the user's, and it says why. The bullets
    put back, by section."""
    restored: list[tuple[str, Bullet]] = []
    for (kind, index), bullets in edited.left_out.items():
        highlights = getattr(edited.cv, kind)[index].highlights
        for bullet in bullets:
            highlights.append(Bullet(text=bullet.text, source=bullet.source))
            restored.append((kind, bullet))
    return restored


def _still_there(restored: list[tuple[str, Bullet]], cv: CV) -> list[Change]:
    """A change for each bullet put back that the page fit kept: the model had left it out."""
    shown = {bullet.text for bullet in cv.bullets()}
    reason = "the model left it out, but the page has room for it; your line is kept"
    return [
        _about(bullet, "restored", kind, reason)
        for kind, bullet in restored
        if bullet.text in shown
    ]


def _about(bullet: Bullet, kind: ChangeKind, section: str, reason: str) -> Change:
    """A change to one of the user's bullets, pinned to its line."""
    line = bullet.source.line if bullet.source else None
    return Change(kind=kind, section=section, quote=bullet.text, line=line, reason=reason)


def keep_summary_skills(edited: _Edited, source: CV) -> None:
    """A reworded summary may not lose a skill the CV shows nowhere else: then the user's own
    summary is kept. A skill shown elsewhere may go, and the change log names it."""
    before, after = source.basics.summary or "", edited.cv.basics.summary or ""
    if "basics.summary" not in edited.originals or not before:
        return
    lost = [written for skill, written in written_skills(before).items() if not shows(after, skill)]
    if not lost:
        return
    rest = edited.cv.model_copy(
        update={"basics": edited.cv.basics.model_copy(update={"summary": ""})}
    )
    elsewhere = rest.model_dump_json()
    only_here = [w for w in lost if not shows(elsewhere, w)]
    _, line = edited.originals["basics.summary"]
    if only_here:
        edited.originals.pop("basics.summary")
        edited.cv.basics.summary = before
        reason = (
            f"the model's summary left out {', '.join(only_here)}, which your CV shows nowhere "
            "else; your own summary is kept"
        )
        _replace_rewording(edited, "summary", before, line, reason)
        return
    for change in edited.changes:
        if change.kind == "reworded" and change.section == "summary":
            change.reason += f"; it no longer names {', '.join(lost)} (still shown elsewhere)"


def _violations_note(violations: list[Violation]) -> str:
    listed = "\n".join(f"- {v.kind} '{v.value}' in {v.path}: \"{v.text}\"" for v in violations[:30])
    return (
        "Some of your edits state facts or claims the CV does not:\n"
        f"{listed}\n"
        "Give the whole answer again with those lines reworded using only facts the CV states "
        "in the same role, and claiming no more ownership, scope or seniority than the "
        "user's own line does. Where a fact would help, ask for it in questions instead."
    )


def _entry_ref(entry_id: str) -> tuple[str | None, int]:
    text = normal_id(entry_id)
    kind = _KINDS.get(text[:1])
    try:
        return kind, int(text[1:]) - 1
    except ValueError:
        return None, -1


def _set_text(cv: CV, path: str, text: str) -> None:
    if path == "basics.summary":
        cv.basics.summary = text
        return
    kind, rest = path.split("[", 1)
    index = int(rest.split("]", 1)[0])
    bullet_index = int(path.rsplit("[", 1)[1].rstrip("]"))
    getattr(cv, kind)[index].highlights[bullet_index].text = text
