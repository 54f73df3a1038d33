"""How a CV fits a target: which of the target's values its lines show, the share of the
rubric's score that keeps, and the verdict said of it with the first fix worth making."""

from __future__ import annotations

import re

from tailor.critic.model import Finding
from tailor.cv.lines import Line
from tailor.rules import SEVERITY_ORDER, any_of, rubric
from tailor.targets import CompanyProfile
from tailor.wording import joined, lower_first


def values_shown(lines: list[Line], profile: CompanyProfile) -> dict[str, int]:
    """For each value the target weighs (its label), how many experience lines show it by
    one of its keywords. A posting's own values are left to its coverage, which judges them
    requirement by requirement."""
    shown: dict[str, int] = {}
    for value in profile.values:
        if value.id.startswith("posting"):
            continue
        keywords = tuple(rf"(?<![\w-]){re.escape(k)}(?![\w-])" for k in value.keywords)
        pattern = any_of(keywords) if keywords else None
        shown[value.label] = sum(1 for line in lines if pattern and pattern.search(line.text))
    return shown


def fit_factor(shown: dict[str, int]) -> float:
    """What share of the rubric's score a CV keeps for a target, by how fully its lines show the
    target's values: `floor` when none is shown, 1 when each is shown by `lines_for_full`."""
    spec = rubric()["fit"]
    if not shown:
        return 1.0
    depth = sum(min(n, spec["lines_for_full"]) / spec["lines_for_full"] for n in shown.values())
    return float(spec["floor"] + (1 - spec["floor"]) * depth / len(shown))


_BANDS = ((80, "a strong fit"), (65, "a good fit with gaps"), (50, "a partial fit"))


def verdict(
    profile: CompanyProfile, score: int, findings: list[Finding], shown: dict[str, int]
) -> str:
    """One paragraph a reader can act on: how well the CV fits, what it shows of what the
    target values, and the finding worth most."""
    band = next((name for floor, name in _BANDS if score >= floor), "a weak fit")
    head = f"{profile.name}: {band} ({score}/100 by tailor's offline rubric)"
    if any(f.rule == "no-ml-evidence" for f in findings):
        return f"{head}. The CV shows no ML work at all, which this target looks for first."
    strong = [lower_first(label) for label, n in shown.items() if n]
    missing = [lower_first(label) for label, n in shown.items() if not n]
    text = head + "."
    if strong:
        text += " It shows " + joined(strong) + ("; nothing yet on " if missing else ".")
    elif missing:
        text += " Nothing yet on "
    if missing:
        text += joined(missing) + "."
    return text + first_fix(findings)


def first_fix(findings: list[Finding]) -> str:
    """ " First fix: missing-metrics on 5 lines (worth about 10 points).": the rule worth most
    among the most severe (a per-line rule counts all its lines); "" when only low ones are."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    if not by_rule:
        return ""
    rule, found = min(
        by_rule.items(),
        key=lambda item: (
            SEVERITY_ORDER[item[1][0].severity],
            -sum(f.points or 0 for f in item[1]),
        ),
    )
    if found[0].severity == "low":
        return ""
    lines = {f.line for f in found}
    where = ""
    if len(found) > 1:
        where = f" on {len(found)} lines" if None not in lines else f" ({len(found)} findings)"
    points = sum(f.points or 0 for f in found)
    return f" First fix: {rule}{where}" + (f" (worth about {points} points)." if points else ".")
