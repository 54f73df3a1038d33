"""The offline rewrite: only the user's own lines, reordered for the target, nothing lost silently."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

import tailor
from tailor.cv.lines import has_metric, sentences
from tailor.cv.model import CV
from tailor.grounding import check
from tailor.renderers.markdown import to_markdown
from tailor.rewriter.extractive import estimated_pages, rewrite_offline
from tailor.rewriter.model import TailoredCV
from tailor.targets import bundled_profiles
from tests.conftest import ALL_CVS, CVS, EXAMPLES, cv_from_markdown
from tests.rendered import loaded, rendered, tailored

TARGETS = ("frontier-lab", "production-ml", "startup")


def pdf_pages(pdf: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


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
    assert check(result.cv, loaded(path)) == []


@cases
def test_the_rewrite_only_selects_the_users_own_lines(path: Path, target: str) -> None:
    source, result = loaded(path), tailored(path, target).cv
    # every bullet is one of the source's, used no more often than the source uses it
    assert not Counter(bullets_of(result)) - Counter(bullets_of(source))
    source_skills = {k for skill in source.skills for k in skill.keywords}
    assert {k for skill in result.skills for k in skill.keywords} <= source_skills
    if result.basics.summary:
        kept = sentences(result.basics.summary)
        assert set(kept) <= set(sentences(source.basics.summary or ""))
    # roles are neither added, removed, renamed nor reordered
    assert [(w.name, w.position, w.start_date, w.end_date) for w in result.work] == [
        (w.name, w.position, w.start_date, w.end_date) for w in source.work
    ]
    assert result.basics.model_dump(exclude={"summary"}) == source.basics.model_dump(
        exclude={"summary"}
    )


@cases
def test_nothing_is_lost_without_a_change_saying_why(path: Path, target: str) -> None:
    source, result = loaded(path), tailored(path, target)
    dropped = {c.quote for c in result.changes if c.kind in ("dropped", "trimmed")}
    # a project left out whole is one change, named by its name or its first line
    for project in source.projects:
        label = project.name or (project.highlights[0].text if project.highlights else None)
        if label in dropped and project.name not in {p.name for p in result.cv.projects}:
            dropped.update(bullet.text for bullet in project.highlights)
    kept_bullets = set(bullets_of(result.cv))
    for bullet in bullets_of(source):
        assert bullet in kept_bullets or bullet in dropped, bullet
    kept_skills = {k for skill in result.cv.skills for k in skill.keywords}
    for skill in {k for s in source.skills for k in s.keywords}:
        assert skill in kept_skills or skill in dropped, skill
    for sentence in sentences(source.basics.summary or ""):
        assert sentence in (result.cv.basics.summary or "") or sentence in dropped, sentence
    for kind in ("publications", "education", "awards", "certificates", "languages"):
        assert getattr(result.cv, kind) == getattr(source, kind), kind


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
    assert pdf_pages(rendered(path, target, "pdf")) <= 2


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


def test_skills_never_shown_applied_stay_when_the_cv_fits() -> None:
    result = tailored(EXAMPLES / "casey-morgan.md", "frontier-lab")
    assert not [c for c in result.changes if c.section == "skills" and c.kind == "dropped"]
    ml = next(skill for skill in result.cv.skills if skill.name == "ML")
    # applied first (PyTorch, scikit-learn, XGBoost), then what a lab looks for (JAX, RLHF)
    assert ml.keywords == ["PyTorch", "scikit-learn", "XGBoost", "JAX", "RLHF", "TensorRT"]
    reordered = next(c for c in result.changes if c.kind == "reordered")
    assert reordered.line == 49 and "JAX" in reordered.reason


def long_cv_with_skills(skills: str, *, roles: int = 9) -> CV:
    """A CV over two pages (nine roles of six unmeasured bullets) listing `skills`."""
    parts = ["# Ana Ruiz\n\n## Experience\n"]
    for role in range(roles):
        parts.append(
            f"\n### ML Engineer — Firm {role}\n*Jan {2010 + role} – Dec {2010 + role}*\n\n"
        )
        parts += [
            f"- Worked on the data platform of team {role}, item {i}, in Python with colleagues "
            "across several offices and a long list of stakeholders in many countries.\n"
            for i in range(6)
        ]
    parts.append(f"\n## Skills\n\n- **Tools:** {skills}\n")
    return cv_from_markdown("".join(parts))


def test_a_skill_is_left_out_only_to_fit_the_page_and_never_a_protected_one() -> None:
    cv = long_cv_with_skills("Python, Tableau, Jira, Haskell, JAX, Figma")
    assert estimated_pages(cv, ["work", "skills"]) > 2
    result = tailor.rewrite(cv, "frontier-lab")
    dropped = [c for c in result.changes if c.section == "skills" and c.kind == "dropped"]
    # the last listed unprotected skills go first; Haskell (a language), JAX (a lab looks for
    # it) and Python (applied) stay
    assert [c.quote for c in dropped] == ["Figma", "Jira", "Tableau"]
    assert all("two pages" in c.reason and c.line is not None for c in dropped)
    assert [k for s in result.cv.skills for k in s.keywords] == ["Python", "JAX", "Haskell"]


def test_a_skill_the_posting_names_is_never_left_out(tmp_path: Path) -> None:
    posting = tmp_path / "posting.txt"
    posting.write_text(
        "Data Engineer at Acme\n\nRequirements:\n- Experience with Tableau dashboards\n"
    )
    cv = long_cv_with_skills("Python, Tableau, Jira, Figma")
    result = tailor.rewrite(cv, "startup", posting=posting)
    kept = [k for s in result.cv.skills for k in s.keywords]
    assert "Tableau" in kept and "Figma" not in kept


@pytest.mark.parametrize(
    ("bullet", "skill"),
    [
        ("Trained a 7B model with FSDP on 64 A100s.", "PyTorch"),
        ("Scaled training with DDP across 4 nodes.", "PyTorch"),
        ("Served embeddings from pgvector for 2M documents.", "PostgreSQL"),
        ("Wrote CUDA kernels for fused attention.", "CUDA"),
        ("Wrote a Triton kernel for sparse softmax.", "Triton"),
        ("Ran pipelines on Kubeflow.", "Kubernetes"),
    ],
)
def test_a_skill_implied_by_a_bullet_counts_as_shown(bullet: str, skill: str) -> None:
    from tailor.cv.lines import unapplied_skills

    cv = cv_from_markdown(
        f"# Ana Ruiz\n\n## Experience\n\n### ML Engineer — Firm\n*2020 – 2024*\n\n- {bullet}\n"
        f"\n## Skills\n\n- **ML:** {skill}, Tableau\n"
    )
    assert unapplied_skills(cv) == ["Tableau"]
    critique = tailor.critique(cv, "frontier-lab")
    flagged = [item for f in critique.findings if f.rule == "technique-list" for item in f.items]
    assert skill not in flagged and "Tableau" in flagged


@cases
def test_a_rewrite_never_leaves_out_a_core_or_wanted_skill(path: Path, target: str) -> None:
    from tailor.skills import is_core

    result = tailored(path, target)
    profile = bundled_profiles()[target]
    for change in result.changes:
        if change.section == "skills" and change.kind == "dropped" and change.quote:
            assert not is_core(change.quote), change.quote
            assert change.quote not in profile.keywords, change.quote


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
    source = loaded(CVS / "long.md")
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
    source = loaded(EXAMPLES / "jordan-reyes.md")
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


def test_older_roles_are_found_by_their_dates_not_their_place() -> None:
    """A CV written oldest-first keeps the bullets of its latest role, not its first."""
    source = loaded(CVS / "long.md")
    document = source.to_json_resume()
    document["work"] = list(reversed(document["work"]))
    oldest_first = CV.from_document(document)
    result = tailor.rewrite(oldest_first, "startup")
    assert result.pages <= 2.0
    latest = next(w for w in result.cv.work if w.start_date == "2021-01")
    assert len(latest.highlights) >= 5
    oldest = next(w for w in result.cv.work if w.start_date == "2007-09")
    assert oldest.highlights == []
    assert [w.name for w in result.cv.work] == [w.name for w in oldest_first.work]  # order kept


def test_sections_read_last_go_first_when_a_cv_is_too_long() -> None:
    text = (CVS / "long.md").read_text(encoding="utf-8")
    text += (
        "\n## Interests\n\n- Trail running, sourdough\n\n## References\n\n- Available on request\n"
    )
    result = tailor.rewrite(cv_from_markdown(text), "production-ml")
    dropped = [(c.section, c.quote) for c in result.changes if c.kind == "dropped"]
    first_bullet = next(i for i, (section, _) in enumerate(dropped) if section == "work")
    assert dropped.index(("references", "References")) < first_bullet
    assert dropped.index(("interests", "Interests")) < first_bullet
    assert result.cv.interests == [] and result.cv.references == []
    assert "interests" not in result.section_order


def test_a_cv_without_experience_keeps_its_skills() -> None:
    cv = cv_from_markdown(
        "# Ana Ruiz\n\n## Education\n\n- **BSc, Computer Science**, Eastmoor University, 2020 – 2024\n\n"
        "## Skills\n\n- **ML:** PyTorch, JAX, scikit-learn\n"
    )
    result = tailor.rewrite(cv, "frontier-lab")
    assert [k for s in result.cv.skills for k in s.keywords] == ["PyTorch", "JAX", "scikit-learn"]
    assert not [c for c in result.changes if c.kind == "dropped"]


def test_list_style_projects_are_logged_by_their_line() -> None:
    result = tailored(CVS / "long.md", "startup")
    for change in result.changes:
        assert change.quote, change
        if change.section == "projects" and change.kind == "dropped":
            assert "None" not in change.reason


def test_a_summary_is_split_into_sentences_around_abbreviations() -> None:
    summary = (
        "Engineer with a Ph.D. in statistics. Not a product owner, e.g. never shipped an API. "
        "Built ranking systems for J. Smith & Co. Works in London. Likes maps."
    )
    assert sentences(summary) == [
        "Engineer with a Ph.D. in statistics.",
        "Not a product owner, e.g. never shipped an API.",
        "Built ranking systems for J. Smith & Co. Works in London.",
        "Likes maps.",
    ]
    cv = cv_from_markdown(
        f"# Lee Park\n\n## Summary\n\n{summary}\n\n{ROLE[ROLE.index('## Experience') :]}"
    )
    kept = sentences(tailor.rewrite(cv, "startup").cv.basics.summary or "")
    assert set(kept) <= set(sentences(summary))
    assert "never shipped an API." not in kept  # never half of a sentence
