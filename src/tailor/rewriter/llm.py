"""The LLM rewrite: the model rewords and reorders the user's lines; the grounding check keeps
it honest.

The model answers with edits by id (`LLMRewrite`): for each role or project, its bullets in a
new order, each naming the CV bullet it comes from and its new wording; a summary; questions
for the user. tailor applies the edits to a copy of the CV (a bullet can only stay within its
own role, and only once), then runs `tailor.grounding.check`. A fact the CV does not state is
sent back to the model once, with the list; whatever is still unsupported after that is
reverted to the user's own line, and the change log says so. The result cannot state a fact
the source does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from tailor.critic.rubric import rubric
from tailor.cv.model import CV, Bullet
from tailor.grounding import Violation, check
from tailor.llm.base import Message, Usage
from tailor.llm.client import LLMClient
from tailor.prompts import ENTRY_PREFIXES, ID_PREFIX, bullet_ids, task_messages
from tailor.rewriter.extractive import employer_phrase, estimated_pages, section_order
from tailor.rewriter.model import Change, TailoredCV
from tailor.targets import CompanyProfile

_KINDS = {prefix: kind for kind, prefix in ENTRY_PREFIXES.items()}


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
    # path in the tailored CV -> the user's own text it replaced
    originals: dict[str, str] = field(default_factory=dict)


def rewrite_llm(cv: CV, profile: CompanyProfile, client: LLMClient) -> TailoredCV:
    """Tailor `cv` for `profile` with the model behind `client`; every fact checked."""
    messages = task_messages("rewrite", cv, profile)
    first = client.generate(messages, LLMRewrite)
    answer, usage = first.value, first.usage
    edited = apply_edits(cv, profile, answer)
    violations = check(edited.cv, cv)
    if violations:
        again = [
            *messages,
            Message("assistant", answer.model_dump_json()),
            Message("user", _violations_note(violations)),
        ]
        second = client.generate(again, LLMRewrite)
        answer, usage = second.value, add_usage(usage, second.usage)
        edited = apply_edits(cv, profile, answer)
        violations = check(edited.cv, cv)
    if violations:
        revert(edited, violations, profile)
    order = section_order(edited.cv, profile)
    max_pages = float(rubric()["length"]["max_pages"])
    return TailoredCV(
        target=profile.id,
        target_name=profile.name,
        provider=client.settings.provider,
        model=usage.model,
        cv=edited.cv,
        section_order=order,
        changes=edited.changes,
        unsupported=check(edited.cv, cv),
        pages=round(estimated_pages(edited.cv, order), 2),
        max_pages=max_pages,
        questions=[q.strip() for q in answer.questions if q.strip()],
        usage=usage,
    )


def apply_edits(source: CV, profile: CompanyProfile, answer: LLMRewrite) -> _Edited:
    """The source with the model's edits applied, each logged against the user's line."""
    cv = source.model_copy(deep=True)
    if source.origin is not None:
        cv.set_origin(source.origin)
    edited = _Edited(cv, [])
    employer = employer_phrase(profile)
    refs = bullet_ids(source)
    for entry_edit in answer.entries:
        kind, index = _entry_ref(entry_edit.id)
        entries = getattr(source, kind, []) if kind else []
        if kind is None or not 0 <= index < len(entries):
            continue  # an id the CV does not have
        original = entries[index].highlights
        kept: list[Bullet] = []
        used: set[int] = set()
        for edit in entry_edit.bullets:
            ref = refs.get(edit.id.strip("[] "))
            if ref is None or ref.kind != kind or ref.entry != index or ref.bullet in used:
                continue  # a bullet may not move to another role, nor appear twice
            used.add(ref.bullet)
            mine = original[ref.bullet]
            text = ID_PREFIX.sub("", edit.text).strip() or mine.text
            path = f"{kind}[{index}].highlights[{len(kept)}]"
            edited.originals[path] = mine.text
            line = mine.source.line if mine.source else None
            if text != mine.text:
                why = f"reworded for {employer}: {edit.why.strip()}".rstrip(": ")
                edited.changes.append(
                    Change(kind="reworded", section=kind, quote=mine.text, line=line, reason=why)
                )
            elif len(kept) < ref.bullet:
                why = f"moved up for {employer}: {edit.why.strip()}".rstrip(": ")
                edited.changes.append(
                    Change(kind="moved", section=kind, quote=mine.text, line=line, reason=why)
                )
            kept.append(Bullet(text=text, source=mine.source))
        for position, mine in enumerate(original):
            if position not in used:
                line = mine.source.line if mine.source else None
                why = f"left out for {employer}: it shows the least of what it weighs"
                edited.changes.append(
                    Change(kind="dropped", section=kind, quote=mine.text, line=line, reason=why)
                )
        getattr(cv, kind)[index].highlights = kept
    summary = answer.summary.strip()
    if summary and source.basics.summary and summary != source.basics.summary:
        cv.basics.summary = summary
        edited.originals["basics.summary"] = source.basics.summary
        line = source.origin.line_of(source.basics.summary[:60]) if source.origin else None
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


def revert(edited: _Edited, violations: list[Violation], profile: CompanyProfile) -> None:
    """Put the user's own line back wherever the model's wording states an unsupported fact."""
    for violation in violations:
        original = edited.originals.get(violation.path)
        if original is None:
            continue
        _set_text(edited.cv, violation.path, original)
        edited.changes.append(
            Change(
                kind="reverted",
                section=violation.path.split("[")[0].split(".")[0],
                quote=original,
                line=_line_of(edited.cv, original),
                reason=(
                    f"the model's wording stated {violation.kind} '{violation.value}', which "
                    "your CV does not; your own line is kept"
                ),
            )
        )
        edited.originals.pop(violation.path)


def add_usage(first: Usage, second: Usage) -> Usage:
    """Two calls' usage as one."""
    costs = [first.cost_usd, second.cost_usd]
    return Usage(
        provider=first.provider,
        model=second.model or first.model,
        input_tokens=first.input_tokens + second.input_tokens,
        output_tokens=first.output_tokens + second.output_tokens,
        cache_write_tokens=first.cache_write_tokens + second.cache_write_tokens,
        cache_read_tokens=first.cache_read_tokens + second.cache_read_tokens,
        cost_usd=None if None in costs else sum(c for c in costs if c is not None),
        latency_s=round(first.latency_s + second.latency_s, 3),
        requests=first.requests + second.requests,
        cached=first.cached and second.cached,
    )


def _violations_note(violations: list[Violation]) -> str:
    listed = "\n".join(f"- {v.kind} '{v.value}' in {v.path}: \"{v.text}\"" for v in violations[:30])
    return (
        "Some of your edits state facts the CV does not state:\n"
        f"{listed}\n"
        "Give the whole answer again with those lines reworded using only facts the CV states "
        "in the same role. Where a fact would help, ask for it in questions instead."
    )


def _entry_ref(entry_id: str) -> tuple[str | None, int]:
    text = entry_id.strip("[] ")
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


def _line_of(cv: CV, text: str) -> int | None:
    origin = cv.origin
    return origin.line_of(text) if origin is not None else None
