"""Every regular expression tailor runs on a CV, a posting or a profile takes time linear in
the text it reads.

Python's `re` backtracks: `(?:[\\w-]+\\.)*linkedin` tries every split of a 200 KB word at
every position, and took hours on one long CV bullet. So every pattern tailor has is collected
(module-level patterns, patterns written inline in calls to `re`, and the patterns tailor
builds from its data) and run over long adversarial strings; a backtracking pattern misses the
time budget by orders of magnitude, and the alarm stops it rather than letting it hang.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import signal
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from types import FrameType, ModuleType

import pytest
import yaml

import tailor
from tests.conftest import EXAMPLES, ROOT
from tests.hostile.conftest import Outcome, Run

SIZE = 200_000  # characters of the adversarial text each pattern must read in time
BUDGET = 2.5  # seconds a pattern may take over it, every way it is used (the heaviest linear
# one, the skill detector, takes 0.4 s; a backtracking one hours): room for a busy CI machine
PROBE = 4_000  # characters of the shorter texts that find each pattern's worst case
PROBE_BUDGET = 0.1  # seconds: linear patterns take a few milliseconds at PROBE, backtracking
# ones far longer, and the alarm stops them there rather than at SIZE, where they would hang

# short units repeated: runs of one character class, and alternations of two that make a
# pattern such as `(?:\w+\.)*` or `\s+x` try every split
UNITS = (
    "a", "A", "1", "_", "é", " ", "\t", "\n", "-", ".", "/", "@", ":", ",", "(", ")", "[", "*",
    "#", "'", "a.", "a-", "a ", "a\n", "Aa ", "A.", "1.", "1,", "1 ", "a@", "a/", "a1", "()",
    "ab c\td-e_f ", "a.a ", " \n",
)  # fmt: skip
# a start a pattern looks for, then a run that never completes it
STARTS = (("https://", "a."), ("www.", "a."), ("a@", "a."), ("# ", "a "), ("- ", "a"))
# a start, a run, a stop that a pattern allows in the middle, and the run again: a pattern such
# as `\d\s*\+?\s*years` tries every split of the runs around the stop ("5", spaces, "+", spaces)
STOPS = (("1", " ", "+"), ("- 1", " ", "+"), ("1", " ", "-"), ("a", " ", "-"), ("a", "a", "."))


RUNS = {f"{start!r} + {unit!r}" if start else repr(unit): (start, unit, "") for start, unit in [
    *(("", unit) for unit in UNITS), *STARTS
]} | {f"{start!r} + {unit!r} + {stop!r} + {unit!r}": (start, unit, stop) for start, unit, stop
      in STOPS}  # fmt: skip


def _text(run: str, size: int) -> str:
    """The adversarial text `run` (a key of RUNS), `size` characters long."""
    start, unit, stop = RUNS[run]
    if not stop:
        return start + (unit * (size // len(unit) + 1))[:size]
    half = (unit * (size // (2 * len(unit)) + 1))[: size // 2]
    return start + half + stop + half


# -- collecting the patterns -----------------------------------------------------------------


def _modules() -> list[ModuleType]:
    names = [
        info.name
        for info in pkgutil.walk_packages(tailor.__path__, "tailor.")
        if not info.name.endswith("__main__")  # runs the CLI when imported
    ]
    return [importlib.import_module(name) for name in names]


def _module_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """Every pattern a module keeps at its top level, alone or in a tuple or list."""
    for module in _modules():
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                yield f"{module.__name__}.{name}", value
            elif isinstance(value, tuple | list):
                for index, item in enumerate(value):
                    if isinstance(item, re.Pattern) and isinstance(item.pattern, str):
                        yield f"{module.__name__}.{name}[{index}]", item


# where each `re` function takes its flags, counting from its pattern
_FLAGS_AT = {
    "compile": 1,
    "search": 2,
    "match": 2,
    "fullmatch": 2,
    "findall": 2,
    "finditer": 2,
    "split": 3,
    "sub": 4,
    "subn": 4,
}
_SAMPLE = "Skills"  # stands for a value known only at run time in an f-string pattern


def _inline_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """Every pattern written in a call to `re` in tailor's source (`re.sub(r"\\s+", ...)`).

    In an f-string pattern, a module's own constants are filled in as they are, and values
    known only at run time (a section title, an escaped skill) by a plain word.
    """
    for module in _modules():
        path = Path(module.__file__ or "")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in _FLAGS_AT
                and node.args
            ):
                continue
            pattern = _literal(node.args[0], vars(module))
            if pattern is None:
                continue
            flags = _flags(node, _FLAGS_AT[node.func.attr], vars(module))
            where = f"{module.__name__}:{node.lineno}"
            yield where, re.compile(pattern, flags)


def _literal(node: ast.expr, scope: dict[str, object]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_part(value, scope) for value in node.values)
    return None


def _part(node: ast.expr, scope: dict[str, object]) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    assert isinstance(node, ast.FormattedValue)
    try:
        return str(eval(compile(ast.Expression(node.value), "<pattern>", "eval"), dict(scope)))
    except NameError:  # a local: a title, a skill, a value from the CV
        return _SAMPLE


def _flags(node: ast.Call, position: int, scope: dict[str, object]) -> int:
    given = [k.value for k in node.keywords if k.arg == "flags"]
    if len(node.args) > position:
        given.append(node.args[position])
    if not given:
        return 0
    value = eval(compile(ast.Expression(given[0]), "<flags>", "eval"), dict(scope))
    return int(value)


def _built_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """The patterns tailor builds from its data files, built the way tailor builds them."""
    from tailor import rules
    from tailor.critic import rubric
    from tailor.cv import lines
    from tailor.grounding.claims import _ladder, _not_claims, _word_pattern
    from tailor.grounding.figures import _number_words, figure_pattern
    from tailor.posting import extract
    from tailor.skills import _detector, skill_pattern, synonyms

    data = rules.rubric()
    for key, value in data.items():
        words = key in ("vague_phrases", "not_techniques")  # words, not patterns
        if isinstance(value, list) and all(isinstance(item, str) for item in value) and not words:
            yield f"rubric.yaml {key}", rules.rubric_pattern(key)
    for name, patterns in data["domains"].items():
        yield f"rubric.yaml domains.{name}", rules.any_of(tuple(patterns))
    for hint in data["metric_hints"]:
        yield f"rubric.yaml metric_hints {hint['when']!r}", rules.any_of((hint["when"],))
    yield "rubric.yaml vague_phrases", rubric._vague_phrase()
    for key in lines._data():
        if key != "not_techniques":  # words, not patterns
            yield f"lines.yaml {key}", lines._pattern(key)
    posting = extract._data()
    for key, value in posting.items():
        if isinstance(value, list):
            yield f"posting.yaml {key}", extract._pattern(key)
    for kind, patterns in posting["headings"].items():
        for pattern in patterns:
            yield f"posting.yaml headings.{kind} {pattern!r}", re.compile(pattern, re.I)
    for level, pattern in posting["degrees"].items():
        yield f"posting.yaml degrees.{level}", re.compile(pattern)
    yield "posting.yaml years", re.compile(posting["years"], re.I)
    yield "synonyms.yaml (the detector)", _detector()
    for name in sorted({names[0] for names in synonyms().values()})[::50]:  # all built alike
        pattern = skill_pattern(name)
        assert pattern is not None
        yield f"synonyms.yaml {name!r}", pattern
    yield "grounding.yaml figures", figure_pattern()
    yield "grounding.yaml number words", _number_words()
    yield "claims.yaml ladder", _ladder()
    yield "claims.yaml scope and seniority", _word_pattern("claim")
    yield "claims.yaml scope and seniority, with inflections", _word_pattern("support")
    yield "claims.yaml not_claims", _not_claims()


def _all_patterns() -> dict[str, re.Pattern[str]]:
    found: dict[tuple[str, int], tuple[str, re.Pattern[str]]] = {}
    for source in (_module_patterns, _inline_patterns, _built_patterns):
        for where, pattern in source():
            found.setdefault((pattern.pattern, pattern.flags), (where, pattern))
    return dict(found.values())


# -- timing them -----------------------------------------------------------------------------


class _TooSlow(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _TooSlow


def _seconds(run: Callable[[], object], budget: float) -> float:
    """How long `run` takes, or infinity if it is still running after `budget` seconds. The
    time is this process's CPU time: a pattern's work, which other processes of a busy machine
    (or the suite's other workers) taking the CPU away do not lengthen."""
    previous = signal.signal(signal.SIGPROF, _alarm)
    started = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, budget)
    try:
        run()
        return time.process_time() - started
    except _TooSlow:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _uses(pattern: re.Pattern[str], text: str) -> Callable[[], object]:
    """Every way tailor uses a pattern, at once: finding all matches (search, sub, split and
    findall do no more) and matching the whole text (match does no more)."""

    def run() -> None:
        pattern.subn("", text)
        pattern.fullmatch(text)

    return run


PATTERNS = _all_patterns()
PROBES = {run: _text(run, PROBE) for run in RUNS}


def test_the_patterns_are_collected() -> None:
    """The collection finds the patterns it must: module-level, inline (an f-string too) and
    built from data. The sweep below is only as good as this."""
    from tailor.cv.patterns import EMAIL
    from tailor.prompts import _INSTRUCTIONS

    collected = list(PATTERNS.values())
    assert EMAIL in collected
    assert all(pattern in collected for pattern in _INSTRUCTIONS)
    found = " ".join(PATTERNS)
    for where in (
        "tailor.skills:",
        "tailor.cv.lines:",  # `skills_section`'s f-string
        "rubric.yaml social_links",
        "posting.yaml not_a_requirement",
        "synonyms.yaml (the detector)",
        "claims.yaml ladder",
        "tailor.grounding.claims._OPENS",
    ):
        assert where in found
    assert len(PATTERNS) > 150


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_pattern_runs_in_linear_time(where: str) -> None:
    """Each pattern over every short text, then over the long text of its slowest kind."""
    pattern = PATTERNS[where]
    probed = {name: _seconds(_uses(pattern, text), PROBE_BUDGET) for name, text in PROBES.items()}
    slow = [name for name, seconds in probed.items() if seconds >= PROBE_BUDGET]
    assert not slow, f"{where} {pattern.pattern!r} backtracks on {', '.join(slow)}"
    worst = max(probed, key=lambda name: probed[name])
    seconds = _seconds(_uses(pattern, _text(worst, SIZE)), BUDGET)
    assert seconds < BUDGET, f"{where} {pattern.pattern!r} takes over {BUDGET} s on {worst}"


def test_profile_patterns_run_in_linear_time() -> None:
    """The bundled profiles' patterns and a backtracking one a user might write, compiled as
    tailor compiles them (RE2), over the long text of every kind."""
    from tailor.profile_patterns import any_of, compiled
    from tailor.targets import bundled_profiles

    matchers = {"a user's '^(\\w+\\s?)+$'": compiled(r"^(\w+\s?)+$")}
    for profile in bundled_profiles().values():
        groups = [
            group
            for rule in profile.rules
            for check in rule.satisfied_by
            for group in [check.any_of, *check.all_of]
            if group
        ]
        groups += [point.patterns for q in profile.interview for point in q.points]
        for number, group in enumerate(groups):
            matchers[f"{profile.id} patterns {number}"] = any_of(tuple(group))
    texts = {run: _text(run, SIZE) for run in RUNS}
    slow = [
        f"{where} on {run}"
        for where, matcher in matchers.items()
        for run, text in texts.items()
        if _seconds(partial(matcher.search, text), BUDGET) >= BUDGET
    ]
    assert len(matchers) > 10
    assert not slow, ", ".join(slow)


# -- end to end: the real CLI -------------------------------------------------------------


def _cv_with_bullet(folder: Path, bullet: str) -> Path:
    """The example CV with `bullet` first in its experience."""
    lines = (EXAMPLES / "casey-morgan.md").read_text(encoding="utf-8").splitlines()
    first = next(number for number, line in enumerate(lines) if line.startswith("- "))
    lines.insert(first, f"- {bullet}")
    path = folder / "long-bullet.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _done_or_refused(outcome: Outcome) -> None:
    """A run that ends in time, with its result, or refuses the input in one line (a reader
    may set a limit on the length of a line)."""
    if outcome.code == 2:
        outcome.refused()
    else:
        outcome.bounded()
        assert outcome.code == 0, outcome.stderr[-2000:]
        assert outcome.stdout.strip()


@pytest.mark.parametrize("command", ["critique", "rewrite"])
def test_a_200_kb_word_in_a_bullet_is_read_in_time(
    run_bounded: Run, tmp_path: Path, command: str
) -> None:
    cv = _cv_with_bullet(tmp_path, "a" * SIZE)  # took hours: the rubric's social-link rule
    _done_or_refused(run_bounded(command, cv, "--target", "frontier-lab"))


def _profile_with_pattern(folder: Path, pattern: str) -> Path:
    """A user's profile: a bundled one with its first rule's first pattern replaced."""
    profile = yaml.safe_load((ROOT / "company_profiles" / "frontier-lab.yaml").read_text())
    profile["id"] = "my-lab"
    check = next(c for c in profile["rules"][1]["satisfied_by"] if "any_of" in c)
    check["any_of"][0] = pattern
    path = folder / "my-lab.yaml"
    path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    return path


def test_a_backtracking_profile_pattern_cannot_hang_the_critique(
    run_bounded: Run, tmp_path: Path
) -> None:
    profile = _profile_with_pattern(tmp_path, r"^(\w+\s?)+$")  # exponential in Python's re
    cv = _cv_with_bullet(tmp_path, "word " * 5_000 + "!")
    outcome = run_bounded("critique", cv, "--target", profile)
    outcome.bounded()
    assert outcome.code == 0, outcome.stderr[-2000:]
    assert "my-lab" in outcome.stdout or "Frontier" in outcome.stdout


def test_a_profile_pattern_re2_cannot_run_is_refused_by_name(
    run_bounded: Run, tmp_path: Path
) -> None:
    profile = _profile_with_pattern(tmp_path, r"(\w+) \1")  # a backreference
    cv = EXAMPLES / "casey-morgan.md"
    run_bounded("critique", cv, "--target", profile).refused("my-lab.yaml", r"'(\w+) \1'")
