"""`tailor themes`: the looks a tailored CV or letter can take."""

from __future__ import annotations

from tailor.cli.app import handle_user_errors
from tailor.cli.output import OutputFormat, ReportFormatOption


@handle_user_errors
def themes(output_format: ReportFormatOption = OutputFormat.text) -> None:
    """List the themes for --theme, each with what it is for.

    A theme changes how a PDF, HTML or DOCX file looks, never what it says: every theme shows
    the same lines, on at most two pages, and reads back whole.
    """
    import json
    import sys

    from tailor.renderers.themes import DEFAULT_THEME
    from tailor.renderers.themes import themes as all_themes

    if output_format is OutputFormat.json:
        sys.stdout.write(json.dumps([t.model_dump() for t in all_themes()], indent=2) + "\n")
        return
    width = max(len(theme.name) for theme in all_themes())
    for theme in all_themes():
        default = " (default)" if theme.name == DEFAULT_THEME else ""
        if output_format is OutputFormat.md:
            sys.stdout.write(f"- `{theme.name}`: {theme.description}{default}\n")
        else:
            sys.stdout.write(f"{theme.name:<{width}}  {theme.description}{default}\n")
