"""How tailor words counts, lists and labels for a person."""

from __future__ import annotations

from tailor.wording import counted, joined, lower_first


def test_a_count_takes_the_plural_unless_it_is_one() -> None:
    assert (counted(1, "year"), counted(2, "year"), counted(2, "entry", "entries")) == (
        "1 year",
        "2 years",
        "2 entries",
    )


def test_a_list_is_joined_with_its_last_word() -> None:
    assert joined(["a"]) == "a"
    assert joined(["a", "b"]) == "a and b"
    assert joined(["a", "b", "c"], "or") == "a, b or c"


def test_a_label_inside_a_sentence_keeps_its_acronyms() -> None:
    assert lower_first("Deep ML fundamentals") == "deep ML fundamentals"
    assert lower_first("ML systems") == "ML systems"
    assert lower_first("A/B testing") == "A/B testing"
