"""The words and shapes that say what a piece of a CV's text is: a job title, a degree, a school,
a place, a company's legal form; and where the parts of a role's header split."""

from __future__ import annotations

import re

TITLE_WORDS = re.compile(
    r"\b(engineer|scientist|researcher|developer|manager|lead|intern|analyst|architect|head|"
    r"director|founder|co-founder|cto|ceo|vp|consultant|fellow|student|assistant|associate|"
    r"professor|lecturer|specialist|programmer|officer|technician|designer|contractor|"
    r"postdoc|phd|staff|principal|member of technical staff|member|president|chair|"
    r"volunteer|mentor|organi[sz]er|tutor|teacher|instructor|editor|writer|reporter|"
    r"coordinator|representative|treasurer|secretary|trainee|apprentice|tester|advisor|"
    r"adviser|owner|partner|contributor|leader|maintainer)\b",
    re.IGNORECASE,
)
DEGREE = re.compile(
    r"\b((?:bachelor|master|doctor)(?:['’]s)? of (?:science|arts|engineering|philosophy|technology|business administration)|ph\.?d|d\.?phil|m\.?sc|b\.?sc|m\.?s|b\.?s|b\.?a|m\.?a|m\.?eng|b\.?eng|mba|bachelor(?:['’]s)?|"
    r"master(?:['’]s)?|doctorate|diploma|associate(?:['’]s)?)(?!\w)\.?",
    re.IGNORECASE,
)
INSTITUTION = re.compile(
    r"\b(university|college|institute|school|academy|polytechnic|universität|université|ETH|MIT"
    r"|gymnasium|lyceum|lycée|liceo)\b",  # the last: secondary schools in Europe
    re.IGNORECASE,
)
_PLACE = re.compile(
    r"(?<![\w.'-])[A-Z][\w.'-]*+(?: [A-Z][\w.'-]*+){0,5}, [A-Z][\w.'-]*+(?: [A-Z][\w.'-]*+){0,2}"
)


# a comma before a company's legal form ("Hiatt Digital, LLC") does not separate
LEGAL_FORM = r"(?:LLC|L\.L\.C\.|Inc|Ltd|GmbH|Corp|Co|S\.A|SA|plc|PLC|AG|LLP|LP|Pty|BV|NV|SAS|SRL)\b"
SEPARATORS = re.compile(rf"\n|\t+|\s{{3,}}|\s+[—–|@·]\s+|\s+-\s+|\s+at\s+|,\s+(?!{LEGAL_FORM})")


def is_place(text: str) -> bool:
    """ "Austin, TX", "Heidelberg, Germany"; not "Example, Inc." (a company's legal form)."""
    return bool(_PLACE.fullmatch(text)) and not re.search(rf",\s+{LEGAL_FORM}\.?$", text)


def split_parts(text: str) -> list[str]:
    """The parts of a role's header: "Engineer — Acme, Berlin" gives three."""
    return [part.strip(" ,|·") for part in SEPARATORS.split(text) if part.strip(" ,|·")]


def looks_like_place(cell: str) -> bool:
    """A right-hand cell that names a place: "Seoul, S.Korea", "Remote", "New York, NY"."""
    words = cell.split()
    return (
        len(words) <= 6
        and not TITLE_WORDS.search(cell)
        and not re.search(r"\d{3,}|@|https?://", cell)
        and all(
            word[:1].isupper() or word[:1] in "(&" or (word.islower() and len(word) <= 3)
            for word in words
        )
    )
