"""Markdown in a CV made plain: its other ways of writing structure turned into the forms the
reader knows, line for line, and its inline marks removed."""

from __future__ import annotations

import re

from tailor.cv.patterns import (
    MARKDOWN_AUTOLINK,
    MARKDOWN_LINK,
    MARKDOWN_LINK_DEFINITION,
    MARKDOWN_REFERENCE_LINK,
)
from tailor.cv.readers.text.source import BULLET, SourceLine

MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")

_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")

_THEMATIC_BREAK = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")

_FENCED_DIV = re.compile(r"^\s*:::")


def plain_markdown(lines: list[str]) -> list[str]:
    """Markdown's other ways of writing structure, as the forms this reader knows, line for
    line (so every line keeps its number): underlined headings as `#` and `##` ones, block
    quotes, definition lists, reference links, autolinks, hard breaks and fenced divs as
    plain text; rules and link definitions as blank lines."""
    references = {
        match["ref"].lower(): match["url"].strip("<>")
        for line in lines
        if (match := MARKDOWN_LINK_DEFINITION.match(line))
    }
    plain = list(lines)
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        text = line.strip()
        if MARKDOWN_LINK_DEFINITION.match(line) or _FENCED_DIV.match(line):
            plain[index] = ""
        elif (
            text and not BULLET.match(line) and _SETEXT.match(following) and not _SETEXT.match(line)
        ):
            level = "#" if following.strip().startswith("=") else "##"
            plain[index] = f"{level} {_unquoted(text)}"
        elif _SETEXT.match(line) and index and plain[index - 1].startswith("#"):
            plain[index] = ""  # the underline of the heading above
        elif _THEMATIC_BREAK.match(line):
            plain[index] = ""
        else:
            plain[index] = _inline_markdown(_unquoted(line), references)
    return plain


def _unquoted(line: str) -> str:
    """A line without its block-quote marks, definition mark and hard break."""
    line = re.sub(r"^(\s*>)+\s?", "", line)
    line = re.sub(r"^\s*:\s{1,4}(?=\S)", "", line)
    return line[:-1].rstrip() if line.endswith("\\") else line


def _inline_markdown(line: str, references: dict[str, str]) -> str:
    def resolved(match: re.Match[str]) -> str:
        url = references.get((match["ref"] or match["label"]).lower())
        return f"[{match['label']}]({url})" if url else match.group()

    line = MARKDOWN_REFERENCE_LINK.sub(resolved, line)
    return MARKDOWN_AUTOLINK.sub(r"\1", line)


def strip_heading(text: str) -> str:
    """A line's text without its heading marks and other Markdown."""
    match = MD_HEADING.match(text.strip())
    return strip_markdown(match["text"] if match else text.strip())


def strip_markdown(text: str) -> str:
    """Text without emphasis and code marks; a link as its label and its address in brackets."""
    text = MARKDOWN_LINK.sub(r"\g<label> (\g<url>)", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return text.strip()


def link_text(text: str) -> str:
    """Markdown links reduced to their text, other markdown removed."""
    return strip_markdown(MARKDOWN_LINK.sub(r"\g<label>", text))


def plain_lines(lines: list[SourceLine]) -> list[str]:
    """The lines with words on them, without Markdown."""
    return [strip_markdown(line.text.strip()) for line in lines if line.text.strip()]
