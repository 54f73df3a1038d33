"""Measure how whole every CV of the repository reads back from tailor's own PDF and DOCX, in
every theme.

    python evals/roundtrip.py [--verbose]

Each CV (the examples, tests/data/cvs and the real corpus in tests/data/real) is rewritten
offline for one target (the examples for every target), rendered as PDF and DOCX in each
theme, and read again with tailor's readers. A case counts as whole for a part when the part
reads back as it was written: the name, email, phone (its digits), the links, each role's
title, employer, place and dates, each project's name and link, every bullet (a link in it as
its label and address), each degree's school and dates, and no warning. The report gives, per theme and format, the share of cases
whole in every part and in each part. tests/renderers/test_ats_roundtrip.py holds the examples
to all of it; tests/rewriter/test_conservation.py holds every CV to losing nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT / "src", ROOT):  # tailor itself, and the tests' list of CVs
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import tailor  # noqa: E402
from tailor.cv.model import CV  # noqa: E402
from tailor.cv.patterns import bare_url  # noqa: E402
from tailor.renderers.themes import themes  # noqa: E402
from tests.conftest import EVERY_CV, EXAMPLES  # noqa: E402
from tests.rendered import as_read, header_links, rendered, tailored  # noqa: E402

TARGETS = ("frontier-lab", "production-ml", "startup")
FORMATS = ("pdf", "docx")


# each part a case is measured on: whether it reads back as written
PARTS: dict[str, Callable[[CV, CV], bool]] = {
    "name": lambda w, b: b.basics.name == w.basics.name,
    "email": lambda w, b: b.basics.email == w.basics.email,
    "phone": lambda w, b: (
        re.sub(r"\D", "", b.basics.phone or "") == re.sub(r"\D", "", w.basics.phone or "")
    ),
    "links": lambda w, b: header_links(w) <= header_links(b),
    "roles": lambda w, b: (
        [(x.position, x.name, x.start_date, x.end_date) for x in b.work]
        == [(x.position, x.name, x.start_date, x.end_date) for x in w.work]
    ),
    "places": lambda w, b: [x.location for x in b.work] == [x.location for x in w.work],
    "projects": lambda w, b: (
        [(p.name, p.url and bare_url(p.url)) for p in b.projects]
        == [(p.name, p.url and bare_url(p.url)) for p in w.projects]
    ),
    "bullets": lambda w, b: (
        [as_read(x.text) for x in b.bullets()] == [as_read(x.text) for x in w.bullets()]
    ),
    "education": lambda w, b: (
        [(e.institution, e.start_date, e.end_date) for e in b.education]
        == [(e.institution, e.start_date, e.end_date) for e in w.education]
    ),
    "no warning": lambda w, b: b.origin is not None and not b.origin.warnings,
}


def cases() -> list[tuple[Path, str]]:
    """Each CV with the targets it is rewritten for: the examples every target (as the
    round-trip test has them), every other CV one, the three in turn."""
    paths = list(dict.fromkeys(EVERY_CV))
    return [
        (path, target)
        for index, path in enumerate(paths)
        for target in (TARGETS if path.parent == EXAMPLES else (TARGETS[index % len(TARGETS)],))
    ]


def failed_parts(path: Path, target: str, fmt: str, theme: str) -> list[str]:
    """The parts of the CV at `path` that do not read back whole from `fmt` in `theme`."""
    written = tailored(path, target).cv
    try:
        back = tailor.read_cv(rendered(path, target, fmt, theme), name=f"cv.{fmt}")
    except tailor.TailorError as error:
        return [f"unread: {error}"]
    return [part for part, whole in PARTS.items() if not whole(written, back)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="name each case not whole")
    options = parser.parse_args()
    chosen = cases()
    print(f"{len(chosen)} rewrites of {len({p for p, _ in chosen})} CVs\n")
    print(f"{'theme':<9} {'format':<6} {'whole':>7}  parts not whole (cases)")
    for theme in (t.name for t in themes()):
        for fmt in FORMATS:
            failures = {
                (path, target): failed_parts(path, target, fmt, theme) for path, target in chosen
            }
            whole = sum(not parts for parts in failures.values())
            counts = Counter(part for parts in failures.values() for part in parts)
            missed = ", ".join(f"{part} {count}" for part, count in counts.most_common())
            print(f"{theme:<9} {fmt:<6} {whole / len(chosen):>7.0%}  {missed or '-'}")
            if options.verbose:
                for (path, target), parts in failures.items():
                    if parts:
                        print(f"    {path.relative_to(ROOT)} ({target}): {', '.join(parts)}")


if __name__ == "__main__":
    main()
