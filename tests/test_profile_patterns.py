"""Profile patterns: compiled by RE2, case-insensitive, refused by name when RE2 cannot run
them in linear time."""

from __future__ import annotations

import pytest

from tailor.profile_patterns import any_of, check, compiled


def test_patterns_match_in_any_case_unless_told() -> None:
    assert compiled(r"\bfsdp\b").search("Sharded with FSDP on 64 GPUs")
    assert not compiled(r"(?-i:\bZeRO\b)").search("zero downtime")
    assert compiled(r"(?-i:\bZeRO\b)").search("ZeRO stage 3")


def test_any_of_matches_where_one_pattern_does() -> None:
    matcher = any_of(("kubernetes", r"\bk8s\b"))
    assert matcher.search("ran it on k8s")
    assert not matcher.search("ran it on a laptop")


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(\w+) \1", "invalid escape sequence"),
        (r"(?<!isotonic )regression", "invalid perl operator"),
        (r"\d++", "bad repetition operator"),
    ],
)
def test_what_re2_cannot_run_is_refused_by_name(pattern: str, reason: str) -> None:
    with pytest.raises(ValueError) as error:
        check(pattern)
    message = str(error.value)
    assert message.startswith(f"pattern '{pattern}' is not supported ({reason}")
    assert "RE2" in message


def test_a_broken_pattern_is_called_invalid() -> None:
    with pytest.raises(ValueError, match=r"pattern '\(FSDP' is not a valid regular expression"):
        check("(FSDP")
