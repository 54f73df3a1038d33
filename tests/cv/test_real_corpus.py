"""Real CVs read faithfully: every file of tests/data/real/ scores 0.95 or more against its
truth, and the scoring itself finds what is wrong."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from evals.fidelity import CORPUS, GOAL, FileScore, evaluate, score_file, summary
from tests.conftest import REAL_CVS


@cache
def scores() -> dict[str, FileScore]:
    return {score.path: score for score in evaluate(CORPUS)}


TRUTHS = sorted(CORPUS.glob("*/*.truth.yaml"))


PERMISSIVE = {
    "MIT",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "Apache-2.0",
    "LPPL-1.3c",
    "Unlicense",
    "CC0-1.0",
    "CC-BY-4.0",
}


def test_the_corpus_covers_many_templates_each_with_its_source_and_licence() -> None:
    truths = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in TRUTHS]
    assert len(truths) >= 12 and len({truth["template"] for truth in truths}) >= 8
    assert any(truth.get("held_out") for truth in truths)
    for truth in truths:
        assert truth["source"].startswith("https://github.com/") and truth["licence"] in PERMISSIVE
    for folder in {path.parent for path in TRUTHS}:
        assert "licen" in (folder / "SOURCES.md").read_text(encoding="utf-8").lower()


def test_every_corpus_file_has_a_truth_file() -> None:
    truths = {path.name.removesuffix(".truth.yaml") for path in TRUTHS}
    assert {path.stem for path in REAL_CVS} <= truths


@pytest.mark.parametrize("truth", TRUTHS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_each_real_cv_is_read_faithfully(truth: Path) -> None:
    name = truth.name.removesuffix(".truth.yaml")
    score = next(s for s in scores().values() if Path(s.path).stem == name)
    assert score.score >= GOAL, "\n".join(score.failed)


def test_the_overall_figure_meets_the_goal() -> None:
    figures = summary(list(scores().values()))
    assert figures["lowest"] >= GOAL
    assert figures["overall"] >= GOAL


# -- the scoring finds what is wrong ---------------------------------------------------------

CV = """# Ana Ruiz
ana@example.com · +44 20 7946 0000 · github.com/anaruiz

## Experience

### ML Engineer — Quillnet
*Mar 2021 – Present · Lisbon, Portugal*

- Cut serving cost by 40% with dynamic batching.

## Awards

- Best Paper Award, Fictional Conference 2022
"""

TRUTH = {
    "name": "Ana Ruiz",
    "email": "ana@example.com",
    "phone": "+44 20 7946 0000",
    "links": ["github.com/anaruiz"],
    "roles": [
        {
            "company": "Quillnet",
            "title": "ML Engineer",
            "start": "2021-03",
            "end": "present",
            "location": "Lisbon, Portugal",
            "bullets": ["Cut serving cost by 40% with dynamic batching."],
        }
    ],
    "sections": [
        {"title": "Experience"},
        {"title": "Awards", "items": ["Best Paper Award, Fictional Conference 2022"]},
    ],
    "furniture": ["Page 1 of 1"],
}


def score_of(tmp_path: Path, text: str, truth: dict[str, object]) -> FileScore:
    path = tmp_path / "cv.md"
    path.write_text(text, encoding="utf-8")
    return score_file(path, truth)


def test_a_faithful_reading_scores_one(tmp_path: Path) -> None:
    score = score_of(tmp_path, CV, TRUTH)
    assert score.failed == [] and score.score == 1.0
    # name, email, phone, link, 5 role fields, a bullet, 2 titles, an item, the furniture
    assert score.total == 14


@pytest.mark.parametrize(
    ("change", "failure"),
    [
        (("Ana Ruiz", "Last updated in Mar 2026\n# Ana Ruiz"), "name"),
        (("Mar 2021 – Present", "Mar 2021 – Jun 2023"), "end"),
        (("Quillnet", "Quillnet Lisbon"), "company"),
        (("- Cut serving cost by 40% with", "- Cut serving cost by 40%\n\nwith"), "bullet"),
        (("## Awards", "Awards"), "Awards"),
        (("## Awards\n", "## Awards\n\nPage 1 of 1\n"), "furniture"),
    ],
)
def test_a_misreading_costs_a_point(tmp_path: Path, change: tuple[str, str], failure: str) -> None:
    score = score_of(tmp_path, CV.replace(*change, 1), TRUTH)
    assert score.score < 1.0
    assert any(failure in line for line in score.failed), score.failed


def test_a_role_the_cv_does_not_have_costs_a_point(tmp_path: Path) -> None:
    extra = CV.replace("## Awards", "### Footer — January 1, 2025\n*2025*\n\n## Awards")
    score = score_of(tmp_path, extra, TRUTH)
    assert any("a role the CV does not have" in line for line in score.failed)
