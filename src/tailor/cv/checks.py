"""Signs that a CV was read wrong: what a person would notice at once in tailor's reading.

A garbled read (the name taken from a "last updated" note, every role "Present", a footer
read as an employer) is critiqued and tailored as if it were right unless someone says so.
These checks run on every CV read from a file; `tailor read` shows them, and the other
commands print one line about them on stderr.
"""

from __future__ import annotations

import re

from tailor.cv.model import CV
from tailor.cv.patterns import DOCUMENT_TITLE, EMAIL, MONTH_NAME
from tailor.cv.readers.sections import kind_in, section_kind
from tailor.wording import counted

LONG_BULLET = 600  # characters: a bullet this long is most likely several run together
_MONTH_WORD = re.compile(rf"\b(?:{MONTH_NAME})\b\.?", re.IGNORECASE)


def misreadings(cv: CV) -> list[str]:
    """What looks wrong in tailor's reading of `cv`, one sentence each (none: it reads well)."""
    found = [*_name_problems(cv), *_role_problems(cv), *_section_problems(cv)]
    found += _repeated_lines(cv)
    unplaced = cv.origin.unplaced if cv.origin else []
    if unplaced:
        found.append(
            f"{counted(len(unplaced), 'part')} of the CV could not be placed (listed under "
            "'Could not place'); a rewrite leaves them out"
        )
    return found


def _name_problems(cv: CV) -> list[str]:
    name = (cv.basics.name or "").strip()
    if not name:
        return ["no name was read"]
    looks_like = None
    if re.search(r"\d", name) or (_MONTH_WORD.search(name) and len(name.split()) > 2):
        looks_like = "a date"
    elif EMAIL.search(name) or "http" in name.lower():
        looks_like = "a contact detail"
    elif len(name.split()) > 6 or name.endswith((".", "!", "?")):
        looks_like = "a sentence"
    elif section_kind(name):
        looks_like = "a section title"
    elif DOCUMENT_TITLE.fullmatch(name):
        looks_like = "the document's title"
    return [f"the name read ('{name}') looks like {looks_like}"] if looks_like else []


def _role_problems(cv: CV) -> list[str]:
    roles = cv.work
    found = []
    without_company = [r for r in roles if not r.name and r.position]
    if without_company:
        found.append(f"{counted(len(without_company), 'role')} read without an employer")
    without_title = [r for r in roles if r.name and not r.position]
    if without_title:
        found.append(f"{counted(len(without_title), 'role')} read without a job title")
    dated = [r for r in roles if r.start_date or r.end_date]
    if len(roles) >= 2 and not dated:
        found.append("no role has dates")
    elif len(dated) >= 3 and all(r.start_date and not r.end_date for r in dated):
        found.append(f"all {len(dated)} dated roles read as running to the present")
    backwards = [r for r in dated if r.start_date and r.end_date and r.start_date > r.end_date]
    if backwards:
        found.append(f"{counted(len(backwards), 'role')} end before they start")
    long = [b for b in cv.bullets() if len(b.text) > LONG_BULLET]
    if long:
        found.append(
            f"{counted(len(long), 'bullet')} over {LONG_BULLET} characters, likely several "
            "lines run together"
        )
    return found


def _section_problems(cv: CV) -> list[str]:
    """Sections whose title was read but which hold nothing."""
    titles = cv.origin.sections if cv.origin else []
    empty = []
    for title in titles:
        kind = kind_in(cv.origin, title)
        if not kind or kind in ("contact", "summary") or title == kind:
            continue  # a JSON Resume key names a section only when it holds something
        if not getattr(cv, kind, None):
            empty.append(title)
    extra = (cv.model_extra or {}).get("additionalSections") or []
    empty += [str(s.get("title")) for s in extra if isinstance(s, dict) and not s.get("lines")]
    return [f"the section '{title}' was read with nothing in it" for title in empty]


def _repeated_lines(cv: CV) -> list[str]:
    """Lines that stand on every page of a PDF: a running header or footer read as content."""
    origin = cv.origin
    pages = (origin.text or "").split("\f") if origin is not None else []
    if len(pages) < 2:
        return []
    on_each = [_edge_lines(page) for page in pages]
    repeated = sorted(set.intersection(*on_each))
    return [f"the line '{line}' stands on every page" for line in repeated[:3]]


def _edge_lines(page: str) -> set[str]:
    """A page's first and last two lines, where running headers and footers stand: a
    "Python" skills line on two pages of a CV is not one."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return {line for line in [*lines[:2], *lines[-2:]] if len(line) >= 8}
