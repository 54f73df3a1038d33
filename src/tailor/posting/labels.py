"""Score a posting's requirements against a person's labels of which sentences are must-haves,
nice-to-haves or not requirements at all.

A label is a mapping (one YAML file a posting):

    posting: job.txt            # the posting's file, beside the label (not read here)
    must: [fragments]           # every must-have, a verbatim fragment of its sentence or item
    nice: [fragments]           # every nice-to-have
    not_requirements: [fragments]   # sentences that must not be read as requirements
                                # (duties, benefits, the company, the hiring process)
    description: "..."          # optional: what the posting is and what it tests
    held_out: true              # optional: kept out of tuning, reported apart

A requirement matches a fragment when either, lower-cased with runs of white space made one
space (and curly quotes made straight), contains the other. The labels list every requirement
of the posting, so a requirement that matches no fragment of its kind is a false positive.
Matching is one to one: a requirement that runs two labelled sentences together finds one of
them, and a sentence read as two requirements counts the second as a false positive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from tailor.posting.model import JobPosting, Requirement

LABEL_KEYS = ("posting", "must", "nice", "not_requirements", "description", "held_out")
KINDS = ("must", "nice")


def score_requirements(posting: JobPosting, label: Mapping[str, Any]) -> dict[str, Any]:
    """How the requirements tailor read in `posting` agree with `label`.

    Returns, for "must" and "nice" (requirements of that kind against fragments of that
    kind) and for "any" (requirements of either kind against fragments of either kind):
    `tp` (fragments found), `fp` (requirements that match no fragment), `fn` (fragments not
    found), `precision` and `recall` (1.0 when there is nothing to count). "not_requirements"
    has `taken` (fragments some requirement matches: wrongly read as requirements) and `left`
    (the true negatives). "errors" lists the texts behind each count that is not a success:
    `missed` and `extra` by kind, `taken`. A must-have read as a nice-to-have is a miss for
    "must", an extra for "nice", and a success for "any".
    """
    check_label(label)
    wanted = {kind: [str(f) for f in label.get(kind) or []] for kind in KINDS}
    scores: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for kind in KINDS:
        found = [r for r in posting.requirements if r.kind == kind]
        scores[kind], errors[kind] = _compare(found, wanted[kind])
    scores["any"], errors["any"] = _compare(posting.requirements, wanted["must"] + wanted["nice"])
    negatives = [str(f) for f in label.get("not_requirements") or []]
    taken = [f for f in negatives if any(_matches(r.text, f) for r in posting.requirements)]
    scores["not_requirements"] = {"taken": len(taken), "left": len(negatives) - len(taken)}
    errors["taken"] = taken
    scores["errors"] = errors
    return scores


def combined(scores: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The counts of several postings' scores added up, with precision and recall over the
    sum (micro-averaged), in the shape `score_requirements` returns, without "errors"."""
    total: dict[str, Any] = {key: {"tp": 0, "fp": 0, "fn": 0} for key in (*KINDS, "any")}
    total["not_requirements"] = {"taken": 0, "left": 0}
    for score in scores:
        for key, counts in total.items():
            for count in counts:
                counts[count] += score[key][count]
    for key in (*KINDS, "any"):
        total[key].update(_rates(**total[key]))
    return total


def check_label(label: Mapping[str, Any]) -> None:
    """Raise ValueError, naming the key, for a label that is not in the format above."""
    unknown = sorted(set(label) - set(LABEL_KEYS))
    if unknown:
        raise ValueError(f"unknown key(s) in a posting label: {', '.join(unknown)}")
    for key in ("must", "nice", "not_requirements"):
        value = label.get(key) or []
        if not isinstance(value, list) or not all(isinstance(f, str) and f.strip() for f in value):
            raise ValueError(f"{key!r} in a posting label must be a list of non-empty strings")


def _compare(found: list[Requirement], fragments: list[str]) -> tuple[dict[str, Any], Any]:
    pairs = _matching([r.text for r in found], fragments)
    tp = len(pairs)
    counts = {"tp": tp, "fp": len(found) - tp, "fn": len(fragments) - tp}
    matched_requirements = set(pairs.values())
    errors = {
        "missed": [f for i, f in enumerate(fragments) if i not in pairs],
        "extra": [r.text for i, r in enumerate(found) if i not in matched_requirements],
    }
    return {**counts, **_rates(**counts)}, errors


def _matching(texts: list[str], fragments: list[str]) -> dict[int, int]:
    """The most fragments matched one to one to texts (fragment index -> text index), by
    augmenting paths (Kuhn's algorithm): the lists are a posting long."""
    edges = [[t for t, text in enumerate(texts) if _matches(text, f)] for f in fragments]
    owner: dict[int, int] = {}  # text index -> fragment index

    def assign(fragment: int, seen: set[int]) -> bool:
        for text in edges[fragment]:
            if text in seen:
                continue
            seen.add(text)
            if text not in owner or assign(owner[text], seen):
                owner[text] = fragment
                return True
        return False

    for fragment in range(len(fragments)):
        assign(fragment, set())
    return {fragment: text for text, fragment in owner.items()}


def _matches(text: str, fragment: str) -> bool:
    """Whether either holds the other as whole words ("Go" is not in "Google")."""
    a, b = _normal(text), _normal(fragment)
    return bool(a and b) and (_holds(a, b) or _holds(b, a))


def _holds(text: str, part: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text) is not None


def _normal(text: str) -> str:
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return re.sub(r"\s+", " ", text).strip().casefold()


def _rates(tp: int, fp: int, fn: int) -> dict[str, float]:
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }
