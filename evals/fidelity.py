"""Measure how faithfully tailor reads real CVs: the corpus in tests/data/real/ and its truth.

    python evals/fidelity.py [--verbose] [--json FILE]

Each CV there was made with a template or generator people use, and its `.truth.yaml` says
what a faithful reader finds (tests/data/real/README.md has the format). Every file gets one
point per check: the name, email, phone and each link; each role's company, title, start,
end and place and each of its bullets verbatim; each section's title and each of its
entries' parts, in that section; and each line of page furniture kept out. A role read where
the CV has none costs a point too. The score is the share of points; the target is 0.95 for
every file. Files labelled `held_out` were kept out of the tuning and are reported apart.

Bullets count verbatim (case, spacing, dashes and quotes aside); a section's items count by
their words in order, punctuation and joining words aside, since a reader that splits
"B.S. in Computer Science" into a degree and its subject prints "B.S., Computer Science".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import tailor  # noqa: E402
from tailor.cv.layout import Section, layout  # noqa: E402
from tailor.cv.model import CV, Volunteer, Work, json_strings  # noqa: E402
from tailor.cv.patterns import bare_url  # noqa: E402
from tailor.cv.readers.sections import section_kind  # noqa: E402
from tailor.rewriter.conservation import document_text, normal, readable  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "real"
GOAL = 0.95
ROLE_FIELDS = ("company", "title", "start", "end", "location")


@dataclass
class FileScore:
    """One file's checks: what was looked for and whether tailor's reading has it."""

    path: str
    template: str
    held_out: bool
    passed: int = 0
    failed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.passed + len(self.failed)

    @property
    def score(self) -> float:
        return self.passed / self.total if self.total else 1.0

    def check(self, ok: bool, what: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.failed.append(what)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every failed check")
    parser.add_argument("--json", metavar="FILE", help="also write the scores as JSON")
    options = parser.parse_args()
    scores = evaluate(CORPUS)
    print_report(scores, verbose=options.verbose)
    if options.json:
        Path(options.json).write_text(json.dumps(summary(scores), indent=2) + "\n")


def evaluate(corpus: Path = CORPUS) -> list[FileScore]:
    """A score for every CV of the corpus that has a truth file."""
    scores = []
    for truth_path in sorted(corpus.glob("*/*.truth.yaml")):
        truth = yaml.safe_load(truth_path.read_text(encoding="utf-8"))
        beside = truth_path.parent.glob(truth_path.name.replace(".truth.yaml", ".*"))
        cv_path = next(
            (
                path
                for path in beside
                if not path.name.endswith(".truth.yaml")
                and path.suffix in (".pdf", ".docx", ".json", ".yaml", ".md", ".txt")
            ),
            None,
        )
        if cv_path is None:
            raise SystemExit(f"{truth_path}: no CV beside this truth file")
        scores.append(score_file(cv_path, truth))
    return scores


def score_file(path: Path, truth: dict[str, Any]) -> FileScore:
    """How faithfully tailor reads the CV at `path`, against its truth."""
    score = FileScore(
        path=f"{path.parent.name}/{path.name}",
        template=str(truth.get("template", "")),
        held_out=bool(truth.get("held_out")),
    )
    try:
        cv = tailor.load_cv(path)
    except tailor.UserError as error:
        score.check(False, f"the file could not be read: {error}")
        return score
    document = layout(cv)
    text = normal(document_text(document))
    _score_contacts(cv, truth, text, score)
    _score_roles(cv, truth.get("roles") or [], score)
    _score_sections(cv, document.sections, truth.get("sections") or [], score)
    for line in truth.get("furniture") or []:
        score.check(normal(str(line)) not in text, f"page furniture read as content: {line!r}")
    return score


# -- contacts -----------------------------------------------------------------------------------


def _score_contacts(cv: CV, truth: dict[str, Any], text: str, score: FileScore) -> None:
    basics = cv.basics
    expected, read = truth.get("name"), basics.name or ""
    score.check(normal(str(expected)) == normal(read), f"name: {expected!r}, read {read!r}")
    if truth.get("email"):
        found = basics.email or ""
        score.check(
            normal(truth["email"]) == normal(found), f"email: {truth['email']!r}, read {found!r}"
        )
    if truth.get("phone"):
        found = basics.phone or ""
        score.check(
            _digits(str(truth["phone"])) == _digits(found),
            f"phone: {truth['phone']!r}, read {found!r}",
        )
    links = {bare_url(url) for url in [basics.url, *(p.url for p in basics.profiles)] if url}
    for link in truth.get("links") or []:
        wanted = bare_url(str(link))
        score.check(wanted in links or normal(wanted) in text, f"link: {link!r}")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# -- roles ---------------------------------------------------------------------------------------


def _score_roles(cv: CV, roles: list[dict[str, Any]], score: FileScore) -> None:
    read: list[Work | Volunteer] = [*cv.work, *cv.volunteer]
    pairs = _match(roles, read)
    for index, role in enumerate(roles):
        where = f"role {index + 1} ({role.get('title')} at {role.get('company')})"
        matched = pairs.get(index)
        if matched is None:
            score.check(False, f"{where}: not read")
            for bullet in role.get("bullets") or []:
                score.check(False, f"{where}: bullet {bullet!r}")
            continue
        entry = read[matched]
        got = _role_fields(entry)
        for name in ROLE_FIELDS:
            if name in role:
                expected = _expected(name, role[name])
                ok = _same(name, expected, got[name], role)
                score.check(ok, f"{where}: {name} {expected!r}, read {got[name]!r}")
        bullets = {_shown(bullet.text) for bullet in entry.highlights}
        paragraph = _shown(f"{entry.summary or ''} {getattr(entry, 'description', None) or ''}")
        for bullet in role.get("bullets") or []:
            # a role described in a paragraph rather than bullets keeps it as its summary
            found = _shown(str(bullet)) in bullets or _shown(str(bullet)) in paragraph
            score.check(found, f"{where}: bullet {bullet!r}")
    for index, entry in enumerate(read):
        if index not in pairs.values():
            name = _role_fields(entry)
            score.check(
                False, f"a role the CV does not have: {name['title']!r} at {name['company']!r}"
            )


def _shown(text: str) -> str:
    """Text as the page shows it: links by their labels, without the addresses tailor
    writes after a label or Markdown writes behind one."""
    return normal(_without_addresses(text))


def _without_addresses(text: str) -> str:
    text = re.sub(r"\[([^\[\]]+)\]\((?:[^()\s]|\([^()\s]*\))+\)", r"\1", text)
    return re.sub(r"\s*\((?:https?://|mailto:)(?:[^()\s]|\([^()\s]*\))*\)", "", text)


def _role_fields(entry: Work | Volunteer) -> dict[str, str | None]:
    company = entry.name if isinstance(entry, Work) else entry.organization
    location = entry.location if isinstance(entry, Work) else getattr(entry, "location", None)
    return {
        "company": company,
        "title": entry.position,
        "start": entry.start_date,
        "end": entry.end_date,
        "location": location,
    }


def _expected(name: str, value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return "present" if name == "end" and text.lower() == "present" else text


def _same(name: str, expected: str | None, got: str | None, role: dict[str, Any]) -> bool:
    if name == "end" and expected == "present":
        return got is None and role.get("start") is not None
    if name in ("start", "end"):
        return (expected or None) == (_month(got) if got else None)
    if expected is None:
        return not got
    return normal(expected) == normal(got or "")


def _month(value: str) -> str:
    """A date as the truth writes it: "2021-03" or "2021" (a day is dropped)."""
    match = re.match(r"(\d{4})(?:-(\d{2}))?", value)
    if not match:
        return value
    return f"{match[1]}-{match[2]}" if match[2] else match[1]


def _match(roles: list[dict[str, Any]], read: list[Work | Volunteer]) -> dict[int, int]:
    """Each truth role's read entry: the pairs that share the most, best first, each used once."""
    candidates = []
    for i, role in enumerate(roles):
        for j, entry in enumerate(read):
            likeness = _likeness(role, entry)
            if likeness > 0:
                candidates.append((likeness, -i, -j, i, j))
    pairs: dict[int, int] = {}
    for *_, i, j in sorted(candidates, reverse=True):
        if i not in pairs and j not in pairs.values():
            pairs[i] = j
    return pairs


def _likeness(role: dict[str, Any], entry: Work | Volunteer) -> float:
    got = _role_fields(entry)
    bullets = {_shown(bullet.text) for bullet in entry.highlights}
    shared = sum(_shown(str(b)) in bullets for b in role.get("bullets") or [])
    fields = sum(
        1.0
        for name in ("company", "title")
        if role.get(name) and normal(str(role[name])) == normal(got[name] or "")
    )
    start = role.get("start")
    dated = 0.5 if start and got["start"] and _month(got["start"]) == str(start) else 0.0
    return 2.0 * shared + fields + dated


# -- sections ------------------------------------------------------------------------------------


def _score_sections(
    cv: CV, sections: list[Section], expected: list[dict[str, Any]], score: FileScore
) -> None:
    read_titles = {normal(title) for title in (cv.origin.sections if cv.origin else [])}
    laid_out: dict[str, list[str]] = {}
    pieces: dict[str, list[set[str]]] = {}  # the words of each entry or item, per section
    for section in sections:
        laid_out.setdefault(normal(section.title), []).append(_section_text(section))
        pieces.setdefault(normal(section.title), []).extend(_piece_words(section))
    contacts = " ".join(f"{readable(c.text)} {c.url or ''}" for c in layout(cv).contacts)
    contacts = f" {_words(contacts)} "
    for section in expected:
        title = str(section.get("title", ""))
        score.check(normal(title) in read_titles, f"section {title!r}: not read as a section")
        text = f" {' '.join(laid_out.get(normal(title), []))} {_model_words(cv, title)} "
        for item in section.get("items") or []:
            if section_kind(title) == "contact":
                # a Links or Contact section joins the header: its handles count there
                # ("GitHub:// jdoe" is github.com/jdoe), without their network's name
                found = f" {' '.join(_words(str(item)).split()[1:])} " in contacts
            else:  # its words in order, or all of them in one entry (in the order tailor
                # prints an entry: "University of X, M.Sc." is printed "M.Sc., University of X")
                wanted = _words(str(item))
                found = f" {wanted} " in text or any(
                    set(wanted.split()) <= words for words in pieces.get(normal(title), [])
                )
            score.check(found, f"section {title!r}: {item!r}")


def _piece_words(section: Section) -> list[set[str]]:
    """The words of each entry and item of a laid-out section."""
    texts = [
        " ".join([e.title, e.organization or "", e.dates or "", *e.lines, *e.bullets])
        for e in section.entries
    ]
    texts += [f"{item.label or ''} {item.text}" for item in section.items]
    return [set(_words(_without_addresses(text)).split()) for text in texts]


def _model_words(cv: CV, title: str) -> str:
    """The words the CV model holds for a section a structured CV names by its key ("work",
    "basics"): read, even where tailor's documents show them elsewhere or not at all."""
    document = cv.to_json_resume()
    if title not in document:
        return ""
    return _words(" ".join(json_strings(document[title])))


def _section_text(section: Section) -> str:
    parts = [section.paragraph or ""]
    for entry in section.entries:
        parts += [entry.title, entry.organization or "", entry.dates or "", entry.location or ""]
        parts += [*entry.lines, *entry.bullets]
    parts += [f"{item.label or ''}{item.joiner}{item.text}" for item in section.items]
    return _words("\n".join(_without_addresses(part) for part in parts if part))


# the words that join a section's parts, which a reader may write another way ("B.S. in
# Computer Science" is studyType "B.S." and area "Computer Science", printed "B.S., Computer
# Science"): an item counts when its other words stand in that order in its section
_JOINERS = frozenset({"in", "of", "and", "at", "the", "a", "an", "for"})


def _words(text: str) -> str:
    """The words of a text, lower case, without punctuation or joining words."""
    return " ".join(w for w in re.findall(r"[^\W_]+", normal(text)) if w not in _JOINERS)


# -- report --------------------------------------------------------------------------------------


def summary(scores: list[FileScore]) -> dict[str, Any]:
    """The figures: each file's score, and the share of all points for each split."""

    def overall(group: list[FileScore]) -> float | None:
        total = sum(s.total for s in group)
        return sum(s.passed for s in group) / total if total else None

    return {
        "files": {
            s.path: {"template": s.template, "score": s.score, "held_out": s.held_out}
            for s in scores
        },
        "overall": overall(scores),
        "tuned": overall([s for s in scores if not s.held_out]),
        "held_out": overall([s for s in scores if s.held_out]),
        "lowest": min((s.score for s in scores), default=None),
        "goal": GOAL,
    }


def print_report(scores: list[FileScore], *, verbose: bool = False) -> None:
    figures = summary(scores)
    print(f"reading fidelity: {len(scores)} real CVs in tests/data/real/\n")
    print(f"{'file':<52}{'checks':>7}{'score':>7}")
    for s in scores:
        mark = "" if s.score >= GOAL else "  MISSED"
        held = " (held out)" if s.held_out else ""
        print(f"{s.path + held:<52}{s.total:>7}{s.score:>7.2f}{mark}")
    print()
    for name, key in (("all files", "overall"), ("tuned on", "tuned"), ("held out", "held_out")):
        if figures[key] is not None:
            print(f"{'fidelity, ' + name:<40}{figures[key]:>8.2f}")
    lowest = figures["lowest"]
    if lowest is not None:
        verdict = "met" if lowest >= GOAL else "MISSED"
        print(f"{'fidelity, lowest file':<40}{lowest:>8.2f}   target >= {GOAL} {verdict}")
    if verbose:
        for s in scores:
            for failure in s.failed:
                print(f"  {s.path}: {failure}")


if __name__ == "__main__":
    main()
