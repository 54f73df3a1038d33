"""The evaluation runner (evals/run.py) counts hits, misses and false accusations right."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from evals.run import evaluate, print_report
from tests import scripted
from tests.conftest import client_for
from tests.fake_llm import InProcessLLM, Text

DATA = Path(__file__).resolve().parent / "data" / "evals"


def test_a_fully_labelled_cv_scores_what_the_critique_finds(tmp_path: Path) -> None:
    report = evaluate(DATA)
    rules = report["rules"]
    assert rules["missing-metrics"]["true_positive"] == 2
    assert rules["vague-bullet"]["true_positive"] == 1
    assert rules["technique-list"]["true_positive"] == 1
    assert rules["missing-links"]["false_positive"] == 0
    assert report["rewrite"]["violations"] == 0 and report["rewrite"]["runs"] == 3
    assert report["model_order_agreement"] is None  # offline: no model's scores


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


def _critique(*findings: tuple[str, str], score: int = 60) -> Text:
    return Text(
        scripted.critique_answer(
            *(
                scripted.finding(quote, rule=rule, message="m", suggestion="s")
                for rule, quote in findings
            ),
            score=score,
            summary="Solid delivery work; say what it changed.",
        )
    )


def _rewrite(first_bullet: str) -> Text:
    return Text(
        scripted.rewrite_answer(
            ("w1.2", first_bullet, "latency first"),
            ("w1.3", "Built the feature store in Spark.", "data work"),
        )
    )


def test_an_llm_evaluation_runs_through_the_real_sdk_and_the_fake_server(
    in_process_llm: InProcessLLM,
) -> None:
    measured = "Served a demand model to 300 depots, cutting p95 latency from 400 ms to 90 ms."
    invented = "Served a demand model to 900 depots, cutting p95 latency from 400 ms to 9 ms."
    accusation = ("vague-bullet", measured)  # a false one: the line is measured and specific
    in_process_llm.reply(
        # frontier-lab, production-ml, startup: the model puts them in the labelled order
        *[
            _critique(accusation, ("llm-tone", "a line the CV does not have at all"), score=s)
            for s in (50, 80, 40)
        ],
        _rewrite(invented),  # the first target's rewrite invents figures twice: reverted
        _rewrite(invented),
        _rewrite(measured),
        _rewrite(measured),
    )
    with client_for(in_process_llm, "anthropic") as client:
        report = evaluate(DATA, client)
    assert report["provider"] == "anthropic"
    assert len(in_process_llm.requests) == 7
    # the model's findings are scored: its false accusation counts, the rubric's hits stay
    assert report["rules"]["vague-bullet"]["false_positive"] == 1
    assert report["rules"]["missing-metrics"]["true_positive"] == 2
    rewrite = report["rewrite"]
    assert rewrite["violations"] == 0 and rewrite["reverted"] >= 1
    assert rewrite["measured_kept"] == rewrite["measured"] == 3  # one measured bullet x 3
    assert report["llm"]["critique"]["runs"] == 3
    # the headline ordering is the rubric's; the model's own scores are measured beside it
    assert report["order_agreement"] == evaluate(DATA)["order_agreement"]
    assert report["model_order_agreement"] == 1.0
    assert report["llm"]["rewrite"]["requests"] == 4  # the first rewrite was asked twice
    assert report["llm"]["rewrite"]["input_tokens"] > 0


def test_the_runner_prints_an_llm_runs_cost_and_reverts(
    in_process_llm: InProcessLLM, capsys: pytest.CaptureFixture[str]
) -> None:
    in_process_llm.reply(*[_critique()] * 3, *[_rewrite("Built the feature store in Spark.")] * 3)
    with client_for(in_process_llm, "openai") as client:
        report = evaluate(DATA, client)
    print_report(report)
    out = capsys.readouterr().out
    assert "provider openai" in out
    assert "rewrite: model inventions reverted" in out
    assert "critique: 3 runs, 3 requests" in out
    assert "the same, by the model's own scores" in out


def test_held_out_cvs_are_reported_apart_from_the_tuning_set(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "evals")
    labels = tmp_path / "evals" / "labels"
    held_out = (labels / "sample.yaml").read_text(encoding="utf-8")
    # the held-out copy wrongly says links are missing: only its split loses recall
    held_out = held_out.replace("  - missing-links\n", "").replace(
        "planted:\n", "planted:\n  - rule: missing-links\n    quote: null\n"
    )
    (labels / "sample-held-out.yaml").write_text(held_out + "held_out: true\n", encoding="utf-8")
    report = evaluate(tmp_path / "evals")
    splits = report["splits"]
    assert list(splits) == ["tuning", "held-out"]
    assert splits["tuning"]["cvs"] == splits["held-out"]["cvs"] == 1
    assert splits["tuning"]["recall"] == 1.0
    assert splits["held-out"]["recall"] < 1.0
    assert report["cvs"] == 2


def test_the_posting_reader_is_scored_on_labelled_postings(tmp_path: Path) -> None:
    from evals.run import evaluate_postings

    folder = tmp_path / "postings"
    (folder / "labels").mkdir(parents=True)
    (folder / "p.txt").write_text(
        "We are a team of 40 in Lisbon. You have shipped LLM inference to production with "
        "p99 latency targets. Bonus points if you have written CUDA kernels.\n",
        encoding="utf-8",
    )
    label = {
        "posting": "p.txt",
        "held_out": True,
        "must": ["shipped LLM inference to production"],
        "nice": ["written CUDA kernels"],
        "not_requirements": ["We are a team of 40 in Lisbon"],
    }
    (folder / "labels" / "p.yaml").write_text(yaml.safe_dump(label), encoding="utf-8")
    row = evaluate_postings((folder / "labels",))["splits"]["held-out"]
    assert (row["must"]["tp"], row["nice"]["tp"], row["not_requirements"]["taken"]) == (1, 1, 0)
    # a label that wants a sentence the posting does not have shows as a miss
    label["must"].append("a PhD in physics")
    (folder / "labels" / "p.yaml").write_text(yaml.safe_dump(label), encoding="utf-8")
    report = evaluate_postings((folder / "labels",))
    assert report["splits"]["held-out"]["must"]["fn"] == 1
    assert any("missed must: 'a PhD in physics'" in m for m in report["mistakes"])
