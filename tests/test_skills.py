"""Skill lists and skill names: splitting, synonyms, whole-word matching."""

from __future__ import annotations

import pytest

from tailor.skills import mentions, split_skill_list


def test_split_keeps_brackets_and_known_slash_names_whole() -> None:
    assert split_skill_list(
        "Python, AWS (EMR, S3); PyTorch/TensorFlow | CI/CD, A/B testing, I/O."
    ) == [
        "Python",
        "AWS (EMR, S3)",
        "PyTorch",
        "TensorFlow",
        "CI/CD",
        "A/B testing",
        "I/O",
    ]


@pytest.mark.parametrize(
    ("text", "skill", "expected"),
    [
        ("ran the cluster on k8s", "Kubernetes", True),
        ("built with torch", "PyTorch", True),
        ("a retrieval-augmented generation service", "RAG", True),
        ("wrote C++ kernels", "C++", True),
        ("wrote C++ kernels", "C", False),
        ("services in Go and Rust", "Go", True),
        ("a go-to-market plan", "Go", False),
        ("Ex-Google engineer", "Go", False),
        ("models in R and Python", "R", True),
        ("rewrote it in Rust", "R", False),
        ("tf-idf features", "TensorFlow", False),
        ("the ts file", "TypeScript", False),
        ("jobs on AWS EMR", "AWS (EMR, S3)", True),
        ("a Node.js API", "Node.js", True),
        ("scikit-learn baselines", "scikit-learn", True),
        ("SCIKIT-LEARN baselines", "scikit-learn", True),
    ],
)
def test_mentions(text: str, skill: str, expected: bool) -> None:
    assert mentions(text, skill) is expected


def test_a_slash_inside_a_several_word_item_does_not_split_it() -> None:
    assert split_skill_list("MLOps & CI/CD, Docker") == ["MLOps & CI/CD", "Docker"]
