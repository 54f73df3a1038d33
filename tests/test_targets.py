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
