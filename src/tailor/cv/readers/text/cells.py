"""A header's cells: its lines split at wide gaps and bars into texts, places and dates; and the
right-hand column of dates or a place beside a line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tailor.cv.patterns import DATE_RANGE, SINGLE_DATE
from tailor.cv.readers.text.dates import date_list, split_dates
from tailor.cv.readers.text.vocabulary import INSTITUTION, TITLE_WORDS, is_place, looks_like_place

# what splits a header line into its cells: a wide gap (a right-aligned column) or a bar
_CELL_BREAK = re.compile(r"\t+|\s{3,}|\s+[|·]\s+")

_LAST_CELL = re.compile(r"(?<!\s)(?:\t+|\s{3,})(?P<cell>\S(?:(?!\t|\s{3}).)*)$")


def without_column(text: str) -> tuple[str, str | None]:
    """A line and the cell of a right-hand column at its end ("... a team   Oct 2020 –
    May 2023"), when that cell holds dates or a place alone."""
    match = _LAST_CELL.search(text)
    if match is None:
        return text, None
    cell = match["cell"].strip()
    alone = DATE_RANGE.fullmatch(cell) or SINGLE_DATE.fullmatch(cell) or date_list(cell)
    if alone or is_place(cell):
        return text[: match.start()].rstrip(), cell
    return text, None


@dataclass
class Cells:
    """A header's cells (its lines split at wide gaps and bars): the texts, the places in
    a right-hand column, and the dates."""

    texts: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    dated: int | None = None  # the index in `texts` of the text on the dates' line
    start: str | None = None
    end: str | None = None


def split_cells(lines: list[str]) -> Cells:
    """Split header lines into cells: "Company   Place" / "Title   Mar 2021 – Present" (two
    lines of a template with right-aligned columns, in either order), "Company | Title"."""
    cells = Cells()
    for line in lines:
        first_text = len(cells.texts)
        parts = [c.strip(" ,|·") for c in _CELL_BREAK.split(line)]
        parts = [part for part in parts if part]
        # the rightmost cell after a wide gap is the right-hand column: a place or dates (a
        # line that starts with a gap is all right-hand column)
        right_only = bool(re.match(r"\t|\s{3,}", line))
        column = right_only or (
            len(parts) > 1 and bool(re.search(r"(?:\t|\s{3,})[^\t]*$", line.rstrip()))
        )
        for index, cell in enumerate(parts):
            rest, start, end = split_dates(cell)
            if listed := date_list(cell):
                rest, (start, end) = "", listed
            elif not DATE_RANGE.search(cell) and rest:
                start = end = None  # "President at 2013" keeps its year; "2019" alone is a date
                rest = cell
            if start or end:
                if cells.start is None and cells.end is None:
                    cells.start, cells.end = start, end
                    cells.dated = first_text
                elif (start, end) != (cells.start, cells.end):
                    start = end = None  # a second span has no field: kept as written
                    rest = cell
                if not rest:
                    continue
                cell = rest
            last = index == len(parts) - 1
            # after a left-hand column of dates alone ("2019   MSc in Language Technology,
            # Example University"), the last cell is the line's text unless it names a place
            # and no job or school ("Boston, MA" names a state, not a degree)
            beside_text = right_only or len(cells.texts) > first_text
            place = is_place(cell) or (column and beside_text and looks_like_place(cell))
            if place and not beside_text:
                place = not (TITLE_WORDS.search(cell) or INSTITUTION.search(cell))
            if last and (index > 0 or right_only) and place:
                cells.places.append(cell)
            else:
                cells.texts.append(cell)
    if cells.dated is not None and cells.dated >= len(cells.texts):
        cells.dated = None
    return cells


def carries_dates(text: str) -> bool:
    """Whether a line carries dates: a range, or dates alone in a right-hand column
    ("Data Scientist   Summer 2012 and 2013")."""
    if DATE_RANGE.search(text):
        return True
    cells = [cell.strip(" ,|·") for cell in _CELL_BREAK.split(text)][1:]
    return any(date_list(cell) or SINGLE_DATE.fullmatch(cell) for cell in cells)
