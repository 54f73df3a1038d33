"""The evaluation runner (evals/run.py) counts hits, misses and false accusations right."""

from __future__ import annotations

import shutil
from pathlib import Path

from evals.run import evaluate

DATA = Path(__file__).resolve().parent / "data" / "evals"


def test_a_fully_labelled_cv_scores_what_the_critique_finds(tmp_path: Path) -> None:
    report = evaluate(DATA)
    rules = report["rules"]
    assert rules["missing-metrics"]["true_positive"] == 2
    assert rules["vague-bullet"]["true_positive"] == 1
    assert rules["technique-list"]["true_positive"] == 1
    assert rules["missing-links"]["false_positive"] == 0
    assert report["rewrite"]["violations"] == 0 and report["rewrite"]["runs"] == 3


def test_a_wrong_label_shows_as_a_miss_and_a_false_accusation(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "evals")
    label = tmp_path / "evals" / "labels" / "sample.yaml"
    text = label.read_text(encoding="utf-8")
    # claim the measured bullet is the unmeasured one, and that links are missing
    text = text.replace("Built the feature store in Spark.", "Served a demand model to 300 depots")
    text = text.replace("  - missing-links\n", "").replace(
        "planted:\n", "planted:\n  - rule: missing-links\n    quote: null\n"
    )
    label.write_text(text, encoding="utf-8")
    report = evaluate(tmp_path / "evals")
    metrics = report["rules"]["missing-metrics"]
    assert metrics["false_positive"] == 1 and metrics["false_negative"] == 1
    assert report["rules"]["missing-links"]["false_negative"] == 1
    assert report["recall"] < 1
