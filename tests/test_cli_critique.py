"""`tailor critique`'s text report in-process (typer's CliRunner): short by default, every
finding with --all, the JSON unchanged."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import tailor
from tailor.cli import app
from tailor.critic.report import ALL_HINT
from tests.conftest import EXAMPLES

runner = CliRunner()
CASEY = str(EXAMPLES / "casey-morgan.md")


def _critique(*args: str) -> str:
    result = runner.invoke(app, ["critique", CASEY, "--provider", "offline", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_default_report_is_short_and_says_how_to_see_the_rest() -> None:
    one = _critique("-t", "anthropic").splitlines()
    three = _critique().splitlines()
    assert len(one) < 80 and len(three) <= 100
    assert one[-1] == three[-1] == ALL_HINT
    assert sum(line.startswith("Provider: ") for line in three) == 1
    lab = tailor.critique(tailor.load_cv(CASEY), "frontier-lab")
    assert one[0] == f"Frontier AI lab (frontier-lab)  {lab.score}/100"  # the score, verdict first
    assert " ".join(one[1:5]).startswith(lab.summary[:60])


def test_all_shows_every_finding_in_full() -> None:
    text = _critique("--all")
    flat = " ".join(text.split())
    assert ALL_HINT not in text
    cv = tailor.load_cv(CASEY)
    for target in ("frontier-lab", "production-ml", "startup"):
        for finding in tailor.critique(cv, target).findings:
            assert " ".join(finding.suggestion.split()) in flat
    assert len(text.splitlines()) > len(_critique().splitlines())


def test_json_is_every_finding_whatever_the_flags() -> None:
    default = json.loads(_critique("-t", "anthropic", "-f", "json"))
    assert default == json.loads(_critique("-t", "anthropic", "-f", "json", "--all"))
    expected = tailor.critique(tailor.load_cv(CASEY), "anthropic").model_dump(mode="json")
    assert default == expected
    skills = next(f for f in default["findings"] if f["rule"] == "technique-list")
    assert skills["items"] == ["JAX", "TensorRT", "RLHF", "Ray"]


def test_markdown_is_in_full_with_or_without_all() -> None:
    markdown = _critique("-t", "anthropic", "-f", "md")
    assert markdown == _critique("-t", "anthropic", "-f", "md", "--all")
    assert ALL_HINT not in markdown and "### `missing-metrics` (medium)" in markdown
