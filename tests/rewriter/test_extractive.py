"""The offline rewrite: only the user's own lines, reordered for the target, nothing lost silently."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

import tailor
from tailor.critic.rubric import has_metric
from tailor.cv.model import CV
from tailor.grounding import check
from tailor.renderers.markdown import to_markdown
from tailor.rewriter.extractive import estimated_pages, rewrite_offline
from tailor.rewriter.model import TailoredCV
from tailor.targets import bundled_profiles
from tests.conftest import CVS, EXAMPLES, cv_from_markdown

TARGETS = ("frontier-lab", "production-ml", "startup")
ALL_CVS = sorted(
    path
    for path in [*EXAMPLES.glob("*.*"), *CVS.glob("*.*")]
    if path.suffix != ".py" and path.name != "README.md"
)


@cache
def load(path: Path) -> CV:
    return tailor.load_cv(path)


@cache
def tailored(path: Path, target: str) -> TailoredCV:
    return tailor.rewrite(load(path), target)


def bullets_of(cv: CV) -> list[str]:
    return [bullet.text for bullet in cv.bullets()]


cases = pytest.mark.parametrize(
    ("path", "target"),
    [(path, target) for path in ALL_CVS for target in TARGETS],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)


@cases
def test_every_fact_of_the_rewrite_is_grounded(path: Path, target: str) -> None:
    result = tailored(path, target)
    assert result.unsupported == []
    assert check(result.cv, load(path)) == []


@cases
def test_the_rewrite_only_selects_the_users_own_lines(path: Path, target: str) -> None:
    source, result = load(path), tailored(path, target).cv
    assert set(bullets_of(result)) <= set(bullets_of(source))
    assert len(bullets_of(result)) == len(set(bullets_of(result))) or len(
        bullets_of(source)
    ) != len(set(bullets_of(source)))
    source_skills = {k for skill in source.skills for k in skill.keywords}
    assert {k for skill in result.skills for k in skill.keywords} <= source_skills
    if result.basics.summary:
        sentences = re.split(r"(?<=[.!?])\s+", result.basics.summary)
        assert all(sentence in (source.basics.summary or "") for sentence in sentences)
    # roles are neither added, removed, renamed nor reordered
    assert [(w.name, w.position, w.start_date, w.end_date) for w in result.work] == [
        (w.name, w.position, w.start_date, w.end_date) for w in source.work
    ]
    assert result.basics.model_dump(exclude={"summary"}) == source.basics.model_dump(
        exclude={"summary"}
    )


@cases
def test_nothing_is_lost_without_a_change_saying_why(path: Path, target: str) -> None:
    source, result = load(path), tailored(path, target)
    dropped = {c.quote for c in result.changes if c.kind in ("dropped", "trimmed")}
    kept_bullets = set(bullets_of(result.cv))
    for bullet in bullets_of(source):
        assert bullet in kept_bullets or bullet in dropped, bullet
    kept_skills = {k for skill in result.cv.skills for k in skill.keywords}
    for skill in {k for s in source.skills for k in s.keywords}:
        assert skill in kept_skills or skill in dropped, skill


@cases
def test_measured_bullets_come_first_in_every_entry(path: Path, target: str) -> None:
    result = tailored(path, target).cv
    for entry in [*result.work, *result.projects, *result.volunteer]:
        measured = [has_metric(bullet.text) for bullet in entry.highlights]
        assert measured == sorted(measured, reverse=True), entry.highlights


@cases
def test_the_rewrite_fits_two_pages(path: Path, target: str) -> None:
    result = tailored(path, target)
    assert result.pages <= 2.0
    assert result.pages == pytest.approx(estimated_pages(result.cv, result.section_order), abs=0.01)


@cases
def test_sections_follow_the_targets_order(path: Path, target: str) -> None:
    result = tailored(path, target)
    wanted = [s for s in bundled_profiles()[target].section_order if s in result.section_order]
    assert result.section_order[: len(wanted)] == wanted


@pytest.mark.parametrize("path", [EXAMPLES / "jordan-reyes.md", EXAMPLES / "casey-morgan.md"])
def test_each_target_gets_a_visibly_different_cv(path: Path) -> None:
    rendered = {
        target: to_markdown(tailored(path, target).cv, tailored(path, target).section_order)
        for target in TARGETS
    }
    assert len(set(rendered.values())) == len(TARGETS)


def test_a_frontier_lab_reads_publications_and_projects_before_experience() -> None:
    result = tailored(EXAMPLES / "jordan-reyes.md", "frontier-lab")
    assert result.section_order[:4] == ["summary", "publications", "projects", "work"]
    moved = {c.quote: c for c in result.changes if c.kind == "moved" and c.section != "work"}
    assert "research taste" in moved["Publications"].reason
    assert moved["Publications"].line == 60  # "## Publications" in the source file


def test_a_production_ml_company_reads_the_skills_right_after_experience() -> None:
    result = tailored(EXAMPLES / "jordan-reyes.md", "production-ml")
    assert result.section_order[:3] == ["summary", "work", "skills"]


ROLE = """# Sam Ortega

ML Engineer · sam@example.com

## Experience

### ML Engineer — Brightfold

*Jan 2021 – Present*

- Wrote the team's onboarding guide for new engineers.
- Launched a recommendation feature to 30,000 paying customers in 5 weeks.
- Rebuilt the nightly training pipeline in Airflow with data validation and drift alerts, cutting failed runs by 80%.
- Trained a 7B-parameter model with FSDP on 128 GPUs, reaching 45% MFU.

## Skills

- **ML:** PyTorch, FSDP, Airflow, JAX
"""


@pytest.mark.parametrize(
    ("target", "first"),
    [
        ("frontier-lab", "Trained a 7B-parameter model"),
        ("production-ml", "Rebuilt the nightly training pipeline"),
        ("startup", "Launched a recommendation feature"),
    ],
)
def test_bullets_are_ordered_by_what_the_target_weighs(target: str, first: str) -> None:
    result = tailor.rewrite(cv_from_markdown(ROLE), target)
    texts = [bullet.text for bullet in result.cv.work[0].highlights]
    assert texts[0].startswith(first)
    assert texts[-1].startswith("Wrote the team's onboarding guide")  # unmeasured: last
    moved = next(c for c in result.changes if c.quote and c.quote.startswith(first))
    assert moved.kind == "moved"
    assert moved.line == ROLE.splitlines().index(f"- {texts[0]}") + 1
    assert bundled_profiles()[target].name.split()[0].lower() in moved.reason.lower()


def test_skills_never_shown_applied_are_cut_with_their_line() -> None:
    result = tailored(EXAMPLES / "casey-morgan.md", "frontier-lab")
    dropped = {
        c.quote: c.line for c in result.changes if c.section == "skills" and c.kind == "dropped"
    }
    assert dropped == {"JAX": 49, "TensorRT": 49, "RLHF": 49, "Ray": 50}
    kept = [k for skill in result.cv.skills for k in skill.keywords]
    assert "PyTorch" in kept and "JAX" not in kept


def test_a_long_summary_keeps_its_first_sentence_and_the_most_relevant_ones() -> None:
    summary = (
        "ML engineer with eight years in search. I enjoy hiking and board games. "
        "Trained large transformer models with FSDP across 64 GPUs. I have a dog. "
        "Published two papers at NeurIPS on attention."
    )
    experience = ROLE[ROLE.index("## Experience") :]
    cv = cv_from_markdown(f"# Lee Park\n\n## Summary\n\n{summary}\n\n{experience}")
    result = tailor.rewrite(cv, "frontier-lab")
    assert result.cv.basics.summary == (
        "ML engineer with eight years in search. Trained large transformer models with FSDP "
        "across 64 GPUs. Published two papers at NeurIPS on attention."
    )
    trimmed = [c.quote for c in result.changes if c.kind == "trimmed"]
    assert trimmed == ["I enjoy hiking and board games.", "I have a dog."]


def test_a_four_page_cv_is_cut_to_two_and_says_what_it_dropped() -> None:
    source = load(CVS / "long.md")
    assert estimated_pages(source, ["summary", "work"]) > 3
    result = tailored(CVS / "long.md", "production-ml")
    assert result.pages <= 2.0
    dropped_measured = [
        c for c in result.changes if c.kind == "dropped" and "measured outcome, but" in c.reason
    ]
    assert dropped_measured, "a four-page CV cannot fit two pages on its unmeasured lines alone"
    assert all(has_metric(c.quote or "") for c in dropped_measured)
    # the latest role keeps at least two bullets, every role its heading and dates
    assert len(result.cv.work[0].highlights) >= 2
    assert len(result.cv.work) == len(source.work)


def test_a_cv_that_fits_loses_no_bullet() -> None:
    source = load(EXAMPLES / "jordan-reyes.md")
    for target in TARGETS:
        assert sorted(bullets_of(tailored(EXAMPLES / "jordan-reyes.md", target).cv)) == sorted(
            bullets_of(source)
        )


def test_the_rewrite_is_deterministic_and_leaves_the_source_alone() -> None:
    source = tailor.load_cv(EXAMPLES / "jordan-reyes.md")
    before = source.model_dump(context={"provenance": True})
    first = rewrite_offline(source, bundled_profiles()["startup"])
    second = rewrite_offline(source, bundled_profiles()["startup"])
    assert first.model_dump() == second.model_dump()
    assert source.model_dump(context={"provenance": True}) == before


def test_changes_point_at_the_line_they_quote() -> None:
    path = EXAMPLES / "casey-morgan.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    for target in TARGETS:
        for change in tailored(path, target).changes:
            assert change.line is not None, change
            assert (change.quote or "")[:25] in lines[change.line - 1], change


def test_the_result_serialises_and_validates_back() -> None:
    result = tailored(EXAMPLES / "jordan-reyes.md", "startup")
    again = TailoredCV.model_validate_json(result.model_dump_json())
    assert again.cv.to_json_resume() == result.cv.to_json_resume()
    assert again.changes == result.changes
