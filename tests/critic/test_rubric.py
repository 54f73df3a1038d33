"""The offline rubric: each rule firing and not firing, quotes, and how scores order CVs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import tailor
from tailor.critic.model import Critique
from tailor.critic.verdict import fit_factor, values_shown
from tailor.cv.lines import experience_lines
from tests.conftest import CVS, cv_from_markdown

TARGETS = ("frontier-lab", "production-ml", "startup")

# A CV that gives no rule of any target a reason to fire; each test changes one thing.
BASE = """\
# Rui Almeida
Senior ML Engineer · rui@example.com · https://github.com/rui-example

## Summary
Machine learning engineer who takes models from training to production and keeps them healthy.
Six years across payments risk and merchant analytics, owning data, training, serving and cost.

## Experience
### Senior ML Engineer — Tidewater Analytics
*2021 – Present*
- Deployed a fraud model serving 4,000 requests per second at 35 ms p99 latency, cutting chargebacks by 18%.
- Rebuilt the nightly feature pipeline in Airflow with schema validation and drift alerts; failed runs fell from 6 a month to 0.
- Launched a merchant risk dashboard to 300 paying customers in 6 weeks.
- Trained a 1.3B-parameter ranking model in PyTorch with FSDP on 64 A100 GPUs, halving training time to 20 hours.

### ML Engineer — Saltbridge Pay
*2018 – 2021*
- Cut monthly inference spend by $14,000 by batching requests and moving scoring to spot instances.
- Built the label-audit job that fixed 2,300 mislabelled transactions a week before training.

## Selected Projects
### tidy-drift
- Open-source drift detection library (github.com/rui-example/tidy-drift) used by 40 teams, 900 stars.

## Education
- MSc Computer Science, Example University, 2016 – 2018

## Skills
- PyTorch, FSDP, Airflow
"""


def critiques(cv: tailor.CV) -> dict[str, Critique]:
    return {target: tailor.critique(cv, target) for target in TARGETS}


def rules_fired(critique: Critique) -> set[str]:
    return {finding.rule for finding in critique.findings}


def test_base_cv_fires_no_rule_for_any_target() -> None:
    cv = cv_from_markdown(BASE)
    for target, critique in critiques(cv).items():
        assert critique.findings == [], target
        # nothing costs a point: what is left of 100 is how fully its lines show the target's
        # values (each by three lines for the whole of it)
        shown = values_shown(experience_lines(cv), tailor.resolve_target(target))
        assert critique.score == round(100 * fit_factor(shown))
        assert critique.provider == "offline"
    scores = {target: critique.score for target, critique in critiques(cv).items()}
    assert max(scores, key=lambda t: scores[t]) == "production-ml"  # pipelines, serving, cost


def only_new_rules(text: str) -> dict[str, set[str]]:
    return {target: rules_fired(c) for target, c in critiques(cv_from_markdown(text)).items()}


def test_missing_metrics_fires_on_the_bullet_without_a_figure() -> None:
    text = BASE.replace(
        "- Launched a merchant",
        "- Built the model registry for the risk team.\n- Launched a merchant",
    )
    cv = cv_from_markdown(text)
    finding = next(
        f for f in tailor.critique(cv, "startup").findings if f.rule == "missing-metrics"
    )
    assert finding.quote == "Built the model registry for the risk team."
    assert (
        finding.line == text.splitlines().index("- Built the model registry for the risk team.") + 1
    )
    assert finding.section == "Experience"
    assert "metric it moved" in finding.suggestion  # the hint for model work
    assert all(rules == {"missing-metrics"} for rules in only_new_rules(text).values())


@pytest.mark.parametrize(
    "bullet",
    [
        "Cut costs by 18%.",
        "Served 2 million users.",
        "Raised recall from 0.61 to 0.74.",
        "Halved the build time.",
        "Handled 9,000 QPS.",
        "Saved $40k a year.",
    ],
)
def test_bullets_with_a_figure_are_measured(bullet: str) -> None:
    from tailor.cv.lines import has_metric

    assert has_metric(bullet)


@pytest.mark.parametrize(
    "bullet",
    ["Built the model registry in 2021.", "Migrated the team to Python.", "Wrote S3 loaders."],
)
def test_years_and_names_are_not_figures(bullet: str) -> None:
    from tailor.cv.lines import has_metric

    assert not has_metric(bullet)


@pytest.mark.parametrize(
    ("phrase", "bullet"),
    [
        ("Worked on", "Worked on the payments model, cutting false positives by 12%."),
        ("Responsible for", "Responsible for 14 production models."),
        ("Helped with", "Helped with the migration of 30 pipelines."),
        ("involved in", "Was involved in a platform rewrite that cut deploy time by 40%."),
    ],
)
def test_vague_bullet_fires_with_the_phrase(phrase: str, bullet: str) -> None:
    text = BASE.replace("- Launched a merchant", f"- {bullet}\n- Launched a merchant")
    findings = [
        f
        for f in tailor.critique(cv_from_markdown(text), "startup").findings
        if f.rule == "vague-bullet"
    ]
    assert [f.quote for f in findings] == [bullet]
    assert phrase in findings[0].message
    assert all(rules == {"vague-bullet"} for rules in only_new_rules(text).values())


def test_technique_list_flags_listed_but_unapplied_skills() -> None:
    text = BASE.replace("- PyTorch, FSDP, Airflow", "- PyTorch, FSDP, Airflow, JAX, Teamwork")
    cv = cv_from_markdown(text)
    findings = [
        f for f in tailor.critique(cv, "frontier-lab").findings if f.rule == "technique-list"
    ]
    # one finding for the list, naming its unshown items (soft skills are not techniques)
    assert [f.items for f in findings] == [["JAX"]]
    assert (
        findings[0].quote == "Skills"
        and findings[0].line == text.splitlines().index("## Skills") + 1
    )
    assert '"JAX"' in findings[0].message and "(1 of 4 listed)" in findings[0].message


def test_technique_list_knows_synonyms() -> None:
    text = BASE.replace("- PyTorch, FSDP, Airflow", "- PyTorch, FSDP, Airflow, Kubernetes").replace(
        "moving scoring to spot instances", "moving scoring to spot instances on k8s"
    )
    assert all(rules == set() for rules in only_new_rules(text).values())


def test_no_production_evidence_fires_on_research_only_cv() -> None:
    research = tailor.load_cv(CVS / "research-only.md")
    assert all("no-production-evidence" in rules_fired(c) for c in critiques(research).values())
    assert all(
        "no-production-evidence" not in rules_fired(c)
        for c in critiques(cv_from_markdown(BASE)).values()
    )


def test_no_performance_wins_fires_without_latency_throughput_or_cost() -> None:
    text = """\
# Ines Duarte
ML Engineer · ines@example.com · https://github.com/ines-example

## Experience
### ML Engineer — Larkspur Health
*2020 – Present*
- Deployed a triage classifier used by 40 clinics, raising recall from 0.71 to 0.83.
- Built a labelling tool that 12 nurses used to label 9,000 notes.
- Shipped weekly model updates to 3 hospitals with 2 engineers.
"""
    fired = rules_fired(tailor.critique(cv_from_markdown(text), "production-ml"))
    assert "no-performance-wins" in fired
    with_cost = text.replace("with 2 engineers.", "with 2 engineers, cutting GPU cost by 30%.")
    assert "no-performance-wins" not in rules_fired(
        tailor.critique(cv_from_markdown(with_cost), "production-ml")
    )


def test_missing_links_fires_without_any_link() -> None:
    text = BASE.replace(" · https://github.com/rui-example", "").replace(
        "(github.com/rui-example/tidy-drift) ", ""
    )
    fired = only_new_rules(text)
    assert all("missing-links" in rules for rules in fired.values())
    assert fired["production-ml"] == {"missing-links"}


def test_length_fires_on_long_and_thin_cvs_only() -> None:
    long_findings = [
        f
        for f in tailor.critique(tailor.load_cv(CVS / "long.md"), "startup").findings
        if f.rule == "length"
    ]
    assert len(long_findings) == 1 and "pages" in long_findings[0].message
    thin_findings = [
        f
        for f in tailor.critique(tailor.load_cv(CVS / "thin.md"), "startup").findings
        if f.rule == "length"
    ]
    assert len(thin_findings) == 1 and "too thin" in thin_findings[0].message
    assert "length" not in rules_fired(
        tailor.critique(tailor.load_cv(CVS / "strong-production.md"), "startup")
    )


def test_length_uses_the_page_count_of_a_pdf() -> None:
    cv = cv_from_markdown(BASE)
    assert cv.origin is not None
    cv.origin.pages = 3
    finding = next(f for f in tailor.critique(cv, "startup").findings if f.rule == "length")
    assert "3 pages" in finding.message


def test_missing_selected_projects_fires_when_work_spans_domains() -> None:
    path = CVS / "multi-domain-no-projects.md"
    fired = rules_fired(tailor.critique(tailor.load_cv(path), "production-ml"))
    assert "missing-selected-projects" in fired
    with_projects = (
        path.read_text()
        + "\n## Selected Projects\n- shelfscan: open-source shelf detector, 300 stars.\n"
    )
    cv = tailor.read_cv(with_projects.encode(), name="cv.md")
    assert "missing-selected-projects" not in rules_fired(tailor.critique(cv, "production-ml"))
    # BASE spans one domain (payments risk): no finding even without projects
    single_domain = BASE.split("## Selected Projects")[0] + "## Skills\n- PyTorch, FSDP, Airflow\n"
    assert all("missing-selected-projects" not in r for r in only_new_rules(single_domain).values())


@pytest.mark.parametrize(
    ("cv_file", "target", "fires", "quiet"),
    [
        (
            "research-only.md",
            "frontier-lab",
            set(),
            {"no-publications-or-oss", "no-distributed-training"},
        ),
        ("research-only.md", "production-ml", {"no-pipeline-reliability"}, set()),
        ("research-only.md", "startup", {"no-shipped-product"}, set()),
        (
            "startup-shipper.md",
            "frontier-lab",
            {"no-publications-or-oss", "no-distributed-training"},
            set(),
        ),
        ("startup-shipper.md", "startup", set(), {"no-shipped-product"}),
        ("pipeline-engineer.txt", "production-ml", set(), {"no-pipeline-reliability"}),
        ("pipeline-engineer.txt", "frontier-lab", {"no-publications-or-oss"}, set()),
        ("weak-vague.md", "production-ml", {"no-pipeline-reliability"}, set()),
        ("weak-vague.md", "startup", {"no-shipped-product"}, set()),
        (
            "strong-production.md",
            "frontier-lab",
            set(),
            {"no-publications-or-oss", "no-distributed-training"},
        ),
        ("strong-production.md", "production-ml", set(), {"no-pipeline-reliability"}),
    ],
)
def test_target_rules(cv_file: str, target: str, fires: set[str], quiet: set[str]) -> None:
    fired = rules_fired(tailor.critique(tailor.load_cv(CVS / cv_file), target))
    assert fires <= fired
    assert not quiet & fired


def test_satisfied_target_rules_become_strengths_with_a_quote() -> None:
    critique = tailor.critique(cv_from_markdown(BASE), "frontier-lab")
    assert any(
        s.startswith("Shows distributed training:") and "FSDP" in s for s in critique.strengths
    )


def test_target_rules_ignore_the_skills_list() -> None:
    """Listing FSDP as a skill is not evidence of distributed training."""
    text = BASE.replace("in PyTorch with FSDP on 64 A100 GPUs", "in PyTorch").replace(
        "- PyTorch, FSDP, Airflow", "- PyTorch, Airflow, FSDP, DeepSpeed"
    )
    assert "no-distributed-training" in only_new_rules(text)["frontier-lab"]


ALL_TEXT_CVS = sorted(CVS.glob("*.md")) + sorted(CVS.glob("*.txt"))


@pytest.mark.parametrize("path", ALL_TEXT_CVS, ids=lambda p: p.name)
def test_quotes_are_verbatim_and_lines_point_at_them(path: Path) -> None:
    lines = path.read_text().splitlines()
    cv = tailor.load_cv(path)
    for critique in critiques(cv).values():
        for finding in critique.findings:
            if finding.quote is None:
                continue
            assert finding.line is not None, finding
            # the quote starts on its line, as a whole word; a wrapped bullet runs on below it
            first_word = re.escape(finding.quote.split()[0])
            assert re.search(rf"(?<![\w+#]){first_word}(?![\w+#])", lines[finding.line - 1]), (
                finding
            )
            following = "".join(lines[finding.line - 1 : finding.line + 4])
            assert _squash(finding.quote) in _squash(following), finding


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def scores(name: str) -> dict[str, int]:
    return {target: c.score for target, c in critiques(tailor.load_cv(CVS / name)).items()}


def test_strong_cv_scores_well_above_weak_cv_for_every_target() -> None:
    strong, weak = scores("strong-production.md"), scores("weak-vague.md")
    for target in TARGETS:
        assert strong[target] >= 75, (target, strong)
        assert weak[target] <= 40, (target, weak)
        assert strong[target] - weak[target] >= 40


def test_research_cv_scores_highest_for_a_frontier_lab() -> None:
    research = scores("research-only.md")
    assert research["frontier-lab"] > research["production-ml"] + 15
    assert research["frontier-lab"] > research["startup"] + 15


def test_each_specialist_scores_highest_for_its_own_kind_of_employer() -> None:
    pipeline, shipper = scores("pipeline-engineer.txt"), scores("startup-shipper.md")
    assert pipeline["production-ml"] > pipeline["frontier-lab"]
    assert shipper["startup"] > shipper["frontier-lab"]
    assert shipper["startup"] > shipper["production-ml"]


def test_findings_are_ordered_by_severity_and_deterministic() -> None:
    cv = tailor.load_cv(CVS / "weak-vague.md")
    first, second = tailor.critique(cv, "anthropic"), tailor.critique(cv, "anthropic")
    assert first == second
    order = {"high": 0, "medium": 1, "low": 2}
    severities = [order[f.severity] for f in first.findings]
    assert severities == sorted(severities)


def test_critique_json_round_trips_through_the_model() -> None:
    critique = tailor.critique(tailor.load_cv(CVS / "weak-vague.md"), "palantir")
    assert Critique.model_validate_json(critique.model_dump_json()) == critique
    assert critique.target == "production-ml"


def test_roles_without_bullets_are_judged_sentence_by_sentence() -> None:
    text = (
        "Alex Kim\nalex@example.com | https://github.com/alexkim\n\nExperience\n"
        "Machine Learning Engineer\nShopCo\nJun 2018 - Feb 2021\n"
        "Worked on the recommendation engine for the homepage. Cut p95 latency by 40 ms.\n"
    )
    cv = tailor.read_cv(text.encode(), name="cv.txt")
    critique = tailor.critique(cv, "startup")
    quotes = {(f.rule, f.quote) for f in critique.findings if f.quote}
    assert ("vague-bullet", "Worked on the recommendation engine for the homepage.") in quotes
    assert ("missing-metrics", "Worked on the recommendation engine for the homepage.") in quotes
    assert not any(q == "Cut p95 latency by 40 ms." for _, q in quotes)
    finding = next(f for f in critique.findings if f.rule == "vague-bullet")
    assert finding.line == 8


@pytest.mark.parametrize(
    "bullet",
    ["Led a team of 5 engineers.", "Migrated services to Python 3.11.", "Achieved ISO 27001."],
)
def test_versions_standards_and_team_sizes_are_not_outcomes(bullet: str) -> None:
    from tailor.cv.lines import has_metric

    assert not has_metric(bullet)


@pytest.mark.parametrize("bullet", ["Cut labelling errors by half.", "Raised AUC from .71 to .80."])
def test_figures_in_words_and_bare_decimals_are_outcomes(bullet: str) -> None:
    from tailor.cv.lines import has_metric

    assert has_metric(bullet)


@pytest.mark.parametrize(
    ("line", "target", "rule"),
    [
        (
            "Delivered monthly reports to the analytics team, used by 30 staff.",
            "startup",
            "no-shipped-product",
        ),
        (
            "Built a Kafka messaging pipeline handling 2M events a day.",
            "production-ml",
            "no-pipeline-reliability",
        ),
        (
            "Kept an olive-oil price tracker alive for 200 customers.",
            "startup",
            "no-shipped-product",
        ),
    ],
)
def test_target_rules_do_not_match_inside_words(line: str, target: str, rule: str) -> None:
    text = f"# A\n\n## Experience\n### Engineer — Acme\n*2020 – 2022*\n- {line}\n"
    assert rule in rules_fired(tailor.critique(cv_from_markdown(text), target))


def test_published_papers_count_as_publications() -> None:
    text = "# A\n\n## Experience\n### Engineer — Acme\n*2020 – 2022*\n- Published 2 papers at VLDB on query learning.\n"
    assert "no-publications-or-oss" not in rules_fired(
        tailor.critique(cv_from_markdown(text), "frontier-lab")
    )


def test_invoices_are_not_speech_work() -> None:
    from tailor.critic.rubric import missing_selected_projects
    from tailor.cv.lines import experience_lines

    text = (
        "# A\n\n## Experience\n### Engineer — Acme\n*2020 – 2022*\n"
        "- Parsed 2M invoices a month.\n- Cut invoice errors by 30%.\n"
        "- Built a fraud model for invoices.\n- Cut fraud losses by 12%.\n"
    )
    cv = cv_from_markdown(text)
    assert missing_selected_projects(cv, experience_lines(cv)).findings == []


def test_skill_findings_point_at_the_skills_section() -> None:
    text = (
        "# Ana Ruiz\nEx-Google engineer · ana@example.com · https://github.com/ana\n\n"
        "## Experience\n### Engineer — Acme\n*2020 – 2022*\n- Rewrote the API in Rust, cutting p99 by 30 ms.\n\n"
        "## Skills\n- Go, R, Rust\n"
    )
    findings = [
        f
        for f in tailor.critique(cv_from_markdown(text), "startup").findings
        if f.rule == "technique-list"
    ]
    assert [(f.quote, f.line, f.items) for f in findings] == [("Skills", 9, ["Go", "R"])]


def test_schema_address_and_social_profiles_are_not_links_to_work() -> None:
    document = {
        "$schema": "https://example.com/schema.json",
        "basics": {
            "name": "A",
            "profiles": [{"network": "LinkedIn", "url": "https://linkedin.com/in/a"}],
        },
        "work": [{"name": "Acme", "highlights": ["Cut costs by 10%."]}],
    }
    cv = tailor.read_cv(json.dumps(document).encode(), name="cv.json")
    assert "missing-links" in rules_fired(tailor.critique(cv, "startup"))
    document["basics"]["profiles"].append({"network": "GitHub", "username": "a"})  # type: ignore[index]
    cv = tailor.read_cv(json.dumps(document).encode(), name="cv.json")
    assert "missing-links" not in rules_fired(tailor.critique(cv, "startup"))


def test_pdf_findings_name_the_section_not_a_line_of_extracted_text() -> None:
    from tests.conftest import EXAMPLES

    critique = tailor.critique(tailor.load_cv(EXAMPLES / "jordan-reyes.pdf"), "startup")
    quoted = [f for f in critique.findings if f.quote]
    assert quoted and all(f.line is None and f.section for f in quoted)


def test_sections_the_reader_cannot_place_are_named_without_costing_points() -> None:
    with_unknown = BASE.replace(
        "## Education", "## Lehrtätigkeiten\n- Gab einen Kurs.\n\n## Education"
    )
    critique = tailor.critique(cv_from_markdown(with_unknown), "startup")
    unread = [f for f in critique.findings if f.rule == "unread-section"]
    assert [(f.quote, f.line, f.severity) for f in unread] == [
        ("Lehrtätigkeiten", with_unknown.splitlines().index("## Lehrtätigkeiten") + 1, "low")
    ]
    assert critique.score == tailor.critique(cv_from_markdown(BASE), "startup").score


def test_a_section_titled_in_another_language_is_read_and_its_english_title_suggested() -> None:
    mixed = BASE.replace("## Experience", "## Berufserfahrung").replace(
        "## Skills", "## Compétences :"
    )
    cv = cv_from_markdown(mixed)
    assert [w.name for w in cv.work] == [w.name for w in cv_from_markdown(BASE).work]
    assert cv.skills  # read under its French title
    critique = tailor.critique(cv, "startup")
    flagged = [f for f in critique.findings if f.rule == "other-language-title"]
    lines = mixed.splitlines()
    assert [(f.quote, f.line) for f in flagged] == [
        ("Berufserfahrung", lines.index("## Berufserfahrung") + 1),
        ("Compétences", lines.index("## Compétences :") + 1),
    ]
    assert 'Title it "Experience"' in flagged[0].suggestion
    assert 'Title it "Skills"' in flagged[1].suggestion
    assert "unread-section" not in rules_fired(critique)
    assert critique.score < tailor.critique(cv_from_markdown(BASE), "startup").score


def test_a_cv_titled_in_one_other_language_throughout_is_not_told_to_use_english() -> None:
    german = "\n".join(
        [
            "# Lena Hartmann",
            "lena@example.com · https://github.com/lena-example",
            "",
            "## Berufserfahrung",
            "### ML Engineer, Nordlicht GmbH",
            "2021-01 – 2024-01",
            "- Cut inference latency from 80 ms to 20 ms.",
            "",
            "## Kenntnisse",
            "- Formation",
            "- Python",
        ]
    )
    critique = tailor.critique(cv_from_markdown(german), "startup")
    assert "other-language-title" not in rules_fired(critique)
    cv = cv_from_markdown(german)
    assert cv.work and cv.work[0].highlights
    # a bullet that happens to be a title in another language is a skill, not a heading
    assert "Formation" in [k for group in cv.skills for k in group.keywords] or any(
        "Formation" in group.name for group in cv.skills
    )


def test_field_names_and_soft_skills_are_not_techniques_to_show() -> None:
    text = BASE.replace(
        "- PyTorch, FSDP, Airflow",
        "- PyTorch, FSDP, Airflow, Machine Learning, Stakeholder Management",
    )
    assert "technique-list" not in only_new_rules(text)["startup"]


def test_the_link_strength_names_the_link() -> None:
    critique = tailor.critique(cv_from_markdown(BASE), "startup")
    assert "Links to work a reader can check: https://github.com/rui-example" in critique.strengths


def test_sentence_findings_name_the_section_as_written() -> None:
    text = "Al\n\nWork History\nEngineer, Acme (2019 - 2021)\nWorked on the billing model.\n"
    finding = next(
        f
        for f in tailor.critique(tailor.read_cv(text.encode(), name="cv.txt"), "startup").findings
        if f.rule == "vague-bullet"
    )
    assert finding.section == "Work History"


def test_skill_findings_name_a_skills_section_of_any_title() -> None:
    text = "# Al\n\n## Experience\n- Cut costs by 10%.\n\n## Core Competencies\n- Rust\n"
    finding = next(
        f
        for f in tailor.critique(cv_from_markdown(text), "startup").findings
        if f.rule == "technique-list"
    )
    assert (finding.section, finding.quote, finding.line) == ("Core Competencies",) * 2 + (6,)
