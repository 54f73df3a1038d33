"""A letter in files and on screen: the letter itself in any format, and the notes beside it
(what each paragraph rests on and answers, what was left out and why)."""

from __future__ import annotations

from pathlib import Path

from tailor.cover_letter.model import Contact, Header, Letter, Paragraph
from tailor.cv.layout import Contact as LaidOutContact
from tailor.cv.layout import layout
from tailor.cv.model import CV
from tailor.renderers.letter import LetterPage, letter_bytes, letter_format
from tailor.wording import counted, markdown_escaped

NOTED_ANSWERS = 5  # requirements named for each paragraph in the notes; the JSON has them all


def header_of(cv: CV) -> Header:
    """The CV's header as its CV is laid out: name, label, contacts."""
    document = layout(cv)
    return Header(
        name=document.name,
        label=document.label,
        contacts=[Contact(text=c.text, url=c.url) for c in document.contacts],
    )


def page(letter: Letter) -> LetterPage:
    """The letter as the renderers lay it out."""
    header = letter.header
    role = letter.posting
    return LetterPage(
        name=header.name,
        label=header.label,
        contacts=[LaidOutContact(text=c.text, url=c.url) for c in header.contacts],
        greeting=letter.greeting,
        paragraphs=letter.body(),
        closing=letter.closing,
        signature=letter.signature or header.name,
        title=f"{header.name} — cover letter for {role}"
        if header.name
        else f"Cover letter for {role}",
    )


def check_path(path: Path) -> None:
    """Refuse a file name whose extension is no letter format."""
    if path.suffix.lower() != ".json":
        letter_format(path)


def file_bytes(letter: Letter, path: Path, *, theme: str | None = None) -> bytes:
    """The letter in the format `path`'s extension names, in `theme`: .json is the whole
    `Letter`."""
    check_path(path)
    if path.suffix.lower() == ".json":
        return (letter.model_dump_json(indent=2) + "\n").encode("utf-8")
    return letter_bytes(page(letter), path.suffix, theme=theme)


def to_text(letter: Letter) -> str:
    return letter_bytes(page(letter), ".txt").decode("utf-8")


def to_markdown(letter: Letter) -> str:
    return letter_bytes(page(letter), ".md").decode("utf-8")


def engine_line(letter: Letter) -> str:
    """Who wrote the letter, and what to do with it."""
    if letter.draft:
        why = f" ({letter.fallback})" if letter.fallback else ""
        return (
            f"A draft, written offline{why}: your own CV lines for the posting's must-haves, "
            "quoted or joined after \u201cI\u201d. Edit it into your own voice before you send it."
        )
    spent = f" ({letter.usage.spent()})" if letter.usage is not None else ""
    dropped = len(letter.left_out())
    refused = f"; {counted(dropped, 'sentence')} left out, below" if dropped else ""
    return (
        f"Written by {letter.provider} {letter.model or ''}".rstrip()
        + f"{spent}; every sentence checked against the CV lines it cites{refused}. "
        "Read it before you send it."
    )


def notes_text(letter: Letter) -> str:
    """What each paragraph rests on and answers, and what was left out: for the user to
    check the letter against, not to send."""
    lines = [f"Cover letter for {letter.posting}: {letter.words()} words", engine_line(letter), ""]
    for number, paragraph in enumerate(letter.paragraphs, start=1):
        lines += _paragraph_notes(number, paragraph)
    if letter.not_shown:
        lines.append("Must-haves your CV does not show (the letter does not claim them):")
        lines += [f"  - {requirement}" for requirement in letter.not_shown]
    return "\n".join(lines).rstrip() + "\n"


def _paragraph_notes(number: int, paragraph: Paragraph) -> list[str]:
    if not (paragraph.sources or paragraph.answers or paragraph.left_out):
        return []  # nothing to check it against
    shown = paragraph.text[:60] + ("..." if len(paragraph.text) > 60 else "")
    lines = [f"Paragraph {number} ({paragraph.kind}): {shown or '(left out whole)'}"]
    for answer in paragraph.answers[:NOTED_ANSWERS]:
        lines.append(f"  answers: {answer}")
    if len(paragraph.answers) > NOTED_ANSWERS:
        lines.append(f"  answers {len(paragraph.answers) - NOTED_ANSWERS} more (see --format json)")
    for source in paragraph.sources:
        where = f"line {source.line}: " if source.line else ""
        lines.append(f"  rests on {where}\u201c{source.quote}\u201d")
    for item in paragraph.left_out:
        lines.append(f"  left out: \u201c{item.sentence}\u201d: {item.reason}")
    return [*lines, ""]


def notes_markdown(letter: Letter) -> str:
    """The notes as Markdown."""
    parts = [
        f"## Notes on the letter for {markdown_escaped(letter.posting)}\n",
        f"_{markdown_escaped(engine_line(letter))}_\n",
    ]
    for number, paragraph in enumerate(letter.paragraphs, start=1):
        notes = _paragraph_notes(number, paragraph)
        if notes:
            parts.append(f"- {markdown_escaped(notes[0])}")
            parts += [f"  - {markdown_escaped(line.strip())}" for line in notes[1:] if line.strip()]
    if letter.not_shown:
        parts.append("\nMust-haves your CV does not show (the letter does not claim them):\n")
        parts += [f"- {markdown_escaped(requirement)}" for requirement in letter.not_shown]
    return "\n".join(parts).rstrip() + "\n"
