"""Skill lists and skill names: splitting, synonyms, whole-word matching."""

from __future__ import annotations

import pytest

import tailor
from tailor.cv.lines import unapplied_skills
from tailor.skills import mentions, names_in_words, split_skill_list


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


@pytest.mark.parametrize(
    ("text", "skill", "named"),
    [
        ("Added a reranker cache.", "rerankers", True),
        ("Trained a class-based language model.", "language modelling", True),
        (
            "Combined FSDP with tensor and pipeline parallelism.",
            "Megatron-style tensor parallelism",
            True,
        ),
        ("Explored mixture-of-experts routing.", "mixture of experts", True),
        ("Beat a decision transformer baseline.", "decision transformers", True),
        ("Moved the jobs to Google Cloud Run.", "Google Cloud", True),
        ("Mentored two junior engineers.", "technical mentoring", False),
        ("Ran Google search ads in the cloud.", "Google Cloud", False),
        ("Replaced the rusted pipes.", "Rust", False),  # a name matched in its case only
        ("Went to the market.", "Go", False),
        ("Cut tensor sizes in half.", "Megatron-style tensor parallelism", False),
    ],
)
def test_a_listed_skill_is_named_in_other_word_forms(text: str, skill: str, named: bool) -> None:
    assert names_in_words(text, skill) is named


def test_a_skill_listed_in_the_plural_is_shown_by_a_bullet_in_the_singular() -> None:
    cv = tailor.read_cv(
        b"# Kim Example\n\n## Experience\n\n### ML Engineer, Acme\n2020 - 2024\n"
        b"- Added a reranker cache, cutting p95 latency from 900 ms to 300 ms.\n\n"
        b"## Skills\n- Rerankers, Kotlin\n",
        name="cv.md",
    )
    assert unapplied_skills(cv) == ["Kotlin"]
