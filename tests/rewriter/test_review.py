"""Reviewing a rewrite: the changes a user accepts stay, every other one is undone against the
source, with the source's own line, place or order."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import tailor
from tailor.cv.lines import sentences
from tailor.cv.model import CV, Project, Volunteer, Work
from tailor.grounding import Violation
from tailor.renderers import render_bytes
from tailor.renderers.markdown import to_markdown
from tailor.rewriter.model import Change, TailoredCV
from tailor.rewriter.review import apply_changes, reviewable, source_kinds
from tests import scripted
from tests.conftest import ALL_CVS, CVS, EXAMPLES, REAL, REAL_CVS, client_for, cv_from_markdown
from tests.fake_llm import InProcessLLM, Text
from tests.rendered import loaded, tailored
from tests.test_cli_llm import W11, W12, W13

TARGETS = ("frontier-lab", "production-ml", "startup")
ENTRY_KINDS = ("work", "projects", "volunteer")
# every example and test CV, and the real CVs of the fidelity corpus
SAMPLE = [*ALL_CVS, *REAL_CVS]
LONG = CVS / "long.md"
THOMAS = REAL / "web" / "jsonresume-thomas-davis.json"


def cases() -> list[Any]:
    return [
        pytest.param(path, target, id=f"{path.parent.name}/{path.name}-{target}")
        for path in SAMPLE
        for target in TARGETS
    ]


def notes(result: TailoredCV) -> list[int]:
    return [i for i, change in enumerate(result.changes) if not reviewable(change)]


def all_but(result: TailoredCV, index: int) -> list[int]:
    return [i for i in range(len(result.changes)) if i != index]


def identity(entry: Work | Project | Volunteer) -> dict[str, Any]:
    return entry.model_dump(exclude={"highlights", "summary", "description"})


def entry_like(entries: list[Any], entry: Any) -> Any:
    """The entry of `entries` that is a copy of `entry` (None: none is)."""
    return next((e for e in entries if identity(e) == identity(entry)), None)


def bullet_texts(cv: CV) -> Counter[str]:
    return Counter(bullet.text for bullet in cv.bullets())


def keywords(cv: CV) -> Counter[str]:
    return Counter(keyword for skill in cv.skills for keyword in skill.keywords)


def moved_up(order: list[Any], item: Any, rank: dict[Any, int]) -> bool:
    """Whether `item` stands earlier in `order` than the source's order would put it."""
    ranked = sorted((x for x in order if x in rank), key=rank.__getitem__)
    return item in ranked and order.index(item) < ranked.index(item)


def bullet_moved_up(cv: CV, source: CV, kind: str, quote: str) -> bool | None:
    """Whether the bullet `quote` of a `kind` entry stands above its source place (None: it
    is in no entry the source has)."""
    for entry in getattr(cv, kind):
        texts = [b.text for b in entry.highlights]
        mine = entry_like(getattr(source, kind), entry)
        if quote in texts and mine is not None:
            rank = {b.text: i for i, b in enumerate(mine.highlights)}
            return moved_up(texts, quote, rank)
    return None


def section_moved_up(order: list[str], source: CV, kind: str) -> bool:
    return moved_up(order, kind, {k: i for i, k in enumerate(source_kinds(source))})


@pytest.mark.parametrize(("path", "target"), cases())
def test_accepting_every_change_gives_the_rewrite(path: Path, target: str) -> None:
    result = tailored(path, target)
    kept = apply_changes(loaded(path), result, range(len(result.changes)))
    assert kept.cv.model_dump() == result.cv.model_dump()
    assert kept.section_order == result.section_order
    assert kept.changes == result.changes
    assert kept.pages == result.pages and kept.unsupported == result.unsupported


@pytest.mark.parametrize(("path", "target"), cases())
def test_accepting_no_change_gives_the_sources_lines_in_its_order(path: Path, target: str) -> None:
    source, result = loaded(path), tailored(path, target)
    kept = apply_changes(source, result, [])
    assert kept.changes == [result.changes[i] for i in notes(result)]
    for kind in ENTRY_KINDS:
        for entry in getattr(source, kind):
            mine = entry_like(getattr(kept.cv, kind), entry)
            assert mine is not None, f"{kind} entry {identity(entry)} is missing"
            assert [b.text for b in mine.highlights] == [b.text for b in entry.highlights]
    placed = source_kinds(source)
    order = [kind for kind in kept.section_order if kind in placed]
    assert order == [kind for kind in placed if kind in order]
    assert kept.cv.basics.summary == source.basics.summary
    assert keywords(kept.cv) == keywords(source)
    assert kept.cv.publications == source.publications


@pytest.mark.parametrize(("path", "target"), cases())
def test_rejecting_one_change_undoes_it_and_keeps_the_others(path: Path, target: str) -> None:
    source, result = loaded(path), tailored(path, target)
    before = (source.model_dump(), result.model_dump())
    for index, change in enumerate(result.changes):
        if not reviewable(change):
            continue
        kept = apply_changes(source, result, all_but(result, index))
        assert change not in kept.changes or result.changes.count(change) > 1
        shown = to_markdown(kept.cv, kept.section_order)
        if change.kind in ("dropped", "trimmed", "reworded"):
            assert change.quote and change.quote in shown, (index, change)
        if change.kind == "moved" and change.reason.startswith("section moved up"):
            assert not section_moved_up(kept.section_order, source, change.section)
        # nothing the rewrite kept is lost, and every other change still holds
        assert bullet_texts(kept.cv) >= bullet_texts(result.cv)
        for other in result.changes:
            if other.quote == change.quote or not reviewable(other):
                continue
            assert_holds(other, change, source, result, kept)
    assert (source.model_dump(), result.model_dump()) == before  # neither input changed


def assert_holds(
    other: Change, rejected: Change, source: CV, result: TailoredCV, kept: TailoredCV
) -> None:
    """Assert that the accepted change `other` still has its effect in `kept`."""
    quote = other.quote or ""
    if other.kind == "trimmed":
        assert quote not in sentences(kept.cv.basics.summary or "")
    elif other.kind == "dropped" and other.section in ENTRY_KINDS:
        assert bullet_texts(kept.cv)[quote] == bullet_texts(result.cv)[quote], other
    elif other.kind == "dropped" and other.section == "skills" and rejected.section != "skills":
        assert keywords(kept.cv)[quote] == keywords(result.cv)[quote], other
    elif other.kind == "moved" and other.section in ENTRY_KINDS:
        if bullet_moved_up(result.cv, source, other.section, quote):
            assert bullet_moved_up(kept.cv, source, other.section, quote), other
    elif other.kind == "moved" and section_moved_up(result.section_order, source, other.section):
        assert section_moved_up(kept.section_order, source, other.section), other


def test_a_skill_renamed_to_the_postings_word_gets_the_users_word_back() -> None:
    cv = cv_from_markdown(
        "# Ada Park\n\nada@example.com\n\n## Experience\n\n"
        "### ML Engineer — Quillfield\n\n*2021 – Present*\n\n"
        "- Trained a ranking model in torch on 40M sessions, lifting CTR by 6%.\n\n"
        "## Skills\n\n- **ML:** torch, JAX, scikit-learn\n"
    )
    posting = EXAMPLES / "postings" / "frontier-lab-research-engineer.md"
    result = tailor.rewrite(cv.model_copy(deep=True), "frontier-lab", posting=posting)
    index = next(
        i for i, c in enumerate(result.changes) if c.kind == "reworded" and c.section == "skills"
    )
    assert result.changes[index].quote == "torch" and "PyTorch" in result.cv.skills[0].keywords
    job = tailor.load_posting(posting)
    kept = apply_changes(cv, result, all_but(result, index), posting=job)
    assert "torch" in kept.cv.skills[0].keywords and "PyTorch" not in kept.cv.skills[0].keywords
    assert "torch" in to_markdown(kept.cv, kept.section_order)
    assert kept.coverage is not None and kept.posting == result.posting
    # without the posting, the rewrite's coverage is kept as it was
    assert apply_changes(cv, result, []).coverage == result.coverage


REWORDED = {
    W11: "Served 40,000 claims a day at 35 ms p95 latency with an XGBoost claims-triage model "
    "as a FastAPI service in Docker on AWS, fast-tracking 18% of claims to same-day settlement.",
    W12: "Raised fraud-referral precision from 0.42 to 0.61 with a PyTorch text classifier on "
    "adjuster notes, worth an estimated $1.2M a year in avoided payouts.",
    W13: "Cut model release time from 3 weeks to 4 days by setting up MLflow tracking and a "
    "registry.",
}
SUMMARY = (
    "Machine learning engineer with five years of building and deploying models for "
    "insurance, retail and a seed-stage startup. Comfortable across the stack, from SQL "
    "feature work and model training to APIs in production. Now moving closer to large-scale "
    "deep learning and LLM work."
)


@pytest.fixture
def llm_rewrite(in_process_llm: InProcessLLM) -> tuple[CV, TailoredCV]:
    """Casey's CV reworded by a scripted model: three bullets of the first role, in a new
    order, and the summary."""
    answer = scripted.rewrite_answer(
        ("w1.3", REWORDED[W13]), ("w1.2", REWORDED[W12]), ("w1.1", REWORDED[W11]), summary=SUMMARY
    )
    in_process_llm.reply(Text(answer))
    cv = tailor.load_cv(EXAMPLES / "casey-morgan.md")
    with client_for(in_process_llm, "openai") as client:
        result = tailor.rewrite(
            cv.model_copy(deep=True), "startup", llm=tailor.LLMOptions(client=client)
        )
    return cv, result


def first_role(result: TailoredCV) -> list[str]:
    return [bullet.text for bullet in result.cv.work[0].highlights]


def test_a_rejected_rewording_gets_the_users_line_back_and_the_others_stay(
    llm_rewrite: tuple[CV, TailoredCV],
) -> None:
    cv, result = llm_rewrite
    reworded = {c.quote: i for i, c in enumerate(result.changes) if c.kind == "reworded"}
    assert set(reworded) == {W11, W12, W13, cv.basics.summary}
    assert first_role(result)[:3] == [REWORDED[W13], REWORDED[W12], REWORDED[W11]]
    for original in (W11, W12, W13):
        kept = apply_changes(cv, result, all_but(result, reworded[original]))
        bullets = first_role(kept)
        assert original in bullets and REWORDED[original] not in bullets
        assert all(REWORDED[other] in bullets for other in REWORDED if other != original)
        assert kept.cv.basics.summary == SUMMARY
        # the user's line keeps its line in the source file
        back = kept.cv.work[0].highlights[bullets.index(original)]
        assert back.source == next(b.source for b in cv.work[0].highlights if b.text == original)
    kept = apply_changes(cv, result, all_but(result, reworded[cv.basics.summary]))
    assert kept.cv.basics.summary == cv.basics.summary
    assert first_role(kept) == first_role(result)
    # every rewording rejected: the role reads as the user wrote it, in the user's order
    kept = apply_changes(cv, result, notes(result))
    assert first_role(kept) == [b.text for b in cv.work[0].highlights]
    assert kept.cv.basics.summary == cv.basics.summary
    assert [c.kind for c in kept.changes] == [c.kind for c in result.changes if not reviewable(c)]


def test_only_the_violations_still_in_the_text_are_kept(
    llm_rewrite: tuple[CV, TailoredCV],
) -> None:
    cv, result = llm_rewrite
    violation = Violation(
        kind="number", value="4 days", path="work[0].highlights[0]", text=REWORDED[W13]
    )
    flagged = result.model_copy(update={"unsupported": [violation]})
    index = next(i for i, c in enumerate(flagged.changes) if c.quote == W13)
    assert apply_changes(cv, flagged, range(len(flagged.changes))).unsupported == [violation]
    assert apply_changes(cv, flagged, all_but(flagged, index)).unsupported == []


def dropped_bullet(result: TailoredCV, kind: str = "work") -> int:
    return next(
        i
        for i, c in enumerate(result.changes)
        if c.kind == "dropped" and c.section == kind and c.quote and len(c.quote) > 40
    )


def test_a_rejected_drop_renders_in_every_format() -> None:
    source, result = loaded(LONG), tailored(LONG, "frontier-lab")
    index = dropped_bullet(result)
    quote = result.changes[index].quote or ""
    kept = apply_changes(source, result, all_but(result, index))
    assert kept.pages > result.pages
    for fmt in ("md", "pdf", "docx"):
        assert render_bytes(kept.cv, fmt, kept.section_order)
    assert quote in render_bytes(kept.cv, "md", kept.section_order).decode()
    import pdfplumber

    data = render_bytes(kept.cv, "pdf", kept.section_order)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
    assert " ".join(quote.split()) in " ".join(text.split())
    with pdfplumber.open(io.BytesIO(render_bytes(result.cv, "pdf", result.section_order))) as pdf:
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
    assert " ".join(quote.split()) not in " ".join(text.split())


def test_a_bullet_moved_then_dropped_comes_back_at_its_source_place() -> None:
    source, result = loaded(LONG), tailored(LONG, "frontier-lab")
    by_quote: dict[str, dict[str, int]] = {}
    for i, change in enumerate(result.changes):
        if change.section == "work" and change.quote:
            by_quote.setdefault(change.quote, {})[change.kind] = i
    quote, indexes = next((q, k) for q, k in by_quote.items() if {"moved", "dropped"} <= set(k))
    role = next(e for e in source.work if quote in [b.text for b in e.highlights])
    # its drop rejected, its move accepted: back after the bullet that preceded it
    kept = apply_changes(source, result, all_but(result, indexes["dropped"]))
    mine = entry_like(kept.cv.work, role)
    texts = [b.text for b in mine.highlights]
    own = [b.text for b in role.highlights]
    earlier = [t for t in own[: own.index(quote)] if t in texts]
    assert texts.index(quote) == (texts.index(earlier[-1]) + 1 if earlier else 0)
    # its move rejected, its drop accepted: it stays out
    kept = apply_changes(source, result, all_but(result, indexes["moved"]))
    assert quote not in [b.text for b in entry_like(kept.cv.work, role).highlights]
    # both rejected: back, and the role's other bullets keep their places
    both = [i for i in range(len(result.changes)) if i not in indexes.values()]
    kept = apply_changes(source, result, both)
    assert quote in [b.text for b in entry_like(kept.cv.work, role).highlights]


def test_a_skill_group_comes_back_with_its_skills() -> None:
    source, result = loaded(THOMAS), tailored(THOMAS, "startup")
    group = next(
        i
        for i, c in enumerate(result.changes)
        if c.kind == "dropped" and c.section == "skills" and c.quote == "Frontend"
    )
    skills = next(s for s in source.skills if s.name == "Frontend").keywords
    assert "Frontend" not in [s.name for s in result.cv.skills]
    # the group's own drop rejected, its skills' drops accepted: the whole group is back
    kept = apply_changes(source, result, all_but(result, group))
    assert next(s for s in kept.cv.skills if s.name == "Frontend").keywords == skills
    # one skill's drop rejected: its group is back with that skill alone
    skill = next(
        i
        for i, c in enumerate(result.changes)
        if c.kind == "dropped" and c.section == "skills" and c.quote == skills[-1]
    )
    kept = apply_changes(source, result, all_but(result, skill))
    assert next(s for s in kept.cv.skills if s.name == "Frontend").keywords == [skills[-1]]
    names = [s.name for s in kept.cv.skills]
    assert names == [s.name for s in source.skills if s.name in names]


def test_a_dropped_section_comes_back_in_its_source_place() -> None:
    source, result = loaded(THOMAS), tailored(THOMAS, "startup")
    index = next(
        i for i, c in enumerate(result.changes) if c.kind == "dropped" and c.section == "references"
    )
    assert "references" not in result.section_order and not result.cv.references
    kept = apply_changes(source, result, all_but(result, index))
    assert kept.cv.references == source.references
    order = kept.section_order
    assert "references" in order
    placed = source_kinds(source)
    before = [k for k in placed[: placed.index("references")] if k in order]
    assert order.index("references") == order.index(before[-1]) + 1


@pytest.mark.parametrize("wrong", [[-1], [10_000], [True], ["0"], [0, 1.5]])
def test_an_index_the_rewrite_has_no_change_for_is_a_user_error(wrong: list[Any]) -> None:
    source, result = loaded(LONG), tailored(LONG, "startup")
    with pytest.raises(tailor.UserError, match=r"^There is no change .* numbered 0 to \d+\.$"):
        apply_changes(source, result, wrong)


def test_a_rewrite_without_changes_has_none_to_accept() -> None:
    source = loaded(EXAMPLES / "jordan-reyes.md")
    empty = tailored(EXAMPLES / "jordan-reyes.md", "startup").model_copy(update={"changes": []})
    with pytest.raises(tailor.UserError, match="are none"):
        apply_changes(source, empty, [0])
    assert apply_changes(source, empty, []).cv == empty.cv


def test_the_library_exports_it() -> None:
    assert tailor.apply_changes is apply_changes
    source, result = loaded(LONG), tailored(LONG, "production-ml")
    kept = tailor.apply_changes(source, result, [])
    assert kept.pages >= result.pages and kept.changes == [
        c for c in result.changes if not reviewable(c)
    ]
