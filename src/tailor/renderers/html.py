"""HTML output: one self-contained, print-friendly page (inline CSS, no external assets).

A CV (cv.html.j2) and its cover letter (letter.html.j2) extend one page, _page.html.j2: the
same head, style and header, so the letter looks like it belongs to the CV.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tailor.cv.layout import entry_head, layout, segments
from tailor.cv.model import CV
from tailor.renderers.themes import theme_named

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from tailor.renderers.letter import LetterPage


def render(cv: CV, section_order: Sequence[str] | None = None, theme: str | None = None) -> bytes:
    """The CV as an HTML page (UTF-8) in the theme called `theme` (None: the default): the
    PDF's font family first, its accent colour, sizes and spacing."""
    template = _environment().get_template("cv.html.j2")
    document = layout(cv, section_order)
    return template.render(document=document, theme=theme_named(theme)).encode("utf-8")


def render_letter(page: LetterPage, theme: str | None = None) -> bytes:
    """A cover letter as an HTML page (UTF-8), under the CV's own header, in the CV's theme."""
    template = _environment().get_template("letter.html.j2")
    return template.render(document=page, theme=theme_named(theme)).encode("utf-8")


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    environment = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["linked"] = linked
    environment.filters["head"] = entry_head
    return environment


def linked(text: str) -> Markup:
    """Text escaped for HTML, its links as <a> elements (the layout keeps only web and mail
    links, see `layout.link_target`)."""
    from markupsafe import Markup, escape

    html = Markup()
    for segment in segments(text):
        if segment.url:
            html += Markup('<a href="{}">{}</a>').format(segment.url, segment.text)
        else:
            html += escape(segment.text)
    return html
