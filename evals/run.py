"""Measure tailor's critiques and rewrites against the labelled CVs in evals/, and its readers
against the real CVs of tests/data/real/ (evals/fidelity.py).

    python evals/run.py [--provider P] [--model M] [--base-url URL] [--json FILE]

Each CV in `evals/cvs/` has a label in `evals/labels/` written from the role guide's advice:
the defects planted in it (a rule id, with the line for a per-line rule), the rules it must
not be accused of, and the order its scores should take across the three targets. This
prints per-rule precision and recall, the agreement of target orderings (with an LLM, by its
own scores too: tailor's headline score is always the rubric's), and for the offline
rewrites the grounding violations, the share of measured bullets kept and the length, beside
the targets they must meet; then the posting reader on the labelled postings (requirements
found and missed). Labels marked `held_out: true` are reported apart. Offline by default;
`--provider` critiques with an LLM.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # `evals.fidelity`, when run as a script

import tailor  # noqa: E402
from tailor.cv.lines import has_metric  # noqa: E402
from tailor.options import LLMOptions, llm_client  # noqa: E402

EVALS = ROOT / "evals"
TARGETS = ("frontier-lab", "production-ml", "startup")
PER_LINE = (
    "missing-metrics",
    "vague-bullet",
    "technique-list",
    "unread-section",
    "off-target-content",
    "typo",
)
TARGET_RULES = {
    "no-publications-or-oss": "frontier-lab",
    "no-distributed-training": "frontier-lab",
    "no-pipeline-reliability": "production-ml",
    "no-shipped-product": "startup",
}
GOALS = {"precision": 0.9, "recall": 0.9, "violations": 0, "pages": 2.0}
# each split's goals: the set the rules were tuned on must do better than the one held out
SPLIT_GOALS = {
    "tuning": {"precision": 0.95, "recall": 0.95, "order_agreement": None},
    "held-out": {"precision": 0.9, "recall": 0.9, "order_agreement": 0.8},
}


@dataclass
class Tally:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else None

    @property
    def recall(self) -> float | None:
        planted = self.true_positive + self.false_negative
        return self.true_positive / planted if planted else None


def main() -> None:
    options = _arguments()
    client = llm_client(
        LLMOptions(provider=options.provider, model=options.model, base_url=options.base_url)
    )
    try:
        report = evaluate(EVALS, client)
    finally:
        if client is not None:
            client.close()
    report["postings"] = evaluate_postings()
    print_report(report, verbose=options.verbose)
    print_postings(report["postings"], verbose=options.verbose)
    # how faithfully the readers read real CVs (tests/data/real/): offline, whatever the provider
    from evals import fidelity

    scores = fidelity.evaluate()
    print()
    fidelity.print_report(scores, verbose=options.verbose)
    report["fidelity"] = fidelity.summary(scores)
    if options.json:
        Path(options.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def evaluate(folder: Path, client: Any = None) -> dict[str, Any]:
    """The figures for the labelled CVs in `folder` (its `labels/` and `cvs/`)."""
    labels = sorted((folder / "labels").glob("*.yaml"))
    if not labels:
        sys.exit(f"no labels in {folder / 'labels'}")
    tallies: dict[str, Tally] = defaultdict(Tally)
    agree = pairs = 0
    model_order = [0, 0]  # the same agreement for an LLM's own scores (tailor's are the rubric's)
    # the same figures for each split: the CVs the rules were tuned on, and those held out
    split_tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    split_order: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    split_cvs: dict[str, int] = defaultdict(int)
    rewrite = {"violations": 0, "reverted": 0, "measured_kept": 0, "measured": 0}
    rewrite |= {"over_two_pages": 0, "runs": 0}
    spent: dict[str, list[Any]] = {"critique": [], "rewrite": []}  # each call's Usage
    for path in labels:
        label = yaml.safe_load(path.read_text(encoding="utf-8"))
        split = "held-out" if label.get("held_out") else "tuning"
        split_cvs[split] += 1
        cv = tailor.load_cv(folder / "cvs" / label["cv"])
        critiques = {t: tailor.critique(cv, t, llm=LLMOptions(client=client)) for t in TARGETS}
        spent["critique"] += [c.usage for c in critiques.values() if c.usage is not None]
        _score_rules(label, critiques, tallies)
        _score_rules(label, critiques, split_tallies[split])
        if label.get("order"):
            got, total = _order_agreement(label["order"], critiques)
            agree, pairs = agree + got, pairs + total
            split_order[split][0] += got
            split_order[split][1] += total
            if client is not None:
                got, total = _order_agreement(label["order"], critiques, by_model=True)
                model_order[0], model_order[1] = model_order[0] + got, model_order[1] + total
        for target in TARGETS:
            tailored = _measure_rewrite(cv, target, rewrite, client)
            if tailored.usage is not None:
                spent["rewrite"].append(tailored.usage)
    report = _report(tallies, agree, pairs, rewrite, len(labels))
    report["splits"] = {
        split: {
            "cvs": split_cvs[split],
            "precision": _total(split_tallies[split]).precision,
            "recall": _total(split_tallies[split]).recall,
            "order_agreement": (
                split_order[split][0] / split_order[split][1] if split_order[split][1] else None
            ),
        }
        for split in sorted(split_cvs, key=lambda name: name != "tuning")
    }
    report["model_order_agreement"] = model_order[0] / model_order[1] if model_order[1] else None
    report["provider"] = client.settings.provider if client is not None else "offline"
    report["llm"] = {task: _spent(usages) for task, usages in spent.items()}
    return report


# labelled postings: those the posting reader was tuned on (label beside posting), and those
# held out from it (evals/postings/labels/, labelled `held_out: true`)
POSTING_LABELS = (ROOT / "tests" / "data" / "postings" / "prose", EVALS / "postings" / "labels")


def evaluate_postings(folders: tuple[Path, ...] = POSTING_LABELS) -> dict[str, Any]:
    """How the offline posting reader finds the requirements of the labelled postings: for
    each split, must-haves and nice-to-haves found and missed, and sentences wrongly taken for
    requirements (`tailor.posting.labels`). A label's posting stands beside it or one folder up."""
    from tailor.posting.labels import combined, score_requirements

    by_split: dict[str, list[dict[str, Any]]] = defaultdict(list)
    mistakes: list[str] = []
    labels = [path for folder in folders for path in sorted(folder.glob("*.yaml"))]
    for path in labels:
        label = yaml.safe_load(path.read_text(encoding="utf-8"))
        beside = path.parent / label["posting"]
        posting = tailor.load_posting(
            beside if beside.exists() else path.parent.parent / label["posting"]
        )
        score = score_requirements(posting, label)
        by_split["held-out" if label.get("held_out") else "tuning"].append(score)
        errors = score["errors"]
        for kind in ("must", "nice"):
            mistakes += [
                f"{label['posting']}: missed {kind}: {t[:70]!r}" for t in errors[kind]["missed"]
            ]
            mistakes += [
                f"{label['posting']}: not a {kind}: {t[:70]!r}" for t in errors[kind]["extra"]
            ]
        mistakes += [
            f"{label['posting']}: taken for a requirement: {t[:70]!r}" for t in errors["taken"]
        ]
    splits = {
        split: {"postings": len(scores), **combined(scores)}
        for split, scores in sorted(by_split.items(), key=lambda item: item[0] != "tuning")
    }
    return {"splits": splits, "mistakes": mistakes}


def _total(tallies: dict[str, Tally]) -> Tally:
    return Tally(
        sum(t.true_positive for t in tallies.values()),
        sum(t.false_positive for t in tallies.values()),
        sum(t.false_negative for t in tallies.values()),
    )


def _spent(usages: list[Any]) -> dict[str, Any]:
    """What the LLM calls of one task spent: per run on average, and in all."""
    runs = len(usages)
    tokens_in = sum(u.input_tokens + u.cache_read_tokens + u.cache_write_tokens for u in usages)
    tokens_out = sum(u.output_tokens for u in usages)
    costs = [u.cost_usd for u in usages]
    cost = sum(costs) if costs and None not in costs else None
    return {
        "runs": runs,
        "requests": sum(u.requests for u in usages),
        "input_tokens": tokens_in,
        "output_tokens": tokens_out,
        "cost_usd": cost,
        "input_tokens_per_run": round(tokens_in / runs) if runs else None,
        "output_tokens_per_run": round(tokens_out / runs) if runs else None,
    }


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", default="offline")
    parser.add_argument("--model")
    parser.add_argument("--base-url")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--verbose", action="store_true", help="list every mistake")
    return parser.parse_args()


def _score_rules(
    label: dict[str, Any], critiques: dict[str, tailor.Critique], tallies: dict[str, Tally]
) -> None:
    name = label["cv"]
    planted: dict[str, list[str | None]] = defaultdict(list)
    for item in label.get("planted") or []:
        planted[item["rule"]].append(item.get("quote"))
    clean = set(label.get("clean") or [])
    general = [f for f in critiques["frontier-lab"].findings if f.rule not in TARGET_RULES]
    for rule in PER_LINE:
        # a finding about a list (the skills listed but never shown) stands for each item
        # a title in another language is flagged as that, not as unread: both say a reader
        # may not place the section, which is what an unread-section label asks for
        rules = {rule, "other-language-title"} if rule == "unread-section" else {rule}
        found = [q for f in general if f.rule in rules for q in (f.items or [f.quote]) if q]
        expected = [q for q in planted.get(rule, []) if q]
        _match_lines(rule, name, found, expected, tallies[rule])
    whole = {r for r in ("no-production-evidence", "no-performance-wins", "missing-links",
                         "length", "missing-selected-projects", "no-ml-evidence",
                         "cliche-summary")}  # fmt: skip
    for rule in (*whole, *TARGET_RULES):
        critique = critiques[TARGET_RULES.get(rule, "frontier-lab")]
        fired = any(f.rule == rule for f in critique.findings)
        tally = tallies[rule]
        if rule in planted:
            if fired:
                tally.true_positive += 1
            else:
                tally.false_negative += 1
                tally.mistakes.append(f"{name}: missed {rule}")
        elif rule in clean and fired:
            tally.false_positive += 1
            tally.mistakes.append(f"{name}: {rule} fired on a CV that satisfies it")


def _match_lines(rule: str, name: str, found: list[str], expected: list[str], tally: Tally) -> None:
    remaining = [_norm(q) for q in expected]
    for quote in found:
        key = _norm(quote)
        match = next((q for q in remaining if q and (q in key or key in q)), None)
        if match is not None:
            remaining.remove(match)
            tally.true_positive += 1
        else:
            tally.false_positive += 1
            tally.mistakes.append(f"{name}: {rule} on {quote[:70]!r}")
    tally.false_negative += len(remaining)
    tally.mistakes += [f"{name}: missed {rule} on {q[:70]!r}" for q in remaining]


def _order_agreement(
    order: list[str], critiques: dict[str, tailor.Critique], *, by_model: bool = False
) -> tuple[int, int]:
    """Pairs of targets whose scores (the rubric's, or with `by_model` the LLM's own) are in
    the labelled order (a tie counts as agreeing only with itself: it does not agree)."""

    def score(target: str) -> int:
        critique = critiques[target]
        return (critique.model_score or 0) if by_model else critique.score

    got = total = 0
    for i, better in enumerate(order):
        for worse in order[i + 1 :]:
            total += 1
            got += score(better) > score(worse)
    return got, total


def _measure_rewrite(
    cv: tailor.CV, target: str, rewrite: dict[str, int], client: Any = None
) -> tailor.TailoredCV:
    tailored = tailor.rewrite(cv, target, llm=LLMOptions(client=client))
    measured = [b.text for b in cv.bullets() if has_metric(b.text)]
    kept = {b.text for b in tailored.cv.bullets()}
    rewrite["violations"] += len(tailored.unsupported)
    rewrite["reverted"] += sum(1 for change in tailored.changes if change.kind == "reverted")
    rewrite["measured"] += len(measured)
    rewrite["measured_kept"] += sum(1 for text in measured if text in kept)
    rewrite["over_two_pages"] += tailored.pages > GOALS["pages"]
    rewrite["runs"] += 1
    return tailored


def _report(
    tallies: dict[str, Tally], agree: int, pairs: int, rewrite: dict[str, int], cvs: int
) -> dict[str, Any]:
    total = _total(tallies)
    return {
        "cvs": cvs,
        "rules": {
            rule: {
                "true_positive": t.true_positive,
                "false_positive": t.false_positive,
                "false_negative": t.false_negative,
                "precision": t.precision,
                "recall": t.recall,
                "mistakes": t.mistakes,
            }
            for rule, t in sorted(tallies.items())
        },
        "precision": total.precision,
        "recall": total.recall,
        "order_agreement": agree / pairs if pairs else None,
        "rewrite": rewrite,
    }


def print_report(report: dict[str, Any], *, verbose: bool = False) -> None:
    print(f"{report['cvs']} labelled CVs x {len(TARGETS)} targets, provider {report['provider']}\n")
    print(f"{'rule':<28}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for rule, row in report["rules"].items():
        print(
            f"{rule:<28}{row['true_positive']:>5}{row['false_positive']:>5}"
            f"{row['false_negative']:>5}{_share(row['precision']):>11}{_share(row['recall']):>8}"
        )
    print()
    _figure("precision, all rules", report["precision"], f">= {GOALS['precision']}")
    _figure("recall, all rules", report["recall"], f">= {GOALS['recall']}")
    _figure("target ordering agreement (pairs)", report["order_agreement"], "")
    if report["provider"] != "offline":
        _figure("  the same, by the model's own scores", report["model_order_agreement"], "")
    for split, row in report["splits"].items():
        goals = SPLIT_GOALS[split]
        name = f"{split} set ({row['cvs']} CVs)"
        figures = []
        for key, label in (("precision", "precision"), ("recall", "recall"),
                           ("order_agreement", "ordering")):  # fmt: skip
            goal = goals[key]
            verdict = _verdict(row[key], f">= {goal}") if goal is not None else ""
            figures.append(
                f"{label} {_share(row[key])}" + (f" (target >= {goal}{verdict})" if goal else "")
            )
        print(f"  {name:<30}" + ", ".join(figures))
    rewrite = report["rewrite"]
    kept = rewrite["measured_kept"] / rewrite["measured"] if rewrite["measured"] else None
    _count("rewrite: grounding violations", rewrite["violations"])
    _figure("rewrite: measured bullets kept", kept, "")
    _count("rewrite: over two pages", rewrite["over_two_pages"])
    if report["provider"] != "offline":
        print(f"{'rewrite: model inventions reverted':<40}{rewrite['reverted']:>8}")
        for task, row in report["llm"].items():
            cost = f", ${row['cost_usd']:.2f}" if row["cost_usd"] is not None else ""
            print(
                f"{task}: {row['runs']} runs, {row['requests']} requests, "
                f"{row['input_tokens_per_run']} tokens in and {row['output_tokens_per_run']} "
                f"out per run{cost} in all"
            )
    mistakes = [m for row in report["rules"].values() for m in row["mistakes"]]
    if mistakes and verbose:
        print("\nmistakes:")
        for mistake in mistakes:
            print(f"  {mistake}")


def print_postings(report: dict[str, Any], *, verbose: bool = False) -> None:
    """The posting reader's figures, each split apart."""
    if not report["splits"]:
        return
    print("\nrequirements read from the labelled postings (offline)\n")
    for split, row in report["splits"].items():
        print(f"{split} set ({row['postings']} postings)")
        for kind, name in (("must", "must-haves"), ("nice", "nice-to-haves"), ("any", "either")):
            counts = row[kind]
            print(
                f"  {name:<18}precision {_share(counts['precision'])}"
                f"{_verdict(counts['precision'], '>= 0.9')}, recall {_share(counts['recall'])}"
                f"{_verdict(counts['recall'], '>= 0.9')}  "
                f"({counts['tp']} found, {counts['fp']} extra, {counts['fn']} missed)"
            )
        taken = row["not_requirements"]
        print(
            f"  {'not requirements':<18}{taken['taken']} of {taken['taken'] + taken['left']} "
            "taken for one"
        )
    if verbose and report["mistakes"]:
        print("\nposting mistakes:")
        for mistake in report["mistakes"]:
            print(f"  {mistake}")


def _figure(name: str, value: float | None, goal: str) -> None:
    print(
        f"{name:<40}{_share(value):>8}   {('target ' + goal) if goal else ''}{_verdict(value, goal)}"
    )


def _count(name: str, value: int) -> None:
    print(f"{name:<40}{value:>8}   target 0{_verdict(value, '0')}")


def _verdict(value: float | None, goal: str) -> str:
    """ " met" or " MISSED" for a target such as ">= 0.9" or "0"; nothing without one."""
    if not goal or value is None:
        return ""
    met = value >= float(goal[3:]) if goal.startswith(">= ") else value == float(goal)
    return " met" if met else " MISSED"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "")).strip().lower()


if __name__ == "__main__":
    main()
