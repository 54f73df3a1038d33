"""Company profiles: the bundled ones, aliases, and users' own profile files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import tailor
from tailor.targets import aliases, bundled_profiles, load_profile, resolve_target
from tests.conftest import ROOT

EXPECTED_RULES = {
    "frontier-lab": {"no-publications-or-oss", "no-distributed-training"},
    "production-ml": {"no-pipeline-reliability"},
    "startup": {"no-shipped-product"},
}


def test_bundled_profiles_and_their_rules() -> None:
    profiles = bundled_profiles()
    assert set(profiles) == set(EXPECTED_RULES)
    for profile_id, rules in EXPECTED_RULES.items():
        profile = profiles[profile_id]
        assert {rule.id for rule in profile.rules} == rules
        assert profile.source.startswith("shared/guide/")
        assert profile.values and profile.keywords


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("anthropic", "frontier-lab"),
        ("OpenAI", "frontier-lab"),
        ("DeepMind", "frontier-lab"),
        ("palantir", "production-ml"),
        ("Scale AI", "production-ml"),
        ("startup", "startup"),
        ("growth company", "startup"),
    ],
)
def test_aliases_resolve(name: str, expected: str) -> None:
    assert resolve_target(name).id == expected


def test_aliases_are_unique_across_profiles() -> None:
    seen: dict[str, str] = {}
    for profile in bundled_profiles().values():
        for alias in [profile.id, *profile.aliases]:
            assert alias not in seen, f"{alias} names both {seen[alias]} and {profile.id}"
            seen[alias] = profile.id
    assert len(aliases()) == len(seen)


def test_unknown_target_suggests_the_closest() -> None:
    with pytest.raises(
        tailor.UserError, match="unknown target 'antropic'; did you mean 'anthropic'"
    ):
        resolve_target("antropic")


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def _valid_profile() -> dict[str, object]:
    return yaml.safe_load((ROOT / "company_profiles" / "startup.yaml").read_text())


def test_user_profile_loads_and_is_used(tmp_path: Path) -> None:
    document = _valid_profile() | {
        "id": "robotics-startup",
        "name": "Robotics startup",
        "aliases": [],
    }
    profile = resolve_target(str(_write(tmp_path, document)))
    assert profile.id == "robotics-startup"
    cv = tailor.read_cv(b"# A\n\n## Experience\n- Wrote docs.\n", name="cv.md")
    assert tailor.critique(cv, profile).target == "robotics-startup"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rules": [{"id": "x", "severity": "fatal"}]}, "rules.0.severity"),
        ({"values": []}, "values"),
        ({"section_order": ["work", "hobbies"]}, "section_order"),
        ({"colour": "blue"}, "colour"),
        (
            {
                "rules": [
                    {
                        "id": "Bad Id",
                        "severity": "low",
                        "penalty": 5,
                        "satisfied_by": [{"any_of": ["x"]}],
                        "message": "m",
                        "suggestion": "s",
                        "strength": "t",
                    }
                ]
            },
            "rules.0.id",
        ),
        (
            {
                "rules": [
                    {
                        "id": "x",
                        "severity": "low",
                        "penalty": 5,
                        "satisfied_by": [{"any_of": ["(unclosed"]}],
                        "message": "m",
                        "suggestion": "s",
                        "strength": "t",
                    }
                ]
            },
            "rules.0.satisfied_by.0.any_of",
        ),
        (
            {
                "rules": [
                    {
                        "id": "x",
                        "severity": "low",
                        "penalty": 5,
                        "satisfied_by": [{}],
                        "message": "m",
                        "suggestion": "s",
                        "strength": "t",
                    }
                ]
            },
            "rules.0.satisfied_by.0",
        ),
    ],
)
def test_invalid_user_profile_names_the_bad_field(
    tmp_path: Path, change: dict[str, object], field: str
) -> None:
    path = _write(tmp_path, _valid_profile() | change)
    with pytest.raises(tailor.ProfileError, match=f"profile {path}: field {field}") as caught:
        load_profile(path)
    assert "\n" not in str(caught.value)


def test_profile_file_errors(tmp_path: Path) -> None:
    with pytest.raises(tailor.UserError, match="no such profile file"):
        resolve_target(str(tmp_path / "missing.yaml"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n")
    with pytest.raises(tailor.ProfileError, match="not valid YAML"):
        resolve_target(str(broken))


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"no-producton-evidence": 2}, "field rule_weights: unknown rule 'no-producton-evidence'"),
        (
            {"missing-metrics": -1},
            "field rule_weights.missing-metrics: Input should be greater than or equal to 0",
        ),
    ],
)
def test_rule_weights_must_name_real_rules_and_be_non_negative(
    tmp_path: Path, weights: dict[str, float], message: str
) -> None:
    path = _write(tmp_path, _valid_profile() | {"rule_weights": weights})
    with pytest.raises(tailor.ProfileError, match=message):
        load_profile(path)


def test_a_profile_may_weight_its_own_rules(tmp_path: Path) -> None:
    profile = load_profile(
        _write(tmp_path, _valid_profile() | {"rule_weights": {"no-shipped-product": 2}})
    )
    assert profile.weight("no-shipped-product") == 2


# Evidence each bundled target rule accepts and refuses, one line at a time: wordings found by
# the labelled CVs in evals/ that the first patterns missed or wrongly accepted.
EVIDENCE = {
    "no-distributed-training": (
        [
            "Trained the detection models with PyTorch DDP on 8 GPUs, in 5 hours instead of 30.",
            "Trained segmentation models on 2 nodes with 8 A100 GPUs each.",
            "Moved pre-training to DeepSpeed ZeRO-3, fitting a 7B model.",
            "Ran multi-GPU training for the speech model.",
            "Trained a 1.3B model on 64 H100s.",
        ],
        [
            "Cut zero-result searches from 7.5% to 3.1%.",
            "Took bad-model incidents to zero over 18 months.",
            "Fine-tuned Llama 3 8B with LoRA on a single A100.",
            "Trained the ranker on 1 GPU overnight.",
        ],
    ),
    "no-pipeline-reliability": (
        [
            "Added row-count and null-rate checks to the nightly job, with Slack alerts.",
            "Put drift monitoring on the ranking features with alerts into Slack.",
            "Introduced data checks with Great Expectations before each training run.",
            "Monitored hallucination rate in production with daily scoring and alerts.",
            "Built label-quality checks with automatic rollback of regressed models.",
        ],
        [
            "Built a dashboard of weekly sales for the finance team.",
            "Set up CI for the web front end.",
            "Checked the model's accuracy on a held-out set.",
        ],
    ),
    "no-shipped-product": (
        [
            "Shipped offline dictation to more than 20M Android and iOS devices.",
            "Deployed a sepsis early-warning model into the workflows of 14 hospitals.",
            "Built the research platform, used daily by 30 researchers.",
            "Deployed a churn model whose scores feed the CRM used by 45 account managers.",
            "Rebuilt the feed ranker, lifting listening minutes per user by 3% in an A/B test.",
            "Shipped spell correction for search queries, cutting zero-result searches by 18%.",
        ],
        [
            "Trained a churn model in scikit-learn with 0.81 AUC.",
            "Deployed the model to a staging cluster.",
            "Wrote an internal report on forecasting methods.",
        ],
    ),
}


@pytest.mark.parametrize("rule_id", sorted(EVIDENCE))
def test_each_target_rule_accepts_its_evidence_and_refuses_lookalikes(rule_id: str) -> None:
    from tailor.targets import satisfies

    rule = next(
        r for profile in bundled_profiles().values() for r in profile.rules if r.id == rule_id
    )
    shows, does_not = EVIDENCE[rule_id]
    for line in shows:
        assert any(satisfies(line, check) for check in rule.satisfied_by), line
    for line in does_not:
        assert not any(satisfies(line, check) for check in rule.satisfied_by), line
