"""Who critiqued and what tailor held back, said the same in every report format: the
provider and what it cost, the model's own score beside the rubric's, and what tailor left
out of the model's answer."""

from __future__ import annotations

from collections import defaultdict
from functools import reduce

from tailor.critic.model import Critique
from tailor.usage import add_usage
from tailor.wording import counted


def provider_line(critiques: list[Critique]) -> str:
    """Who critiqued, once for the report: "Provider: offline (...)." With several providers
    (a model that failed for one target), each names the targets it critiqued."""
    groups: dict[str, list[Critique]] = defaultdict(list)
    for critique in critiques:
        groups[_engine(critique)].append(critique)
    if len(groups) == 1:
        return f"Provider: {_provider(critiques)}."
    said = [
        f"{_provider(group)} for {', '.join(c.target_name for c in group)}"
        for group in groups.values()
    ]
    return f"Provider: {'; '.join(said)}."


def _engine(critique: Critique) -> str:
    """What critiqued, without what it cost."""
    if critique.fallback:  # the CV did go to the model: say what happened instead
        return f"offline (tailor's built-in rubric), because {critique.fallback}"
    if critique.provider == "offline":
        return "offline (tailor's built-in rubric, no API key, nothing left this machine)"
    return f"{critique.provider} {critique.model}" if critique.model else critique.provider


def _provider(critiques: list[Critique]) -> str:
    """What critiqued these (all by the same engine), and what it cost in all."""
    first = critiques[0]
    name = _engine(first)
    usages = [c.usage for c in critiques if c.usage is not None]
    if first.fallback or first.provider == "offline" or not usages:
        return name
    paid = [u for u in usages if not u.cached]
    if not paid:
        return f"{name}, answered from tailor's response cache"
    total = reduce(add_usage, paid)
    cached = len(usages) - len(paid)
    from_cache = (
        f" ({cached} of {len(usages)} answered from tailor's response cache)" if cached else ""
    )
    return f"{name}, {total.spent()}{from_cache}, with tailor's rubric merged in"


def model_score_note(critique: Critique) -> str:
    """ " (model: 10/100)" beside the rubric's score; nothing offline."""
    return "" if critique.model_score is None else f" (model: {critique.model_score}/100)"


def held_back(critique: Critique) -> list[str]:
    """What tailor held back from the model's answer, one line each, so nothing is left out
    without a word."""
    lines = [critique.summary_replaced] if critique.summary_replaced else []
    dropped = [
        counted(n, noun)
        for n, noun in (
            (critique.quotes_dropped, "finding"),
            (critique.strengths_dropped, "strength"),
        )
        if n
    ]
    if dropped:
        lines.append(
            f"tailor left out {' and '.join(dropped)} of the model's answer, which quoted or "
            "stated what your CV does not."
        )
    return lines
