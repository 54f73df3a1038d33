"""Sections: where a CV's section titles stand (Markdown headings, capitals, underlined or
known titles), and the lines each section holds."""

from __future__ import annotations

from tailor.cv.patterns import DATE_RANGE, EMAIL
from tailor.cv.readers.sections import ROLE_SUBHEADINGS, normalise_title, section_kind
from tailor.cv.readers.text.cells import without_column
from tailor.cv.readers.text.header import headline_lines, is_document_title
from tailor.cv.readers.text.markdown import MD_HEADING, strip_markdown
from tailor.cv.readers.text.source import BULLET, UNDERLINE, Section, SourceLine
from tailor.cv.readers.text.vocabulary import TITLE_WORDS


def split_sections(
    lines: list[SourceLine], *, headings_only: bool
) -> tuple[list[SourceLine], list[Section]]:
    section_level = _markdown_section_level(lines)
    header: list[SourceLine] = []
    sections: list[Section] = []
    skip_next = False
    content = [line for line in lines if line.text.strip()]
    following = dict(zip((id(line) for line in content), [*content[1:], None], strict=True))
    # the name's line: the first, or the one after a document title ("CURRICULUM VITAE"), and
    # the headline under it ("RESEARCH SCIENTIST"): the header's, however they are set
    name_at = 1 if len(content) > 1 and is_document_title(content[0].text) else 0
    top = {line.number for line in content[: name_at + 1]} | headline_lines(content, name_at)
    for index, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        next_line = lines[index + 1] if index + 1 < len(lines) else None
        after_gap = index == 0 or not lines[index - 1].text.strip()
        title = _section_title(
            line, next_line, section_level, after_gap=after_gap, headings_only=headings_only
        )
        current = sections[-1].kind if sections else None
        if title is not None and not _opens_section(title, line, following.get(id(line)), current):
            title = None
        if line.number in top and title and not section_kind(title):
            title = None  # the first line of a CV is its owner's name, even in capitals
        if title is not None:
            # a line that opens a section is a heading: its last word may name it
            sections.append(Section(title=title, kind=section_kind(title, by_last_word=True)))
            skip_next = next_line is not None and bool(UNDERLINE.match(next_line.text))
        elif sections:
            sections[-1].lines.append(line)
        else:
            header.append(line)
    return header, sections


def lists_roles(section: Section) -> bool:
    """Whether a section lists roles: dates on lines that are not bullets, or in a right-hand
    column beside a first bullet."""
    for line in section.lines:
        bullet = BULLET.match(line.text)
        text = (without_column(bullet["text"])[1] or "") if bullet else line.text
        if DATE_RANGE.search(text):
            return True
    return False


def _opens_section(
    title: str, line: SourceLine, next_content: SourceLine | None, current: str | None
) -> bool:
    """Whether a line that reads like a title really opens a section where it stands."""
    text = line.text.strip()
    if MD_HEADING.match(text):
        return True
    # a title named by its last word ("TEACHING EXPERIENCE") is known too, unless it holds a
    # job title's words ("HEAD OF CUSTOMER EXPERIENCE" heads a role)
    kind = section_kind(title) or (
        None if TITLE_WORDS.search(title) else section_kind(title, by_last_word=True)
    )
    if current in ("work", "volunteer", "projects") and normalise_title(title) in ROLE_SUBHEADINGS:
        return False  # "Key achievements:" heads a role's bullets
    if current == "skills" and kind == "languages" and not _is_uppercase_title(text):
        return False  # "Languages" under Skills labels programming languages
    if kind is None and next_content is not None:
        # an unknown line in capitals followed by a role line is a company name, not a title
        return not (DATE_RANGE.search(next_content.text) or TITLE_WORDS.search(next_content.text))
    return True


def _markdown_section_level(lines: list[SourceLine]) -> int | None:
    """The heading level that marks sections: the highest level used by a known title."""
    levels = [
        len(match["hashes"])
        for line in lines
        if (match := MD_HEADING.match(line.text)) and section_kind(match["text"])
    ]
    return min(levels) if levels else None


def _section_title(
    line: SourceLine,
    next_line: SourceLine | None,
    md_level: int | None,
    *,
    after_gap: bool,
    headings_only: bool,
) -> str | None:
    """The section title on this line, if it is one.

    A known title alone on its line ("Experience") counts when it follows a gap, ends with a
    colon or starts with a capital, so a wrapped line that happens to read "projects" or
    "work." stays part of its paragraph.
    """
    text = line.text.strip()
    if not text or BULLET.match(line.text) or text.endswith("."):
        return None
    heading = MD_HEADING.match(text)
    if heading:
        level = len(heading["hashes"])
        if (md_level is not None and level == md_level) or (
            not headings_only and section_kind(heading["text"], by_last_word=False)
        ):
            return strip_markdown(heading["text"])
        return None  # in Markdown, a deeper heading is a role or a project
    if md_level is not None and headings_only:
        return None  # a Markdown CV with section headings opens sections with them alone
    if next_line is not None and UNDERLINE.match(next_line.text) and len(text.split()) <= 5:
        return strip_markdown(text)
    if md_level is not None and not _is_uppercase_title(text):
        return None  # beside heading-styled sections, only a title typed in capitals is one
    if section_kind(text) and (
        after_gap or text.endswith(":") or strip_markdown(text)[:1].isupper()
    ):
        return strip_markdown(text).rstrip(":")
    apart = after_gap and (next_line is None or not next_line.text.strip())
    if apart and section_kind(text, by_last_word=True) and not TITLE_WORDS.search(text):
        # "Teaching Experience", standing apart: a title by its last word; "Head of
        # Customer Experience" (a job title) is none
        return strip_markdown(text).rstrip(":")
    if _is_uppercase_title(text) and (len(text) >= 5 or " " in text):  # not "JAX" or "AWS"
        return strip_markdown(text).rstrip(":")
    return None


def _is_uppercase_title(text: str) -> bool:
    bare = strip_markdown(text).rstrip(":")
    letters = [c for c in bare if c.isalpha()]
    return (
        len(letters) >= 3
        and len(bare.split()) <= 5
        and all(c.isupper() for c in letters)
        and not DATE_RANGE.search(bare)
        and not EMAIL.search(bare)
    )
